/*
 * pep: Personal Eventing Protocol (XEP-0163) on every account.
 *
 * A pubsub service (XEP-0060) at each user's bare JID, with
 * publish-options (XEP-0060 §7.1.5) so clients can create nodes with the
 * access model they need: OMEMO device lists and bundles, avatars, vCard4,
 * bookmarks. Private XML in PEP (XEP-0223) is a whitelist node.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "pep_max_items", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS, .def = "256",
     .min = 1, .max = 10000, .help = "most items one PEP node may keep (a node asking for more gets this)"},
    {.name = "pep_service_cache_size", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS, .def = "1000",
     .min = 1, .max = 1000000, .help = "users' PEP services kept in memory"},
    {.name = "pep_info_cache_size", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS, .def = "10000",
     .min = 1, .max = 1000000, .help = "remembered entity capabilities (XEP-0115) used to send +notify items"},
    {0},
};

const struct strata_module strata_mod_pep = {
    .name = "pep",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "pubsub",
    .specs = "XEP-0163, XEP-0060, XEP-0223",
    .summary = "a pubsub service per account, with publish-options (OMEMO, avatars)",
    .options = options,
};
