/*
 * Storage: the API modules use to keep data, as Prosody's storage API.
 *
 * Three kinds of store, each addressed by (host, user, store name):
 *   keyval   one value per user and store ("roster", "vcard", "accounts")
 *   map      one value per user, store and key ("pep", MUC affiliations)
 *   archive  time-ordered items per user and store ("archive" for MAM,
 *            "offline"), queried XEP-0313 style and paged XEP-0059 style
 * Values are opaque blobs: the caller serialises (XML, JSON) and parses.
 * A store name is its own namespace per kind: the keyval store "roster"
 * and a map store "roster" are unrelated.
 *
 * Drivers: "sqlite" (the embedded default) and "memory" (tests, ephemeral
 * servers). Both behave the same in everything below; tests/unit/store
 * runs one table of tests against each.
 *
 * Asynchrony. Every request function only queues the request and returns:
 * 0 when the request was accepted, in which case its callback runs exactly
 * once, later, on the loop thread (never inside the call, never on another
 * thread) unless cancelled; or a negative STRATA_E* when it was refused
 * (bad arguments, a limit, the store closing), in which case the callback
 * never runs. Requests on one store take effect and are called back in the
 * order they were submitted, and each sees the effects of every earlier
 * request; so a write followed by a read of the same user returns what was
 * written, whichever driver runs underneath.
 *
 * Results given to callbacks are borrowed: valid only while the callback
 * runs. Copy what must outlive it. When the status is not 0 the result is
 * empty: NULL pointers, zero counts.
 *
 * Cancellation. A request function can hand back a request handle. If the
 * requester goes away first (the session closed), it calls
 * strata_store_request_cancel(): the callback will not run, so its user data
 * may be freed at once. The request itself may still take effect: a cancelled
 * write may be committed or not.
 *
 * Durability. A write's callback reports success only once the data is
 * committed (sqlite: the transaction's WAL frames were written to the WAL
 * file). See the sqlite driver's header for what survives what.
 *
 * The store keeps the loop alive (a referenced handle) only while requests
 * are in flight or a close is under way.
 */
#ifndef STRATA_STORE_H
#define STRATA_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

/* ---- limits (checked before anything is queued: STRATA_ELIMIT) ---------- */

/* RFC 7622 §3.2 and §3.3: a domainpart or a localpart is at most 1023 bytes. */
#define STRATA_STORE_HOST_MAX 1023
#define STRATA_STORE_USER_MAX 1023
/* Store names come from modules, not from peers. */
#define STRATA_STORE_NAME_MAX 64
/* A map key may be a full JID (3 x 1023 + 2 separators). */
#define STRATA_STORE_KEY_MAX 3071
/* One value. TODO: make it an option; a big roster is one keyval value. */
#define STRATA_STORE_VALUE_MAX (8u * 1024 * 1024)
/* An archive item id given by the caller (imports keep their ids). */
#define STRATA_ARCHIVE_ID_MAX 128
/* The `with` of an archive item, a bare JID (a full JID is accepted). */
#define STRATA_ARCHIVE_WITH_MAX 3071
/* Most items in one page; a bigger limit is lowered to this. */
#define STRATA_ARCHIVE_LIMIT_MAX 1000
/* A page also stops once its values add up to this many bytes (and says
 * it is incomplete), so 1000 large items cannot take a gigabyte. */
#define STRATA_ARCHIVE_PAGE_BYTES_MAX (16u * 1024 * 1024)
/* Most ids in one `ids` filter (XEP-0313 §4.1.4). */
#define STRATA_ARCHIVE_IDS_MAX 1000
/* Requests in flight per store; beyond it requests are refused with
 * STRATA_EAGAIN rather than queued without bound behind a slow disk. */
#define STRATA_STORE_QUEUE_MAX 100000

/* `limit` of a delete (or a query, where it is then capped) meaning "all". */
#define STRATA_ARCHIVE_UNLIMITED SIZE_MAX

/* ---- opening and closing ------------------------------------------------ */

