/*
 * The stream parser: stream header, stanzas, close; every refusal of
 * RFC 6120 §11.1 (restricted XML) and of XML well-formedness; each limit,
 * also with input fed one byte at a time; pause, reset and trim.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "strata/stanza.h"
#include "util/strbuf.h"
#include "xml/stream_parser.h"

#define HEADER                                                                                     \
    "<?xml version='1.0'?>"                                                                        \
    "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'"         \
    " to='example.com' from='juliet@example.com' version='1.0' xml:lang='en' id='s1'>"

#define MAX_STANZAS 16

enum action {
    ACT_NONE,
    ACT_PAUSE,
    ACT_RESET_KEEP,
    ACT_RESET_DROP,
    ACT_FREE,
};

/* What the callbacks saw, and what they do when a given stanza arrives. */
struct events {
    struct strata_xml_parser *p;
    int opens;
    int closes;
    int errors;
    int nstanzas;
    struct strata_stanza *stanzas[MAX_STANZAS];
    char to[64], from[64], version[16], lang[16], id[16], content_ns[64];
    size_t ndecls;
    enum strata_xml_condition condition;
    enum strata_xml_limit limit;
    char text[256];
    int act_on; /* stanza number (1-based) that triggers `act` */
    enum action act;
};

static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "(null)");
}

static void on_open(void *ud, const struct strata_xml_stream_header *h)
{
    struct events *ev = ud;
    ev->opens++;
    copy_str(ev->to, sizeof(ev->to), h->to);
    copy_str(ev->from, sizeof(ev->from), h->from);
    copy_str(ev->version, sizeof(ev->version), h->version);
    copy_str(ev->lang, sizeof(ev->lang), h->lang);
    copy_str(ev->id, sizeof(ev->id), h->id);
    copy_str(ev->content_ns, sizeof(ev->content_ns), h->content_ns);
    ev->ndecls = h->ndecls;
}

static void on_stanza(void *ud, struct strata_stanza *st)
{
    struct events *ev = ud;
    assert_true(ev->nstanzas < MAX_STANZAS);
    ev->stanzas[ev->nstanzas++] = st;
    if (ev->nstanzas != ev->act_on) {
        return;
    }
    switch (ev->act) {
    case ACT_PAUSE:
        strata_xml_parser_pause(ev->p);
        break;
    case ACT_RESET_KEEP:
        strata_xml_parser_reset(ev->p, true);
        break;
    case ACT_RESET_DROP:
        strata_xml_parser_reset(ev->p, false);
        break;
    case ACT_FREE:
        strata_xml_parser_free(ev->p);
        ev->p = NULL;
        break;
    case ACT_NONE:
        break;
    }
}

static void on_close(void *ud)
{
    ((struct events *)ud)->closes++;
}

static void on_error(void *ud, const struct strata_xml_error *err)
{
    struct events *ev = ud;
    ev->errors++;
    ev->condition = err->condition;
    ev->limit = err->limit;
    copy_str(ev->text, sizeof(ev->text), err->text);
}

static const struct strata_xml_handlers handlers = {
    .on_stream_open = on_open,
    .on_stanza = on_stanza,
    .on_stream_close = on_close,
    .on_error = on_error,
};

static struct events *events_new(const struct strata_xml_limits *limits)
{
    struct events *ev = calloc(1, sizeof(*ev));
    struct strata_xml_limits dflt = STRATA_XML_LIMITS_DEFAULT;
    ev->p = strata_xml_parser_new(strata_atoms.ns_client, limits ? limits : &dflt, &handlers, ev);
    return ev;
}

static void events_free(struct events *ev)
{
    for (int i = 0; i < ev->nstanzas; i++) {
        strata_stanza_unref(ev->stanzas[i]);
    }
    strata_xml_parser_free(ev->p);
    free(ev);
}

static int feed(struct events *ev, const char *s)
{
    return strata_xml_parser_feed(ev->p, s, strlen(s));
}

/* Feeds one byte at a time; returns the first nonzero result, or 0. */
static int feed_bytes(struct events *ev, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        int rc = strata_xml_parser_feed(ev->p, s + i, 1);
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/* Parses HEADER then `body` and expects one error with `condition`. */
static void expect_error(const char *body, enum strata_xml_condition condition)
{
    struct events *ev = events_new(NULL);
    int rc = feed(ev, HEADER);
    if (rc == 0) {
        rc = feed(ev, body);
    }
    assert_int_equal(rc, STRATA_EINVAL);
    assert_int_equal(ev->errors, 1);
    assert_int_equal(ev->condition, condition);
    events_free(ev);
}

/* ---- stream header and close ------------------------------------------ */

static void test_header(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER), 0);
    assert_int_equal(ev->opens, 1);
    assert_string_equal(ev->to, "example.com");
    assert_string_equal(ev->from, "juliet@example.com");
    assert_string_equal(ev->version, "1.0");
    assert_string_equal(ev->lang, "en");
    assert_string_equal(ev->id, "s1");
    assert_string_equal(ev->content_ns, "jabber:client");
    assert_int_equal(ev->ndecls, 2);
    assert_int_equal(ev->errors, 0);
    events_free(ev);
}

static void test_header_minimal(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, "<stream:stream xmlns='jabber:client' "
                              "xmlns:stream='http://etherx.jabber.org/streams'>"),
                     0);
    assert_int_equal(ev->opens, 1);
    assert_string_equal(ev->to, "(null)");
    assert_string_equal(ev->version, "(null)");
    events_free(ev);
}

