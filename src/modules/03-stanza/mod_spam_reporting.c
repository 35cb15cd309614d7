/*
 * spam_reporting: Spam Reporting (XEP-0377).
 *
 * Receives reports attached to blocks (XEP-0191) and forwards each, with
 * the reported JID, reason and quoted stanzas, to report_forward_to (the
 * host's admins when unset).
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "report_forward_to", .type = STRATA_OPT_JIDS, .scope = STRATA_SCOPE_HOSTS,
     .help = "who receives spam and abuse reports; the host's admins when unset"},
    {0},
};

const struct strata_module strata_mod_spam_reporting = {
    .name = "spam_reporting",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_STABLE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "filtering",
    .specs = "XEP-0377",
    .summary = "users' spam reports forwarded to the administrators",
    .requires = STRATA_NAMES("blocklist"),
    .options = options,
};
