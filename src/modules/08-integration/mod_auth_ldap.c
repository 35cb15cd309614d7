/*
 * auth_ldap: passwords checked against an LDAP directory (RFC 4511, RFC 4513).
 *
 * Selected with `authentication = "ldap"` (the core option). In "bind" mode,
 * Prosody's, the user's entry is found with ldap_filter under ldap_base and
 * the server then binds as that entry with the password given (search+bind);
 * "direct" binds as the DN built from ldap_user_dn without searching.
 * Prosody's "getpasswd" mode, which reads password hashes out of the
 * directory, is not offered. The directory is reached over LDAPS
 * ("ldaps://") or StartTLS; binds run on the thread pool, never the loop.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "ldap_server", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .def = "localhost", .help = "directory server: \"host\", \"host:port\", \"ldap://host\" or \"ldaps://host\""},
    {.name = "ldap_tls", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "require StartTLS on ldap:// connections (Prosody's default is false)"},
    {.name = "ldap_rootdn", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .def = "", .help = "DN the server binds as to search for users; anonymous when empty"},
    {.name = "ldap_password", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .def = "", .help = "password of ldap_rootdn"},
    {.name = "ldap_base", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .help = "DN under which users are searched, e.g. \"ou=people,dc=example,dc=org\" (required)"},
    {.name = "ldap_scope", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_HOSTS,
     .def = "subtree", .choices = STRATA_CHOICES("subtree", "onelevel", "base"),
     .help = "how deep under ldap_base to search"},
    {.name = "ldap_filter", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .def = "(uid=$user)", .help = "search filter finding a user's entry; $user and $host are replaced, escaped"},
    {.name = "ldap_mode", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_HOSTS,
     .def = "bind", .choices = STRATA_CHOICES("bind", "direct"),
     .help = "\"bind\": search the entry, then bind as it; \"direct\": bind as ldap_user_dn without a search"},
    {.name = "ldap_user_dn", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS, .strata_only = true,
     .help = "DN template for \"direct\" mode, e.g. \"uid=$user,ou=people,dc=example,dc=org\""},
    {.name = "ldap_admin_filter", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS,
     .help = "filter matching the entries of users who are admins, e.g. \"(memberOf=cn=xmpp-admins,...)\""},
    {.name = "ldap_timeout", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "5s", .min = 1, .max = 120, .strata_only = true,
     .help = "how long a directory request may take before the login fails"},
    {0},
};

const struct strata_module strata_mod_auth_ldap = {
    .name = "auth_ldap",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "ldap",
    .specs = "RFC 4511, RFC 4513",
    .summary = "LDAP authentication: search+bind or direct bind, over LDAPS or StartTLS",
    .options = options,
};
