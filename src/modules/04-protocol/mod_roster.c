/*
 * roster: contact lists and subscriptions (RFC 6121 §2-3).
 *
 * Roster get/set/push with versioning (§2.6), subscription state machine
 * (§3, Appendix A) and pre-approval (§3.4). Presence routing itself is
 * layer 05's `presence`.
 *
 * This file is the client's side of it: roster get (§2.2) answered in full
 * or, for a client that knows a version, as an empty result followed by
 * the pushes since (§2.6.3); roster set (§2.3) and remove (§2.5) with the
 * errors of §2.3.3 and §2.5.3; the stream features rosterver (§2.6.1) and
 * pre-approval (§3.4). The rosters themselves, their storage and the state
 * machine are in roster/ (roster.h, subscription.h); each bound session
 * keeps its user's roster loaded.
 */
#include <stdlib.h>
#include <string.h>

#include "core/router.h"
#include "core/sessions.h"
#include "modules/04-protocol/roster/roster.h"
#include "strata/errors.h"
#include "strata/host.h"
#include "strata/module.h"
#include "util/xalloc.h"

extern const struct strata_module strata_mod_roster;

/* A request waiting for its roster: the session is looked up again by
 * its JID when the roster is ready, since it may be gone by then. */
struct request {
    struct strata_host *host;
    char *bare;
    char *resource;
    struct strata_stanza *iq; /* one reference */
    /* roster set */
    char *jid;
    char *name;
    char **groups;
    size_t ngroups;
    bool remove;
};

static struct request *request_new(struct strata_event *ev)
{
    struct request *q = xcalloc(1, sizeof *q);
    q->host = ev->host;
    q->bare = xstrdup(ev->origin->bare);
    q->resource = xstrdup(ev->origin->jid.resource);
    q->iq = strata_stanza_ref(ev->stanza);
    return q;
}

static void request_free(struct request *q)
{
    for (size_t i = 0; i < q->ngroups; i++) {
        free(q->groups[i]);
    }
    free(q->groups);
    free(q->name);
    free(q->jid);
    strata_stanza_unref(q->iq);
    free(q->resource);
    free(q->bare);
    free(q);
}

/* The requesting session, if it is still there. */
static struct strata_session *requester(const struct request *q)
{
    struct strata_session *c = sessions_find(q->host, q->bare, q->resource);
    return c && c->state == C2S_ACTIVE ? c : NULL;
}

static void answer(struct request *q, struct strata_stanza *reply)
{
    struct strata_session *c = requester(q);
    if (c && reply) {
        router_deliver(c, reply);
    }
    strata_stanza_unref(reply);
}

static void answer_error(struct request *q, enum stanza_error e, const char *text)
{
    answer(q, stanza_error_reply(q->iq, e, text));
}

/* ---- get (§2.2, §2.6) ----------------------------------------------------- */

static void do_get(struct roster *r, void *ud)
{
    struct request *q = ud;
    struct strata_session *c = requester(q);
    if (!c) {
        request_free(q);
        return;
    }
    if (!roster_ok(r)) {
        answer_error(q, SE_INTERNAL_SERVER_ERROR, "The roster could not be loaded");
        request_free(q);
        return;
    }
    const struct strata_stanza *query = strata_stanza_first_element(q->iq);
    const char *ver = strata_stanza_attr(query, "ver");
    struct roster_item **items;
    size_t n;
    enum roster_since what = roster_since(r, ver, &items, &n);
    struct strata_stanza *res = strata_iq_result(q->iq);
    if (what == ROSTER_FULL) {
        struct strata_stanza *out = strata_stanza_add_child(res, "query", strata_atoms.ns_roster);
        if (ver) {
            /* §2.6.3: only a client that asked with a version gets one. */
            char buf[48];
            roster_version(r, buf, sizeof buf);
            strata_stanza_set_attr(out, "ver", buf);
        }
        for (size_t i = 0; i < n; i++) {
            roster_item_to_xml(items[i], out);
        }
    }
    router_deliver(c, res);
    strata_stanza_unref(res);
    if (what == ROSTER_DELTA) {
        /* §2.6.3: the empty result, then each change as a push, oldest
         * first, so the last push carries the current version. */
        for (size_t i = 0; i < n; i++) {
            roster_push(r, items[i], c);
        }
    }
    free(items);
    request_free(q);
}

