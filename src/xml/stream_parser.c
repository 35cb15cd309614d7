/*
 * The XMPP stream parser: expat driven chunk by chunk, events turned into
 * stream callbacks and stanza trees built straight into a per-stanza arena.
 * Contracts in stream_parser.h; the restrictions are RFC 6120 §11.
 *
 * Byte accounting. Every byte of the stream has an offset; `mark` is where
 * the stanza under way started (its start tag's '<'), or, between stanzas,
 * the end of the last complete thing. Everything received past `mark` is
 * either part of the next stanza or a partial token expat holds, so
 * "received - mark > max_stanza_bytes" refuses an oversized stanza while
 * it arrives, without waiting for (or buffering) its end. Input is handed
 * to expat in slices so that the check runs, and expat's own buffer stays
 * small, however big the chunks the caller reads.
 *
 * Stopping. Pause, reset and free requested from a callback abort expat
 * right after the current event; the unread rest of the caller's chunk is
 * then held, parsed by a fresh stream, or dropped. An aborted expat is
 * reset (XML_ParserReset keeps its memory) and, if the stream was open, fed
 * a copy of the stream's start tag (`replay`) so that the namespace
 * bindings and the depth are as before; the same replay lets trim() free
 * expat entirely while a session is idle.
 */
#include <expat.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

#include "strata/errors.h"
#include "util/strbuf.h"
#include "util/xalloc.h"
#include "xml/serialize.h"
#include "xml/stream_parser.h"
#include "xml/tree.h"
#include "xml/xml_config.h"

/* Expat joins namespace, local name and prefix with this; it cannot occur
 * in a name, and a namespace name containing it would not be XML 1.0. */
#define SEP '\x01'

/* The most handed to expat at once: bounds its buffer (it keeps the slice
 * and a little context) and how late an oversized stanza is noticed. */
#define SLICE 4096

/* The first block of a stanza's arena: one malloc of 1 KiB holds a typical
 * chat message with its tree. */
#define DOC_HINT (1024 - sizeof(struct xml_doc))

enum state {
    ST_FRESH,  /* waiting for a stream header */
    ST_OPEN,   /* stream open */
    ST_CLOSED, /* </stream:stream> received */
    ST_FAILED, /* an error was found (and reported, or about to be) */
};

enum reset_request {
    RESET_NONE,
    RESET_KEEP,
    RESET_DROP,
};

struct strata_xml_parser {
    XML_Parser xp;  /* NULL after trim() or an error */
    bool xp_ready;  /* false: reset (and replay) before use */
    bool document;  /* strata_stanza_parse(): the root is the stanza */
    bool busy;      /* inside feed() or resume() */
    bool in_parse;  /* inside expat (its callbacks are running) */
    bool replaying; /* feeding `replay`: no events */
    bool paused;
    bool stopped; /* a callback asked expat to stop at stop_at */
    bool free_req;
    unsigned char state;     /* enum state */
    unsigned char reset_req; /* enum reset_request */
    uint32_t level;          /* open elements, the stream element included */
    uint32_t ns_decls;       /* declarations seen for the coming start tag */
    const struct strata_xml_handlers *h;
    void *ud;
    const char *content_ns;
    struct strata_xml_limits limits;
    int64_t base; /* stream offset of expat's byte 0 */
    int64_t pos;  /* stream offset of the next byte for expat */
    int64_t mark; /* see the file comment */
    int64_t stop_at;
    struct xml_doc *doc;       /* the stanza being built */
    struct strata_stanza *cur; /* its innermost open element */
    char *replay;              /* the stream's start tag, with its declarations */
    size_t replay_len;
    char *held; /* input held back while paused */
    size_t held_len;
    struct strata_xml_ns_decl *decls; /* declarations of the stream element */
    size_t ndecls;
    struct strata_stanza *result; /* strata_stanza_parse() */
    struct strata_xml_error err;
    char errtext[192];
};

/* A name as expat gives it: "ns SEP local SEP prefix", parts optional. */
struct qname {
    const char *ns;
    size_t ns_len;
    const char *local;
    size_t local_len;
    const char *prefix; /* NULL when none */
    size_t prefix_len;
};

