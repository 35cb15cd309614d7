/*
 * Option schemas: validation of every type, bounds and choices, table
 * fields, defaults, and suggestions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "config/schema.h"
#include "util/xalloc.h"

static struct cfg_value num(double n, bool is_int)
{
    return (struct cfg_value){.kind = CFG_NUMBER, .is_integer = is_int, .u.n = n};
}

static struct cfg_value str(const char *s)
{
    return (struct cfg_value){.kind = CFG_STRING, .u.str = {(char *)s, strlen(s)}};
}

static struct cfg_value boolean(bool b)
{
    return (struct cfg_value){.kind = CFG_BOOL, .u.b = b};
}

/* A list value of `n` items; freed with free_list. */
static struct cfg_value list(size_t n, const struct cfg_value *items)
{
    struct cfg_table *t = xcalloc(1, sizeof *t);
    t->narray = n;
    t->array = xcalloc(n, sizeof *t->array);
    memcpy(t->array, items, n * sizeof *items);
    return (struct cfg_value){.kind = CFG_TABLE, .u.table = t};
}

static void free_list(struct cfg_value *v)
{
    free(v->u.table->array);
    free(v->u.table);
}

static const char *check(const struct strata_option *o, struct cfg_value v)
{
    static char buf[512];
    return schema_validate(o, &v, buf, sizeof buf);
}

static void test_bool_and_int(void **state)
{
    struct strata_option b = {.name = "b", .type = STRATA_OPT_BOOL};
    assert_null(check(&b, boolean(true)));
    assert_non_null(strstr(check(&b, str("true")), "expected true or false"));
    struct strata_option i = {.name = "i", .type = STRATA_OPT_INT, .min = 1, .max = 10};
    assert_null(check(&i, num(5, true)));
    assert_non_null(strstr(check(&i, num(11, true)), "out of range"));
    assert_non_null(check(&i, num(1.5, false)));
    assert_non_null(check(&i, str("5")));
}

static void test_size_duration_rate(void **state)
{
    struct strata_option s = {.name = "s", .type = STRATA_OPT_SIZE, .min = 10240, .max = 1048576};
    assert_null(check(&s, str("256K")));
    assert_null(check(&s, num(20000, true)));
    const char *msg = check(&s, str("1K"));
    assert_non_null(strstr(msg, "1024 bytes is out of range"));
    assert_non_null(strstr(check(&s, str("lots")), "a size such as"));
    struct strata_option d = {.name = "d", .type = STRATA_OPT_DURATION};
    assert_null(check(&d, str("1w")));
    assert_non_null(check(&d, str("5 parsecs")));
    struct strata_option r = {.name = "r", .type = STRATA_OPT_RATE};
    assert_null(check(&r, str("10kb/s")));
    assert_non_null(check(&r, str("10kb")));
}

static void test_keywords_beside_numbers(void **state)
{
    struct strata_option d = {.name = "archive_expires_after", .type = STRATA_OPT_DURATION,
                              .choices = STRATA_CHOICES("never")};
    assert_null(check(&d, str("never")));
    assert_null(check(&d, str("2w")));
    const char *msg = check(&d, str("nevr"));
    assert_non_null(strstr(msg, "or \"never\""));
    double n;
    struct cfg_value never = str("never");
    assert_int_equal(schema_number(&d, &never, &n), -1);
}

static void test_enum_suggests(void **state)
{
    struct strata_option e = {.name = "e", .type = STRATA_OPT_ENUM,
                              .choices = STRATA_CHOICES("strict", "standard", "legacy")};
    assert_null(check(&e, str("legacy")));
    const char *msg = check(&e, str("standrad"));
    assert_non_null(strstr(msg, "is not one of: strict, standard, legacy"));
    assert_non_null(strstr(msg, "did you mean \"standard\""));
}

static void test_ports(void **state)
{
    struct strata_option p = {.name = "p", .type = STRATA_OPT_PORTS};
    assert_null(check(&p, num(5222, true)));
    struct cfg_value ok = list(2, (struct cfg_value[]){num(5222, true), num(5223, true)});
    assert_null(check(&p, ok));
    free_list(&ok);
    struct cfg_value bad = list(2, (struct cfg_value[]){num(5222, true), num(70000, true)});
    assert_non_null(strstr(check(&p, bad), "70000 is not a port number"));
    free_list(&bad);
    assert_non_null(check(&p, boolean(true)));
}

