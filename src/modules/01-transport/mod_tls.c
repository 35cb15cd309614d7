/*
 * tls: TLS for every stream (RFC 7590, RFC 9325, XEP-0368).
 *
 * Offers STARTTLS on client streams and wraps the direct TLS ports (s2s is
 * planned), with OpenSSL over a BIO of our own on the connection's buffers
 * (src/net/conn.c). Certificates are found per host in
 * `certificates` (SNI picks the right one) and reloaded without a restart.
 * Strata never runs a stream without TLS on offer, so this module always
 * loads; TLS versions and ciphers come from tls_profile or the ssl table,
 * which config/policies/security.cfg.lua sets per security level.
 */
#include "strata/config.h"
#include "strata/module.h"

/* SECURITY: compression under TLS leaks secrets (CRIME, 2012); it stays off. */
static const char *check_no_compression(const struct cfg_value *v)
{
    if (v->kind == CFG_BOOL && v->u.b) {
        return "TLS compression is never enabled: compressed-then-encrypted data leaks "
               "secrets (CRIME); remove ssl_compression or set it to false";
    }
    return NULL;
}

/* Prosody's ssl table (LuaSec's context parameters); shared by every *_ssl option. */
static const struct strata_option ssl_fields[] = {
    {.name = "certificate", .type = STRATA_OPT_PATH, .help = "certificate chain, PEM, leaf first"},
    {.name = "key", .type = STRATA_OPT_PATH, .help = "private key of the certificate, PEM"},
    {.name = "password", .planned = true, .type = STRATA_OPT_STRING, .help = "passphrase of an encrypted key"},
    {.name = "cafile", .planned = true, .type = STRATA_OPT_PATH, .help = "CA certificates trusted for peers, PEM"},
    {.name = "capath", .planned = true, .type = STRATA_OPT_PATH, .help = "folder of trusted CA certificates"},
    {.name = "protocol", .type = STRATA_OPT_ENUM,
     .choices = STRATA_CHOICES("tlsv1_2+", "tlsv1_3+", "tlsv1_2", "tlsv1_3"),
     .help = "TLS versions accepted; older than TLS 1.2 is never offered"},
    {.name = "ciphers", .type = STRATA_OPT_STRING, .help = "OpenSSL cipher list for TLS 1.2"},
    {.name = "ciphersuites", .type = STRATA_OPT_STRING, .help = "cipher suites for TLS 1.3"},
    {.name = "curve", .planned = true, .type = STRATA_OPT_STRING, .help = "single ECDH curve (prefer curveslist)"},
    {.name = "curveslist", .planned = true, .type = STRATA_OPT_STRINGS, .help = "ECDH groups, preferred first"},
    {.name = "dhparam", .planned = true, .type = STRATA_OPT_PATH, .help = "DH parameters for DHE ciphers, PEM"},
    {.name = "options", .planned = true, .type = STRATA_OPT_STRINGS,
     .help = "OpenSSL options, e.g. \"cipher_server_preference\""},
    {.name = "verify", .planned = true, .type = STRATA_OPT_STRINGS,
     .help = "peer verification flags, e.g. \"peer\", \"client_once\""},
    {.name = "verifyext", .planned = true, .type = STRATA_OPT_STRINGS,
     .help = "extra verification flags, e.g. \"lsec_continue\""},
    {.name = "depth", .planned = true, .type = STRATA_OPT_INT, .min = 1, .max = 16,
     .help = "longest certificate chain accepted"},
    {0},
};

static const struct strata_option options[] = {
    {.name = "certificates", .type = STRATA_OPT_PATH, .scope = STRATA_SCOPE_GLOBAL,
     .def = "certs",
     .help = "folder searched for <host>.crt/<host>.key or <host>/fullchain.pem/privkey.pem"},
    {.name = "ssl", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_HOSTS, .fields = ssl_fields,
     .help = "TLS settings for every service of a host: certificate, key, protocol, ciphers..."},
    {.name = "c2s_ssl", .planned = true, .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_HOSTS, .fields = ssl_fields,
     .help = "TLS settings for client STARTTLS, overriding ssl"},
    {.name = "s2s_ssl", .planned = true, .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_HOSTS, .fields = ssl_fields,
     .help = "TLS settings for server STARTTLS (incoming and outgoing), overriding ssl"},
    {.name = "c2s_direct_tls_ssl", .planned = true, .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_GLOBAL,
     .fields = ssl_fields, .help = "TLS settings for the client direct TLS ports, overriding ssl"},
    {.name = "s2s_direct_tls_ssl", .planned = true, .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_GLOBAL,
     .fields = ssl_fields, .help = "TLS settings for the server direct TLS ports, overriding ssl"},
    {.name = "tls_profile", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_GLOBAL,
     .def = "intermediate", .choices = STRATA_CHOICES("modern", "intermediate", "old", "legacy"),
     .help = "Mozilla's server-side TLS profile for versions and ciphers not set in ssl"},
    {.name = "ssl_compression", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .def = "false", .check = check_no_compression,
     .help = "accepted only as false: TLS compression is never enabled (CRIME)"},
    {0},
};

const struct strata_module strata_mod_tls = {
    .name = "tls",
    .layer = STRATA_LAYER_TRANSPORT,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .tested_with = "slixmpp",
    .scope = STRATA_MODULE_GLOBAL | STRATA_MODULE_HOST,
    .config_file = "tls",
    .specs = "RFC 7590, RFC 9325, XEP-0368",
    .summary = "STARTTLS and direct TLS: TLS 1.2+, forward secrecy, SNI, certificate reload",
    .options = options,
    .autoload = true,
};
