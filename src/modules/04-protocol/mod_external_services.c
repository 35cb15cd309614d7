/*
 * external_services: External Service Discovery (XEP-0215).
 *
 * Tells clients where the STUN/TURN servers for calls are, with
 * time-limited TURN credentials derived from a shared secret (the TURN REST
 * scheme coturn and eturnal implement). The turn_external_* options are
 * the short form for the common single TURN server.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "external_services",
     .type = STRATA_OPT_TABLE,
     .scope = STRATA_SCOPE_HOSTS,
     .help = "services: { { type = \"turn\", host = ..., port = 3478, secret = true }, ... }"},
    {.name = "external_service_host",
     .type = STRATA_OPT_STRING,
     .scope = STRATA_SCOPE_HOSTS,
     .help = "host of services that name none; the VirtualHost's name when unset"},
    {.name = "external_service_port",
     .type = STRATA_OPT_INT,
     .scope = STRATA_SCOPE_HOSTS,
     .min = 1,
     .max = 65535,
     .help = "port of services that name none"},
    {.name = "external_service_secret",
     .type = STRATA_OPT_STRING,
     .scope = STRATA_SCOPE_HOSTS,
     .help = "shared secret with the TURN server, for services with secret = true"},
    {.name = "external_service_ttl",
     .type = STRATA_OPT_DURATION,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "1d",
     .min = 60,
     .max = 604800,
     .help = "lifetime of generated credentials"},
    {.name = "external_service_access",
     .type = STRATA_OPT_STRINGS,
     .scope = STRATA_SCOPE_HOSTS,
     .help = "JIDs and domains allowed to ask; every local user when unset"},
    {.name = "turn_external_host",
     .type = STRATA_OPT_STRING,
     .scope = STRATA_SCOPE_HOSTS,
     .help = "the TURN server's host name; setting it (with the secret) is the short form"},
    {.name = "turn_external_port",
     .type = STRATA_OPT_INT,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "3478",
     .min = 1,
     .max = 65535,
     .help = "the TURN server's port"},
    {.name = "turn_external_secret",
     .type = STRATA_OPT_STRING,
     .scope = STRATA_SCOPE_HOSTS,
     .help = "secret shared with the TURN server (coturn's static-auth-secret)"},
    {.name = "turn_external_ttl",
     .type = STRATA_OPT_DURATION,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "1d",
     .min = 60,
     .max = 604800,
     .help = "lifetime of TURN credentials"},
    {.name = "turn_external_tcp",
     .type = STRATA_OPT_BOOL,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "false",
     .help = "announce TURN over TCP as well as UDP"},
    {0},
};

const struct strata_module strata_mod_external_services = {
    .name = "external_services",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_STABLE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "extensions",
    .specs = "XEP-0215",
    .summary = "STUN/TURN discovery with time-limited credentials",
    /* COMPAT(prosody): names of the community and 0.12 modules this replaces. */
    .aliases = STRATA_NAMES("turncredentials", "extdisco", "turn_external"),
    .options = options,
};
