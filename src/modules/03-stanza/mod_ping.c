/*
 * ping: XMPP Ping (XEP-0199).
 *
 * Answers pings to the server, and pings connections that have been quiet
 * for ping_interval: a peer that does not answer within ping_timeout is
 * considered dead and its session closed (or hibernated by smacks).
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "ping_interval", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "5m", .min = 0, .max = 86400, .strata_only = true,
     .help = "ping a client or server connection idle this long; 0 never pings"},
    {.name = "ping_timeout", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "1m", .min = 1, .max = 3600, .strata_only = true,
     .help = "close a connection whose ping has no answer after this long"},
    {0},
};

const struct strata_module strata_mod_ping = {
    .name = "ping",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "routing",
    .specs = "XEP-0199",
    .summary = "answers pings; pings idle connections to find dead peers",
    .options = options,
};
