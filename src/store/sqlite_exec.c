/*
 * The sqlite driver's requests as SQL: one function per operation, run on
 * the worker thread inside the transaction sqlite.c opened. Every statement
 * is prepared once (archive queries once per shape of filters) and reset
 * after each use, so no read transaction is left open by accident.
 *
 * Archive order is (stamp, seq). "After id X" is written
 * `stamp >= X.stamp AND (stamp > X.stamp OR seq > X.seq)`: the first term
 * is a range the (host, username, store, stamp) index can seek to, the
 * second breaks ties.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/sqlite.h"
#include "strata/errors.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

static const char *const fixed_sql[SQ_STMT_COUNT] = {
    [SQ_BEGIN] = "BEGIN",
    [SQ_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
    [SQ_COMMIT] = "COMMIT",
    [SQ_ROLLBACK] = "ROLLBACK",
    [SQ_SAVEPOINT] = "SAVEPOINT request",
    [SQ_ROLLBACK_TO] = "ROLLBACK TO request",
    [SQ_RELEASE] = "RELEASE request",
    [SQ_KEYVAL_GET] = "SELECT value FROM keyval WHERE host = ?1 AND username = ?2 AND store = ?3",
    [SQ_KEYVAL_SET] = "INSERT OR REPLACE INTO keyval (host, username, store, value)"
                      " VALUES (?1, ?2, ?3, ?4)",
    [SQ_KEYVAL_ADD] = "INSERT INTO keyval (host, username, store, value) VALUES (?1, ?2, ?3, ?4)",
    [SQ_KEYVAL_DEL] = "DELETE FROM keyval WHERE host = ?1 AND username = ?2 AND store = ?3",
    [SQ_MAP_GET] = "SELECT value FROM map"
                   " WHERE host = ?1 AND username = ?2 AND store = ?3 AND mapkey = ?4",
    [SQ_MAP_SET] = "INSERT OR REPLACE INTO map (host, username, store, mapkey, value)"
                   " VALUES (?1, ?2, ?3, ?4, ?5)",
    [SQ_MAP_DEL] = "DELETE FROM map"
                   " WHERE host = ?1 AND username = ?2 AND store = ?3 AND mapkey = ?4",
    [SQ_MAP_KEYS] = "SELECT mapkey FROM map WHERE host = ?1 AND username = ?2 AND store = ?3"
                    " ORDER BY mapkey",
    [SQ_ARCHIVE_APPEND] = "INSERT INTO archive"
                          " (host, username, store, archive_id, stamp, peer, flags, value)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [SQ_ARCHIVE_PIVOT] = "SELECT stamp, seq FROM archive"
                         " WHERE host = ?1 AND username = ?2 AND store = ?3 AND archive_id = ?4",
    [SQ_ARCHIVE_COUNT] = "SELECT count(*) FROM archive"
                         " WHERE host = ?1 AND username = ?2 AND store = ?3",
    [SQ_ARCHIVE_EXPIRE] = "DELETE FROM archive WHERE host = ?1 AND store = ?2 AND stamp < ?3",
    [SQ_USER_LIST] = "SELECT username FROM keyval WHERE host = ?1 AND store = ?2"
                     " AND username <> '' ORDER BY username",
    [SQ_USER_DEL_KEYVAL] = "DELETE FROM keyval WHERE host = ?1 AND username = ?2",
    [SQ_USER_DEL_MAP] = "DELETE FROM map WHERE host = ?1 AND username = ?2",
    [SQ_USER_DEL_ARCHIVE] = "DELETE FROM archive WHERE host = ?1 AND username = ?2",
};

/* Returned by an operation that has already set the request's status. */
#define SQ_REPORTED (-1)

int sq__prepare(struct sq *q, char *err, size_t errlen)
{
    for (int i = 0; i < SQ_STMT_COUNT; i++) {
        int rc = sqlite3_prepare_v3(q->db, fixed_sql[i], -1, SQLITE_PREPARE_PERSISTENT, &q->stmt[i],
                                    NULL);
        if (rc != SQLITE_OK) {
            snprintf(err, err ? errlen : 0, "%s: preparing statements failed: %s", q->path,
                     sqlite3_errmsg(q->db));
            return STRATA_EIO;
        }
    }
    return 0;
}

