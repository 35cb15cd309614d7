/*
 * omemo_all_access: legacy OMEMO workaround (XEP-0384).
 *
 * Makes OMEMO device lists and bundles readable by anyone, for old clients
 * that publish them without the open access model. Clients that use PEP
 * publish-options (XEP-0223) need nothing from this module.
 */
#include "strata/module.h"

const struct strata_module strata_mod_omemo_all_access = {
    .name = "omemo_all_access",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_ALPHA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "encryption",
    .specs = "XEP-0384",
    .summary = "open access to OMEMO keys for clients without PEP publish-options",
    .requires = STRATA_NAMES("pep"),
};
