/*
 * The memory storage driver: everything in hash tables, lost at exit.
 *
 * For tests and deliberately ephemeral servers. It runs each request on the
 * loop thread inside submit (memory cannot block) and hands it straight to
 * store__complete(), so the callback still runs later, from the loop, and
 * in submission order: the same contract as the sqlite driver.
 *
 * Layout: three tables keyed by "host\0user\0store\0": keyval values,
 * maps (each a table of key -> value) and archives (each an array of items
 * in (stamp, order of appending) order, plus a table of id -> position key).
 * PERF: deleting a user, listing users and expiring scan the whole table of
 * their kind; fine for the sizes this driver is meant for.
 */
#include <stdlib.h>
#include <string.h>

#include "store/driver.h"
#include "strata/errors.h"
#include "util/xalloc.h"

/* ---- a small chained hash table of byte-string keys ------------------------ */

struct entry {
    struct entry *next;
    uint64_t hash;
    char *key;
    size_t keylen;
    void *value;
};

struct table {
    struct entry **buckets;
    size_t nbuckets; /* a power of two, or 0 before the first insert */
    size_t count;
};

static uint64_t hash_bytes(const char *key, size_t len)
{
    uint64_t h = 14695981039346656037ull; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h = (h ^ (unsigned char)key[i]) * 1099511628211ull;
    }
    return h;
}

static char *copy_key(const char *key, size_t len)
{
    char *k = xmalloc(len);
    memcpy(k, key, len);
    return k;
}

static struct entry **table_slot(struct table *t, const char *key, size_t len, uint64_t h)
{
    struct entry **p = &t->buckets[h & (t->nbuckets - 1)];
    while (*p && !((*p)->hash == h && (*p)->keylen == len && memcmp((*p)->key, key, len) == 0)) {
        p = &(*p)->next;
    }
    return p;
}

static struct entry *table_find(struct table *t, const char *key, size_t len)
{
    if (t->nbuckets == 0) {
        return NULL;
    }
    return *table_slot(t, key, len, hash_bytes(key, len));
}

