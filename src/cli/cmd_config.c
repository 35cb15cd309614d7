/*
 * strata config show [--provenance] [--host HOST] [OPTION] [--config FILE]
 *
 * Prints effective option values; with --provenance, where each was set,
 * what environment variable shaped it, and what it overrode. The pseudo
 * option "modules" lists the module set and why each module is in it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/load.h"
#include "config/schema.h"
#include "util/xalloc.h"

struct show {
    struct cli_config cfg;
    size_t si; /* section shown */
    bool provenance;
};

static bool names_secret(const char *key)
{
    return strcasestr(key, "password") || strcasestr(key, "secret") || strcasestr(key, "token");
}

/* SECURITY: passwords and secrets are shown as "(hidden)", in tables too,
 * so `config show` output can be pasted into a bug report. */
static void hide_secrets(struct cfg_value *v, const char *key)
{
    if (v->kind == CFG_STRING && key && names_secret(key)) {
        free(v->u.str.ptr);
        v->u.str.ptr = xstrdup("(hidden)");
        v->u.str.len = strlen("(hidden)");
    } else if (v->kind == CFG_TABLE) {
        for (size_t i = 0; i < v->u.table->narray; i++) {
            hide_secrets(&v->u.table->array[i], key);
        }
        for (size_t i = 0; i < v->u.table->npairs; i++) {
            hide_secrets(&v->u.table->pairs[i].value, v->u.table->pairs[i].key);
        }
    }
}

static char *render_shown(const char *key, const struct cfg_value *v)
{
    struct cfg_value copy;
    cfg_value_copy(&copy, v);
    hide_secrets(&copy, key);
    char *lua = cfg_value_to_lua(&copy);
    cfg_value_clear(&copy);
    return lua;
}

static void print_value_line(const char *key, const struct cfg_value *v, const char *suffix)
{
    char *lua = render_shown(key, v);
    printf("%s = %s%s\n", key, lua, suffix);
    free(lua);
}

static void print_origin(const char *verb, const struct cfg_setting *s, bool with_value)
{
    printf("    %s %s:%d", verb, s->value.file ? s->value.file : "?", s->value.line);
    if (with_value) {
        char *lua = render_shown(s->key, &s->value);
        printf(" = %s", lua);
        free(lua);
    }
    if (s->note) {
        printf(" (%s)", s->note);
    }
    putchar('\n');
}

static void print_history(const struct cfg_setting *s, bool lists)
{
    if (lists) {
        const struct cfg_setting *chain[256];
        size_t n = 0;
        for (const struct cfg_setting *p = s; p && n < 256; p = p->overridden) {
            chain[n++] = p;
        }
        while (n--) {
            print_origin("added at", chain[n], true);
        }
        return;
    }
    print_origin("set at", s, false);
    for (const struct cfg_setting *p = s->overridden; p; p = p->overridden) {
        print_origin("overrode", p, true);
    }
}

/* The union of a layer list's contributions, oldest first. */
static void merge_lists(const struct cfg_setting *s, struct cfg_table *t)
{
    if (!s) {
        return;
    }
    merge_lists(s->overridden, t);
    const struct cfg_value *v = &s->value;
    size_t n = v->kind == CFG_STRING ? 1 : cfg_is_list(v) ? v->u.table->narray : 0;
    for (size_t i = 0; i < n; i++) {
        t->array = realloc(t->array, (t->narray + 1) * sizeof *t->array);
        cfg_value_copy(&t->array[t->narray++], v->kind == CFG_STRING ? v : &v->u.table->array[i]);
    }
}

static void show_setting(const struct show *sh, const struct cfg_setting *s, bool inherited)
{
    const struct cfg_tree *t = sh->cfg.tree;
    if (cfg_key_is_layer_list(s->key)) {
        struct cfg_table merged = {0};
        struct cfg_value v = {.kind = CFG_TABLE, .u.table = &merged};
        merge_lists(s, &merged);
        print_value_line(s->key, &v, "");
        for (size_t i = 0; i < merged.narray; i++) {
            cfg_value_clear(&merged.array[i]);
        }
        free(merged.array);
    } else {
        print_value_line(s->key, &s->value, "");
    }
    if (!sh->provenance) {
        return;
    }
    print_history(s, cfg_key_is_layer_list(s->key));
    if (inherited) {
        printf("    inherited from the global section\n");
    } else if (sh->si != 0) {
        const struct cfg_setting *g = cfg_section_find(t->sections[0], s->key);
        if (g) {
            printf("    overrides the global value set at %s:%d\n", g->value.file, g->value.line);
        }
    }
}