static void test_header_wrong_stream_ns(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, "<stream:stream xmlns='jabber:client' xmlns:stream='urn:wrong'>"),
                     STRATA_EINVAL);
    assert_int_equal(ev->condition, STRATA_XML_INVALID_NAMESPACE);
    assert_int_equal(ev->opens, 0);
    events_free(ev);
}

static void test_header_wrong_content_ns(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, "<stream:stream xmlns='jabber:server' "
                              "xmlns:stream='http://etherx.jabber.org/streams'>"),
                     STRATA_EINVAL);
    assert_int_equal(ev->condition, STRATA_XML_INVALID_NAMESPACE);
    events_free(ev);

    ev = events_new(NULL);
    assert_int_equal(feed(ev, "<stream:stream xmlns:stream='http://etherx.jabber.org/streams'>"),
                     STRATA_EINVAL);
    assert_int_equal(ev->condition, STRATA_XML_INVALID_NAMESPACE);
    events_free(ev);
}

static void test_header_any_content_ns(void **state)
{
    struct events ev = {0};
    struct strata_xml_limits limits = STRATA_XML_LIMITS_DEFAULT;
    ev.p = strata_xml_parser_new(NULL, &limits, &handlers, &ev);
    const char *hdr = "<stream:stream xmlns='jabber:component:accept' "
                      "xmlns:stream='http://etherx.jabber.org/streams'>";
    assert_int_equal(strata_xml_parser_feed(ev.p, hdr, strlen(hdr)), 0);
    assert_int_equal(ev.opens, 1);
    assert_string_equal(ev.content_ns, "jabber:component:accept");
    strata_xml_parser_free(ev.p);
}

static void test_header_wrong_name(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, "<stream:flow xmlns='jabber:client' "
                              "xmlns:stream='http://etherx.jabber.org/streams'>"),
                     STRATA_EINVAL);
    assert_int_equal(ev->condition, STRATA_XML_BAD_FORMAT);
    events_free(ev);
}

static void test_header_other_prefix(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, "<s:stream xmlns='jabber:client' "
                              "xmlns:s='http://etherx.jabber.org/streams'><message/>"),
                     0);
    /* The replayed start tag after a trim must keep the prefix, or the
     * end tag would not match. */
    assert_int_equal(strata_xml_parser_trim(ev->p), 0);
    assert_int_equal(feed(ev, "<presence/></s:stream>"), 0);
    assert_int_equal(ev->nstanzas, 2);
    assert_int_equal(ev->closes, 1);
    events_free(ev);
}

static void test_prefix_after_restart(void **state)
{
    /* The restarted stream is read by a reset expat; it must still see
     * prefixes, or the next trim would replay the wrong start tag. */
    const char *hdr = "<s:stream xmlns='jabber:client' xmlns:s='http://etherx.jabber.org/streams'>";
    struct events *ev = events_new(NULL);
    ev->act_on = 1;
    ev->act = ACT_RESET_KEEP;
    assert_int_equal(feed(ev, hdr), 0);
    assert_int_equal(feed(ev, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"), 0);
    assert_int_equal(feed(ev, hdr), 0);
    assert_int_equal(ev->opens, 2);
    assert_int_equal(strata_xml_parser_trim(ev->p), 0);
    assert_int_equal(feed(ev, "<presence/></s:stream>"), 0);
    assert_int_equal(ev->nstanzas, 2);
    assert_int_equal(ev->closes, 1);
    assert_int_equal(ev->errors, 0);
    events_free(ev);
}

static void test_stream_close(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER "<message/> \n</stream:stream>"), 0);
    assert_int_equal(ev->nstanzas, 1);
    assert_int_equal(ev->closes, 1);
    assert_int_equal(feed(ev, "<message/>"), STRATA_ECLOSED);
    assert_int_equal(ev->nstanzas, 1);
    assert_int_equal(ev->errors, 0);
    events_free(ev);
}

/* ---- stanzas ---------------------------------------------------------- */

static void test_stanza(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER "<message to='romeo@example.net' type='chat' id='m1'>"
                                     "<body>Wherefore art thou?</body>"
                                     "<active xmlns='http://jabber.org/protocol/chatstates'/>"
                                     "</message>"),
                     0);
    assert_int_equal(ev->nstanzas, 1);
    struct strata_stanza *m = ev->stanzas[0];
    /* Pre-interned names come out as atoms: pointer comparisons. */
    assert_ptr_equal(strata_stanza_name(m), strata_atoms.message);
    assert_ptr_equal(strata_stanza_ns(m), strata_atoms.ns_client);
    assert_string_equal(strata_stanza_attr(m, "to"), "romeo@example.net");
    assert_string_equal(strata_stanza_attr(m, strata_atoms.type), "chat");
    assert_null(strata_stanza_attr(m, "from"));
    assert_string_equal(strata_stanza_child_text(m, "body", NULL), "Wherefore art thou?");
    struct strata_stanza *active = strata_stanza_child(m, NULL, strata_atoms.ns_chatstates);
    assert_non_null(active);
    assert_ptr_equal(strata_stanza_name(active), strata_atoms.active);
    events_free(ev);
}

