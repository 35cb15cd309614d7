/*
 * pubsub: Publish-Subscribe (XEP-0060) as a component, usually pubsub.<domain>.
 *
 * A general pubsub service: nodes, items, subscriptions, affiliations and
 * access models, for feeds, real-time block lists and bots. The per-account
 * service is pep's.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "autocreate_on_publish", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_COMPONENT,
     .def = "false", .help = "publishing to a node that does not exist creates it"},
    {.name = "autocreate_on_subscribe", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_COMPONENT,
     .def = "false", .help = "subscribing to a node that does not exist creates it"},
    {.name = "expose_publisher", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_COMPONENT,
     .def = "false", .help = "notifications name the JID that published each item"},
    {.name = "pubsub_max_items", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_COMPONENT,
     .def = "256", .min = 1, .max = 100000, .help = "most items one node may keep"},
    {.name = "default_admin_affiliation", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_COMPONENT,
     .def = "owner", .choices = STRATA_CHOICES("owner", "publisher", "member", "none"),
     .help = "affiliation the service's admins have on every node"},
    {0},
};

const struct strata_module strata_mod_pubsub = {
    .name = "pubsub",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_COMPONENT,
    .config_file = "pubsub",
    .specs = "XEP-0060",
    .summary = "publish-subscribe service, as a component (pubsub.<domain>)",
    .options = options,
};
