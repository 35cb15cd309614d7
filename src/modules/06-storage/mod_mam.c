/*
 * mam: Message Archive Management (XEP-0313) for user accounts.
 *
 * Archives one-to-one messages with stable ids (XEP-0359) and answers
 * queries by time, correspondent and id, paged with RSM (XEP-0059).
 * Retention (archive_expires_after) and a per-user quota keep archives
 * bounded. Room archives are muc_mam's.
 */
#include <string.h>

#include "strata/config.h"
#include "strata/module.h"

/* Prosody: true (archive everything), false (nothing until the user asks)
 * or "roster" (only contacts in the roster). */
static const char *check_policy(const struct cfg_value *v)
{
    if (v->kind == CFG_BOOL) {
        return NULL;
    }
    if (v->kind == CFG_STRING && (strcmp(v->u.str.ptr, "roster") == 0 || strcmp(v->u.str.ptr, "true") == 0 ||
                                  strcmp(v->u.str.ptr, "false") == 0)) {
        return NULL;
    }
    return "must be true, false or \"roster\"";
}

static const struct strata_option options[] = {
    {.name = "archive_expires_after", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS,
     .def = "1w", .choices = STRATA_CHOICES("never"),
     .help = "how long messages are kept: a duration (\"1w\", \"1y\") or \"never\""},
    {.name = "default_archive_policy", .type = STRATA_OPT_ANY, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .check = check_policy,
     .help = "what is archived for users who set no preference: true (all), false (none) or \"roster\""},
    {.name = "mam_smart_enable", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS, .def = "false",
     .help = "archive a user's messages only once one of their clients has used MAM"},
    {.name = "max_archive_query_results", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .def = "50", .min = 1, .max = 1000, .help = "most messages returned in one page of a query (also for rooms)"},
    {.name = "mam_include_total", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS, .def = "true",
     .help = "tell clients how many messages match a query (an extra count per query)"},
    {.name = "dont_archive_namespaces", .type = STRATA_OPT_STRINGS, .scope = STRATA_SCOPE_HOSTS,
     .def = "http://jabber.org/protocol/chatstates",
     .help = "payload namespaces stripped before archiving; messages left empty are not archived"},
    {.name = "archive_store", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS, .def = "archive",
     .help = "name of the store holding archives (a storage table can give it its own driver)"},
    {.name = "storage_archive_item_limit", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS,
     .min = 1, .max = 100000000,
     .help = "most messages kept per user; the oldest are removed first; unlimited when unset"},
    {0},
};

const struct strata_module strata_mod_mam = {
    .name = "mam",
    .layer = STRATA_LAYER_STORAGE,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "archiving",
    .specs = "XEP-0313, XEP-0059, XEP-0359",
    .summary = "message archives per account, with retention and quotas",
    .options = options,
};
