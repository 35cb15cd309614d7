/*
 * Stanza trees: atoms, readers, the builder, copies and reference counts.
 * Leaks and use after free are for AddressSanitizer to find (make asan).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "strata/stanza.h"

static struct strata_stanza *parse(const char *xml)
{
    struct strata_stanza *st = NULL;
    assert_int_equal(strata_stanza_parse(xml, strlen(xml), NULL, &st), 0);
    return st;
}

static char *str(const struct strata_stanza *st)
{
    return strata_stanza_to_string(st, NULL);
}

static void assert_xml(const struct strata_stanza *st, const char *expected)
{
    char *s = str(st);
    assert_string_equal(s, expected);
    free(s);
}

/* ---- atoms ------------------------------------------------------------ */

static void test_atoms_builtin(void **state)
{
    assert_string_equal(strata_atoms.message, "message");
    assert_string_equal(strata_atoms.ns_client, "jabber:client");
    assert_string_equal(strata_atoms.empty, "");
    assert_ptr_equal(strata_atom_find("message", 7), strata_atoms.message);
    assert_ptr_equal(strata_atom_find("jabber:clientXYZ", 13), strata_atoms.ns_client);
    assert_ptr_equal(strata_atom("presence"), strata_atoms.presence);
    assert_ptr_equal(strata_atom_find("", 0), strata_atoms.empty);
    assert_true(strata_atom_is(strata_atoms.body));
    assert_true(strata_atom_is(strata_atoms.ns_bosh));
    assert_false(strata_atom_is("body"));
}

static void test_atoms_interned(void **state)
{
    assert_null(strata_atom_find("urn:example:test-atom", 21));
    char buf[] = "urn:example:test-atom";
    const char *a = strata_atom(buf);
    assert_non_null(a);
    assert_ptr_not_equal(a, buf);
    assert_true(strata_atom_is(a));
    assert_ptr_equal(strata_atom("urn:example:test-atom"), a);
    assert_ptr_equal(strata_atom_find("urn:example:test-atom", 21), a);
    char longname[300];
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = '\0';
    assert_null(strata_atom(longname));
}

static void test_name_eq(void **state)
{
    char body[] = "body";
    char other[] = "bodx";
    assert_true(strata_name_eq(strata_atoms.body, strata_atoms.body));
    assert_false(strata_name_eq(strata_atoms.body, strata_atoms.subject));
    assert_true(strata_name_eq(strata_atoms.body, body));
    assert_true(strata_name_eq(body, strata_atoms.body));
    assert_false(strata_name_eq(other, strata_atoms.body));
    assert_true(strata_name_eq(other, "bodx"));
}

/* ---- readers ---------------------------------------------------------- */

static void test_readers(void **state)
{
    struct strata_stanza *iq = parse("<iq xmlns='jabber:client' type='result' id='r'>"
                                     "<query xmlns='jabber:iq:roster'>"
                                     "<item jid='a@x'/><other/><item jid='b@x'/>"
                                     "<item xmlns='urn:other' jid='c@x'/></query></iq>");
    assert_string_equal(strata_stanza_name(iq), "iq");
    assert_ptr_equal(strata_stanza_root(iq), iq);
    assert_null(strata_stanza_parent(iq));
    assert_string_equal(strata_stanza_attr(iq, "type"), "result");
    assert_null(strata_stanza_attr(iq, "to"));
    size_t n;
    const struct strata_attr *attrs = strata_stanza_attrs(iq, &n);
    assert_int_equal(n, 2);
    assert_ptr_equal(attrs[0].name, strata_atoms.type);
    assert_ptr_equal(attrs[0].ns, strata_atoms.empty);
    assert_int_equal(attrs[1].value_len, 1);

    struct strata_stanza *q = strata_stanza_child(iq, "query", "jabber:iq:roster");
    assert_non_null(q);
    assert_ptr_equal(strata_stanza_parent(q), iq);
    assert_ptr_equal(strata_stanza_root(q), iq);
    /* Repeated children: the roster's items, namespace from the parent. */
    struct strata_stanza *item = strata_stanza_child(q, "item", NULL);
    assert_string_equal(strata_stanza_attr(item, "jid"), "a@x");
    item = strata_stanza_next(item, "item", NULL);
    assert_string_equal(strata_stanza_attr(item, "jid"), "b@x");
    assert_null(strata_stanza_next(item, "item", NULL));
    assert_non_null(strata_stanza_next(item, "item", "urn:other"));
    /* Any name in a namespace: finding an <iq/>'s payload. */
    assert_ptr_equal(strata_stanza_child(iq, NULL, strata_atoms.ns_roster), q);
    int count = 0;
    for (struct strata_stanza *c = strata_stanza_first_element(q); c;
         c = strata_stanza_next_element(c)) {
        count++;
    }
    assert_int_equal(count, 4);
    assert_string_equal(strata_stanza_text(q, &n), "");
    assert_int_equal(n, 0);
    assert_null(strata_stanza_child_text(iq, "missing", NULL));
    strata_stanza_unref(iq);
}