static void show_default(const struct show *sh, const char *name)
{
    struct schema_entry e;
    if (!schema_find(name, &e)) {
        const char *near = schema_suggest(name);
        fprintf(stderr, "strata: unknown option '%s'%s%s%s\n", name, near ? " (did you mean '" : "",
                near ? near : "", near ? "'?)" : "");
        return;
    }
    struct cfg_value v;
    schema_default(e.option, &v);
    print_value_line(name, &v, v.kind == CFG_NIL ? "  -- not set, no default" : "  -- default");
    cfg_value_clear(&v);
    if (sh->provenance) {
        if (e.module) {
            printf("    declared by module %s (config/stack/%s/%s.cfg.lua)\n", e.module->name,
                   strata_layer_dir(e.module->layer), e.file);
        } else if (strchr(e.file, '/')) {
            printf("    declared by the server (config/stack/%s.cfg.lua)\n", e.file);
        } else {
            printf("    declared by the server (config/%s.cfg.lua)\n", e.file);
        }
        if (e.option->help) {
            printf("    %s\n", e.option->help);
        }
    }
}

static void show_modules(const struct show *sh)
{
    const struct modset *set = &sh->cfg.check->sets[sh->si];
    printf("modules (%zu)\n", set->count);
    for (size_t i = 0; i < set->count; i++) {
        const struct modset_entry *e = &set->items[i];
        printf("  %-22s %-12s %s", e->module->name, strata_module_state_name(e->module->state),
               strata_layer_dir(e->module->layer));
        if (sh->provenance) {
            printf("  via %s", e->via);
            if (e->required_by) {
                printf(" of %s", e->required_by->name);
            }
            if (e->file) {
                printf(" at %s:%d", e->file, e->line);
            }
        }
        putchar('\n');
    }
}

static int show_one(const struct show *sh, const char *name)
{
    if (strcmp(name, "modules") == 0) {
        show_modules(sh);
        return 0;
    }
    const struct cfg_tree *t = sh->cfg.tree;
    const struct cfg_setting *own = cfg_section_find(t->sections[sh->si], name);
    const struct cfg_setting *s = own ? own : cfg_tree_lookup(t, t->sections[sh->si], name);
    if (s) {
        show_setting(sh, s, !own);
        return 0;
    }
    show_default(sh, name);
    struct schema_entry e;
    return schema_find(name, &e) ? 0 : 2;
}

static void show_all(const struct show *sh)
{
    const struct cfg_tree *t = sh->cfg.tree;
    const struct cfg_section *sec = t->sections[sh->si];
    if (sh->si != 0) {
        printf("-- %s \"%s\"\n", sec->kind == CFG_SECTION_HOST ? "VirtualHost" : "Component", sec->name);
        for (size_t i = 0; i < t->sections[0]->nsettings; i++) {
            const struct cfg_setting *g = t->sections[0]->settings[i];
            if (!cfg_section_find(sec, g->key)) {
                show_setting(sh, g, true);
            }
        }
    }
    for (size_t i = 0; i < sec->nsettings; i++) {
        show_setting(sh, sec->settings[i], false);
    }
}

int cmd_config(int argc, char **argv)
{
    const char *config = NULL, *host = NULL, *option = NULL;
    bool provenance = false, bad = argc < 2 || strcmp(argv[1], "show") != 0;
    for (int i = 2; i < argc && !bad; i++) {
        const char *v;
        if ((v = cli_option_value(argc, argv, &i, "--config", &bad))) {
            config = v;
        } else if ((v = cli_option_value(argc, argv, &i, "--host", &bad))) {
            host = v;
        } else if (strcmp(argv[i], "--provenance") == 0) {
            provenance = true;
        } else if (argv[i][0] != '-' && !option) {
            option = argv[i];
        } else {
            bad = true;
        }
    }
    if (bad) {
        cli_usage("config");
        return 2;
    }
    struct show sh = {.provenance = provenance};
    if (cli_config_load(&sh.cfg, config, true) < 0) {
        cli_print_diags(stderr, sh.cfg.tree);
        cli_config_free(&sh.cfg);
        return 2;
    }
    int status = 0;
    const struct cfg_section *sec = host ? cfg_tree_find_section(sh.cfg.tree, host) : NULL;
    if (host && !sec) {
        fprintf(stderr, "strata: no VirtualHost or Component \"%s\" in %s\n", host,
                sh.cfg.tree->main_path);
        status = 2;
    } else {
        for (size_t i = 0; sec && i < sh.cfg.tree->nsections; i++) {
            sh.si = sh.cfg.tree->sections[i] == sec ? i : sh.si;
        }
        if (option) {
            status = show_one(&sh, option);
        } else {
            show_all(&sh);
        }
    }
    cli_config_free(&sh.cfg);
    return status;
}