void sq__finalize(struct sq *q)
{
    for (int i = 0; i < SQ_STMT_COUNT; i++) {
        sqlite3_finalize(q->stmt[i]);
        q->stmt[i] = NULL;
    }
    for (int k = 0; k < SQ_KINDS; k++) {
        for (int m = 0; m < SQ_F_SHAPES; m++) {
            sqlite3_finalize(q->shape[k][m]);
            q->shape[k][m] = NULL;
        }
    }
}

int sq__status(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
    case SQLITE_ROW:
    case SQLITE_DONE:
        return 0;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return STRATA_EAGAIN;
    case SQLITE_CONSTRAINT:
        return STRATA_EEXIST;
    case SQLITE_TOOBIG:
        return STRATA_ELIMIT;
    case SQLITE_NOMEM:
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_INTERNAL:
        return STRATA_EINTERNAL;
    default:
        return STRATA_EIO;
    }
}

bool sq__is_write(enum store_op op)
{
    return op == STORE_KEYVAL_SET || op == STORE_KEYVAL_ADD || op == STORE_MAP_SET ||
           op == STORE_ARCHIVE_APPEND || op == STORE_ARCHIVE_DELETE || op == STORE_ARCHIVE_EXPIRE ||
           op == STORE_USER_DELETE;
}

