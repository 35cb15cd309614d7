/*
 * e2e_policy: nudges users towards end-to-end encryption (XEP-0380).
 *
 * Looks at chat and groupchat messages leaving a client: without an
 * end-to-end encryption marker (XEP-0380, OMEMO, OpenPGP) the sender gets a
 * warning ("optional") or the message is bounced ("required"). The server
 * cannot read the messages either way; it only sees the markers.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "e2e_policy_chat", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_HOSTS,
     .def = "optional", .choices = STRATA_CHOICES("none", "optional", "required"),
     .help = "one-to-one messages: no check, warn when unencrypted, or bounce them"},
    {.name = "e2e_policy_muc", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_HOSTS,
     .def = "optional", .choices = STRATA_CHOICES("none", "optional", "required"),
     .help = "the same for groupchat messages"},
    {.name = "e2e_policy_whitelist", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "JIDs and domains exempt from the policy (bots, bridges, rooms)"},
    {.name = "e2e_policy_message_optional_chat", .type = STRATA_OPT_STRING,
     .scope = STRATA_SCOPE_HOSTS, .help = "warning sent for an unencrypted one-to-one message"},
    {.name = "e2e_policy_message_required_chat", .type = STRATA_OPT_STRING,
     .scope = STRATA_SCOPE_HOSTS, .help = "error text of a bounced one-to-one message"},
    {.name = "e2e_policy_message_optional_muc", .type = STRATA_OPT_STRING,
     .scope = STRATA_SCOPE_HOSTS, .help = "warning sent for an unencrypted groupchat message"},
    {.name = "e2e_policy_message_required_muc", .type = STRATA_OPT_STRING,
     .scope = STRATA_SCOPE_HOSTS, .help = "error text of a bounced groupchat message"},
    {0},
};

const struct strata_module strata_mod_e2e_policy = {
    .name = "e2e_policy",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_ALPHA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "encryption",
    .specs = "XEP-0380",
    .summary = "warn about or bounce messages sent without end-to-end encryption",
    .options = options,
};
