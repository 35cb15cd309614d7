/*
 * The loaded configuration: sections (global, VirtualHost, Component), the
 * settings in each with their history, the files read, and diagnostics.
 *
 * Nothing here knows about Lua or schemas: the loader fills it, the checker
 * reads it.
 */
#ifndef STRATA_CONFIG_TREE_H
#define STRATA_CONFIG_TREE_H

#include "config/diag.h"
#include "strata/config.h"

struct cfg_setting {
    char *key;
    struct cfg_value value; /* value.file/line: where it was set */
    char *note;             /* how env() shaped it, e.g. "STRATA_C2S_PORTS=5222"; may be NULL */
    struct cfg_setting *overridden; /* the earlier setting of this key, same section */
};

enum cfg_section_kind {
    CFG_SECTION_GLOBAL,
    CFG_SECTION_HOST,
    CFG_SECTION_COMPONENT,
};

struct cfg_section {
    char *name; /* "*" for the global section */
    enum cfg_section_kind kind;
    char *component_module; /* COMPONENT: "muc", or "component" for XEP-0114 */
    const char *file;       /* where declared (interned); NULL for global */
    int line;
    int module_line;        /* where the component's module was named */
    struct cfg_setting **settings; /* the latest setting per key, in first-set order */
    size_t nsettings;
    size_t cap;
};

struct cfg_tree {
    char *main_path;
    char *main_dir; /* relative paths in options resolve against it */
    struct cfg_section **sections; /* [0] is the global section */
    size_t nsections;
    size_t sections_cap;
    char **files; /* every file read, in reading order; values point into it */
    size_t nfiles;
    size_t files_cap;
    struct diag_list diags;
};

/* Returns a new, empty tree for the configuration at `main_path` (copied). */
struct cfg_tree *cfg_tree_new(const char *main_path);
void cfg_tree_free(struct cfg_tree *t);

/* Returns the tree's copy of `path`, adding it to `files` the first time. */
const char *cfg_tree_intern_file(struct cfg_tree *t, const char *path);

struct cfg_section *cfg_tree_global(struct cfg_tree *t);

/* Finds a VirtualHost or Component by name; NULL when absent. */
struct cfg_section *cfg_tree_find_section(const struct cfg_tree *t, const char *name);

/* Adds a section; the caller has checked it does not exist. `file` is interned. */
struct cfg_section *cfg_tree_add_section(struct cfg_tree *t, const char *name,
                                         enum cfg_section_kind kind, const char *file, int line);

/* The latest setting of `key` in `s` itself; NULL when never set there. */
struct cfg_setting *cfg_section_find(const struct cfg_section *s, const char *key);

/* Records a setting; takes `value` (and `note`, which may be NULL). The earlier
 * setting of the key, if any, is kept as its `overridden`. */
struct cfg_setting *cfg_section_set(struct cfg_section *s, const char *key,
                                    struct cfg_value *value, char *note);

/* The effective setting for `key` in section `s`: its own, else the global
 * section's. NULL when neither sets it (the schema default applies). */
const struct cfg_setting *cfg_tree_lookup(const struct cfg_tree *t, const struct cfg_section *s,
                                          const char *key);

#endif
