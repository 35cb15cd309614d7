/*
 * The sqlite driver's schema and its migrations.
 *
 * The version lives in table strata_meta (name 'schema_version'). At open,
 * one IMMEDIATE transaction reads it and applies every later migration, so
 * a database is either fully migrated or untouched, and two processes
 * opening the same file at once do not both migrate. A database whose
 * version is newer than this build's is refused (it was written by a newer
 * Strata, whose data this one would misread), and so is a database with
 * tables but no strata_meta (someone else's: Prosody's prosody.sqlite, say).
 *
 * Migrations are append-only: never edit one that has shipped; add the
 * next. Each is run as one script with sqlite3_exec.
 */
#include <stdio.h>
#include <string.h>

#include "store/sqlite.h"
#include "strata/errors.h"

static const char *const migrations[] = {
    /* 1: the three kinds of store. WITHOUT ROWID: the primary key is the
     * only way rows are reached. Archive items are ordered by (stamp, seq);
     * seq is the rowid, so the indexes on (..., stamp) end with it and
     * serve ORDER BY stamp, seq without sorting. */
    "CREATE TABLE strata_meta (name TEXT PRIMARY KEY, value) WITHOUT ROWID;"
    "CREATE TABLE keyval ("
    "  host TEXT NOT NULL, username TEXT NOT NULL, store TEXT NOT NULL,"
    "  value BLOB NOT NULL,"
    "  PRIMARY KEY (host, username, store)) WITHOUT ROWID;"
    "CREATE TABLE map ("
    "  host TEXT NOT NULL, username TEXT NOT NULL, store TEXT NOT NULL,"
    "  mapkey TEXT NOT NULL, value BLOB NOT NULL,"
    "  PRIMARY KEY (host, username, store, mapkey)) WITHOUT ROWID;"
    "CREATE TABLE archive ("
    "  seq INTEGER PRIMARY KEY,"
    "  host TEXT NOT NULL, username TEXT NOT NULL, store TEXT NOT NULL,"
    "  archive_id TEXT NOT NULL, stamp INTEGER NOT NULL, peer TEXT NOT NULL,"
    "  flags INTEGER NOT NULL, value BLOB NOT NULL);"
    "CREATE UNIQUE INDEX archive_by_id ON archive (host, username, store, archive_id);"
    "CREATE INDEX archive_by_time ON archive (host, username, store, stamp);"
    "CREATE INDEX archive_by_peer ON archive (host, username, store, peer, stamp);"
    /* Retention deletes by host, store and age across users. */
    "CREATE INDEX archive_by_age ON archive (host, store, stamp);",
};

const int sq__schema_version = (int)(sizeof migrations / sizeof migrations[0]);

/* The database's schema version: 0 for a database without strata_meta, -1
 * for one with tables of its own (not Strata's), -2 on error. */
static int read_version(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int version = -2;
    int rc = sqlite3_prepare_v2(db,
                                "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'table'),"
                                " (SELECT count(*) FROM sqlite_master WHERE name = 'strata_meta')",
                                -1, &st, NULL);
    if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
        goto done;
    }
    int tables = sqlite3_column_int(st, 0);
    bool ours = sqlite3_column_int(st, 1) > 0;
    sqlite3_finalize(st);
    st = NULL;
    if (!ours) {
        version = tables > 0 ? -1 : 0;
        goto done;
    }
    rc = sqlite3_prepare_v2(db, "SELECT value FROM strata_meta WHERE name = 'schema_version'", -1,
                            &st, NULL);
    if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
        version = sqlite3_column_int(st, 0);
    }
done:
    sqlite3_finalize(st);
    return version;
}

static int write_version(sqlite3 *db, int version)
{
    char sql[128];
    snprintf(sql, sizeof sql,
             "INSERT OR REPLACE INTO strata_meta (name, value) VALUES ('schema_version', %d)",
             version);
    return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int apply(sqlite3 *db, int from, const char *path, char *err, size_t errlen)
{
    for (int v = from + 1; v <= sq__schema_version; v++) {
        char *msg = NULL;
        if (sqlite3_exec(db, migrations[v - 1], NULL, NULL, &msg) != SQLITE_OK) {
            snprintf(err, err ? errlen : 0, "%s: migrating the schema to version %d failed: %s",
                     path, v, msg ? msg : sqlite3_errmsg(db));
            sqlite3_free(msg);
            return STRATA_EIO;
        }
    }
    if (write_version(db, sq__schema_version) != SQLITE_OK) {
        snprintf(err, err ? errlen : 0, "%s: cannot record the schema version: %s", path,
                 sqlite3_errmsg(db));
        return STRATA_EIO;
    }
    return 0;
}

static int check_version(int version, const char *path, char *err, size_t errlen)
{
    if (version == -2) {
        return STRATA_EIO; /* the caller reports sqlite's message */
    }
    if (version == -1) {
        snprintf(err, err ? errlen : 0,
                 "%s: not a Strata database (it has tables but no strata_meta); "
                 "point sql.database at a file of Strata's own",
                 path);
        return STRATA_EINVAL;
    }
    if (version > sq__schema_version) {
        snprintf(err, err ? errlen : 0,
                 "%s: schema version %d is newer than this Strata understands (%d): "
                 "it was written by a newer Strata; run that version, or restore a backup",
                 path, version, sq__schema_version);
        return STRATA_EINVAL;
    }
    return 0;
}

int sq__migrate(sqlite3 *db, const char *path, char *err, size_t errlen)
{
    int rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, err ? errlen : 0, "%s: %s", path, sqlite3_errmsg(db));
        return STRATA_EIO;
    }
    int version = read_version(db);
    rc = check_version(version, path, err, errlen);
    if (rc == STRATA_EIO) {
        snprintf(err, err ? errlen : 0, "%s: %s", path, sqlite3_errmsg(db));
    }
    if (rc == 0 && version < sq__schema_version) {
        rc = apply(db, version, path, err, errlen);
    }
    if (rc != 0) {
        goto fail;
    }
    if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
        snprintf(err, err ? errlen : 0, "%s: committing the schema failed: %s", path,
                 sqlite3_errmsg(db));
        rc = STRATA_EIO;
        goto fail;
    }
    return 0;
fail:
    sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}
