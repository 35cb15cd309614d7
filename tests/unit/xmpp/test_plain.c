/*
 * SASL PLAIN (RFC 4616), SASLprep (RFC 4013 §3 examples), the condition
 * table (RFC 6120 §6.5), the mechanism table and payload encoding
 * (RFC 6120 §6.4.2).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "xmpp/sasl/conditions.h"
#include "xmpp/sasl/credentials.h"
#include "xmpp/sasl/mechanisms.h"
#include "xmpp/sasl/plain.h"
#include "xmpp/sasl/saslprep.h"

/* ---- SASLprep ----------------------------------------------------------- */

static void prep_ok(const char *in, enum saslprep_mode mode, const char *want)
{
    char *out = NULL;
    assert_int_equal(saslprep(in, strlen(in), mode, &out), 0);
    assert_string_equal(out, want);
    free(out);
}

static void prep_fails(const char *in, size_t len, enum saslprep_mode mode)
{
    char *out = (char *)"untouched";
    assert_int_equal(saslprep(in, len, mode, &out), STRATA_EINVAL);
    assert_null(out);
}

static void test_saslprep_rfc4013(void **state)
{
    /* RFC 4013 §3, in order. */
    prep_ok("I\xc2\xadX", SASLPREP_STORED, "IX");   /* SOFT HYPHEN mapped to nothing */
    prep_ok("user", SASLPREP_STORED, "user");       /* no transformation */
    prep_ok("USER", SASLPREP_STORED, "USER");       /* case preserved */
    prep_ok("\xc2\xaa", SASLPREP_STORED, "a");      /* U+00AA: NFKC */
    prep_ok("\xe2\x85\xa8", SASLPREP_STORED, "IX"); /* U+2168: NFKC */
    prep_fails("\x07", 1, SASLPREP_STORED);         /* prohibited */
    prep_fails("\xd8\xa7"
               "1",
               3, SASLPREP_STORED); /* bidi check */
}

static void test_saslprep_more(void **state)
{
    /* Non-ASCII space maps to SPACE (RFC 4013 §2.1). */
    prep_ok("pass\xc2\xa0word", SASLPREP_QUERY, "pass word");
    /* Only soft hyphens: maps to nothing, which is refused. */
    prep_fails("\xc2\xad", 2, SASLPREP_QUERY);
    prep_fails("", 0, SASLPREP_QUERY);
    /* Not UTF-8; embedded NUL. */
    prep_fails("\xc3\x28", 2, SASLPREP_QUERY);
    prep_fails("\xff", 1, SASLPREP_QUERY);
    prep_fails("ab\0cd", 5, SASLPREP_QUERY);
    /* Unassigned code points: allowed in queries, refused when stored. */
    prep_ok("a\xc8\xa1", SASLPREP_QUERY, "a\xc8\xa1");
    prep_fails("a\xc8\xa1", 3, SASLPREP_STORED);
}

/* ---- PLAIN -------------------------------------------------------------- */

static int parse(const char *msg, size_t len, struct sasl_plain *p, enum sasl_condition *cond)
{
    return sasl_plain_parse(msg, len, p, cond);
}

static void test_plain_rfc4616(void **state)
{
    /* RFC 4616 §4 examples. */
    struct sasl_plain p;
    enum sasl_condition cond;
    assert_int_equal(parse("\0tim\0tanstaaftanstaaf", 21, &p, &cond), 0);
    assert_int_equal(cond, SASL_COND_NONE);
    assert_null(p.authzid);
    assert_string_equal(p.authcid, "tim");
    assert_string_equal(p.password, "tanstaaftanstaaf");
    assert_int_equal(p.password_len, 16);
    sasl_plain_release(&p);
    assert_null(p.authcid);

    assert_int_equal(parse("Ursel\0Kurt\0xipj3plmq", 20, &p, &cond), 0);
    assert_string_equal(p.authzid, "Ursel");
    assert_string_equal(p.authcid, "Kurt");
    assert_string_equal(p.password, "xipj3plmq");
    sasl_plain_release(&p);
}

