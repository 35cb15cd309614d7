/*
 * message: routes <message/> stanzas (RFC 6120 §8, RFC 6121 §8.5).
 *
 * Full JID: to that resource, or as if to the bare JID when it is gone
 * (§8.5.3.2.1). Bare JID (§8.5.2.1.1): normal and chat to the available
 * resources of highest non-negative priority, headline to every available
 * resource of non-negative priority, groupchat refused, errors dropped.
 * With no such resource (§8.5.2.2): chat and normal go to offline storage
 * when the offline module takes them, else back to the sender as
 * <service-unavailable/>; nothing accepted is silently lost.
 */
#include <stdlib.h>
#include <string.h>

#include "core/router.h"
#include "core/sessions.h"
#include "strata/host.h"
#include "strata/module.h"

extern const struct strata_module strata_mod_message;

static const char *type_of(const struct strata_stanza *st)
{
    const char *type = strata_stanza_attr(st, "type");
    return type ? type : "normal";
}

/* Sessions that take a message sent to the bare JID: available, with a
 * non-negative priority; for chat and normal only the highest priority. */
static size_t pick(struct strata_host *h, const char *bare, bool highest_only,
                   struct strata_session **out, size_t cap)
{
    int best = -1;
    for (struct strata_session *c = sessions_of(h, bare); c; c = c->next_resource) {
        if (c->available && c->priority >= 0 && c->priority > best) {
            best = c->priority;
        }
    }
    size_t n = 0;
    for (struct strata_session *c = sessions_of(h, bare); c && n < cap; c = c->next_resource) {
        if (c->state == C2S_ACTIVE && c->available && c->priority >= 0 &&
            (!highest_only || c->priority == best)) {
            out[n++] = c;
        }
    }
    return n;
}

static int no_resource(struct strata_event *ev, const char *type)
{
    if (strcmp(type, "chat") == 0 || strcmp(type, "normal") == 0) {
        int id = strata_event_id("message/offline/handle");
        struct strata_event off = *ev;
        off.id = id;
        if (id >= 0 && strata_hooks_fire(ev->host->hooks, &off) == STRATA_HANDLED) {
            return STRATA_HANDLED;
        }
    }
    if (strcmp(type, "headline") != 0) {
        strata_event_error(ev, "service-unavailable", NULL); /* error type: not answered */
    }
    return STRATA_HANDLED;
}

static int deliver_bare(struct strata_event *ev, const char *bare)
{
    const char *type = type_of(ev->stanza);
    if (strcmp(type, "error") == 0) {
        return STRATA_HANDLED; /* §8.5.2.1.1: silently ignored */
    }
    if (strcmp(type, "groupchat") == 0) {
        strata_event_error(ev, "service-unavailable", NULL);
        return STRATA_HANDLED;
    }
    struct strata_session *targets[64];
    size_t n = pick(ev->host, bare, strcmp(type, "headline") != 0, targets, 64);
    for (size_t i = 0; i < n; i++) {
        router_deliver(targets[i], ev->stanza);
    }
    return n ? STRATA_HANDLED : no_resource(ev, type);
}

static int on_bare(struct strata_event *ev, void *ud)
{
    const struct strata_jid *to = ev->data; /* prepared by the router */
    if (!to) {
        return STRATA_PASS;
    }
    char *bare = strata_jid_to_string(to, true);
    int rc = deliver_bare(ev, bare);
    free(bare);
    return rc;
}

static int on_full(struct strata_event *ev, void *ud)
{
    const struct strata_jid *to = ev->data; /* prepared by the router */
    if (!to) {
        return STRATA_PASS;
    }
    char *bare = strata_jid_to_string(to, true);
    struct strata_session *c = sessions_find(ev->host, bare, to->resource);
    int rc = STRATA_HANDLED;
    if (c && c->state == C2S_ACTIVE) {
        router_deliver(c, ev->stanza);
    } else if (strcmp(type_of(ev->stanza), "groupchat") == 0) {
        strata_event_error(ev, "service-unavailable", NULL); /* §8.5.3.2.1 */
    } else if (strcmp(type_of(ev->stanza), "error") != 0) {
        rc = deliver_bare(ev, bare); /* the resource is gone: as if to the bare JID */
    }
    free(bare);
    return rc;
}

static int load(struct strata_host *h)
{
    const struct strata_module *m = &strata_mod_message;
    int rc = strata_host_hook(h, m, "message/bare", -1, on_bare, NULL);
    rc = rc ? rc : strata_host_hook(h, m, "message/full", -1, on_full, NULL);
    return rc;
}

const struct strata_module strata_mod_message = {
    .name = "message",
    .layer = STRATA_LAYER_STANZA,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "routing",
    .specs = "RFC 6120 §8, RFC 6121 §8",
    .summary = "message routing: bare, full and server JID rules",
    .autoload = true,
    .tested_with = "slixmpp",
    .load = load,
};
