/*
 * Rosters in memory and in storage; see roster.h.
 */
#include "modules/04-protocol/roster/roster.h"

#include <inttypes.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/accounts.h"
#include "core/log.h"
#include "core/router.h"
#include "core/server.h"
#include "core/sessions.h"
#include "strata/errors.h"
#include "strata/host.h"
#include "strata/store.h"
#include "util/strbuf.h"
#include "util/strmap.h"
#include "util/xalloc.h"

struct op {
    roster_fn *fn;
    void *ud;
    struct op *next;
};

enum load_state { UNLOADED, LOADING, READY, FAILED };

struct roster {
    struct roster_host *rh;
    char *user;
    char *bare;
    struct strmap items; /* bare JID -> struct roster_item * (tombstones too) */
    size_t nvisible, nhidden, ntombs;
    uint32_t epoch;
    uint64_t version;
    uint64_t floor;
    enum load_state state;
    bool known; /* a session of the user is bound: the account exists */
    bool exists;
    bool load_failed;
    bool draining;
    unsigned loads; /* store requests of the load not yet answered */
    int pins;       /* sessions, queued and running callbacks */
    struct op *head, *tail;
};

struct roster_host {
    struct strata_host *host;
    struct strmap rosters; /* localpart -> struct roster * */
    size_t max_items;
    uint64_t pushes;
    struct roster_host *next;
};

/* Every host's rosters; hosts live as long as the process. */
static struct roster_host *all_hosts;

struct roster_host *roster_host_get(struct strata_host *h)
{
    for (struct roster_host *rh = all_hosts; rh; rh = rh->next) {
        if (rh->host == h) {
            return rh;
        }
    }
    struct roster_host *rh = xcalloc(1, sizeof *rh);
    rh->host = h;
    rh->max_items = 1000;
    rh->next = all_hosts;
    all_hosts = rh;
    return rh;
}

void roster_host_set_max_items(struct roster_host *rh, size_t max)
{
    rh->max_items = max;
}

#define RLOG(level, r, ...)                                                                        \
    do {                                                                                           \
        struct log_ctx ctx_ = {NULL, NULL, (r)->bare};                                             \
        LOG(level, "roster", &ctx_, __VA_ARGS__);                                                  \
    } while (0)

/* ---- counting ------------------------------------------------------------ */

enum kind { K_NONE, K_VISIBLE, K_HIDDEN, K_TOMB };

/* Visible: in the user's roster. Hidden: only a pending request.
 * Tombstone: a removal that versioning still reports. None: nothing worth
 * keeping (dropped). */
static enum kind kind_of(const struct roster_item *it)
{
    if (it->visible) {
        return K_VISIBLE;
    }
    if (it->state & SUB_PENDING_IN) {
        return K_HIDDEN;
    }
    return it->ver ? K_TOMB : K_NONE;
}

static void count(struct roster *r, const struct roster_item *it, int delta)
{
    switch (kind_of(it)) {
    case K_VISIBLE:
        r->nvisible += (size_t)delta;
        break;
    case K_HIDDEN:
        r->nhidden += (size_t)delta;
        break;
    case K_TOMB:
        r->ntombs += (size_t)delta;
        break;
    case K_NONE:
        break;
    }
}

/* ---- storage ----------------------------------------------------------- */

static struct strata_store *store_of(const struct roster *r)
{
    return r->rh->host->server->store;
}

static struct strata_store_where where_of(const struct roster *r)
{
    return (struct strata_store_where){r->rh->host->name, r->user, ROSTER_STORE};
}

static void check_submit(struct roster *r, int rc, const char *what)
{
    if (rc < 0) {
        RLOG(STRATA_LOG_ERROR, r, "could not store %s: %s", what, strata_strerror(rc));
    }
}

static void write_item(struct roster *r, const struct roster_item *it)
{
    struct strata_store *s = store_of(r);
    if (!s) {
        return;
    }
    struct strata_store_where w = where_of(r);
    if (kind_of(it) == K_NONE) {
        check_submit(r, strata_store_map_delete(s, &w, it->jid, NULL, NULL, NULL), "an item");
        return;
    }
    struct strbuf b = STRBUF_INIT;
    roster_item_encode(it, &b);
    check_submit(r, strata_store_map_set(s, &w, it->jid, b.ptr, b.len, NULL, NULL, NULL),
                 "an item");
    strbuf_release(&b);
}