static void test_namespaces_on_children(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER "<iq type='result' id='r1'>"
                                     "<query xmlns='jabber:iq:roster' ver='7'>"
                                     "<item jid='a@b' xml:lang='fr'><group>G</group></item>"
                                     "<x:ext xmlns:x='urn:example:x' x:flag='1'><x:in/><plain/>"
                                     "</x:ext></query></iq>"),
                     0);
    assert_int_equal(ev->nstanzas, 1);
    struct strata_stanza *iq = ev->stanzas[0];
    struct strata_stanza *q = strata_stanza_child(iq, "query", strata_atoms.ns_roster);
    assert_non_null(q);
    assert_null(strata_stanza_child(iq, "query", NULL)); /* not jabber:client */
    struct strata_stanza *item = strata_stanza_child(q, "item", NULL);
    assert_non_null(item);
    assert_ptr_equal(strata_stanza_ns(item), strata_atoms.ns_roster);
    assert_string_equal(strata_stanza_attr_ns(item, strata_atoms.ns_xml, "lang"), "fr");
    assert_null(strata_stanza_attr(item, "lang"));
    assert_string_equal(strata_stanza_child_text(item, "group", NULL), "G");
    struct strata_stanza *ext = strata_stanza_child(q, "ext", "urn:example:x");
    assert_non_null(ext);
    assert_string_equal(strata_stanza_attr_ns(ext, "urn:example:x", "flag"), "1");
    assert_non_null(strata_stanza_child(ext, "in", NULL));
    /* An unprefixed child of a prefixed element is in the default namespace. */
    struct strata_stanza *plain = strata_stanza_child(ext, "plain", strata_atoms.ns_roster);
    assert_non_null(plain);
    events_free(ev);
}

static void test_unknown_names_not_interned(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER "<zzq-unknown xmlns='urn:zzq:unknown'/>"), 0);
    assert_int_equal(ev->nstanzas, 1);
    assert_string_equal(strata_stanza_name(ev->stanzas[0]), "zzq-unknown");
    assert_null(strata_atom_find("zzq-unknown", 11));
    assert_null(strata_atom_find("urn:zzq:unknown", 15));
    assert_true(strata_stanza_is(ev->stanzas[0], "zzq-unknown", "urn:zzq:unknown"));
    events_free(ev);
}

static void test_whitespace_keepalive(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER " \n\t "), 0);
    assert_int_equal(feed(ev, "<presence/>\r\n  "), 0);
    assert_int_equal(feed(ev, " "), 0);
    assert_int_equal(ev->nstanzas, 1);
    assert_int_equal(ev->errors, 0);
    events_free(ev);
}

static void test_text_between_stanzas(void **state)
{
    expect_error("<presence/>hello", STRATA_XML_BAD_FORMAT);
}

static const char *const chat_stream =
    HEADER "<message to='a@b/c' id='1'><body>one &amp; two</body></message>"
           "<presence><show>away</show><status>&lt;brb&gt;</status></presence>"
           "<iq type='get' id='p'><ping xmlns='urn:xmpp:ping'/></iq>"
           "<message><body><![CDATA[<raw> & stuff]]></body></message>"
           "</stream:stream>";

static void test_bytewise(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed_bytes(ev, chat_stream, strlen(chat_stream)), 0);
    assert_int_equal(ev->opens, 1);
    assert_int_equal(ev->nstanzas, 4);
    assert_int_equal(ev->closes, 1);
    assert_string_equal(strata_stanza_child_text(ev->stanzas[0], "body", NULL), "one & two");
    assert_string_equal(strata_stanza_child_text(ev->stanzas[1], "status", NULL), "<brb>");
    assert_string_equal(strata_stanza_child_text(ev->stanzas[3], "body", NULL), "<raw> & stuff");
    events_free(ev);
}

/* Keeps only a count, for streams with more stanzas than MAX_STANZAS. */
static void count_stanza(void *ud, struct strata_stanza *st)
{
    (*(int *)ud)++;
    strata_stanza_unref(st);
}

static void ignore_open(void *ud, const struct strata_xml_stream_header *h)
{
}

static void test_many_stanzas_counted(void **state)
{
    static const struct strata_xml_handlers counting = {
        .on_stream_open = ignore_open,
        .on_stanza = count_stanza,
    };
    int n = 0;
    struct strata_xml_limits limits = STRATA_XML_LIMITS_PREAUTH;
    struct strata_xml_parser *p =
        strata_xml_parser_new(strata_atoms.ns_client, &limits, &counting, &n);
    assert_int_equal(strata_xml_parser_feed(p, HEADER, strlen(HEADER)), 0);
    for (int i = 0; i < 500; i++) {
        const char *m = "<message><body>x</body></message>";
        assert_int_equal(strata_xml_parser_feed(p, m, strlen(m)), 0);
    }
    assert_int_equal(n, 500);
    strata_xml_parser_free(p);
}

static void test_big_chunks(void **state)
{
    /* Many stanzas in 64 KiB chunks, far bigger than the parser's slices
     * and than the stanza limit: each stanza is small, so all is well. */
    static const struct strata_xml_handlers counting = {
        .on_stream_open = ignore_open,
        .on_stanza = count_stanza,
    };
    int seen = 0;
    struct strata_xml_limits limits = STRATA_XML_LIMITS_PREAUTH;
    struct strata_xml_parser *p =
        strata_xml_parser_new(strata_atoms.ns_client, &limits, &counting, &seen);
    struct strbuf b = STRBUF_INIT;
    strbuf_adds(&b, HEADER);
    for (int i = 0; i < 5000; i++) {
        strbuf_addf(&b, "<message id='%d'><body>hello %d</body></message>", i, i);
    }
    int rc = 0;
    for (size_t off = 0; off < b.len && rc == 0; off += 65536) {
        size_t n = b.len - off < 65536 ? b.len - off : 65536;
        rc = strata_xml_parser_feed(p, b.ptr + off, n);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(seen, 5000);
    strbuf_release(&b);
    strata_xml_parser_free(p);
}

/* ---- restricted XML (RFC 6120 §11.1) ---------------------------------- */

static void expect_refused_before_header(const char *doc, enum strata_xml_condition c)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, doc), STRATA_EINVAL);
    assert_int_equal(ev->errors, 1);
    assert_int_equal(ev->condition, c);
    assert_int_equal(ev->opens, 0);
    events_free(ev);
}

