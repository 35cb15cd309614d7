/*
 * A hash map from strings to pointers: open addressing with linear probing,
 * keys owned by the map. For the session registry (bare JID -> sessions)
 * and other per-name lookups on the loop.
 */
#ifndef STRATA_UTIL_STRMAP_H
#define STRATA_UTIL_STRMAP_H

#include <stddef.h>

struct strmap_slot {
    char *key; /* NULL: empty; TOMBSTONE: deleted */
    void *value;
    size_t hash;
};

struct strmap {
    struct strmap_slot *slots;
    size_t cap;   /* a power of two, or 0 */
    size_t count; /* live entries */
    size_t used;  /* live + deleted */
};

#define STRMAP_INIT {NULL, 0, 0, 0}

/* The value for `key`, or NULL. */
void *strmap_get(const struct strmap *m, const char *key);

/* Sets `key` (copied) to `value` (borrowed); returns the previous value or NULL. */
void *strmap_put(struct strmap *m, const char *key, void *value);

/* Removes `key`; returns its value or NULL. */
void *strmap_remove(struct strmap *m, const char *key);

/* Calls `fn` for each entry (order unspecified). `fn` must not modify `m`. */
void strmap_each(const struct strmap *m, void (*fn)(const char *key, void *value, void *ud),
                 void *ud);

/* Frees the map's memory (not the values). */
void strmap_clear(struct strmap *m);

#endif