static void split(const char *s, struct qname *q)
{
    const char *a = strchr(s, SEP);
    if (!a) {
        *q = (struct qname){.ns = "", .local = s, .local_len = strlen(s)};
        return;
    }
    q->ns = s;
    q->ns_len = (size_t)(a - s);
    q->local = a + 1;
    const char *b = strchr(q->local, SEP);
    q->local_len = b ? (size_t)(b - q->local) : strlen(q->local);
    q->prefix = b ? b + 1 : NULL;
    q->prefix_len = b ? strlen(b + 1) : 0;
}

/* ---- errors ----------------------------------------------------------- */

const char *strata_xml_condition_name(enum strata_xml_condition condition)
{
    switch (condition) {
    case STRATA_XML_BAD_FORMAT:
        return "bad-format";
    case STRATA_XML_INVALID_NAMESPACE:
        return "invalid-namespace";
    case STRATA_XML_NOT_WELL_FORMED:
        return "not-well-formed";
    case STRATA_XML_POLICY_VIOLATION:
        return "policy-violation";
    case STRATA_XML_RESTRICTED_XML:
        return "restricted-xml";
    case STRATA_XML_UNSUPPORTED_ENCODING:
        return "unsupported-encoding";
    }
    return "undefined-condition";
}

static int64_t event_start(const struct strata_xml_parser *p)
{
    return p->base + XML_GetCurrentByteIndex(p->xp);
}

static int64_t event_end(const struct strata_xml_parser *p)
{
    return event_start(p) + XML_GetCurrentByteCount(p->xp);
}

/* Records the first error and stops expat; report() tells the caller once
 * expat has returned. */
__attribute__((format(printf, 4, 5))) static void fail(struct strata_xml_parser *p,
                                                       enum strata_xml_condition condition,
                                                       enum strata_xml_limit limit, const char *fmt,
                                                       ...)
{
    if (p->state == ST_FAILED) {
        return;
    }
    p->state = ST_FAILED;
    p->err.condition = condition;
    p->err.limit = limit;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->errtext, sizeof(p->errtext), fmt, ap);
    va_end(ap);
    if (p->in_parse && n >= 0 && (size_t)n < sizeof(p->errtext)) {
        snprintf(p->errtext + n, sizeof(p->errtext) - (size_t)n, " (at byte %lld)",
                 (long long)event_start(p));
    }
    p->err.text = p->errtext;
    if (p->in_parse) {
        XML_StopParser(p->xp, XML_FALSE);
    }
}

static enum strata_xml_condition condition_of(enum XML_Error code)
{
    switch (code) {
    /* RFC 6120 §11.1: no entity references but the five predefined ones. */
    case XML_ERROR_UNDEFINED_ENTITY:
    case XML_ERROR_RECURSIVE_ENTITY_REF:
    case XML_ERROR_PARAM_ENTITY_REF:
    case XML_ERROR_BINARY_ENTITY_REF:
    case XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF:
    case XML_ERROR_EXTERNAL_ENTITY_HANDLING:
    case XML_ERROR_ENTITY_DECLARED_IN_PE:
    case XML_ERROR_NOT_STANDALONE:
        return STRATA_XML_RESTRICTED_XML;
    case XML_ERROR_UNKNOWN_ENCODING:
    case XML_ERROR_INCORRECT_ENCODING:
        return STRATA_XML_UNSUPPORTED_ENCODING;
    default:
        return STRATA_XML_NOT_WELL_FORMED;
    }
}

/* Tells the caller about the recorded error (once) and releases expat: a
 * failed stream is only ever closed. */
static int report(struct strata_xml_parser *p)
{
    if (p->state != ST_FAILED) {
        enum XML_Error code = XML_GetErrorCode(p->xp);
        fail(p, condition_of(code), STRATA_XML_LIMIT_NONE, "%s (at byte %lld)",
             XML_ErrorString(code), (long long)(p->base + XML_GetCurrentByteIndex(p->xp)));
    }
    if (p->xp) {
        XML_ParserFree(p->xp);
        p->xp = NULL;
        p->xp_ready = false;
    }
    if (p->h && p->h->on_error) {
        p->h->on_error(p->ud, &p->err);
    }
    return STRATA_EINVAL;
}

static bool over_size(const struct strata_xml_parser *p, int64_t end)
{
    return p->limits.max_stanza_bytes && end - p->mark > (int64_t)p->limits.max_stanza_bytes;
}

static void fail_size(struct strata_xml_parser *p)
{
    fail(p, STRATA_XML_POLICY_VIOLATION, STRATA_XML_LIMIT_STANZA_BYTES,
         "stanza larger than %zu bytes", p->limits.max_stanza_bytes);
}

