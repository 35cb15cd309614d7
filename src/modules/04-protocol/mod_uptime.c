/*
 * uptime: Last Activity (XEP-0012) of the server, which is its uptime
 * (XEP-0012 §5: a query to a server gives the time since it started).
 */
#include <inttypes.h>
#include <stdio.h>

#include "strata/host.h"
#include "strata/module.h"

extern const struct strata_module strata_mod_uptime;

static int on_last(struct strata_event *ev, void *ud)
{
    char seconds[32];
    snprintf(seconds, sizeof seconds, "%" PRIu64, strata_host_uptime(ev->host));
    struct strata_stanza *q = strata_stanza_new("query", "jabber:iq:last");
    strata_stanza_set_attr(q, "seconds", seconds);
    strata_iq_answer(ev, q);
    strata_stanza_unref(q);
    return STRATA_HANDLED;
}

static int load(struct strata_host *h)
{
    strata_host_add_feature(h, "jabber:iq:last");
    return strata_host_hook(h, &strata_mod_uptime, "iq-get/host/jabber:iq:last:query", 0, on_last,
                            NULL);
}

const struct strata_module strata_mod_uptime = {
    .name = "uptime",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "core",
    .specs = "XEP-0012",
    .summary = "how long the server has been running",
    .tested_with = "slixmpp",
    .load = load,
};
