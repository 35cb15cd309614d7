/*
 * storage_sqlite: the embedded storage driver, SQLite in WAL mode.
 *
 * The default: nothing to install or run, one file (`sql.database`, inside
 * data_path). WAL lets readers proceed while the single writer commits.
 * Queries run on a dedicated storage worker thread (src/store/sqlite.c),
 * never on the loop thread. Selected with `storage = "sqlite"` (the core
 * option), not by listing the module.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    /* In WAL mode "normal" cannot corrupt the database; a power cut may
     * lose the last commits. "full" syncs every commit and costs latency. */
    {.name = "sqlite_synchronous", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_GLOBAL,
     .def = "normal", .choices = STRATA_CHOICES("normal", "full"), .strata_only = true,
     .help = "\"full\" syncs to disk on every commit; \"normal\" may lose the last commits on power loss"},
    {.name = "sqlite_cache_size", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_GLOBAL,
     .def = "8M", .min = 1048576, .max = 4294967296.0, .strata_only = true,
     .help = "memory SQLite may use to cache database pages"},
    {0},
};

const struct strata_module strata_mod_storage_sqlite = {
    .name = "storage_sqlite",
    .layer = STRATA_LAYER_STORAGE,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .tested_with = "slixmpp",
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "backends",
    .specs = "-",
    .summary = "embedded SQLite storage (WAL), the default",
    .options = options,
};
