/*
 * Validators for server-wide options whose shape a type alone cannot state:
 * Prosody's `log` and `storage` forms.
 */
#include <string.h>

#include "config/core_options.h"

static bool is_level(const char *s)
{
    static const char *const levels[] = {"debug", "info", "warn", "error", NULL};
    for (const char *const *l = levels; *l; l++) {
        if (strcmp(*l, s) == 0) {
            return true;
        }
    }
    return false;
}

/* { levels = {...} or { min = "info" }, to = "file"|"console"|"syslog", filename = ... } */
static const char *check_sink(const struct cfg_value *v)
{
    if (v->kind != CFG_TABLE) {
        return "each unnamed entry of log must be a table such as { levels = { \"error\" }, to = \"syslog\" }";
    }
    const struct cfg_value *to = cfg_table_get(v, "to");
    if (to && (to->kind != CFG_STRING ||
               (strcmp(to->u.str.ptr, "file") && strcmp(to->u.str.ptr, "console") &&
                strcmp(to->u.str.ptr, "syslog") && strcmp(to->u.str.ptr, "stdout") &&
                strcmp(to->u.str.ptr, "stderr")))) {
        return "log sink 'to' must be \"file\", \"console\", \"stdout\", \"stderr\" or \"syslog\"";
    }
    if (to && strcmp(to->u.str.ptr, "file") == 0 && !cfg_table_get(v, "filename")) {
        return "a log sink with to = \"file\" needs a filename";
    }
    const struct cfg_value *levels = cfg_table_get(v, "levels");
    if (levels && levels->kind != CFG_TABLE) {
        return "log sink 'levels' must be a list of levels or { min = \"info\" }";
    }
    return NULL;
}

const char *strata_check_log_option(const struct cfg_value *v)
{
    if (v->kind == CFG_STRING) {
        return v->u.str.len ? NULL : "log must not be empty";
    }
    if (v->kind != CFG_TABLE) {
        return "log must be \"*console\", a file name, or a table";
    }
    const struct cfg_table *t = v->u.table;
    for (size_t i = 0; i < t->npairs; i++) {
        if (!is_level(t->pairs[i].key)) {
            return "log table keys must be levels: debug, info, warn, error";
        }
        if (t->pairs[i].value.kind != CFG_STRING) {
            return "each level of log must name a file, \"*console\" or \"*syslog\"";
        }
    }
    for (size_t i = 0; i < t->narray; i++) {
        const char *msg = check_sink(&t->array[i]);
        if (msg) {
            return msg;
        }
    }
    return NULL;
}

const char *strata_check_log_levels_option(const struct cfg_value *v)
{
    for (size_t i = 0; v->kind == CFG_TABLE && i < v->u.table->npairs; i++) {
        const struct cfg_value *l = &v->u.table->pairs[i].value;
        if (l->kind != CFG_STRING || !is_level(l->u.str.ptr)) {
            return "each module's level must be \"debug\", \"info\", \"warn\" or \"error\"";
        }
    }
    return v->kind == CFG_TABLE && v->u.table->narray == 0
               ? NULL
               : "log_levels must be a table such as { c2s = \"debug\" }";
}

static bool is_driver(const struct cfg_value *v)
{
    static const char *const drivers[] = {"sqlite", "postgres", "memory", "sql", "internal",
                                          "xmlarchive", NULL};
    if (v->kind != CFG_STRING) {
        return false;
    }
    for (const char *const *d = drivers; *d; d++) {
        if (strcmp(*d, v->u.str.ptr) == 0) {
            return true;
        }
    }
    return false;
}

const char *strata_check_storage_option(const struct cfg_value *v)
{
    static const char *const msg =
        "storage must be \"sqlite\", \"postgres\", \"memory\" (or Prosody's \"sql\", "
        "\"internal\"), or a table { store = driver }";
    if (v->kind == CFG_STRING) {
        return is_driver(v) ? NULL : msg;
    }
    if (v->kind != CFG_TABLE || v->u.table->narray) {
        return msg;
    }
    for (size_t i = 0; i < v->u.table->npairs; i++) {
        if (!is_driver(&v->u.table->pairs[i].value)) {
            return msg;
        }
    }
    return NULL;
}
