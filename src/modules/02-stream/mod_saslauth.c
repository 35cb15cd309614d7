/*
 * saslauth: SASL authentication and resource binding (RFC 6120 §6-7).
 *
 * Mechanisms: PLAIN (RFC 4616, only on encrypted streams) and SCRAM-SHA-1,
 * SCRAM-SHA-256 (RFC 5802, RFC 7677), each with its -PLUS variant bound to
 * the TLS channel (tls-exporter, RFC 9266; tls-server-end-point, RFC 5929).
 * Advertises the channel-binding types (XEP-0440) and protects against
 * mechanism downgrade (XEP-0474). Which mechanisms are on is a security
 * policy: config/policies/security.cfg.lua sets sasl_mechanisms per level.
 */
#include "strata/config.h"
#include "strata/module.h"

/* SECURITY: a password sent in clear over an unencrypted stream is lost. */
static const char *check_no_unencrypted_plain(const struct cfg_value *v)
{
    if (v->kind == CFG_BOOL && v->u.b) {
        return "PLAIN is only offered on encrypted streams: a cleartext password on an "
               "unencrypted connection is readable by anyone on the path; remove "
               "allow_unencrypted_plain_auth or set it to false";
    }
    return NULL;
}

static const struct strata_option options[] = {
    {.name = "sasl_mechanisms", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .def = "SCRAM-SHA-256-PLUS, SCRAM-SHA-256, SCRAM-SHA-1-PLUS, SCRAM-SHA-1, PLAIN",
     .choices = STRATA_CHOICES("PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-256",
                               "SCRAM-SHA-256-PLUS"),
     .strata_only = true, .help = "SASL mechanisms offered to clients, in order of preference"},
    {.name = "tls_channel_binding", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .def = "tls-exporter, tls-server-end-point",
     .choices = STRATA_CHOICES("tls-exporter", "tls-server-end-point"), .strata_only = true,
     .help = "channel bindings offered to -PLUS mechanisms (tls-unique is never used)"},
    {.name = "tls_server_end_point_hash", .planned = true, .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .help = "hex hash of the certificate for tls-server-end-point, or \"auto\"; needed behind a "
             "TLS-terminating proxy"},
    {.name = "disable_sasl_mechanisms", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .def = "DIGEST-MD5", .help = "mechanisms never offered, whatever else is configured"},
    {.name = "insecure_sasl_mechanisms", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .def = "PLAIN, LOGIN", .help = "mechanisms offered only on encrypted streams"},
    {.name = "allow_unencrypted_plain_auth", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .check = check_no_unencrypted_plain,
     .help = "accepted only as false: PLAIN is never offered on an unencrypted stream"},
    {0},
};

const struct strata_module strata_mod_saslauth = {
    .name = "saslauth",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .tested_with = "slixmpp",
    .scope = STRATA_MODULE_HOST,
    .config_file = "authentication",
    .specs = "RFC 6120 §6, RFC 4616, RFC 5802, RFC 7677, RFC 9266, XEP-0440, XEP-0474",
    .summary = "SASL: PLAIN over TLS, SCRAM-SHA-1/-256 and -PLUS; resource binding",
    .options = options,
};
