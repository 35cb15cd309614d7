/*
 * Configuration values as modules see them.
 *
 * The Lua configuration is converted, at the moment each option is set, into
 * this plain tree: no Lua state survives loading. Every value remembers the
 * file and line that produced it, so diagnostics and `strata config show
 * --provenance` can name them.
 */
#ifndef STRATA_CONFIG_H
#define STRATA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

enum cfg_kind {
    CFG_NIL,
    CFG_BOOL,
    CFG_NUMBER,
    CFG_STRING,
    CFG_TABLE,
};

struct cfg_table;

struct cfg_value {
    enum cfg_kind kind;
    bool is_integer; /* CFG_NUMBER written without a fraction */
    union {
        bool b;
        double n;
        struct {
            char *ptr; /* NUL-terminated; may contain NULs before len */
            size_t len;
        } str;
        struct cfg_table *table;
    } u;
    const char *file; /* interned path that produced the value; NULL for defaults */
    int line;
};

struct cfg_pair {
    char *key;
    struct cfg_value value;
};

/* A Lua table split in its array part (1..n, in order) and its keyed part
 * (string keys, in the order they were first seen). Other keys are refused
 * when converting. */
struct cfg_table {
    size_t narray;
    struct cfg_value *array;
    size_t npairs;
    struct cfg_pair *pairs;
};

/* Looks up a string key in a table value; NULL when absent or `v` is not a
 * table. Borrows both. */
const struct cfg_value *cfg_table_get(const struct cfg_value *v, const char *key);

/* True for a table with no keyed part (a Lua list, possibly empty). */
bool cfg_is_list(const struct cfg_value *v);

/* Deep copy; the copy is owned by the caller and freed with cfg_value_clear. */
void cfg_value_copy(struct cfg_value *dst, const struct cfg_value *src);

/* Frees what `v` owns and sets it to CFG_NIL. */
void cfg_value_clear(struct cfg_value *v);

/* Appends a Lua-literal rendering of `v` ("{ 5222, 5269 }", "\"1w\"") to a
 * new malloc'd string the caller frees. */
char *cfg_value_to_lua(const struct cfg_value *v);

#endif
