/*
 * csi_simple: Client State Indication (XEP-0352).
 *
 * While a client says it is inactive, presence updates, chat states and
 * other unimportant stanzas are held back; messages with a body, calls,
 * invitations and errors flush the queue at once.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "csi_queue_size", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "256", .min = 1, .max = 10000,
     .help = "stanzas held for an inactive client before they are flushed anyway"},
    {.name = "csi_important_payloads", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .help = "extra payloads that flush the queue, as \"{namespace}name\""},
    {0},
};

const struct strata_module strata_mod_csi_simple = {
    .name = "csi_simple",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "management",
    .specs = "XEP-0352",
    .summary = "client state indication: hold unimportant traffic while the client is inactive",
    /* COMPAT(prosody): Prosody's mod_csi is the protocol half of this module. */
    .aliases = STRATA_NAMES("csi"),
    .options = options,
};