static void test_doctype_internal_subset(void **state)
{
    expect_refused_before_header("<?xml version='1.0'?><!DOCTYPE stream:stream [<!ELEMENT x ANY>]>"
                                 "<stream:stream/>",
                                 STRATA_XML_RESTRICTED_XML);
}

static void test_doctype_external(void **state)
{
    expect_refused_before_header("<!DOCTYPE stream SYSTEM 'http://example.com/evil.dtd'>",
                                 STRATA_XML_RESTRICTED_XML);
    expect_refused_before_header("<!DOCTYPE stream PUBLIC '-//X//EN' 'x.dtd'>",
                                 STRATA_XML_RESTRICTED_XML);
}

static void test_entity_declaration(void **state)
{
    /* Billion laughs: refused at <!DOCTYPE, before any entity exists. */
    struct strbuf b = STRBUF_INIT;
    strbuf_adds(&b, "<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol 'lol'>");
    for (int i = 1; i < 10; i++) {
        strbuf_addf(&b, "<!ENTITY lol%d '", i);
        for (int j = 0; j < 10; j++) {
            strbuf_addf(&b, i == 1 ? "&lol;" : "&lol%d;", i - 1);
        }
        strbuf_adds(&b, "'>");
    }
    strbuf_adds(&b, "]><stream:stream xmlns='jabber:client' "
                    "xmlns:stream='http://etherx.jabber.org/streams'><message><body>&lol9;"
                    "</body></message>");
    expect_refused_before_header(b.ptr, STRATA_XML_RESTRICTED_XML);
    strbuf_release(&b);
}

static void test_doctype_bytewise(void **state)
{
    const char *doc = "<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>";
    struct events *ev = events_new(NULL);
    assert_int_equal(feed_bytes(ev, doc, strlen(doc)), STRATA_EINVAL);
    assert_int_equal(ev->condition, STRATA_XML_RESTRICTED_XML);
    assert_int_equal(ev->errors, 1);
    events_free(ev);
}

static void test_processing_instruction(void **state)
{
    expect_error("<?evil data?>", STRATA_XML_RESTRICTED_XML);
    expect_error("<message><?evil data?></message>", STRATA_XML_RESTRICTED_XML);
    expect_refused_before_header("<?xml-stylesheet href='x'?>", STRATA_XML_RESTRICTED_XML);
}

static void test_comment(void **state)
{
    expect_error("<!-- hello -->", STRATA_XML_RESTRICTED_XML);
    expect_error("<message><body>a<!-- b -->c</body></message>", STRATA_XML_RESTRICTED_XML);
    expect_refused_before_header("<!-- first -->" HEADER, STRATA_XML_RESTRICTED_XML);
}

static void test_undefined_entity(void **state)
{
    expect_error("<message><body>&nbsp;</body></message>", STRATA_XML_RESTRICTED_XML);
    expect_error("<message to='&foo;'/>", STRATA_XML_RESTRICTED_XML);
}

static void test_predefined_entities(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER "<message id='&lt;&gt;&amp;&quot;&apos;'>"
                                     "<body>&lt;&gt;&amp;&quot;&apos;</body></message>"),
                     0);
    assert_int_equal(ev->nstanzas, 1);
    assert_string_equal(strata_stanza_attr(ev->stanzas[0], "id"), "<>&\"'");
    assert_string_equal(strata_stanza_child_text(ev->stanzas[0], "body", NULL), "<>&\"'");
    events_free(ev);
}

static void test_character_references(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER "<message id='&#65;&#x42;'><body>&#67;&#x1F600;&#xE9;"
                                     "</body></message>"),
                     0);
    assert_int_equal(ev->nstanzas, 1);
    assert_string_equal(strata_stanza_attr(ev->stanzas[0], "id"), "AB");
    assert_string_equal(strata_stanza_child_text(ev->stanzas[0], "body", NULL),
                        "C\xF0\x9F\x98\x80\xC3\xA9");
    events_free(ev);
    expect_error("<message><body>&#0;</body></message>", STRATA_XML_NOT_WELL_FORMED);
    expect_error("<message><body>&#xD800;</body></message>", STRATA_XML_NOT_WELL_FORMED);
}

static void test_xml_declaration(void **state)
{
    expect_refused_before_header("<?xml version='1.0' encoding='ISO-8859-1'?>" HEADER,
                                 STRATA_XML_UNSUPPORTED_ENCODING);
    expect_error("<?xml version='1.0'?>", STRATA_XML_NOT_WELL_FORMED);
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, "<?xml version='1.0' encoding='utf-8'?><stream:stream "
                              "xmlns='jabber:client' "
                              "xmlns:stream='http://etherx.jabber.org/streams'>"),
                     0);
    assert_int_equal(ev->opens, 1);
    events_free(ev);
}

/* ---- not well-formed -------------------------------------------------- */

static void test_mismatched_tags(void **state)
{
    expect_error("<message><body>x</message></body>", STRATA_XML_NOT_WELL_FORMED);
    expect_error("</message>", STRATA_XML_NOT_WELL_FORMED);
    expect_error("<message <body/>", STRATA_XML_NOT_WELL_FORMED);
}