static void write_meta(struct roster *r)
{
    struct strata_store *s = store_of(r);
    if (!s) {
        return;
    }
    char meta[80];
    int n = snprintf(meta, sizeof meta, "1 %08" PRIx32 " %" PRIu64 " %" PRIu64, r->epoch,
                     r->version, r->floor);
    struct strata_store_where w = where_of(r);
    check_submit(r, strata_store_keyval_set(s, &w, meta, (size_t)n, NULL, NULL, NULL),
                 "the version");
}

/* ---- lifetime -------------------------------------------------------------- */

static void free_item(const char *key, void *value, void *ud)
{
    roster_item_free(value);
}

static void maybe_free(struct roster *r)
{
    if (r->pins > 0 || r->loads > 0 || r->draining || r->head) {
        return;
    }
    strmap_remove(&r->rh->rosters, r->user);
    strmap_each(&r->items, free_item, NULL);
    strmap_clear(&r->items);
    free(r->user);
    free(r->bare);
    free(r);
}

static void drain(struct roster *r)
{
    if (r->draining) {
        return;
    }
    r->draining = true;
    while (r->head && r->state != LOADING && r->state != UNLOADED) {
        struct op *op = r->head;
        r->head = op->next;
        if (!r->head) {
            r->tail = NULL;
        }
        op->fn(r, op->ud);
        free(op);
        r->pins--;
    }
    r->draining = false;
    maybe_free(r);
}

static void insert(struct roster *r, struct roster_item *it)
{
    struct roster_item *old = strmap_put(&r->items, it->jid, it);
    if (old) {
        count(r, old, -1);
        roster_item_free(old);
    }
    count(r, it, +1);
}

static void max_version(const char *key, void *value, void *ud)
{
    const struct roster_item *it = value;
    uint64_t *max = ud;
    if (it->ver > *max) {
        *max = it->ver;
    }
}

/* After loading: versions must exceed every stored one even when the
 * version record was lost; a roster that never had one gets its epoch. */
static void settle_version(struct roster *r)
{
    if (!r->epoch) {
        uint32_t e = 0;
        while (!e) {
            RAND_bytes((unsigned char *)&e, sizeof e);
        }
        r->epoch = e;
    }
    uint64_t max = 0;
    strmap_each(&r->items, max_version, &max);
    if (max > r->version) {
        r->version = max;
    }
}

static void finish_load(struct roster *r)
{
    if (r->load_failed) {
        strmap_each(&r->items, free_item, NULL);
        strmap_clear(&r->items);
        r->nvisible = r->nhidden = r->ntombs = 0;
        r->state = FAILED;
        RLOG(STRATA_LOG_ERROR, r, "the roster could not be loaded; it is empty for now");
    } else {
        r->state = READY;
        settle_version(r);
    }
    drain(r);
}

static void load_step_done(struct roster *r, int status)
{
    if (status < 0) {
        r->load_failed = true;
    }
    if (--r->loads == 0) {
        finish_load(r);
    }
}

static void on_account(int status, const void *value, size_t len, void *data)
{
    struct roster *r = data;
    r->exists = status == 0 && value != NULL;
    load_step_done(r, status);
}

static void on_meta(int status, const void *value, size_t len, void *data)
{
    struct roster *r = data;
    if (status == 0 && value) {
        char buf[80];
        uint32_t epoch;
        uint64_t version, floor;
        int end = 0;
        size_t n = len < sizeof buf - 1 ? len : sizeof buf - 1;
        memcpy(buf, value, n);
        buf[n] = '\0';
        if (sscanf(buf, "1 %8" SCNx32 " %" SCNu64 " %" SCNu64 "%n", &epoch, &version, &floor,
                   &end) == 3 &&
            (size_t)end == n) {
            r->epoch = epoch;
            r->version = version;
            r->floor = floor;
        } else {
            RLOG(STRATA_LOG_WARN, r, "damaged roster version record; starting a new epoch");
        }
    }
    load_step_done(r, status);
}

struct item_load {
    struct roster *r;
    char *jid;
};

static void on_item(int status, const void *value, size_t len, void *data)
{
    struct item_load *l = data;
    struct roster *r = l->r;
    if (status == 0 && value) {
        struct roster_item *it = roster_item_decode(l->jid, value, len);
        if (it) {
            insert(r, it);
        } else {
            RLOG(STRATA_LOG_WARN, r, "damaged roster item for %s skipped", l->jid);
        }
    }
    free(l->jid);
    free(l);
    load_step_done(r, status);
}