static bool check_name(struct strata_xml_parser *p, const struct qname *q)
{
    uint32_t max = p->limits.max_name_length;
    if (max && (q->local_len > max || q->ns_len > max)) {
        fail(p, STRATA_XML_POLICY_VIOLATION, STRATA_XML_LIMIT_NAME_LENGTH,
             "name or namespace longer than %u bytes", (unsigned)max);
        return false;
    }
    return true;
}

/* ---- restricted XML (RFC 6120 §11.1) ---------------------------------- */

static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid, const XML_Char *pubid,
                       int has_internal_subset)
{
    /* Refused at "<!DOCTYPE", before expat reads any declaration, so no
     * entity is ever defined and none can expand (billion laughs). */
    fail(ud, STRATA_XML_RESTRICTED_XML, STRATA_XML_LIMIT_NONE, "DOCTYPE not allowed");
}

static void on_entity_decl(void *ud, const XML_Char *name, int is_param, const XML_Char *value,
                           int value_len, const XML_Char *base, const XML_Char *sysid,
                           const XML_Char *pubid, const XML_Char *notation)
{
    fail(ud, STRATA_XML_RESTRICTED_XML, STRATA_XML_LIMIT_NONE, "entity declaration not allowed");
}

static void on_pi(void *ud, const XML_Char *target, const XML_Char *data)
{
    fail(ud, STRATA_XML_RESTRICTED_XML, STRATA_XML_LIMIT_NONE,
         "processing instruction not allowed");
}

static void on_comment(void *ud, const XML_Char *data)
{
    fail(ud, STRATA_XML_RESTRICTED_XML, STRATA_XML_LIMIT_NONE, "comment not allowed");
}

/* The XML declaration itself is allowed; expat accepts it only as the very
 * first bytes. */
static void on_xml_decl(void *ud, const XML_Char *version, const XML_Char *encoding, int standalone)
{
    if (encoding && strcasecmp(encoding, "UTF-8") != 0) {
        fail(ud, STRATA_XML_UNSUPPORTED_ENCODING, STRATA_XML_LIMIT_NONE,
             "encoding %.32s: only UTF-8 is allowed (RFC 6120 §11.6)", encoding);
    } else if (version && strcmp(version, "1.0") != 0) {
        fail(ud, STRATA_XML_BAD_FORMAT, STRATA_XML_LIMIT_NONE,
             "XML version %.16s: only 1.0 is allowed (RFC 6120 §11.5)", version);
    }
}

/* ---- stream level ----------------------------------------------------- */

static void on_ns_decl(void *ud, const XML_Char *prefix, const XML_Char *uri)
{
    struct strata_xml_parser *p = ud;
    if (p->replaying) {
        return;
    }
    /* SECURITY: declarations are attributes too; without this a start tag
     * could carry any number of them. */
    p->ns_decls++;
    if (p->limits.max_attributes && p->ns_decls > p->limits.max_attributes) {
        fail(p, STRATA_XML_POLICY_VIOLATION, STRATA_XML_LIMIT_ATTRIBUTES,
             "more than %u attributes on an element", (unsigned)p->limits.max_attributes);
        return;
    }
    uint32_t max = p->limits.max_name_length;
    if (max && uri && strlen(uri) > max) {
        fail(p, STRATA_XML_POLICY_VIOLATION, STRATA_XML_LIMIT_NAME_LENGTH,
             "namespace longer than %u bytes", (unsigned)max);
        return;
    }
    if (!p->document && p->level == 0) {
        p->decls = xrealloc(p->decls, (p->ndecls + 1) * sizeof(*p->decls));
        p->decls[p->ndecls++] = (struct strata_xml_ns_decl){
            .prefix = prefix ? xstrdup(prefix) : NULL,
            .uri = uri ? xstrdup(uri) : NULL,
        };
    }
}

static void free_decls(struct strata_xml_parser *p)
{
    for (size_t i = 0; i < p->ndecls; i++) {
        free((char *)p->decls[i].prefix);
        free((char *)p->decls[i].uri);
    }
    free(p->decls);
    p->decls = NULL;
    p->ndecls = 0;
}

/* The stream's start tag again, for rebuilding expat: the same qualified
 * name (its end tag must match) and the same namespace bindings. */
