/*
 * `strata check` orchestration: runs each part over a loaded tree.
 */
#include "config/check.h"

#include <stdlib.h>
#include <string.h>

#include "config/schema.h"
#include "util/xalloc.h"

const struct cfg_value *check_value(const struct cfg_check *c, size_t si, const char *name,
                                    struct cfg_value *scratch, const struct cfg_setting **setting)
{
    scratch->kind = CFG_NIL;
    const struct cfg_setting *s = cfg_tree_lookup(c->tree, c->tree->sections[si], name);
    if (setting) {
        *setting = s;
    }
    if (s && s->value.kind != CFG_NIL) {
        return &s->value;
    }
    struct schema_entry e;
    if (!schema_find(name, &e) || schema_default(e.option, scratch) < 0 || scratch->kind == CFG_NIL) {
        cfg_value_clear(scratch);
        return NULL;
    }
    return scratch;
}

bool check_load_failed(const struct cfg_check *c)
{
    static const char *const codes[] = {"lua-syntax", "lua-error", "include-missing",
                                        "file-unreadable", "include-cycle", "include-depth", NULL};
    for (size_t i = 0; i < c->tree->diags.count; i++) {
        for (const char *const *code = codes; *code; code++) {
            if (strcmp(c->tree->diags.items[i].code, *code) == 0) {
                return true;
            }
        }
    }
    return false;
}

static bool same_diag(const struct diag *a, const struct diag *b)
{
    return a->level == b->level && a->line == b->line && strcmp(a->code, b->code) == 0 &&
           strcmp(a->message, b->message) == 0 &&
           (a->file == b->file || (a->file && b->file && strcmp(a->file, b->file) == 0));
}

/* Host sets repeat the global set, and so would its diagnostics. */
static void dedupe(struct diag_list *l)
{
    size_t kept = 0;
    for (size_t i = 0; i < l->count; i++) {
        bool seen = false;
        for (size_t k = 0; k < kept && !seen; k++) {
            seen = same_diag(&l->items[k], &l->items[i]);
        }
        if (seen) {
            free(l->items[i].file);
            free(l->items[i].code);
            free(l->items[i].message);
        } else {
            l->items[kept++] = l->items[i];
        }
    }
    l->count = kept;
}

struct cfg_check *cfg_check_run(struct cfg_tree *tree, bool skip_ports)
{
    struct cfg_check *c = xcalloc(1, sizeof *c);
    c->tree = tree;
    c->skip_ports = skip_ports;
    c->sets = xcalloc(tree->nsections, sizeof *c->sets);
    check_modules(c);
    check_settings(c);
    check_hosts(c);
    check_ports(c);
    check_certificates(c);
    check_security(c);
    check_layout(c);
    dedupe(&tree->diags);
    diag_sort(&tree->diags, (const char *const *)tree->files, tree->nfiles);
    return c;
}

void cfg_check_free(struct cfg_check *c)
{
    if (!c) {
        return;
    }
    for (size_t i = 0; i < c->tree->nsections; i++) {
        free(c->sets[i].items);
    }
    free(c->sets);
    free(c);
}
