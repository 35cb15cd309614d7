/*
 * Internals shared by the files of the sqlite driver: sqlite.c (opening,
 * the worker thread, transactions), sqlite_exec.c (one request as SQL) and
 * sqlite_schema.c (the schema and its migrations).
 */
#ifndef STRATA_STORE_SQLITE_H
#define STRATA_STORE_SQLITE_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "store/driver.h"

/* Statements prepared once at open. */
enum sq_stmt {
    SQ_BEGIN,
    SQ_BEGIN_IMMEDIATE,
    SQ_COMMIT,
    SQ_ROLLBACK,
    SQ_SAVEPOINT,
    SQ_ROLLBACK_TO,
    SQ_RELEASE,
    SQ_KEYVAL_GET,
    SQ_KEYVAL_SET,
    SQ_KEYVAL_ADD,
    SQ_KEYVAL_DEL,
    SQ_MAP_GET,
    SQ_MAP_SET,
    SQ_MAP_DEL,
    SQ_MAP_KEYS,
    SQ_ARCHIVE_APPEND,
    SQ_ARCHIVE_PIVOT,
    SQ_ARCHIVE_COUNT,
    SQ_ARCHIVE_EXPIRE,
    SQ_USER_LIST,
    SQ_USER_DEL_KEYVAL,
    SQ_USER_DEL_MAP,
    SQ_USER_DEL_ARCHIVE,
    SQ_STMT_COUNT,
};

/* Archive queries and deletes vary with the filters given; one statement
 * per shape (which filters, which kind) is prepared when first needed. */
enum {
    SQ_F_WITH = 1,
    SQ_F_START = 2,
    SQ_F_END = 4,
    SQ_F_AFTER = 8,
    SQ_F_BEFORE = 16,
    SQ_F_IDS = 32,
    SQ_F_SHAPES = 64,
};
enum sq_kind {
    SQ_SELECT_ASC,
    SQ_SELECT_DESC,
    SQ_DELETE_ASC,
    SQ_DELETE_DESC,
    SQ_COUNT,
    SQ_KINDS,
};

struct sq {
    struct strata_store *store;
    char *path;
    sqlite3 *db; /* used by the worker thread only, once it runs */
    sqlite3_stmt *stmt[SQ_STMT_COUNT];
    sqlite3_stmt *shape[SQ_KINDS][SQ_F_SHAPES];
    uv_thread_t thread;
    bool started; /* the thread runs (set before anything is submitted) */

    /* Shared between the loop thread and the worker, under `lock`. */
    uv_mutex_t lock;
    uv_cond_t wake;
    struct strata_store_request *todo_head;
    struct strata_store_request *todo_tail;
    bool stopping;
    uint64_t transactions;
};

/* The schema version this build writes; sqlite_schema.c. */
extern const int sq__schema_version;

/* Brings the schema of `db` to sq__schema_version in one transaction.
 * Returns 0, STRATA_EINVAL (a newer schema, or not a Strata database) or
 * STRATA_EIO, with a message in err. */
int sq__migrate(sqlite3 *db, const char *path, char *err, size_t errlen);

/* Prepares the fixed statements. Returns 0 or STRATA_EIO with a message. */
int sq__prepare(struct sq *q, char *err, size_t errlen);

/* Finalizes every statement. */
void sq__finalize(struct sq *q);

/* Carries out one request inside the current transaction; sets its
 * status and results. Worker thread. */
void sq__run(struct sq *q, struct strata_store_request *req);

/* Runs a statement that returns no rows, then resets it. Returns the
 * SQLite result code. */
int sq__exec(sqlite3_stmt *st);

/* The STRATA_E* for an SQLite result code. */
int sq__status(int rc);

/* Whether a request changes the database. */
bool sq__is_write(enum store_op op);

#endif
