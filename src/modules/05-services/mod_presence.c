/*
 * presence: presence subscriptions and broadcast (RFC 6121 §4).
 *
 * Broadcasts a user's presence to subscribers, answers and sends probes,
 * keeps directed presence (§4.6) so a peer that got available presence also
 * gets unavailable, and sends unavailable for a session that disconnects
 * without saying goodbye. The subscription state machine itself is the
 * roster's (04-protocol).
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "ignore_presence_priority", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false",
     .help = "deliver bare-JID messages to every resource alike instead of by <priority/> (RFC 6121 §8.5.2.1)"},
    {0},
};

const struct strata_module strata_mod_presence = {
    .name = "presence",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "presence",
    .specs = "RFC 6121 §4",
    .summary = "presence broadcast, probes, directed presence, unavailable on disconnect",
    .requires = STRATA_NAMES("roster"),
    .options = options,
    .autoload = true,
};
