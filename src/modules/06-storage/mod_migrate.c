/*
 * migrate: moving data in and out of Strata (XEP-0227), backups.
 *
 * `strata migrate` exports and imports accounts in the XEP-0227 format,
 * imports a Prosody data directory, and copies all stores between drivers
 * (sqlite -> postgres). Loaded, it also takes consistent backups on a
 * schedule; restoring is the import command.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "backup_path", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_GLOBAL,
     .def = "backups", .strata_only = true,
     .help = "folder for backups; a relative name is inside data_path"},
    {.name = "backup_interval", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .min = 3600, .max = 31536000, .strata_only = true,
     .help = "take a backup this often (e.g. \"1d\"); none are scheduled when unset"},
    {.name = "backup_retention", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .def = "7", .min = 1, .max = 1000, .strata_only = true,
     .help = "scheduled backups kept; older ones are deleted"},
    {0},
};

const struct strata_module strata_mod_migrate = {
    .name = "migrate",
    .layer = STRATA_LAYER_STORAGE,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "migration",
    .specs = "XEP-0227",
    .summary = "import/export (XEP-0227, Prosody data), driver-to-driver copy, backups",
    .options = options,
};
