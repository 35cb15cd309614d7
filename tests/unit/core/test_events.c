/*
 * The event bus: interning, priority order, HANDLED stops the walk, hooks
 * added or removed while firing, removal by owner.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "strata/event.h"
#include "strata/module.h"

static char trace[64];

static int record(struct strata_event *ev, void *ud)
{
    strcat(trace, ud);
    return STRATA_PASS;
}

static int stop(struct strata_event *ev, void *ud)
{
    strcat(trace, ud);
    return STRATA_HANDLED;
}

static struct strata_hooks *hooks_for_self_removal;

static int remove_others(struct strata_event *ev, void *ud)
{
    strcat(trace, ud);
    strata_hooks_remove_owner(hooks_for_self_removal, (const struct strata_module *)0x1);
    return STRATA_PASS;
}

static void test_interning(void **state)
{
    int a = strata_event_id("message/bare");
    assert_true(a >= 0);
    assert_int_equal(strata_event_id("message/bare"), a);
    assert_string_equal(strata_event_name(a), "message/bare");
    assert_int_equal(strata_event_find("message/bare!", 12), a);
    assert_int_equal(strata_event_find("never/seen", 10), -1);
}

static void test_priority_and_handled(void **state)
{
    struct strata_hooks *h = strata_hooks_new();
    int id = strata_event_id("iq-get/host/urn:xmpp:ping:ping");
    strata_hooks_add(h, id, 0, record, "c", NULL);
    strata_hooks_add(h, id, 10, record, "a", NULL);
    strata_hooks_add(h, id, 10, record, "b", NULL); /* same priority: order added */
    strata_hooks_add(h, id, -5, stop, "d", NULL);
    strata_hooks_add(h, id, -10, record, "e", NULL);
    struct strata_event ev = {.id = id};
    trace[0] = '\0';
    assert_int_equal(strata_hooks_fire(h, &ev), STRATA_HANDLED);
    assert_string_equal(trace, "abcd");
    ev.id = strata_event_id("nobody/listens");
    assert_int_equal(strata_hooks_fire(h, &ev), STRATA_PASS);
    strata_hooks_free(h);
}

static void test_changes_while_firing(void **state)
{
    struct strata_hooks *h = strata_hooks_new();
    hooks_for_self_removal = h;
    int id = strata_event_id("presence/full");
    const struct strata_module *owner = (const struct strata_module *)0x1;
    strata_hooks_add(h, id, 5, remove_others, "x", NULL);
    strata_hooks_add(h, id, 1, record, "y", owner);
    struct strata_event ev = {.id = id};
    trace[0] = '\0';
    strata_hooks_fire(h, &ev);
    assert_string_equal(trace, "xy"); /* the snapshot still runs y this time */
    trace[0] = '\0';
    strata_hooks_fire(h, &ev);
    assert_string_equal(trace, "x"); /* but not the next */
    assert_true(strata_hooks_has(h, id));
    strata_hooks_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interning),
        cmocka_unit_test(test_priority_and_handled),
        cmocka_unit_test(test_changes_while_firing),
    };
    return cmocka_run_group_tests_name("core/events", tests, NULL, NULL);
}
