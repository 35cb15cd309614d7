/*
 * presence: presence subscriptions and broadcast (RFC 6121 §4).
 *
 * Broadcasts a user's presence to subscribers, answers and sends probes,
 * keeps directed presence (§4.6) so a peer that got available presence also
 * gets unavailable, and sends unavailable for a session that disconnects
 * without saying goodbye. The subscription state machine itself is the
 * roster's (04-protocol).
 *
 * Events:
 *   "presence/broadcast"  a client's presence without 'to' (router.c):
 *                         initial presence (§4.2), updates (§4.4) and
 *                         unavailable (§4.5); fires "presence/initial"
 *   "presence/bare|full|host"
 *                         with an origin session: the client's own stanza
 *                         (outbound: directed presence §4.6, subscription
 *                         requests and answers §3, probes); without one:
 *                         what the server routes to a local account
 *                         (inbound: delivery §8.5, subscription processing,
 *                         probes §4.3.2)
 *   "resource-unbind"     unavailable on logout and on connection loss
 *                         (§4.5.2), directed presence undone (§4.6.3)
 *
 * Both ends of a subscription are local until server-to-server exists, so
 * a subscription stanza goes through the sender's roster (outbound,
 * Appendix A.2) and then the receiver's (inbound, A.3), each through
 * roster_with() so that work on one roster keeps its order. Probes of
 * local contacts are answered at once from their sessions' last presence;
 * a local contact with no session answers "unavailable" without loading
 * their roster.
 *
 * Per session, this module keeps the last available presence (for probes
 * and for the user's other resources) and the set of JIDs that received
 * directed available presence, keyed by full JID (unique across hosts).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/router.h"
#include "core/server.h"
#include "core/sessions.h"
#include "modules/04-protocol/roster/roster.h"
#include "strata/host.h"
#include "strata/module.h"
#include "util/strmap.h"
#include "util/xalloc.h"

extern const struct strata_module strata_mod_presence;

/* SECURITY: entities one session may have sent directed presence to (MUC
 * rooms are the usual ones); beyond it directed presence is refused. */
#define DIRECTED_MAX 1024

struct presence_host {
    struct strata_host *host;
    struct roster_host *rosters;
    bool ignore_priority; /* ignore_presence_priority */
};

/* One session's presence state. */
struct pres {
    struct strata_stanza *last; /* last available broadcast, from the full JID, no 'to' */
    struct strmap directed;     /* JID as addressed -> (void *)1 */
};

static struct strmap all_pres = STRMAP_INIT; /* full JID -> struct pres * */

static struct pres *pres_find(const char *full)
{
    return strmap_get(&all_pres, full);
}

static struct pres *pres_get(const char *full)
{
    struct pres *p = strmap_get(&all_pres, full);
    if (!p) {
        p = xcalloc(1, sizeof *p);
        strmap_put(&all_pres, full, p);
    }
    return p;
}

static void pres_drop(const char *full)
{
    struct pres *p = strmap_remove(&all_pres, full);
    if (p) {
        strata_stanza_unref(p->last);
        strmap_clear(&p->directed);
        free(p);
    }
}

/* ---- sending ----------------------------------------------------------- */

/* Routes a copy of `tmpl` with `from` (NULL: keep) and `to`. */
static void send_copy(struct strata_host *h, const struct strata_stanza *tmpl, const char *from,
                      const char *to)
{
    struct strata_stanza *p = strata_stanza_copy(tmpl);
    if (from) {
        strata_stanza_set_attr(p, "from", from);
    }
    strata_stanza_set_attr(p, "to", to);
    strata_host_route(h, p);
}

/* Routes a new <presence type=`type`/> (NULL: available) from/to. */
static void send_new(struct strata_host *h, const char *from, const char *to, const char *type)
{
    struct strata_stanza *p = strata_stanza_new("presence", strata_atoms.ns_client);
    strata_stanza_set_attr(p, "from", from);
    strata_stanza_set_attr(p, "to", to);
    if (type) {
        strata_stanza_set_attr(p, "type", type);
    }
    strata_host_route(h, p);
}

