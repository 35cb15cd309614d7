/*
 * The request functions of the storage API: each checks its arguments
 * against the limits of include/strata/store.h, copies them into a request
 * and submits it (store.c). Archive item ids are made here, on the loop
 * thread, so every driver hands out ids of the same shape.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "store/driver.h"
#include "strata/errors.h"
#include "util/xalloc.h"

/* ---- argument checks ------------------------------------------------------ */

/* SECURITY: every string a peer may influence (users, keys, ids, JIDs) is
 * bounded here, before anything is allocated or queued. */
static int check_str(const char *str, size_t max, bool required)
{
    if (!str) {
        return required ? STRATA_EINVAL : 0;
    }
    size_t len = strnlen(str, max + 1);
    if (required && len == 0) {
        return STRATA_EINVAL;
    }
    return len > max ? STRATA_ELIMIT : 0;
}

static int check_host_user_name(const char *host, const char *user, const char *name)
{
    int rc = check_str(host, STRATA_STORE_HOST_MAX, true);
    if (rc == 0) {
        rc = check_str(user, STRATA_STORE_USER_MAX, false);
    }
    if (rc == 0) {
        rc = check_str(name, STRATA_STORE_NAME_MAX, true);
    }
    return rc;
}

/* The checks every addressed request starts with, in the order a caller
 * would want them reported. */
static int check_request(const struct strata_store *s, const struct strata_store_where *w)
{
    int rc = store__accepting(s);
    if (rc != 0) {
        return rc;
    }
    if (!w) {
        return STRATA_EINVAL;
    }
    return check_host_user_name(w->host, w->user, w->store);
}

static int check_value(const void *value, size_t len)
{
    if (!value && len > 0) {
        return STRATA_EINVAL;
    }
    return len > STRATA_STORE_VALUE_MAX ? STRATA_ELIMIT : 0;
}

static int check_query(const struct strata_archive_query *q)
{
    int rc = check_str(q->with, STRATA_ARCHIVE_WITH_MAX, false);
    if (rc == 0) {
        rc = check_str(q->after, STRATA_ARCHIVE_ID_MAX, false);
    }
    if (rc == 0) {
        rc = check_str(q->before, STRATA_ARCHIVE_ID_MAX, false);
    }
    if (rc == 0 && (q->start < 0 || q->end < 0 || (!q->ids && q->nids > 0))) {
        rc = STRATA_EINVAL;
    }
    if (rc == 0 && q->nids > STRATA_ARCHIVE_IDS_MAX) {
        rc = STRATA_ELIMIT;
    }
    for (size_t i = 0; rc == 0 && i < q->nids; i++) {
        rc = check_str(q->ids[i], STRATA_ARCHIVE_ID_MAX, true);
    }
    return rc;
}

static int check_item(const struct strata_archive_item *item)
{
    if (!item || item->stamp < 0) {
        return STRATA_EINVAL;
    }
    int rc = check_str(item->with, STRATA_ARCHIVE_WITH_MAX, false);
    if (rc == 0 && item->id) {
        rc = check_str(item->id, STRATA_ARCHIVE_ID_MAX, true);
    }
    if (rc == 0) {
        rc = check_value(item->data, item->len);
    }
    return rc;
}

/* ---- copies ------------------------------------------------------------------ */

static void *copy_bytes(const void *data, size_t len)
{
    void *p = xmalloc(len);
    if (len > 0) {
        memcpy(p, data, len);
    }
    return p;
}

static void copy_query(struct store_query *dst, const struct strata_archive_query *q, bool cap)
{
    dst->with = q->with ? xstrdup(q->with) : NULL;
    dst->start = q->start;
    dst->end = q->end;
    dst->after = q->after ? xstrdup(q->after) : NULL;
    dst->before = q->before ? xstrdup(q->before) : NULL;
    dst->has_ids = q->ids != NULL;
    dst->nids = q->nids;
    dst->ids = xcalloc(q->nids + 1, sizeof *dst->ids);
    for (size_t i = 0; i < q->nids; i++) {
        dst->ids[i] = xstrdup(q->ids[i]);
    }
    dst->limit = cap && q->limit > STRATA_ARCHIVE_LIMIT_MAX ? STRATA_ARCHIVE_LIMIT_MAX : q->limit;
    dst->reverse = q->reverse;
    dst->want_total = q->want_total;
}

/* Crockford's base32: no I, L, O or U, and it sorts as the numbers do. */
static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* A new archive id: 10 characters of the item's time in milliseconds, then
 * 16 of 80 random bits (26 in all, like a ULID). Unique without asking the
 * database, unguessable (XEP-0359 §6: ids must not be predictable), and
 * ids of one archive mostly sort as its items do, which keeps the id index
 * append-only. */
