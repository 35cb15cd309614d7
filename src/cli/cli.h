/*
 * The `strata` subcommands. Each takes the arguments after its own name
 * (argv[0] is the subcommand) and returns the process exit status:
 * 0 clean, 1 warnings only (under --strict), 2 errors or bad usage.
 */
#ifndef STRATA_CLI_H
#define STRATA_CLI_H

int cmd_run(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_config(int argc, char **argv);
int cmd_modules(int argc, char **argv);
int cmd_cert(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_version(int argc, char **argv);
int cmd_help(int argc, char **argv);

/* Prints the usage of one subcommand (or all when `name` is NULL) to stdout. */
void cli_usage(const char *name);

#endif
