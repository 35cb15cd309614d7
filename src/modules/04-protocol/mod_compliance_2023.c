/*
 * compliance_2023: XMPP Compliance Suites 2023 self-test (XEP-0479).
 *
 * Compares the running configuration with the Core, IM, Mobile and A/V
 * suites (client and server, Core and Advanced) and reports, in
 * `strata check` and to admins over adhoc, which are met and what is
 * missing.
 */
#include "strata/module.h"

const struct strata_module strata_mod_compliance_2023 = {
    .name = "compliance_2023",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "extensions",
    .specs = "XEP-0479",
    .summary = "self-test: which compliance suites the running configuration meets",
};
