/*
 * measure_stanza_counts: stanza counts by kind and type, as metrics.
 *
 * Finer than stanza_counter (message types, iq namespaces), made for
 * /metrics; experimental because the label set may still change. No options.
 */
#include "strata/module.h"

const struct strata_module strata_mod_measure_stanza_counts = {
    .name = "measure_stanza_counts",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_ALPHA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "apis",
    .specs = "-",
    .summary = "stanza counts by kind and type, for /metrics",
    .wants = STRATA_NAMES("http_openmetrics"),
};
