/*
 * anti_spam: filters messages from strangers.
 *
 * A message from someone not in the recipient's roster is checked against
 * real-time block lists (RTBLs, subscribed over XEP-0060) of spamming
 * domains and addresses, and against configured strings and patterns.
 * Contacts are never filtered.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "anti_spam_services", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "pubsub services (JIDs) publishing real-time block lists to subscribe to"},
    {.name = "anti_spam_block_strings", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "texts that mark a stranger's message as spam"},
    {.name = "anti_spam_block_patterns", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "Lua patterns that mark a stranger's message as spam"},
    {0},
};

const struct strata_module strata_mod_anti_spam = {
    .name = "anti_spam",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_ALPHA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "filtering",
    .specs = "XEP-0060 (RTBL)",
    .summary = "filters strangers' messages with real-time block lists",
    .options = options,
};
