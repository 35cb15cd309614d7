/*
 * admin_web: a web console for administrators.
 *
 * Served over HTTPS only (the plain port is loopback, for a proxy that
 * terminates TLS); login with an admin account's password, a session cookie
 * that is Secure, HttpOnly and SameSite=Strict, and a CSRF token on every
 * form that changes something.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "admin_web_session_timeout", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "30m", .min = 60, .max = 86400, .strata_only = true,
     .help = "an admin session idle this long must log in again"},
    {.name = "admin_web_allow_http", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .strata_only = true,
     .help = "also answer on plain HTTP; only behind a proxy that terminates TLS"},
    {0},
};

const struct strata_module strata_mod_admin_web = {
    .name = "admin_web",
    .layer = STRATA_LAYER_INTERFACES,
    .tier = STRATA_TIER_STABLE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "http",
    .specs = "-",
    .summary = "web administration over HTTPS, admin login, CSRF-safe",
    .requires = STRATA_NAMES("http"),
    .options = options,
};
