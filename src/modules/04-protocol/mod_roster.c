/*
 * roster: contact lists and subscriptions (RFC 6121 §2-3).
 *
 * Roster get/set/push with versioning (§2.6), subscription state machine
 * (§3, Appendix A) and pre-approval (§3.4). Presence routing itself is
 * layer 05's `presence`.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "roster_max_items",
     .type = STRATA_OPT_INT,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "1000",
     .min = 10,
     .max = 100000,
     .strata_only = true,
     .help = "most contacts one account may have; more is refused with resource-constraint"},
    {0},
};

const struct strata_module strata_mod_roster = {
    .name = "roster",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "core",
    .specs = "RFC 6121 §2-3",
    .summary = "contact lists: versioning, pre-approval, subscription states",
    .options = options,
};
