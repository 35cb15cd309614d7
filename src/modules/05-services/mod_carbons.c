/*
 * carbons: Message Carbons (XEP-0280).
 *
 * Copies a user's one-to-one messages, sent and received, to each of their
 * other online clients that enabled carbons, so a conversation reads the same
 * on every device. XEP-0280 leaves the operator nothing to choose: no options.
 */
#include "strata/module.h"

const struct strata_module strata_mod_carbons = {
    .name = "carbons",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "messaging",
    .specs = "XEP-0280",
    .summary = "copies of one-to-one messages to all of a user's clients",
};
