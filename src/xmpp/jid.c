/*
 * JID splitting and preparation; see include/strata/jid.h.
 *
 * RFC 7622 §3.1 says how to split; each part is then prepared as RFC 3920
 * did it (IDNA2003), like Prosody: Nodeprep and Resourceprep from libidn's
 * stringprep, and for the domainpart IDNA ToASCII (Nameprep plus the STD3
 * rules behind RFC 7622's "NR-LDH labels or U-labels") then ToUnicode.
 *
 * Text is decoded from UTF-8 here, strictly, rather than trusting libidn
 * with malformed input; stringprep then runs on fixed-size code point
 * buffers on the stack, and the prepared parts are stored in one allocation.
 */
#include "strata/jid.h"

#include <arpa/inet.h>
#include <idna.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stringprep.h>

#include "strata/errors.h"
#include "util/xalloc.h"

enum {
    PART_MAX = STRATA_JID_PART_MAX,
    /* SECURITY: stringprep's cost grows with its input (canonical reordering
     * is quadratic in a run of combining marks), so a part is bounded before
     * it is prepared. Preparation can shrink text (RFC 3454 B.1 maps some
     * code points to nothing, NFKC composes), so input may have twice the
     * 1023 octets a prepared part may have: about 0.3 ms of work at worst. */
    PART_IN_MAX = 2 * STRATA_JID_PART_MAX,
    /* Code points stringprep may hold while mapping. No canonical
     * composition turns more than four code points into one, so a mapped
     * string longer than this cannot come back within PART_MAX octets. */
    PREP_CAP = 4 * (STRATA_JID_PART_MAX + 1),
    /* Octets of an ACE label (RFC 3490 §4.1 step 8), and a NUL. */
    LABEL_BUF = 64,
};

/* Borrowed bytes; `ptr` NULL means the part is absent. */
struct view {
    const char *ptr;
    size_t len;
};

/* One prepared part, NUL-terminated. */
struct part {
    char text[PART_MAX + 1];
    size_t len;
};

static void oom(void)
{
    fputs("strata: out of memory\n", stderr);
    abort();
}

static struct view view_str(const char *s)
{
    return (struct view){s, s ? strlen(s) : 0};
}

/* One code point of strict UTF-8 (RFC 3629: no overlong forms, surrogates
 * or values above U+10FFFF; NUL refused too). Bytes used, or -1. */
static int utf8_next(const unsigned char *p, size_t avail, uint32_t *cp)
{
    static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
    static const uint8_t lead_bits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    uint32_t c = p[0];
    size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;

    if (len == 0 || c >= 0xF8 || len > avail) {
        return -1;
    }
    c &= lead_bits[len];
    for (size_t i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            return -1;
        }
        c = (c << 6) | (p[i] & 0x3F);
    }
    if (c == 0 || c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) {
        return -1;
    }
    *cp = c;
    return (int)len;
}

/* SECURITY: hostile bytes are decoded here, never by libidn. */
static int utf8_decode(struct view in, uint32_t *cps, size_t cap, size_t *n)
{
    const unsigned char *p = (const unsigned char *)in.ptr;
    size_t used = 0, k = 0;

    while (used < in.len) {
        int step = k < cap ? utf8_next(p + used, in.len - used, &cps[k]) : -1;
        if (step < 0) {
            return STRATA_EINVAL;
        }
        used += (size_t)step;
        k++;
    }
    *n = k;
    return 0;
}

/* Appends code points as UTF-8, refusing to pass PART_MAX octets. */
static int utf8_append(const uint32_t *cps, size_t n, struct part *out)
{
    for (size_t i = 0; i < n; i++) {
        char tmp[8];
        int len = stringprep_unichar_to_utf8(cps[i], tmp);
        if (out->len + (size_t)len > PART_MAX) {
            return STRATA_EINVAL;
        }
        memcpy(out->text + out->len, tmp, (size_t)len);
        out->len += (size_t)len;
    }
    out->text[out->len] = '\0';
    return 0;
}

