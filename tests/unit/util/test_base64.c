/*
 * Base64: the RFC 4648 §10 test vectors, strict decoding and limits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "strata/errors.h"
#include "util/base64.h"

static const char *const vectors[][2] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

static void test_rfc4648_encode(void **state)
{
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        char *out = base64_encode_new(vectors[i][0], strlen(vectors[i][0]));
        assert_string_equal(out, vectors[i][1]);
        assert_int_equal(strlen(out), base64_encoded_len(strlen(vectors[i][0])));
        free(out);
    }
}

static void test_rfc4648_decode(void **state)
{
    for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
        char out[16];
        size_t n = 99;
        const char *enc = vectors[i][1];
        assert_int_equal(base64_decode(enc, strlen(enc), out, sizeof(out), &n), 0);
        assert_int_equal(n, strlen(vectors[i][0]));
        assert_memory_equal(out, vectors[i][0], n);
    }
}

static void test_all_bytes_round_trip(void **state)
{
    unsigned char in[256], back[256];
    size_t n = 0;
    for (int i = 0; i < 256; i++) {
        in[i] = (unsigned char)i;
    }
    for (size_t len = 250; len <= 256; len++) {
        char *enc = base64_encode_new(in, len);
        assert_int_equal(base64_decode(enc, strlen(enc), back, sizeof(back), &n), 0);
        assert_int_equal(n, len);
        assert_memory_equal(back, in, len);
        free(enc);
    }
}

static void test_strict(void **state)
{
    /* Each is refused: no padding, bad length, padding in the middle,
     * non-zero pad bits (RFC 4648 §3.5), characters outside the alphabet,
     * the URL-safe alphabet, whitespace, too much padding. */
    static const char *const bad[] = {
        "Zg",   "Zg=",   "Zm9vY", "Zg==Zg==", "Zh==", "Zm9=",   "Zm9v!A==",
        "Zm-_", "Zm9 v", "Z===",  "====",     "Zm=v", "Zg==\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char out[16];
        size_t n = 0;
        assert_int_equal(base64_decode(bad[i], strlen(bad[i]), out, sizeof(out), &n),
                         STRATA_EINVAL);
    }
}

static void test_capacity(void **state)
{
    char out[5];
    size_t n = 0;
    assert_int_equal(base64_decode("Zm9vYmFy", 8, out, 5, &n), STRATA_ELIMIT);
    assert_int_equal(base64_decode("Zm9vYmE=", 8, out, 5, &n), 0);
    assert_int_equal(n, 5);
    assert_int_equal(base64_decoded_max(8), 6);
    assert_int_equal(base64_encoded_len(0), 0);
    assert_int_equal(base64_encoded_len(20), 28);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4648_encode),
        cmocka_unit_test(test_rfc4648_decode),
        cmocka_unit_test(test_all_bytes_round_trip),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_capacity),
    };
    return cmocka_run_group_tests_name("util/base64", tests, NULL, NULL);
}
