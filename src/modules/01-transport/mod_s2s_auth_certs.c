/*
 * s2s_auth_certs: authenticates peer servers by certificate (XEP-0178, RFC 9525).
 *
 * Verifies the peer's chain against the system trust store (or ssl.cafile)
 * and its identity (SRV-ID, DNS-ID; RFC 9525), then offers or uses SASL
 * EXTERNAL. Certificates with only the serverAuth purpose are accepted from
 * connecting peers: public CAs stopped issuing clientAuth in 2025. The
 * policy lives in s2s's options (s2s_secure_auth, s2s_secure_domains); this
 * module has none of its own.
 */
#include "strata/module.h"

const struct strata_module strata_mod_s2s_auth_certs = {
    .name = "s2s_auth_certs",
    .layer = STRATA_LAYER_TRANSPORT,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "tls",
    .specs = "XEP-0178, RFC 9525",
    .summary = "peer servers authenticated by certificate, SASL EXTERNAL",
    .requires = STRATA_NAMES("tls"),
    .autoload = true,
};
