/*
 * auth_internal_hashed: accounts in Strata's own storage (RFC 5802).
 *
 * Keeps, per account, the SCRAM-SHA-1 and SCRAM-SHA-256 salted credentials
 * (StoredKey, ServerKey, salt, iteration count), never the password. Hashing
 * runs on the libuv thread pool. Selected by `authentication =
 * "internal_hashed"` (the default).
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "default_iteration_count", .planned = true, .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "10000", .min = 4096, .max = 1000000,
     .help = "PBKDF2 iterations for new credentials (RFC 7677 asks at least 4096)"},
    {0},
};

const struct strata_module strata_mod_auth_internal_hashed = {
    .name = "auth_internal_hashed",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .tested_with = "slixmpp",
    .scope = STRATA_MODULE_HOST,
    .config_file = "authentication",
    .specs = "RFC 5802, RFC 7677",
    .summary = "accounts with salted SCRAM-SHA-1 and SCRAM-SHA-256 credentials, never plaintext",
    .options = options,
};
