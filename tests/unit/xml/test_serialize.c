/*
 * The serializer: escaping, namespace declarations only where they change,
 * the stream prefix, stream headers, and parse -> serialize -> parse round
 * trips that must be stable.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "strata/stanza.h"
#include "util/strbuf.h"
#include "xml/serialize.h"
#include "xml/stream_parser.h"

static struct strata_stanza *parse(const char *xml)
{
    struct strata_stanza *st = NULL;
    assert_int_equal(strata_stanza_parse(xml, strlen(xml), NULL, &st), 0);
    return st;
}

static void assert_in_stream(const struct strata_stanza *st, const char *ns, const char *expected)
{
    struct strbuf b = STRBUF_INIT;
    strata_stanza_serialize(st, ns, &b);
    assert_string_equal(b.ptr, expected);
    strbuf_release(&b);
}

static void test_escape_text(void **state)
{
    struct strata_stanza *m = strata_stanza_new("body", strata_atoms.ns_client);
    const char *text = "<a> & 'b' \"c\" ]]> \r\n\t";
    assert_int_equal(strata_stanza_add_text(m, text, strlen(text)), 0);
    assert_in_stream(m, strata_atoms.ns_client,
                     "<body>&lt;a&gt; &amp; 'b' \"c\" ]]&gt; &#13;\n\t</body>");
    strata_stanza_unref(m);
}

static void test_escape_attr(void **state)
{
    struct strata_stanza *m = strata_stanza_new("message", strata_atoms.ns_client);
    assert_int_equal(strata_stanza_set_attr(m, "id", "<a> & 'b' \"c\"\t\n\r"), 0);
    assert_in_stream(m, strata_atoms.ns_client,
                     "<message id='&lt;a&gt; &amp; &apos;b&apos; &quot;c&quot;&#9;&#10;&#13;'/>");
    strata_stanza_unref(m);
}

/* The escaper skips plain text eight bytes at a time: a special byte at
 * any offset, in runs of any length, must still be found. */
static void naive(struct strbuf *b, const char *s, bool attr)
{
    for (; *s; s++) {
        switch (*s) {
        case '&':
            strbuf_adds(b, "&amp;");
            break;
        case '<':
            strbuf_adds(b, "&lt;");
            break;
        case '>':
            strbuf_adds(b, "&gt;");
            break;
        case '\r':
            strbuf_adds(b, "&#13;");
            break;
        case '\'':
            strbuf_adds(b, attr ? "&apos;" : "'");
            break;
        case '"':
            strbuf_adds(b, attr ? "&quot;" : "\"");
            break;
        case '\t':
            strbuf_adds(b, attr ? "&#9;" : "\t");
            break;
        case '\n':
            strbuf_adds(b, attr ? "&#10;" : "\n");
            break;
        default:
            strbuf_add(b, s, 1);
        }
    }
}

static void test_escape_every_offset(void **state)
{
    static const char specials[] = "&<>\r'\"\t\n";
    for (size_t len = 1; len < 26; len++) {
        for (size_t at = 0; at < len; at++) {
            for (size_t k = 0; k < sizeof(specials) - 1; k++) {
                char text[32];
                memset(text, 'a', len);
                text[at] = specials[k];
                text[len] = '\0';
                for (int attr = 0; attr < 2; attr++) {
                    struct strbuf got = STRBUF_INIT;
                    struct strbuf want = STRBUF_INIT;
                    if (attr) {
                        xml__escape_attr(&got, text, len);
                    } else {
                        xml__escape_text(&got, text, len);
                    }
                    naive(&want, text, attr);
                    assert_string_equal(got.ptr, want.ptr);
                    strbuf_release(&got);
                    strbuf_release(&want);
                }
            }
        }
    }
}

static void test_namespaces(void **state)
{
    struct strata_stanza *m = strata_stanza_new("message", strata_atoms.ns_client);
    strata_stanza_add_text_child(m, "body", NULL, "hi");
    struct strata_stanza *ev = strata_stanza_add_child(m, "event", strata_atoms.ns_pubsub_event);
    struct strata_stanza *items = strata_stanza_add_child(ev, "items", NULL);
    strata_stanza_add_child(items, "item", NULL);
    strata_stanza_add_child(m, "plain", strata_atoms.empty);
    /* Top-level stanzas inherit the stream's default namespace. */
    assert_in_stream(m, strata_atoms.ns_client,
                     "<message><body>hi</body>"
                     "<event xmlns='http://jabber.org/protocol/pubsub#event'><items><item/>"
                     "</items></event><plain xmlns=''/></message>");
    /* In a jabber:server stream the same stanza names its namespace. */
    assert_in_stream(m, strata_atoms.ns_server,
                     "<message xmlns='jabber:client'><body>hi</body>"
                     "<event xmlns='http://jabber.org/protocol/pubsub#event'><items><item/>"
                     "</items></event><plain xmlns=''/></message>");
    strata_stanza_unref(m);

    struct strata_stanza *none = strata_stanza_new("x", NULL);
    strata_stanza_add_child(none, "y", NULL);
    assert_in_stream(none, NULL, "<x><y/></x>");
    strata_stanza_unref(none);
}

