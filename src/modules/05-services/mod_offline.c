/*
 * offline: Offline Message Storage (XEP-0160).
 *
 * Storing. mod_message fires "message/offline/handle" for a chat or normal
 * message that no available resource can take (RFC 6121 §8.5.2.2.1). It is
 * stored when it has a <body/> or a <store/> hint and no <no-store/> hint
 * (XEP-0160 §3, XEP-0334 §4); anything else is left to mod_message, which
 * answers <service-unavailable/> as if there were no offline storage. A
 * stored message gets an XEP-0203 <delay/> from the host, stamped when it
 * was accepted, and goes to the archive store "offline" of its recipient.
 * Before that: the account must exist (else <service-unavailable/>, as for
 * an unknown account with no storage, RFC 6121 §8.5.2.2.1) and hold fewer
 * than offline_message_quota messages (else <resource-constraint/>, type
 * wait, RFC 6120 §8.3.3.18).
 *
 * Acknowledgment point. A message counts as accepted when the store calls
 * back its append with success: with the sqlite driver the transaction
 * holding it has committed into the WAL file, which survives a crash or a
 * kill -9 of the server (see src/store/sqlite.c; a power cut too with
 * sqlite_synchronous = "full"). Until then it is the sender's: any failure
 * before that point (unknown account, full quota, storage error, the
 * server stopping) bounces it back to the sender with an error, so nothing
 * is dropped in silence. The debug line "stored offline message for ..."
 * is written after that point. docs/operations.md says the same for
 * operators.
 *
 * Delivery (XEP-0160 §5). When a session of the user sends initial presence
 * with a non-negative priority ("presence/initial"), the stored messages
 * are written to that session, oldest first, a page at a time, and each
 * page is deleted only after its messages were written to the session. A
 * crash between the two delivers them again at the next login; it never
 * loses them. Pages are paced by the session's output backlog, so a long
 * queue cannot push the connection past c2s_send_backlog. If the session
 * goes away meanwhile, another available one of non-negative priority
 * takes over; else the rest waits for the next login. "Written to the
 * session" is not "read by the client": a connection that breaks with
 * messages still in its buffers loses them for that client; stream
 * management (smacks) and MAM, both planned, are what covers that.
 *
 * Order. Per user, messages are checked and appended in arrival order (one
 * batch of checks at a time; appends keep the store's submission order).
 * While stored messages are being loaded, new messages to the user's bare
 * JID, and to full JIDs that would end up at the session being served, are
 * held and routed again once the stored ones are out, so nothing overtakes
 * them. A delivery waits for the checks in flight, so a message that
 * arrived just before the login is stored, then delivered, in its place.
 *
 * State lives only while something is under way for a user (checks,
 * delivery, held messages), in a map keyed by bare JID; an idle server
 * keeps none, and the hold hooks cost one test of a counter.
 *
 * TODO: a session that comes online with a negative priority and raises it
 * later gets its stored messages at its next initial presence only.
 * TODO(mam): once mam exists, messages a client fetched through MAM should
 * not be delivered a second time from here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/accounts.h"
#include "core/log.h"
#include "core/router.h"
#include "core/server.h"
#include "core/sessions.h"
#include "net/conn.h"
#include "strata/errors.h"
#include "strata/host.h"
#include "strata/module.h"
#include "strata/store.h"
#include "util/strmap.h"
#include "util/xalloc.h"

extern const struct strata_module strata_mod_offline;

#define STORE_NAME "offline"
/* Messages per page of a delivery. */
#define PAGE_MAX 100
/* Messages of one user waiting for their checks, and live messages held
 * during a delivery: beyond these, <resource-constraint/> at once. */
#define WAITING_MAX 1000
#define HELD_MAX 1000
/* How long a delivery waits for the client to read before looking again. */
#define PACE_MS 50

static const struct strata_option options[] = {
    /* Prosody has no quota; ejabberd's max_user_offline_messages is the model. */
    {.name = "offline_message_quota",
     .type = STRATA_OPT_INT,
     .scope = STRATA_SCOPE_HOSTS,
     .def = "1000",
     .min = 0,
     .max = 100000,
     .strata_only = true,
     .help = "most messages stored for one offline user; beyond it senders get "
             "<resource-constraint/> (0 stores none)"},
    {0},
};

#define OLOG(level, jid, ...) LOG(level, "offline", &(struct log_ctx){NULL, NULL, jid}, __VA_ARGS__)

/* Stanza references, in order. */
struct queue {
    struct strata_stanza **v;
    size_t n, cap;
};

