/*
 * The XMPP stream parser: expat, fed chunk by chunk as bytes arrive, turned
 * into stream events and stanza trees, with the restrictions of RFC 6120
 * §11 and the limits of strata_xml_limits enforced as data arrives.
 *
 * Events, in order: the stream header (RFC 6120 §4.7), each complete
 * top-level element as a stanza tree (§4.1: "first-level child elements"),
 * and the stream's close (§4.4), or one error with the stream error
 * condition to send (§4.9.3), after which the parser refuses input.
 *
 * A callback may call strata_xml_parser_pause(), _reset() or _free() on
 * its own parser: each takes effect right after the event being delivered,
 * so the bytes after a <starttls/> or an <auth/> are never read by the old
 * stream (RFC 6120 §5.4.3.3, §6.4.6).
 *
 * Memory: an idle parser is this struct plus expat's state (about 10 KiB);
 * strata_xml_parser_trim() gives expat's share back between stanzas.
 * One parser belongs to one thread at a time.
 */
#ifndef STRATA_XML_STREAM_PARSER_H
#define STRATA_XML_STREAM_PARSER_H

#include <stdbool.h>
#include <stddef.h>

#include "strata/stanza.h"

struct strata_xml_parser;

/* The stream error conditions the parser detects (RFC 6120 §4.9.3). */
enum strata_xml_condition {
    STRATA_XML_BAD_FORMAT = 1,       /* §4.9.3.1 */
    STRATA_XML_INVALID_NAMESPACE,    /* §4.9.3.10 */
    STRATA_XML_NOT_WELL_FORMED,      /* §4.9.3.13 */
    STRATA_XML_POLICY_VIOLATION,     /* §4.9.3.14: a limit was exceeded */
    STRATA_XML_RESTRICTED_XML,       /* §4.9.3.18, §11.1 */
    STRATA_XML_UNSUPPORTED_ENCODING, /* §4.9.3.22, §11.6 */
};

/* Which limit a policy-violation exceeded. */
enum strata_xml_limit {
    STRATA_XML_LIMIT_NONE,
    STRATA_XML_LIMIT_STANZA_BYTES,
    STRATA_XML_LIMIT_DEPTH,
    STRATA_XML_LIMIT_ATTRIBUTES,
    STRATA_XML_LIMIT_NAME_LENGTH,
};

struct strata_xml_error {
    enum strata_xml_condition condition;
    enum strata_xml_limit limit; /* for STRATA_XML_POLICY_VIOLATION */
    const char *text;            /* for the log: what and where (byte offset) */
};

/* A namespace declaration: `prefix` NULL for the default namespace; `uri`
 * NULL when it undeclares (xmlns=''). */
struct strata_xml_ns_decl {
    const char *prefix;
    const char *uri;
};

/* The stream header as received (or as to be sent: serialize.h). Strings are
 * valid during the callback only; absent attributes are NULL. */
struct strata_xml_stream_header {
    const char *name;       /* local name: "stream" */
    const char *ns;         /* http://etherx.jabber.org/streams */
    const char *content_ns; /* the default namespace: jabber:client ... */
    const char *to;
    const char *from;
    const char *id;
    const char *version;
    const char *lang;                       /* xml:lang */
    const struct strata_xml_ns_decl *decls; /* every xmlns declaration on it */
    size_t ndecls;
};

struct strata_xml_handlers {
    /* The stream header, once its namespaces were checked: the parser has
     * refused a stream element outside the streams namespace and a content
     * namespace other than the configured one. The rest (to, version...)
     * is the caller's to check. */
    void (*on_stream_open)(void *ud, const struct strata_xml_stream_header *hdr);
    /* A complete top-level element. Takes the reference: the callee owns
     * the stanza and unrefs it (or passes it on). */
    void (*on_stanza)(void *ud, struct strata_stanza *stanza);
    /* </stream:stream> arrived; the parser takes no more input. May be NULL. */
    void (*on_stream_close)(void *ud);
    /* The stream must be closed with this condition; the parser takes no
     * more input. `err` is valid during the callback only. */
    void (*on_error)(void *ud, const struct strata_xml_error *err);
};

/* The RFC's element name for a condition: "not-well-formed", ... */
const char *strata_xml_condition_name(enum strata_xml_condition condition);

/* A new parser waiting for a stream header. `content_ns` (jabber:client,
 * jabber:server or jabber:component:accept; NULL accepts any) is borrowed
 * for the parser's life: pass an atom. `limits` and `handlers` are copied
 * and borrowed respectively; `handlers` must outlive the parser. */
struct strata_xml_parser *strata_xml_parser_new(const char *content_ns,
                                                const struct strata_xml_limits *limits,
                                                const struct strata_xml_handlers *handlers,
                                                void *ud);

/* Frees the parser and any stanza half built. From inside one of its own
 * callbacks the free is deferred until the running feed returns (it then
 * returns STRATA_ECLOSED and the parser is gone). NULL is ignored. */
void strata_xml_parser_free(struct strata_xml_parser *p);

/* Replaces the limits, e.g. raising the stanza size after authentication.
 * They apply from the next byte, also to a stanza under way. */
void strata_xml_parser_set_limits(struct strata_xml_parser *p,
                                  const struct strata_xml_limits *limits);

/* Parses `len` bytes (borrowed; nothing is kept after the call except what
 * a pause holds back) and delivers the events they complete.
 * 0: all consumed. STRATA_EAGAIN: the parser is paused; the bytes after
 * the pause point are held and parsed by strata_xml_parser_resume().
 * STRATA_EINVAL: a stream error was reported through on_error just now.
 * STRATA_ECLOSED: the stream was closed or had failed before this call
 * (or the parser was freed by a callback), nothing was read.
 * STRATA_ELIMIT: input fed while paused would hold back more than
 * max_stanza_bytes (reported through on_error as policy-violation too).
 * STRATA_EINTERNAL: called from inside one of the parser's callbacks. */
int strata_xml_parser_feed(struct strata_xml_parser *p, const char *data, size_t len);

/* Stops delivering events after the current one (from a callback) or
 * before the next (elsewhere). Input keeps being accepted and is held. */
void strata_xml_parser_pause(struct strata_xml_parser *p);

/* Unpauses and parses the input held back, as feed() would (same return
 * values; 0 when nothing was held). */
int strata_xml_parser_resume(struct strata_xml_parser *p);

/* Starts a new stream on the same connection (RFC 6120 §4.3.3: after TLS
 * and SASL negotiation): the next bytes must be a new stream header. Any
 * stanza half built is dropped. Input held back (or, from a callback, the
 * rest of the input being fed) is kept for the new stream when
 * `keep_pending`, dropped otherwise: after <starttls/> nothing the peer
 * sent in clear may be used (RFC 6120 §5.4.3.3), while a client may send
 * its new header right behind its SASL response. From a callback, with
 * `keep_pending`, parsing goes on in the new stream within the same feed;
 * elsewhere held input waits for resume() or the next feed(). The paused
 * state is kept. */
void strata_xml_parser_reset(struct strata_xml_parser *p, bool keep_pending);

/* Bytes received and held back, not parsed yet. */
size_t strata_xml_parser_pending(const struct strata_xml_parser *p);

/* Frees expat's memory while the parser sits between stanzas with nothing
 * buffered; the next feed rebuilds it (a few microseconds). For idle
 * sessions. 0, or STRATA_EAGAIN when not between stanzas. */
int strata_xml_parser_trim(struct strata_xml_parser *p);

#endif