static int on_get(struct strata_event *ev, void *ud)
{
    if (!ev->origin || !ev->origin->bare) {
        return STRATA_PASS;
    }
    ev->origin->interested = true; /* §2.1.6: pushes from now on */
    roster_with(ud, ev->origin->jid.node, do_get, request_new(ev));
    return STRATA_HANDLED;
}

/* ---- set and remove (§2.3, §2.5) ------------------------------------------- */

/* §2.5.2: removing an item cancels the subscriptions both ways: the
 * contact is told, and stops receiving our presence. Sent as the server
 * on the user's behalf, from the bare JID, to the contact's inbound side. */
static void cancel_subscriptions(struct roster *r, const char *contact, unsigned old)
{
    struct strata_host *h = roster_strata_host(r);
    static const struct {
        unsigned bits;
        const char *type;
    } sends[] = {{SUB_TO | SUB_PENDING_OUT, "unsubscribe"},
                 {SUB_FROM | SUB_PENDING_IN, "unsubscribed"}};
    for (size_t i = 0; i < 2; i++) {
        if (old & sends[i].bits) {
            struct strata_stanza *p = strata_stanza_new("presence", strata_atoms.ns_client);
            strata_stanza_set_attr(p, "from", roster_bare(r));
            strata_stanza_set_attr(p, "to", contact);
            strata_stanza_set_attr(p, "type", sends[i].type);
            strata_host_route(h, p);
        }
    }
    if (!(old & SUB_FROM)) {
        return;
    }
    for (struct strata_session *c = sessions_of(h, roster_bare(r)); c; c = c->next_resource) {
        if (c->available) {
            struct strata_stanza *p = strata_stanza_new("presence", strata_atoms.ns_client);
            strata_stanza_set_attr(p, "from", c->full);
            strata_stanza_set_attr(p, "to", contact);
            strata_stanza_set_attr(p, "type", "unavailable");
            strata_host_route(h, p);
        }
    }
}

static void do_set(struct roster *r, void *ud)
{
    struct request *q = ud;
    if (!roster_ok(r)) {
        answer_error(q, SE_INTERNAL_SERVER_ERROR, "The roster could not be loaded");
    } else if (q->remove) {
        unsigned old = 0;
        if (roster_remove_item(r, q->jid, &old) < 0) {
            answer_error(q, SE_ITEM_NOT_FOUND, NULL); /* §2.5.3 */
        } else {
            answer(q, strata_iq_result(q->iq));
            cancel_subscriptions(r, q->jid, old);
        }
    } else if (roster_set_item(r, q->jid, q->name, (const char *const *)q->groups, q->ngroups) <
               0) {
        answer_error(q, SE_RESOURCE_CONSTRAINT, "The roster is full");
    } else {
        answer(q, strata_iq_result(q->iq));
    }
    request_free(q);
}

/* Checks a roster set's payload (§2.3.3), filling `q`. -1 when it is
 * acceptable, else the error condition to answer (and `*text`). */
static int parse_set(struct request *q, const struct strata_stanza *query, const char *own,
                     const char **text)
{
    const struct strata_stanza *item = strata_stanza_child(query, "item", NULL);
    if (!item || strata_stanza_next(item, "item", NULL)) {
        *text = "A roster set has exactly one item";
        return SE_BAD_REQUEST;
    }
    const char *jid_text = strata_stanza_attr(item, "jid");
    if (!jid_text) {
        *text = "The item has no jid";
        return SE_BAD_REQUEST;
    }
    struct strata_jid jid;
    if (strata_jid_parse(jid_text, strlen(jid_text), &jid) < 0) {
        return SE_JID_MALFORMED;
    }
    q->jid = strata_jid_to_string(&jid, false);
    strata_jid_clear(&jid);
    if (strcmp(q->jid, own) == 0) {
        *text = "Your own account is not a contact";
        return SE_NOT_ALLOWED;
    }
    /* §2.1.2.5: 'remove' is the only value a client may set; others, and
     * 'ask' and 'approved', are the server's and ignored. */
    const char *sub = strata_stanza_attr(item, "subscription");
    if (sub && strcmp(sub, "remove") == 0) {
        q->remove = true;
        return -1;
    }
    const char *name = strata_stanza_attr(item, "name");
    if (name && strlen(name) > ROSTER_NAME_MAX) {
        *text = "The name is too long";
        return SE_NOT_ACCEPTABLE;
    }
    q->name = name ? xstrdup(name) : NULL;
    for (const struct strata_stanza *g = strata_stanza_child(item, "group", NULL); g;
         g = strata_stanza_next(g, "group", NULL)) {
        size_t len;
        const char *group = strata_stanza_text(g, &len);
        if (len == 0 || len > ROSTER_GROUP_MAX) {
            *text = len ? "A group name is too long" : "A group name is empty";
            return SE_NOT_ACCEPTABLE;
        }
        for (size_t i = 0; i < q->ngroups; i++) {
            if (strcmp(q->groups[i], group) == 0) {
                *text = "A group is listed twice";
                return SE_BAD_REQUEST;
            }
        }
        if (q->ngroups == ROSTER_GROUPS_MAX) {
            *text = "Too many groups";
            return SE_NOT_ACCEPTABLE;
        }
        q->groups = xrealloc(q->groups, (q->ngroups + 1) * sizeof *q->groups);
        q->groups[q->ngroups++] = xstrdup(group);
    }
    return -1;
}

