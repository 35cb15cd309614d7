/*
 * admin_adhoc: server administration over XMPP ad-hoc commands (XEP-0050,
 * XEP-0133).
 *
 * Add, delete and disable users, change passwords, list online users,
 * announce, shut down: from any client with ad-hoc support, for admins only.
 * No options: who is an admin is the core `admins` option.
 */
#include "strata/module.h"

const struct strata_module strata_mod_admin_adhoc = {
    .name = "admin_adhoc",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "apis",
    .specs = "XEP-0050, XEP-0133",
    .summary = "service administration through ad-hoc commands",
};
