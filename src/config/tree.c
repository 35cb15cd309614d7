/*
 * The loaded configuration tree; see tree.h.
 *
 * PERF: settings are found by a linear scan. A configuration has a few
 * hundred options and is read once at start and on reload; a hash table
 * would cost more code than it saves time.
 */
#include "config/tree.h"

#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        return xstrdup(".");
    }
    if (slash == path) {
        return xstrdup("/");
    }
    return xstrndup(path, (size_t)(slash - path));
}

struct cfg_tree *cfg_tree_new(const char *main_path)
{
    struct cfg_tree *t = xcalloc(1, sizeof *t);
    t->main_path = xstrdup(main_path);
    t->main_dir = dir_of(main_path);
    cfg_tree_add_section(t, "*", CFG_SECTION_GLOBAL, NULL, 0);
    return t;
}

static void free_setting(struct cfg_setting *s)
{
    while (s) {
        struct cfg_setting *older = s->overridden;
        free(s->key);
        free(s->note);
        cfg_value_clear(&s->value);
        free(s);
        s = older;
    }
}

static void free_section(struct cfg_section *s)
{
    for (size_t i = 0; i < s->nsettings; i++) {
        free_setting(s->settings[i]);
    }
    free(s->settings);
    free(s->name);
    free(s->component_module);
    free(s);
}

void cfg_tree_free(struct cfg_tree *t)
{
    if (!t) {
        return;
    }
    for (size_t i = 0; i < t->nsections; i++) {
        free_section(t->sections[i]);
    }
    for (size_t i = 0; i < t->nfiles; i++) {
        free(t->files[i]);
    }
    free(t->sections);
    free(t->files);
    free(t->main_path);
    free(t->main_dir);
    diag_list_free(&t->diags);
    free(t);
}

const char *cfg_tree_intern_file(struct cfg_tree *t, const char *path)
{
    for (size_t i = 0; i < t->nfiles; i++) {
        if (strcmp(t->files[i], path) == 0) {
            return t->files[i];
        }
    }
    t->files = xgrow(t->files, &t->files_cap, t->nfiles + 1, sizeof *t->files);
    t->files[t->nfiles] = xstrdup(path);
    return t->files[t->nfiles++];
}

struct cfg_section *cfg_tree_global(struct cfg_tree *t)
{
    return t->sections[0];
}

struct cfg_section *cfg_tree_find_section(const struct cfg_tree *t, const char *name)
{
    for (size_t i = 1; i < t->nsections; i++) {
        if (strcmp(t->sections[i]->name, name) == 0) {
            return t->sections[i];
        }
    }
    return NULL;
}

struct cfg_section *cfg_tree_add_section(struct cfg_tree *t, const char *name,
                                         enum cfg_section_kind kind, const char *file, int line)
{
    struct cfg_section *s = xcalloc(1, sizeof *s);
    s->name = xstrdup(name);
    s->kind = kind;
    s->file = file;
    s->line = line;
    t->sections = xgrow(t->sections, &t->sections_cap, t->nsections + 1, sizeof *t->sections);
    t->sections[t->nsections++] = s;
    return s;
}

struct cfg_setting *cfg_section_find(const struct cfg_section *s, const char *key)
{
    for (size_t i = 0; i < s->nsettings; i++) {
        if (strcmp(s->settings[i]->key, key) == 0) {
            return s->settings[i];
        }
    }
    return NULL;
}

struct cfg_setting *cfg_section_set(struct cfg_section *s, const char *key,
                                    struct cfg_value *value, char *note)
{
    struct cfg_setting *n = xcalloc(1, sizeof *n);
    n->key = xstrdup(key);
    n->value = *value;
    value->kind = CFG_NIL;
    n->note = note;
    for (size_t i = 0; i < s->nsettings; i++) {
        if (strcmp(s->settings[i]->key, key) == 0) {
            n->overridden = s->settings[i];
            s->settings[i] = n;
            return n;
        }
    }
    s->settings = xgrow(s->settings, &s->cap, s->nsettings + 1, sizeof *s->settings);
    s->settings[s->nsettings++] = n;
    return n;
}

const struct cfg_setting *cfg_tree_lookup(const struct cfg_tree *t, const struct cfg_section *s,
                                          const char *key)
{
    const struct cfg_setting *found = s ? cfg_section_find(s, key) : NULL;
    if (!found && s != t->sections[0]) {
        found = cfg_section_find(t->sections[0], key);
    }
    return found;
}