static void make_replay(struct strata_xml_parser *p, const struct qname *q)
{
    struct strbuf b = STRBUF_INIT;
    strbuf_add(&b, "<", 1);
    if (q->prefix) {
        strbuf_add(&b, q->prefix, q->prefix_len);
        strbuf_add(&b, ":", 1);
    }
    strbuf_add(&b, q->local, q->local_len);
    for (size_t i = 0; i < p->ndecls; i++) {
        const struct strata_xml_ns_decl *d = &p->decls[i];
        strbuf_adds(&b, d->prefix ? " xmlns:" : " xmlns");
        strbuf_adds(&b, d->prefix ? d->prefix : "");
        strbuf_add(&b, "='", 2);
        xml__escape_attr(&b, d->uri ? d->uri : "", d->uri ? strlen(d->uri) : 0);
        strbuf_add(&b, "'", 1);
    }
    strbuf_add(&b, ">", 1);
    free(p->replay);
    p->replay_len = b.len;
    p->replay = strbuf_take(&b);
}

static bool check_stream_names(struct strata_xml_parser *p, const struct qname *q,
                               const char *content_ns)
{
    const char *streams = strata_atoms.ns_streams;
    if (q->ns_len != strlen(streams) || memcmp(q->ns, streams, q->ns_len) != 0) {
        fail(p, STRATA_XML_INVALID_NAMESPACE, STRATA_XML_LIMIT_NONE,
             "stream element not in %s (RFC 6120 §4.8.1)", streams);
        return false;
    }
    if (q->local_len != 6 || memcmp(q->local, "stream", 6) != 0) {
        fail(p, STRATA_XML_BAD_FORMAT, STRATA_XML_LIMIT_NONE, "root element is not <stream/>");
        return false;
    }
    if (p->content_ns && (!content_ns || strcmp(content_ns, p->content_ns) != 0)) {
        fail(p, STRATA_XML_INVALID_NAMESPACE, STRATA_XML_LIMIT_NONE,
             "content namespace is not %s (RFC 6120 §4.8.2)", p->content_ns);
        return false;
    }
    return true;
}

static void header_attrs(struct strata_xml_stream_header *hdr, const XML_Char **atts)
{
    for (size_t i = 0; atts[i]; i += 2) {
        struct qname q;
        split(atts[i], &q);
        const char *v = atts[i + 1];
        if (q.ns_len == 0 && strcmp(q.local, "to") == 0) {
            hdr->to = v;
        } else if (q.ns_len == 0 && strcmp(q.local, "from") == 0) {
            hdr->from = v;
        } else if (q.ns_len == 0 && strcmp(q.local, "id") == 0) {
            hdr->id = v;
        } else if (q.ns_len == 0 && strcmp(q.local, "version") == 0) {
            hdr->version = v;
        } else if (q.ns_len == strlen(strata_atoms.ns_xml) &&
                   memcmp(q.ns, strata_atoms.ns_xml, q.ns_len) == 0 && q.local_len == 4 &&
                   memcmp(q.local, "lang", 4) == 0) {
            hdr->lang = v;
        }
    }
}

static void stream_open(struct strata_xml_parser *p, const char *name, const XML_Char **atts)
{
    struct qname q;
    split(name, &q);
    const char *content_ns = NULL;
    for (size_t i = 0; i < p->ndecls; i++) {
        if (!p->decls[i].prefix) {
            content_ns = p->decls[i].uri;
        }
    }
    if (!check_name(p, &q) || !check_stream_names(p, &q, content_ns)) {
        return;
    }
    struct strata_xml_stream_header hdr = {
        .name = strata_atoms.stream,
        .ns = strata_atoms.ns_streams,
        .content_ns = content_ns,
        .decls = p->decls,
        .ndecls = p->ndecls,
    };
    header_attrs(&hdr, atts);
    make_replay(p, &q);
    p->state = ST_OPEN;
    p->level = 1;
    p->mark = event_end(p);
    p->h->on_stream_open(p->ud, &hdr);
    free_decls(p);
}

static void stream_close(struct strata_xml_parser *p)
{
    p->state = ST_CLOSED;
    /* Nothing may follow; expat would only complain about it. */
    XML_StopParser(p->xp, XML_FALSE);
    if (p->h->on_stream_close) {
        p->h->on_stream_close(p->ud);
    }
}

/* ---- stanzas ---------------------------------------------------------- */

/* The level of open elements at which a stanza's root sits. */
static uint32_t top(const struct strata_xml_parser *p)
{
    return p->document ? 0 : 1;
}

