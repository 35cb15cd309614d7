/*
 * Storage, the driver-independent part: opening a driver, handing it
 * requests, calling back on the loop thread, cancelling, closing. The
 * request functions of the API are in requests.c. See include/strata/store.h
 * for the API and driver.h for the contract with drivers.
 *
 * Finished requests come back on one list guarded by a mutex; a uv_async_t
 * wakes the loop, which calls them back in order. The handle is referenced
 * only while requests are in flight or a close is under way, so an idle
 * store does not keep the loop alive.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/driver.h"
#include "strata/errors.h"
#include "util/xalloc.h"

struct strata_store {
    uv_loop_t *loop;
    uv_async_t async;
    const struct store_driver *driver;
    void *state;

    /* Shared with the driver's threads, under `lock`. */
    uv_mutex_t lock;
    struct strata_store_request *done_head;
    struct strata_store_request *done_tail;
    bool driver_closed;
    int close_status;

    /* Loop thread only. */
    bool closing;
    bool finished;
    bool referenced;
    uint64_t in_flight;
    uint64_t completed;
    strata_store_done_cb *close_cb;
    void *close_data;
    void (*log)(void *log_data, int status, const char *message);
    void *log_data;
};

/* ---- requests ------------------------------------------------------------- */

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(names[i]);
    }
    free(names);
}

static void free_item(struct store_item *item)
{
    free(item->id);
    free(item->with);
    free(item->value.data);
}

static void free_query(struct store_query *q)
{
    free(q->with);
    free(q->after);
    free(q->before);
    free_names(q->ids, q->nids);
}

static void req_free(struct strata_store_request *req)
{
    free(req->host);
    free(req->user);
    free(req->name);
    free(req->key);
    free(req->value.data);
    free_item(&req->item);
    free_query(&req->query);
    free(req->errmsg);
    free(req->found.data);
    free_names(req->names, req->nnames);
    for (size_t i = 0; i < req->nitems; i++) {
        free_item(&req->items[i]);
    }
    free(req->items);
    free(req);
}

struct strata_store_request *store__request_new(struct strata_store *s, enum store_op op,
                                                const char *host, const char *user,
                                                const char *name)
{
    struct strata_store_request *req = xcalloc(1, sizeof *req);
    req->store = s;
    req->op = op;
    req->host = xstrdup(host);
    req->user = xstrdup(user ? user : "");
    req->name = name ? xstrdup(name) : NULL;
    req->total = -1;
    return req;
}

/* ---- submitting ----------------------------------------------------------------- */

int store__accepting(const struct strata_store *s)
{
    if (!s || s->closing) {
        return STRATA_ECLOSED;
    }
    return s->in_flight >= STRATA_STORE_QUEUE_MAX ? STRATA_EAGAIN : 0;
}

static void set_referenced(struct strata_store *s, bool on)
{
    if (on && !s->referenced) {
        uv_ref((uv_handle_t *)&s->async);
    } else if (!on && s->referenced) {
        uv_unref((uv_handle_t *)&s->async);
    }
    s->referenced = on;
}

int store__submit(struct strata_store *s, struct strata_store_request *req, void *data,
                  struct strata_store_request **out)
{
    req->data = data;
    s->in_flight++;
    set_referenced(s, true);
    if (out) {
        *out = req;
    }
    s->driver->submit(s->state, req);
    return 0;
}

/* ---- calling back ----------------------------------------------------------------- */

static bool worth_logging(int status)
{
    return status == STRATA_EIO || status == STRATA_EAGAIN || status == STRATA_EINTERNAL;
}

static void log_failure(struct strata_store *s, const struct strata_store_request *req)
{
    const char *msg = req->errmsg ? req->errmsg : strata_strerror(req->status);
    if (s->log) {
        s->log(s->log_data, req->status, msg);
        return;
    }
    fprintf(stderr, "strata: storage: %s\n", msg);
}