struct user {
    char *bare; /* "alice@example.org": the key in `users` */
    char *node; /* "alice" */
    struct strata_host *host;
    unsigned entered; /* handlers working on it: not freed under them */
    /* storing */
    struct queue waiting; /* arrived, not yet checked */
    struct queue batch;   /* being checked (exists, then count) */
    bool checking;        /* an exists or count request is in flight */
    /* delivering */
    struct strata_session *session; /* the session served; NULL: no delivery */
    bool delivering;                /* started (else waiting for the checks) */
    bool querying;                  /* a page query is in flight */
    uv_timer_t *timer;              /* pacing; closed when the delivery ends */
    struct queue held;              /* live messages that must not overtake */
};

/* bare JID -> struct user *, only while something is under way. */
static struct strmap users = STRMAP_INIT;
/* Users with a delivery (u->session set): the hold hooks' fast path. */
static size_t serving;

/* The request data of an append: the stanza, and its host to answer from
 * (hosts live as long as the server). Nothing of a session: the sender may
 * be gone when the store answers. */
struct appending {
    struct strata_host *host;
    struct strata_stanza *st;
};

static void start_checking(struct user *u);
static void start_delivery(struct user *u);
static void query_page(struct user *u);

/* ---- helpers ------------------------------------------------------------ */

static void queue_push(struct queue *q, struct strata_stanza *st)
{
    q->v = xgrow(q->v, &q->cap, q->n + 1, sizeof *q->v);
    q->v[q->n++] = st;
}

/* Empties `q` into the caller's hands. */
static struct queue queue_take(struct queue *q)
{
    struct queue t = *q;
    *q = (struct queue){0};
    return t;
}

static struct strata_store *store_of(struct strata_host *h)
{
    return h->server->store;
}

static struct strata_store_where where_of(const struct user *u)
{
    return (struct strata_store_where){u->host->name, u->node, STORE_NAME};
}

static long quota_of(struct strata_host *h)
{
    struct cfg_value scratch;
    const struct cfg_value *v = strata_host_option(h, "offline_message_quota", &scratch);
    long quota = v && v->kind == CFG_NUMBER ? (long)v->u.n : 1000;
    cfg_value_clear(&scratch);
    return quota;
}

/* The stanza error for a storage failure: a busy or full store is a
 * condition to retry later, anything else the server's fault. */
static const char *condition_of(int status)
{
    return status == STRATA_EAGAIN || status == STRATA_ELIMIT ? "resource-constraint"
                                                              : "internal-server-error";
}

/* Answers a message the router has already let go of, from its host. */
static void bounce(struct strata_host *h, struct strata_stanza *st, const char *condition,
                   const char *text)
{
    struct strata_event ev = {.host = h, .stanza = st};
    strata_event_error(&ev, condition, text);
}

static void bounce_batch(struct user *u, const char *condition, const char *text)
{
    for (size_t i = 0; i < u->batch.n; i++) {
        bounce(u->host, u->batch.v[i], condition, text);
        strata_stanza_unref(u->batch.v[i]);
    }
    u->batch.n = 0;
}

/* The bare JID and the localpart of a stanza's `to`; false when it has no
 * localpart. The caller frees both. */
static bool split_to(const struct strata_stanza *st, char **bare, char **node, char **resource)
{
    const char *to = strata_stanza_attr(st, "to");
    struct strata_jid j;
    if (!to || strata_jid_parse(to, strlen(to), &j) < 0) {
        return false;
    }
    bool ok = j.node != NULL;
    if (ok) {
        *bare = strata_jid_to_string(&j, true);
        *node = xstrdup(j.node);
        if (resource) {
            *resource = j.resource ? xstrdup(j.resource) : NULL;
        }
    }
    strata_jid_clear(&j);
    return ok;
}

/* ---- per-user state ------------------------------------------------------- */

static struct user *user_get(struct strata_host *h, const char *bare, const char *node)
{
    struct user *u = strmap_get(&users, bare);
    if (!u) {
        u = xcalloc(1, sizeof *u);
        u->bare = xstrdup(bare);
        u->node = xstrdup(node);
        u->host = h;
        strmap_put(&users, bare, u);
    }
    return u;
}

static struct user *user_find(const char *bare)
{
    return users.count ? strmap_get(&users, bare) : NULL;
}

/* Every change of u->session goes through here, for `serving`. */
static void set_session(struct user *u, struct strata_session *c)
{
    serving += (c != NULL) - (u->session != NULL);
    u->session = c;
}

