/*
 * audit: an append-only log of security events.
 *
 * Logins, password changes, account creation and deletion, admin actions:
 * stored per host in an archive store, with the client's address, and
 * kept for a bounded time.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "audit_log_expires_after", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_GLOBAL,
     .def = "2w", .min = 3600, .max = 315360000, .help = "how long events are kept"},
    {.name = "audit_log_limit", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .def = "10000", .min = 100, .max = 100000000, .help = "most events kept per user; the oldest go first"},
    {.name = "audit_log_ips", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_GLOBAL,
     .def = "true", .help = "record the client's IP address with each event"},
    {.name = "audit_log_ipv4_prefix", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .min = 0, .max = 32, .help = "keep only this many leading bits of IPv4 addresses (e.g. 24); full when unset"},
    {.name = "audit_log_ipv6_prefix", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .min = 0, .max = 128, .help = "keep only this many leading bits of IPv6 addresses (e.g. 56); full when unset"},
    {0},
};

const struct strata_module strata_mod_audit = {
    .name = "audit",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_ALPHA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "apis",
    .specs = "-",
    .summary = "append-only security event log",
    .options = options,
};
