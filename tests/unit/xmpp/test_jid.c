/*
 * JIDs: splitting (RFC 7622 §3.1), preparation of each part (Nodeprep,
 * Nameprep with IDNA2003, Resourceprep), limits, formatting, comparison.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "strata/jid.h"

/* Parses `in` and checks each prepared part; NULL means absent. */
static void accepts(const char *in, const char *node, const char *domain, const char *resource)
{
    struct strata_jid jid;
    int rc = strata_jid_parse(in, strlen(in), &jid);
    if (rc != 0) {
        fail_msg("refused \"%s\"", in);
    }
    if (node) {
        assert_string_equal(jid.node, node);
    } else {
        assert_null(jid.node);
    }
    assert_string_equal(jid.domain, domain);
    if (resource) {
        assert_string_equal(jid.resource, resource);
    } else {
        assert_null(jid.resource);
    }
    strata_jid_clear(&jid);
}

/* Checks that `len` bytes of `in` are refused and leave `*out` zeroed. */
static void refuses_n(const char *in, size_t len)
{
    struct strata_jid jid;
    memset(&jid, 0xA5, sizeof jid);
    int rc = strata_jid_parse(in, len, &jid);
    if (rc != STRATA_EINVAL) {
        fail_msg("accepted \"%.*s\" (rc %d)", (int)len, in, rc);
    }
    assert_null(jid.node);
    assert_null(jid.domain);
    assert_null(jid.resource);
}

static void refuses(const char *in)
{
    refuses_n(in, strlen(in));
}

/* `n` copies of `unit` followed by `tail`, in a new string. */
static char *repeat(const char *unit, size_t n, const char *tail)
{
    size_t ulen = strlen(unit), tlen = strlen(tail);
    char *s = malloc(ulen * n + tlen + 1);
    for (size_t i = 0; i < n; i++) {
        memcpy(s + i * ulen, unit, ulen);
    }
    memcpy(s + ulen * n, tail, tlen + 1);
    return s;
}

static void test_split(void **state)
{
    accepts("juliet@example.com/balcony", "juliet", "example.com", "balcony");
    accepts("example.com", NULL, "example.com", NULL);
    accepts("example.com/orchard", NULL, "example.com", "orchard");
    accepts("juliet@example.com", "juliet", "example.com", NULL);
}

/* RFC 7622 §3.1: the first '/' ends the domainpart, whatever follows. */
static void test_resource_separators(void **state)
{
    accepts("a@b/c/d@e", "a", "b", "c/d@e");
    accepts("a@b/c@d/e", "a", "b", "c@d/e");
    accepts("example.com/a@b", NULL, "example.com", "a@b");
    accepts("a/b@c", NULL, "a", "b@c");
    accepts("a@b//", "a", "b", "/");
}

/* The first '@' ends the localpart, so a second one lands in the domain. */
static void test_multiple_at(void **state)
{
    refuses("a@b@c");
    refuses("a@@b");
    refuses("a@b@c/d");
}

static void test_empty_parts(void **state)
{
    refuses("");
    refuses("@example.org");
    refuses("example.org/");
    refuses("a@");
    refuses("a@/r");
    refuses("@");
    refuses("/");
    refuses("@/");
    refuses_n(NULL, 0);
}

static void test_node_case_folding(void **state)
{
    accepts("Juliet@Example.COM", "juliet", "example.com", NULL);
    accepts("ROMEO@EXAMPLE.NET/Orchard", "romeo", "example.net", "Orchard");
    accepts("ΣΑΣ@example.com", "σασ", "example.com", NULL);
    /* RFC 3454 B.2 folds ß to "ss", in nodes and in domain labels. */
    accepts("Straße@straße.de", "strasse", "strasse.de", NULL);
}

static void test_resource_preserved(void **state)
{
    accepts("a@b/ReSoUrCe", "a", "b", "ReSoUrCe");
    accepts("a@b/My Phone", "a", "b", "My Phone");
    accepts("a@b/\xF0\x9F\x98\x80", "a", "b", "\xF0\x9F\x98\x80");
}

