/*
 * strata run [--config FILE]
 *
 * Loads and checks the configuration, refuses to start when it has errors,
 * prints what will run (hosts, components, modules by layer, and which of
 * them are planned), then runs the server until SIGTERM or SIGINT.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/load.h"
#include "core/server.h"

static void print_layer(const struct modset *set, int layer)
{
    bool any = false;
    for (size_t i = 0; i < set->count; i++) {
        const struct strata_module *m = set->items[i].module;
        if ((int)m->layer != layer) {
            continue;
        }
        if (!any) {
            printf("    %-15s", strata_layer_dir(layer));
            any = true;
        }
        printf(" %s%s", m->name, m->state == STRATA_MODULE_IMPLEMENTED ? "" : "(planned)");
    }
    if (any) {
        putchar('\n');
    }
}

static void print_section(const struct cli_config *cfg, size_t si)
{
    const struct cfg_section *s = cfg->tree->sections[si];
    const struct modset *set = &cfg->check->sets[si];
    if (si == 0) {
        printf("server-wide modules (%zu):\n", set->count);
    } else if (s->kind == CFG_SECTION_HOST) {
        printf("VirtualHost \"%s\" (%zu modules):\n", s->name, set->count);
    } else {
        printf("Component \"%s\" \"%s\":\n", s->name, s->component_module ? s->component_module : "component");
    }
    for (int layer = 1; layer <= STRATA_LAYER_COUNT; layer++) {
        print_layer(set, layer);
    }
}

static size_t count_state(const struct modset *set, enum strata_module_state state)
{
    size_t n = 0;
    for (size_t i = 0; i < set->count; i++) {
        n += set->items[i].module->state == state;
    }
    return n;
}

int cmd_run(int argc, char **argv)
{
    const char *config = NULL;
    bool bad = false;
    for (int i = 1; i < argc && !bad; i++) {
        const char *v = cli_option_value(argc, argv, &i, "--config", &bad);
        config = v ? v : config;
        bad = bad || !v;
    }
    if (bad) {
        cli_usage("run");
        return 2;
    }
    struct cli_config cfg;
    int rc = cli_config_load(&cfg, config, false);
    int status = cli_check_status(cfg.tree, false);
    if (rc < 0 || status == 2) {
        cli_print_diags(stderr, cfg.tree);
        fprintf(stderr, "strata: not starting: the configuration has errors (see above)\n");
        cli_config_free(&cfg);
        return 2;
    }
    if (cfg.tree->diags.count) {
        cli_print_diags(stderr, cfg.tree);
    }
    printf("configuration %s: %zu files\n", cfg.tree->main_path, cfg.tree->nfiles);
    for (size_t si = 0; si < cfg.tree->nsections; si++) {
        print_section(&cfg, si);
    }
    const struct modset *all = &cfg.check->sets[0];
    printf("\n%zu server-wide modules: %zu implemented, %zu planned (not loaded).\n", all->count,
           count_state(all, STRATA_MODULE_IMPLEMENTED), count_state(all, STRATA_MODULE_PLANNED));
    fflush(stdout);
    /* The server takes the configuration and frees it when it stops. */
    return server_run(cfg.tree, cfg.check);
}


