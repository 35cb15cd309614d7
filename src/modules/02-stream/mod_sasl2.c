/*
 * sasl2: Extensible SASL Profile (XEP-0388) with Bind 2 (XEP-0386).
 *
 * One round trip from stream features to a bound, resumed or fresh
 * session: authentication, resource binding and the inline features of
 * stream management, carbons and client state. Mechanisms and their policy
 * are saslauth's; this module has no options of its own.
 */
#include "strata/module.h"

const struct strata_module strata_mod_sasl2 = {
    .name = "sasl2",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "negotiation",
    .specs = "XEP-0388, XEP-0386",
    .summary = "SASL2 login with Bind 2 and inline stream management, carbons, CSI",
    .requires = STRATA_NAMES("saslauth"),
    .wants = STRATA_NAMES("smacks", "csi_simple", "carbons"),
    /* COMPAT(prosody): Prosody splits this into three modules. */
    .aliases = STRATA_NAMES("sasl2_bind2", "sasl2_sm"),
};
