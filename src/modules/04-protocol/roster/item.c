/*
 * Roster items and their stored form; see item.h.
 */
#include "modules/04-protocol/roster/item.h"

#include <stdlib.h>
#include <string.h>

#include "modules/04-protocol/roster/subscription.h"
#include "strata/stanza.h"
#include "util/strbuf.h"
#include "util/xalloc.h"

enum { FORMAT_V1 = 1, FLAG_VISIBLE = 1 };

bool roster_item_is_tombstone(const struct roster_item *it)
{
    return !it->visible && !(it->state & SUB_PENDING_IN);
}

struct roster_item *roster_item_new(const char *jid)
{
    struct roster_item *it = xcalloc(1, sizeof *it);
    it->jid = xstrdup(jid);
    return it;
}

static void clear_details(struct roster_item *it)
{
    free(it->name);
    it->name = NULL;
    for (size_t i = 0; i < it->ngroups; i++) {
        free(it->groups[i]);
    }
    free(it->groups);
    it->groups = NULL;
    it->ngroups = 0;
}

void roster_item_free(struct roster_item *it)
{
    if (!it) {
        return;
    }
    clear_details(it);
    strata_stanza_unref(it->request);
    free(it->jid);
    free(it);
}

void roster_item_set_details(struct roster_item *it, const char *name, const char *const *groups,
                             size_t ngroups)
{
    clear_details(it);
    it->name = name && *name ? xstrdup(name) : NULL;
    it->groups = ngroups ? xcalloc(ngroups, sizeof *it->groups) : NULL;
    for (size_t i = 0; i < ngroups; i++) {
        it->groups[i] = xstrdup(groups[i]);
    }
    it->ngroups = ngroups;
}

void roster_item_set_request(struct roster_item *it, const struct strata_stanza *st)
{
    strata_stanza_unref(it->request);
    it->request = NULL;
    if (!st) {
        return;
    }
    size_t len = 0;
    char *xml = strata_stanza_to_string(st, &len);
    free(xml);
    if (len <= ROSTER_REQUEST_MAX) {
        it->request = strata_stanza_copy(st);
        return;
    }
    /* SECURITY: a huge request is kept as its bare element, so a peer
     * cannot make us store (and redeliver) megabytes per contact. */
    struct strata_stanza *small = strata_stanza_new("presence", strata_stanza_ns(st));
    static const char *const attrs[] = {"from", "to", "type", "id"};
    for (size_t i = 0; i < 4; i++) {
        strata_stanza_set_attr(small, attrs[i], strata_stanza_attr(st, attrs[i]));
    }
    it->request = small;
}

/* ---- the stored form --------------------------------------------------- */

static void put_u8(struct strbuf *b, unsigned v)
{
    unsigned char c = (unsigned char)v;
    strbuf_add(b, &c, 1);
}

static void put_u16(struct strbuf *b, size_t v)
{
    unsigned char c[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    strbuf_add(b, c, 2);
}

static void put_u32(struct strbuf *b, size_t v)
{
    unsigned char c[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 8), (unsigned char)v};
    strbuf_add(b, c, 4);
}

static void put_u64(struct strbuf *b, uint64_t v)
{
    for (int shift = 56; shift >= 0; shift -= 8) {
        put_u8(b, (unsigned)(v >> shift) & 0xff);
    }
}

static void put_str16(struct strbuf *b, const char *s)
{
    size_t n = s ? strlen(s) : 0;
    put_u16(b, n);
    if (n) {
        strbuf_add(b, s, n);
    }
}

void roster_item_encode(const struct roster_item *it, struct strbuf *out)
{
    put_u8(out, FORMAT_V1);
    put_u8(out, it->state & SUB_MASK);
    put_u8(out, it->visible ? FLAG_VISIBLE : 0);
    put_u64(out, it->ver);
    put_str16(out, it->name);
    put_u16(out, it->ngroups);
    for (size_t i = 0; i < it->ngroups; i++) {
        put_str16(out, it->groups[i]);
    }
    char *xml = NULL;
    size_t len = 0;
    if (it->request) {
        xml = strata_stanza_to_string(it->request, &len);
    }
    put_u32(out, len);
    if (len) {
        strbuf_add(out, xml, len);
    }
    free(xml);
}