static void test_mixed_content(void **state)
{
    struct strata_stanza *p = parse("<p xmlns='urn:x'>one <b>two</b> three</p>");
    size_t len;
    assert_string_equal(strata_stanza_text(p, &len), "one ");
    assert_int_equal(len, 4);
    const struct strata_node *node = strata_stanza_nodes(p);
    assert_string_equal(strata_node_text(node, NULL), "one ");
    assert_null(strata_node_element(node));
    node = strata_node_next(node);
    assert_null(strata_node_text(node, NULL));
    assert_string_equal(strata_stanza_text(strata_node_element(node), NULL), "two");
    node = strata_node_next(node);
    assert_string_equal(strata_node_text(node, &len), " three");
    assert_null(strata_node_next(node));
    strata_stanza_unref(p);
}

/* ---- builder ---------------------------------------------------------- */

static void test_builder(void **state)
{
    struct strata_stanza *m = strata_stanza_new("message", strata_atoms.ns_client);
    assert_non_null(m);
    assert_ptr_equal(strata_stanza_name(m), strata_atoms.message);
    assert_int_equal(strata_stanza_set_attr(m, "to", "romeo@example.net"), 0);
    assert_int_equal(strata_stanza_set_attr(m, "type", "chat"), 0);
    assert_int_equal(strata_stanza_set_attr(m, "id", "x"), 0);
    assert_int_equal(strata_stanza_set_attr(m, "from", "juliet@example.com"), 0);
    assert_int_equal(strata_stanza_set_attr(m, "extra", "1"), 0); /* grows the array */
    assert_int_equal(strata_stanza_set_attr(m, "type", "normal"), 0);
    assert_int_equal(strata_stanza_set_attr(m, "extra", NULL), 0);
    assert_int_equal(strata_stanza_set_attr(m, "absent", NULL), 0);
    struct strata_stanza *body = strata_stanza_add_text_child(m, "body", NULL, "Hi & <bye>");
    assert_non_null(body);
    assert_ptr_equal(strata_stanza_ns(body), strata_atoms.ns_client);
    struct strata_stanza *x = strata_stanza_add_child(m, "x", "urn:example:x");
    assert_int_equal(strata_stanza_set_attr_ns(x, strata_atoms.ns_xml, "lang", "en"), 0);
    assert_int_equal(strata_stanza_add_text(x, "a", 1), 0);
    assert_int_equal(strata_stanza_add_text(x, "bc", 2), 0);
    assert_string_equal(strata_stanza_text(x, NULL), "abc");
    assert_xml(m, "<message xmlns='jabber:client' to='romeo@example.net' type='normal' id='x'"
                  " from='juliet@example.com'><body>Hi &amp; &lt;bye&gt;</body>"
                  "<x xmlns='urn:example:x' xml:lang='en'>abc</x></message>");
    strata_stanza_unref(m);
}

