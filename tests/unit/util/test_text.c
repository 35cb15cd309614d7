/*
 * Parsing of administrator-written values: booleans, numbers, lists,
 * sizes, durations, rates, and the edit distance behind did-you-mean.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "util/text.h"

static void test_bool(void **state)
{
    bool b;
    assert_int_equal(text_parse_bool("TRUE", &b), 0);
    assert_true(b);
    assert_int_equal(text_parse_bool("off", &b), 0);
    assert_false(b);
    assert_int_equal(text_parse_bool("0", &b), 0);
    assert_false(b);
    assert_int_equal(text_parse_bool("maybe", &b), -1);
    assert_int_equal(text_parse_bool("", &b), -1);
}

static void test_number(void **state)
{
    double d;
    bool is_int;
    assert_int_equal(text_parse_number(" 5222 ", &d, &is_int), 0);
    assert_true(is_int);
    assert_true(d == 5222);
    assert_int_equal(text_parse_number("1.5", &d, &is_int), 0);
    assert_false(is_int);
    assert_int_equal(text_parse_number("12abc", &d, &is_int), -1);
    assert_int_equal(text_parse_number("", &d, &is_int), -1);
    assert_int_equal(text_parse_number("inf", &d, &is_int), -1);
    assert_int_equal(text_parse_number("1e999", &d, &is_int), -1);
}

static void test_list(void **state)
{
    size_t n;
    char **items = text_split_list(" a , b,,c ", &n);
    assert_int_equal(n, 3);
    assert_string_equal(items[0], "a");
    assert_string_equal(items[2], "c");
    assert_null(items[3]);
    text_free_list(items);
    items = text_split_list("", &n);
    assert_int_equal(n, 0);
    text_free_list(items);
}

static void test_size(void **state)
{
    double d;
    assert_int_equal(text_parse_size("256K", &d), 0);
    assert_true(d == 262144);
    assert_int_equal(text_parse_size("10 MB", &d), 0);
    assert_true(d == 10485760);
    assert_int_equal(text_parse_size("1GiB", &d), 0);
    assert_true(d == 1073741824.0);
    assert_int_equal(text_parse_size("4096", &d), 0);
    assert_int_equal(text_parse_size("lots", &d), -1);
    assert_int_equal(text_parse_size("5 parsecs", &d), -1);
    assert_int_equal(text_parse_size("-1K", &d), -1);
}

static void test_duration(void **state)
{
    double d;
    assert_int_equal(text_parse_duration("1w", &d), 0);
    assert_true(d == 604800);
    assert_int_equal(text_parse_duration("90s", &d), 0);
    assert_true(d == 90);
    assert_int_equal(text_parse_duration("2 hours", &d), 0);
    assert_true(d == 7200);
    assert_int_equal(text_parse_duration("500ms", &d), 0);
    assert_true(d == 0.5);
    assert_int_equal(text_parse_duration("1 fortnight", &d), -1);
}

static void test_rate(void **state)
{
    double d;
    assert_int_equal(text_parse_rate("10kb/s", &d), 0);
    assert_true(d == 10000); /* Prosody: powers of 1000 */
    assert_int_equal(text_parse_rate("1mb/s", &d), 0);
    assert_true(d == 1000000);
    assert_int_equal(text_parse_rate("512", &d), 0);
    assert_int_equal(text_parse_rate("10kb/min", &d), -1);
    assert_int_equal(text_parse_rate("fast/s", &d), -1);
}

static void test_distance(void **state)
{
    assert_int_equal(text_distance("c2s_require_encription", "c2s_require_encryption", 3), 1);
    assert_int_equal(text_distance("muc", "mucc", 3), 1);
    assert_int_equal(text_distance("abc", "abc", 3), 0);
    assert_int_equal(text_distance("abcdef", "uvwxyz", 2), 3); /* capped at cap + 1 */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bool),  cmocka_unit_test(test_number),
        cmocka_unit_test(test_list),  cmocka_unit_test(test_size),
        cmocka_unit_test(test_duration), cmocka_unit_test(test_rate),
        cmocka_unit_test(test_distance),
    };
    return cmocka_run_group_tests_name("util/text", tests, NULL, NULL);
}