enum strata_store_sync {
    /* WAL with synchronous=NORMAL: a commit survives a crash or kill -9 of
     * the process; a power cut may lose the last commits (never corrupts). */
    STRATA_STORE_SYNC_NORMAL = 0,
    /* synchronous=FULL: every commit is fsynced; survives a power cut too. */
    STRATA_STORE_SYNC_FULL = 1,
};

struct strata_store_config {
    const char *driver;       /* "sqlite" (also when NULL) or "memory" */
    const char *path;         /* sqlite: the database file; its folder is created
                                 (0750) when missing and a new file is 0600 */
    unsigned busy_timeout_ms; /* sqlite: wait this long for a lock held by
                                 another process (strata user add); 0: 5000 */
    enum strata_store_sync synchronous;
    size_t cache_size; /* sqlite: page cache in bytes; 0: SQLite's default */
    /* Called on the loop thread with a message naming the operation when a
     * request fails for a reason other than the caller's (I/O, busy, a bug),
     * before that request's callback. NULL: the message goes to stderr. */
    void (*log)(void *log_data, int status, const char *message);
    void *log_data;
};

struct strata_store;
struct strata_store_request;

/* Opens a store on `loop`. sqlite: opens or creates the database, switches
 * it to WAL, applies schema migrations in one transaction, and starts the
 * store's worker thread. This blocks (file I/O, migrations): call it while
 * starting up or from the command line, not while serving.
 * Borrows cfg (nothing is kept). On success *out is a new store, freed by
 * strata_store_close(). On failure *out is NULL, a message for the
 * operator is written to err (errlen bytes, may be NULL/0), and nothing is
 * left for the caller to free (an internal handle is released on the
 * loop's next turn, as libuv closes handles). Errors:
 * STRATA_EINVAL (unknown driver, bad config, a database of a newer schema
 * version or not made by Strata), STRATA_EIO (cannot create, open or read the
 * file; not a database; corrupt). */
int strata_store_open(uv_loop_t *loop, const struct strata_store_config *cfg,
                      struct strata_store **out, char *err, size_t errlen);

typedef void strata_store_done_cb(int status, void *data);

/* Starts closing: requests already accepted are carried out and called back
 * as usual (pending writes are committed), then the database is closed and
 * the worker thread stopped, then `cb` runs on the loop thread with 0 or the
 * error of closing the database (STRATA_EIO). Requests made after this call
 * are refused with STRATA_ECLOSED. The store is freed before `cb` runs.
 * Returns STRATA_ECLOSED when already closing. `cb` may be NULL. */
int strata_store_close(struct strata_store *s, strata_store_done_cb *cb, void *data);

/* Detaches a request's callback: it will not run, so its user data may go.
 * Valid from the request function's return until the callback runs (calling
 * it from inside that callback is harmless). The request may still take
 * effect. The handle is invalid afterwards. */
void strata_store_request_cancel(struct strata_store_request *req);

struct strata_store_stats {
    uint64_t in_flight;    /* accepted, not yet called back */
    uint64_t completed;    /* called back (or cancelled) since open */
    uint64_t transactions; /* sqlite: write transactions committed; memory: writes */
};

/* Counters for metrics and tests; loop thread. */
void strata_store_stats(const struct strata_store *s, struct strata_store_stats *out);

/* The current time as archive items carry it: microseconds since the Unix
 * epoch, UTC. */
int64_t strata_store_now(void);

/* ---- addressing and callbacks -------------------------------------------- */

/* Whose data, in which store. Borrowed by every request function: copied
 * before it returns. `user` NULL or "" addresses the host's own data. */
struct strata_store_where {
    const char *host;  /* required, non-empty */
    const char *user;  /* localpart, as stringprepped by the caller */
    const char *store; /* store name, required, non-empty */
};

/* A value: `value` NULL when absent, else `len` bytes (a zero-length value
 * has a non-NULL pointer). Borrowed for the callback's duration. */
