/*
 * limits: protects the server from floods (XEP-0205).
 *
 * A token bucket per connection throttles reading (rate, burst) by session
 * type, as Prosody's mod_limits; per-IP counters cap simultaneous
 * connections (XEP-0205 §4.1) and failed logins (§4.2). A throttled
 * connection is paused, not dropped, so a fast honest client only slows.
 */
#include "strata/module.h"

/* One token bucket; each session type has its own defaults (Prosody's shipped
 * limits: 10kb/s for clients, 30kb/s for servers; outgoing servers unlimited). */
#define BUCKET(rate_def, burst_def)                                                   \
    {.name = "rate", .type = STRATA_OPT_RATE, .def = rate_def, .min = 100, .max = 1e9, \
     .help = "sustained bytes per second read from one connection"},                 \
    {.name = "burst", .type = STRATA_OPT_DURATION, .def = burst_def, .min = 0, .max = 60, \
     .help = "how many seconds of rate a connection may send at once"},              \
    {0}

static const struct strata_option c2s_bucket[] = {BUCKET("10kb/s", "2s")};
static const struct strata_option s2sin_bucket[] = {BUCKET("30kb/s", "2s")};
static const struct strata_option s2sout_bucket[] = {BUCKET(NULL, NULL)};

/* .def = "" on a TABLE field marks it as defaulted: its value when unset is
 * built from its own fields' defaults, so an unset `limits` still limits
 * clients and incoming servers ("limits everywhere", DESIGN.md). */
static const struct strata_option limits_fields[] = {
    {.name = "c2s", .type = STRATA_OPT_TABLE, .fields = c2s_bucket, .def = "",
     .help = "client connections"},
    {.name = "s2sin", .type = STRATA_OPT_TABLE, .fields = s2sin_bucket, .def = "",
     .help = "incoming server connections"},
    {.name = "s2sout", .type = STRATA_OPT_TABLE, .fields = s2sout_bucket,
     .help = "outgoing server connections; unlimited unless set"},
    {0},
};

static const struct strata_option options[] = {
    {.name = "limits", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_GLOBAL,
     .fields = limits_fields,
     .help = "read rate per session type: { c2s = { rate = \"10kb/s\", burst = \"2s\" }, ... }"},
    {.name = "limits_resolution", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .def = "1s", .min = 0.01, .max = 60,
     .help = "how often a throttled connection is looked at again"},
    {.name = "unlimited_jids", .type = STRATA_OPT_JIDS, .scope = STRATA_SCOPE_GLOBAL,
     .help = "accounts whose connections are never throttled (bots, bridges)"},
    {.name = "limits_connections_per_ip", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .def = "64", .min = 1, .max = 100000, .strata_only = true,
     .help = "simultaneous connections from one IP address (XEP-0205 §4.1); high for carrier NAT"},
    {.name = "limit_auth_max", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5", .min = 1, .max = 1000,
     .help = "failed logins from one IP address per limit_auth_period before it must wait"},
    {.name = "limit_auth_period", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .def = "30s", .min = 1, .max = 86400,
     .help = "window over which limit_auth_max failed logins are counted"},
    {0},
};

const struct strata_module strata_mod_limits = {
    .name = "limits",
    .layer = STRATA_LAYER_TRANSPORT,
    .tier = STRATA_TIER_STABLE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "connections",
    .specs = "XEP-0205",
    .summary = "read rate per connection, connections and failed logins per IP",
    .options = options,
};
