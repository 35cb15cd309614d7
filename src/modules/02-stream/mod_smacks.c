/*
 * smacks: Stream Management (XEP-0198).
 *
 * Acknowledgements, resumption and hibernation: a client that loses its
 * connection keeps its session for smacks_hibernation_time and gets every
 * unacknowledged stanza again on resume, exactly once. When a session
 * expires, unacknowledged messages go to offline storage or MAM, never lost.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "smacks_hibernation_time", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "10m", .min = 0, .max = 86400,
     .help = "how long a disconnected session waits to be resumed; 0 disables resumption"},
    {.name = "smacks_max_queue_size", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "500", .min = 1, .max = 100000,
     .help = "unacknowledged stanzas kept per session before it can no longer be resumed"},
    {.name = "smacks_max_unacked_stanzas", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "0", .min = 0, .max = 10000,
     .help = "unacknowledged stanzas sent before the server asks an active client for an ack"},
    {.name = "smacks_max_inactive_unacked_stanzas", .type = STRATA_OPT_INT,
     .scope = STRATA_SCOPE_HOSTS, .def = "256", .min = 0, .max = 10000,
     .help = "the same for a client that said it is inactive (XEP-0352), to spare its battery"},
    {.name = "smacks_max_ack_delay", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "30s", .min = 0, .max = 3600,
     .help = "wait for an ack this long before reporting the client slow (push notifications)"},
    {.name = "smacks_max_hibernated_sessions", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "10", .min = 0, .max = 1000,
     .help = "hibernating sessions per account; the oldest is ended beyond this"},
    {.name = "smacks_max_old_sessions", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "10", .min = 0, .max = 1000,
     .help = "expired sessions per account whose counter is kept to tell a client what it missed"},
    {.name = "smacks_enabled_s2s", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "use stream management on server-to-server connections too"},
    {.name = "smacks_s2s_resend", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "false",
     .help = "resend unacknowledged stanzas over a new server connection instead of bouncing them"},
    {0},
};

const struct strata_module strata_mod_smacks = {
    .name = "smacks",
    .layer = STRATA_LAYER_STREAM,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "management",
    .specs = "XEP-0198",
    .summary = "stream management: acks, resumption, hibernation; nothing lost, nothing duplicated",
    .options = options,
};
