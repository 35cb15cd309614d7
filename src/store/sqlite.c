/*
 * The sqlite storage driver: one database file in WAL mode, one connection,
 * one worker thread of its own.
 *
 * Why one thread and not the libuv thread pool:
 *  - Order. Requests run in submission order on a single connection, so a
 *    user's writes commit in the order they were made and a read sees every
 *    earlier write. Pool threads with a connection each would run them in
 *    any order and need per-user queues to restore it.
 *  - SQLite has one writer at a time anyway. Several connections writing
 *    would only queue on the database lock, sleeping in the busy handler;
 *    WAL's concurrency is for readers, and our reads are short indexed
 *    lookups. PERF: if long archive queries ever delay writes, a second,
 *    read-only connection on its own thread can take the queries.
 *  - The pool is shared. Its few threads also resolve DNS and hash
 *    passwords; a slow disk or a busy wait must not stall logins.
 *  - Batching. The worker takes every request queued (up to BATCH_MAX) and
 *    runs them in one transaction, each write inside a savepoint so that one
 *    failing request does not undo the others. Under load, many small writes
 *    (offline messages, archive appends, roster pushes) share one commit,
 *    and with synchronous=FULL one fsync, instead of one each.
 *
 * Acknowledgment point. Callbacks run only after the batch's COMMIT has
 * returned: the transaction's frames are then in the WAL file (written with
 * write(2), in the kernel's page cache). A crash or kill -9 of the server
 * cannot lose them: the kernel still writes them out, and the next open
 * replays the WAL. With synchronous=NORMAL, a power cut or kernel crash may
 * lose the last commits before a checkpoint (never corrupting the file);
 * with synchronous=FULL every commit waits for fsync of the WAL and survives
 * that too. The requirement is "a message accepted for an offline user
 * survives a restart and a kill -9 after the acknowledgment point", which
 * NORMAL meets, so NORMAL is the default (sqlite_synchronous = "normal"),
 * and operators who must survive power loss choose "full".
 *
 * Busy handling. Another process (the `strata user` command while the
 * server runs) may hold the write lock. Write batches start with BEGIN
 * IMMEDIATE, so the lock is taken, with the busy timeout, before anything
 * is read, and a batch never fails halfway on a lock it could not upgrade.
 * Past the timeout the batch's requests fail with STRATA_EAGAIN.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/sqlite.h"
#include "strata/errors.h"
#include "util/xalloc.h"

/* Most requests in one transaction: enough to amortise a commit, few
 * enough that the first request of a batch is not kept waiting long. */
#define BATCH_MAX 256
#define DEFAULT_BUSY_TIMEOUT_MS 5000

/* ---- the worker ----------------------------------------------------------- */

/* Fails every request of the batch: the transaction they shared is gone. */
static void fail_batch(struct sq *q, struct strata_store_request *batch, int rc, const char *action)
{
    for (struct strata_store_request *r = batch; r; r = r->next) {
        store__fail(r, sq__status(rc), "%s: %s: %s", q->path, action, sqlite3_errmsg(q->db));
    }
}

static bool has_write(const struct strata_store_request *batch)
{
    for (; batch; batch = batch->next) {
        if (sq__is_write(batch->op)) {
            return true;
        }
    }
    return false;
}

/* Runs one write inside a savepoint, so its failure undoes only itself. */
static void run_write(struct sq *q, struct strata_store_request *req)
{
    int rc = sq__exec(q->stmt[SQ_SAVEPOINT]);
    if (rc != SQLITE_OK) {
        store__fail(req, sq__status(rc), "%s: savepoint: %s", q->path, sqlite3_errmsg(q->db));
        return;
    }
    sq__run(q, req);
    if (req->status != 0) {
        sq__exec(q->stmt[SQ_ROLLBACK_TO]);
    }
    sq__exec(q->stmt[SQ_RELEASE]);
}

