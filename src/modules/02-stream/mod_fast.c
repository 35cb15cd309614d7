/*
 * fast: Fast Authentication Streamlining Tokens (XEP-0484).
 *
 * After a password login over SASL2 a client may ask for a token and use it
 * for later logins (HT-SHA-256-* mechanisms, bound to the TLS channel).
 * Tokens rotate, expire, and are all revoked when the password changes.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "sasl2_fast_token_ttl", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "21d", .min = 3600, .max = 31536000,
     .help = "how long a client may stay away before it must log in with its password again"},
    {.name = "sasl2_fast_token_min_ttl", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "1d", .min = 60, .max = 31536000,
     .help = "age after which a token used to log in is replaced by a fresh one"},
    {0},
};

const struct strata_module strata_mod_fast = {
    .name = "fast",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "authentication",
    .specs = "XEP-0484",
    .summary = "token login for returning clients; tokens revoked on password change",
    .requires = STRATA_NAMES("saslauth", "sasl2"),
    .aliases = STRATA_NAMES("sasl2_fast"),
    .options = options,
};
