/*
 * The string map: put, get, replace, remove, growth past many entries,
 * reuse of deleted slots.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>

#include "util/strmap.h"

static void test_basic(void **state)
{
    struct strmap m = STRMAP_INIT;
    int a, b;
    assert_null(strmap_get(&m, "x"));
    assert_null(strmap_put(&m, "juliet@example.org", &a));
    assert_ptr_equal(strmap_get(&m, "juliet@example.org"), &a);
    assert_ptr_equal(strmap_put(&m, "juliet@example.org", &b), &a);
    assert_ptr_equal(strmap_remove(&m, "juliet@example.org"), &b);
    assert_null(strmap_get(&m, "juliet@example.org"));
    assert_int_equal(m.count, 0);
    strmap_clear(&m);
}

static void test_many(void **state)
{
    struct strmap m = STRMAP_INIT;
    static int values[5000];
    char key[32];
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5000; i++) {
            snprintf(key, sizeof key, "user%d@example.org", i);
            strmap_put(&m, key, &values[i]);
        }
        for (int i = 0; i < 5000; i += 2) {
            snprintf(key, sizeof key, "user%d@example.org", i);
            assert_ptr_equal(strmap_remove(&m, key), &values[i]);
        }
        assert_int_equal(m.count, 2500);
        for (int i = 1; i < 5000; i += 2) {
            snprintf(key, sizeof key, "user%d@example.org", i);
            assert_ptr_equal(strmap_get(&m, key), &values[i]);
        }
    }
    assert_true(m.cap <= 16384); /* deleted slots are reused, not accumulated */
    strmap_clear(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_basic), cmocka_unit_test(test_many)};
    return cmocka_run_group_tests_name("util/strmap", tests, NULL, NULL);
}