static void test_bad_utf8(void **state)
{
    expect_error("<message><body>\xC3\x28</body></message>", STRATA_XML_NOT_WELL_FORMED);
    expect_error("<message><body>\xC0\xAF</body></message>", STRATA_XML_NOT_WELL_FORMED);
    expect_error("<message><body>\xED\xA0\x80</body></message>", STRATA_XML_NOT_WELL_FORMED);
    expect_error("<message><body>\xF8\x88\x80\x80\x80</body></message>",
                 STRATA_XML_NOT_WELL_FORMED);
    expect_error("<message id='\xFF'/>", STRATA_XML_NOT_WELL_FORMED);
    expect_error("<message><body>\x01</body></message>", STRATA_XML_NOT_WELL_FORMED);
}

static void test_unbound_prefix(void **state)
{
    expect_error("<foo:message/>", STRATA_XML_NOT_WELL_FORMED);
    expect_error("<message foo:id='1'/>", STRATA_XML_NOT_WELL_FORMED);
}

static void test_duplicate_attributes(void **state)
{
    expect_error("<message to='a' to='b'/>", STRATA_XML_NOT_WELL_FORMED);
    expect_error("<message xmlns:a='urn:u' xmlns:b='urn:u' a:x='1' b:x='2'/>",
                 STRATA_XML_NOT_WELL_FORMED);
}

static void test_feed_after_error(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER "<message></iq>"), STRATA_EINVAL);
    assert_int_equal(ev->errors, 1);
    assert_int_equal(feed(ev, "<message/>"), STRATA_ECLOSED);
    assert_int_equal(feed(ev, HEADER), STRATA_ECLOSED);
    assert_int_equal(ev->errors, 1);
    assert_int_equal(ev->nstanzas, 0);
    events_free(ev);
}

/* ---- limits ----------------------------------------------------------- */

/* A message of exactly `size` bytes. */
static char *message_of(size_t size)
{
    const char *head = "<message><body>";
    const char *tail = "</body></message>";
    size_t fixed = strlen(head) + strlen(tail);
    assert_true(size >= fixed);
    char *s = malloc(size + 1);
    strcpy(s, head);
    memset(s + strlen(head), 'x', size - fixed);
    strcpy(s + size - strlen(tail), tail);
    assert_int_equal(strlen(s), size);
    return s;
}

static void test_stanza_bytes(void **state)
{
    struct strata_xml_limits limits = STRATA_XML_LIMITS_PREAUTH;
    struct events *ev = events_new(&limits);
    assert_int_equal(feed(ev, HEADER), 0);
    char *exact = message_of(10240);
    char *over = message_of(10241);
    assert_int_equal(feed(ev, exact), 0);
    assert_int_equal(ev->nstanzas, 1);
    /* After authentication the limit rises (RFC 6120 §13.12). */
    limits = STRATA_XML_LIMITS_DEFAULT;
    strata_xml_parser_set_limits(ev->p, &limits);
    assert_int_equal(feed(ev, over), 0);
    assert_int_equal(ev->nstanzas, 2);
    char *big = message_of(256 * 1024);
    char *bigger = message_of(256 * 1024 + 1);
    assert_int_equal(feed(ev, big), 0);
    assert_int_equal(ev->nstanzas, 3);
    assert_int_equal(feed(ev, bigger), STRATA_EINVAL);
    assert_int_equal(ev->condition, STRATA_XML_POLICY_VIOLATION);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_STANZA_BYTES);
    assert_int_equal(ev->nstanzas, 3);
    events_free(ev);

    ev = events_new(&STRATA_XML_LIMITS_PREAUTH);
    assert_int_equal(feed(ev, HEADER), 0);
    assert_int_equal(feed(ev, over), STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_STANZA_BYTES);
    events_free(ev);
    free(exact);
    free(over);
    free(big);
    free(bigger);
}

/* The limit holds while bytes trickle in: the byte that makes the stanza
 * one too long is refused, long before any end tag. */
static void test_stanza_bytes_bytewise(void **state)
{
    struct strata_xml_limits limits = STRATA_XML_LIMITS_PREAUTH;
    limits.max_stanza_bytes = 1000;
    struct events *ev = events_new(&limits);
    assert_int_equal(feed(ev, HEADER "  "), 0);
    char *exact = message_of(1000);
    assert_int_equal(feed_bytes(ev, exact, 1000), 0);
    assert_int_equal(ev->nstanzas, 1);
    free(exact);
    /* An attribute value that never ends. */
    const char *start = "<message id='";
    assert_int_equal(feed_bytes(ev, start, strlen(start)), 0);
    size_t fed = strlen(start);
    int rc = 0;
    while (rc == 0 && fed < 100000) {
        rc = strata_xml_parser_feed(ev->p, "a", 1);
        fed++;
    }
    assert_int_equal(rc, STRATA_EINVAL);
    assert_int_equal(fed, 1001);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_STANZA_BYTES);
    events_free(ev);
}

/* Refused early in big chunks too: well before the 1 MiB stanza is in. */
static void test_stanza_bytes_early(void **state)
{
    struct events *ev = events_new(&STRATA_XML_LIMITS_PREAUTH);
    assert_int_equal(feed(ev, HEADER "<message><body>"), 0);
    char chunk[4096];
    memset(chunk, 'y', sizeof(chunk));
    size_t fed = 0;
    int rc = 0;
    while (rc == 0 && fed < 1024 * 1024) {
        rc = strata_xml_parser_feed(ev->p, chunk, sizeof(chunk));
        fed += sizeof(chunk);
    }
    assert_int_equal(rc, STRATA_EINVAL);
    assert_true(fed <= 12 * 1024);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_STANZA_BYTES);
    events_free(ev);
}

