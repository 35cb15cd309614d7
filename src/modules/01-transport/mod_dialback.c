/*
 * dialback: server dialback (XEP-0220, XEP-0185).
 *
 * Authenticates a peer server through DNS when its certificate does not
 * (self-signed, expired, wrong name). Keys are HMAC-SHA256 of the stream
 * id and domains under dialback_secret (XEP-0185), compared in constant
 * time. s2s_secure_auth and s2s_secure_domains switch this fallback off.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "dialback_secret", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .help = "secret behind dialback keys; random at each start when unset (set it when "
             "several nodes serve one domain)"},
    {0},
};

const struct strata_module strata_mod_dialback = {
    .name = "dialback",
    .layer = STRATA_LAYER_TRANSPORT,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "connections",
    .specs = "XEP-0220, XEP-0185",
    .summary = "server dialback: fallback when a certificate does not authenticate a peer",
    .requires = STRATA_NAMES("s2s"),
    .options = options,
};