/* Sends `to` the presence of each available session of `bare` (§3.1.5,
 * §4.3.2), or unavailable from each when `unavailable` (§3.2.2, §3.3.3).
 * `resource` limits it to one session. Returns how many were sent. */
static size_t send_sessions(struct strata_host *h, const char *bare, const char *resource,
                            const char *to, bool unavailable)
{
    size_t n = 0;
    for (struct strata_session *c = sessions_of(h, bare); c; c = c->next_resource) {
        if (!c->available || (resource && strcmp(c->jid.resource, resource) != 0)) {
            continue;
        }
        struct pres *p = pres_find(c->full);
        if (unavailable) {
            send_new(h, c->full, to, "unavailable");
        } else if (p && p->last) {
            send_copy(h, p->last, c->full, to);
        } else {
            continue;
        }
        n++;
    }
    return n;
}

/* Delivers `st` to every available session of `bare` (RFC 6121 §8.5.2.1.1:
 * presence goes to all available resources, whatever their priority). */
static size_t deliver_available(struct strata_host *h, const char *bare,
                                const struct strata_stanza *st)
{
    size_t n = 0;
    for (struct strata_session *c = sessions_of(h, bare); c; c = c->next_resource) {
        if (c->available && c->state == C2S_ACTIVE) {
            router_deliver(c, st);
            n++;
        }
    }
    return n;
}

static struct presence_host *host_state(struct strata_host *h);

/* ---- probes (§4.3) ------------------------------------------------------- */

struct probe {
    struct strata_host *host; /* the probed account's */
    char *bare;               /* the probed account */
    char *resource;           /* a probe of one resource, or NULL */
    char *prober;             /* where answers go (the 'from' of the probe) */
    char *prober_bare;
};

static void probe_free(struct probe *pr)
{
    free(pr->bare);
    free(pr->resource);
    free(pr->prober);
    free(pr->prober_bare);
    free(pr);
}

static void do_probe(struct roster *r, void *ud)
{
    struct probe *pr = ud;
    if (!roster_ok(r)) {
        probe_free(pr);
        return;
    }
    const struct roster_item *it = roster_find(r, pr->prober_bare);
    bool self = strcmp(pr->bare, pr->prober_bare) == 0;
    if (!roster_exists(r) || (!self && !(it && (it->state & SUB_FROM)))) {
        /* §8.5.1 (no such user) and §4.3.2 (not subscribed): nothing is
         * revealed; "unsubscribed" lets the prober's server mend a
         * subscription it wrongly believes in. */
        send_new(pr->host, pr->bare, pr->prober_bare, "unsubscribed");
    } else if (send_sessions(pr->host, pr->bare, pr->resource, pr->prober, false) == 0) {
        send_new(pr->host, pr->bare, pr->prober, "unavailable"); /* §4.3.2 */
    }
    probe_free(pr);
}

/* Answers a probe of `probed` (an account of `h`, or one of its resources)
 * by `prober`, once the probed roster says whether it may know. */
static void answer_probe(struct strata_host *h, const struct strata_jid *probed, const char *prober)
{
    struct strata_jid pj;
    if (strata_jid_parse(prober, strlen(prober), &pj) < 0) {
        return;
    }
    struct probe *pr = xcalloc(1, sizeof *pr);
    pr->host = h;
    pr->bare = strata_jid_to_string(probed, true);
    pr->resource = probed->resource ? xstrdup(probed->resource) : NULL;
    pr->prober = xstrdup(prober);
    pr->prober_bare = strata_jid_to_string(&pj, true);
    strata_jid_clear(&pj);
    roster_with(host_state(h)->rosters, probed->node, do_probe, pr);
}

/* At initial presence: the presence of a contact the user is subscribed
 * to (§4.2.2). A local contact is answered here; a contact with no
 * session at all is simply unavailable. */
