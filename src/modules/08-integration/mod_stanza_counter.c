/*
 * stanza_counter: counts of stanzas by kind and direction.
 *
 * Messages, presences and iqs, in and out, per host: shown by the admin
 * shell and exported through /metrics when http_openmetrics is loaded.
 * No options.
 */
#include "strata/module.h"

const struct strata_module strata_mod_stanza_counter = {
    .name = "stanza_counter",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_STABLE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "apis",
    .specs = "-",
    .summary = "per-kind stanza counters",
};
