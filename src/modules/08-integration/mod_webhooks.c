/*
 * webhooks: server events POSTed as JSON to other services.
 *
 * Account creation and deletion, logins, room creation and the like, each
 * signed with HMAC-SHA256 over the body (header X-Strata-Signature) so the
 * receiver can check it came from this server. Delivery is retried with
 * growing delays and never blocks the event that caused it.
 */
#include <string.h>

#include "strata/config.h"
#include "strata/module.h"

/* A list of endpoint tables, each with at least a url; the TABLE type alone
 * can only check a single table's keys. */
static const char *check_endpoints(const struct cfg_value *v)
{
    static const char msg[] = "must be a list of { url = \"https://...\", events = { ... } } tables";

    if (v->kind != CFG_TABLE || v->u.table->npairs != 0) {
        return msg;
    }
    for (size_t i = 0; i < v->u.table->narray; i++) {
        const struct cfg_value *url = cfg_table_get(&v->u.table->array[i], "url");
        if (url == NULL || url->kind != CFG_STRING ||
            (strncmp(url->u.str.ptr, "https://", 8) != 0 && strncmp(url->u.str.ptr, "http://", 7) != 0)) {
            return msg;
        }
    }
    return NULL;
}

static const struct strata_option options[] = {
    {.name = "webhooks", .type = STRATA_OPT_TABLE, .scope = STRATA_SCOPE_HOSTS, .check = check_endpoints,
     .strata_only = true,
     .help = "endpoints: { { url = \"https://...\", events = { \"user-registered\", ... } }, ... }"},
    {.name = "webhook_secret", .type = STRATA_OPT_STRING, .scope = STRATA_SCOPE_HOSTS, .strata_only = true,
     .help = "key for the HMAC-SHA256 signature of each request; requests are unsigned when unset"},
    {.name = "webhook_retries", .type = STRATA_OPT_INT, .scope = STRATA_SCOPE_HOSTS, .def = "3",
     .min = 0, .max = 20, .strata_only = true, .help = "further attempts after a failed delivery"},
    {.name = "webhook_retry_delay", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS, .def = "30s",
     .min = 1, .max = 86400, .strata_only = true, .help = "wait before the first retry; doubled for each next one"},
    {.name = "webhook_timeout", .type = STRATA_OPT_DURATION, .scope = STRATA_SCOPE_HOSTS, .def = "10s",
     .min = 1, .max = 300, .strata_only = true, .help = "how long one delivery may take"},
    {0},
};

const struct strata_module strata_mod_webhooks = {
    .name = "webhooks",
    .layer = STRATA_LAYER_INTEGRATION,
    .tier = STRATA_TIER_BETA,
    .state = STRATA_MODULE_PLANNED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "webhooks",
    .specs = "-",
    .summary = "signed JSON events POSTed to other services, with retries",
    .options = options,
};
