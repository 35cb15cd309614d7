/*
 * The process-wide table of atoms: interned names and namespaces, so that
 * comparing two of them is comparing two pointers (see strata/stanza.h).
 *
 * The table never grows and is never filled by peers: it holds the names of
 * STRATA_ATOM_LIST and those modules intern at load. The parser only looks
 * names up; a name nobody interned goes into the stanza's arena. That keeps
 * a hostile peer from growing process memory with made-up element names.
 *
 * Lookups are lock-free (slots are published with a release store and read
 * with an acquire load), so parsers on worker threads need no lock; inserts
 * take a mutex. Open addressing, linear probing, at most half full.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "strata/stanza.h"

#define SLOTS 4096 /* power of two */
#define MAX_ATOMS (SLOTS / 2)
#define POOL_BYTES (64 * 1024)
#define MAX_ATOM_LEN 255

const struct strata_atom_table strata_atoms = {
#define INIT(field, str) .field = str,
    STRATA_ATOM_LIST(INIT)
#undef INIT
};

struct slot {
    _Atomic(const char *) str; /* published last */
    uint32_t hash;
    uint32_t len;
};

static struct slot table[SLOTS];
static size_t natoms;
static char pool[POOL_BYTES]; /* atoms interned after start-up */
static size_t pool_used;
static pthread_mutex_t insert_lock = PTHREAD_MUTEX_INITIALIZER;

/* Eight bytes at a time with a multiply-rotate mix: the parser hashes
 * every element and attribute name and namespace, ~150 bytes per chat
 * message, so a byte-at-a-time hash would show. Peers cannot insert, only
 * look up, and a lookup never walks further than the longest run of
 * occupied slots our own atoms make, so there is nothing to flood. */
static uint32_t hash_of(const char *s, size_t len)
{
    const uint64_t k = 0x9E3779B97F4A7C15ull;
    uint64_t h = len * k;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = ((h ^ w) * k);
        h = (h << 29) | (h >> 35);
        s += 8;
        len -= 8;
    }
    uint64_t w = 0;
    for (size_t i = 0; i < len; i++) {
        w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    }
    h = (h ^ w) * k;
    h ^= h >> 32;
    h *= k;
    return (uint32_t)(h >> 32);
}

static const char *find_slot(const char *s, size_t len, uint32_t hash, size_t *free_slot)
{
    for (size_t i = hash & (SLOTS - 1);; i = (i + 1) & (SLOTS - 1)) {
        const char *str = atomic_load_explicit(&table[i].str, memory_order_acquire);
        if (!str) {
            *free_slot = i;
            return NULL;
        }
        if (table[i].hash == hash && table[i].len == len && memcmp(str, s, len) == 0) {
            return str;
        }
    }
}

/* Caller holds insert_lock (or runs before main). */
static void publish(size_t i, const char *str, size_t len, uint32_t hash)
{
    table[i].hash = hash;
    table[i].len = (uint32_t)len;
    atomic_store_explicit(&table[i].str, str, memory_order_release);
    natoms++;
}

__attribute__((constructor)) static void intern_builtin(void)
{
    const char *p = (const char *)&strata_atoms;
    const char *end = p + sizeof(strata_atoms);
    /* The table's fields are NUL-terminated strings laid end to end. */
    while (p < end) {
        size_t len = strlen(p);
        uint32_t hash = hash_of(p, len);
        size_t i;
        if (!find_slot(p, len, hash, &i)) {
            publish(i, p, len, hash);
        }
        p += len + 1;
    }
}

const char *strata_atom_find(const char *s, size_t len)
{
    size_t unused;
    if (len > MAX_ATOM_LEN) {
        return NULL;
    }
    return find_slot(s, len, hash_of(s, len), &unused);
}

const char *strata_atom(const char *s)
{
    size_t len = strlen(s);
    if (len > MAX_ATOM_LEN) {
        return NULL;
    }
    uint32_t hash = hash_of(s, len);
    pthread_mutex_lock(&insert_lock);
    size_t i;
    const char *atom = find_slot(s, len, hash, &i);
    if (!atom && natoms < MAX_ATOMS && pool_used + len + 1 <= POOL_BYTES) {
        char *copy = pool + pool_used;
        memcpy(copy, s, len + 1);
        pool_used += len + 1;
        publish(i, copy, len, hash);
        atom = copy;
    }
    pthread_mutex_unlock(&insert_lock);
    return atom;
}

bool strata_atom_is(const char *p)
{
    const char *builtin = (const char *)&strata_atoms;
    /* Unsigned distance: one comparison per range. */
    return (uintptr_t)p - (uintptr_t)builtin < sizeof(strata_atoms) ||
           (uintptr_t)p - (uintptr_t)pool < POOL_BYTES;
}

bool strata_name_eq(const char *a, const char *b)
{
    if (a == b) {
        return true;
    }
    if (strata_atom_is(a) && strata_atom_is(b)) {
        return false; /* two different atoms are two different strings */
    }
    return strcmp(a, b) == 0;
}
