/*
 * storage_memory: storage that lives in memory and is lost at exit.
 *
 * For tests and deliberately ephemeral servers (demos, anonymous hosts).
 * Selected with `storage = "memory"` or per store, not by listing the module.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "storage_memory_temporary", .planned = true, .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .help = "drop a user's data when their last session ends"},
    {.name = "storage_memory_temporary_stores", .planned = true, .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "stores whose data is dropped when the user's last session ends (e.g. \"roster\")"},
    {0},
};

const struct strata_module strata_mod_storage_memory = {
    .name = "storage_memory",
    .layer = STRATA_LAYER_STORAGE,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_IMPLEMENTED,
    .tested_with = "slixmpp",
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "backends",
    .specs = "-",
    .summary = "in-memory storage, for tests and ephemeral servers",
    .options = options,
};
