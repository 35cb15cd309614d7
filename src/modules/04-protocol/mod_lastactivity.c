/*
 * lastactivity: users' Last Activity (XEP-0012 §3).
 *
 * Records when an account's last session went offline, with its status
 * text, and answers queries only from contacts subscribed to its presence.
 */
#include "strata/module.h"

const struct strata_module strata_mod_lastactivity = {
    .name = "lastactivity",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "extensions",
    .specs = "XEP-0012",
    .summary = "when a user was last online, for their subscribed contacts",
};