/* NFKC (compatibility mapping) in every profile. */
static void test_compatibility_mapping(void **state)
{
    accepts("ｊｕｌｉｅｔ@ｅｘａｍｐｌｅ．ｃｏｍ/ＲＥＳ", "juliet", "example.com", "RES");
    accepts("ﬁsh@example.com/ﬁ", "fish", "example.com", "fi");
    accepts("a@b/x\xC2\xA0y", "a", "b", "x y");
    /* B.1: a soft hyphen maps to nothing... */
    accepts("ju\xC2\xADliet@example.com", "juliet", "example.com", NULL);
    /* ...and a part made only of such code points is empty. */
    refuses("\xC2\xAD@example.com");
    refuses("a@b/\xC2\xAD");
}

/* RFC 3920 appendix A.5: Nodeprep prohibits " \"&'/:<>@" besides the
 * stringprep tables. */
static void test_node_prohibited(void **state)
{
    static const char *const bad[] = {"a b", "a\"b", "a&b", "a'b", "a/b",
                                      "a:b", "a<b",  "a>b", "a@b"};
    struct strata_jid jid;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (strata_jid_from_parts(bad[i], "example.com", NULL, 0, &jid) != STRATA_EINVAL) {
            fail_msg("node \"%s\" accepted", bad[i]);
        }
    }
    refuses("a\"b@example.com");
    refuses("a:b@example.com");
    refuses("a b@example.com");
    /* Fullwidth '@' and '/' become the ASCII ones under NFKC: still refused. */
    refuses("a＠b@example.com");
    refuses("a／b@example.com");
    refuses("a\001b@example.com");
}

static void test_resource_prohibited(void **state)
{
    refuses("a@b/x\x7F");
    refuses("a@b/x\x01");
    refuses("a@b/x\xEE\x80\x80"); /* U+E000, private use (C.3) */
    refuses("a@b/x\xE2\x80\x8E"); /* U+200E LRM, display property (C.8) */
    refuses("a@b/x\xEF\xBF\xBE"); /* U+FFFE, non-character (C.4) */
}

static void test_domain_prohibited(void **state)
{
    refuses("exa mple.com");
    refuses("my_host.example");
    refuses("a,b.example");
    refuses("-a.example");
    refuses("a-.example");
    refuses("a@b:5222");
    refuses("a@b\\c");
    /* U+2024 maps to '.' inside a label: not a separator, not LDH. */
    refuses("a\342\200\244b.example");
}

/* RFC 3454 §6: a string with right-to-left characters must not mix in
 * left-to-right ones, and must start and end with right-to-left ones. */
static void test_bidi(void **state)
{
    accepts("אב@example.com", "אב", "example.com", NULL);
    refuses("אa@example.com");
    refuses("א1@example.com");
    accepts("a@b/אב", "a", "b", "אב");
    refuses("a@b/אa");
    /* IDNA2003 applies the rule per label. */
    accepts("a@אב.example", "a", "אב.example", NULL);
    refuses("a@אa.example");
}

/* "<prefix><n copies of c><suffix>" in a new string. */
static char *pad(const char *prefix, char c, size_t n, const char *suffix)
{
    size_t plen = strlen(prefix), slen = strlen(suffix);
    char *s = malloc(plen + n + slen + 1);
    memcpy(s, prefix, plen);
    memset(s + plen, c, n);
    memcpy(s + plen + n, suffix, slen + 1);
    return s;
}

/* RFC 7622 §3.3, §3.4: 1..1023 octets for the localpart and resourcepart. */
static void test_length_node_resource(void **state)
{
    char *node = pad("", 'n', 1023, "");
    char *jid = pad("", 'n', 1023, "@x");
    accepts(jid, node, "x", NULL);
    free(jid);
    jid = pad("", 'n', 1024, "@x");
    refuses(jid);
    free(jid);
    free(node);

    char *resource = pad("", 'r', 1023, "");
    jid = pad("a@b/", 'r', 1023, "");
    accepts(jid, "a", "b", resource);
    free(jid);
    jid = pad("a@b/", 'r', 1024, "");
    refuses(jid);
    free(jid);
    free(resource);
}

