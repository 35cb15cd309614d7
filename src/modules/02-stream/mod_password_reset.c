/*
 * password_reset: single-use, expiring password reset tokens.
 *
 * An administrator (or adhoc command) issues a reset for an account; the
 * link or token works once, before password_reset_validity ends, and using
 * it revokes every FAST token of the account.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "password_reset_validity", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "1d", .min = 300, .max = 604800, .strata_only = true,
     .help = "how long a reset link or token stays usable"},
    {0},
};

const struct strata_module strata_mod_password_reset = {
    .name = "password_reset",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "authentication",
    .specs = "-",
    .summary = "single-use expiring password reset links and tokens",
    .requires = STRATA_NAMES("register"),
    .options = options,
};