static void test_stream_prefix(void **state)
{
    struct strata_stanza *err = strata_stanza_new("error", strata_atoms.ns_streams);
    strata_stanza_add_child(err, "not-well-formed", strata_atoms.ns_xmpp_streams);
    assert_in_stream(err, strata_atoms.ns_client,
                     "<stream:error><not-well-formed "
                     "xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></stream:error>");
    char *s = strata_stanza_to_string(err, NULL);
    assert_string_equal(s, "<error xmlns='http://etherx.jabber.org/streams'><not-well-formed "
                           "xmlns='urn:ietf:params:xml:ns:xmpp-streams'/></error>");
    free(s);
    strata_stanza_unref(err);

    struct strata_stanza *f = strata_stanza_new("features", strata_atoms.ns_streams);
    struct strata_stanza *mechs = strata_stanza_add_child(f, "mechanisms", strata_atoms.ns_sasl);
    strata_stanza_add_text_child(mechs, "mechanism", NULL, "SCRAM-SHA-256");
    strata_stanza_add_child(f, "ver", strata_atoms.ns_rosterver);
    assert_in_stream(f, strata_atoms.ns_client,
                     "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>"
                     "<mechanism>SCRAM-SHA-256</mechanism></mechanisms>"
                     "<ver xmlns='urn:xmpp:features:rosterver'/></stream:features>");
    strata_stanza_unref(f);
}

static void test_namespaced_attributes(void **state)
{
    struct strata_stanza *el = strata_stanza_new("e", "urn:e");
    strata_stanza_set_attr_ns(el, strata_atoms.ns_xml, "lang", "de");
    strata_stanza_set_attr_ns(el, "urn:a", "one", "1");
    strata_stanza_set_attr(el, "plain", "p");
    strata_stanza_set_attr_ns(el, "urn:a", "two", "2");
    strata_stanza_set_attr_ns(el, "urn:b", "three", "3");
    char *s = strata_stanza_to_string(el, NULL);
    assert_string_equal(s, "<e xmlns='urn:e' xml:lang='de' xmlns:ns1='urn:a' ns1:one='1'"
                           " plain='p' ns1:two='2' xmlns:ns4='urn:b' ns4:three='3'/>");
    struct strata_stanza *back = parse(s);
    assert_string_equal(strata_stanza_attr_ns(back, "urn:a", "two"), "2");
    assert_string_equal(strata_stanza_attr_ns(back, "urn:b", "three"), "3");
    assert_string_equal(strata_stanza_attr_ns(back, strata_atoms.ns_xml, "lang"), "de");
    free(s);
    strata_stanza_unref(back);
    strata_stanza_unref(el);
}

static void test_stream_header(void **state)
{
    static const struct strata_xml_ns_decl decls[] = {
        {NULL, "jabber:server"},
        {"stream", "http://etherx.jabber.org/streams"},
        {"db", "jabber:server:dialback"},
    };
    struct strata_xml_stream_header hdr = {
        .content_ns = strata_atoms.ns_server,
        .from = "example.com",
        .to = "example.net",
        .id = "s'1",
        .version = "1.0",
        .lang = "en",
        .decls = decls,
        .ndecls = 3,
    };
    struct strbuf b = STRBUF_INIT;
    strata_xml_write_stream_header(&b, &hdr);
    assert_string_equal(b.ptr, "<?xml version='1.0'?><stream:stream xmlns='jabber:server'"
                               " xmlns:stream='http://etherx.jabber.org/streams'"
                               " xmlns:db='jabber:server:dialback' from='example.com'"
                               " to='example.net' id='s&apos;1' version='1.0' xml:lang='en'>");
    strata_xml_write_stream_footer(&b);
    assert_string_equal(b.ptr + b.len - 16, "</stream:stream>");
    strbuf_release(&b);
}

/* What our parser reads back from what we wrote. */
struct header_seen {
    int opens;
    int closes;
    char id[32];
};

static void seen_open(void *ud, const struct strata_xml_stream_header *h)
{
    struct header_seen *s = ud;
    s->opens++;
    strcpy(s->id, h->id);
}

static void seen_stanza(void *ud, struct strata_stanza *st)
{
    strata_stanza_unref(st);
}

static void seen_close(void *ud)
{
    ((struct header_seen *)ud)->closes++;
}

