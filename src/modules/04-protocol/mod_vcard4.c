/*
 * vcard4: user profiles as vCard4 (XEP-0292).
 *
 * The profile is a PEP node (urn:xmpp:vcard4), readable according to its
 * access model. vcard_legacy keeps old vcard-temp clients in step.
 */
#include "strata/module.h"

const struct strata_module strata_mod_vcard4 = {
    .name = "vcard4",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "extensions",
    .specs = "XEP-0292",
    .summary = "vCard4 profiles on PEP",
    .requires = STRATA_NAMES("pep"),
};