static void enter(struct user *u)
{
    u->entered++;
}

static bool idle(const struct user *u)
{
    return !u->entered && !u->waiting.n && !u->batch.n && !u->checking && !u->session &&
           !u->querying && !u->timer && !u->held.n;
}

/* Ends a handler's work on `u`, and frees it when nothing is left. */
static void leave(struct user *u)
{
    u->entered--;
    if (!idle(u)) {
        return;
    }
    strmap_remove(&users, u->bare);
    if (!users.count) {
        strmap_clear(&users);
    }
    free(u->waiting.v);
    free(u->batch.v);
    free(u->held.v);
    free(u->bare);
    free(u->node);
    free(u);
}

/* ---- storing ------------------------------------------------------------------ */

/* XEP-0082 date-time, UTC, to the microsecond: "2024-05-01T12:00:00.123456Z". */
static void format_stamp(int64_t us, char out[40])
{
    time_t secs = (time_t)(us / 1000000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out + n, 40 - n, ".%06ldZ", (long)(us % 1000000));
}

/* The stanza as stored: a copy with our <delay/> (XEP-0203 §3). */
static char *stored_form(struct strata_host *h, const struct strata_stanza *st, int64_t now,
                         size_t *len)
{
    struct strata_stanza *copy = strata_stanza_copy(st);
    /* SECURITY: a sender may put in a <delay/> claiming to be from our
     * host; only the one we add may say so. */
    struct strata_stanza *d = strata_stanza_child(copy, "delay", strata_atoms.ns_delay);
    while (d) {
        struct strata_stanza *next = strata_stanza_next(d, "delay", strata_atoms.ns_delay);
        const char *from = strata_stanza_attr(d, "from");
        if (from && strcmp(from, h->name) == 0) {
            strata_stanza_remove(d);
        }
        d = next;
    }
    char stamp[40];
    format_stamp(now, stamp);
    d = strata_stanza_add_child(copy, "delay", strata_atoms.ns_delay);
    strata_stanza_set_attr(d, "from", h->name);
    strata_stanza_set_attr(d, "stamp", stamp);
    strata_stanza_add_text(d, "Offline storage", strlen("Offline storage"));
    char *xml = strata_stanza_to_string(copy, len);
    strata_stanza_unref(copy);
    return xml;
}

/* The acknowledgment point (see the header): committed, or bounced. */
static void on_appended(int status, const char *id, void *data)
{
    struct appending *a = data;
    const char *to = strata_stanza_attr(a->st, "to");
    if (status == 0) {
        OLOG(STRATA_LOG_DEBUG, to, "stored offline message for %s (id %s)", to, id);
    } else {
        OLOG(STRATA_LOG_WARN, to, "could not store an offline message for %s (%s): bounced", to,
             strata_strerror(status));
        bounce(a->host, a->st, condition_of(status), NULL);
    }
    strata_stanza_unref(a->st);
    free(a);
}

/* Appends one checked message; takes the caller's reference to `st`. */
static void append(struct user *u, struct strata_stanza *st)
{
    int64_t now = strata_store_now();
    size_t len;
    char *xml = stored_form(u->host, st, now, &len);
    const char *from = strata_stanza_attr(st, "from");
    struct strata_jid j;
    char *with = NULL;
    if (from && strata_jid_parse(from, strlen(from), &j) == 0) {
        with = strata_jid_to_string(&j, true);
        strata_jid_clear(&j);
    }
    struct strata_archive_item item = {.stamp = now, .with = with, .data = xml, .len = len};
    struct appending *a = xmalloc(sizeof *a);
    *a = (struct appending){u->host, st};
    struct strata_store_where w = where_of(u);
    struct strata_store *s = store_of(u->host);
    int rc = s ? strata_store_archive_append(s, &w, &item, on_appended, a, NULL) : STRATA_ECLOSED;
    free(xml);
    free(with);
    if (rc < 0) {
        on_appended(rc, NULL, a);
    }
}

/* The checks of a batch are over: the next batch, or the delivery that
 * waited for them. */
static void after_checking(struct user *u)
{
    if (u->waiting.n) {
        start_checking(u);
    } else if (u->session && !u->delivering) {
        start_delivery(u);
    }
}

