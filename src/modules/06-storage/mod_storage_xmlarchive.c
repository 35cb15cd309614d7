/*
 * storage_xmlarchive: archive store kept as XML files, one per user and day.
 *
 * Only archive stores (MAM), inside data_path; readable and greppable
 * without a database, easy to rotate with ordinary tools. Selected per store:
 * `storage = { archive = "xmlarchive" }`. No options.
 */
#include "strata/module.h"

const struct strata_module strata_mod_storage_xmlarchive = {
    .name = "storage_xmlarchive",
    .layer = STRATA_LAYER_STORAGE,
    .tier = STRATA_TIER_STABLE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "backends",
    .specs = "-",
    .summary = "message archives as daily XML files",
};
