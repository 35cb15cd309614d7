/*
 * time: Entity Time (XEP-0202).
 *
 * Answers the server's current time in UTC (offset "Z"), which reveals
 * nothing about where the machine stands.
 */
#include "strata/module.h"

const struct strata_module strata_mod_time = {
    .name = "time",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "core",
    .specs = "XEP-0202",
    .summary = "the server's time, in UTC",
};
