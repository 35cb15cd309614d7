/*
 * http_host_meta: connection discovery for web clients (XEP-0156).
 *
 * Serves /.well-known/host-meta and host-meta.json listing the BOSH and
 * WebSocket URLs of the host, so a web client needs only the domain.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "advertise_bosh", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "list the BOSH URL when bosh is loaded"},
    {.name = "advertise_websocket", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "list the WebSocket URL when websocket is loaded"},
    {0},
};

const struct strata_module strata_mod_http_host_meta = {
    .name = "http_host_meta",
    .layer = STRATA_LAYER_INTERFACES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "websocket",
    .specs = "XEP-0156",
    .summary = "/.well-known/host-meta: BOSH and WebSocket discovery",
    .requires = STRATA_NAMES("http"),
    /* It advertises what they serve; with neither loaded it lists nothing. */
    .wants = STRATA_NAMES("websocket", "bosh"),
    /* COMPAT(prosody): Prosody 0.13 ships this as mod_http_altconnect. */
    .aliases = STRATA_NAMES("http_altconnect"),
    .options = options,
};