static int make_id(int64_t stamp, char **out)
{
    unsigned char rnd[10];
    if (getrandom(rnd, sizeof rnd, 0) != (ssize_t)sizeof rnd) {
        return STRATA_EINTERNAL;
    }
    char *id = xmalloc(27);
    uint64_t ms = (uint64_t)stamp / 1000;
    for (int i = 9; i >= 0; i--) {
        id[i] = b32[ms & 31];
        ms >>= 5;
    }
    for (int i = 0; i < 16; i++) {
        int bit = i * 5;
        unsigned v = (unsigned)rnd[bit / 8] << 8 | (bit / 8 + 1 < 10 ? rnd[bit / 8 + 1] : 0);
        id[10 + i] = b32[(v >> (11 - bit % 8)) & 31];
    }
    id[26] = '\0';
    *out = id;
    return 0;
}

/* ---- keyval ------------------------------------------------------------------- */

int strata_store_keyval_get(struct strata_store *s, const struct strata_store_where *w,
                            strata_store_value_cb *cb, void *data,
                            struct strata_store_request **req)
{
    int rc = check_request(s, w);
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_KEYVAL_GET, w->host, w->user, w->store);
    r->cb.value = cb;
    return store__submit(s, r, data, req);
}

int strata_store_keyval_set(struct strata_store *s, const struct strata_store_where *w,
                            const void *value, size_t len, strata_store_done_cb *cb, void *data,
                            struct strata_store_request **req)
{
    int rc = check_request(s, w);
    if (rc == 0) {
        rc = check_value(value, len);
    }
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_KEYVAL_SET, w->host, w->user, w->store);
    r->value.data = value ? copy_bytes(value, len) : NULL;
    r->value.len = value ? len : 0;
    r->cb.done = cb;
    return store__submit(s, r, data, req);
}

int strata_store_keyval_add(struct strata_store *s, const struct strata_store_where *w,
                            const void *value, size_t len, strata_store_done_cb *cb, void *data,
                            struct strata_store_request **req)
{
    int rc = check_request(s, w);
    if (rc == 0) {
        rc = value ? check_value(value, len) : STRATA_EINVAL;
    }
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_KEYVAL_ADD, w->host, w->user, w->store);
    r->value.data = copy_bytes(value, len);
    r->value.len = len;
    r->cb.done = cb;
    return store__submit(s, r, data, req);
}

/* ---- map ----------------------------------------------------------------------- */

int strata_store_map_get(struct strata_store *s, const struct strata_store_where *w,
                         const char *key, strata_store_value_cb *cb, void *data,
                         struct strata_store_request **req)
{
    int rc = check_request(s, w);
    if (rc == 0) {
        rc = check_str(key, STRATA_STORE_KEY_MAX, true);
    }
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_MAP_GET, w->host, w->user, w->store);
    r->key = xstrdup(key);
    r->cb.value = cb;
    return store__submit(s, r, data, req);
}

int strata_store_map_set(struct strata_store *s, const struct strata_store_where *w,
                         const char *key, const void *value, size_t len, strata_store_done_cb *cb,
                         void *data, struct strata_store_request **req)
{
    int rc = check_request(s, w);
    if (rc == 0) {
        rc = check_str(key, STRATA_STORE_KEY_MAX, true);
    }
    if (rc == 0) {
        rc = check_value(value, len);
    }
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_MAP_SET, w->host, w->user, w->store);
    r->key = xstrdup(key);
    r->value.data = value ? copy_bytes(value, len) : NULL;
    r->value.len = value ? len : 0;
    r->cb.done = cb;
    return store__submit(s, r, data, req);
}

int strata_store_map_delete(struct strata_store *s, const struct strata_store_where *w,
                            const char *key, strata_store_done_cb *cb, void *data,
                            struct strata_store_request **req)
{
    return strata_store_map_set(s, w, key, NULL, 0, cb, data, req);
}

int strata_store_map_keys(struct strata_store *s, const struct strata_store_where *w,
                          strata_store_names_cb *cb, void *data, struct strata_store_request **req)
{
    int rc = check_request(s, w);
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_MAP_KEYS, w->host, w->user, w->store);
    r->cb.names = cb;
    return store__submit(s, r, data, req);
}

/* ---- archive -------------------------------------------------------------------- */

