/*
 * bookmarks: PEP Native Bookmarks (XEP-0402) with the XEP-0048 bridge.
 *
 * Keeps the new one-item-per-room bookmarks in PEP and mirrors them both
 * ways with the legacy single-document bookmarks, whether a client reads
 * those through PEP or through Private XML Storage (XEP-0049), and
 * advertises urn:xmpp:bookmarks:1#compat so clients know.
 */
#include "strata/module.h"

static const struct strata_option options[] = {
    {.name = "upgrade_legacy_bookmarks", .type = STRATA_OPT_BOOL, .scope = STRATA_SCOPE_HOSTS,
     .def = "true", .help = "convert bookmarks stored the XEP-0048 way the first time a user's bookmarks are read"},
    {0},
};

const struct strata_module strata_mod_bookmarks = {
    .name = "bookmarks",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "pubsub",
    .specs = "XEP-0402, XEP-0048",
    .summary = "bookmarks in PEP, synchronised both ways with legacy bookmarks (#compat)",
    .requires = STRATA_NAMES("pep"),
    /* Old clients keep bookmarks in Private XML; without it only the PEP side is bridged. */
    .wants = STRATA_NAMES("private"),
    .options = options,
};