/* A bounds-checked reader over a stored value. */
struct reader {
    const unsigned char *p;
    size_t left;
    bool bad;
};

static uint64_t get_n(struct reader *r, int bytes)
{
    if (r->bad || r->left < (size_t)bytes) {
        r->bad = true;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < bytes; i++) {
        v = v << 8 | r->p[i];
    }
    r->p += bytes;
    r->left -= (size_t)bytes;
    return v;
}

/* A string of `n` bytes as a new NUL-terminated copy; NULL (and bad) when
 * it overruns the value, holds a NUL, or exceeds `max`. */
static char *get_str(struct reader *r, size_t n, size_t max)
{
    if (r->bad || n > r->left || n > max || memchr(r->p, 0, n)) {
        r->bad = true;
        return NULL;
    }
    char *s = xstrndup((const char *)r->p, n);
    r->p += n;
    r->left -= n;
    return s;
}

struct roster_item *roster_item_decode(const char *jid, const void *value, size_t len)
{
    struct reader r = {value, len, false};
    if (get_n(&r, 1) != FORMAT_V1) {
        return NULL;
    }
    struct roster_item *it = roster_item_new(jid);
    it->state = (unsigned)get_n(&r, 1);
    unsigned flags = (unsigned)get_n(&r, 1);
    it->visible = flags & FLAG_VISIBLE;
    if (flags & ~FLAG_VISIBLE) {
        r.bad = true;
    }
    it->ver = get_n(&r, 8);
    size_t n = (size_t)get_n(&r, 2);
    if (n) {
        it->name = get_str(&r, n, ROSTER_NAME_MAX);
    }
    size_t ngroups = (size_t)get_n(&r, 2);
    if (ngroups > ROSTER_GROUPS_MAX) {
        r.bad = true;
    }
    if (!r.bad && ngroups) {
        it->groups = xcalloc(ngroups, sizeof *it->groups);
        for (size_t i = 0; i < ngroups && !r.bad; i++) {
            it->groups[i] = get_str(&r, (size_t)get_n(&r, 2), ROSTER_GROUP_MAX);
            it->ngroups = i + 1;
        }
    }
    size_t rlen = (size_t)get_n(&r, 4);
    if (!r.bad && rlen) {
        if (rlen > r.left || rlen > ROSTER_REQUEST_MAX ||
            strata_stanza_parse((const char *)r.p, rlen, NULL, &it->request) < 0) {
            r.bad = true;
        } else {
            r.p += rlen;
            r.left -= rlen;
        }
    }
    if (r.bad || r.left || !sub_state_valid(it->state)) {
        roster_item_free(it);
        return NULL;
    }
    return it;
}

/* ---- as the client sees it ----------------------------------------------- */

void roster_item_to_xml(const struct roster_item *it, struct strata_stanza *query)
{
    struct strata_stanza *x = strata_stanza_add_child(query, "item", NULL);
    strata_stanza_set_attr(x, "jid", it->jid);
    if (!it->visible) {
        strata_stanza_set_attr(x, "subscription", "remove");
        return;
    }
    if (it->name) {
        strata_stanza_set_attr(x, "name", it->name);
    }
    strata_stanza_set_attr(x, "subscription", sub_attr(it->state));
    if (it->state & SUB_PENDING_OUT) {
        strata_stanza_set_attr(x, "ask", "subscribe"); /* §2.1.2.2 */
    }
    if (it->state & SUB_APPROVED) {
        strata_stanza_set_attr(x, "approved", "true"); /* §2.1.2.1, §3.4 */
    }
    for (size_t i = 0; i < it->ngroups; i++) {
        strata_stanza_add_text_child(x, "group", NULL, it->groups[i]);
    }
}
