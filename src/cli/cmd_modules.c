/*
 * strata modules [--layer N] [--tier T] [--enabled] [--config FILE]
 *
 * The catalogue as a table: what exists, what is planned, what this
 * configuration enables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/load.h"

struct filter {
    int layer; /* 0: all */
    int tier;  /* -1: all */
    bool enabled_only;
    const char *config;
};

static bool enabled_anywhere(const struct cli_config *cfg, const struct strata_module *m)
{
    for (size_t si = 0; cfg->check && si < cfg->tree->nsections; si++) {
        if (modset_find(&cfg->check->sets[si], m)) {
            return true;
        }
    }
    return false;
}

static int parse_args(int argc, char **argv, struct filter *f)
{
    bool bad = false;
    for (int i = 1; i < argc && !bad; i++) {
        const char *v;
        if ((v = cli_option_value(argc, argv, &i, "--layer", &bad))) {
            f->layer = atoi(v);
            bad = f->layer < 1 || f->layer > STRATA_LAYER_COUNT;
        } else if ((v = cli_option_value(argc, argv, &i, "--tier", &bad))) {
            f->tier = strata_tier_parse(v);
            bad = f->tier < 0;
        } else if ((v = cli_option_value(argc, argv, &i, "--config", &bad))) {
            f->config = v;
        } else if (strcmp(argv[i], "--enabled") == 0) {
            f->enabled_only = true;
        } else {
            bad = true;
        }
    }
    return bad ? -1 : 0;
}

int cmd_modules(int argc, char **argv)
{
    struct filter f = {0, -1, false, NULL};
    if (parse_args(argc, argv, &f) < 0) {
        cli_usage("modules");
        return 2;
    }
    struct cli_config cfg;
    bool loaded = cli_config_load(&cfg, f.config, true) == 0;
    size_t n, shown = 0;
    const struct strata_module *const *all = strata_modules_all(&n);
    printf("%-15s %-24s %-9s %-12s %-8s %s\n", "LAYER", "MODULE", "TIER", "STATE", "ENABLED",
           "SPECIFICATIONS");
    for (size_t i = 0; i < n; i++) {
        const struct strata_module *m = all[i];
        bool on = loaded && enabled_anywhere(&cfg, m);
        if ((f.layer && (int)m->layer != f.layer) || (f.tier >= 0 && (int)m->tier != f.tier) ||
            (f.enabled_only && !on)) {
            continue;
        }
        printf("%-15s %-24s %-9s %-12s %-8s %s\n", strata_layer_dir(m->layer), m->name,
               strata_tier_name(m->tier), strata_module_state_name(m->state),
               !loaded ? "?" : on ? "yes" : "no", m->specs ? m->specs : "");
        shown++;
    }
    printf("\n%zu module%s%s\n", shown, shown == 1 ? "" : "s",
           loaded ? "; ENABLED is for the configuration at " : "; no configuration could be read");
    if (loaded) {
        printf("  %s\n", cfg.tree->main_path);
    }
    cli_config_free(&cfg);
    return 0;
}
