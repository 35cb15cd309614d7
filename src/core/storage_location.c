/*
 * Where the server keeps its data; see storage_location.h.
 */
#include "core/storage_location.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "util/xalloc.h"

static const char DEFAULT_DATABASE[] = "strata.sqlite";

static bool names_postgres(const struct cfg_value *sql)
{
    const struct cfg_value *d = cfg_table_get(sql, "driver");
    return d && d->kind == CFG_STRING &&
           (strcmp(d->u.str.ptr, "PostgreSQL") == 0 || strcmp(d->u.str.ptr, "postgres") == 0);
}

/* The driver that holds the accounts (and so everything: one store). */
static const char *driver_name(const struct cfg_check *c, char *buf, size_t len)
{
    struct cfg_value a, b;
    const struct cfg_value *v = check_value(c, 0, "storage", &a, NULL);
    const struct cfg_value *def = check_value(c, 0, "default_storage", &b, NULL);
    if (v && v->kind == CFG_TABLE) {
        const struct cfg_value *acc = cfg_table_get(v, "accounts");
        v = acc ? acc : def;
    }
    snprintf(buf, len, "%s", v && v->kind == CFG_STRING ? v->u.str.ptr : "sqlite");
    cfg_value_clear(&a);
    cfg_value_clear(&b);
    return buf;
}

static char *resolve(const char *dir, const char *path)
{
    return path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", dir, path);
}

int storage_location_get(const struct cfg_check *c, const char *main_dir,
                         struct storage_location *out, const char **problem)
{
    memset(out, 0, sizeof *out);
    char name[64];
    driver_name(c, name, sizeof name);
    struct cfg_value a, b;
    const struct cfg_value *sql = check_value(c, 0, "sql", &a, NULL);
    const struct cfg_value *data = check_value(c, 0, "data_path", &b, NULL);
    bool postgres = strcmp(name, "postgres") == 0 || (strcmp(name, "sql") == 0 && names_postgres(sql));
    bool sqlite = !postgres && (strcmp(name, "sqlite") == 0 || strcmp(name, "internal") == 0 ||
                                strcmp(name, "sql") == 0);
    int rc = 0;
    if (strcmp(name, "memory") == 0) {
        out->driver = "memory";
    } else if (sqlite) {
        out->driver = "sqlite";
    } else {
        *problem = postgres ? "storage \"postgres\" (module storage_postgres) is planned and not "
                              "available in this version; use \"sqlite\""
                            : "this storage driver is not available in this version; use \"sqlite\"";
        rc = STRATA_EINVAL;
    }
    if (rc == 0) {
        out->data_path = resolve(main_dir, data && data->kind == CFG_STRING ? data->u.str.ptr
                                                                            : "/var/lib/strata");
        const struct cfg_value *db = cfg_table_get(sql, "database");
        out->database = strcmp(out->driver, "sqlite") != 0 ? NULL
                        : resolve(out->data_path, db && db->kind == CFG_STRING ? db->u.str.ptr
                                                                               : DEFAULT_DATABASE);
    }
    cfg_value_clear(&a);
    cfg_value_clear(&b);
    return rc;
}

void storage_location_clear(struct storage_location *loc)
{
    free(loc->data_path);
    free(loc->database);
    memset(loc, 0, sizeof *loc);
}