/* Runs the batch in one transaction. Returns whether it committed writes. */
static bool run_batch(struct sq *q, struct strata_store_request *batch)
{
    bool writes = has_write(batch);
    int rc = sq__exec(q->stmt[writes ? SQ_BEGIN_IMMEDIATE : SQ_BEGIN]);
    if (rc != SQLITE_OK) {
        fail_batch(q, batch, rc, "cannot begin a transaction");
        return false;
    }
    for (struct strata_store_request *r = batch; r; r = r->next) {
        if (sq__is_write(r->op)) {
            run_write(q, r);
        } else {
            sq__run(q, r);
        }
        /* Some errors (disk full, I/O) make SQLite roll the whole
         * transaction back: earlier requests' writes are gone too. */
        if (r->status != 0 && sqlite3_get_autocommit(q->db)) {
            fail_batch(q, batch, SQLITE_IOERR, "the transaction was rolled back");
            return false;
        }
    }
    rc = sq__exec(q->stmt[SQ_COMMIT]);
    if (rc != SQLITE_OK) {
        fail_batch(q, batch, rc, "commit failed");
        sq__exec(q->stmt[SQ_ROLLBACK]);
        return false;
    }
    return writes;
}

/* Takes up to BATCH_MAX queued requests, in order; under the lock. */
static struct strata_store_request *take_batch(struct sq *q)
{
    struct strata_store_request *head = q->todo_head, *last = head;
    if (!head) {
        return NULL;
    }
    for (int n = 1; n < BATCH_MAX && last->next; n++) {
        last = last->next;
    }
    q->todo_head = last->next;
    if (!q->todo_head) {
        q->todo_tail = NULL;
    }
    last->next = NULL;
    return head;
}

static int close_db(struct sq *q)
{
    sq__finalize(q);
    /* Closing the last connection checkpoints the WAL into the database. */
    int rc = sqlite3_close(q->db);
    q->db = NULL;
    return rc == SQLITE_OK ? 0 : STRATA_EIO;
}

static void worker(void *arg)
{
    struct sq *q = arg;
    for (;;) {
        uv_mutex_lock(&q->lock);
        while (!q->todo_head && !q->stopping) {
            uv_cond_wait(&q->wake, &q->lock);
        }
        struct strata_store_request *batch = take_batch(q);
        uv_mutex_unlock(&q->lock);
        if (!batch) {
            break; /* stopping, and nothing is left */
        }
        bool committed = run_batch(q, batch);
        uv_mutex_lock(&q->lock);
        q->transactions += committed;
        uv_mutex_unlock(&q->lock);
        while (batch) {
            struct strata_store_request *next = batch->next;
            store__complete(q->store, batch);
            batch = next;
        }
    }
    store__driver_closed(q->store, close_db(q));
}

/* ---- opening ----------------------------------------------------------------- */

/* Creates the folders leading to `path` (mode 0750), like mkdir -p. */
static int make_parents(const char *path)
{
    char *dir = xstrdup(path);
    int rc = 0;
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/') {
            continue;
        }
        *p = '\0';
        if (mkdir(dir, 0750) != 0 && errno != EEXIST) {
            rc = -errno;
            break;
        }
        *p = '/';
    }
    free(dir);
    return rc;
}

/* Creates a missing database file as 0600 before SQLite does (it would use
 * 0644): the file holds credentials and messages. The -wal and -shm files
 * SQLite makes take the database file's mode. */
static int create_private(const char *path, char *err, size_t errlen)
{
    int rc = make_parents(path);
    if (rc != 0) {
        snprintf(err, err ? errlen : 0, "%s: cannot create its folder: %s", path, strerror(-rc));
        return STRATA_EIO;
    }
    int fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) {
        snprintf(err, err ? errlen : 0, "%s: cannot create: %s", path, strerror(errno));
        return STRATA_EIO;
    }
    if (fd >= 0) {
        close(fd);
    }
    return 0;
}

static int set_pragmas(struct sq *q, const struct strata_store_config *cfg, char *err,
                       size_t errlen)
{
    char sql[192];
    long long cache_kib = cfg->cache_size ? (long long)(cfg->cache_size / 1024) : 2000;
    /* journal_size_limit: after a burst, checkpoints shrink the WAL file
     * back to 64 MiB instead of leaving it at its largest. */
    snprintf(sql, sizeof sql,
             "PRAGMA synchronous = %s; PRAGMA cache_size = -%lld;"
             " PRAGMA journal_size_limit = 67108864;",
             cfg->synchronous == STRATA_STORE_SYNC_FULL ? "FULL" : "NORMAL", cache_kib);
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(q->db, "PRAGMA journal_mode = WAL", -1, &st, NULL);
    const unsigned char *mode = NULL;
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW &&
        (!(mode = sqlite3_column_text(st, 0)) || strcmp((const char *)mode, "wal") != 0)) {
        rc = SQLITE_CANTOPEN;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
        rc = sqlite3_exec(q->db, sql, NULL, NULL, NULL);
    }
    if (rc != SQLITE_OK) {
        snprintf(err, err ? errlen : 0, "%s: cannot use it as a database in WAL mode: %s", q->path,
                 sqlite3_errmsg(q->db));
        return STRATA_EIO;
    }
    return 0;
}