static bool check_element(struct strata_xml_parser *p, const XML_Char **atts, uint32_t decls)
{
    uint32_t depth = p->level + 1 - top(p);
    if (p->limits.max_depth && depth > p->limits.max_depth) {
        fail(p, STRATA_XML_POLICY_VIOLATION, STRATA_XML_LIMIT_DEPTH,
             "elements nested deeper than %u", (unsigned)p->limits.max_depth);
        return false;
    }
    size_t n = 0;
    while (atts[2 * n]) {
        n++;
    }
    if (p->limits.max_attributes && n + decls > p->limits.max_attributes) {
        fail(p, STRATA_XML_POLICY_VIOLATION, STRATA_XML_LIMIT_ATTRIBUTES,
             "more than %u attributes on an element", (unsigned)p->limits.max_attributes);
        return false;
    }
    return true;
}

/* Copies the attributes into the arena: names interned or copied, each
 * value copied once, straight from expat's buffer. */
static bool add_attrs(struct strata_xml_parser *p, struct strata_stanza *el, const XML_Char **atts)
{
    uint32_t n = 0;
    while (atts[2 * n]) {
        n++;
    }
    if (n == 0) {
        return true;
    }
    el->attrs = xml__alloc(p->doc, n * sizeof(*el->attrs));
    el->nattrs = el->attr_cap = n;
    for (uint32_t i = 0; i < n; i++) {
        struct qname q;
        split(atts[2 * i], &q);
        if (!check_name(p, &q)) {
            return false;
        }
        size_t len = strlen(atts[2 * i + 1]);
        el->attrs[i] = (struct strata_attr){
            .ns = xml__name(p->doc, q.ns, q.ns_len),
            .name = xml__name(p->doc, q.local, q.local_len),
            .value = xml__strndup(p->doc, atts[2 * i + 1], len),
            .value_len = len,
        };
    }
    return true;
}

static void on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    struct strata_xml_parser *p = ud;
    if (p->replaying) {
        p->level++;
        return;
    }
    uint32_t decls = p->ns_decls;
    p->ns_decls = 0;
    if (!check_element(p, atts, decls)) {
        return;
    }
    if (!p->document && p->level == 0) {
        stream_open(p, name, atts);
        return;
    }
    struct qname q;
    split(name, &q);
    if (!check_name(p, &q)) {
        return;
    }
    struct strata_stanza *el;
    if (p->level == top(p)) {
        p->mark = event_start(p);
        p->doc = xml__doc_new(DOC_HINT);
        el = &p->doc->root;
        el->name = xml__name(p->doc, q.local, q.local_len);
        el->ns = xml__name(p->doc, q.ns, q.ns_len);
    } else {
        el = xml__element_new(p->doc, p->cur, xml__name(p->doc, q.local, q.local_len),
                              xml__name(p->doc, q.ns, q.ns_len));
    }
    p->cur = el;
    p->level++;
    if (!add_attrs(p, el, atts)) {
        return;
    }
    if (over_size(p, event_end(p))) {
        fail_size(p);
    }
}

static void on_end(void *ud, const XML_Char *name)
{
    struct strata_xml_parser *p = ud;
    if (p->replaying || p->state == ST_FAILED) {
        return;
    }
    p->level--;
    if (!p->document && p->level == 0) {
        stream_close(p);
        return;
    }
    int64_t end = event_end(p);
    if (over_size(p, end)) {
        fail_size(p);
        return;
    }
    if (p->level > top(p)) {
        p->cur = p->cur->parent;
        return;
    }
    struct strata_stanza *stanza = &p->doc->root;
    p->doc = NULL;
    p->cur = NULL;
    p->mark = end;
    if (p->document) {
        p->result = stanza;
        return;
    }
    p->h->on_stanza(p->ud, stanza);
}

static bool all_space(const char *s, int len)
{
    for (int i = 0; i < len; i++) {
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') {
            return false;
        }
    }
    return true;
}

static void on_text(void *ud, const XML_Char *s, int len)
{
    struct strata_xml_parser *p = ud;
    if (p->state == ST_FAILED) {
        return;
    }
    if (p->level <= top(p)) {
        /* Between stanzas only whitespace keepalives (RFC 6120 §4.6.1). */
        if (!all_space(s, len)) {
            fail(p, STRATA_XML_BAD_FORMAT, STRATA_XML_LIMIT_NONE, "text between stanzas");
            return;
        }
        p->mark = event_end(p);
        return;
    }
    if (over_size(p, event_end(p))) {
        fail_size(p);
        return;
    }
    xml__append_text(p->doc, p->cur, s, (size_t)len);
}