static void test_builder_refuses(void **state)
{
    assert_null(strata_stanza_new("bad name", NULL));
    assert_null(strata_stanza_new("", NULL));
    assert_null(strata_stanza_new("1abc", NULL));
    assert_null(strata_stanza_new("a:b", NULL));
    assert_null(strata_stanza_new("x", "bad\x01ns"));
    struct strata_stanza *el = strata_stanza_new("\xC3\xA9l\xC3\xA9ment", NULL); /* élément */
    assert_non_null(el);
    assert_null(strata_stanza_add_child(el, "<", NULL));
    assert_int_equal(strata_stanza_set_attr(el, "a b", "v"), STRATA_EINVAL);
    assert_int_equal(strata_stanza_set_attr(el, "a", "bell\x07"), STRATA_EINVAL);
    assert_int_equal(strata_stanza_set_attr(el, "a", "\xC3\x28"), STRATA_EINVAL);
    assert_int_equal(strata_stanza_set_attr(el, "a", "\xED\xA0\x80"), STRATA_EINVAL);
    assert_int_equal(strata_stanza_set_attr(el, "a", "\xEF\xBF\xBE"), STRATA_EINVAL); /* U+FFFE */
    assert_int_equal(strata_stanza_add_text(el, "nul\0", 4), STRATA_EINVAL);
    assert_int_equal(strata_stanza_add_text(el, "\xF4\x90\x80\x80", 4), STRATA_EINVAL);
    assert_null(strata_stanza_add_text_child(el, "t", NULL, "\x1b[0m"));
    assert_int_equal(strata_stanza_add_text(el, "tab\tnl\ncr\r \xF0\x9F\x98\x80", 15), 0);
    size_t n;
    strata_stanza_attrs(el, &n);
    assert_int_equal(n, 0);
    strata_stanza_unref(el);
}

static void test_text_growth(void **state)
{
    /* Many pieces: grown in place while the text ends the arena, moved
     * (with room to spare) when something was allocated after it. */
    struct strata_stanza *el = strata_stanza_new("t", NULL);
    char expect[20001];
    size_t len = 0;
    for (int i = 0; i < 2000; i++) {
        char piece[11];
        memset(piece, 'a' + i % 26, 10);
        piece[10] = '\0';
        assert_int_equal(strata_stanza_add_text(el, piece, 10), 0);
        memcpy(expect + len, piece, 10);
        len += 10;
        if (i % 100 == 0) {
            assert_int_equal(strata_stanza_set_attr(el, "n", piece), 0);
        }
    }
    expect[len] = '\0';
    size_t got;
    assert_string_equal(strata_stanza_text(el, &got), expect);
    assert_int_equal(got, len);
    strata_stanza_unref(el);
}

static void test_remove(void **state)
{
    struct strata_stanza *m = parse("<m xmlns='jabber:client'><a/><b/><c/></m>");
    /* Parsed stanzas are mutable while their owner holds the only ref. */
    strata_stanza_remove(strata_stanza_child(m, "b", NULL));
    assert_xml(m, "<m xmlns='jabber:client'><a/><c/></m>");
    strata_stanza_remove(strata_stanza_child(m, "c", NULL));
    strata_stanza_add_child(m, "d", NULL);
    assert_xml(m, "<m xmlns='jabber:client'><a/><d/></m>");
    strata_stanza_remove(strata_stanza_child(m, "a", NULL));
    strata_stanza_remove(strata_stanza_child(m, "d", NULL));
    assert_xml(m, "<m xmlns='jabber:client'/>");
    strata_stanza_unref(m);
}

/* ---- copies and references -------------------------------------------- */

static void test_copy(void **state)
{
    struct strata_stanza *orig =
        parse("<message xmlns='jabber:client' from='a@b/c' to='d@e' xmlns:u='urn:u' u:k='v'>"
              "<body>text</body><zzq-unknown xmlns='urn:unknown:q'>x</zzq-unknown></message>");
    strata_stanza_ref(orig); /* shared: read-only from now on */
    struct strata_stanza *copy = strata_stanza_copy(orig);
    char *a = str(orig);
    char *b = str(copy);
    assert_string_equal(a, b);
    /* Stamping the copy leaves the shared original alone. */
    assert_int_equal(strata_stanza_set_attr(copy, "to", "d@e/res"), 0);
    assert_string_equal(strata_stanza_attr(orig, "to"), "d@e");
    assert_string_equal(strata_stanza_attr(copy, "to"), "d@e/res");
    /* Names stay atoms in the copy. */
    assert_ptr_equal(strata_stanza_name(copy), strata_atoms.message);
    strata_stanza_unref(orig);
    strata_stanza_unref(orig);
    /* The copy owns all its strings. */
    assert_string_equal(strata_stanza_child_text(copy, "zzq-unknown", "urn:unknown:q"), "x");
    free(a);
    free(b);
    strata_stanza_unref(copy);
}

