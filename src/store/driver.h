/*
 * The contract between the driver-independent part of storage (store.c)
 * and the drivers (memory.c, sqlite.c).
 *
 * store.c validates and copies each request, counts it in flight and hands
 * it to the driver's `submit` on the loop thread. The driver carries it out,
 * on whatever thread it likes, in submission order, fills in the result
 * fields and passes it to store__complete(), from any thread. store.c then
 * calls the request's callback on the loop thread, in completion order, and
 * frees it. Closing: store.c calls the driver's `close` once; the driver
 * completes everything already submitted, then calls store__driver_closed()
 * (any thread); store.c then calls `free` on the loop thread.
 */
#ifndef STRATA_STORE_DRIVER_H
#define STRATA_STORE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "strata/store.h"

enum store_op {
    STORE_KEYVAL_GET,
    STORE_KEYVAL_SET,
    STORE_KEYVAL_ADD,
    STORE_MAP_GET,
    STORE_MAP_SET,
    STORE_MAP_KEYS,
    STORE_ARCHIVE_APPEND,
    STORE_ARCHIVE_QUERY,
    STORE_ARCHIVE_DELETE,
    STORE_ARCHIVE_COUNT,
    STORE_ARCHIVE_EXPIRE,
    STORE_USER_LIST,
    STORE_USER_DELETE,
};

/* An owned byte string; `data` NULL means "no value" (absent, or delete). */
struct store_blob {
    void *data;
    size_t len;
};

/* An archive item whose strings and data the request owns. */
struct store_item {
    char *id;
    int64_t stamp;
    char *with;
    uint32_t flags;
    struct store_blob value;
};

/* A query as the driver sees it: owned copies, limit already capped. */
struct store_query {
    char *with;
    int64_t start;
    int64_t end;
    char *after;
    char *before;
    char **ids;
    size_t nids;
    bool has_ids; /* an `ids` filter, possibly of zero ids (matches none) */
    size_t limit;
    bool reverse;
    bool want_total;
};

struct strata_store_request {
    struct strata_store_request *next; /* the driver's queue, then the done list */
    struct strata_store *store;
    enum store_op op;
    bool cancelled; /* loop thread only */

    /* Inputs, owned. `user` is "" for host data. */
    char *host;
    char *user;
    char *name;               /* the store name */
    char *key;                /* map key */
    struct store_blob value;  /* keyval set/add, map set: data NULL deletes */
    struct store_item item;   /* archive append (id always set by store.c) */
    struct store_query query; /* archive query/delete */
    int64_t older_than;       /* archive expire */

    /* Results, written by the driver before store__complete(). */
    int status;
    char *errmsg;            /* why it failed, for the log; owned */
    struct store_blob found; /* value gets; data NULL when absent */
    char **names;            /* map keys, user list; owned */
    size_t nnames;
    uint64_t count;           /* archive delete/count/expire */
    struct store_item *items; /* archive query */
    size_t nitems;
    bool complete;
    int64_t total;

    union {
        strata_store_value_cb *value;
        strata_store_done_cb *done;
        strata_store_names_cb *names;
        strata_store_count_cb *count;
        strata_store_id_cb *id;
        strata_store_page_cb *page;
    } cb;
    void *data;
};

struct store_driver {
    const char *name;
    /* Opens the driver's state. Loop thread (blocking allowed: see
     * strata_store_open). Writes a message to err on failure. */
    int (*open)(struct strata_store *s, const struct strata_store_config *cfg, void **state,
                char *err, size_t errlen);
    /* Takes `req` and completes it later through store__complete(). */
    void (*submit)(void *state, struct strata_store_request *req);
    /* Finishes submitted requests, then calls store__driver_closed(). */
    void (*close)(void *state);
    /* Frees the state after store__driver_closed(); loop thread. */
    void (*free)(void *state);
    /* Write transactions so far (stats); loop thread. */
    uint64_t (*transactions)(void *state);
};

extern const struct store_driver store__memory_driver;
extern const struct store_driver store__sqlite_driver;

/* ---- store.c, for requests.c (loop thread) ---- */

/* 0 when a request may be accepted now; STRATA_ECLOSED or STRATA_EAGAIN. */
int store__accepting(const struct strata_store *s);

/* A new request with copies of host, user (NULL: "") and name (may be NULL). */
struct strata_store_request *store__request_new(struct strata_store *s, enum store_op op,
                                                const char *host, const char *user,
                                                const char *name);

/* Counts `req` in flight, gives *out the handle, hands it to the driver.
 * Returns 0. */
int store__submit(struct strata_store *s, struct strata_store_request *req, void *data,
                  struct strata_store_request **out);

/* ---- store.c, for drivers ---- */

/* Hands a finished request back; any thread. The callback runs later on the
 * loop thread, in the order requests were completed. */
void store__complete(struct strata_store *s, struct strata_store_request *req);

/* Tells the store the driver has finished closing with `status` (0 or a
 * STRATA_E*); any thread, once, after its last store__complete(). */
void store__driver_closed(struct strata_store *s, int status);

/* Sets req->status and a formatted message for the log. */
void store__fail(struct strata_store_request *req, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "keyval store 'roster' of alice@example.org" and similar, for messages;
 * returns a new string. */
char *store__describe(const struct strata_store_request *req);

/* The order items are kept in: by stamp, then by order of appending. */
static inline int store__item_cmp(int64_t stamp_a, uint64_t seq_a, int64_t stamp_b, uint64_t seq_b)
{
    if (stamp_a != stamp_b) {
        return stamp_a < stamp_b ? -1 : 1;
    }
    if (seq_a != seq_b) {
        return seq_a < seq_b ? -1 : 1;
    }
    return 0;
}

#endif
