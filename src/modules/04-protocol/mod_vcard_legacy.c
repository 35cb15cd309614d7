/*
 * vcard_legacy: vcard-temp for old clients (XEP-0054, XEP-0153, XEP-0398).
 *
 * Translates vcard-temp get/set to and from the PEP vCard4 and avatar
 * nodes, and advertises avatar hashes in presence (XEP-0153) from the PEP
 * avatar (XEP-0398), so old and new clients see the same profile.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "upgrade_legacy_vcards",
     .type = STRATA_OPT_BOOL,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "true",
     .help = "move vcard-temp profiles stored before to PEP on first access"},
    {0},
};

const struct strata_module strata_mod_vcard_legacy = {
    .name = "vcard_legacy",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "legacy",
    .specs = "XEP-0054, XEP-0153, XEP-0398",
    .summary = "vcard-temp and avatar hashes mapped to PEP vCard4 and avatars",
    .requires = STRATA_NAMES("pep"),
    .wants = STRATA_NAMES("vcard4"),
    .options = options,
};
