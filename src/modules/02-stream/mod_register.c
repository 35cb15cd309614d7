/*
 * register: In-Band Registration (XEP-0077).
 *
 * Always lets a logged-in user change their password. New accounts are
 * created only when allow_registration is on, or with an invitation when
 * registration_invite_only is; both stay closed until an administrator
 * opens them. Registrations are throttled per IP address, and passwords
 * are checked against password_policy.
 */
#include "strata/module.h"

static const struct strata_option password_policy_fields[] = {
    {.name = "length", .type = STRATA_OPT_INT, .def = "8", .min = 1, .max = 1024,
     .help = "shortest password accepted"},
    {.name = "exclude_username", .type = STRATA_OPT_BOOL, .def = "true",
     .help = "refuse passwords that contain the username"},
    {0},
};

static const struct strata_option options[] = {
    {.name = "allow_registration", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .help = "let anyone create an account from a client"},
    {.name = "registration_invite_only", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "when registration is open, require an invitation token"},
    {.name = "min_seconds_between_registrations", .type = STRATA_OPT_DURATION,
     .scope = STRATA_SCOPE_HOSTS, .min = 0, .max = 604800,
     .help = "at most one new account per IP address in this time; unset means no throttle"},
    {.name = "registration_throttle_max", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .min = 1, .max = 10000,
     .help = "new accounts per IP address per registration_throttle_period"},
    {.name = "registration_throttle_period", .type = STRATA_OPT_DURATION,
     .scope = STRATA_SCOPE_HOSTS, .min = 1, .max = 604800,
     .help = "window of registration_throttle_max"},
    {.name = "registration_throttle_cache_size", .type = STRATA_OPT_INT,
     .scope = STRATA_SCOPE_HOSTS, .def = "100", .min = 1, .max = 1000000,
     .help = "IP addresses whose registrations are tracked"},
    {.name = "blacklist_on_registration_throttle_overload", .type = STRATA_OPT_BOOL,
     .scope = STRATA_SCOPE_HOSTS, .def = "false",
     .help = "block an address still over its limit when it drops out of the tracking cache"},
    {.name = "registration_whitelist", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .def = "127.0.0.1, ::1", .help = "addresses or CIDR ranges never throttled"},
    {.name = "whitelist_registration_only", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false", .help = "accept registrations only from registration_whitelist"},
    {.name = "registration_blacklist", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "addresses or CIDR ranges that may not register"},
    {.name = "registration_title", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .def = "Creating a new account", .help = "title of the registration form"},
    {.name = "registration_instructions", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .def = "Choose a username and password for use with this service.",
     .help = "instructions shown with the registration form"},
    {.name = "additional_registration_fields", .type = STRATA_OPT_STRINGS,
     .scope = STRATA_SCOPE_HOSTS,
     .help = "extra form fields (nick, name, email...); a trailing \"+\" makes one required"},
    {.name = "password_policy", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_HOSTS,
     .fields = password_policy_fields,
     .help = "rules for new passwords, at registration and on change: { length = 8 }"},
    {0},
};

const struct strata_module strata_mod_register = {
    .name = "register",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "authentication",
    .specs = "XEP-0077",
    .summary = "password change; new accounts only when allowed or invited",
    .requires = STRATA_NAMES("saslauth"),
    .options = options,
};