static void probe_contact(struct strata_server *s, const char *user_bare, struct strata_session *c,
                          const char *contact)
{
    struct strata_jid j;
    if (strata_jid_parse(contact, strlen(contact), &j) < 0) {
        return;
    }
    struct strata_host *h = server_find_host(s, j.domain);
    if (!h) {
        send_new(c->host, user_bare, contact, "probe"); /* §4.3.1: from the bare JID */
    } else if (j.node && !j.resource) {
        if (!sessions_of(h, contact)) {
            struct strata_stanza *p = strata_stanza_new("presence", strata_atoms.ns_client);
            strata_stanza_set_attr(p, "from", contact);
            strata_stanza_set_attr(p, "to", c->full);
            strata_stanza_set_attr(p, "type", "unavailable");
            router_deliver(c, p);
            strata_stanza_unref(p);
        } else {
            answer_probe(h, &j, c->full);
        }
    }
    strata_jid_clear(&j);
}

/* ---- broadcast (§4.2, §4.4, §4.5) ------------------------------------------ */

struct broadcast {
    struct strata_host *host;
    char *bare;
    char *resource;
    struct strata_stanza *st; /* what to broadcast, from the full JID, no 'to' */
    bool initial;
    bool was_available;     /* unavailable: the session had been available */
    struct strmap directed; /* unavailable: directed presence to undo */
};

static void broadcast_free(struct broadcast *b)
{
    strata_stanza_unref(b->st);
    strmap_clear(&b->directed);
    free(b->bare);
    free(b->resource);
    free(b);
}

struct undo_ctx {
    struct broadcast *b;
    struct roster *r;
};

static void undo_directed(const char *jid, void *value, void *ud)
{
    struct undo_ctx *u = ud;
    struct strata_jid j;
    if (strata_jid_parse(jid, strlen(jid), &j) < 0) {
        return;
    }
    char *bare = strata_jid_to_string(&j, true);
    const struct roster_item *it = roster_ok(u->r) ? roster_find(u->r, bare) : NULL;
    bool broadcast = u->b->was_available && it && (it->state & SUB_FROM);
    bool own = strcmp(bare, u->b->bare) == 0 && u->b->was_available;
    if (!broadcast && !own) {
        send_copy(u->b->host, u->b->st, NULL, jid); /* §4.6.3: not reached by the broadcast */
    }
    free(bare);
    strata_jid_clear(&j);
}

static void do_broadcast(struct roster *r, void *ud)
{
    struct broadcast *b = ud;
    struct strata_host *h = b->host;
    bool available = !strata_stanza_attr(b->st, "type");
    struct strata_session *c = sessions_find(h, b->bare, b->resource);
    if (available && !c) {
        broadcast_free(b); /* gone already: its unavailable follows */
        return;
    }
    struct roster_item **items = NULL;
    size_t n = roster_ok(r) ? roster_live_items(r, &items) : 0;
    if (available || b->was_available) {
        /* §4.2.2, §4.4.2, §4.5.2: to every contact subscribed "from". */
        for (size_t i = 0; i < n; i++) {
            if (items[i]->state & SUB_FROM) {
                send_copy(h, b->st, NULL, items[i]->jid);
            }
        }
        /* ... and to the user's available resources: all of them for
         * available presence (the sender too, §4.2.2), the others for
         * unavailable. */
        for (struct strata_session *o = sessions_of(h, b->bare); o; o = o->next_resource) {
            if (o->available && o->state == C2S_ACTIVE) {
                struct strata_stanza *p = strata_stanza_copy(b->st);
                strata_stanza_set_attr(p, "to", o->full);
                router_deliver(o, p);
                strata_stanza_unref(p);
            }
        }
    }
    if (!available) {
        struct undo_ctx u = {b, r};
        strmap_each(&b->directed, undo_directed, &u);
    }
    if (b->initial && c && c->state == C2S_ACTIVE) {
        /* The user's other resources, for the new one. */
        for (struct strata_session *o = sessions_of(h, b->bare); o; o = o->next_resource) {
            struct pres *p = o != c && o->available ? pres_find(o->full) : NULL;
            if (p && p->last) {
                struct strata_stanza *copy = strata_stanza_copy(p->last);
                strata_stanza_set_attr(copy, "to", c->full);
                router_deliver(c, copy);
                strata_stanza_unref(copy);
            }
        }
        /* §3.1.3: requests still unanswered, at every login until answered. */
        for (size_t i = 0; i < n; i++) {
            if ((items[i]->state & SUB_PENDING_IN) && items[i]->request) {
                router_deliver(c, items[i]->request);
            }
        }
        /* §4.2.2: probes of the contacts the user is subscribed to. Last:
         * an answer may change this roster ("unsubscribed" from a contact
         * that no longer agrees, A.3.4), which only ever clears "to" on
         * visible items, so `items` stays valid. */
        for (size_t i = 0; i < n; i++) {
            if (items[i]->state & SUB_TO) {
                probe_contact(h->server, b->bare, c, items[i]->jid);
            }
        }
    }
    free(items);
    broadcast_free(b);
}

