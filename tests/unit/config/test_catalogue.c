/*
 * The module catalogue and the server-wide options, checked as a whole:
 * names unique, dependencies real, every declared default valid under its
 * own schema, every option documented and in the right place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "config/core_options.h"
#include "config/schema.h"

/* Like assert_true, naming the module or option that broke the rule. */
#define EXPECT(cond, name)                                                                       \
    do {                                                                                         \
        if (!(cond)) {                                                                           \
            print_error("%s: expected %s\n", (name), #cond);                                     \
            fail();                                                                              \
        }                                                                                        \
    } while (0)

static void test_module_names_are_unique(void **state)
{
    size_t n;
    const struct strata_module *const *all = strata_modules_all(&n);
    assert_true(n >= 70);
    for (size_t i = 0; i < n; i++) {
        assert_ptr_equal(strata_module_find(all[i]->name), all[i]);
        for (const char *const *a = all[i]->aliases; a && *a; a++) {
            assert_ptr_equal(strata_module_find(*a), all[i]);
        }
        for (size_t k = i + 1; k < n; k++) {
            assert_string_not_equal(all[i]->name, all[k]->name);
        }
    }
}

static bool in(const char *name, const char *const *list)
{
    for (; list && *list; list++) {
        if (strcmp(*list, name) == 0) {
            return true;
        }
    }
    return false;
}

static void test_modules_are_well_formed(void **state)
{
    size_t n;
    const struct strata_module *const *all = strata_modules_all(&n);
    int last_layer = 1;
    for (size_t i = 0; i < n; i++) {
        const struct strata_module *m = all[i];
        EXPECT(m->layer >= 1 && m->layer <= STRATA_LAYER_COUNT, m->name);
        EXPECT((int)m->layer >= last_layer, m->name); /* catalogue in layer order */
        last_layer = (int)m->layer;
        EXPECT(in(m->config_file, strata_layer_files(m->layer)), m->name);
        EXPECT(m->summary, m->name);
        EXPECT(m->scope != 0, m->name);
        EXPECT((m->state == STRATA_MODULE_REFUSED) == (m->tier == STRATA_TIER_NONE), m->name);
        EXPECT(m->state != STRATA_MODULE_REFUSED || m->refusal, m->name);
        EXPECT(m->state != STRATA_MODULE_IMPLEMENTED || m->tested_with, m->name);
        const char *const *lists[] = {m->requires, m->wants, m->conflicts};
        for (size_t l = 0; l < 3; l++) {
            for (const char *const *d = lists[l]; d && *d; d++) {
                EXPECT(strata_module_find(*d), m->name);
                EXPECT(strcmp(*d, m->name) != 0, m->name);
            }
        }
    }
}

struct seen {
    const char *names[4096];
    size_t count;
};

/* Fields of a table option may go without help: the table's help names them. */
static void check_option(const struct strata_option *o, bool top)
{
    char msg[512];
    struct cfg_value def;
    EXPECT(!top || o->help, o->name);
    EXPECT(schema_default(o, &def) == 0, o->name);
    const char *bad = schema_validate(o, &def, msg, sizeof msg);
    if (bad) {
        print_error("default of %s does not fit its own schema: %s\n", o->name, bad);
    }
    assert_null(bad);
    cfg_value_clear(&def);
    EXPECT(o->type != STRATA_OPT_ENUM || o->choices, o->name);
    for (const struct strata_option *f = o->fields; f && f->name; f++) {
        check_option(f, false);
    }
}

static void visit(const struct schema_entry *e, void *ud)
{
    struct seen *s = ud;
    for (size_t i = 0; i < s->count; i++) {
        if (strcmp(s->names[i], e->option->name) == 0) {
            print_error("option %s is declared twice\n", e->option->name);
            fail();
        }
    }
    assert_true(s->count < 4096);
    s->names[s->count++] = e->option->name;
    check_option(e->option, true);
}

static void test_options_unique_valid_and_documented(void **state)
{
    static struct seen s;
    schema_each(visit, &s);
    assert_true(s.count > 200);
}

static void test_layer_tables(void **state)
{
    assert_string_equal(strata_layer_dir(STRATA_LAYER_SERVICES), "05-services");
    assert_string_equal(strata_layer_list_prefix(STRATA_LAYER_STREAM), "stream");
    assert_null(strata_layer_dir(0));
    assert_int_equal(strata_tier_parse("alpha"), STRATA_TIER_ALPHA);
    assert_int_equal(strata_tier_parse("gamma"), -1);
    assert_non_null(strata_module_find("compression"));
    assert_int_equal(strata_module_find("compression")->state, STRATA_MODULE_REFUSED);
    assert_ptr_equal(strata_module_find("admin_telnet"), strata_module_find("admin_shell"));
    assert_ptr_equal(strata_module_find("turncredentials"), strata_module_find("external_services"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_module_names_are_unique),
        cmocka_unit_test(test_modules_are_well_formed),
        cmocka_unit_test(test_options_unique_valid_and_documented),
        cmocka_unit_test(test_layer_tables),
    };
    return cmocka_run_group_tests_name("config/catalogue", tests, NULL, NULL);
}
