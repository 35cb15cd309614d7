/*
 * offline: Offline Message Storage (XEP-0160).
 *
 * Stores messages sent to a user who has no online resource and delivers
 * them at their next available presence. A quota bounds what one account
 * can hold, so a flood against an absent user cannot fill the disk.
 * Messages a client has already fetched through MAM are not delivered a
 * second time.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    /* Prosody has no quota; ejabberd's max_user_offline_messages is the model. */
    {.name = "offline_message_quota", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "1000", .min = 0, .max = 100000, .strata_only = true,
     .help = "most messages stored for one offline user; beyond it senders get <resource-constraint/> (0 stores none)"},
    {0},
};

const struct strata_module strata_mod_offline = {
    .name = "offline",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "messaging",
    .specs = "XEP-0160",
    .summary = "stores messages for offline users, with a quota; no double delivery with MAM",
    .options = options,
    /* As in Prosody: an account that cannot receive while offline surprises everyone. */
    .autoload = true,
};
