/*
 * Finding, loading and checking the configuration for a subcommand.
 */
#ifndef STRATA_CLI_LOAD_H
#define STRATA_CLI_LOAD_H

#include <stdbool.h>
#include <stdio.h>

#include "config/check.h"

struct cli_config {
    struct cfg_tree *tree;
    struct cfg_check *check;
};

/* The configuration path: `given` (from --config), else $STRATA_CONFIG,
 * else ./config/strata.cfg.lua when it exists, else /etc/strata/strata.cfg.lua.
 * Static or borrowed storage. */
const char *cli_config_path(const char *given);

/* Loads and checks. Returns 0, or -1 when the main file cannot be read
 * (diagnostics are still in cfg->tree). */
int cli_config_load(struct cli_config *cfg, const char *given, bool skip_ports);
void cli_config_free(struct cli_config *cfg);

/* The value of a path option (e.g. "certificates") of the configuration
 * that `given` selects, resolved against the main file's folder as the
 * server resolves it: set value, else the schema default. Loads without
 * checking. Returns a new string, or NULL when the configuration cannot be
 * read or the option has no value. */
char *cli_config_path_option(const char *given, const char *name);

/* Prints diagnostics grouped by file, then a summary line. */
void cli_print_diags(FILE *out, const struct cfg_tree *t);

/* Exit status for a checked tree: 2 errors, 1 warnings under `strict`, else 0. */
int cli_check_status(const struct cfg_tree *t, bool strict);

/* Takes "--name VALUE" or "--name=VALUE" at argv[*i]; advances *i. Returns
 * the value or NULL when argv[*i] is not that option. Missing values make
 * `*bad` true. */
const char *cli_option_value(int argc, char **argv, int *i, const char *name, bool *bad);

#endif