static void on_keys(int status, const char *const *names, size_t count_, void *data)
{
    struct roster *r = data;
    struct strata_store_where w = where_of(r);
    for (size_t i = 0; status == 0 && i < count_; i++) {
        struct item_load *l = xmalloc(sizeof *l);
        l->r = r;
        l->jid = xstrdup(names[i]);
        r->loads++;
        int rc = strata_store_map_get(store_of(r), &w, names[i], on_item, l, NULL);
        if (rc < 0) {
            r->loads--;
            r->load_failed = true;
            free(l->jid);
            free(l);
            break;
        }
    }
    load_step_done(r, status);
}

/* Starts a load: the version and the keys (and the account, unless a
 * session vouches for it), then one request per item. */
static void start_load(struct roster *r)
{
    struct strata_store *s = store_of(r);
    struct strata_store_where acc = {r->rh->host->name, r->user, ACCOUNTS_STORE};
    struct strata_store_where w = where_of(r);
    r->state = LOADING;
    r->loads = 1; /* held while submitting, so nothing finishes early */
    r->pins++;    /* and not freed by a failure inside this function */
    int rc = s ? 0 : STRATA_ECLOSED;
    if (r->known) {
        r->exists = true;
    } else if (rc == 0 && (rc = strata_store_keyval_get(s, &acc, on_account, r, NULL)) == 0) {
        r->loads++;
    }
    if (rc == 0 && (rc = strata_store_keyval_get(s, &w, on_meta, r, NULL)) == 0) {
        r->loads++;
    }
    if (rc == 0 && (rc = strata_store_map_keys(s, &w, on_keys, r, NULL)) == 0) {
        r->loads++;
    }
    load_step_done(r, rc);
    r->pins--;
}

/* The roster object of `user`, made (not loaded) when there is none. */
static struct roster *get(struct roster_host *rh, const char *user)
{
    struct roster *r = strmap_get(&rh->rosters, user);
    if (r) {
        return r;
    }
    r = xcalloc(1, sizeof *r);
    r->rh = rh;
    r->user = xstrdup(user);
    r->bare = xasprintf("%s@%s", user, rh->host->name);
    strmap_put(&rh->rosters, user, r);
    return r;
}

void roster_pin(struct roster_host *rh, const char *user)
{
    struct roster *r = get(rh, user);
    r->known = true;
    r->pins++;
}

void roster_unpin(struct roster_host *rh, const char *user)
{
    struct roster *r = strmap_get(&rh->rosters, user);
    if (r && r->pins > 0) {
        r->pins--;
        maybe_free(r);
    }
}

void roster_with(struct roster_host *rh, const char *user, roster_fn *fn, void *ud)
{
    struct roster *r = get(rh, user);
    r->pins++;
    if (r->state == UNLOADED) {
        start_load(r); /* may finish at once, when storage refuses */
    }
    if (r->state != LOADING && !r->head) {
        fn(r, ud);
        r->pins--;
        maybe_free(r);
        return;
    }
    struct op *op = xmalloc(sizeof *op);
    *op = (struct op){fn, ud, NULL};
    if (r->tail) {
        r->tail->next = op;
    } else {
        r->head = op;
    }
    r->tail = op;
    if (r->state != LOADING) {
        drain(r);
    }
}

/* ---- reading --------------------------------------------------------------- */

bool roster_ok(const struct roster *r)
{
    return r->state == READY;
}

bool roster_exists(const struct roster *r)
{
    return r->exists;
}

const char *roster_user(const struct roster *r)
{
    return r->user;
}

const char *roster_bare(const struct roster *r)
{
    return r->bare;
}

struct strata_host *roster_strata_host(const struct roster *r)
{
    return r->rh->host;
}

struct roster_item *roster_find(const struct roster *r, const char *jid)
{
    struct roster_item *it = strmap_get(&r->items, jid);
    return it && !roster_item_is_tombstone(it) ? it : NULL;
}

struct collect {
    struct roster_item **items;
    size_t n, cap;
    int mode; /* 0: live; 1: visible; 2: changed after `since` */
    uint64_t since;
};