int sq__exec(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* ---- binding and reading ------------------------------------------------------ */

/* The request's strings live until it is freed, after the statement is
 * reset: SQLITE_STATIC saves a copy. */
static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

static void bind_where(sqlite3_stmt *st, const struct strata_store_request *req)
{
    bind_text(st, 1, req->host);
    bind_text(st, 2, req->user);
    bind_text(st, 3, req->name);
}

/* A value column never holds NULL: our copies have a non-NULL pointer even
 * when empty, which SQLite stores as a zero-length blob. */
static void bind_blob(sqlite3_stmt *st, int i, const struct store_blob *b)
{
    sqlite3_bind_blob64(st, i, b->data, b->len, SQLITE_STATIC);
}

static char *dup_text(sqlite3_stmt *st, int col)
{
    const unsigned char *s = sqlite3_column_text(st, col);
    return xstrndup(s ? (const char *)s : "", (size_t)sqlite3_column_bytes(st, col));
}

static void dup_blob(sqlite3_stmt *st, int col, struct store_blob *out)
{
    const void *p = sqlite3_column_blob(st, col);
    size_t len = (size_t)sqlite3_column_bytes(st, col);
    out->data = xmalloc(len);
    if (len > 0) {
        memcpy(out->data, p, len);
    }
    out->len = len;
}

/* Steps a statement returning at most one value; copies it into found. */
static int read_value(sqlite3_stmt *st, struct strata_store_request *req)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        dup_blob(st, 0, &req->found);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int read_names(sqlite3_stmt *st, struct strata_store_request *req)
{
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        req->names = xgrow(req->names, &cap, req->nnames + 1, sizeof *req->names);
        req->names[req->nnames++] = dup_text(st, 0);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* ---- keyval, map, users ------------------------------------------------------------ */

static int keyval_get(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[SQ_KEYVAL_GET];
    bind_where(st, req);
    return read_value(st, req);
}

static int keyval_set(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[req->value.data ? SQ_KEYVAL_SET : SQ_KEYVAL_DEL];
    bind_where(st, req);
    if (req->value.data) {
        bind_blob(st, 4, &req->value);
    }
    return sq__exec(st);
}

/* The primary key makes a second insert fail: SQLITE_CONSTRAINT, which
 * becomes STRATA_EEXIST. */
static int keyval_add(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[SQ_KEYVAL_ADD];
    bind_where(st, req);
    bind_blob(st, 4, &req->value);
    return sq__exec(st);
}

static int map_get(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[SQ_MAP_GET];
    bind_where(st, req);
    bind_text(st, 4, req->key);
    return read_value(st, req);
}

static int map_set(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[req->value.data ? SQ_MAP_SET : SQ_MAP_DEL];
    bind_where(st, req);
    bind_text(st, 4, req->key);
    if (req->value.data) {
        bind_blob(st, 5, &req->value);
    }
    return sq__exec(st);
}

static int map_keys(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[SQ_MAP_KEYS];
    bind_where(st, req);
    return read_names(st, req);
}

static int user_list(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[SQ_USER_LIST];
    bind_text(st, 1, req->host);
    bind_text(st, 2, req->name);
    return read_names(st, req);
}

static int user_delete(struct sq *q, struct strata_store_request *req)
{
    static const enum sq_stmt which[] = {SQ_USER_DEL_KEYVAL, SQ_USER_DEL_MAP, SQ_USER_DEL_ARCHIVE};
    for (size_t i = 0; i < sizeof which / sizeof which[0]; i++) {
        sqlite3_stmt *st = q->stmt[which[i]];
        bind_text(st, 1, req->host);
        bind_text(st, 2, req->user);
        int rc = sq__exec(st);
        if (rc != SQLITE_OK) {
            return rc;
        }
    }
    return SQLITE_OK;
}

/* ---- archives ---------------------------------------------------------------------- */

static int archive_append(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[SQ_ARCHIVE_APPEND];
    bind_where(st, req);
    bind_text(st, 4, req->item.id);
    sqlite3_bind_int64(st, 5, req->item.stamp);
    bind_text(st, 6, req->item.with);
    sqlite3_bind_int64(st, 7, req->item.flags);
    bind_blob(st, 8, &req->item.value);
    return sq__exec(st);
}

static int archive_count(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[SQ_ARCHIVE_COUNT];
    bind_where(st, req);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        req->count = (uint64_t)sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* PERF: one statement removes every expired item. The first run over a
 * large archive may hold the write lock for seconds, delaying the requests
 * queued behind it (never the loop). Chunk it if that ever matters. */
static int archive_expire(struct sq *q, struct strata_store_request *req)
{
    sqlite3_stmt *st = q->stmt[SQ_ARCHIVE_EXPIRE];
    bind_text(st, 1, req->host);
    bind_text(st, 2, req->name);
    sqlite3_bind_int64(st, 3, req->older_than);
    int rc = sq__exec(st);
    if (rc == SQLITE_OK) {
        req->count = (uint64_t)sqlite3_changes64(q->db);
    }
    return rc;
}

/* Where the items named by after/before sit in the order. */
struct pivot {
    int64_t stamp;
    int64_t seq;
};

static int find_pivot(struct sq *q, struct strata_store_request *req, const char *id,
                      struct pivot *p)
{
    sqlite3_stmt *st = q->stmt[SQ_ARCHIVE_PIVOT];
    bind_where(st, req);
    bind_text(st, 4, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        p->stamp = sqlite3_column_int64(st, 0);
        p->seq = sqlite3_column_int64(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_DONE) {
        store__fail(req, STRATA_ENOENT, "no item with id %s", id);
        return SQ_REPORTED;
    }
    return rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static unsigned query_mask(const struct store_query *qy)
{
    return (qy->with ? SQ_F_WITH : 0) | (qy->start ? SQ_F_START : 0) | (qy->end ? SQ_F_END : 0) |
           (qy->after ? SQ_F_AFTER : 0) | (qy->before ? SQ_F_BEFORE : 0) |
           (qy->has_ids ? SQ_F_IDS : 0);
}

/* Parameters: ?1-3 host, user, store; ?4 with; ?5 start; ?6 end; ?7-8 the
 * after pivot; ?9-10 the before pivot; ?11 the ids as a JSON array; ?12
 * the limit. Each shape names only the ones it uses. */
static void add_filters(struct strbuf *b, unsigned mask)
{
    /* A list of ids is selective (at most STRATA_ARCHIVE_IDS_MAX): look
     * each up and sort them, rather than walk the archive in time order
     * as the planner would to avoid the sort. */
    strbuf_adds(b, mask & SQ_F_IDS ? " FROM archive INDEXED BY archive_by_id" : " FROM archive");
    strbuf_adds(b, " WHERE host = ?1 AND username = ?2 AND store = ?3");
    if (mask & SQ_F_WITH) {
        strbuf_adds(b, " AND peer = ?4");
    }
    if (mask & SQ_F_START) {
        strbuf_adds(b, " AND stamp >= ?5");
    }
    if (mask & SQ_F_END) {
        strbuf_adds(b, " AND stamp <= ?6");
    }
    if (mask & SQ_F_AFTER) {
        strbuf_adds(b, " AND stamp >= ?7 AND (stamp > ?7 OR seq > ?8)");
    }
    if (mask & SQ_F_BEFORE) {
        strbuf_adds(b, " AND stamp <= ?9 AND (stamp < ?9 OR seq < ?10)");
    }
    if (mask & SQ_F_IDS) {
        strbuf_adds(b, " AND archive_id IN (SELECT value FROM json_each(?11))");
    }
}

static char *shape_sql(enum sq_kind kind, unsigned mask)
{
    struct strbuf b = STRBUF_INIT;
    const char *order = kind == SQ_SELECT_DESC || kind == SQ_DELETE_DESC
                            ? " ORDER BY stamp DESC, seq DESC LIMIT ?12"
                            : " ORDER BY stamp, seq LIMIT ?12";
    if (kind == SQ_COUNT) {
        strbuf_adds(&b, "SELECT count(*)");
        add_filters(&b, mask);
    } else if (kind == SQ_SELECT_ASC || kind == SQ_SELECT_DESC) {
        strbuf_adds(&b, "SELECT archive_id, stamp, peer, flags, value");
        add_filters(&b, mask);
        strbuf_adds(&b, order);
    } else {
        strbuf_adds(&b, "DELETE FROM archive WHERE seq IN (SELECT seq");
        add_filters(&b, mask);
        strbuf_adds(&b, order);
        strbuf_adds(&b, ")");
    }
    return strbuf_take(&b);
}

static sqlite3_stmt *shape_stmt(struct sq *q, enum sq_kind kind, unsigned mask, int *rc)
{
    sqlite3_stmt **slot = &q->shape[kind][mask];
    if (!*slot) {
        char *sql = shape_sql(kind, mask);
        *rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL);
        free(sql);
    }
    return *slot;
}

/* The ids as a JSON array of strings, for json_each(). */
static char *ids_json(const struct store_query *qy)
{
    struct strbuf b = STRBUF_INIT;
    strbuf_adds(&b, "[");
    for (size_t i = 0; i < qy->nids; i++) {
        strbuf_adds(&b, i ? ",\"" : "\"");
        for (const unsigned char *c = (const unsigned char *)qy->ids[i]; *c; c++) {
            if (*c == '"' || *c == '\\') {
                strbuf_addf(&b, "\\%c", *c);
            } else if (*c < 0x20) {
                strbuf_addf(&b, "\\u%04x", *c);
            } else {
                strbuf_add(&b, c, 1);
            }
        }
        strbuf_adds(&b, "\"");
    }
    strbuf_adds(&b, "]");
    return strbuf_take(&b);
}

/* A filtered archive request being carried out. */
struct filtered {
    unsigned mask;
    struct pivot after;
    struct pivot before;
    char *ids; /* JSON, or NULL */
};

static int filtered_init(struct sq *q, struct strata_store_request *req, struct filtered *f)
{
    const struct store_query *qy = &req->query;
    *f = (struct filtered){.mask = query_mask(qy)};
    int rc = qy->after ? find_pivot(q, req, qy->after, &f->after) : SQLITE_OK;
    if (rc == SQLITE_OK && qy->before) {
        rc = find_pivot(q, req, qy->before, &f->before);
    }
    if (rc == SQLITE_OK && qy->has_ids) {
        f->ids = ids_json(qy);
    }
    return rc;
}

static void bind_filters(sqlite3_stmt *st, const struct strata_store_request *req,
                         const struct filtered *f, unsigned mask)
{
    const struct store_query *qy = &req->query;
    bind_where(st, req);
    if (mask & SQ_F_WITH) {
        bind_text(st, 4, qy->with);
    }
    if (mask & SQ_F_START) {
        sqlite3_bind_int64(st, 5, qy->start);
    }
    if (mask & SQ_F_END) {
        sqlite3_bind_int64(st, 6, qy->end);
    }
    if (mask & SQ_F_AFTER) {
        sqlite3_bind_int64(st, 7, f->after.stamp);
        sqlite3_bind_int64(st, 8, f->after.seq);
    }
    if (mask & SQ_F_BEFORE) {
        sqlite3_bind_int64(st, 9, f->before.stamp);
        sqlite3_bind_int64(st, 10, f->before.seq);
    }
    if (mask & SQ_F_IDS) {
        bind_text(st, 11, f->ids);
    }
}

/* SQLite's LIMIT: -1 for none. */
static int64_t sql_limit(size_t limit, size_t extra)
{
    return limit >= (size_t)INT64_MAX - extra ? -1 : (int64_t)(limit + extra);
}

static void read_item(sqlite3_stmt *st, struct store_item *it)
{
    it->id = dup_text(st, 0);
    it->stamp = sqlite3_column_int64(st, 1);
    it->with = dup_text(st, 2);
    it->flags = (uint32_t)sqlite3_column_int64(st, 3);
    dup_blob(st, 4, &it->value);
}

/* Reads up to limit items; the statement asked for one more, whose
 * presence means the page is incomplete. */
static int read_page(sqlite3_stmt *st, struct strata_store_request *req)
{
    size_t cap = 0, bytes = 0;
    int rc;
    req->complete = true;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (req->nitems == req->query.limit || bytes >= STRATA_ARCHIVE_PAGE_BYTES_MAX) {
            req->complete = false;
            rc = SQLITE_DONE;
            break;
        }
        req->items = xgrow(req->items, &cap, req->nitems + 1, sizeof *req->items);
        read_item(st, &req->items[req->nitems]);
        bytes += req->items[req->nitems++].value.len;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int count_total(struct sq *q, struct strata_store_request *req, const struct filtered *f)
{
    int rc = SQLITE_OK;
    unsigned mask = f->mask & ~(unsigned)(SQ_F_AFTER | SQ_F_BEFORE);
    sqlite3_stmt *st = shape_stmt(q, SQ_COUNT, mask, &rc);
    if (!st) {
        return rc;
    }
    bind_filters(st, req, f, mask);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        req->total = sqlite3_column_int64(st, 0);
        rc = SQLITE_DONE;
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int archive_query(struct sq *q, struct strata_store_request *req)
{
    struct filtered f;
    int rc = filtered_init(q, req, &f);
    if (rc != SQLITE_OK) {
        goto done;
    }
    enum sq_kind kind = req->query.reverse ? SQ_SELECT_DESC : SQ_SELECT_ASC;
    sqlite3_stmt *st = shape_stmt(q, kind, f.mask, &rc);
    if (!st) {
        goto done;
    }
    bind_filters(st, req, &f, f.mask);
    sqlite3_bind_int64(st, 12, sql_limit(req->query.limit, 1));
    rc = read_page(st, req);
    if (rc == SQLITE_OK && req->query.want_total) {
        rc = count_total(q, req, &f);
    }
done:
    free(f.ids);
    return rc;
}

static int archive_delete(struct sq *q, struct strata_store_request *req)
{
    struct filtered f;
    int rc = filtered_init(q, req, &f);
    if (rc != SQLITE_OK) {
        goto done;
    }
    enum sq_kind kind = req->query.reverse ? SQ_DELETE_DESC : SQ_DELETE_ASC;
    sqlite3_stmt *st = shape_stmt(q, kind, f.mask, &rc);
    if (!st) {
        goto done;
    }
    bind_filters(st, req, &f, f.mask);
    sqlite3_bind_int64(st, 12, sql_limit(req->query.limit, 0));
    rc = sq__exec(st);
    sqlite3_clear_bindings(st);
    if (rc == SQLITE_OK) {
        req->count = (uint64_t)sqlite3_changes64(q->db);
    }
done:
    free(f.ids);
    return rc;
}

/* ---- dispatch --------------------------------------------------------------------- */

static int run_op(struct sq *q, struct strata_store_request *req)
{
    switch (req->op) {
    case STORE_KEYVAL_GET:
        return keyval_get(q, req);
    case STORE_KEYVAL_SET:
        return keyval_set(q, req);
    case STORE_KEYVAL_ADD:
        return keyval_add(q, req);
    case STORE_MAP_GET:
        return map_get(q, req);
    case STORE_MAP_SET:
        return map_set(q, req);
    case STORE_MAP_KEYS:
        return map_keys(q, req);
    case STORE_ARCHIVE_APPEND:
        return archive_append(q, req);
    case STORE_ARCHIVE_QUERY:
        return archive_query(q, req);
    case STORE_ARCHIVE_DELETE:
        return archive_delete(q, req);
    case STORE_ARCHIVE_COUNT:
        return archive_count(q, req);
    case STORE_ARCHIVE_EXPIRE:
        return archive_expire(q, req);
    case STORE_USER_LIST:
        return user_list(q, req);
    case STORE_USER_DELETE:
        return user_delete(q, req);
    }
    return SQLITE_MISUSE;
}

void sq__run(struct sq *q, struct strata_store_request *req)
{
    int rc = run_op(q, req);
    if (rc == SQLITE_OK || rc == SQ_REPORTED) {
        return;
    }
    char *what = store__describe(req);
    store__fail(req, sq__status(rc), "%s: %s: %s", q->path, what, sqlite3_errmsg(q->db));
    free(what);
}
