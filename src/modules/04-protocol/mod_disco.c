/*
 * disco: Service Discovery (XEP-0030), entity capabilities (XEP-0115) and
 * extended information (XEP-0128).
 *
 * Answers disco#info and disco#items for the server and its accounts from
 * what modules registered; puts the server's caps hash in stream features.
 * `name` is the identity every host and component shows; it is declared
 * here once even though components (MUC, pubsub) read it too.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "name", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_ANY, .def = "Strata",
     .help = "name shown in service discovery for the server or a component"},
    {.name = "disco_items", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_HOSTS,
     .help = "extra items listed for the server: { { \"jid\", \"name\" }, ... }"},
    {.name = "disco_hidden", .type = STRATA_OPT_BOOL,
     .scope = STRATA_SCOPE_HOST | STRATA_SCOPE_COMPONENT, .def = "false",
     .help = "leave this host or component out of its parent's disco items"},
    {0},
};

const struct strata_module strata_mod_disco = {
    .name = "disco",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST | STRATA_MODULE_COMPONENT,
    .config_file = "core",
    .specs = "XEP-0030, XEP-0115, XEP-0128",
    .summary = "service discovery; server capabilities in stream features",
    .options = options,
};