/* A domain of `len` octets: labels of 50 "d" joined by dots, the last one
 * shorter. */
static char *domain_of(size_t len)
{
    char *s = pad("", 'd', len, "");
    for (size_t i = 50; i < len - 1; i += 51) {
        s[i] = '.';
    }
    return s;
}

/* RFC 7622 §3.2: 1..1023 octets; RFC 1034 §3.1: labels of 1..63. */
static void test_length_domain(void **state)
{
    char *domain = domain_of(1023);
    accepts(domain, NULL, domain, NULL);
    /* The trailing dot is the root, not an octet of the domainpart. */
    char *with_dot = pad(domain, '.', 1, "");
    accepts(with_dot, NULL, domain, NULL);
    free(with_dot);
    free(domain);
    domain = domain_of(1024);
    refuses(domain);
    free(domain);

    char *l63 = pad("", 'l', 63, ".example");
    char *l64 = pad("", 'l', 64, ".example");
    accepts(l63, NULL, l63, NULL);
    refuses(l64);
    free(l63);
    free(l64);
}

/* Limits count octets after preparation, both ways. */
static void test_length_after_preparation(void **state)
{
    /* 682 fullwidth letters: 2046 octets in, 682 out. */
    char *in = repeat("Ａ", 682, "@example.com");
    char *node = repeat("a", 682, "");
    accepts(in, node, "example.com", NULL);
    free(in);
    free(node);

    /* U+FDFA is 3 octets that NFKC expands to 33: 31 fit, 32 do not. */
    char *s = repeat("ﷺ", 31, "");
    char *jid = malloc(strlen(s) + 5);
    strcpy(jid, "a@b/");
    strcat(jid, s);
    struct strata_jid parsed;
    assert_int_equal(strata_jid_parse(jid, strlen(jid), &parsed), 0);
    assert_int_equal(strlen(parsed.resource), 1023);
    strata_jid_clear(&parsed);
    free(jid);
    free(s);
    s = repeat("ﷺ", 32, "");
    jid = malloc(strlen(s) + 5);
    strcpy(jid, "a@b/");
    strcat(jid, s);
    refuses(jid);
    free(jid);
    free(s);

    /* Input is bounded before preparing, even when it would shrink. */
    s = repeat("\xC2\xAD", 1024, "a@example.com");
    refuses(s);
    free(s);
}

static void test_nul_bytes(void **state)
{
    refuses_n("a\0b@example.com", 15);
    refuses_n("a@example.com\0", 14);
    refuses_n("a@exa\0mple.com", 14);
    refuses_n("a@example.com/r\0s", 17);
    refuses_n("[::1\0junk]", 10);
    refuses_n("\0", 1);
}

static void test_bad_utf8(void **state)
{
    refuses("\xFF@example.com");
    refuses("a@b/\xC0\xAF");         /* overlong '/' */
    refuses("a@b/\xE0\x80\xAF");     /* overlong '/' */
    refuses("a@b/\xED\xA0\x80");     /* surrogate */
    refuses("a@b/\xE2\x82");         /* truncated */
    refuses("a@b/\xF4\x90\x80\x80"); /* above U+10FFFF */
    refuses("a@b/\x80");
    refuses("m\303ller.example");
}

static void test_idn(void **state)
{
    accepts("müller.example", NULL, "müller.example", NULL);
    accepts("a@MÜLLER.Example", "a", "müller.example", NULL);
    /* RFC 7622 §3.2.1: A-labels become U-labels, in any case. */
    accepts("a@xn--mller-kva.example", "a", "müller.example", NULL);
    accepts("XN--MLLER-KVA.EXAMPLE", NULL, "müller.example", NULL);
    accepts("xn--bcher-kva.xn--p1ai", NULL, "bücher.рф", NULL);
    /* Not ToASCII's output for anything: refused, not passed through. */
    refuses("xn--abc-.example");
    refuses("xn--.example");
    refuses("xn--mller-kva-.example");
    refuses("xn--mller-2pa.example");     /* decodes to "mÜller", unprepared */
    refuses("xn--999999999999a.example"); /* beyond U+10FFFF */
    /* A non-ASCII label must not carry the ACE prefix. */
    refuses("xn--mü.example");
    /* IDNA2003 label separators (RFC 3490 §3.1). */
    accepts("example。com", NULL, "example.com", NULL);
    accepts("example．com", NULL, "example.com", NULL);
    accepts("example｡com", NULL, "example.com", NULL);
}