static void test_plain_malformed(void **state)
{
    static const struct {
        const char *msg;
        size_t len;
    } bad[] = {
        {"", 0},
        {"tim", 3},
        {"\0tim", 4},           /* one separator */
        {"\0tim\0pw\0x", 9},    /* a NUL inside the password */
        {"\0\0pw", 4},          /* empty authcid */
        {"\0tim\0", 5},         /* empty password */
        {"\0\xc2\xad\0pw", 6},  /* authcid prepares to nothing */
        {"\0ti\x07m\0pw", 8},   /* prohibited character */
        {"\0\xff\0pw", 5},      /* not UTF-8 */
        {"\0tim\0\xc3\x28", 7}, /* password not UTF-8 */
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct sasl_plain p;
        enum sasl_condition cond = SASL_COND_NONE;
        assert_true(parse(bad[i].msg, bad[i].len, &p, &cond) < 0);
        assert_int_equal(cond, SASL_COND_MALFORMED_REQUEST);
        assert_null(p.authcid);
        assert_null(p.password);
    }
}

static void test_plain_limits(void **state)
{
    char msg[SASL_MAX_MESSAGE + 2];
    struct sasl_plain p;
    enum sasl_condition cond;
    /* authcid at its limit passes, one more byte does not. */
    memset(msg, 'u', sizeof(msg));
    msg[0] = '\0';
    msg[1 + SASL_PLAIN_AUTHCID_MAX] = '\0';
    memcpy(msg + 2 + SASL_PLAIN_AUTHCID_MAX, "pw", 2);
    assert_int_equal(parse(msg, 4 + SASL_PLAIN_AUTHCID_MAX, &p, &cond), 0);
    sasl_plain_release(&p);
    memset(msg, 'u', sizeof(msg));
    msg[0] = '\0';
    msg[2 + SASL_PLAIN_AUTHCID_MAX] = '\0';
    memcpy(msg + 3 + SASL_PLAIN_AUTHCID_MAX, "pw", 2);
    assert_int_equal(parse(msg, 5 + SASL_PLAIN_AUTHCID_MAX, &p, &cond), STRATA_ELIMIT);
    assert_int_equal(cond, SASL_COND_MALFORMED_REQUEST);
    /* Password over its limit. */
    memset(msg, 'p', sizeof(msg));
    memcpy(msg, "\0tim\0", 5);
    assert_int_equal(parse(msg, 5 + SASL_PLAIN_PASSWORD_MAX + 1, &p, &cond), STRATA_ELIMIT);
    /* Authzid over its limit. */
    memset(msg, 'a', sizeof(msg));
    memcpy(msg + SASL_PLAIN_AUTHZID_MAX + 1, "\0tim\0pw", 7);
    assert_int_equal(parse(msg, SASL_PLAIN_AUTHZID_MAX + 8, &p, &cond), STRATA_ELIMIT);
    /* The whole message over SASL_MAX_MESSAGE. */
    assert_int_equal(parse(msg, SASL_MAX_MESSAGE + 1, &p, &cond), STRATA_ELIMIT);
}

static void test_plain_verify(void **state)
{
    struct scram_credentials all[SCRAM_HASH_COUNT];
    struct sasl_plain p;
    enum sasl_condition cond;
    /* The account was created with a non-ASCII space; SASLprep maps both
     * sides to the same string (RFC 4013 §2.1). */
    assert_int_equal(scram_credentials_generate_all("tanstaaf tanstaaf", 17, 4096, all), 0);
    assert_int_equal(parse("\0tim\0tanstaaf\xc2\xa0tanstaaf", 23, &p, &cond), 0);
    assert_int_equal(sasl_plain_verify(&p, &all[SCRAM_SHA_1]), 0);
    assert_int_equal(sasl_plain_verify(&p, &all[SCRAM_SHA_256]), 0);
    sasl_plain_release(&p);

    assert_int_equal(parse("\0tim\0tanstaaftanstaaf", 21, &p, &cond), 0);
    assert_int_equal(sasl_plain_verify(&p, &all[SCRAM_SHA_256]), STRATA_EAUTH);
    /* An unknown user: fake credentials, same work, same answer. */
    struct scram_credentials fake;
    static const unsigned char secret[16] = "0123456789abcdef";
    scram_credentials_fake(SCRAM_SHA_256, secret, 16, "tim", SCRAM_ITERATIONS_MIN, &fake);
    assert_int_equal(sasl_plain_verify(&p, &fake), STRATA_EAUTH);
    sasl_plain_release(&p);
}

/* ---- conditions, mechanisms, payloads ----------------------------------- */

