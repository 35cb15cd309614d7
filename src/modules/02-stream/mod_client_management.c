/*
 * client_management: lets users see and revoke their clients (XEP-0494).
 *
 * Lists the clients that logged in to an account (by FAST client id), with
 * their last use, and revokes a client's tokens and sessions on request.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "enforce_client_ids", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false",
     .help = "refuse logins from clients that do not identify themselves (SASL2 user-agent id)"},
    {0},
};

const struct strata_module strata_mod_client_management = {
    .name = "client_management",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "authentication",
    .specs = "XEP-0494",
    .summary = "list and revoke an account's clients and tokens",
    .requires = STRATA_NAMES("fast"),
    .options = options,
};
