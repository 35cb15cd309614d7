/*
 * blocklist: Blocking Command (XEP-0191).
 *
 * Users block JIDs or whole domains; blocked senders' stanzas are dropped
 * (or answered with an error for iq) before any other handler, in both
 * directions. A block may carry a spam report (XEP-0377), handled by
 * spam_reporting.
 */
#include "strata/module.h"

const struct strata_module strata_mod_blocklist = {
    .name = "blocklist",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "filtering",
    .specs = "XEP-0191",
    .summary = "users block contacts and domains",
    .wants = STRATA_NAMES("spam_reporting"),
};
