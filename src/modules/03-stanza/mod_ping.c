/*
 * ping: XMPP Ping (XEP-0199) — the server answers pings addressed to it.
 *
 * Pinging idle connections to find dead peers (XEP-0199 §4.3) comes with
 * stream management, which decides what happens to a silent session.
 */
#include "strata/host.h"
#include "strata/module.h"

extern const struct strata_module strata_mod_ping;

static const struct strata_option options[] = {
    {.name = "ping_interval", .planned = true, .type = STRATA_OPT_DURATION,
     .scope = STRATA_SCOPE_HOSTS, .def = "5m", .min = 0, .max = 86400, .strata_only = true,
     .help = "ping a client or server connection idle this long; 0 never pings"},
    {.name = "ping_timeout", .planned = true, .type = STRATA_OPT_DURATION,
     .scope = STRATA_SCOPE_HOSTS, .def = "1m", .min = 1, .max = 3600, .strata_only = true,
     .help = "close a connection whose ping has no answer after this long"},
    {0},
};

static int on_ping(struct strata_event *ev, void *ud)
{
    strata_iq_answer(ev, NULL); /* XEP-0199 §4.2: an empty result */
    return STRATA_HANDLED;
}

static int load(struct strata_host *h)
{
    strata_host_add_feature(h, "urn:xmpp:ping");
    return strata_host_hook(h, &strata_mod_ping, "iq-get/host/urn:xmpp:ping:ping", 0, on_ping, NULL);
}

const struct strata_module strata_mod_ping = {
    .name = "ping",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "routing",
    .specs = "XEP-0199",
    .summary = "answers pings to the server",
    .options = options,
    .tested_with = "slixmpp",
    .load = load,
};
