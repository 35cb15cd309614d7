/*
 * iq: routes <iq/> stanzas (RFC 6120 §8.2.3, §10).
 *
 * To a full JID: to that session, or <service-unavailable/> when it is gone
 * (RFC 6121 §8.5.3.2.1). To the server, an account, or the sender's own
 * account: fired again as "iq-<type>/<host|bare|self>/<ns>:<name>" for the
 * module that serves the payload (ping, disco, roster...); a get or set no
 * module serves gets <service-unavailable/> (RFC 6120 §8.4). Requests of
 * a client to its own account fall back to the server's handlers, so a
 * ping without `to` is answered by the server as clients expect.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/router.h"
#include "core/sessions.h"
#include "strata/host.h"
#include "strata/module.h"

extern const struct strata_module strata_mod_iq;

static bool is_request(const struct strata_stanza *st)
{
    const char *type = strata_stanza_attr(st, "type");
    return type && (strcmp(type, "get") == 0 || strcmp(type, "set") == 0);
}

/* Fires "iq-<type>/<target>/<ns>:<name>" when some module hooked it. */
static int fire_payload(struct strata_event *ev, const char *target)
{
    const struct strata_stanza *payload = strata_stanza_first_element(ev->stanza);
    const char *type = strata_stanza_attr(ev->stanza, "type");
    if (!payload || !type) {
        return STRATA_PASS;
    }
    char name[512];
    int n = snprintf(name, sizeof name, "iq-%s/%s/%s:%s", type, target, strata_stanza_ns(payload),
                     strata_stanza_name(payload));
    int id = n > 0 && (size_t)n < sizeof name ? strata_event_find(name, (size_t)n) : -1;
    if (id < 0) {
        return STRATA_PASS;
    }
    struct strata_event sub = *ev;
    sub.id = id;
    return strata_hooks_fire(ev->host->hooks, &sub);
}

static int finish(struct strata_event *ev, int handled)
{
    if (handled == STRATA_PASS && is_request(ev->stanza)) {
        strata_event_error(ev, "service-unavailable", NULL);
    }
    return STRATA_HANDLED;
}

static int on_host(struct strata_event *ev, void *ud)
{
    return finish(ev, fire_payload(ev, "host"));
}

static int on_bare(struct strata_event *ev, void *ud)
{
    return finish(ev, fire_payload(ev, "bare"));
}

static int on_self(struct strata_event *ev, void *ud)
{
    int handled = fire_payload(ev, "self");
    if (handled == STRATA_PASS) {
        handled = fire_payload(ev, "bare");
    }
    if (handled == STRATA_PASS) {
        handled = fire_payload(ev, "host");
    }
    return finish(ev, handled);
}

static int on_full(struct strata_event *ev, void *ud)
{
    const struct strata_jid *to = ev->data; /* prepared by the router */
    if (!to) {
        return finish(ev, STRATA_PASS);
    }
    char *bare = strata_jid_to_string(to, true);
    struct strata_session *c = sessions_find(ev->host, bare, to->resource);
    if (c && c->state == C2S_ACTIVE) {
        router_deliver(c, ev->stanza);
    }
    free(bare);
    return finish(ev, c ? STRATA_HANDLED : STRATA_PASS);
}

static int load(struct strata_host *h)
{
    const struct strata_module *m = &strata_mod_iq;
    int rc = strata_host_hook(h, m, "iq/host", -1, on_host, NULL);
    rc = rc ? rc : strata_host_hook(h, m, "iq/bare", -1, on_bare, NULL);
    rc = rc ? rc : strata_host_hook(h, m, "iq/self", -1, on_self, NULL);
    rc = rc ? rc : strata_host_hook(h, m, "iq/full", -1, on_full, NULL);
    return rc;
}

const struct strata_module strata_mod_iq = {
    .name = "iq",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "routing",
    .specs = "RFC 6120 §8.2.3, §10",
    .summary = "iq routing: to sessions, to the modules serving a payload, errors otherwise",
    .autoload = true,
    .tested_with = "slixmpp",
    .load = load,
};