static void collect_one(const char *key, void *value, void *ud)
{
    struct roster_item *it = value;
    struct collect *c = ud;
    bool take = c->mode == 0   ? !roster_item_is_tombstone(it)
                : c->mode == 1 ? it->visible
                               : it->ver > c->since;
    if (take) {
        c->items = xgrow(c->items, &c->cap, c->n + 1, sizeof *c->items);
        c->items[c->n++] = it;
    }
}

size_t roster_live_items(const struct roster *r, struct roster_item ***out)
{
    struct collect c = {0};
    strmap_each(&r->items, collect_one, &c);
    *out = c.items;
    return c.n;
}

void roster_version(const struct roster *r, char *buf, size_t size)
{
    snprintf(buf, size, "%08" PRIx32 "-%" PRIu64, r->epoch, r->version);
}

static int by_version(const void *a, const void *b)
{
    const struct roster_item *x = *(struct roster_item *const *)a;
    const struct roster_item *y = *(struct roster_item *const *)b;
    return x->ver < y->ver ? -1 : x->ver > y->ver ? 1 : strcmp(x->jid, y->jid);
}

/* Parses a client's 'ver' of this roster's epoch; false when it is not one. */
static bool parse_ver(const struct roster *r, const char *ver, uint64_t *out)
{
    uint32_t epoch;
    uint64_t n;
    int end = 0;
    if (!ver || sscanf(ver, "%8" SCNx32 "-%" SCNu64 "%n", &epoch, &n, &end) != 2 ||
        (size_t)end != strlen(ver) || strlen(ver) < 10 || ver[8] != '-' || epoch != r->epoch) {
        return false;
    }
    *out = n;
    return true;
}

enum roster_since roster_since(const struct roster *r, const char *ver, struct roster_item ***out,
                               size_t *n)
{
    uint64_t v = 0;
    enum roster_since what = ROSTER_FULL;
    struct collect c = {.mode = 1};
    if (parse_ver(r, ver, &v) && v <= r->version && v >= r->floor) {
        what = v == r->version ? ROSTER_CURRENT : ROSTER_DELTA;
        c.mode = 2;
        c.since = v;
    }
    if (what != ROSTER_CURRENT) {
        strmap_each(&r->items, collect_one, &c);
        if (c.n > 1) {
            qsort(c.items, c.n, sizeof *c.items, by_version);
        }
    }
    *out = c.items;
    *n = c.n;
    return what;
}

/* ---- pushes ------------------------------------------------------------------- */

void roster_push(struct roster *r, const struct roster_item *it, struct strata_session *only)
{
    struct strata_host *h = r->rh->host;
    struct strata_stanza *iq = NULL;
    for (struct strata_session *c = sessions_of(h, r->bare); c; c = c->next_resource) {
        if (c->state != C2S_ACTIVE || (only ? c != only : !c->interested)) {
            continue;
        }
        if (!iq) {
            char id[32], ver[48];
            snprintf(id, sizeof id, "push%" PRIu64, ++r->rh->pushes);
            snprintf(ver, sizeof ver, "%08" PRIx32 "-%" PRIu64, r->epoch, it->ver);
            iq = strata_stanza_new("iq", strata_atoms.ns_client);
            strata_stanza_set_attr(iq, "type", "set");
            strata_stanza_set_attr(iq, "id", id);
            strata_stanza_set_attr(iq, "from", r->bare); /* RFC 6121 §2.1.6 */
            struct strata_stanza *q = strata_stanza_add_child(iq, "query", strata_atoms.ns_roster);
            strata_stanza_set_attr(q, "ver", ver);
            roster_item_to_xml(it, q);
        }
        strata_stanza_set_attr(iq, "to", c->full);
        router_deliver(c, iq);
    }
    strata_stanza_unref(iq);
}

/* ---- changing ------------------------------------------------------------------- */

/* Forgets the oldest tombstones beyond ROSTER_TOMBSTONES_MAX, raising the
 * floor: clients older than it get the whole roster. */
struct oldest {
    struct roster_item *it;
};

static void find_oldest_tomb(const char *key, void *value, void *ud)
{
    struct roster_item *it = value;
    struct oldest *o = ud;
    if (kind_of(it) == K_TOMB && (!o->it || it->ver < o->it->ver)) {
        o->it = it;
    }
}