static int append_byte(struct part *out, char c)
{
    if (out->len == PART_MAX) {
        return STRATA_EINVAL;
    }
    out->text[out->len++] = c;
    out->text[out->len] = '\0';
    return 0;
}

static Stringprep_profile_flags prep_flags(unsigned flags)
{
    return (flags & STRATA_JID_STRICT) ? STRINGPREP_NO_UNASSIGNED : 0;
}

static int idna_flags(unsigned flags)
{
    return IDNA_USE_STD3_ASCII_RULES | ((flags & STRATA_JID_STRICT) ? 0 : IDNA_ALLOW_UNASSIGNED);
}

/* Nodeprep or Resourceprep (RFC 3920 appendices A and B): mapping, NFKC,
 * prohibited code points and the bidi rule, then 1..1023 octets
 * (RFC 7622 §3.3, §3.4): a part that maps to nothing is refused too. */
static int prep_text(struct view in, const Stringprep_profile *profile, unsigned flags,
                     struct part *out)
{
    uint32_t cps[PREP_CAP];
    size_t n;

    out->len = 0;
    if (in.len == 0 || in.len > PART_IN_MAX || utf8_decode(in, cps, PREP_CAP, &n) < 0) {
        return STRATA_EINVAL;
    }
    int rc = stringprep_4i(cps, &n, PREP_CAP, prep_flags(flags), profile);
    if (rc == STRINGPREP_MALLOC_ERROR) {
        oom();
    }
    if (rc != STRINGPREP_OK || n == 0) {
        return STRATA_EINVAL;
    }
    return utf8_append(cps, n, out);
}

/* The label separators of IDNA2003 (RFC 3490 §3.1 requirement 1). */
static bool is_dot(uint32_t c)
{
    return c == '.' || c == 0x3002 || c == 0xFF0E || c == 0xFF61;
}

/* One label, appended to `out` as its U-label. ToASCII applies Nameprep
 * and the STD3 rules (letters, digits, inner hyphens; 1..63 octets);
 * ASCII labels skip Nameprep there, so they are lower-cased here. */
static int prep_label(const uint32_t *cps, size_t n, unsigned flags, struct part *out)
{
    char ace[LABEL_BUF];
    uint32_t wide[LABEL_BUF], ulabel[LABEL_BUF];
    size_t ace_len, ulabel_len = LABEL_BUF;

    if (n == 0) {
        return STRATA_EINVAL;
    }
    int rc = idna_to_ascii_4i(cps, n, ace, idna_flags(flags));
    if (rc == IDNA_MALLOC_ERROR) {
        oom();
    }
    if (rc != IDNA_SUCCESS) {
        return STRATA_EINVAL;
    }
    ace_len = strlen(ace);
    for (size_t i = 0; i < ace_len; i++) {
        ace[i] = (ace[i] >= 'A' && ace[i] <= 'Z') ? (char)(ace[i] + 32) : ace[i];
        wide[i] = (unsigned char)ace[i];
    }
    if (strncmp(ace, IDNA_ACE_PREFIX, strlen(IDNA_ACE_PREFIX)) != 0) {
        return utf8_append(wide, ace_len, out);
    }
    /* RFC 7622 §3.2.1: A-labels are converted to U-labels. ToUnicode also
     * refuses an A-label that is not ToASCII's own output for its decoding,
     * so "xn--" labels cannot smuggle in unprepared text. */
    rc = idna_to_unicode_44i(wide, ace_len, ulabel, &ulabel_len, idna_flags(flags));
    if (rc == IDNA_MALLOC_ERROR) {
        oom();
    }
    if (rc != IDNA_SUCCESS) {
        return STRATA_EINVAL;
    }
    return utf8_append(ulabel, ulabel_len, out);
}

