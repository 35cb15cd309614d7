/*
 * Configuration loading and diagnostics printing shared by subcommands.
 */
#include "cli/load.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/loader.h"
#include "config/schema.h"
#include "util/xalloc.h"
#include "strata_build.h"

const char *cli_config_path(const char *given)
{
    if (given) {
        return given;
    }
    const char *env = getenv("STRATA_CONFIG");
    if (env && *env) {
        return env;
    }
    if (access("config/strata.cfg.lua", F_OK) == 0) {
        return "config/strata.cfg.lua";
    }
    return STRATA_SYSCONFDIR "/strata.cfg.lua";
}

int cli_config_load(struct cli_config *cfg, const char *given, bool skip_ports)
{
    cfg->tree = cfg_tree_new(cli_config_path(given));
    cfg->check = NULL;
    if (cfg_load(cfg->tree) < 0) {
        return -1;
    }
    cfg->check = cfg_check_run(cfg->tree, skip_ports);
    return 0;
}

char *cli_config_path_option(const char *given, const char *name)
{
    struct cfg_tree *t = cfg_tree_new(cli_config_path(given));
    char *path = NULL;
    if (cfg_load(t) == 0) {
        const struct cfg_setting *s = cfg_tree_lookup(t, cfg_tree_global(t), name);
        struct schema_entry e;
        struct cfg_value def = {0};
        const struct cfg_value *v = s ? &s->value : NULL;
        if ((!v || v->kind == CFG_NIL) && schema_find(name, &e) && schema_default(e.option, &def) == 0) {
            v = &def;
        }
        if (v && v->kind == CFG_STRING) {
            path = v->u.str.ptr[0] == '/' ? xstrdup(v->u.str.ptr)
                                          : xasprintf("%s/%s", t->main_dir, v->u.str.ptr);
        }
        cfg_value_clear(&def);
    }
    cfg_tree_free(t);
    return path;
}

void cli_config_free(struct cli_config *cfg)
{
    cfg_check_free(cfg->check);
    cfg_tree_free(cfg->tree);
}

static const char *label(enum diag_level level)
{
    return level == DIAG_INFO ? "note" : diag_level_name(level);
}

void cli_print_diags(FILE *out, const struct cfg_tree *t)
{
    const char *group = "";
    for (size_t i = 0; i < t->diags.count; i++) {
        const struct diag *d = &t->diags.items[i];
        const char *file = d->file ? d->file : "";
        if (strcmp(file, group) != 0 || i == 0) {
            if (i > 0) {
                fputc('\n', out);
            }
            fprintf(out, "%s\n", d->file ? d->file : "(whole configuration)");
            group = file;
        }
        if (d->file && d->line > 0) {
            fprintf(out, "  %s:%d: %s: %s [%s]\n", d->file, d->line, label(d->level), d->message,
                    d->code);
        } else if (d->file) {
            fprintf(out, "  %s: %s: %s [%s]\n", d->file, label(d->level), d->message, d->code);
        } else {
            fprintf(out, "  %s: %s [%s]\n", label(d->level), d->message, d->code);
        }
    }
    size_t e = diag_count(&t->diags, DIAG_ERROR), w = diag_count(&t->diags, DIAG_WARNING);
    size_t n = diag_count(&t->diags, DIAG_INFO);
    if (t->diags.count) {
        fputc('\n', out);
    }
    fprintf(out, "%s: %zu error%s, %zu warning%s, %zu note%s in %zu file%s\n", t->main_path, e,
            e == 1 ? "" : "s", w, w == 1 ? "" : "s", n, n == 1 ? "" : "s", t->nfiles,
            t->nfiles == 1 ? "" : "s");
}

int cli_check_status(const struct cfg_tree *t, bool strict)
{
    if (diag_count(&t->diags, DIAG_ERROR)) {
        return 2;
    }
    return strict && diag_count(&t->diags, DIAG_WARNING) ? 1 : 0;
}

const char *cli_option_value(int argc, char **argv, int *i, const char *name, bool *bad)
{
    size_t n = strlen(name);
    const char *arg = argv[*i];
    if (strncmp(arg, name, n) != 0) {
        return NULL;
    }
    if (arg[n] == '=') {
        return arg + n + 1;
    }
    if (arg[n] != '\0') {
        return NULL;
    }
    if (*i + 1 >= argc) {
        *bad = true;
        return NULL;
    }
    return argv[++*i];
}
