/*
 * c2s: client-to-server connections (RFC 6120).
 *
 * Listens on c2s_ports (STARTTLS) and c2s_direct_tls_ports (XEP-0368, ALPN
 * "xmpp-client"), runs stream negotiation and hands authenticated sessions
 * to the router. c2s_require_encryption is read here and by saslauth and
 * register; it is declared once, here, where Prosody's users look for it.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "c2s_ports", .type = STRATA_OPT_PORTS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5222", .help = "ports for client connections that upgrade with STARTTLS"},
    {.name = "c2s_direct_tls_ports", .type = STRATA_OPT_PORTS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5223", .help = "ports for client connections that start with TLS (XEP-0368)"},
    /* COMPAT(prosody): configurations older than Prosody 0.12 name the direct TLS port so. */
    {.name = "legacy_ssl_ports", .type = STRATA_OPT_PORTS, .scope = STRATA_SCOPE_GLOBAL,
     .help = "Prosody's older name for c2s_direct_tls_ports; prefer the new name"},
    {.name = "c2s_interfaces", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "*, ::",
     .help = "addresses the client ports listen on: \"*\" every IPv4 address, \"::\" every IPv6"},
    {.name = "c2s_require_encryption", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "refuse authentication and stanzas until the stream is encrypted"},
    {.name = "c2s_stanza_size_limit", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_GLOBAL,
     .def = "256K", .min = 10240, .max = 16777216,
     .help = "largest stanza a client may send after authentication (RFC 6120 §13.12)"},
    {.name = "c2s_preauth_stanza_size_limit", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_GLOBAL,
     .def = "10K", .min = 1024, .max = 1048576, .strata_only = true,
     .help = "largest stanza a client may send before it has authenticated"},
    {.name = "c2s_timeout", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .def = "90s", .min = 1, .max = 3600,
     .help = "how long an unauthenticated connection may take to log in"},
    {.name = "c2s_close_timeout", .planned = true, .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .def = "5s", .min = 0, .max = 300,
     .help = "how long to wait for the client's </stream:stream> before closing the socket"},
    {.name = "c2s_send_backlog", .type = STRATA_OPT_SIZE, .scope = STRATA_SCOPE_GLOBAL,
     .def = "1M", .min = 65536, .max = 268435456, .strata_only = true,
     .help = "output a client may leave unread before its connection is closed"},
    {.name = "c2s_tcp_keepalives", .planned = true, .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .help = "TCP keepalives on client connections; unset follows tcp_keepalives"},
    /* Read by s2s too (s2s_tcp_keepalives falls back to it); declared once, here. */
    {.name = "tcp_keepalives", .planned = true, .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .def = "true",
     .help = "TCP keepalives on client and server connections, to notice dead peers"},
    {0},
};

const struct strata_module strata_mod_c2s = {
    .name = "c2s",
    .layer = STRATA_LAYER_TRANSPORT,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .tested_with = "slixmpp",
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "ports",
    .specs = "RFC 6120, XEP-0368",
    .summary = "client connections: STARTTLS on 5222, direct TLS on 5223",
    .requires = STRATA_NAMES("tls", "saslauth"),
    .options = options,
    .autoload = true,
};