static void test_conditions(void **state)
{
    static const char *const names[] = {
        "aborted",
        "account-disabled",
        "credentials-expired",
        "encryption-required",
        "incorrect-encoding",
        "invalid-authzid",
        "invalid-mechanism",
        "malformed-request",
        "mechanism-too-weak",
        "not-authorized",
        "temporary-auth-failure",
    };
    assert_int_equal(sizeof(names) / sizeof(names[0]), SASL_COND_COUNT - 1);
    for (int c = 1; c < SASL_COND_COUNT; c++) {
        enum sasl_condition back;
        assert_string_equal(sasl_condition_name(c), names[c - 1]);
        assert_int_equal(sasl_condition_find(names[c - 1], &back), 0);
        assert_int_equal(back, c);
    }
    enum sasl_condition back;
    assert_null(sasl_condition_name(SASL_COND_NONE));
    assert_null(sasl_condition_name(SASL_COND_COUNT));
    assert_int_equal(sasl_condition_find("bad-request", &back), STRATA_ENOENT);
}

static void test_mechanisms(void **state)
{
    enum sasl_mech m;
    assert_int_equal(sasl_mech_find("SCRAM-SHA-256-PLUS", 18, &m), 0);
    assert_int_equal(m, SASL_MECH_SCRAM_SHA_256_PLUS);
    const struct sasl_mech_info *info = sasl_mech_info(m);
    assert_true(info->scram);
    assert_true(info->plus);
    assert_int_equal(info->hash, SCRAM_SHA_256);
    assert_int_equal(sasl_mech_find("PLAIN", 5, &m), 0);
    assert_false(sasl_mech_info(m)->scram);
    /* Mechanism names are case-sensitive (RFC 4422 §3.1); prefixes do not match. */
    assert_int_equal(sasl_mech_find("plain", 5, &m), STRATA_ENOENT);
    assert_int_equal(sasl_mech_find("SCRAM-SHA-1-PLUS", 11, &m), 0);
    assert_int_equal(m, SASL_MECH_SCRAM_SHA_1);
    assert_int_equal(sasl_mech_find("DIGEST-MD5", 10, &m), STRATA_ENOENT);
    assert_int_equal(scram_hash_size(SCRAM_SHA_1), 20);
    assert_int_equal(scram_hash_size(SCRAM_SHA_256), 32);
}

static void test_payload(void **state)
{
    struct strbuf out = STRBUF_INIT;
    enum sasl_condition cond;
    assert_int_equal(sasl_payload_decode("=", 1, &out, &cond), 0);
    assert_int_equal(out.len, 0);
    assert_int_equal(sasl_payload_decode("biws", 4, &out, &cond), 0);
    assert_int_equal(out.len, 3);
    assert_memory_equal(out.ptr, "n,,", 3);
    /* Line-wrapped text, as some clients send. */
    assert_int_equal(sasl_payload_decode("\n  AHRp\r\nbQBwdw==\n", 18, &out, &cond), 0);
    assert_int_equal(out.len, 7);
    assert_memory_equal(out.ptr, "\0tim\0pw", 7);
    assert_int_equal(sasl_payload_decode("biw", 3, &out, &cond), STRATA_EINVAL);
    assert_int_equal(cond, SASL_COND_INCORRECT_ENCODING);
    assert_int_equal(sasl_payload_decode("b!ws", 4, &out, &cond), STRATA_EINVAL);
    assert_int_equal(cond, SASL_COND_INCORRECT_ENCODING);
    /* Just over SASL_MAX_MESSAGE decoded bytes. */
    size_t n = (SASL_MAX_MESSAGE / 3 + 2) * 4;
    char *big = malloc(n);
    memset(big, 'A', n);
    assert_int_equal(sasl_payload_decode(big, n, &out, &cond), STRATA_ELIMIT);
    assert_int_equal(cond, SASL_COND_MALFORMED_REQUEST);
    free(big);
    strbuf_release(&out);

    char *enc = sasl_payload_encode("", 0);
    assert_string_equal(enc, "=");
    free(enc);
    enc = sasl_payload_encode("n,,", 3);
    assert_string_equal(enc, "biws");
    free(enc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_saslprep_rfc4013), cmocka_unit_test(test_saslprep_more),
        cmocka_unit_test(test_plain_rfc4616),    cmocka_unit_test(test_plain_malformed),
        cmocka_unit_test(test_plain_limits),     cmocka_unit_test(test_plain_verify),
        cmocka_unit_test(test_conditions),       cmocka_unit_test(test_mechanisms),
        cmocka_unit_test(test_payload),
    };
    return cmocka_run_group_tests_name("xmpp/plain", tests, NULL, NULL);
}