/* ---- expat's lifetime ------------------------------------------------- */

/* A salt for expat's hash tables without a getrandom() call per parser
 * (expat makes one at every parser start, restarts included): splitmix64
 * over a per-thread secret seed. SECURITY: the salt only has to be unknown
 * to peers, who could otherwise flood the tables with colliding names. */
static unsigned long next_salt(void)
{
    static _Thread_local uint64_t state;
    if (state == 0 && getrandom(&state, sizeof(state), 0) != (ssize_t)sizeof(state)) {
        state = 0;
        return 0; /* expat then draws its own */
    }
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return (unsigned long)(z ^ (z >> 31));
}

static void install(struct strata_xml_parser *p)
{
    XML_Parser xp = p->xp;
    unsigned long salt = next_salt();
    if (salt) {
        XML_SetHashSalt(xp, salt);
    }
    XML_SetUserData(xp, p);
    XML_SetElementHandler(xp, on_start, on_end);
    XML_SetCharacterDataHandler(xp, on_text);
    XML_SetNamespaceDeclHandler(xp, on_ns_decl, NULL);
    XML_SetXmlDeclHandler(xp, on_xml_decl);
    XML_SetStartDoctypeDeclHandler(xp, on_doctype);
    XML_SetEntityDeclHandler(xp, on_entity_decl);
    XML_SetProcessingInstructionHandler(xp, on_pi);
    XML_SetCommentHandler(xp, on_comment);
    XML_SetParamEntityParsing(xp, XML_PARAM_ENTITY_PARSING_NEVER);
#ifdef STRATA_HAVE_XML_REPARSE_DEFERRAL
    /* Expat 2.6 may hold back a complete stanza until more bytes arrive;
     * a chat client waits for our answer, so nothing more would come. */
    XML_SetReparseDeferralEnabled(xp, XML_FALSE);
#endif
}

/* Makes expat ready to take the byte at `pos`: reset (or created), and
 * back inside the stream element if the stream is open. */
static void prepare(struct strata_xml_parser *p)
{
    if (p->xp) {
        XML_ParserReset(p->xp, "UTF-8");
    } else {
        /* RFC 6120 §11.6: UTF-8 only, whatever the document claims. */
        p->xp = XML_ParserCreateNS("UTF-8", SEP);
        if (!p->xp) {
            fputs("strata: out of memory\n", stderr);
            abort();
        }
        XML_SetReturnNSTriplet(p->xp, XML_TRUE);
    }
    install(p);
    p->xp_ready = true;
    p->level = 0;
    p->ns_decls = 0;
    if (p->state != ST_OPEN) {
        p->base = p->pos;
        return;
    }
    p->base = p->pos - (int64_t)p->replay_len;
    p->replaying = true;
    p->in_parse = true;
    enum XML_Status st = XML_Parse(p->xp, p->replay, (int)p->replay_len, XML_FALSE);
    p->in_parse = false;
    p->replaying = false;
    if (st != XML_STATUS_OK || p->level != 1) {
        fail(p, STRATA_XML_BAD_FORMAT, STRATA_XML_LIMIT_NONE, "internal: stream replay failed");
    }
}

/* A new stream starts at `pos` (RFC 6120 §4.3.3). */
static void restart(struct strata_xml_parser *p)
{
    if (p->doc) {
        xml__doc_free(p->doc);
        p->doc = NULL;
        p->cur = NULL;
    }
    free_decls(p);
    free(p->replay);
    p->replay = NULL;
    p->replay_len = 0;
    p->state = ST_FRESH;
    p->level = 0;
    p->mark = p->pos;
    p->xp_ready = false;
}

static void hold(struct strata_xml_parser *p, const char *data, size_t len)
{
    if (len == 0) {
        return;
    }
    p->held = xrealloc(p->held, p->held_len + len);
    memcpy(p->held + p->held_len, data, len);
    p->held_len += len;
}

static void drop_held(struct strata_xml_parser *p)
{
    free(p->held);
    p->held = NULL;
    p->held_len = 0;
}

/* A callback stopped expat at `stop_at`, and `data` is what follows it.
 * 1: go on parsing `data`; else what feed() returns. */