static void test_header_bytes(void **state)
{
    /* The stream header itself is bounded by the same limit. */
    struct strata_xml_limits limits = STRATA_XML_LIMITS_PREAUTH;
    limits.max_stanza_bytes = 200;
    struct events *ev = events_new(&limits);
    char pad[300];
    memset(pad, 'z', sizeof(pad) - 1);
    pad[sizeof(pad) - 1] = '\0';
    assert_int_equal(feed(ev, "<stream:stream to='"), 0);
    assert_int_equal(feed(ev, pad), STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_STANZA_BYTES);
    events_free(ev);
}

static void test_depth(void **state)
{
    struct strata_xml_limits limits = STRATA_XML_LIMITS_DEFAULT;
    limits.max_depth = 4;
    struct events *ev = events_new(&limits);
    assert_int_equal(feed(ev, HEADER "<message><a><b><c/></b></a></message>"), 0);
    assert_int_equal(ev->nstanzas, 1);
    assert_int_equal(feed(ev, "<message><a><b><c><d/></c></b></a></message>"), STRATA_EINVAL);
    assert_int_equal(ev->condition, STRATA_XML_POLICY_VIOLATION);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_DEPTH);
    events_free(ev);
}

/* A parser past the stream header with `limits` in force (the header
 * itself has more attributes and longer names than the tests allow). */
static struct events *open_with(const struct strata_xml_limits *limits)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(feed(ev, HEADER), 0);
    strata_xml_parser_set_limits(ev->p, limits);
    return ev;
}

static void test_attributes(void **state)
{
    struct strata_xml_limits limits = STRATA_XML_LIMITS_DEFAULT;
    limits.max_attributes = 3;
    struct events *ev = open_with(&limits);
    assert_int_equal(feed(ev, "<message a='1' b='2' c='3'/>"
                              "<message xmlns:x='urn:x' b='2' x:c='3'/>"),
                     0);
    assert_int_equal(ev->nstanzas, 2);
    assert_int_equal(feed(ev, "<message a='1' b='2' c='3' d='4'/>"), STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_ATTRIBUTES);
    events_free(ev);

    /* Namespace declarations count as attributes. */
    ev = open_with(&limits);
    assert_int_equal(feed(ev, "<message xmlns:a='urn:a' xmlns:b='urn:b' "
                              "xmlns:c='urn:c' xmlns:d='urn:d'/>"),
                     STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_ATTRIBUTES);
    events_free(ev);

    /* And the stream header has to keep to the limit too. */
    ev = events_new(&limits);
    assert_int_equal(feed(ev, HEADER), STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_ATTRIBUTES);
    events_free(ev);
}

static void test_name_length(void **state)
{
    struct strata_xml_limits limits = STRATA_XML_LIMITS_DEFAULT;
    limits.max_name_length = 16;
    struct events *ev = open_with(&limits);
    assert_int_equal(feed(ev, "<abcdefghijklmnop/><m abcdefghijklmnop='1'/>"), 0);
    assert_int_equal(ev->nstanzas, 2);
    assert_int_equal(feed(ev, "<abcdefghijklmnopq/>"), STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_NAME_LENGTH);
    events_free(ev);

    ev = open_with(&limits);
    assert_int_equal(feed(ev, "<m abcdefghijklmnopq='1'/>"), STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_NAME_LENGTH);
    events_free(ev);

    ev = open_with(&limits);
    assert_int_equal(feed(ev, "<m xmlns='urn:example:toolong'/>"), STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_NAME_LENGTH);
    events_free(ev);

    ev = open_with(&limits);
    assert_int_equal(feed(ev, "<m xmlns:p='urn:example:toolong'><p:x/></m>"), STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_NAME_LENGTH);
    events_free(ev);
}

static void test_limits_bytewise(void **state)
{
    struct strata_xml_limits limits = STRATA_XML_LIMITS_DEFAULT;
    limits.max_depth = 2;
    struct events *ev = events_new(&limits);
    const char *s = HEADER "<message><body/></message><message><a><b/></a></message>";
    assert_int_equal(feed_bytes(ev, s, strlen(s)), STRATA_EINVAL);
    assert_int_equal(ev->nstanzas, 1);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_DEPTH);
    events_free(ev);
}

/* ---- restarts, pauses, trims ------------------------------------------ */