static void test_strings_and_jids(void **state)
{
    struct strata_option s = {.name = "s", .type = STRATA_OPT_STRINGS,
                              .choices = STRATA_CHOICES("PLAIN", "SCRAM-SHA-1")};
    assert_null(check(&s, str("PLAIN")));
    struct cfg_value bad = list(1, (struct cfg_value[]){str("SCRAM-SHA-2")});
    assert_non_null(strstr(check(&s, bad), "did you mean \"SCRAM-SHA-1\""));
    free_list(&bad);
    struct strata_option j = {.name = "j", .type = STRATA_OPT_JIDS};
    struct cfg_value jids = list(2, (struct cfg_value[]){str("a@b.org"), str("b.org")});
    assert_null(check(&j, jids));
    free_list(&jids);
    struct cfg_value full = list(1, (struct cfg_value[]){str("a@b.org/res")});
    assert_non_null(strstr(check(&j, full), "not a bare JID"));
    free_list(&full);
}

static void test_table_fields(void **state)
{
    static const struct strata_option fields[] = {
        {.name = "certificate", .type = STRATA_OPT_PATH},
        {.name = "depth", .type = STRATA_OPT_INT, .min = 1, .max = 16},
        {0},
    };
    struct strata_option t = {.name = "ssl", .type = STRATA_OPT_TABLE, .fields = fields};
    struct cfg_pair pairs[] = {{"certifcate", str("x.crt")}};
    struct cfg_table tab = {.npairs = 1, .pairs = pairs};
    struct cfg_value v = {.kind = CFG_TABLE, .u.table = &tab};
    const char *msg = check(&t, v);
    assert_non_null(strstr(msg, "unknown field 'certifcate' (did you mean 'certificate'?)"));
    struct cfg_pair deep[] = {{"depth", num(99, true)}};
    tab.pairs = deep;
    assert_non_null(strstr(check(&t, v), "field 'depth'"));
}

static void test_defaults(void **state)
{
    struct strata_option p = {.name = "p", .type = STRATA_OPT_PORTS, .def = "5222, 5223"};
    struct cfg_value v;
    assert_int_equal(schema_default(&p, &v), 0);
    assert_int_equal(v.u.table->narray, 2);
    assert_true(v.u.table->array[1].u.n == 5223);
    cfg_value_clear(&v);
    struct strata_option s = {.name = "s", .type = STRATA_OPT_SIZE, .def = "256K"};
    assert_int_equal(schema_default(&s, &v), 0);
    double n;
    assert_int_equal(schema_number(&s, &v, &n), 0);
    assert_true(n == 262144);
    cfg_value_clear(&v);
    struct strata_option bad = {.name = "b", .type = STRATA_OPT_BOOL, .def = "perhaps"};
    assert_int_equal(schema_default(&bad, &v), -1);
}

static void test_suggestions_over_the_catalogue(void **state)
{
    struct schema_entry e;
    assert_true(schema_find("c2s_ports", &e));
    assert_non_null(e.module);
    assert_string_equal(e.module->name, "c2s");
    assert_true(schema_find("data_path", &e));
    assert_null(e.module);
    assert_string_equal(schema_suggest("c2s_require_encription"), "c2s_require_encryption");
    assert_null(schema_suggest("completely_unrelated_thing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bool_and_int),  cmocka_unit_test(test_size_duration_rate),
        cmocka_unit_test(test_enum_suggests), cmocka_unit_test(test_ports),
        cmocka_unit_test(test_keywords_beside_numbers),
        cmocka_unit_test(test_strings_and_jids), cmocka_unit_test(test_table_fields),
        cmocka_unit_test(test_defaults),      cmocka_unit_test(test_suggestions_over_the_catalogue),
    };
    return cmocka_run_group_tests_name("config/schema", tests, NULL, NULL);
}
