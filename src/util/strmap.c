/*
 * String-keyed hash map; see strmap.h. FNV-1a hashing; the table doubles
 * when three quarters full (counting deleted slots) so probes stay short.
 */
#include "util/strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/xalloc.h"

static char tombstone;
#define TOMBSTONE (&tombstone)

static size_t hash_of(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    }
    return (size_t)h;
}

static struct strmap_slot *find(const struct strmap *m, const char *key, size_t h)
{
    if (!m->cap) {
        return NULL;
    }
    for (size_t i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
        struct strmap_slot *s = &m->slots[i];
        if (!s->key) {
            return NULL;
        }
        if (s->key != TOMBSTONE && s->hash == h && strcmp(s->key, key) == 0) {
            return s;
        }
    }
}

static void grow(struct strmap *m)
{
    struct strmap old = *m;
    m->cap = old.cap ? old.cap * 2 : 16;
    if (old.count * 4 < old.cap) {
        m->cap = old.cap; /* mostly tombstones: rehash in place size */
    }
    m->slots = xcalloc(m->cap, sizeof *m->slots);
    m->used = m->count = 0;
    for (size_t i = 0; i < old.cap; i++) {
        struct strmap_slot *s = &old.slots[i];
        if (s->key && s->key != TOMBSTONE) {
            size_t j = s->hash & (m->cap - 1);
            while (m->slots[j].key) {
                j = (j + 1) & (m->cap - 1);
            }
            m->slots[j] = *s;
            m->count++;
            m->used++;
        }
    }
    free(old.slots);
}

void *strmap_get(const struct strmap *m, const char *key)
{
    struct strmap_slot *s = find(m, key, hash_of(key));
    return s ? s->value : NULL;
}

void *strmap_put(struct strmap *m, const char *key, void *value)
{
    size_t h = hash_of(key);
    struct strmap_slot *s = find(m, key, h);
    if (s) {
        void *old = s->value;
        s->value = value;
        return old;
    }
    if ((m->used + 1) * 4 > m->cap * 3) {
        grow(m);
    }
    size_t i = h & (m->cap - 1);
    while (m->slots[i].key && m->slots[i].key != TOMBSTONE) {
        i = (i + 1) & (m->cap - 1);
    }
    if (!m->slots[i].key) {
        m->used++;
    }
    m->slots[i] = (struct strmap_slot){xstrdup(key), value, h};
    m->count++;
    return NULL;
}

void *strmap_remove(struct strmap *m, const char *key)
{
    struct strmap_slot *s = find(m, key, hash_of(key));
    if (!s) {
        return NULL;
    }
    void *old = s->value;
    free(s->key);
    s->key = TOMBSTONE;
    s->value = NULL;
    m->count--;
    return old;
}

void strmap_each(const struct strmap *m, void (*fn)(const char *key, void *value, void *ud),
                 void *ud)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key && m->slots[i].key != TOMBSTONE) {
            fn(m->slots[i].key, m->slots[i].value, ud);
        }
    }
}

void strmap_clear(struct strmap *m)
{
    for (size_t i = 0; i < m->cap; i++) {
        if (m->slots[i].key && m->slots[i].key != TOMBSTONE) {
            free(m->slots[i].key);
        }
    }
    free(m->slots);
    *m = (struct strmap)STRMAP_INIT;
}