static void test_starttls_restart(void **state)
{
    struct events *ev = events_new(NULL);
    ev->act_on = 1;
    ev->act = ACT_PAUSE;
    /* Plaintext injected behind <starttls/> must never be parsed. */
    assert_int_equal(feed(ev, HEADER "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                                     "<message><body>injected</body></message>"),
                     STRATA_EAGAIN);
    assert_int_equal(ev->nstanzas, 1);
    assert_true(strata_stanza_is(ev->stanzas[0], "starttls", strata_atoms.ns_tls));
    assert_true(strata_xml_parser_pending(ev->p) > 0);
    strata_xml_parser_reset(ev->p, false);
    assert_int_equal(strata_xml_parser_pending(ev->p), 0);
    assert_int_equal(strata_xml_parser_resume(ev->p), 0);
    /* Over TLS, a new stream (RFC 6120 §5.4.3.3). */
    assert_int_equal(feed(ev, HEADER "<message><body>secure</body></message>"), 0);
    assert_int_equal(ev->opens, 2);
    assert_int_equal(ev->nstanzas, 2);
    assert_string_equal(strata_stanza_child_text(ev->stanzas[1], "body", NULL), "secure");
    events_free(ev);
}

static void test_sasl_restart_pipelined(void **state)
{
    /* The client sends its new header right behind <auth/>; the callback
     * restarts the stream at once, and parsing goes on in the new one. */
    struct events *ev = events_new(NULL);
    ev->act_on = 1;
    ev->act = ACT_RESET_KEEP;
    assert_int_equal(feed(ev, HEADER "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' "
                                     "mechanism='PLAIN'>AGp1bGlldABy</auth>" HEADER
                                     "<iq type='set' id='b'/>"),
                     0);
    assert_int_equal(ev->opens, 2);
    assert_int_equal(ev->nstanzas, 2);
    assert_true(strata_stanza_is(ev->stanzas[1], "iq", strata_atoms.ns_client));
    events_free(ev);
}

static void test_sasl_restart_async(void **state)
{
    /* <auth/> is checked off the loop: the parser pauses, holds what
     * follows, and after <success/> restarts and resumes. */
    struct events *ev = events_new(NULL);
    ev->act_on = 1;
    ev->act = ACT_PAUSE;
    assert_int_equal(feed(ev, HEADER "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>"
                                     "<stream:stream xmlns='jabber:client' "),
                     STRATA_EAGAIN);
    assert_int_equal(feed(ev, "xmlns:stream='http://etherx.jabber.org/streams'>"), STRATA_EAGAIN);
    assert_int_equal(ev->opens, 1);
    strata_xml_parser_reset(ev->p, true);
    assert_int_equal(strata_xml_parser_resume(ev->p), 0);
    assert_int_equal(ev->opens, 2);
    assert_int_equal(feed(ev, "<presence/>"), 0);
    assert_int_equal(ev->nstanzas, 2);
    events_free(ev);
}

static void test_reset_drop_in_callback(void **state)
{
    struct events *ev = events_new(NULL);
    ev->act_on = 1;
    ev->act = ACT_RESET_DROP;
    assert_int_equal(feed(ev, HEADER "<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>"
                                     "<junk/>"),
                     0);
    assert_int_equal(ev->nstanzas, 1);
    assert_int_equal(feed(ev, HEADER "<presence/>"), 0);
    assert_int_equal(ev->opens, 2);
    assert_int_equal(ev->nstanzas, 2);
    events_free(ev);
}

static void test_pause_resume(void **state)
{
    struct events *ev = events_new(NULL);
    ev->act_on = 1;
    ev->act = ACT_PAUSE;
    assert_int_equal(feed(ev, HEADER "<message id='1'/><message id='2'/><message id='3'/>"),
                     STRATA_EAGAIN);
    assert_int_equal(ev->nstanzas, 1);
    /* Input keeps coming while paused: held, not parsed. */
    assert_int_equal(feed(ev, "<message id='4'/>"), STRATA_EAGAIN);
    assert_int_equal(ev->nstanzas, 1);
    assert_int_equal(strata_xml_parser_pending(ev->p), 3 * strlen("<message id='1'/>"));
    assert_int_equal(strata_xml_parser_resume(ev->p), 0);
    assert_int_equal(ev->nstanzas, 4);
    assert_string_equal(strata_stanza_attr(ev->stanzas[3], "id"), "4");
    assert_int_equal(feed(ev, "<message id='5'/></stream:stream>"), 0);
    assert_int_equal(ev->nstanzas, 5);
    assert_int_equal(ev->closes, 1);
    events_free(ev);
}

static void test_pause_holds_bounded(void **state)
{
    struct strata_xml_limits limits = STRATA_XML_LIMITS_PREAUTH;
    struct events *ev = events_new(&limits);
    assert_int_equal(feed(ev, HEADER), 0);
    strata_xml_parser_pause(ev->p);
    char chunk[4096];
    memset(chunk, ' ', sizeof(chunk));
    assert_int_equal(strata_xml_parser_feed(ev->p, chunk, sizeof(chunk)), STRATA_EAGAIN);
    assert_int_equal(strata_xml_parser_feed(ev->p, chunk, sizeof(chunk)), STRATA_EAGAIN);
    assert_int_equal(strata_xml_parser_feed(ev->p, chunk, sizeof(chunk)), STRATA_EINVAL);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_STANZA_BYTES);
    events_free(ev);
}

static void test_free_in_callback(void **state)
{
    struct events *ev = events_new(NULL);
    ev->act_on = 2;
    ev->act = ACT_FREE;
    assert_int_equal(feed(ev, HEADER "<message/><message/><message/>"), STRATA_ECLOSED);
    assert_int_equal(ev->nstanzas, 2);
    assert_null(ev->p);
    events_free(ev);
}

static void test_trim(void **state)
{
    struct events *ev = events_new(NULL);
    assert_int_equal(strata_xml_parser_trim(ev->p), 0); /* nothing yet */
    assert_int_equal(feed(ev, HEADER "<message><body>"), 0);
    assert_int_equal(strata_xml_parser_trim(ev->p), STRATA_EAGAIN); /* mid-stanza */
    assert_int_equal(feed(ev, "hi</body></message>"), 0);
    assert_int_equal(strata_xml_parser_trim(ev->p), 0);
    assert_int_equal(strata_xml_parser_trim(ev->p), 0);
    assert_int_equal(feed(ev, "<message><body>again</body></message>"), 0);
    assert_int_equal(ev->nstanzas, 2);
    assert_string_equal(strata_stanza_child_text(ev->stanzas[1], "body", NULL), "again");
    /* Still the same stream: the close matches the original start tag. */
    assert_int_equal(feed(ev, "</stream:stream>"), 0);
    assert_int_equal(ev->closes, 1);
    assert_int_equal(ev->errors, 0);
    events_free(ev);
}