int strata_store_archive_append(struct strata_store *s, const struct strata_store_where *w,
                                const struct strata_archive_item *item, strata_store_id_cb *cb,
                                void *data, struct strata_store_request **req)
{
    char *id = NULL;
    int rc = check_request(s, w);
    if (rc == 0) {
        rc = check_item(item);
    }
    if (rc != 0) {
        return rc;
    }
    int64_t stamp = item->stamp ? item->stamp : strata_store_now();
    if (item->id) {
        id = xstrdup(item->id);
    } else if ((rc = make_id(stamp, &id)) != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_ARCHIVE_APPEND, w->host, w->user, w->store);
    r->item.id = id;
    r->item.stamp = stamp;
    r->item.with = xstrdup(item->with ? item->with : "");
    r->item.flags = item->flags;
    r->item.value.data = copy_bytes(item->data, item->len);
    r->item.value.len = item->len;
    r->cb.id = cb;
    return store__submit(s, r, data, req);
}

int strata_store_archive_query(struct strata_store *s, const struct strata_store_where *w,
                               const struct strata_archive_query *q, strata_store_page_cb *cb,
                               void *data, struct strata_store_request **req)
{
    int rc = check_request(s, w);
    if (rc == 0) {
        rc = q ? check_query(q) : STRATA_EINVAL;
    }
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_ARCHIVE_QUERY, w->host, w->user, w->store);
    copy_query(&r->query, q, true);
    r->cb.page = cb;
    return store__submit(s, r, data, req);
}

int strata_store_archive_delete(struct strata_store *s, const struct strata_store_where *w,
                                const struct strata_archive_query *q, strata_store_count_cb *cb,
                                void *data, struct strata_store_request **req)
{
    static const struct strata_archive_query everything = {.limit = STRATA_ARCHIVE_UNLIMITED};
    int rc = check_request(s, w);
    if (rc == 0) {
        rc = check_query(q ? q : &everything);
    }
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_ARCHIVE_DELETE, w->host, w->user, w->store);
    copy_query(&r->query, q ? q : &everything, false);
    r->query.want_total = false;
    r->cb.count = cb;
    return store__submit(s, r, data, req);
}

int strata_store_archive_delete_id(struct strata_store *s, const struct strata_store_where *w,
                                   const char *id, strata_store_count_cb *cb, void *data,
                                   struct strata_store_request **req)
{
    int rc = check_str(id, STRATA_ARCHIVE_ID_MAX, true);
    if (rc != 0) {
        return rc;
    }
    const struct strata_archive_query q = {.ids = &id, .nids = 1, .limit = 1};
    return strata_store_archive_delete(s, w, &q, cb, data, req);
}

int strata_store_archive_count(struct strata_store *s, const struct strata_store_where *w,
                               strata_store_count_cb *cb, void *data,
                               struct strata_store_request **req)
{
    int rc = check_request(s, w);
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r =
        store__request_new(s, STORE_ARCHIVE_COUNT, w->host, w->user, w->store);
    r->cb.count = cb;
    return store__submit(s, r, data, req);
}

int strata_store_archive_expire(struct strata_store *s, const char *host, const char *store,
                                int64_t older_than, strata_store_count_cb *cb, void *data,
                                struct strata_store_request **req)
{
    const struct strata_store_where w = {host, NULL, store};
    int rc = check_request(s, &w);
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r = store__request_new(s, STORE_ARCHIVE_EXPIRE, host, NULL, store);
    r->older_than = older_than;
    r->cb.count = cb;
    return store__submit(s, r, data, req);
}

/* ---- users ---------------------------------------------------------------------- */

int strata_store_user_list(struct strata_store *s, const char *host, const char *store,
                           strata_store_names_cb *cb, void *data, struct strata_store_request **req)
{
    const struct strata_store_where w = {host, NULL, store};
    int rc = check_request(s, &w);
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r = store__request_new(s, STORE_USER_LIST, host, NULL, store);
    r->cb.names = cb;
    return store__submit(s, r, data, req);
}

int strata_store_user_delete(struct strata_store *s, const char *host, const char *user,
                             strata_store_done_cb *cb, void *data,
                             struct strata_store_request **req)
{
    int rc = store__accepting(s);
    if (rc == 0) {
        rc = check_str(host, STRATA_STORE_HOST_MAX, true);
    }
    if (rc == 0) {
        rc = check_str(user, STRATA_STORE_USER_MAX, true);
    }
    if (rc != 0) {
        return rc;
    }
    struct strata_store_request *r = store__request_new(s, STORE_USER_DELETE, host, user, NULL);
    r->cb.done = cb;
    return store__submit(s, r, data, req);
}
