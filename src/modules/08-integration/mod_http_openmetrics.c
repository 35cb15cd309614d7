/*
 * http_openmetrics: server statistics at /metrics in the OpenMetrics text
 * format, for Prometheus and compatible scrapers.
 *
 * Only the addresses in openmetrics_allow_ips (loopback by default) may
 * read it. Also owns Prosody's global `statistics` switches, as metrics are
 * what they are for.
 */
#include <string.h>

#include "strata/config.h"
#include "strata/module.h"

/* Prosody takes a number of seconds or "manual" (collect when scraped). */
static const char *check_interval(const struct cfg_value *v)
{
    if (v->kind == CFG_NUMBER && v->u.n > 0) {
        return NULL;
    }
    if (v->kind == CFG_STRING && strcmp(v->u.str.ptr, "manual") == 0) {
        return NULL;
    }
    return "must be a number of seconds or \"manual\"";
}

static const struct strata_option options[] = {
    {.name = "openmetrics_allow_ips", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "::1, 127.0.0.1", .help = "addresses allowed to read /metrics"},
    {.name = "openmetrics_allow_cidr", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_GLOBAL,
     .help = "a network (\"10.0.0.0/8\") also allowed to read /metrics"},
    {.name = "statistics", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_GLOBAL,
     .def = "internal", .choices = STRATA_CHOICES("internal"),
     .help = "where statistics are collected; \"internal\" keeps them for /metrics"},
    {.name = "statistics_interval", .type = STRATA_OPT_ANY, .scope = STRATA_SCOPE_GLOBAL,
     .def = "manual", .check = check_interval,
     .help = "seconds between collections, or \"manual\" to collect when /metrics is read"},
    {0},
};

const struct strata_module strata_mod_http_openmetrics = {
    .name = "http_openmetrics",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "apis",
    .specs = "OpenMetrics",
    .summary = "/metrics for Prometheus",
    .requires = STRATA_NAMES("http"),
    .options = options,
};
