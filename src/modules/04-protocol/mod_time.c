/*
 * time: Entity Time (XEP-0202) for the server: UTC time and offset.
 */
#include <time.h>

#include "strata/host.h"
#include "strata/module.h"

extern const struct strata_module strata_mod_time;

static int on_time(struct strata_event *ev, void *ud)
{
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    char stamp[32];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &utc); /* XEP-0082 DateTime */
    struct strata_stanza *t = strata_stanza_new("time", "urn:xmpp:time");
    /* The server reports UTC: its local zone is an operating detail. */
    strata_stanza_add_text_child(t, "tzo", NULL, "+00:00");
    strata_stanza_add_text_child(t, "utc", NULL, stamp);
    strata_iq_answer(ev, t);
    strata_stanza_unref(t);
    return STRATA_HANDLED;
}

static int load(struct strata_host *h)
{
    strata_host_add_feature(h, "urn:xmpp:time");
    return strata_host_hook(h, &strata_mod_time, "iq-get/host/urn:xmpp:time:time", 0, on_time,
                            NULL);
}

const struct strata_module strata_mod_time = {
    .name = "time",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "core",
    .specs = "XEP-0202",
    .summary = "the server's time (UTC)",
    .tested_with = "slixmpp",
    .load = load,
};
