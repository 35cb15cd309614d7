/*
 * server_contact_info: Contact Addresses for XMPP Services (XEP-0157).
 *
 * Publishes abuse, admin, feedback, sales, security and support addresses
 * in the server's disco#info; without contact_info, the admins' JIDs as
 * admin addresses.
 */
#include "strata/module.h"

static const struct strata_option contact_fields[] = {
    {.name = "abuse",
     .type = STRATA_OPT_STRINGS,
     .help = "where to report abuse (xmpp:, mailto:, https:)"},
    {.name = "admin", .type = STRATA_OPT_STRINGS, .help = "the server's administrators"},
    {.name = "feedback", .type = STRATA_OPT_STRINGS, .help = "where to send feedback"},
    {.name = "sales", .type = STRATA_OPT_STRINGS, .help = "commercial contact"},
    {.name = "security", .type = STRATA_OPT_STRINGS, .help = "where to report vulnerabilities"},
    {.name = "support", .type = STRATA_OPT_STRINGS, .help = "where users get help"},
    {0},
};

static const struct strata_option options[] = {
    {.name = "contact_info",
     .type = STRATA_OPT_TABLE,
     .scope = STRATA_SCOPE_HOSTS,
     .fields = contact_fields,
     .help = "contact addresses by role: { abuse = { \"mailto:abuse@example.org\" }, ... }"},
    {0},
};

const struct strata_module strata_mod_server_contact_info = {
    .name = "server_contact_info",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "extensions",
    .specs = "XEP-0157",
    .summary = "contact addresses (abuse, security, support...) in service discovery",
    .requires = STRATA_NAMES("disco"),
    .options = options,
};