static void test_copy_subtree(void **state)
{
    struct strata_stanza *orig = parse("<message xmlns='jabber:client'><body>hi</body>"
                                       "<x xmlns='urn:x'><y a='1'/></x></message>");
    struct strata_stanza *x = strata_stanza_child(orig, "x", "urn:x");
    struct strata_stanza *copy = strata_stanza_copy(x);
    assert_null(strata_stanza_parent(copy));
    assert_xml(copy, "<x xmlns='urn:x'><y a='1'/></x>");

    /* Forwarding (XEP-0297): a copy of the original inside a new stanza. */
    struct strata_stanza *fwd = strata_stanza_new("message", strata_atoms.ns_client);
    struct strata_stanza *f = strata_stanza_add_child(fwd, "forwarded", strata_atoms.ns_forward);
    strata_stanza_add_copy(f, orig);
    strata_stanza_unref(orig);
    assert_xml(fwd, "<message xmlns='jabber:client'><forwarded xmlns='urn:xmpp:forward:0'>"
                    "<message xmlns='jabber:client'><body>hi</body><x xmlns='urn:x'><y a='1'/>"
                    "</x></message></forwarded></message>");
    strata_stanza_unref(fwd);
    strata_stanza_unref(copy);
}

static void test_refcount(void **state)
{
    struct strata_stanza *m =
        parse("<message xmlns='jabber:client'><body>fan out</body></message>");
    struct strata_stanza *body = strata_stanza_child(m, "body", NULL);
    /* Fan-out to three sessions; a reference through a child counts for
     * the whole tree. */
    strata_stanza_ref(m);
    strata_stanza_ref(body);
    strata_stanza_ref(m);
    strata_stanza_unref(m);
    strata_stanza_unref(body);
    strata_stanza_unref(m);
    assert_string_equal(strata_stanza_text(body, NULL), "fan out");
    strata_stanza_unref(m);
    strata_stanza_unref(NULL);
}

static void test_big_tree(void **state)
{
    /* Enough elements for the arena to chain several blocks. */
    struct strata_stanza *root = strata_stanza_new("items", "urn:x");
    for (int i = 0; i < 3000; i++) {
        struct strata_stanza *item = strata_stanza_add_child(root, "item", NULL);
        assert_int_equal(strata_stanza_set_attr(item, "id", "some-identifier"), 0);
        assert_int_equal(strata_stanza_add_text(item, "payload text", 12), 0);
    }
    struct strata_stanza *copy = strata_stanza_copy(root);
    int n = 0;
    for (struct strata_stanza *c = strata_stanza_first_element(copy); c;
         c = strata_stanza_next_element(c)) {
        assert_string_equal(strata_stanza_text(c, NULL), "payload text");
        n++;
    }
    assert_int_equal(n, 3000);
    strata_stanza_unref(root);
    strata_stanza_unref(copy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_atoms_builtin),   cmocka_unit_test(test_atoms_interned),
        cmocka_unit_test(test_name_eq),         cmocka_unit_test(test_readers),
        cmocka_unit_test(test_mixed_content),   cmocka_unit_test(test_builder),
        cmocka_unit_test(test_builder_refuses), cmocka_unit_test(test_text_growth),
        cmocka_unit_test(test_remove),          cmocka_unit_test(test_copy),
        cmocka_unit_test(test_copy_subtree),    cmocka_unit_test(test_refcount),
        cmocka_unit_test(test_big_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
