/*
 * health: liveness and readiness endpoints for orchestrators.
 *
 * /health/live answers 200 while the event loop turns; /health/ready
 * answers 200 once listeners are up and storage responds, 503 otherwise.
 * Bodies say only up or down, so nothing is learnt by asking.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "health_allow_ips", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "127.0.0.1, ::1", .strata_only = true,
     .help = "addresses or CIDR ranges allowed to ask (add the orchestrator's)"},
    {.name = "health_check_storage", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .def = "true", .strata_only = true,
     .help = "readiness includes a round trip to storage"},
    {0},
};

const struct strata_module strata_mod_health = {
    .name = "health",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "apis",
    .specs = "-",
    .summary = "liveness and readiness over HTTP",
    .requires = STRATA_NAMES("http"),
    .options = options,
};
