/*
 * Hosts as modules see them; see include/strata/host.h.
 */
#include <stdlib.h>
#include <string.h>

#include "core/router.h"
#include "core/server.h"
#include "strata/errors.h"
#include "strata/host.h"
#include "xmpp/errors.h"

const char *strata_host_name(const struct strata_host *h)
{
    return h->name;
}

int strata_host_hook(struct strata_host *h, const struct strata_module *owner, const char *event,
                     int priority, strata_handler_fn fn, void *ud)
{
    int id = strata_event_id(event);
    return id < 0 ? id : strata_hooks_add(h->hooks, id, priority, fn, ud, owner);
}

void strata_host_add_feature(struct strata_host *h, const char *var)
{
    for (size_t i = 0; i < h->nfeatures; i++) {
        if (strcmp(h->features[i], var) == 0) {
            return;
        }
    }
    if (h->nfeatures < HOST_MAX_FEATURES) {
        h->features[h->nfeatures++] = var;
    }
}

const struct cfg_value *strata_host_option(const struct strata_host *h, const char *name,
                                           struct cfg_value *scratch)
{
    return check_value(h->server->check, h->section, name, scratch, NULL);
}

uint64_t strata_host_uptime(const struct strata_host *h)
{
    return (uv_now(h->server->loop) - h->server->started_ms) / 1000;
}

void strata_host_route(struct strata_host *h, struct strata_stanza *st)
{
    router_route(h->server, NULL, st);
}

void strata_event_reply(struct strata_event *ev, struct strata_stanza *reply)
{
    if (ev->origin && ev->origin->state == C2S_ACTIVE) {
        router_deliver(ev->origin, reply);
        strata_stanza_unref(reply);
        return;
    }
    router_route(ev->host->server, NULL, reply);
}

void strata_event_error(struct strata_event *ev, const char *condition, const char *text)
{
    enum stanza_error e;
    if (stanza_error_find(condition, &e) < 0) {
        e = SE_UNDEFINED_CONDITION;
    }
    router_bounce(ev->host->server, ev->origin, ev->stanza, e, text);
}

struct strata_stanza *strata_iq_result(const struct strata_stanza *iq)
{
    struct strata_stanza *r = strata_stanza_new("iq", strata_stanza_ns(iq));
    strata_stanza_set_attr(r, "to", strata_stanza_attr(iq, "from"));
    strata_stanza_set_attr(r, "from", strata_stanza_attr(iq, "to"));
    strata_stanza_set_attr(r, "id", strata_stanza_attr(iq, "id"));
    strata_stanza_set_attr(r, "type", "result");
    return r;
}

void strata_iq_answer(struct strata_event *ev, const struct strata_stanza *payload)
{
    struct strata_stanza *r = strata_iq_result(ev->stanza);
    if (payload) {
        strata_stanza_add_copy(r, payload);
    }
    strata_event_reply(ev, r);
}