static void test_trailing_dot(void **state)
{
    accepts("example.com.", NULL, "example.com", NULL);
    accepts("a@example.com./r", "a", "example.com", "r");
    accepts("example.com。", NULL, "example.com", NULL);
    refuses("example.com..");
    refuses(".");
    refuses(".example.com");
    refuses("a..example");
    refuses("a@./r");
}

static void test_ip_literals(void **state)
{
    accepts("127.0.0.1", NULL, "127.0.0.1", NULL);
    accepts("a@192.0.2.1/r", "a", "192.0.2.1", "r");
    accepts("192.0.2.1.", NULL, "192.0.2.1", NULL);
    accepts("[::1]", NULL, "[::1]", NULL);
    /* Kept in RFC 5952 form, so equal addresses compare equal. */
    accepts("a@[2001:DB8:0:0::0001]/r", "a", "[2001:db8::1]", "r");
    accepts("[::ffff:192.0.2.1]", NULL, "[::ffff:192.0.2.1]", NULL);
    refuses("[::1");
    refuses("::1");
    refuses("[::1].");
    refuses("[fe80::1%eth0]");
    refuses("[192.0.2.1]");
    refuses("[]");
    refuses("[");
    refuses("[v1.fe]");
    /* Dotted numbers that are not an IPv4 address. */
    refuses("256.1.1.1");
    refuses("127.1");
    refuses("1.2.3");
    refuses("01.2.3.4");
    refuses("1.2.3.4.5");
}

/* Emoji are unassigned in Unicode 3.2: accepted in queries, refused when
 * an account is created. */
static void test_strict(void **state)
{
    struct strata_jid jid;
    assert_int_equal(strata_jid_from_parts("\xF0\x9F\x98\x80", "example.com", NULL, 0, &jid), 0);
    strata_jid_clear(&jid);
    assert_int_equal(
        strata_jid_from_parts("\xF0\x9F\x98\x80", "example.com", NULL, STRATA_JID_STRICT, &jid),
        STRATA_EINVAL);
    assert_null(jid.domain);
    assert_int_equal(strata_jid_from_parts("Juliet", "example.com", NULL, STRATA_JID_STRICT, &jid),
                     0);
    assert_string_equal(jid.node, "juliet");
    strata_jid_clear(&jid);
}

static void test_from_parts(void **state)
{
    struct strata_jid jid;
    assert_int_equal(strata_jid_from_parts("Juliet", "Example.COM.", "Balcony", 0, &jid), 0);
    assert_string_equal(jid.node, "juliet");
    assert_string_equal(jid.domain, "example.com");
    assert_string_equal(jid.resource, "Balcony");
    strata_jid_clear(&jid);

    assert_int_equal(strata_jid_from_parts(NULL, "example.com", NULL, 0, &jid), 0);
    assert_null(jid.node);
    assert_null(jid.resource);
    strata_jid_clear(&jid);

    /* Any resource text is fine; separators elsewhere are not. */
    assert_int_equal(strata_jid_from_parts("a", "b", "c/d@e", 0, &jid), 0);
    assert_string_equal(jid.resource, "c/d@e");
    strata_jid_clear(&jid);
    assert_int_equal(strata_jid_from_parts(NULL, NULL, NULL, 0, &jid), STRATA_EINVAL);
    assert_int_equal(strata_jid_from_parts("", "b", NULL, 0, &jid), STRATA_EINVAL);
    assert_int_equal(strata_jid_from_parts(NULL, "b", "", 0, &jid), STRATA_EINVAL);
    assert_int_equal(strata_jid_from_parts(NULL, "a/b", NULL, 0, &jid), STRATA_EINVAL);
    assert_int_equal(strata_jid_from_parts(NULL, "a@b", NULL, 0, &jid), STRATA_EINVAL);
}