static int parse_priority(const struct strata_stanza *st)
{
    const char *text = strata_stanza_child_text(st, "priority", NULL);
    if (!text) {
        return 0;
    }
    char *end;
    long p = strtol(text, &end, 10);
    if (end == text || *end) {
        return 0; /* RFC 6121 §4.7.2.3: an integer; anything else counts as 0 */
    }
    return p < -128 ? -128 : p > 127 ? 127 : (int)p;
}

static void fire_initial(struct strata_session *c, struct strata_stanza *st)
{
    /* RFC 6121 §4.2: the session becomes available. Modules that wait for
     * it (offline delivery, XEP-0160 §5) hook this. */
    int id = strata_event_id("presence/initial");
    struct strata_event ev = {.id = id, .host = c->host, .origin = c, .stanza = st};
    if (id >= 0) {
        strata_hooks_fire(c->host->hooks, &ev);
    }
}

static struct broadcast *broadcast_new(struct strata_session *c, struct strata_stanza *st)
{
    struct broadcast *b = xcalloc(1, sizeof *b);
    b->host = c->host;
    b->bare = xstrdup(c->bare);
    b->resource = xstrdup(c->jid.resource);
    b->st = st;
    return b;
}

/* The stanza to broadcast: the client's, from its full JID, without the
 * 'to' the router stamped. */
static struct strata_stanza *outgoing(struct strata_session *c, const struct strata_stanza *st)
{
    struct strata_stanza *p = strata_stanza_copy(st);
    strata_stanza_set_attr(p, "to", NULL);
    strata_stanza_set_attr(p, "from", c->full);
    return p;
}

static void go_available(struct presence_host *ph, struct strata_session *c,
                         struct strata_stanza *st)
{
    int prio = parse_priority(st);
    /* c->priority is what message routing reads (§8.5.2.1.1); with
     * ignore_presence_priority every non-negative priority counts alike. */
    c->priority = ph->ignore_priority && prio >= 0 ? 0 : prio;
    bool initial = !c->available;
    c->available = true;
    struct pres *p = pres_get(c->full);
    strata_stanza_unref(p->last);
    p->last = outgoing(c, st);
    if (initial) {
        fire_initial(c, st);
    }
    struct broadcast *b = broadcast_new(c, strata_stanza_ref(p->last));
    b->initial = initial;
    roster_with(ph->rosters, c->jid.node, do_broadcast, b);
}

/* Unavailable, sent by the client (`st`) or on its behalf when the
 * session ended (`st` NULL). */