typedef void strata_store_value_cb(int status, const void *value, size_t len, void *data);
/* Names (map keys, users), sorted bytewise. Borrowed for the callback. */
typedef void strata_store_names_cb(int status, const char *const *names, size_t count, void *data);
/* How many items were counted or removed. */
typedef void strata_store_count_cb(int status, uint64_t count, void *data);

/* Every request function below: borrows its arguments (copied before it
 * returns); `cb` may be NULL when the caller wants no answer; `req`, when
 * not NULL, receives the handle for strata_store_request_cancel(). Returns
 * 0 (accepted; the callback will run later), STRATA_EINVAL (NULL or empty
 * required argument), STRATA_ELIMIT (an argument exceeds a limit above),
 * STRATA_EAGAIN (STRATA_STORE_QUEUE_MAX requests in flight) or
 * STRATA_ECLOSED (the store is closing). Callbacks report 0 or STRATA_EIO
 * (the database failed), STRATA_EAGAIN (another process held the database
 * locked beyond the busy timeout), plus the errors named per function. */

/* ---- keyval ---------------------------------------------------------------- */

/* Reads the value of (host, user, store): NULL when there is none. */
int strata_store_keyval_get(struct strata_store *s, const struct strata_store_where *w,
                            strata_store_value_cb *cb, void *data,
                            struct strata_store_request **req);

/* Replaces the value of (host, user, store); value NULL deletes it
 * (deleting what is absent succeeds). */
int strata_store_keyval_set(struct strata_store *s, const struct strata_store_where *w,
                            const void *value, size_t len, strata_store_done_cb *cb, void *data,
                            struct strata_store_request **req);

/* Sets the value of (host, user, store) only if it has none; otherwise the
 * callback reports STRATA_EEXIST and nothing changes. Atomic, also against
 * another process sharing the database: creating an account once. */
int strata_store_keyval_add(struct strata_store *s, const struct strata_store_where *w,
                            const void *value, size_t len, strata_store_done_cb *cb, void *data,
                            struct strata_store_request **req);

/* ---- map ------------------------------------------------------------------- */

/* Reads the value under `key` in the user's map: NULL when absent. */
int strata_store_map_get(struct strata_store *s, const struct strata_store_where *w,
                         const char *key, strata_store_value_cb *cb, void *data,
                         struct strata_store_request **req);

/* Replaces the value under `key`; value NULL deletes it. */
int strata_store_map_set(struct strata_store *s, const struct strata_store_where *w,
                         const char *key, const void *value, size_t len, strata_store_done_cb *cb,
                         void *data, struct strata_store_request **req);

/* Deletes the value under `key` (strata_store_map_set with NULL). */
int strata_store_map_delete(struct strata_store *s, const struct strata_store_where *w,
                            const char *key, strata_store_done_cb *cb, void *data,
                            struct strata_store_request **req);

/* Lists the keys of the user's map, sorted. */
int strata_store_map_keys(struct strata_store *s, const struct strata_store_where *w,
                          strata_store_names_cb *cb, void *data, struct strata_store_request **req);

/* ---- archive --------------------------------------------------------------- */

/* One archived item. Appending borrows it; query results lend it. */
struct strata_archive_item {
    const char *id;   /* unique in its archive (XEP-0359 stanza-id); when
                         appending, NULL lets the store make one */
    int64_t stamp;    /* microseconds since the Unix epoch, UTC; when
                         appending, 0 means now */
    const char *with; /* the other party's bare JID; NULL is stored as "" */
    uint32_t flags;   /* the caller's: message type, direction...; opaque here */
    const void *data; /* the item itself, `len` bytes (the stanza) */
    size_t len;
};

/* Which items of one archive. Zero-initialised, it selects every item,
 * oldest first, and returns none (limit 0): set `limit`. */
