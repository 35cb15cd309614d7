/*
 * http: the HTTP/1.1 server (RFC 9112) every web-facing module runs on.
 *
 * Plain HTTP listens on loopback only, for a reverse proxy on the same
 * machine; HTTPS listens everywhere with the hosts' certificates (SNI).
 * Modules register routes under http_paths; CORS headers are answered here
 * once for all of them. Client addresses are taken from X-Forwarded-For
 * only when the request comes from a trusted proxy.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    /* Listeners. */
    {.name = "http_ports", .type = STRATA_OPT_PORTS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5280", .help = "ports for plain HTTP"},
    {.name = "http_interfaces", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "127.0.0.1, ::1", .help = "addresses plain HTTP listens on; loopback, for a local reverse proxy"},
    {.name = "https_ports", .type = STRATA_OPT_PORTS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5281", .help = "ports for HTTPS"},
    {.name = "https_interfaces", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "*, ::", .help = "addresses HTTPS listens on"},
    /* Hosts and URLs. */
    {.name = "http_default_host", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_GLOBAL,
     .help = "VirtualHost that answers requests whose Host header matches none"},
    {.name = "http_host", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOST | STRATA_SCOPE_COMPONENT,
     .help = "HTTP host name of a VirtualHost or Component when it differs from its XMPP name"},
    {.name = "http_external_url", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_ANY,
     .help = "public base URL (\"https://xmpp.example.org/\") used in links when behind a reverse proxy"},
    {.name = "http_paths", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_ANY,
     .help = "URL path per HTTP module, e.g. { bosh = \"/http-bind\", file_share = \"/upload\" }"},
    {.name = "trusted_proxies", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "127.0.0.1, ::1",
     .help = "addresses or CIDR ranges of reverse proxies whose X-Forwarded-For/-Proto are believed"},
    /* CORS (browsers calling BOSH, WebSocket, upload or the REST API from another origin). */
    {.name = "http_default_cors_enabled", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .def = "true", .help = "answer CORS requests for modules that allow them"},
    {.name = "http_cors_override", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_ANY,
     .help = "CORS settings per HTTP module, e.g. { bosh = { enabled = false } }"},
    {.name = "access_control_allow_origins", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .help = "origins allowed to call; any origin when unset"},
    {.name = "access_control_allow_methods", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "GET, OPTIONS", .help = "methods announced in Access-Control-Allow-Methods"},
    {.name = "access_control_allow_headers", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "Content-Type", .help = "headers announced in Access-Control-Allow-Headers"},
    {.name = "access_control_allow_credentials", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .def = "false", .help = "let browsers send cookies and HTTP authentication cross-origin"},
    {.name = "access_control_max_age", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .def = "2h", .min = 0, .max = 86400, .help = "how long browsers may cache a CORS answer"},
    /* Limits: a request body is buffered before its handler runs. */
    {.name = "http_max_content_size", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_GLOBAL,
     .def = "10M", .min = 1024, .max = 1073741824.0,
     .help = "largest request body accepted (uploads stream and have their own limit)"},
    {.name = "http_max_buffer_size", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_GLOBAL,
     .def = "20M", .min = 2048, .max = 2147483648.0,
     .help = "most unprocessed input buffered per connection"},
    {0},
};

const struct strata_module strata_mod_http = {
    .name = "http",
    .layer = STRATA_LAYER_INTERFACES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "http",
    .specs = "RFC 9112",
    .summary = "HTTP server: 5280 on loopback, 5281 HTTPS; CORS; trusted proxies",
    .options = options,
};
