/*
 * private: Private XML Storage (XEP-0049).
 *
 * Lets a client store arbitrary XML under its account, keyed by element
 * name and namespace, readable only by the account itself. No options.
 */
#include "strata/module.h"

const struct strata_module strata_mod_private = {
    .name = "private",
    .layer = STRATA_LAYER_STORAGE,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "backends",
    .specs = "XEP-0049",
    .summary = "private XML storage per account",
};
