/*
 * component: external components (XEP-0114).
 *
 * Lets a separate program (a gateway, a bot framework) serve a domain of
 * its own, e.g. `Component "gateway.example.org"` with a component_secret.
 * The handshake is a shared secret over an unencrypted stream, so the port
 * listens on loopback by default.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "component_ports", .type = STRATA_OPT_PORTS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5347", .help = "ports external components connect to"},
    {.name = "component_interfaces", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "127.0.0.1, ::1",
     .help = "addresses the component port listens on; loopback, as the handshake is not encrypted"},
    {.name = "component_secret", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_COMPONENT,
     .help = "shared secret of one external component (set inside its Component section)"},
    {.name = "component_stanza_size_limit", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_GLOBAL,
     .def = "512K", .min = 10240, .max = 16777216, .help = "largest stanza a component may send"},
    {.name = "component_conflict_resolve", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_COMPONENT,
     .def = "kick_new", .choices = STRATA_CHOICES("kick_new", "kick_old"),
     .help = "when a component connects twice: refuse the newcomer or replace the old connection"},
    {.name = "validate_from_addresses", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_COMPONENT,
     .def = "true", .help = "refuse stanzas from a component whose 'from' is outside its domain"},
    {.name = "component_tcp_keepalives", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .help = "TCP keepalives on component connections; follows tcp_keepalives when unset"},
    {0},
};

const struct strata_module strata_mod_component = {
    .name = "component",
    .layer = STRATA_LAYER_INTERFACES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "components",
    .specs = "XEP-0114",
    .summary = "external components on 5347, loopback by default",
    .options = options,
};
