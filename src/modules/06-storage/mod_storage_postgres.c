/*
 * storage_postgres: PostgreSQL storage driver (libpq, asynchronous).
 *
 * The same stores as storage_sqlite in a database server, so several
 * Strata nodes can share one. Connection settings are the core `sql` table;
 * selected with `storage = "postgres"`, not by listing the module.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "sql_manage_tables", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "create and upgrade tables at start; false when a DBA manages the schema"},
    {.name = "sql_pool_size", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .def = "4", .min = 1, .max = 100, .strata_only = true,
     .help = "connections each Strata node keeps open to the database"},
    {.name = "sql_connect_timeout", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .def = "10s", .min = 1, .max = 300, .strata_only = true,
     .help = "how long to wait for the database before reporting it unreachable"},
    {0},
};

const struct strata_module strata_mod_storage_postgres = {
    .name = "storage_postgres",
    .layer = STRATA_LAYER_STORAGE,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "backends",
    .specs = "-",
    .summary = "PostgreSQL storage, for multi-node deployments",
    .options = options,
};