static int open_db(struct sq *q, const struct strata_store_config *cfg, char *err, size_t errlen)
{
    int rc = create_private(q->path, err, errlen);
    if (rc != 0) {
        return rc;
    }
    /* NOMUTEX: the connection is only ever used by one thread at a time
     * (this one until the worker starts, then the worker). */
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(q->path, &q->db, flags, NULL) != SQLITE_OK) {
        snprintf(err, err ? errlen : 0, "%s: cannot open: %s", q->path,
                 q->db ? sqlite3_errmsg(q->db) : "out of memory");
        return STRATA_EIO;
    }
    sqlite3_extended_result_codes(q->db, 1);
    sqlite3_busy_timeout(q->db, cfg->busy_timeout_ms ? (int)cfg->busy_timeout_ms
                                                     : DEFAULT_BUSY_TIMEOUT_MS);
    rc = set_pragmas(q, cfg, err, errlen);
    if (rc == 0) {
        rc = sq__migrate(q->db, q->path, err, errlen);
    }
    if (rc == 0) {
        rc = sq__prepare(q, err, errlen);
    }
    return rc;
}

static void sq_free(void *state);

static int sq_open(struct strata_store *s, const struct strata_store_config *cfg, void **state,
                   char *err, size_t errlen)
{
    if (!cfg->path || !cfg->path[0]) {
        snprintf(err, err ? errlen : 0, "the sqlite driver needs the path of a database file");
        return STRATA_EINVAL;
    }
    struct sq *q = xcalloc(1, sizeof *q);
    q->store = s;
    q->path = xstrdup(cfg->path);
    uv_mutex_init(&q->lock);
    uv_cond_init(&q->wake);
    int rc = open_db(q, cfg, err, errlen);
    if (rc != 0) {
        goto fail;
    }
    if (uv_thread_create(&q->thread, worker, q) != 0) {
        snprintf(err, err ? errlen : 0, "%s: cannot start the storage thread", q->path);
        rc = STRATA_EIO;
        goto fail;
    }
    q->started = true;
    *state = q;
    return 0;
fail:
    if (q->db) {
        close_db(q);
    }
    sq_free(q);
    return rc;
}

/* ---- the driver, on the loop thread -------------------------------------------- */

static void sq_submit(void *state, struct strata_store_request *req)
{
    struct sq *q = state;
    req->next = NULL;
    uv_mutex_lock(&q->lock);
    if (q->todo_tail) {
        q->todo_tail->next = req;
    } else {
        q->todo_head = req;
    }
    q->todo_tail = req;
    uv_cond_signal(&q->wake);
    uv_mutex_unlock(&q->lock);
}

static void sq_close(void *state)
{
    struct sq *q = state;
    uv_mutex_lock(&q->lock);
    q->stopping = true;
    uv_cond_signal(&q->wake);
    uv_mutex_unlock(&q->lock);
}

static void sq_free(void *state)
{
    struct sq *q = state;
    if (q->started) {
        /* The worker has announced it is closed and is returning. */
        uv_thread_join(&q->thread);
    }
    uv_cond_destroy(&q->wake);
    uv_mutex_destroy(&q->lock);
    free(q->path);
    free(q);
}

static uint64_t sq_transactions(void *state)
{
    struct sq *q = state;
    uv_mutex_lock(&q->lock);
    uint64_t n = q->transactions;
    uv_mutex_unlock(&q->lock);
    return n;
}

const struct store_driver store__sqlite_driver = {
    .name = "sqlite",
    .open = sq_open,
    .submit = sq_submit,
    .close = sq_close,
    .free = sq_free,
    .transactions = sq_transactions,
};