static void test_stream_header_round_trip(void **state)
{
    static const struct strata_xml_handlers h = {
        .on_stream_open = seen_open,
        .on_stanza = seen_stanza,
        .on_stream_close = seen_close,
    };
    struct strata_xml_stream_header hdr = {
        .content_ns = strata_atoms.ns_client,
        .from = "example.com",
        .id = "<&>",
        .version = "1.0",
    };
    struct strbuf b = STRBUF_INIT;
    strata_xml_write_stream_header(&b, &hdr);
    struct strata_stanza *f = strata_stanza_new("features", strata_atoms.ns_streams);
    strata_stanza_serialize(f, strata_atoms.ns_client, &b);
    strata_stanza_unref(f);
    strata_xml_write_stream_footer(&b);
    struct header_seen seen = {0};
    struct strata_xml_limits limits = STRATA_XML_LIMITS_PREAUTH;
    struct strata_xml_parser *p = strata_xml_parser_new(strata_atoms.ns_client, &limits, &h, &seen);
    assert_int_equal(strata_xml_parser_feed(p, b.ptr, b.len), 0);
    assert_int_equal(seen.opens, 1);
    assert_int_equal(seen.closes, 1);
    assert_string_equal(seen.id, "<&>");
    strata_xml_parser_free(p);
    strbuf_release(&b);
}

/* parse -> serialize -> parse -> serialize gives the same bytes twice. */
static void assert_round_trip(const char *xml, const char *expected)
{
    struct strata_stanza *a = parse(xml);
    char *s1 = strata_stanza_to_string(a, NULL);
    if (expected) {
        assert_string_equal(s1, expected);
    }
    struct strata_stanza *b = parse(s1);
    char *s2 = strata_stanza_to_string(b, NULL);
    assert_string_equal(s1, s2);
    free(s1);
    free(s2);
    strata_stanza_unref(a);
    strata_stanza_unref(b);
}

static void test_round_trips(void **state)
{
    assert_round_trip("<message xmlns='jabber:client' to='a@b' type='chat'>"
                      "<body>hi</body></message>",
                      "<message xmlns='jabber:client' to='a@b' type='chat'>"
                      "<body>hi</body></message>");
    assert_round_trip("<a xmlns=\"urn:a\" v=\"&lt;&amp;&gt;&quot;&apos;\">&lt;&amp;&gt;\"'</a>",
                      "<a xmlns='urn:a' v='&lt;&amp;&gt;&quot;&apos;'>&lt;&amp;&gt;\"'</a>");
    /* Prefixes become default namespace declarations. */
    assert_round_trip("<p:a xmlns:p='urn:p' xmlns='urn:d'><p:b/><c/></p:a>",
                      "<a xmlns='urn:p'><b/><c xmlns='urn:d'/></a>");
    /* Character references, CDATA and line ends. */
    assert_round_trip("<t>&#13;&#10;&#9;<![CDATA[<x>]]>\r\n</t>", "<t>&#13;\n\t&lt;x&gt;\n</t>");
    assert_round_trip("<t a='&#9;&#10;&#13; x'/>", "<t a='&#9;&#10;&#13; x'/>");
    /* Attribute value normalisation turns literal whitespace into spaces. */
    assert_round_trip("<t a='1\n2\t3'/>", "<t a='1 2 3'/>");
    assert_round_trip("<t>caf\xC3\xA9 \xF0\x9F\x98\x80</t>", "<t>caf\xC3\xA9 \xF0\x9F\x98\x80</t>");
    assert_round_trip("<x xmlns='urn:x'><y xmlns=''><z/></y></x>",
                      "<x xmlns='urn:x'><y xmlns=''><z/></y></x>");
    assert_round_trip("<x xmlns:q='urn:q' q:a='1' xml:lang='en'>mixed <b>bold</b> text</x>",
                      "<x xmlns:ns0='urn:q' ns0:a='1' xml:lang='en'>mixed <b>bold</b> text</x>");
    assert_round_trip("<r>\n  <a/>\n  <b>  </b>\n</r>", "<r>\n  <a/>\n  <b>  </b>\n</r>");
    assert_round_trip("<e></e>", "<e/>");
}

static void test_to_string_length(void **state)
{
    struct strata_stanza *m = strata_stanza_new("presence", NULL);
    size_t len;
    char *s = strata_stanza_to_string(m, &len);
    assert_string_equal(s, "<presence/>");
    assert_int_equal(len, 11);
    free(s);
    strata_stanza_unref(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escape_text),         cmocka_unit_test(test_escape_attr),
        cmocka_unit_test(test_escape_every_offset), cmocka_unit_test(test_namespaces),
        cmocka_unit_test(test_stream_prefix),       cmocka_unit_test(test_namespaced_attributes),
        cmocka_unit_test(test_stream_header),       cmocka_unit_test(test_stream_header_round_trip),
        cmocka_unit_test(test_round_trips),         cmocka_unit_test(test_to_string_length),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