static int after_stop(struct strata_xml_parser *p, const char *data, size_t len)
{
    p->stopped = false;
    p->xp_ready = false;
    enum reset_request reset = p->reset_req;
    p->reset_req = RESET_NONE;
    if (reset != RESET_NONE) {
        restart(p);
        if (reset == RESET_DROP) {
            return p->paused ? STRATA_EAGAIN : 0;
        }
    }
    if (p->paused) {
        hold(p, data, len);
        return STRATA_EAGAIN;
    }
    return 1;
}

/* Hands `data` to expat slice by slice; see the file comment. */
static int run(struct strata_xml_parser *p, const char *data, size_t len)
{
    while (len > 0) {
        if (!p->xp_ready) {
            prepare(p);
        }
        if (p->state == ST_FAILED) {
            return report(p);
        }
        size_t n = len < SLICE ? len : SLICE;
        int64_t start = p->pos;
        p->in_parse = true;
        enum XML_Status st = XML_Parse(p->xp, data, (int)n, XML_FALSE);
        p->in_parse = false;
        p->pos = start + (int64_t)n;
        if (p->free_req) {
            return STRATA_ECLOSED;
        }
        if (p->stopped) {
            /* The event that stopped ended in this slice. */
            size_t used = (size_t)(p->stop_at - start);
            p->pos = p->stop_at;
            int rc = after_stop(p, data + used, len - used);
            if (rc != 1) {
                return rc;
            }
            data += used;
            len -= used;
            continue;
        }
        if (p->state == ST_FAILED || st != XML_STATUS_OK) {
            if (p->state == ST_CLOSED) {
                return 0; /* aborted by the close; the rest is ignored */
            }
            return report(p);
        }
        data += n;
        len -= n;
        if (over_size(p, p->pos)) {
            fail_size(p);
            return report(p);
        }
    }
    return 0;
}

static int drain(struct strata_xml_parser *p)
{
    char *data = p->held;
    size_t len = p->held_len;
    p->held = NULL;
    p->held_len = 0;
    int rc = run(p, data, len);
    free(data);
    return rc;
}

/* ---- public API ------------------------------------------------------- */

static struct strata_xml_parser *parser_alloc(const char *content_ns,
                                              const struct strata_xml_limits *limits,
                                              const struct strata_xml_handlers *handlers, void *ud)
{
    struct strata_xml_parser *p = xcalloc(1, sizeof(*p));
    p->content_ns = content_ns;
    p->limits = *limits;
    p->h = handlers;
    p->ud = ud;
    p->state = ST_FRESH;
    return p;
}

struct strata_xml_parser *strata_xml_parser_new(const char *content_ns,
                                                const struct strata_xml_limits *limits,
                                                const struct strata_xml_handlers *handlers,
                                                void *ud)
{
    return parser_alloc(content_ns, limits, handlers, ud);
}

static void destroy(struct strata_xml_parser *p)
{
    if (p->xp) {
        XML_ParserFree(p->xp);
    }
    if (p->doc) {
        xml__doc_free(p->doc);
    }
    strata_stanza_unref(p->result);
    free_decls(p);
    free(p->replay);
    free(p->held);
    free(p);
}

void strata_xml_parser_free(struct strata_xml_parser *p)
{
    if (!p) {
        return;
    }
    if (p->busy) {
        p->free_req = true;
        if (p->in_parse) {
            XML_StopParser(p->xp, XML_FALSE);
        }
        return;
    }
    destroy(p);
}

void strata_xml_parser_set_limits(struct strata_xml_parser *p,
                                  const struct strata_xml_limits *limits)
{
    p->limits = *limits;
}

/* Runs an entry point's work and honours a free requested meanwhile. */
static int finish(struct strata_xml_parser *p, int rc)
{
    p->busy = false;
    if (p->free_req) {
        destroy(p);
        return STRATA_ECLOSED;
    }
    return rc;
}

static int feed_paused(struct strata_xml_parser *p, const char *data, size_t len)
{
    size_t max = p->limits.max_stanza_bytes;
    if (max && p->held_len + len > max) {
        fail(p, STRATA_XML_POLICY_VIOLATION, STRATA_XML_LIMIT_STANZA_BYTES,
             "more than %zu bytes received while paused", max);
        return report(p);
    }
    hold(p, data, len);
    return STRATA_EAGAIN;
}

