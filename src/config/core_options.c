/*
 * Server-wide options that belong to no single module: where data lives,
 * who the admins are, which modules and tiers are enabled, storage, logging.
 * Each group names the layer file of the shipped tree that holds it.
 */
#include "config/core_options.h"

#include <stddef.h>

static const struct strata_option orchestration[] = {
    {.name = "environment", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_GLOBAL,
     .def = "development", .choices = STRATA_CHOICES("production", "development", "docker"),
     .strata_only = true, .help = "deployment profile; selects environments/<name>.cfg.lua"},
    {.name = "security_level", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_GLOBAL,
     .def = "standard", .choices = STRATA_CHOICES("strict", "standard", "legacy"),
     .strata_only = true,
     .help = "TLS versions, ciphers, SASL mechanisms and encryption requirements; see policies/security.cfg.lua"},
    {.name = "admins", .type = STRATA_OPT_JIDS, .scope = STRATA_SCOPE_HOSTS, .def = "",
     .help = "bare JIDs of the server's administrators"},
    {.name = "modules_enabled", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY,
     .help = "modules to load (Prosody's option; added to those the layer files list)"},
    {.name = "modules_disabled", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY,
     .help = "modules not to load, even if listed or loaded automatically"},
    {.name = "disabled_layers", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "", .strata_only = true,
     .choices = STRATA_CHOICES("01-transport", "02-stream", "03-stanza", "04-protocol",
                               "05-services", "06-storage", "07-interfaces", "08-integration"),
     .help = "layers whose modules are not loaded, for debugging one layer at a time; core modules stay"},
    {.name = "enable_tiers", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_GLOBAL,
     .strata_only = true,
     .fields = (const struct strata_option[]){
         {.name = "core", .type = STRATA_OPT_BOOL, .def = "true", .help = "cannot be switched off"},
         {.name = "official", .type = STRATA_OPT_BOOL, .def = "true"},
         {.name = "stable", .type = STRATA_OPT_BOOL, .def = "true"},
         {.name = "beta", .type = STRATA_OPT_BOOL, .def = "true"},
         {.name = "alpha", .type = STRATA_OPT_BOOL, .def = "false"},
         {0}},
     .help = "which stability tiers load (STRATA_ENABLE_<TIER>); alpha is off by default"},
    {.name = "enabled", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOST | STRATA_SCOPE_COMPONENT,
     .def = "true", .help = "set to false to keep a VirtualHost or Component in the file but not serve it"},
    {.name = "plugin_paths", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .help = "accepted for Prosody compatibility and ignored: Strata's modules are built in"},
    {.name = "pidfile", .type = STRATA_OPT_PATH, .scope = STRATA_SCOPE_GLOBAL,
     .help = "file to write the server's process id to"},
    {.name = "data_path", .type = STRATA_OPT_PATH, .scope = STRATA_SCOPE_GLOBAL,
     .def = "/var/lib/strata", .help = "folder for the SQLite database and other data"},
    {.name = "log", .type = STRATA_OPT_ANY, .scope = STRATA_SCOPE_GLOBAL, .def = "*console",
     .check = strata_check_log_option,
     .help = "where logs go: \"*console\", a file name, or Prosody's { level = sink } table"},
    {.name = "log_levels", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_GLOBAL,
     .check = strata_check_log_levels_option, .strata_only = true,
     .help = "log level per module, e.g. { c2s = \"debug\", saslauth = \"warn\" }; lines a logger's own level lets through reach every sink"},
    {.name = "interfaces", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "*, ::", .help = "default listening addresses for public ports"},
    {.name = "local_interfaces", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_GLOBAL,
     .def = "127.0.0.1, ::1", .help = "default listening addresses for private ports (components, admin)"},
    {0},
};

/* The <layer>_modules lists; see config/strata.cfg.lua. Each assignment adds. */
static const struct strata_option layer_lists[] = {
    {.name = "transport_modules", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY, .strata_only = true,
     .help = "modules of layer 01-transport enabled by the layer files"},
    {.name = "stream_modules", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY, .strata_only = true,
     .help = "modules of layer 02-stream enabled by the layer files"},
    {.name = "stanza_modules", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY, .strata_only = true,
     .help = "modules of layer 03-stanza enabled by the layer files"},
    {.name = "protocol_modules", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY, .strata_only = true,
     .help = "modules of layer 04-protocol enabled by the layer files"},
    {.name = "services_modules", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY, .strata_only = true,
     .help = "modules of layer 05-services enabled by the layer files"},
    {.name = "storage_modules", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY, .strata_only = true,
     .help = "modules of layer 06-storage enabled by the layer files"},
    {.name = "interfaces_modules", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY, .strata_only = true,
     .help = "modules of layer 07-interfaces enabled by the layer files"},
    {.name = "integration_modules", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_ANY, .strata_only = true,
     .help = "modules of layer 08-integration enabled by the layer files"},
    {0},
};

static const struct strata_option validation[] = {
    {.name = "stanza_depth_limit", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .def = "32", .min = 4, .max = 256, .strata_only = true,
     .help = "deepest element nesting a stanza may have (RFC 6120 §11.1)"},
    {.name = "stanza_attribute_limit", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .def = "64", .min = 4, .max = 1024, .strata_only = true,
     .help = "most attributes one element may carry"},
    {.name = "stanza_name_length_limit", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_GLOBAL,
     .def = "1024", .min = 64, .max = 65536, .strata_only = true,
     .help = "longest element or attribute name (with its namespace) accepted"},
    {0},
};

static const struct strata_option storage[] = {
    {.name = "authentication", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_HOSTS,
     .def = "internal_hashed", .choices = STRATA_CHOICES("internal_hashed", "ldap", "oauth2"),
     .help = "how passwords are checked: stored SCRAM credentials, LDAP, or OAuth 2.0 tokens"},
    {.name = "storage", .type = STRATA_OPT_ANY, .scope = STRATA_SCOPE_HOSTS, .def = "sqlite",
     .check = strata_check_storage_option,
     .help = "storage driver: \"sqlite\", \"postgres\", \"memory\", or { store = driver } per store"},
    {.name = "default_storage", .type = STRATA_OPT_ENUM, .scope = STRATA_SCOPE_HOSTS,
     .choices = STRATA_CHOICES("sqlite", "postgres", "memory", "sql", "internal", "xmlarchive"),
     .help = "driver for stores not named in a storage table"},
    {.name = "sql", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_HOSTS,
     .fields = (const struct strata_option[]){
         {.name = "driver", .type = STRATA_OPT_ENUM,
          .choices = STRATA_CHOICES("SQLite3", "PostgreSQL", "sqlite", "postgres"),
          .help = "SQLite3 (embedded) or PostgreSQL"},
         {.name = "database", .type = STRATA_OPT_STRING, .help = "file name (SQLite) or database name"},
         {.name = "host", .type = STRATA_OPT_STRING},
         {.name = "port", .type = STRATA_OPT_INT, .min = 1, .max = 65535},
         {.name = "username", .type = STRATA_OPT_STRING},
         {.name = "password", .type = STRATA_OPT_STRING},
         {.name = "sslmode", .type = STRATA_OPT_ENUM,
          .choices = STRATA_CHOICES("disable", "allow", "prefer", "require", "verify-ca", "verify-full")},
         {0}},
     .help = "database connection for the sqlite and postgres drivers (Prosody's table)"},
    {0},
};

const struct strata_core_option_group strata_core_option_groups[] = {
    {"strata", orchestration},
    {"strata", layer_lists},
    {"03-stanza/validation", validation},
    {"06-storage/backends", storage},
    {NULL, NULL},
};