static void table_grow(struct table *t)
{
    size_t n = t->nbuckets ? t->nbuckets * 2 : 16;
    struct entry **b = xcalloc(n, sizeof *b);
    for (size_t i = 0; i < t->nbuckets; i++) {
        for (struct entry *e = t->buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    }
    free(t->buckets);
    t->buckets = b;
    t->nbuckets = n;
}

/* Finds or adds the entry for `key`; a new entry has value NULL. */
static struct entry *table_put(struct table *t, const char *key, size_t len)
{
    if (t->count >= t->nbuckets) {
        table_grow(t);
    }
    uint64_t h = hash_bytes(key, len);
    struct entry **p = table_slot(t, key, len, h);
    if (!*p) {
        struct entry *e = xcalloc(1, sizeof *e);
        e->hash = h;
        e->key = copy_key(key, len);
        e->keylen = len;
        *p = e;
        t->count++;
    }
    return *p;
}

/* Unlinks and frees the entry for `key`; returns its value (or NULL). */
static void *table_take(struct table *t, const char *key, size_t len)
{
    if (t->nbuckets == 0) {
        return NULL;
    }
    struct entry **p = table_slot(t, key, len, hash_bytes(key, len));
    struct entry *e = *p;
    if (!e) {
        return NULL;
    }
    void *value = e->value;
    *p = e->next;
    free(e->key);
    free(e);
    t->count--;
    return value;
}

/* Calls `fn` for each entry; an entry whose value `fn` sets to NULL is
 * removed (fn frees what it held). */
static void table_sweep(struct table *t, void (*fn)(struct entry *e, void *arg), void *arg)
{
    for (size_t i = 0; i < t->nbuckets; i++) {
        struct entry **p = &t->buckets[i];
        while (*p) {
            struct entry *e = *p;
            fn(e, arg);
            if (e->value) {
                p = &e->next;
                continue;
            }
            *p = e->next;
            free(e->key);
            free(e);
            t->count--;
        }
    }
}

static void table_free(struct table *t, void (*free_value)(void *))
{
    for (size_t i = 0; i < t->nbuckets; i++) {
        for (struct entry *e = t->buckets[i], *next; e; e = next) {
            next = e->next;
            free_value(e->value);
            free(e->key);
            free(e);
        }
    }
    free(t->buckets);
    *t = (struct table){0};
}

/* ---- driver state ------------------------------------------------------------ */

struct mem_item {
    char *id;
    int64_t stamp;
    uint64_t seq; /* order of appending, to break ties between equal stamps */
    char *with;
    uint32_t flags;
    struct store_blob value;
};

/* Where an item sits in the order; the value of an archive's id table. */
struct mem_pos {
    int64_t stamp;
    uint64_t seq;
};

struct mem_archive {
    struct mem_item *items; /* sorted by (stamp, seq) */
    size_t n;
    size_t cap;
    struct table ids; /* id (with its NUL) -> struct mem_pos */
};

struct mem {
    struct strata_store *store;
    struct table keyval;   /* -> struct store_blob */
    struct table maps;     /* -> struct table of key (with its NUL) -> struct store_blob */
    struct table archives; /* -> struct mem_archive */
    uint64_t seq;
    uint64_t writes;
};

/* "host\0user\0store\0": every part stays a C string inside the key. */
struct key {
    char buf[STRATA_STORE_HOST_MAX + STRATA_STORE_USER_MAX + STRATA_STORE_NAME_MAX + 3];
    size_t len;
};

static void key_add(struct key *k, const char *part)
{
    size_t n = strlen(part) + 1;
    memcpy(k->buf + k->len, part, n);
    k->len += n;
}

static void make_key(struct key *k, const char *host, const char *user, const char *name)
{
    k->len = 0;
    key_add(k, host);
    key_add(k, user);
    if (name) {
        key_add(k, name);
    }
}

static void key_parts(const struct entry *e, const char **host, const char **user,
                      const char **name)
{
    *host = e->key;
    *user = *host + strlen(*host) + 1;
    *name = *user + strlen(*user) + 1;
}

static void free_blob(void *p)
{
    struct store_blob *b = p;
    if (b) {
        free(b->data);
        free(b);
    }
}

/* Moves the request's value into a new heap blob. */
static struct store_blob *take_value(struct store_blob *v)
{
    struct store_blob *b = xmalloc(sizeof *b);
    *b = *v;
    v->data = NULL;
    v->len = 0;
    return b;
}

static void copy_found(struct strata_store_request *req, const struct store_blob *b)
{
    req->found.data = xmalloc(b->len);
    memcpy(req->found.data, b->data, b->len);
    req->found.len = b->len;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* qsort must not be given NULL, even for nothing to sort. */
static void sort_names(struct strata_store_request *req)
{
    if (req->nnames > 1) {
        qsort(req->names, req->nnames, sizeof *req->names, cmp_names);
    }
}

static void add_name(struct strata_store_request *req, size_t *cap, const char *name)
{
    req->names = xgrow(req->names, cap, req->nnames + 1, sizeof *req->names);
    req->names[req->nnames++] = xstrdup(name);
}

/* ---- keyval and map ------------------------------------------------------------ */

static void keyval_get(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    struct entry *e = table_find(&m->keyval, k->buf, k->len);
    if (e) {
        copy_found(req, e->value);
    }
}

static void keyval_set(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    if (!req->value.data) {
        free_blob(table_take(&m->keyval, k->buf, k->len));
        return;
    }
    struct entry *e = table_put(&m->keyval, k->buf, k->len);
    free_blob(e->value);
    e->value = take_value(&req->value);
}

static void keyval_add(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    struct entry *e = table_put(&m->keyval, k->buf, k->len);
    if (e->value) {
        store__fail(req, STRATA_EEXIST, "%s already has a value", req->name);
        return;
    }
    e->value = take_value(&req->value);
}

static void free_map(void *p)
{
    struct table *t = p;
    if (t) {
        table_free(t, free_blob);
        free(t);
    }
}

static void map_get(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    struct entry *e = table_find(&m->maps, k->buf, k->len);
    struct entry *v = e ? table_find(e->value, req->key, strlen(req->key) + 1) : NULL;
    if (v) {
        copy_found(req, v->value);
    }
}

static void map_set(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    size_t klen = strlen(req->key) + 1;
    if (!req->value.data) {
        struct entry *e = table_find(&m->maps, k->buf, k->len);
        if (e) {
            free_blob(table_take(e->value, req->key, klen));
        }
        if (e && ((struct table *)e->value)->count == 0) {
            free_map(table_take(&m->maps, k->buf, k->len));
        }
        return;
    }
    struct entry *e = table_put(&m->maps, k->buf, k->len);
    if (!e->value) {
        e->value = xcalloc(1, sizeof(struct table));
    }
    struct entry *v = table_put(e->value, req->key, klen);
    free_blob(v->value);
    v->value = take_value(&req->value);
}

static void map_keys(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    struct entry *e = table_find(&m->maps, k->buf, k->len);
    struct table *t = e ? e->value : NULL;
    size_t cap = 0;
    for (size_t i = 0; t && i < t->nbuckets; i++) {
        for (struct entry *v = t->buckets[i]; v; v = v->next) {
            add_name(req, &cap, v->key);
        }
    }
    sort_names(req);
}

/* ---- users ----------------------------------------------------------------------- */

static void list_user(struct entry *e, void *arg)
{
    struct strata_store_request *req = ((void **)arg)[0];
    size_t *cap = ((void **)arg)[1];
    const char *host, *user, *name;
    key_parts(e, &host, &user, &name);
    if (user[0] && strcmp(host, req->host) == 0 && strcmp(name, req->name) == 0) {
        add_name(req, cap, user);
    }
}

static void user_list(struct mem *m, struct strata_store_request *req)
{
    size_t cap = 0;
    void *arg[2] = {req, &cap};
    table_sweep(&m->keyval, list_user, arg);
    sort_names(req);
}

struct user_sweep {
    const struct key *prefix;
    void (*free_value)(void *);
};

static void drop_user_entry(struct entry *e, void *arg)
{
    const struct user_sweep *us = arg;
    if (e->keylen > us->prefix->len && memcmp(e->key, us->prefix->buf, us->prefix->len) == 0) {
        us->free_value(e->value);
        e->value = NULL;
    }
}

static void free_archive(void *p);

static void user_delete(struct mem *m, struct strata_store_request *req)
{
    struct key prefix;
    make_key(&prefix, req->host, req->user, NULL);
    table_sweep(&m->keyval, drop_user_entry, &(struct user_sweep){&prefix, free_blob});
    table_sweep(&m->maps, drop_user_entry, &(struct user_sweep){&prefix, free_map});
    table_sweep(&m->archives, drop_user_entry, &(struct user_sweep){&prefix, free_archive});
}

/* ---- archives ------------------------------------------------------------------- */

static void free_mem_item(struct mem_item *it)
{
    free(it->id);
    free(it->with);
    free(it->value.data);
}

static void free_archive(void *p)
{
    struct mem_archive *a = p;
    if (!a) {
        return;
    }
    for (size_t i = 0; i < a->n; i++) {
        free_mem_item(&a->items[i]);
    }
    free(a->items);
    table_free(&a->ids, free);
    free(a);
}

/* Index of the first item not before (stamp, seq). */
static size_t lower_bound(const struct mem_archive *a, int64_t stamp, uint64_t seq)
{
    size_t lo = 0, hi = a->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (store__item_cmp(a->items[mid].stamp, a->items[mid].seq, stamp, seq) < 0) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    return lo;
}

static void archive_append(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    struct entry *e = table_find(&m->archives, k->buf, k->len);
    size_t idlen = strlen(req->item.id) + 1;
    if (e && table_find(&((struct mem_archive *)e->value)->ids, req->item.id, idlen)) {
        store__fail(req, STRATA_EEXIST, "id %s is already in the archive", req->item.id);
        return;
    }
    e = table_put(&m->archives, k->buf, k->len);
    if (!e->value) {
        e->value = xcalloc(1, sizeof(struct mem_archive));
    }
    struct mem_archive *a = e->value;
    struct mem_item it = {xstrdup(req->item.id),   req->item.stamp, ++m->seq,
                          xstrdup(req->item.with), req->item.flags, req->item.value};
    req->item.value = (struct store_blob){0};
    size_t at = lower_bound(a, it.stamp, it.seq);
    a->items = xgrow(a->items, &a->cap, a->n + 1, sizeof *a->items);
    memmove(&a->items[at + 1], &a->items[at], (a->n - at) * sizeof *a->items);
    a->items[at] = it;
    a->n++;
    struct mem_pos *pos = xmalloc(sizeof *pos);
    *pos = (struct mem_pos){it.stamp, it.seq};
    table_put(&a->ids, it.id, idlen)->value = pos;
}

/* A query made ready to test items against: pivots resolved, ids sorted. */
struct filter {
    const struct store_query *q;
    const struct mem_pos *after;
    const struct mem_pos *before;
    char **ids; /* sorted copy of the pointers */
};

static int filter_init(struct filter *f, const struct mem_archive *a, const struct store_query *q)
{
    *f = (struct filter){.q = q};
    const struct table *ids = a ? &a->ids : &(struct table){0};
    struct entry *e;
    if (q->after) {
        if (!(e = table_find((struct table *)ids, q->after, strlen(q->after) + 1))) {
            return STRATA_ENOENT;
        }
        f->after = e->value;
    }
    if (q->before) {
        if (!(e = table_find((struct table *)ids, q->before, strlen(q->before) + 1))) {
            return STRATA_ENOENT;
        }
        f->before = e->value;
    }
    f->ids = xcalloc(q->nids + 1, sizeof *f->ids);
    memcpy(f->ids, q->ids, q->nids * sizeof *f->ids);
    qsort(f->ids, q->nids, sizeof *f->ids, cmp_names);
    return 0;
}

/* Whether `it` matches with/start/end/ids, and with `paging` also
 * after/before. */
static bool filter_match(const struct filter *f, const struct mem_item *it, bool paging)
{
    const struct store_query *q = f->q;
    if ((q->with && strcmp(q->with, it->with) != 0) || (q->start && it->stamp < q->start) ||
        (q->end && it->stamp > q->end)) {
        return false;
    }
    if (q->has_ids && !bsearch(&it->id, f->ids, q->nids, sizeof *f->ids, cmp_names)) {
        return false;
    }
    if (paging && f->after &&
        store__item_cmp(it->stamp, it->seq, f->after->stamp, f->after->seq) <= 0) {
        return false;
    }
    if (paging && f->before &&
        store__item_cmp(it->stamp, it->seq, f->before->stamp, f->before->seq) >= 0) {
        return false;
    }
    return true;
}

/* Calls `take` for the matching items in walking order, `limit` at most
 * and stopping early when `take` returns false; returns whether no
 * matching item was left untaken. */
static bool walk(const struct mem_archive *a, const struct filter *f, size_t limit,
                 bool (*take)(size_t i, void *arg), void *arg)
{
    size_t taken = 0;
    for (size_t k = 0; a && k < a->n; k++) {
        size_t i = f->q->reverse ? a->n - 1 - k : k;
        if (!filter_match(f, &a->items[i], true)) {
            continue;
        }
        if (taken == limit || !take(i, arg)) {
            return false;
        }
        taken++;
    }
    return true;
}

struct page_state {
    struct strata_store_request *req;
    const struct mem_archive *a;
    size_t cap;
    size_t bytes;
};

static bool take_into_page(size_t i, void *arg)
{
    struct page_state *ps = arg;
    const struct mem_item *it = &ps->a->items[i];
    struct strata_store_request *req = ps->req;
    if (ps->bytes >= STRATA_ARCHIVE_PAGE_BYTES_MAX) {
        return false;
    }
    req->items = xgrow(req->items, &ps->cap, req->nitems + 1, sizeof *req->items);
    struct store_item *out = &req->items[req->nitems++];
    out->id = xstrdup(it->id);
    out->stamp = it->stamp;
    out->with = xstrdup(it->with);
    out->flags = it->flags;
    out->value.data = xmalloc(it->value.len);
    memcpy(out->value.data, it->value.data, it->value.len);
    out->value.len = it->value.len;
    ps->bytes += it->value.len;
    return true;
}

static int64_t count_matching(const struct mem_archive *a, const struct filter *f)
{
    int64_t n = 0;
    for (size_t i = 0; a && i < a->n; i++) {
        n += filter_match(f, &a->items[i], false);
    }
    return n;
}

static void archive_query(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    struct entry *e = table_find(&m->archives, k->buf, k->len);
    struct mem_archive *a = e ? e->value : NULL;
    struct filter f;
    int rc = filter_init(&f, a, &req->query);
    if (rc != 0) {
        store__fail(req, rc, "no item with that id");
        goto done;
    }
    struct page_state ps = {req, a, 0, 0};
    req->complete = walk(a, &f, req->query.limit, take_into_page, &ps);
    if (req->query.want_total) {
        req->total = count_matching(a, &f);
    }
done:
    free(f.ids);
}

/* Frees the items marked in `doomed` and closes the gaps. */
static uint64_t remove_marked(struct mem_archive *a, const bool *doomed)
{
    size_t kept = 0;
    for (size_t i = 0; i < a->n; i++) {
        if (!doomed[i]) {
            a->items[kept++] = a->items[i];
            continue;
        }
        free(table_take(&a->ids, a->items[i].id, strlen(a->items[i].id) + 1));
        free_mem_item(&a->items[i]);
    }
    uint64_t removed = a->n - kept;
    a->n = kept;
    return removed;
}

static bool mark(size_t i, void *arg)
{
    ((bool *)arg)[i] = true;
    return true;
}

/* Removes the archive's entry once its last item is gone. */
static void drop_if_empty(struct mem *m, const struct key *k)
{
    struct entry *e = table_find(&m->archives, k->buf, k->len);
    if (e && ((struct mem_archive *)e->value)->n == 0) {
        free_archive(table_take(&m->archives, k->buf, k->len));
    }
}

static void archive_delete(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    struct entry *e = table_find(&m->archives, k->buf, k->len);
    struct mem_archive *a = e ? e->value : NULL;
    struct filter f;
    bool *doomed = NULL;
    int rc = filter_init(&f, a, &req->query);
    if (rc != 0) {
        store__fail(req, rc, "no item with that id");
        goto done;
    }
    if (a) {
        doomed = xcalloc(a->n, sizeof *doomed);
        walk(a, &f, req->query.limit, mark, doomed);
        req->count = remove_marked(a, doomed);
        drop_if_empty(m, k);
    }
done:
    free(doomed);
    free(f.ids);
}

static void archive_count(struct mem *m, struct strata_store_request *req, const struct key *k)
{
    struct entry *e = table_find(&m->archives, k->buf, k->len);
    req->count = e ? ((struct mem_archive *)e->value)->n : 0;
}

static void expire_entry(struct entry *e, void *arg)
{
    struct strata_store_request *req = arg;
    const char *host, *user, *name;
    key_parts(e, &host, &user, &name);
    if (strcmp(host, req->host) != 0 || strcmp(name, req->name) != 0) {
        return;
    }
    struct mem_archive *a = e->value;
    bool *doomed = xcalloc(a->n, sizeof *doomed);
    for (size_t i = 0; i < a->n && a->items[i].stamp < req->older_than; i++) {
        doomed[i] = true;
    }
    req->count += remove_marked(a, doomed);
    free(doomed);
    if (a->n == 0) {
        free_archive(a);
        e->value = NULL;
    }
}

static void archive_expire(struct mem *m, struct strata_store_request *req)
{
    table_sweep(&m->archives, expire_entry, req);
}

/* ---- the driver ------------------------------------------------------------------- */

static bool is_write(enum store_op op)
{
    return op == STORE_KEYVAL_SET || op == STORE_KEYVAL_ADD || op == STORE_MAP_SET ||
           op == STORE_ARCHIVE_APPEND || op == STORE_ARCHIVE_DELETE || op == STORE_ARCHIVE_EXPIRE ||
           op == STORE_USER_DELETE;
}

static void run(struct mem *m, struct strata_store_request *req)
{
    struct key k;
    make_key(&k, req->host, req->user, req->name);
    switch (req->op) {
    case STORE_KEYVAL_GET:
        keyval_get(m, req, &k);
        break;
    case STORE_KEYVAL_SET:
        keyval_set(m, req, &k);
        break;
    case STORE_KEYVAL_ADD:
        keyval_add(m, req, &k);
        break;
    case STORE_MAP_GET:
        map_get(m, req, &k);
        break;
    case STORE_MAP_SET:
        map_set(m, req, &k);
        break;
    case STORE_MAP_KEYS:
        map_keys(m, req, &k);
        break;
    case STORE_ARCHIVE_APPEND:
        archive_append(m, req, &k);
        break;
    case STORE_ARCHIVE_QUERY:
        archive_query(m, req, &k);
        break;
    case STORE_ARCHIVE_DELETE:
        archive_delete(m, req, &k);
        break;
    case STORE_ARCHIVE_COUNT:
        archive_count(m, req, &k);
        break;
    case STORE_ARCHIVE_EXPIRE:
        archive_expire(m, req);
        break;
    case STORE_USER_LIST:
        user_list(m, req);
        break;
    case STORE_USER_DELETE:
        user_delete(m, req);
        break;
    }
}

static int mem_open(struct strata_store *s, const struct strata_store_config *cfg, void **state,
                    char *err, size_t errlen)
{
    struct mem *m = xcalloc(1, sizeof *m);
    m->store = s;
    *state = m;
    return 0;
}

static void mem_submit(void *state, struct strata_store_request *req)
{
    struct mem *m = state;
    run(m, req);
    if (req->status == 0 && is_write(req->op)) {
        m->writes++;
    }
    store__complete(m->store, req);
}

static void mem_close(void *state)
{
    struct mem *m = state;
    store__driver_closed(m->store, 0);
}

static void mem_free(void *state)
{
    struct mem *m = state;
    table_free(&m->keyval, free_blob);
    table_free(&m->maps, free_map);
    table_free(&m->archives, free_archive);
    free(m);
}

static uint64_t mem_transactions(void *state)
{
    return ((struct mem *)state)->writes;
}

const struct store_driver store__memory_driver = {
    .name = "memory",
    .open = mem_open,
    .submit = mem_submit,
    .close = mem_close,
    .free = mem_free,
    .transactions = mem_transactions,
};