static int on_set(struct strata_event *ev, void *ud)
{
    if (!ev->origin || !ev->origin->bare) {
        return STRATA_PASS;
    }
    struct request *q = request_new(ev);
    const char *text = NULL;
    int e = parse_set(q, strata_stanza_first_element(ev->stanza), ev->origin->bare, &text);
    if (e >= 0) {
        strata_event_error(ev, stanza_error_name((enum stanza_error)e), text);
        request_free(q);
        return STRATA_HANDLED;
    }
    roster_with(ud, ev->origin->jid.node, do_set, q);
    return STRATA_HANDLED;
}

/* A roster is its user's alone (RFC 6121 §2.1.3, §2.1.5): another
 * account's roster is neither read nor written. */
static int on_other(struct strata_event *ev, void *ud)
{
    strata_event_error(ev, "forbidden", NULL);
    return STRATA_HANDLED;
}

/* ---- sessions and features -------------------------------------------------- */

static int on_bind(struct strata_event *ev, void *ud)
{
    roster_pin(ud, ev->origin->jid.node); /* kept from its first use to the last session */
    return STRATA_PASS;
}

static int on_unbind(struct strata_event *ev, void *ud)
{
    roster_unpin(ud, ev->origin->jid.node);
    return STRATA_PASS;
}

static int on_features(struct strata_event *ev, void *ud)
{
    if (ev->origin && ev->origin->authenticated) {
        strata_stanza_add_child(ev->stanza, "ver", strata_atoms.ns_rosterver);    /* §2.6.1 */
        strata_stanza_add_child(ev->stanza, "sub", strata_atoms.ns_pre_approval); /* §3.4 */
    }
    return STRATA_PASS;
}

static int load(struct strata_host *h)
{
    const struct strata_module *m = &strata_mod_roster;
    struct roster_host *rh = roster_host_get(h);
    struct cfg_value scratch;
    const struct cfg_value *v = strata_host_option(h, "roster_max_items", &scratch);
    if (v && v->kind == CFG_NUMBER && v->u.n > 0) {
        roster_host_set_max_items(rh, (size_t)v->u.n);
    }
    cfg_value_clear(&scratch);
    int rc = strata_host_hook(h, m, "iq-get/self/jabber:iq:roster:query", 0, on_get, rh);
    rc = rc ? rc : strata_host_hook(h, m, "iq-set/self/jabber:iq:roster:query", 0, on_set, rh);
    rc = rc ? rc : strata_host_hook(h, m, "iq-get/bare/jabber:iq:roster:query", 0, on_other, rh);
    rc = rc ? rc : strata_host_hook(h, m, "iq-set/bare/jabber:iq:roster:query", 0, on_other, rh);
    rc = rc ? rc : strata_host_hook(h, m, "resource-bind", 100, on_bind, rh);
    /* Last: the presence module still reads the roster when a session ends. */
    rc = rc ? rc : strata_host_hook(h, m, "resource-unbind", -100, on_unbind, rh);
    rc = rc ? rc : strata_host_hook(h, m, "stream-features", 0, on_features, rh);
    return rc;
}

static const struct strata_option options[] = {
    {.name = "roster_max_items",
     .type = STRATA_OPT_INT,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "1000",
     .min = 10,
     .max = 100000,
     .strata_only = true,
     .help = "most contacts one account may have; more is refused with resource-constraint"},
    {0},
};

const struct strata_module strata_mod_roster = {
    .name = "roster",
    .layer = STRATA_LAYER_PROTOCOL,
    .tier = STRATA_TIER_CORE,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "core",
    .specs = "RFC 6121 §2-3",
    .summary = "contact lists: versioning, pre-approval, subscription states",
    .options = options,
    .tested_with = "slixmpp",
    .load = load,
};
