/*
 * log_auth: one log line per failed login, with the client's IP address.
 *
 * The line fail2ban and similar tools watch for. Successful logins can be
 * logged too.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "log_auth_ips", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_HOSTS,
     .def = "failure", .choices = STRATA_CHOICES("failure", "success", "all"),
     .help = "which logins are logged with their IP address"},
    {0},
};

const struct strata_module strata_mod_log_auth = {
    .name = "log_auth",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_STABLE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "apis",
    .specs = "-",
    .summary = "failed logins logged with the client's IP (for fail2ban)",
    .options = options,
};