static void on_count(int status, uint64_t count, void *data)
{
    struct user *u = data;
    enter(u);
    u->checking = false;
    if (status < 0) {
        OLOG(STRATA_LOG_ERROR, u->bare, "cannot count the offline messages of %s: %s", u->bare,
             strata_strerror(status));
        bounce_batch(u, condition_of(status), NULL);
    } else {
        long quota = quota_of(u->host);
        for (size_t i = 0; i < u->batch.n; i++) {
            if (count < (uint64_t)quota) {
                append(u, u->batch.v[i]); /* takes the reference */
                count++;
            } else {
                bounce(u->host, u->batch.v[i], "resource-constraint",
                       "The recipient's offline storage is full");
                strata_stanza_unref(u->batch.v[i]);
            }
        }
        u->batch.n = 0;
    }
    after_checking(u);
    leave(u);
}

static void on_exists(int status, void *data)
{
    struct user *u = data;
    enter(u);
    u->checking = false;
    if (status == STRATA_ENOENT) {
        bounce_batch(u, "service-unavailable", NULL); /* RFC 6121 §8.5.2.2.1 */
    } else if (status < 0) {
        OLOG(STRATA_LOG_ERROR, u->bare, "cannot look up account %s: %s", u->bare,
             strata_strerror(status));
        bounce_batch(u, condition_of(status), NULL);
    } else if (quota_of(u->host) == 0) {
        bounce_batch(u, "resource-constraint", "The recipient's offline storage is full");
    } else {
        struct strata_store_where w = where_of(u);
        struct strata_store *s = store_of(u->host);
        int rc = s ? strata_store_archive_count(s, &w, on_count, u, NULL) : STRATA_ECLOSED;
        if (rc == 0) {
            u->checking = true;
            leave(u);
            return;
        }
        bounce_batch(u, condition_of(rc), NULL);
    }
    after_checking(u);
    leave(u);
}

/* Checks every waiting message in one go: does the account exist, how many
 * messages does it hold. */
static void start_checking(struct user *u)
{
    struct queue batch = queue_take(&u->waiting);
    free(u->batch.v);
    u->batch = batch;
    struct accounts *acc = u->host->server->accounts;
    int rc =
        acc ? accounts_exists(acc, u->host->name, u->node, on_exists, u, NULL) : STRATA_ECLOSED;
    if (rc == 0) {
        u->checking = true;
        return;
    }
    bounce_batch(u, rc == STRATA_EINVAL ? "service-unavailable" : condition_of(rc), NULL);
    after_checking(u);
}

static bool has_child(const struct strata_stanza *st, const char *name, const char *ns)
{
    return strata_stanza_child(st, name, ns) != NULL;
}

/* "message/offline/handle": chat and normal messages nobody can take. */
static int on_offline(struct strata_event *ev, void *ud)
{
    struct strata_stanza *st = ev->stanza;
    /* XEP-0334 §4: <no-store/> wins; <store/> keeps what has no body.
     * XEP-0160 §3: otherwise only messages with a body (not chat states or
     * receipts alone). What is not stored gets <service-unavailable/>. */
    if (has_child(st, "no-store", strata_atoms.ns_hints) ||
        (!has_child(st, "body", NULL) && !has_child(st, "store", strata_atoms.ns_hints))) {
        return STRATA_PASS;
    }
    char *bare, *node;
    if (!split_to(st, &bare, &node, NULL)) {
        return STRATA_PASS;
    }
    struct user *u = user_get(ev->host, bare, node);
    enter(u);
    if (u->waiting.n + u->batch.n >= WAITING_MAX) {
        strata_event_error(ev, "resource-constraint", "Too many messages waiting for storage");
    } else {
        queue_push(&u->waiting, strata_stanza_ref(st));
        if (!u->checking) {
            start_checking(u);
        }
    }
    leave(u);
    free(bare);
    free(node);
    return STRATA_HANDLED;
}

/* ---- delivering ------------------------------------------------------------------ */

static void free_handle(uv_handle_t *h)
{
    free(h);
}

/* Ends the delivery (done, or the session went away): the held messages
 * are routed again, in order, now that nothing is ahead of them. */
static void end_delivery(struct user *u)
{
    set_session(u, NULL);
    u->delivering = false;
    if (u->timer) {
        uv_close((uv_handle_t *)u->timer, free_handle);
        u->timer = NULL;
    }
    struct queue held = queue_take(&u->held);
    for (size_t i = 0; i < held.n; i++) {
        strata_host_route(u->host, held.v[i]); /* takes the reference */
    }
    free(held.v);
}

/* Whether the session's output is too full for `len` more bytes: half the
 * backlog limit leaves room for everything else it is sent meanwhile. An
 * empty backlog always takes one message, however large. */
