/*
 * s2s: server-to-server connections (RFC 6120, XEP-0288).
 *
 * Listens on s2s_ports (STARTTLS) and, when configured, s2s_direct_tls_ports
 * (XEP-0368, ALPN "xmpp-server"); resolves peers through SRV with c-ares and
 * connects out. Peers are authenticated by s2s_auth_certs (XEP-0178) or, as
 * a fallback, dialback (XEP-0220). Bidirectional streams (XEP-0288) let one
 * connection carry both directions.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "s2s_ports", .type = STRATA_OPT_PORTS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5269", .help = "ports for server connections that upgrade with STARTTLS"},
    {.name = "s2s_direct_tls_ports", .type = STRATA_OPT_PORTS, .scope = STRATA_SCOPE_GLOBAL,
     .help = "ports for server connections that start with TLS (XEP-0368); none by default"},
    {.name = "s2s_interfaces", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "*, ::", .help = "addresses the server ports listen on"},
    {.name = "s2s_require_encryption", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "refuse server connections that are not encrypted"},
    {.name = "s2s_secure_auth", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false",
     .help = "require a valid certificate from every peer (no dialback fallback)"},
    {.name = "s2s_secure_domains", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "domains that must present a valid certificate even when s2s_secure_auth is off"},
    {.name = "s2s_insecure_domains", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "domains allowed to authenticate by dialback even when s2s_secure_auth is on"},
    {.name = "s2s_timeout", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .def = "90s", .min = 1, .max = 3600,
     .help = "how long a server connection may take to connect and authenticate"},
    {.name = "s2s_close_timeout", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5s", .min = 0, .max = 300,
     .help = "how long to wait for the peer's </stream:stream> before closing the socket"},
    {.name = "s2s_stanza_size_limit", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_GLOBAL,
     .def = "512K", .min = 10240, .max = 16777216,
     .help = "largest stanza a peer server may send (RFC 6120 §13.12)"},
    {.name = "s2s_tcp_keepalives", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .help = "TCP keepalives on server connections; unset follows tcp_keepalives"},
    {.name = "s2s_bidi", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .def = "true", .strata_only = true,
     .help = "offer and use bidirectional server streams (XEP-0288): one connection per peer"},
    {.name = "use_ipv4", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .def = "true", .help = "connect to remote servers over IPv4"},
    {.name = "use_ipv6", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .def = "true", .help = "connect to remote servers over IPv6"},
    {0},
};

const struct strata_module strata_mod_s2s = {
    .name = "s2s",
    .layer = STRATA_LAYER_TRANSPORT,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "ports",
    .specs = "RFC 6120, XEP-0288, XEP-0368",
    .summary = "server federation: STARTTLS on 5269, optional direct TLS, bidirectional streams",
    .requires = STRATA_NAMES("tls"),
    .wants = STRATA_NAMES("s2s_auth_certs", "dialback"),
    .options = options,
    .autoload = true,
};
