/*
 * compression: stream compression (XEP-0138), refused.
 *
 * Declared only so that a Prosody configuration naming it gets a clear
 * `strata check` error instead of "unknown module", and so that its one
 * Prosody option is recognised rather than reported as a typo.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "compression_level", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "7", .min = 1, .max = 9,
     .help = "zlib level of Prosody's mod_compression; has no effect, compression is refused"},
    {0},
};

const struct strata_module strata_mod_compression = {
    .name = "compression",
    .layer = STRATA_LAYER_TRANSPORT,
    .tier = STRATA_TIER_NONE,
    .state = STRATA_MODULE_REFUSED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "compression",
    .specs = "XEP-0138 (obsolete)",
    .summary = "stream compression: never implemented",
    .options = options,
    .refusal = "stream compression (XEP-0138) is never implemented: compressing data before "
               "encrypting it lets an attacker who can inject text recover secrets such as "
               "passwords and tokens from the sizes of encrypted records (the CRIME and BREACH "
               "attacks), and a small compressed stanza can inflate into a huge one that "
               "bypasses stanza size limits (decompression bomb). The XSF has deprecated "
               "XEP-0138 for these reasons, and TLS-level compression is off as well. Remove "
               "\"compression\" from the enabled modules.",
};