static bool backlog_full(const struct strata_session *c, size_t len)
{
    if (!c->conn) {
        return false; /* closing: resource-unbind follows */
    }
    size_t backlog = conn_backlog(c->conn);
    return backlog > 0 && backlog + len > c->server->c2s.backlog_limit / 2;
}

struct deleting {
    char *bare;
    size_t n;
};

static void on_deleted(int status, uint64_t count, void *data)
{
    struct deleting *d = data;
    if (status < 0) {
        OLOG(STRATA_LOG_ERROR, d->bare,
             "cannot delete %zu delivered offline messages of %s (%s): they will be delivered "
             "again",
             d->n, d->bare, strata_strerror(status));
    } else {
        OLOG(STRATA_LOG_DEBUG, d->bare, "delivered and deleted %llu offline messages of %s",
             (unsigned long long)count, d->bare);
    }
    free(d->bare);
    free(d);
}

/* Writes what the session can take of a page, then deletes what was
 * written. Returns whether the whole page went out. */
static bool write_page(struct user *u, const struct strata_archive_page *page)
{
    const char *ids[PAGE_MAX];
    size_t n = 0;
    struct strata_session *c = u->session;
    for (size_t i = 0; i < page->count && n < PAGE_MAX; i++) {
        const struct strata_archive_item *it = &page->items[i];
        if (c->state != C2S_ACTIVE || !c->conn || backlog_full(c, it->len)) {
            break;
        }
        struct strata_stanza *st;
        /* Our own data, which passed the stream's limits when it came in. */
        struct strata_xml_limits none = {0};
        if (strata_stanza_parse(it->data, it->len, &none, &st) < 0) {
            OLOG(STRATA_LOG_ERROR, u->bare,
                 "stored offline message %s of %s does not parse: deleted undelivered", it->id,
                 u->bare);
        } else {
            router_deliver(c, st);
            strata_stanza_unref(st);
        }
        ids[n++] = it->id;
    }
    if (n) {
        struct strata_archive_query q = {.ids = ids, .nids = n, .limit = STRATA_ARCHIVE_UNLIMITED};
        struct deleting *d = xmalloc(sizeof *d);
        *d = (struct deleting){xstrdup(u->bare), n};
        struct strata_store_where w = where_of(u);
        struct strata_store *s = store_of(u->host);
        int rc = s ? strata_store_archive_delete(s, &w, &q, on_deleted, d, NULL) : STRATA_ECLOSED;
        if (rc < 0) {
            on_deleted(rc, 0, d);
        }
    }
    return n == page->count;
}

static void on_pace(uv_timer_t *t)
{
    struct user *u = t->data;
    enter(u);
    if (backlog_full(u->session, 1)) {
        uv_timer_start(t, on_pace, PACE_MS, 0);
    } else {
        query_page(u);
    }
    leave(u);
}

/* When the session served goes away mid-delivery, another available
 * session of the user with a non-negative priority takes over, so the rest
 * does not wait for a login that may be days away. NULL when none. */
static struct strata_session *successor(struct user *u)
{
    for (struct strata_session *c = sessions_of(u->host, u->bare); c; c = c->next_resource) {
        if (c->state == C2S_ACTIVE && c->available && c->priority >= 0) {
            return c;
        }
    }
    return NULL;
}

static void on_page(int status, const struct strata_archive_page *page, void *data)
{
    struct user *u = data;
    enter(u);
    u->querying = false;
    bool lost = !u->session;
    if (lost) {
        set_session(u, successor(u));
    }
    if (lost && u->session) {
        query_page(u); /* what was not deleted goes to the other session */
    } else if (!u->session) {
        end_delivery(u); /* nobody left: the rest waits for the next login */
    } else if (status < 0) {
        OLOG(STRATA_LOG_ERROR, u->bare, "cannot load the offline messages of %s: %s", u->bare,
             strata_strerror(status));
        end_delivery(u);
    } else if (!write_page(u, page)) {
        OLOG(STRATA_LOG_DEBUG, u->bare, "offline delivery to %s waits for the client to read",
             u->session->full);
        if (!u->timer) {
            u->timer = xmalloc(sizeof *u->timer);
            uv_timer_init(u->host->server->loop, u->timer);
            u->timer->data = u;
        }
        uv_timer_start(u->timer, on_pace, PACE_MS, 0);
    } else if (page->complete) {
        end_delivery(u);
    } else {
        query_page(u); /* sees the deletion just submitted: the next oldest */
    }
    leave(u);
}

/* Loads the oldest stored messages. The store runs requests in order, so
 * this sees every append submitted before it. */