static void go_unavailable(struct presence_host *ph, struct strata_session *c,
                           const struct strata_stanza *st)
{
    struct pres *p = pres_find(c->full);
    bool was = c->available;
    c->available = false;
    if (!was && !(p && p->directed.count)) {
        return; /* nobody saw this session */
    }
    struct strata_stanza *u;
    if (st) {
        u = outgoing(c, st);
    } else {
        u = strata_stanza_new("presence", strata_atoms.ns_client);
        strata_stanza_set_attr(u, "from", c->full);
        strata_stanza_set_attr(u, "type", "unavailable");
    }
    struct broadcast *b = broadcast_new(c, u);
    b->was_available = was;
    if (p) {
        strata_stanza_unref(p->last);
        p->last = NULL;
        b->directed = p->directed; /* taken: a new session of presence starts empty */
        p->directed = (struct strmap)STRMAP_INIT;
    }
    roster_with(ph->rosters, c->jid.node, do_broadcast, b);
}

static int on_broadcast(struct strata_event *ev, void *ud)
{
    struct strata_session *c = ev->origin;
    if (!c || !c->bare) {
        return STRATA_PASS;
    }
    const char *type = strata_stanza_attr(ev->stanza, "type");
    if (!type) {
        go_available(ud, c, ev->stanza);
    } else if (strcmp(type, "unavailable") == 0) {
        go_unavailable(ud, c, ev->stanza);
    }
    /* Other types without 'to' mean nothing (a subscription with no
     * contact, a probe of nobody): dropped. */
    return STRATA_HANDLED;
}

static int on_unbind(struct strata_event *ev, void *ud)
{
    struct strata_session *c = ev->origin;
    if (c && c->full) {
        go_unavailable(ud, c, NULL); /* §4.5.2: also when the connection was cut */
        pres_drop(c->full);
    }
    return STRATA_PASS;
}

/* ---- subscriptions (§3) ----------------------------------------------------- */

struct subscription {
    struct strata_host *host; /* the roster owner's */
    char *owner;              /* bare JID of the roster's owner */
    char *owner_resource;     /* outbound: the sending session, for errors */
    char *contact;            /* bare JID of the other party */
    enum sub_type type;
    struct strata_stanza *st; /* one reference */
};

static void subscription_free(struct subscription *s)
{
    strata_stanza_unref(s->st);
    free(s->owner);
    free(s->owner_resource);
    free(s->contact);
    free(s);
}

/* Presence consequences of a state change (RFC 6121 §3.1.5, §3.2.2,
 * §3.3.3): a contact that gains "from" gets the owner's presence, one
 * that loses it gets unavailable. */
static void follow_change(struct subscription *s, unsigned old, unsigned now)
{
    bool had = old & SUB_FROM, has = now & SUB_FROM;
    if (had != has) {
        send_sessions(s->host, s->owner, NULL, s->contact, had);
    }
}

/* An error back to the sending session (outbound) or sender (inbound). */
static void refuse(struct subscription *s, enum stanza_error e, const char *text)
{
    struct strata_session *c =
        s->owner_resource ? sessions_find(s->host, s->owner, s->owner_resource) : NULL;
    if (s->owner_resource) {
        struct strata_stanza *err = stanza_error_reply(s->st, e, text);
        if (c && err && c->state == C2S_ACTIVE) {
            router_deliver(c, err);
        }
        strata_stanza_unref(err);
    } else {
        router_bounce(s->host->server, NULL, s->st, e, text);
    }
}

static void do_outbound(struct roster *r, void *ud)
{
    struct subscription *s = ud;
    if (!roster_ok(r)) {
        refuse(s, SE_INTERNAL_SERVER_ERROR, "The roster could not be loaded");
        subscription_free(s);
        return;
    }
    struct roster_change ch = roster_subscription(r, s->contact, false, s->type, NULL);
    if (ch.refused) {
        refuse(s, SE_RESOURCE_CONSTRAINT, "The roster is full");
    } else {
        if (ch.result.pass) {
            /* §3.1.2 and the like: stamped with the bare JID, then on to
             * the contact's server (ours: its inbound processing). */
            send_copy(s->host, s->st, s->owner, s->contact);
        }
        follow_change(s, ch.old_state, ch.result.state);
    }
    subscription_free(s);
}