/* RFC 7622 §3.2 allows an IP-literal: "[" IPv6 "]", kept in the canonical
 * text form of RFC 5952 so that equal addresses compare equal. Zone
 * identifiers and IPvFuture are refused. */
static int prep_ipv6(struct view in, struct part *out)
{
    char addr[INET6_ADDRSTRLEN];
    struct in6_addr bin;
    size_t inner = in.len - 2;

    if (in.len < 3 || in.ptr[in.len - 1] != ']' || inner >= sizeof addr) {
        return STRATA_EINVAL;
    }
    memcpy(addr, in.ptr + 1, inner);
    addr[inner] = '\0';
    if (strlen(addr) != inner || inet_pton(AF_INET6, addr, &bin) != 1) {
        return STRATA_EINVAL;
    }
    inet_ntop(AF_INET6, &bin, addr, sizeof addr);
    out->len = (size_t)snprintf(out->text, sizeof out->text, "[%s]", addr);
    return 0;
}

/* RFC 7622 §3.2 allows a dotted-quad IPv4 address. Any other name made of
 * digits and dots is refused: no top-level domain is numeric (RFC 3696 §2)
 * and resolvers read names like "127.1" as addresses (inet_aton). */
static int check_numeric(const struct part *p)
{
    struct in_addr bin;

    if (strspn(p->text, "0123456789.") != p->len) {
        return 0;
    }
    return inet_pton(AF_INET, p->text, &bin) == 1 ? 0 : STRATA_EINVAL;
}

static int prep_domain(struct view in, unsigned flags, struct part *out)
{
    uint32_t cps[PART_IN_MAX];
    size_t n, start = 0;

    out->len = 0;
    if (in.len == 0 || in.len > PART_IN_MAX) {
        return STRATA_EINVAL;
    }
    if (in.ptr[0] == '[') {
        return prep_ipv6(in, out);
    }
    if (utf8_decode(in, cps, PART_IN_MAX, &n) < 0) {
        return STRATA_EINVAL;
    }
    /* RFC 7622 §3.2: a final dot names the DNS root and is not part of
     * the domainpart; any other empty label is malformed. */
    if (n > 0 && is_dot(cps[n - 1])) {
        n--;
    }
    for (size_t i = 0; i <= n; i++) {
        if (i < n && !is_dot(cps[i])) {
            continue;
        }
        if (start > 0 && append_byte(out, '.') < 0) {
            return STRATA_EINVAL;
        }
        if (prep_label(cps + start, i - start, flags, out) < 0) {
            return STRATA_EINVAL;
        }
        start = i + 1;
    }
    return check_numeric(out);
}

static struct view part_view(const struct part *p)
{
    return (struct view){p->text, p->len};
}

/* Copies `v` at `*cursor` with a NUL and moves past it; NULL if absent. */
static char *put(char **cursor, struct view v)
{
    char *s = *cursor;

    if (!v.ptr) {
        return NULL;
    }
    memcpy(s, v.ptr, v.len);
    s[v.len] = '\0';
    *cursor += v.len + 1;
    return s;
}

/* One allocation, domain first: strata_jid_clear() frees `domain`. */
static void store(struct strata_jid *out, struct view node, struct view domain,
                  struct view resource)
{
    size_t size = domain.len + 1;
    size += node.ptr ? node.len + 1 : 0;
    size += resource.ptr ? resource.len + 1 : 0;
    char *cursor = xmalloc(size);

    out->domain = put(&cursor, domain);
    out->node = put(&cursor, node);
    out->resource = put(&cursor, resource);
}

static int prepare(struct view node, struct view domain, struct view resource, unsigned flags,
                   struct strata_jid *out)
{
    struct part n, d, r;
    static const struct view absent = {NULL, 0};