static void test_trim_keeps_limits_and_offsets(void **state)
{
    struct strata_xml_limits limits = STRATA_XML_LIMITS_PREAUTH;
    limits.max_stanza_bytes = 100;
    struct events *ev = events_new(&limits);
    assert_int_equal(feed(ev, HEADER), 0);
    assert_int_equal(strata_xml_parser_trim(ev->p), 0);
    char *exact = message_of(100);
    char *over = message_of(101);
    assert_int_equal(feed(ev, exact), 0);
    assert_int_equal(strata_xml_parser_trim(ev->p), 0);
    assert_int_equal(feed(ev, over), STRATA_EINVAL);
    assert_int_equal(ev->nstanzas, 1);
    assert_int_equal(ev->limit, STRATA_XML_LIMIT_STANZA_BYTES);
    free(exact);
    free(over);
    events_free(ev);
}

static void test_condition_names(void **state)
{
    assert_string_equal(strata_xml_condition_name(STRATA_XML_NOT_WELL_FORMED), "not-well-formed");
    assert_string_equal(strata_xml_condition_name(STRATA_XML_RESTRICTED_XML), "restricted-xml");
    assert_string_equal(strata_xml_condition_name(STRATA_XML_POLICY_VIOLATION), "policy-violation");
    assert_string_equal(strata_xml_condition_name(STRATA_XML_INVALID_NAMESPACE),
                        "invalid-namespace");
    assert_string_equal(strata_xml_condition_name(STRATA_XML_BAD_FORMAT), "bad-format");
    assert_string_equal(strata_xml_condition_name(STRATA_XML_UNSUPPORTED_ENCODING),
                        "unsupported-encoding");
}

/* ---- whole documents -------------------------------------------------- */

static void test_parse_document(void **state)
{
    struct strata_stanza *st;
    const char *doc = "<?xml version='1.0'?>\n<message xmlns='jabber:client' to='a@b'>"
                      "<body>hi</body></message>\n";
    assert_int_equal(strata_stanza_parse(doc, strlen(doc), NULL, &st), 0);
    assert_ptr_equal(strata_stanza_name(st), strata_atoms.message);
    assert_string_equal(strata_stanza_child_text(st, "body", NULL), "hi");
    strata_stanza_unref(st);

    const char *junk = "<a/><b/>";
    assert_int_equal(strata_stanza_parse(junk, strlen(junk), NULL, &st), STRATA_EINVAL);
    assert_null(st);
    const char *open = "<a><b>";
    assert_int_equal(strata_stanza_parse(open, strlen(open), NULL, &st), STRATA_EINVAL);
    assert_int_equal(strata_stanza_parse("", 0, NULL, &st), STRATA_EINVAL);
    const char *comment = "<a/><!-- c -->";
    assert_int_equal(strata_stanza_parse(comment, strlen(comment), NULL, &st), STRATA_EINVAL);
    struct strata_xml_limits limits = STRATA_XML_LIMITS_DEFAULT;
    limits.max_depth = 1;
    const char *deep = "<a><b/></a>";
    assert_int_equal(strata_stanza_parse(deep, strlen(deep), &limits, &st), STRATA_ELIMIT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header),
        cmocka_unit_test(test_header_minimal),
        cmocka_unit_test(test_header_wrong_stream_ns),
        cmocka_unit_test(test_header_wrong_content_ns),
        cmocka_unit_test(test_header_any_content_ns),
        cmocka_unit_test(test_header_wrong_name),
        cmocka_unit_test(test_header_other_prefix),
        cmocka_unit_test(test_prefix_after_restart),
        cmocka_unit_test(test_stream_close),
        cmocka_unit_test(test_stanza),
        cmocka_unit_test(test_namespaces_on_children),
        cmocka_unit_test(test_unknown_names_not_interned),
        cmocka_unit_test(test_whitespace_keepalive),
        cmocka_unit_test(test_text_between_stanzas),
        cmocka_unit_test(test_bytewise),
        cmocka_unit_test(test_big_chunks),
        cmocka_unit_test(test_many_stanzas_counted),
        cmocka_unit_test(test_doctype_internal_subset),
        cmocka_unit_test(test_doctype_external),
        cmocka_unit_test(test_entity_declaration),
        cmocka_unit_test(test_doctype_bytewise),
        cmocka_unit_test(test_processing_instruction),
        cmocka_unit_test(test_comment),
        cmocka_unit_test(test_undefined_entity),
        cmocka_unit_test(test_predefined_entities),
        cmocka_unit_test(test_character_references),
        cmocka_unit_test(test_xml_declaration),
        cmocka_unit_test(test_mismatched_tags),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_unbound_prefix),
        cmocka_unit_test(test_duplicate_attributes),
        cmocka_unit_test(test_feed_after_error),
        cmocka_unit_test(test_stanza_bytes),
        cmocka_unit_test(test_stanza_bytes_bytewise),
        cmocka_unit_test(test_stanza_bytes_early),
        cmocka_unit_test(test_header_bytes),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_attributes),
        cmocka_unit_test(test_name_length),
        cmocka_unit_test(test_limits_bytewise),
        cmocka_unit_test(test_starttls_restart),
        cmocka_unit_test(test_sasl_restart_pipelined),
        cmocka_unit_test(test_sasl_restart_async),
        cmocka_unit_test(test_reset_drop_in_callback),
        cmocka_unit_test(test_pause_resume),
        cmocka_unit_test(test_pause_holds_bounded),
        cmocka_unit_test(test_free_in_callback),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_trim_keeps_limits_and_offsets),
        cmocka_unit_test(test_condition_names),
        cmocka_unit_test(test_parse_document),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