static void do_inbound(struct roster *r, void *ud)
{
    struct subscription *s = ud;
    if (!roster_ok(r)) {
        subscription_free(s);
        return;
    }
    if (!roster_exists(r)) {
        if (s->type == SUB_SUBSCRIBE) {
            send_new(s->host, s->owner, s->contact, "unsubscribed"); /* §8.5.1 */
        }
        subscription_free(s);
        return;
    }
    struct roster_change ch = roster_subscription(r, s->contact, true, s->type, s->st);
    if (ch.refused) {
        refuse(s, SE_RESOURCE_CONSTRAINT, "Too many pending requests");
        subscription_free(s);
        return;
    }
    if (ch.result.pass) {
        deliver_available(s->host, s->owner, s->st);
    }
    if (ch.result.auto_subscribed) {
        /* A.3.1 and §3.4.2: answered on the owner's behalf, then the
         * owner's presence, as an approval would have sent it. */
        send_new(s->host, s->owner, s->contact, "subscribed");
        if (ch.old_state & SUB_FROM) {
            send_sessions(s->host, s->owner, NULL, s->contact, false);
        }
    }
    follow_change(s, ch.old_state, ch.result.state);
    subscription_free(s);
}

static void on_subscription(struct strata_event *ev, const struct strata_jid *to,
                            enum sub_type type)
{
    const char *from = strata_stanza_attr(ev->stanza, "from");
    struct strata_jid fj;
    if (!from || strata_jid_parse(from, strlen(from), &fj) < 0) {
        return;
    }
    struct subscription *s = xcalloc(1, sizeof *s);
    s->type = type;
    s->st = strata_stanza_ref(ev->stanza);
    char *to_bare = strata_jid_to_string(to, true);
    char *from_bare = strata_jid_to_string(&fj, true);
    struct strata_session *c = ev->origin;
    if (c) {
        /* Outbound: the client's own request or answer (A.2). */
        s->host = c->host;
        s->owner = xstrdup(c->bare);
        s->owner_resource = xstrdup(c->jid.resource);
        s->contact = to_bare;
        free(from_bare);
        if (strcmp(s->contact, s->owner) == 0) {
            subscription_free(s); /* one's own presence needs no subscription */
        } else {
            roster_with(host_state(c->host)->rosters, c->jid.node, do_outbound, s);
        }
    } else {
        /* Inbound: for the account `to` (A.3), as if to the bare JID even
         * when sent to a full one (§3.1.3 and the like). */
        s->host = ev->host;
        s->owner = to_bare;
        s->contact = from_bare;
        if (!to->node || strcmp(s->contact, s->owner) == 0) {
            subscription_free(s); /* the server itself has no roster */
        } else {
            struct strata_stanza *in = strata_stanza_copy(ev->stanza);
            strata_stanza_set_attr(in, "to", s->owner);
            strata_stanza_set_attr(in, "from", s->contact);
            strata_stanza_unref(s->st);
            s->st = in;
            roster_with(host_state(ev->host)->rosters, to->node, do_inbound, s);
        }
    }
    strata_jid_clear(&fj);
}

/* ---- directed presence (§4.6) and delivery (§8.5) ---------------------------- */

/* Remembers (available) or forgets (unavailable) directed presence of
 * the client's session. Returns false when the set is full. */
static bool track_directed(struct strata_session *c, const char *to, bool available)
{
    struct pres *p = pres_get(c->full);
    if (!available) {
        strmap_remove(&p->directed, to);
        return true;
    }
    if (strmap_get(&p->directed, to)) {
        return true;
    }
    if (p->directed.count >= DIRECTED_MAX) {
        return false;
    }
    strmap_put(&p->directed, to, (void *)1);
    return true;
}

/* Inbound available, unavailable or error presence for `to` (§8.5.2.1.1,
 * §8.5.3): to a full JID, that session if it is there (silently dropped
 * if not, §8.5.3.2.1); to a bare JID, every available session (dropped
 * when there is none, §8.5.2.2.1); errors only to a full JID. */
