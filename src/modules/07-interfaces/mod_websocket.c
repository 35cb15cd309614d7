/*
 * websocket: XMPP over WebSocket (RFC 7395) for web clients.
 *
 * Each WebSocket is a client session like one on 5222, with the same
 * authentication and stanza limits (c2s_stanza_size_limit). Frames are
 * bounded before they are buffered.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "consider_websocket_secure", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .help = "treat plain ws:// as encrypted, when a proxy in front terminates TLS"},
    {.name = "cross_domain_websocket", .type = STRATA_OPT_ANY, .scope = STRATA_SCOPE_HOSTS,
     .help = "deprecated (use http_cors_override): true or a list of origins allowed to connect"},
    {.name = "websocket_frame_buffer_limit", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_GLOBAL,
     .def = "512K", .min = 10240, .max = 33554432, .help = "most data buffered for one incomplete message"},
    {.name = "websocket_frame_fragment_limit", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .def = "8", .min = 1, .max = 1024, .help = "most fragments one message may be split into"},
    {0},
};

const struct strata_module strata_mod_websocket = {
    .name = "websocket",
    .layer = STRATA_LAYER_INTERFACES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "websocket",
    .specs = "RFC 7395",
    .summary = "XMPP over WebSocket, for web clients",
    .requires = STRATA_NAMES("http", "c2s"),
    .options = options,
};
