/*
 * filter_chatstates: drops chat states for inactive clients (XEP-0085, XEP-0352).
 *
 * "Typing..." notifications are worthless to a phone in a pocket: while a
 * client is inactive they are dropped instead of queued or sent.
 */
#include "strata/module.h"

const struct strata_module strata_mod_filter_chatstates = {
    .name = "filter_chatstates",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_ALPHA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "filtering",
    .specs = "XEP-0085, XEP-0352",
    .summary = "drops chat state notifications to inactive clients",
    .requires = STRATA_NAMES("csi_simple"),
};
