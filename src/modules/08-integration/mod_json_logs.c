/*
 * json_logs: log lines as JSON objects, one per line.
 *
 * For log collectors (Loki, Elasticsearch, journald forwarders): time,
 * level, source, message and the session, peer and JID fields the core
 * attaches, plus fixed fields of the operator's choosing.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "json_logs_fields", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_GLOBAL, .strata_only = true,
     .help = "fixed fields added to every line, e.g. { service = \"xmpp\", region = \"eu-1\" }"},
    {0},
};

const struct strata_module strata_mod_json_logs = {
    .name = "json_logs",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_ALPHA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_GLOBAL,
    .config_file = "apis",
    .specs = "-",
    .summary = "one JSON object per log line",
    .options = options,
};