static void deliver(struct strata_event *ev, const struct strata_jid *to, bool error)
{
    char *bare = strata_jid_to_string(to, true);
    if (to->resource) {
        struct strata_session *c = sessions_find(ev->host, bare, to->resource);
        if (c && c->state == C2S_ACTIVE) {
            router_deliver(c, ev->stanza);
        }
    } else if (!error) {
        deliver_available(ev->host, bare, ev->stanza);
    }
    free(bare);
}

static int on_presence(struct strata_event *ev, void *ud)
{
    const char *to_text = strata_stanza_attr(ev->stanza, "to");
    struct strata_jid to;
    if (!to_text || strata_jid_parse(to_text, strlen(to_text), &to) < 0) {
        return STRATA_PASS;
    }
    const char *type = strata_stanza_attr(ev->stanza, "type");
    int sub = sub_type_parse(type);
    struct strata_session *c = ev->origin;
    if (sub >= 0) {
        on_subscription(ev, &to, (enum sub_type)sub);
    } else if (!type || strcmp(type, "unavailable") == 0) {
        if (c && !track_directed(c, to_text, !type)) {
            strata_event_error(ev, "resource-constraint", "Too many directed presences");
        } else if (to.node) {
            deliver(ev, &to, false);
        }
    } else if (strcmp(type, "probe") == 0) {
        const char *from = strata_stanza_attr(ev->stanza, "from");
        if (to.node && from) {
            answer_probe(ev->host, &to, from);
        }
    } else if (strcmp(type, "error") == 0) {
        if (to.node) {
            deliver(ev, &to, true);
        }
    } else if (c) {
        strata_event_error(ev, "bad-request", "Unknown presence type"); /* RFC 6121 §4.7.1 */
    }
    strata_jid_clear(&to);
    return STRATA_HANDLED;
}

/* ---- loading -------------------------------------------------------------------- */

static struct presence_host **hosts;
static size_t nhosts;

static struct presence_host *host_state(struct strata_host *h)
{
    for (size_t i = 0; i < nhosts; i++) {
        if (hosts[i]->host == h) {
            return hosts[i];
        }
    }
    /* A host without this module receives presence only through routing,
     * which its own events handle; its rosters are still reachable. */
    struct presence_host *ph = xcalloc(1, sizeof *ph);
    ph->host = h;
    ph->rosters = roster_host_get(h);
    hosts = xrealloc(hosts, (nhosts + 1) * sizeof *hosts);
    hosts[nhosts++] = ph;
    return ph;
}

static int load(struct strata_host *h)
{
    const struct strata_module *m = &strata_mod_presence;
    struct presence_host *ph = host_state(h);
    struct cfg_value scratch;
    const struct cfg_value *v = strata_host_option(h, "ignore_presence_priority", &scratch);
    ph->ignore_priority = v && v->kind == CFG_BOOL && v->u.b;
    cfg_value_clear(&scratch);
    int rc = strata_host_hook(h, m, "presence/broadcast", 0, on_broadcast, ph);
    rc = rc ? rc : strata_host_hook(h, m, "presence/bare", 0, on_presence, ph);
    rc = rc ? rc : strata_host_hook(h, m, "presence/full", 0, on_presence, ph);
    rc = rc ? rc : strata_host_hook(h, m, "presence/host", 0, on_presence, ph);
    /* Before the roster lets go of the user's roster (-100). */
    rc = rc ? rc : strata_host_hook(h, m, "resource-unbind", 10, on_unbind, ph);
    return rc;
}

static const struct strata_option options[] = {
    {.name = "ignore_presence_priority",
     .type = STRATA_OPT_BOOL,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "false",
     .help = "deliver bare-JID messages to every resource alike instead of by <priority/> (RFC "
             "6121 §8.5.2.1)"},
    {0},
};

const struct strata_module strata_mod_presence = {
    .name = "presence",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "presence",
    .specs = "RFC 6121 §4",
    .summary = "presence broadcast, probes, directed presence, unavailable on disconnect",
    .requires = STRATA_NAMES("roster"),
    .options = options,
    .autoload = true,
    .tested_with = "slixmpp",
    .load = load,
};
