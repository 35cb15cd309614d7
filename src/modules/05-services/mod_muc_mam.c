/*
 * muc_mam: Message Archive Management for rooms (XEP-0313 on a MUC service).
 *
 * Archives the messages of rooms that have logging enabled and answers MAM
 * queries sent to the room. Loaded on the MUC component next to muc; its
 * retention is separate from users' archives because rooms outlive members.
 * Query paging (max_archive_query_results) is mam's option.
 */

#include "strata/config.h"
#include "strata/module.h"

#define SCOPE STRATA_SCOPE_COMPONENT

static const struct strata_option options[] = {
    {.name = "muc_log_by_default", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "true",
     .help = "new rooms have archiving enabled (owners may switch it off)"},
    {.name = "muc_log_all_rooms", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "archive every room, whatever its owners configure"},
    {.name = "muc_log_expires_after", .type = STRATA_OPT_DURATION, .scope = SCOPE, .def = "1w",
     .choices = STRATA_CHOICES("never"), .help = "how long room messages are kept: a duration (\"1w\", \"1y\") or \"never\""},
    {.name = "muc_log_presences", .type = STRATA_OPT_BOOL, .scope = SCOPE, .def = "false",
     .help = "also archive joins and leaves"},
    {0},
};

#undef SCOPE

const struct strata_module strata_mod_muc_mam = {
    .name = "muc_mam",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    /* Runs beside muc on the MUC component (its modules_enabled). */
    .scope = STRATA_MODULE_COMPONENT,
    .config_file = "groupchat",
    .specs = "XEP-0313",
    .summary = "archives of group chat rooms",
    .requires = STRATA_NAMES("muc", "mam"),
    .options = options,
};