int strata_xml_parser_feed(struct strata_xml_parser *p, const char *data, size_t len)
{
    if (p->busy) {
        return STRATA_EINTERNAL;
    }
    if (p->state == ST_CLOSED || p->state == ST_FAILED) {
        return STRATA_ECLOSED;
    }
    p->busy = true;
    int rc;
    if (p->paused) {
        rc = feed_paused(p, data, len);
    } else if (p->held_len) {
        hold(p, data, len);
        rc = drain(p);
    } else {
        rc = run(p, data, len);
    }
    return finish(p, rc);
}

void strata_xml_parser_pause(struct strata_xml_parser *p)
{
    p->paused = true;
    if (p->in_parse && !p->stopped) {
        p->stopped = true;
        p->stop_at = event_end(p);
        XML_StopParser(p->xp, XML_FALSE);
    }
}

int strata_xml_parser_resume(struct strata_xml_parser *p)
{
    p->paused = false;
    if (p->busy) {
        return 0; /* from a callback: parsing simply goes on */
    }
    if (p->state == ST_CLOSED || p->state == ST_FAILED) {
        return STRATA_ECLOSED;
    }
    if (!p->held_len) {
        return 0;
    }
    p->busy = true;
    return finish(p, drain(p));
}

void strata_xml_parser_reset(struct strata_xml_parser *p, bool keep_pending)
{
    if (p->in_parse) {
        p->reset_req = keep_pending ? RESET_KEEP : RESET_DROP;
        if (!p->stopped) {
            p->stopped = true;
            p->stop_at = event_end(p);
            XML_StopParser(p->xp, XML_FALSE);
        }
        return;
    }
    if (!keep_pending) {
        drop_held(p);
    }
    restart(p);
}

size_t strata_xml_parser_pending(const struct strata_xml_parser *p)
{
    return p->held_len;
}

int strata_xml_parser_trim(struct strata_xml_parser *p)
{
    bool done = p->state == ST_CLOSED || p->state == ST_FAILED;
    if (p->busy || (!done && (p->held_len || p->doc || p->pos != p->mark))) {
        return STRATA_EAGAIN;
    }
    if (p->xp) {
        XML_ParserFree(p->xp);
        p->xp = NULL;
    }
    p->xp_ready = false;
    return 0;
}

/* ---- whole documents -------------------------------------------------- */

/* strata_stanza_parse() keeps one parser per thread: creating expat costs
 * more than parsing a chat message. */
static pthread_key_t doc_key;
static pthread_once_t doc_once = PTHREAD_ONCE_INIT;

static void doc_parser_free(void *p)
{
    destroy(p);
}

static void make_doc_key(void)
{
    if (pthread_key_create(&doc_key, doc_parser_free) != 0) {
        abort();
    }
}

static struct strata_xml_parser *doc_parser(const struct strata_xml_limits *limits)
{
    static const struct strata_xml_handlers none = {0};
    pthread_once(&doc_once, make_doc_key);
    struct strata_xml_parser *p = pthread_getspecific(doc_key);
    if (!p) {
        p = parser_alloc(NULL, limits, &none, NULL);
        p->document = true;
        pthread_setspecific(doc_key, p);
        return p;
    }
    p->limits = *limits;
    p->state = ST_FRESH;
    p->pos = p->mark = 0;
    p->xp_ready = false;
    p->err = (struct strata_xml_error){0};
    return p;
}

int strata_stanza_parse(const char *data, size_t len, const struct strata_xml_limits *limits,
                        struct strata_stanza **out)
{
    struct strata_xml_limits dflt = STRATA_XML_LIMITS_DEFAULT;
    struct strata_xml_parser *p = doc_parser(limits ? limits : &dflt);
    p->busy = true;
    *out = NULL;
    int rc = run(p, data, len);
    if (rc == 0) {
        if (!p->xp_ready) {
            prepare(p); /* empty input */
        }
        p->in_parse = true;
        enum XML_Status st = XML_Parse(p->xp, "", 0, XML_TRUE);
        p->in_parse = false;
        rc = (st == XML_STATUS_OK && p->state != ST_FAILED) ? 0 : report(p);
    }
    if (rc == 0 && p->result) {
        *out = p->result;
    } else if (p->state == ST_FAILED && p->err.condition == STRATA_XML_POLICY_VIOLATION) {
        rc = STRATA_ELIMIT;
    } else {
        rc = STRATA_EINVAL;
    }
    strata_stanza_unref(rc == 0 ? NULL : p->result);
    p->result = NULL;
    if (p->doc) {
        xml__doc_free(p->doc);
        p->doc = NULL;
        p->cur = NULL;
    }
    p->busy = false;
    return rc;
}
