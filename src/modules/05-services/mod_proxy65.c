/*
 * proxy65: SOCKS5 Bytestreams proxy (XEP-0065) as a component.
 *
 * Relays file transfers between two clients that cannot reach each other
 * directly. By default only users of the server's own hosts may use it, so
 * it is not an open relay for the world's traffic.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "proxy65_ports", .type = STRATA_OPT_PORTS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5000", .help = "ports the SOCKS5 proxy listens on"},
    {.name = "proxy65_interfaces", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .help = "addresses the proxy listens on; the `interfaces` option when unset"},
    {.name = "proxy65_address", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_COMPONENT,
     .help = "host name or IP address clients are told to connect to; the component's name when unset"},
    {.name = "proxy65_acl", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_COMPONENT,
     .help = "JIDs and domains allowed to use the proxy, besides users of this server's hosts"},
    {.name = "proxy65_open_access", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_COMPONENT,
     .def = "false", .help = "let anyone on the network use the proxy (an open relay)"},
    {0},
};

const struct strata_module strata_mod_proxy65 = {
    .name = "proxy65",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_COMPONENT,
    .config_file = "messaging",
    .specs = "XEP-0065",
    .summary = "file transfer proxy, as a component",
    .options = options,
};
