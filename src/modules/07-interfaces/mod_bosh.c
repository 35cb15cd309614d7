/*
 * bosh: XMPP over BOSH (XEP-0124, XEP-0206), long-polling HTTP sessions.
 *
 * For clients and networks where WebSocket is not available. A BOSH session
 * is a client session with the same authentication and limits as c2s.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "bosh_max_inactivity", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "60s", .min = 10, .max = 3600, .help = "a session with no request for this long is closed"},
    {.name = "bosh_max_polling", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "5s", .min = 1, .max = 300, .help = "shortest interval allowed between empty polling requests"},
    {.name = "bosh_max_wait", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "120s", .min = 1, .max = 3600, .help = "longest a request is held open waiting for data"},
    {.name = "consider_bosh_secure", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .help = "treat plain-HTTP BOSH as encrypted, when a proxy in front terminates TLS"},
    {.name = "cross_domain_bosh", .type = STRATA_OPT_ANY, .scope = STRATA_SCOPE_HOSTS,
     .help = "deprecated (use http_cors_override): true or a list of origins allowed to connect"},
    {0},
};

const struct strata_module strata_mod_bosh = {
    .name = "bosh",
    .layer = STRATA_LAYER_INTERFACES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "bosh",
    .specs = "XEP-0124, XEP-0206",
    .summary = "XMPP over BOSH (HTTP long polling)",
    .requires = STRATA_NAMES("http", "c2s"),
    .options = options,
};