static void test_prep_domain(void **state)
{
    char *out = NULL;
    assert_int_equal(strata_jid_prep_domain("Example.COM.", &out), 0);
    assert_string_equal(out, "example.com");
    free(out);
    assert_int_equal(strata_jid_prep_domain("xn--mller-kva.example", &out), 0);
    assert_string_equal(out, "müller.example");
    free(out);
    assert_int_equal(strata_jid_prep_domain("[::1]", &out), 0);
    assert_string_equal(out, "[::1]");
    free(out);
    out = (char *)"garbage";
    assert_int_equal(strata_jid_prep_domain("not a domain", &out), STRATA_EINVAL);
    assert_null(out);
    assert_int_equal(strata_jid_prep_domain("", &out), STRATA_EINVAL);
    assert_int_equal(strata_jid_prep_domain("a@b", &out), STRATA_EINVAL);
    assert_int_equal(strata_jid_prep_domain(NULL, &out), STRATA_EINVAL);
    assert_null(out);
}

static void test_format(void **state)
{
    struct strata_jid jid;
    assert_int_equal(strata_jid_parse("Juliet@Example.com/Balcony", 26, &jid), 0);
    char *s = strata_jid_to_string(&jid, false);
    assert_string_equal(s, "juliet@example.com/Balcony");
    free(s);
    s = strata_jid_to_string(&jid, true);
    assert_string_equal(s, "juliet@example.com");
    free(s);

    char buf[32];
    assert_int_equal(strata_jid_format(&jid, false, buf, 27), 0);
    assert_string_equal(buf, "juliet@example.com/Balcony");
    assert_int_equal(strata_jid_format(&jid, false, buf, 26), STRATA_ELIMIT);
    assert_int_equal(strata_jid_format(&jid, true, buf, 19), 0);
    assert_string_equal(buf, "juliet@example.com");
    assert_int_equal(strata_jid_format(&jid, true, NULL, 0), STRATA_ELIMIT);
    strata_jid_clear(&jid);

    assert_int_equal(strata_jid_parse("example.com", 11, &jid), 0);
    assert_int_equal(strata_jid_format(&jid, false, buf, sizeof buf), 0);
    assert_string_equal(buf, "example.com");
    strata_jid_clear(&jid);
}

/* The largest JID fills STRATA_JID_MAX octets exactly. */
static void test_format_max(void **state)
{
    char *node = repeat("n", 1023, "");
    char *domain = repeat("d.", 511, "d");
    char *resource = repeat("r", 1023, "");
    struct strata_jid jid;
    assert_int_equal(strata_jid_from_parts(node, domain, resource, 0, &jid), 0);
    char *buf = malloc(STRATA_JID_MAX + 1);
    assert_int_equal(strata_jid_format(&jid, false, buf, STRATA_JID_MAX + 1), 0);
    assert_int_equal(strlen(buf), STRATA_JID_MAX);
    struct strata_jid again;
    assert_int_equal(strata_jid_parse(buf, strlen(buf), &again), 0);
    assert_true(strata_jid_equal(&jid, &again));
    strata_jid_clear(&again);
    strata_jid_clear(&jid);
    free(buf);
    free(node);
    free(domain);
    free(resource);
}

/* Preparation is idempotent: format(parse(x)) parses to the same JID and
 * formats to the same text. */