static void prune(struct roster *r)
{
    bool floor_moved = false;
    while (r->ntombs > ROSTER_TOMBSTONES_MAX) {
        struct oldest o = {NULL};
        strmap_each(&r->items, find_oldest_tomb, &o);
        if (!o.it) {
            break;
        }
        if (o.it->ver > r->floor) {
            r->floor = o.it->ver;
            floor_moved = true;
        }
        strmap_remove(&r->items, o.it->jid);
        count(r, o.it, -1);
        o.it->ver = 0; /* K_NONE: deleted from the store */
        write_item(r, o.it);
        roster_item_free(o.it);
    }
    if (floor_moved) {
        write_meta(r);
    }
}

/* Called between count(-1) before a change and this after it: stores the
 * item (or drops it when nothing is left of it), with a new version and a
 * push when the change is one the user sees. */
static void commit(struct roster *r, struct roster_item *it, bool visible_change)
{
    if (visible_change) {
        it->ver = ++r->version;
        write_meta(r);
    }
    count(r, it, +1);
    write_item(r, it);
    if (visible_change) {
        roster_push(r, it, NULL);
    }
    if (kind_of(it) == K_NONE) {
        strmap_remove(&r->items, it->jid);
        roster_item_free(it);
    }
    prune(r);
}

/* The live item for `jid`, reviving its tombstone or making a new one
 * (counted as what it is, an invisible nothing until changed). */
static struct roster_item *obtain(struct roster *r, const char *jid)
{
    struct roster_item *it = strmap_get(&r->items, jid);
    if (!it) {
        it = roster_item_new(jid);
        strmap_put(&r->items, jid, it);
        count(r, it, +1);
    }
    return it;
}

int roster_set_item(struct roster *r, const char *jid, const char *name, const char *const *groups,
                    size_t ngroups)
{
    struct roster_item *it = roster_find(r, jid);
    if ((!it || !it->visible) && r->nvisible >= r->rh->max_items) {
        return STRATA_ELIMIT;
    }
    it = obtain(r, jid);
    count(r, it, -1);
    it->visible = true;
    roster_item_set_details(it, name, groups, ngroups);
    commit(r, it, true);
    return 0;
}

int roster_remove_item(struct roster *r, const char *jid, unsigned *old_state)
{
    struct roster_item *it = roster_find(r, jid);
    if (!it || !it->visible) {
        return STRATA_ENOENT;
    }
    *old_state = it->state;
    count(r, it, -1);
    it->visible = false;
    it->state = 0;
    roster_item_set_details(it, NULL, NULL, 0);
    roster_item_set_request(it, NULL);
    commit(r, it, true);
    return 0;
}

/* The bits of a state a client sees (pending in is not shown, §2.1.2). */
static unsigned shown(unsigned state)
{
    return state & ~SUB_PENDING_IN;
}

struct roster_change roster_subscription(struct roster *r, const char *jid, bool inbound,
                                         enum sub_type t, const struct strata_stanza *st)
{
    struct roster_item *it = roster_find(r, jid);
    unsigned old = it ? it->state : 0;
    struct roster_change ch = {.old_state = old};
    ch.result = inbound ? sub_inbound(old, t) : sub_outbound(old, t);
    unsigned now = ch.result.state;
    /* RFC 6121 §3.1.2: the user's own request puts the contact in the
     * roster; §3.1.5: so does approving one, and §3.4.1 a pre-approval. */
    bool show = !inbound && (t == SUB_SUBSCRIBE || (t == SUB_SUBSCRIBED && now != old));
    bool was_visible = it && it->visible;
    bool visible = was_visible || show;
    if (now == old && visible == was_visible) {
        return ch;
    }
    /* SECURITY: new items are bounded, visible ones by roster_max_items and
     * requests from strangers by as many again. */
    bool over = visible ? !was_visible && r->nvisible >= r->rh->max_items
                        : !it && r->nhidden >= r->rh->max_items;
    if (over) {
        ch.refused = true;
        ch.result = (struct sub_result){old, false, false};
        return ch;
    }
    it = obtain(r, jid);
    count(r, it, -1);
    it->state = now;
    it->visible = visible;
    if (inbound && t == SUB_SUBSCRIBE && (now & SUB_PENDING_IN) && !(old & SUB_PENDING_IN)) {
        roster_item_set_request(it, st); /* redelivered at each login (§3.1.3) */
    } else if (!(now & SUB_PENDING_IN)) {
        roster_item_set_request(it, NULL);
    }
    bool visible_change = visible && (!was_visible || shown(now) != shown(old));
    commit(r, it, visible_change);
    return ch;
}