static void call_page(struct strata_store_request *req)
{
    if (req->status != 0) {
        req->cb.page(req->status, NULL, req->data);
        return;
    }
    struct strata_archive_item *items = xcalloc(req->nitems, sizeof *items);
    for (size_t i = 0; i < req->nitems; i++) {
        const struct store_item *it = &req->items[i];
        items[i] = (struct strata_archive_item){it->id,    it->stamp,      it->with,
                                                it->flags, it->value.data, it->value.len};
    }
    struct strata_archive_page page = {
        .items = items,
        .count = req->nitems,
        .complete = req->complete,
        .first = req->nitems ? items[0].id : NULL,
        .last = req->nitems ? items[req->nitems - 1].id : NULL,
        .total = req->total,
    };
    req->cb.page(0, &page, req->data);
    free(items);
}

static void call_back(struct strata_store_request *req)
{
    int st = req->status;
    switch (req->op) {
    case STORE_KEYVAL_GET:
    case STORE_MAP_GET:
        req->cb.value(st, st == 0 ? req->found.data : NULL, st == 0 ? req->found.len : 0,
                      req->data);
        break;
    case STORE_KEYVAL_SET:
    case STORE_KEYVAL_ADD:
    case STORE_MAP_SET:
    case STORE_USER_DELETE:
        req->cb.done(st, req->data);
        break;
    case STORE_MAP_KEYS:
    case STORE_USER_LIST:
        req->cb.names(st, st == 0 ? (const char *const *)req->names : NULL,
                      st == 0 ? req->nnames : 0, req->data);
        break;
    case STORE_ARCHIVE_APPEND:
        req->cb.id(st, st == 0 ? req->item.id : NULL, req->data);
        break;
    case STORE_ARCHIVE_QUERY:
        call_page(req);
        break;
    case STORE_ARCHIVE_DELETE:
    case STORE_ARCHIVE_COUNT:
    case STORE_ARCHIVE_EXPIRE:
        req->cb.count(st, st == 0 ? req->count : 0, req->data);
        break;
    }
}

static void dispatch(struct strata_store *s, struct strata_store_request *req)
{
    s->in_flight--;
    s->completed++;
    if (worth_logging(req->status)) {
        log_failure(s, req);
    }
    if (!req->cancelled && req->cb.done) {
        call_back(req);
    }
    req_free(req);
}

static void on_handle_closed(uv_handle_t *handle)
{
    struct strata_store *s = handle->data;
    strata_store_done_cb *cb = s->close_cb;
    void *data = s->close_data;
    int status = s->close_status;
    uv_mutex_destroy(&s->lock);
    free(s);
    if (cb) {
        cb(status, data);
    }
}

static void finish_close(struct strata_store *s)
{
    s->finished = true;
    if (s->state) {
        s->driver->free(s->state);
        s->state = NULL;
    }
    uv_close((uv_handle_t *)&s->async, on_handle_closed);
}

static void on_async(uv_async_t *handle)
{
    struct strata_store *s = handle->data;
    uv_mutex_lock(&s->lock);
    struct strata_store_request *list = s->done_head;
    s->done_head = s->done_tail = NULL;
    bool closed = s->driver_closed;
    uv_mutex_unlock(&s->lock);

    while (list) {
        struct strata_store_request *next = list->next;
        dispatch(s, list);
        list = next;
    }
    if (closed && !s->finished) {
        finish_close(s);
    } else if (s->in_flight == 0 && !s->closing) {
        set_referenced(s, false);
    }
}

void store__complete(struct strata_store *s, struct strata_store_request *req)
{
    req->next = NULL;
    uv_mutex_lock(&s->lock);
    if (s->done_tail) {
        s->done_tail->next = req;
    } else {
        s->done_head = req;
    }
    s->done_tail = req;
    uv_mutex_unlock(&s->lock);
    uv_async_send(&s->async);
}

void store__driver_closed(struct strata_store *s, int status)
{
    uv_mutex_lock(&s->lock);
    s->driver_closed = true;
    s->close_status = status;
    uv_mutex_unlock(&s->lock);
    uv_async_send(&s->async);
}