    memset(out, 0, sizeof *out);
    if (!domain.ptr || prep_domain(domain, flags, &d) < 0) {
        return STRATA_EINVAL;
    }
    if (node.ptr && prep_text(node, stringprep_xmpp_nodeprep, flags, &n) < 0) {
        return STRATA_EINVAL;
    }
    if (resource.ptr && prep_text(resource, stringprep_xmpp_resourceprep, flags, &r) < 0) {
        return STRATA_EINVAL;
    }
    store(out, node.ptr ? part_view(&n) : absent, part_view(&d),
          resource.ptr ? part_view(&r) : absent);
    return 0;
}

int strata_jid_parse(const char *text, size_t len, struct strata_jid *out)
{
    struct view node = {NULL, 0}, domain, resource = {NULL, 0};

    memset(out, 0, sizeof *out);
    /* SECURITY: bound the work, and refuse NULs stringprep would stop at. */
    if (!text || len > 3 * PART_IN_MAX + 2 || memchr(text, '\0', len)) {
        return STRATA_EINVAL;
    }
    /* RFC 7622 §3.1: split on the raw text, before preparation can map
     * other code points to '@' or '/'. The first '/' starts the resource,
     * which may hold any '@' and '/'; the first '@' before it ends the
     * localpart; what lies between is the domainpart. */
    const char *slash = memchr(text, '/', len);
    size_t head = slash ? (size_t)(slash - text) : len;
    const char *at = memchr(text, '@', head);

    if (at) {
        node = (struct view){text, (size_t)(at - text)};
    }
    domain.ptr = at ? at + 1 : text;
    domain.len = (size_t)(text + head - domain.ptr);
    if (slash) {
        resource = (struct view){slash + 1, len - head - 1};
    }
    return prepare(node, domain, resource, 0, out);
}

int strata_jid_from_parts(const char *node, const char *domain, const char *resource,
                          unsigned flags, struct strata_jid *out)
{
    return prepare(view_str(node), view_str(domain), view_str(resource), flags, out);
}

int strata_jid_prep_domain(const char *in, char **out)
{
    struct part d;

    *out = NULL;
    if (!in || prep_domain(view_str(in), 0, &d) < 0) {
        return STRATA_EINVAL;
    }
    *out = xstrndup(d.text, d.len);
    return 0;
}

void strata_jid_clear(struct strata_jid *jid)
{
    free(jid->domain);
    memset(jid, 0, sizeof *jid);
}

void strata_jid_copy(struct strata_jid *dst, const struct strata_jid *src, bool bare)
{
    memset(dst, 0, sizeof *dst);
    if (!src->domain) {
        return;
    }
    store(dst, view_str(src->node), view_str(src->domain),
          bare ? view_str(NULL) : view_str(src->resource));
}

static size_t formatted_len(const struct strata_jid *jid, bool bare)
{
    size_t n = strlen(jid->domain);

    if (jid->node) {
        n += strlen(jid->node) + 1;
    }
    if (!bare && jid->resource) {
        n += strlen(jid->resource) + 1;
    }
    return n;
}

int strata_jid_format(const struct strata_jid *jid, bool bare, char *buf, size_t size)
{
    if (formatted_len(jid, bare) >= size) {
        return STRATA_ELIMIT;
    }
    char *p = buf;
    if (jid->node) {
        p = stpcpy(stpcpy(p, jid->node), "@");
    }
    p = stpcpy(p, jid->domain);
    if (!bare && jid->resource) {
        stpcpy(stpcpy(p, "/"), jid->resource);
    }
    return 0;
}

char *strata_jid_to_string(const struct strata_jid *jid, bool bare)
{
    size_t size = formatted_len(jid, bare) + 1;
    char *s = xmalloc(size);

    strata_jid_format(jid, bare, s, size);
    return s;
}

/* Equal strings, or both absent. */
static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

bool strata_jid_equal(const struct strata_jid *a, const struct strata_jid *b)
{
    return strata_jid_bare_equal(a, b) && same(a->resource, b->resource);
}

bool strata_jid_bare_equal(const struct strata_jid *a, const struct strata_jid *b)
{
    return same(a->domain, b->domain) && same(a->node, b->node);
}