struct strata_archive_query {
    const char *with;       /* only items with exactly this `with`; NULL: any */
    int64_t start;          /* only items stamped at or after; 0: no bound */
    int64_t end;            /* only items stamped at or before; 0: no bound */
    const char *after;      /* only items after the item with this id (XEP-0059
                               <after/>); STRATA_ENOENT when no such item */
    const char *before;     /* only items before the item with this id */
    const char *const *ids; /* only these ids (XEP-0313 §4.1.4 "ids") */
    size_t nids;
    size_t limit;    /* most items returned: 0 returns none (XEP-0059
                        <max>0</max>: just the count); capped at
                        STRATA_ARCHIVE_LIMIT_MAX for queries */
    bool reverse;    /* walk from the newest: the newest `limit` items,
                        newest first (XEP-0059 <before/> paging) */
    bool want_total; /* count every item matching with/start/end/ids
                        (ignoring before/after/limit): one more query */
};

/* One page of a query, in walking order (oldest first, or newest first
 * when reversed). Borrowed for the callback's duration. */
struct strata_archive_page {
    const struct strata_archive_item *items;
    size_t count;
    bool complete;     /* no further matching item in the walking direction */
    const char *first; /* id of items[0]; NULL when empty */
    const char *last;  /* id of items[count - 1]; NULL when empty */
    int64_t total;     /* see want_total; -1 when not asked */
};

/* Appends `item` to the user's archive; the callback receives its id
 * (borrowed; the caller's own id when it gave one). Items are ordered by
 * stamp, then by order of appending. Errors: STRATA_EEXIST (the caller's
 * id is already in this archive), STRATA_EINVAL (negative stamp). */
typedef void strata_store_id_cb(int status, const char *id, void *data);
int strata_store_archive_append(struct strata_store *s, const struct strata_store_where *w,
                                const struct strata_archive_item *item, strata_store_id_cb *cb,
                                void *data, struct strata_store_request **req);

/* Queries the user's archive. Errors: STRATA_ENOENT (before/after names no
 * item of this archive). */
typedef void strata_store_page_cb(int status, const struct strata_archive_page *page, void *data);
int strata_store_archive_query(struct strata_store *s, const struct strata_store_where *w,
                               const struct strata_archive_query *q, strata_store_page_cb *cb,
                               void *data, struct strata_store_request **req);

/* Deletes exactly the items the same query would return, except that
 * `limit` is not capped (STRATA_ARCHIVE_UNLIMITED: all that match) and
 * want_total is ignored; q NULL deletes the user's whole archive. With
 * limit = n and reverse false it removes the oldest n (quotas). The callback
 * receives how many were deleted. Errors: STRATA_ENOENT as for queries. */
int strata_store_archive_delete(struct strata_store *s, const struct strata_store_where *w,
                                const struct strata_archive_query *q, strata_store_count_cb *cb,
                                void *data, struct strata_store_request **req);

/* Deletes the item `id` (count 1), if there is one (count 0). */
int strata_store_archive_delete_id(struct strata_store *s, const struct strata_store_where *w,
                                   const char *id, strata_store_count_cb *cb, void *data,
                                   struct strata_store_request **req);

/* Counts the items of the user's archive (quotas). */
int strata_store_archive_count(struct strata_store *s, const struct strata_store_where *w,
                               strata_store_count_cb *cb, void *data,
                               struct strata_store_request **req);

/* Retention: deletes the items stamped before `older_than` of every user
 * of `host` in archive store `store`; the callback receives how many. */
int strata_store_archive_expire(struct strata_store *s, const char *host, const char *store,
                                int64_t older_than, strata_store_count_cb *cb, void *data,
                                struct strata_store_request **req);

/* ---- users ----------------------------------------------------------------- */

/* Lists the users of `host` that have a value in keyval store `store`
 * (e.g. "accounts" for `strata user list`), sorted; host data excluded. */
int strata_store_user_list(struct strata_store *s, const char *host, const char *store,
                           strata_store_names_cb *cb, void *data,
                           struct strata_store_request **req);

/* Deletes everything of one user of `host`: every keyval, map and archive
 * store (`strata user del`). `user` must be non-empty. */
int strata_store_user_delete(struct strata_store *s, const char *host, const char *user,
                             strata_store_done_cb *cb, void *data,
                             struct strata_store_request **req);

#endif