static void test_round_trip(void **state)
{
    static const char *const inputs[] = {
        "Juliet@Example.COM/Balcony",
        "example.com",
        "example.com./r",
        "a@b/c/d@e",
        "ｊｕｌｉｅｔ@ｅｘａｍｐｌｅ．ｃｏｍ/ＲＥＳ",
        "XN--MLLER-KVA.example",
        "a@[2001:DB8::1]/x",
        "Straße@straße.de/Straße",
        "אב@אב.example/אב",
        "a@b/My Phone \xF0\x9F\x98\x80",
        "192.0.2.1",
    };
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        struct strata_jid first, second;
        assert_int_equal(strata_jid_parse(inputs[i], strlen(inputs[i]), &first), 0);
        char *text = strata_jid_to_string(&first, false);
        assert_int_equal(strata_jid_parse(text, strlen(text), &second), 0);
        assert_true(strata_jid_equal(&first, &second));
        char *again = strata_jid_to_string(&second, false);
        assert_string_equal(text, again);
        free(again);
        free(text);
        strata_jid_clear(&first);
        strata_jid_clear(&second);
    }
}

static void test_equal(void **state)
{
    struct strata_jid a, b, c, d, e;
    assert_int_equal(strata_jid_parse("Juliet@Example.com/Balcony", 26, &a), 0);
    assert_int_equal(strata_jid_parse("juliet@EXAMPLE.com./Balcony", 27, &b), 0);
    assert_int_equal(strata_jid_parse("juliet@example.com/balcony", 26, &c), 0);
    assert_int_equal(strata_jid_parse("juliet@example.com", 18, &d), 0);
    assert_int_equal(strata_jid_parse("example.com", 11, &e), 0);
    assert_true(strata_jid_equal(&a, &b));
    assert_false(strata_jid_equal(&a, &c));
    assert_true(strata_jid_bare_equal(&a, &c));
    assert_false(strata_jid_equal(&a, &d));
    assert_true(strata_jid_bare_equal(&a, &d));
    assert_true(strata_jid_equal(&d, &d));
    assert_false(strata_jid_bare_equal(&d, &e));
    assert_false(strata_jid_bare_equal(&e, &d));
    strata_jid_clear(&a);
    strata_jid_clear(&b);
    strata_jid_clear(&c);
    strata_jid_clear(&d);
    strata_jid_clear(&e);

    /* Unicode and ACE spellings of one domain are one domain. */
    assert_int_equal(strata_jid_parse("a@müller.example", 17, &a), 0);
    assert_int_equal(strata_jid_parse("a@xn--mller-kva.example", 23, &b), 0);
    assert_true(strata_jid_equal(&a, &b));
    strata_jid_clear(&a);
    strata_jid_clear(&b);
}

static void test_copy_and_clear(void **state)
{
    struct strata_jid jid, full, bare, none;
    assert_int_equal(strata_jid_parse("a@b/c", 5, &jid), 0);
    strata_jid_copy(&full, &jid, false);
    strata_jid_copy(&bare, &jid, true);
    assert_true(strata_jid_equal(&full, &jid));
    assert_true(full.domain != jid.domain);
    assert_true(strata_jid_bare_equal(&bare, &jid));
    assert_null(bare.resource);
    strata_jid_clear(&jid);
    assert_null(jid.domain);
    strata_jid_clear(&jid);
    assert_string_equal(full.resource, "c");

    memset(&jid, 0, sizeof jid);
    strata_jid_copy(&none, &jid, false);
    assert_null(none.domain);
    strata_jid_clear(&none);
    strata_jid_clear(&full);
    strata_jid_clear(&bare);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_resource_separators),
        cmocka_unit_test(test_multiple_at),
        cmocka_unit_test(test_empty_parts),
        cmocka_unit_test(test_node_case_folding),
        cmocka_unit_test(test_resource_preserved),
        cmocka_unit_test(test_compatibility_mapping),
        cmocka_unit_test(test_node_prohibited),
        cmocka_unit_test(test_resource_prohibited),
        cmocka_unit_test(test_domain_prohibited),
        cmocka_unit_test(test_bidi),
        cmocka_unit_test(test_length_node_resource),
        cmocka_unit_test(test_length_domain),
        cmocka_unit_test(test_length_after_preparation),
        cmocka_unit_test(test_nul_bytes),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_idn),
        cmocka_unit_test(test_trailing_dot),
        cmocka_unit_test(test_ip_literals),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_from_parts),
        cmocka_unit_test(test_prep_domain),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_format_max),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_equal),
        cmocka_unit_test(test_copy_and_clear),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
