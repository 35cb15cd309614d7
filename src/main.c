/*
 * The `strata` command line: dispatches to the subcommands in src/cli/.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "strata_build.h"

struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;
    const char *summary;
};

static const struct command commands[] = {
    {"run", cmd_run, "run [--config FILE]",
     "check the configuration, then run the server until SIGTERM or SIGINT"},
    {"check", cmd_check, "check [--config FILE] [--json] [--strict] [--no-ports]",
     "validate the whole configuration tree; exit 0 clean, 1 warnings (--strict), 2 errors"},
    {"config", cmd_config, "config show [--provenance] [--host HOST] [OPTION] [--config FILE]",
     "print effective option values, and with --provenance where each came from"},
    {"modules", cmd_modules, "modules [--layer N] [--tier TIER] [--enabled] [--config FILE]",
     "list every module: layer, tier, specifications, state, enabled here"},
    {"cert", cmd_cert, "cert generate HOST [--dir DIR] [--days N] [--force] | cert check HOST [--dir DIR]",
     "make a self-signed certificate for development, or inspect one"},
    {"user", cmd_user, "user add|passwd|del|list|exists JID [--password-file FILE] [--config FILE]",
     "manage accounts: create, change a password, delete with all data, list a host's, test one"},
    {"version", cmd_version, "version", "print the version"},
    {"help", cmd_help, "help [COMMAND]", "show this help, or one command's"},
};

enum { NCOMMANDS = sizeof commands / sizeof commands[0] };

void cli_usage(const char *name)
{
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (!name || strcmp(commands[i].name, name) == 0) {
            printf("  strata %s\n      %s\n", commands[i].usage, commands[i].summary);
        }
    }
}

int cmd_version(int argc, char **argv)
{
    printf("strata %s\n", STRATA_VERSION);
    return 0;
}

int cmd_help(int argc, char **argv)
{
    if (argc > 1) {
        for (size_t i = 0; i < NCOMMANDS; i++) {
            if (strcmp(commands[i].name, argv[1]) == 0) {
                printf("usage:\n");
                cli_usage(argv[1]);
                return 0;
            }
        }
        fprintf(stderr, "strata: no command '%s'\n", argv[1]);
        return 2;
    }
    printf("Strata %s, an XMPP server\n\nusage:\n", STRATA_VERSION);
    cli_usage(NULL);
    printf("\nThe configuration is --config FILE, else $STRATA_CONFIG, else ./config/strata.cfg.lua,\n"
           "else %s/strata.cfg.lua.\n", STRATA_SYSCONFDIR);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        cmd_help(1, argv);
        return 2;
    }
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strcmp(commands[i].name, argv[1]) == 0) {
            return commands[i].fn(argc - 1, argv + 1);
        }
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        return cmd_help(1, argv);
    }
    if (strcmp(argv[1], "--version") == 0) {
        return cmd_version(1, argv);
    }
    fprintf(stderr, "strata: unknown command '%s'; try 'strata help'\n", argv[1]);
    return 2;
}