void store__fail(struct strata_store_request *req, int status, const char *fmt, ...)
{
    va_list ap;
    char *msg = NULL;
    va_start(ap, fmt);
    if (vasprintf(&msg, fmt, ap) < 0) {
        msg = NULL;
    }
    va_end(ap);
    free(req->errmsg);
    req->errmsg = msg;
    req->status = status;
}

char *store__describe(const struct strata_store_request *req)
{
    const char *at = req->user[0] ? "@" : "";
    switch (req->op) {
    case STORE_KEYVAL_GET:
    case STORE_KEYVAL_SET:
    case STORE_KEYVAL_ADD:
        return xasprintf("keyval store '%s' of %s%s%s", req->name, req->user, at, req->host);
    case STORE_MAP_GET:
    case STORE_MAP_SET:
    case STORE_MAP_KEYS:
        return xasprintf("map store '%s' of %s%s%s", req->name, req->user, at, req->host);
    case STORE_ARCHIVE_APPEND:
    case STORE_ARCHIVE_QUERY:
    case STORE_ARCHIVE_DELETE:
    case STORE_ARCHIVE_COUNT:
    case STORE_ARCHIVE_EXPIRE:
        return xasprintf("archive '%s' of %s%s%s", req->name, req->user, at, req->host);
    case STORE_USER_LIST:
        return xasprintf("users of keyval store '%s' of %s", req->name, req->host);
    case STORE_USER_DELETE:
        return xasprintf("all data of %s@%s", req->user, req->host);
    }
    return xstrdup("storage");
}

/* ---- opening, closing, cancelling ------------------------------------------------------ */

static const struct store_driver *find_driver(const char *name)
{
    if (!name || strcmp(name, "sqlite") == 0) {
        return &store__sqlite_driver;
    }
    if (strcmp(name, "memory") == 0) {
        return &store__memory_driver;
    }
    return NULL;
}

static void on_failed_open_closed(uv_handle_t *handle)
{
    struct strata_store *s = handle->data;
    uv_mutex_destroy(&s->lock);
    free(s);
}

int strata_store_open(uv_loop_t *loop, const struct strata_store_config *cfg,
                      struct strata_store **out, char *err, size_t errlen)
{
    int rc;
    *out = NULL;
    const struct store_driver *driver = find_driver(cfg->driver);
    if (!driver) {
        snprintf(err, err ? errlen : 0, "unknown storage driver \"%s\"", cfg->driver);
        return STRATA_EINVAL;
    }
    struct strata_store *s = xcalloc(1, sizeof *s);
    s->loop = loop;
    s->driver = driver;
    s->log = cfg->log;
    s->log_data = cfg->log_data;
    uv_mutex_init(&s->lock);
    if (uv_async_init(loop, &s->async, on_async) != 0) {
        snprintf(err, err ? errlen : 0, "cannot create the storage wake-up handle");
        uv_mutex_destroy(&s->lock);
        free(s);
        return STRATA_EIO;
    }
    s->async.data = s;
    uv_unref((uv_handle_t *)&s->async);
    rc = driver->open(s, cfg, &s->state, err, errlen);
    if (rc != 0) {
        goto fail;
    }
    *out = s;
    return 0;
fail:
    /* The handle's memory is released by its close callback, on the next
     * turn of the loop. */
    uv_close((uv_handle_t *)&s->async, on_failed_open_closed);
    return rc;
}

int strata_store_close(struct strata_store *s, strata_store_done_cb *cb, void *data)
{
    if (s->closing) {
        return STRATA_ECLOSED;
    }
    s->closing = true;
    s->close_cb = cb;
    s->close_data = data;
    set_referenced(s, true);
    s->driver->close(s->state);
    return 0;
}

void strata_store_request_cancel(struct strata_store_request *req)
{
    if (req) {
        req->cancelled = true;
    }
}

void strata_store_stats(const struct strata_store *s, struct strata_store_stats *out)
{
    out->in_flight = s->in_flight;
    out->completed = s->completed;
    out->transactions = s->state ? s->driver->transactions(s->state) : 0;
}

int64_t strata_store_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}
