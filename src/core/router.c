/*
 * The router; see router.h.
 */
#include "core/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/sessions.h"
#include "strata/host.h"
#include "util/xalloc.h"

static bool is_kind(const struct strata_stanza *st)
{
    const char *name = strata_stanza_name(st);
    return strata_name_eq(name, strata_atoms.message) ||
           strata_name_eq(name, strata_atoms.presence) || strata_name_eq(name, strata_atoms.iq);
}

void router_deliver(struct strata_session *c, const struct strata_stanza *st)
{
    c2s_send(c, st);
}

void router_bounce(struct strata_server *s, struct strata_session *origin,
                   const struct strata_stanza *st, enum stanza_error e, const char *text)
{
    struct strata_stanza *reply = stanza_error_reply(st, e, text);
    if (!reply) {
        return;
    }
    if (origin && origin->state == C2S_ACTIVE) {
        router_deliver(origin, reply);
        strata_stanza_unref(reply);
        return;
    }
    router_route(s, NULL, reply);
}

/* "iq" -> "iq-get" style event prefixes follow Prosody: iq events carry
 * their type, message and presence events do not. */
/* PERF: ev.data carries the prepared `to` (const struct strata_jid *), so
 * the modules that route the stanza do not prepare it again (stringprep is
 * a visible share of the cost per message). NULL for "broadcast". */
static int fire(struct strata_host *h, struct strata_session *origin, struct strata_stanza *st,
                const char *target, const struct strata_jid *to)
{
    char name[64];
    snprintf(name, sizeof name, "%s/%s", strata_stanza_name(st), target);
    int id = strata_event_find(name, strlen(name));
    if (id < 0) {
        return STRATA_PASS;
    }
    struct strata_event ev = {.id = id, .host = h, .origin = origin, .stanza = st, .data = (void *)to};
    return strata_hooks_fire(h->hooks, &ev);
}

/* What is left when no module took the stanza (RFC 6120 §8.3, §10.5). */
static void unhandled(struct strata_server *s, struct strata_session *origin,
                      struct strata_stanza *st)
{
    const char *type = strata_stanza_attr(st, "type");
    if (strata_name_eq(strata_stanza_name(st), strata_atoms.presence)) {
        return; /* presence nobody wants is dropped silently (RFC 6121 §4.3) */
    }
    if (strata_name_eq(strata_stanza_name(st), strata_atoms.iq) && type &&
        (strcmp(type, "result") == 0 || strcmp(type, "error") == 0)) {
        return; /* responses are never answered */
    }
    router_bounce(s, origin, st, SE_SERVICE_UNAVAILABLE, NULL);
}

void router_route(struct strata_server *s, struct strata_session *origin, struct strata_stanza *st)
{
    struct strata_jid to = {0};
    const char *to_text = strata_stanza_attr(st, "to");
    if (!to_text || strata_jid_parse(to_text, strlen(to_text), &to) < 0) {
        router_bounce(s, origin, st, SE_JID_MALFORMED, NULL);
        strata_stanza_unref(st);
        return;
    }
    struct strata_host *h = server_find_host(s, to.domain);
    if (!h) {
        /* Server-to-server is not in this version: RFC 6120 §8.3.3.16. */
        router_bounce(s, origin, st, SE_REMOTE_SERVER_NOT_FOUND, NULL);
    } else {
        const char *target = !to.node ? "host" : to.resource ? "full" : "bare";
        if (origin && !to.resource && to.node && origin->bare &&
            strata_jid_bare_equal(&to, &origin->jid)) {
            target = "self";
        }
        if (fire(h, origin, st, target, &to) == STRATA_PASS &&
            (strcmp(target, "self") != 0 || fire(h, origin, st, "bare", &to) == STRATA_PASS)) {
            unhandled(s, origin, st);
        }
    }
    strata_jid_clear(&to);
    strata_stanza_unref(st);
}

/* RFC 6120 §8.1.2.1: the server stamps `from`; a client may only send its
 * own full or bare JID. */
static bool from_is_own(struct strata_session *c, const char *from)
{
    struct strata_jid j;
    if (strata_jid_parse(from, strlen(from), &j) < 0) {
        return false;
    }
    bool own = strata_jid_bare_equal(&j, &c->jid) &&
               (!j.resource || strcmp(j.resource, c->jid.resource) == 0);
    strata_jid_clear(&j);
    return own;
}

void router_from_client(struct strata_session *c, struct strata_stanza *st)
{
    if (!is_kind(st)) {
        c2s_stream_error(c, STREAM_UNSUPPORTED_STANZA_TYPE, NULL);
        strata_stanza_unref(st);
        return;
    }
    const char *from = strata_stanza_attr(st, "from");
    if (from && !from_is_own(c, from)) {
        LOG(STRATA_LOG_WARN, "c2s", &(struct log_ctx){c->name, NULL, c->full},
            "forged from '%s': closing the stream", from);
        c2s_stream_error(c, STREAM_INVALID_FROM, NULL);
        strata_stanza_unref(st);
        return;
    }
    struct strata_stanza *own = strata_stanza_copy(st);
    strata_stanza_unref(st);
    strata_stanza_set_attr(own, "from", c->full);
    if (!strata_stanza_attr(own, "to")) {
        /* RFC 6120 §10.3: no `to` means the account itself (or, for
         * presence, a broadcast handled by the presence module). */
        strata_stanza_set_attr(own, "to", c->bare);
        if (strata_name_eq(strata_stanza_name(own), strata_atoms.presence)) {
            /* RFC 6121 §4.2-4.5: presence without `to` is the client's
             * broadcast, not a stanza to its own account: "presence/
             * broadcast"; dropped when no module takes it (§4.3). */
            fire(c->host, c, own, "broadcast", NULL);
            strata_stanza_unref(own);
            return;
        }
    }
    router_route(c->server, c, own);
}
