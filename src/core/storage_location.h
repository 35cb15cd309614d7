/*
 * Where the server keeps its data, decided once for the server and for
 * `strata user` alike: the storage driver and the SQLite file.
 */
#ifndef STRATA_CORE_STORAGE_LOCATION_H
#define STRATA_CORE_STORAGE_LOCATION_H

#include "config/check.h"

struct storage_location {
    const char *driver; /* "sqlite" or "memory" (static) */
    char *data_path;    /* resolved data_path (owned) */
    char *database;     /* the SQLite file (owned); NULL for memory */
};

/* Reads `storage` (a driver name, or a table whose "accounts" entry, else
 * `default_storage`, decides — the server keeps one store), `sql.database`
 * and `data_path` from the global section; relative paths resolve against
 * the main configuration file's folder (`main_dir`), database names against
 * data_path. Returns 0, or STRATA_EINVAL with a sentence in `problem` when
 * the chosen driver is not available in this version (postgres, xmlarchive). */
int storage_location_get(const struct cfg_check *c, const char *main_dir,
                         struct storage_location *out, const char **problem);

void storage_location_clear(struct storage_location *loc);

#endif
