/*
 * rest: an HTTP/JSON administration API.
 *
 * Users, sessions, rooms and hosts: list, create, change, delete, kick.
 * Every call needs a bearer token; tokens are configured, not issued over
 * the API, and by default the API answers only on loopback addresses.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "rest_tokens", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_GLOBAL, .strata_only = true,
     .help = "bearer tokens allowed to call the API, by name: { deploy = \"long random text\" }"},
    {.name = "rest_allow_ips", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "127.0.0.1, ::1", .strata_only = true,
     .help = "addresses or CIDR ranges the API answers; others get 403"},
    {.name = "rest_auth_mechanisms", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "Bearer", .choices = STRATA_CHOICES("Bearer", "Basic"),
     .help = "HTTP authentication accepted; \"Basic\" takes an admin's JID and password"},
    {0},
};

const struct strata_module strata_mod_rest = {
    .name = "rest",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "apis",
    .specs = "-",
    .summary = "HTTP/JSON admin API: users, sessions, rooms, hosts; token auth",
    .requires = STRATA_NAMES("http"),
    .options = options,
};
