/*
 * uptime: server uptime through Last Activity (XEP-0012 §4).
 *
 * A last-activity query to the server's JID answers the seconds since start.
 */
#include "strata/module.h"

const struct strata_module strata_mod_uptime = {
    .name = "uptime",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "core",
    .specs = "XEP-0012",
    .summary = "how long the server has been running",
};
