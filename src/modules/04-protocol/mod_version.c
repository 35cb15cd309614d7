/*
 * version: Software Version (XEP-0092).
 *
 * Answers with "Strata" and its version. The operating system is hidden
 * unless the administrator asks for it: it helps attackers more than users.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "hide_os_type", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "leave the operating system out of version answers"},
    {0},
};

const struct strata_module strata_mod_version = {
    .name = "version",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "core",
    .specs = "XEP-0092",
    .summary = "software version; operating system hidden by default",
    .options = options,
};