static void query_page(struct user *u)
{
    struct strata_archive_query q = {.limit = PAGE_MAX};
    struct strata_store_where w = where_of(u);
    struct strata_store *s = store_of(u->host);
    int rc = s ? strata_store_archive_query(s, &w, &q, on_page, u, NULL) : STRATA_ECLOSED;
    if (rc == 0) {
        u->querying = true;
        return;
    }
    OLOG(STRATA_LOG_ERROR, u->bare, "cannot load the offline messages of %s: %s", u->bare,
         strata_strerror(rc));
    end_delivery(u);
}

static void start_delivery(struct user *u)
{
    u->delivering = true;
    query_page(u);
}

/* "presence/initial": XEP-0160 §5, delivery at the first available
 * presence of non-negative priority (RFC 6121 §4.7.2.3: a negative
 * priority means "never deliver to me as the bare JID"). */
static int on_initial(struct strata_event *ev, void *ud)
{
    struct strata_session *c = ev->origin;
    /* c->priority is set from this presence before the event fires. */
    if (!c || !c->bare || !c->username || c->priority < 0) {
        return STRATA_PASS;
    }
    struct user *u = user_get(ev->host, c->bare, c->username);
    enter(u);
    if (!u->session) { /* else another session is being served already */
        set_session(u, c);
        if (!u->checking) {
            start_delivery(u);
        }
    }
    leave(u);
    return STRATA_PASS;
}

/* "resource-unbind": the session is gone; nothing more is written to it. */
static int on_unbind(struct strata_event *ev, void *ud)
{
    struct strata_session *c = ev->origin;
    struct user *u = c && c->bare ? user_find(c->bare) : NULL;
    if (!u || u->session != c) {
        return STRATA_PASS;
    }
    enter(u);
    set_session(u, successor(u));
    if (!u->session && !u->querying) {
        end_delivery(u); /* else on_page ends it, or serves the successor */
    }
    leave(u);
    return STRATA_PASS;
}

static int hold(struct user *u, struct strata_event *ev)
{
    if (u->held.n >= HELD_MAX) {
        strata_event_error(ev, "resource-constraint", NULL);
    } else {
        queue_push(&u->held, strata_stanza_ref(ev->stanza));
    }
    return STRATA_HANDLED;
}

/* "message/bare" and "message/full", ahead of mod_message: during a
 * delivery, what would reach the session being served waits its turn. */
static int on_message(struct strata_event *ev, void *ud)
{
    if (!serving) {
        return STRATA_PASS; /* PERF: the common case costs this test */
    }
    char *bare, *node, *resource;
    if (!split_to(ev->stanza, &bare, &node, &resource)) {
        return STRATA_PASS;
    }
    int rc = STRATA_PASS;
    struct user *u = user_find(bare);
    if (u && u->session) {
        /* A full JID goes to its own resource when it is another one; to
         * a resource that is gone, it would fall back to the bare JID. */
        struct strata_session *c = resource ? sessions_find(ev->host, bare, resource) : NULL;
        if (!c || c == u->session) {
            rc = hold(u, ev);
        }
    }
    free(bare);
    free(node);
    free(resource);
    return rc;
}

static int load(struct strata_host *h)
{
    const struct strata_module *m = &strata_mod_offline;
    strata_host_add_feature(h, "msgoffline"); /* XEP-0160 §6 */
    int rc = strata_host_hook(h, m, "message/offline/handle", -1, on_offline, NULL);
    rc = rc ? rc : strata_host_hook(h, m, "presence/initial", 0, on_initial, NULL);
    rc = rc ? rc : strata_host_hook(h, m, "resource-unbind", 0, on_unbind, NULL);
    rc = rc ? rc : strata_host_hook(h, m, "message/bare", 100, on_message, NULL);
    rc = rc ? rc : strata_host_hook(h, m, "message/full", 100, on_message, NULL);
    return rc;
}

const struct strata_module strata_mod_offline = {
    .name = "offline",
    .layer = STRATA_LAYER_SERVICES,
    .tier = STRATA_TIER_OFFICIAL,
    .state = STRATA_MODULE_IMPLEMENTED,
    .scope = STRATA_MODULE_HOST,
    .config_file = "messaging",
    .specs = "XEP-0160",
    .summary = "stores messages for offline users, with a quota, and delivers them at login",
    .options = options,
    /* As in Prosody: an account that cannot receive while offline surprises everyone. */
    .autoload = true,
    .tested_with = "slixmpp",
    .load = load,
};
