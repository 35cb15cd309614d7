/*
 * The subscription state machine against RFC 6121 Appendix A, row by row:
 * the tables below are the RFC's, written out as it prints them (state
 * names and all), not derived from the code; plus pre-approval (§3.4) and
 * the invariant that no stanza ever leads to an illegal state.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "modules/04-protocol/roster/subscription.h"

/* The nine states of Appendix A.1, by their RFC names. */
static const struct {
    const char *name;
    unsigned bits;
} states[] = {
    {"None", 0},
    {"None + Pending Out", SUB_PENDING_OUT},
    {"None + Pending In", SUB_PENDING_IN},
    {"None + Pending Out/In", SUB_PENDING_OUT | SUB_PENDING_IN},
    {"To", SUB_TO},
    {"To + Pending In", SUB_TO | SUB_PENDING_IN},
    {"From", SUB_FROM},
    {"From + Pending Out", SUB_FROM | SUB_PENDING_OUT},
    {"Both", SUB_TO | SUB_FROM},
};

static unsigned bits_of(const char *name)
{
    for (size_t i = 0; i < 9; i++) {
        if (strcmp(states[i].name, name) == 0) {
            return states[i].bits;
        }
    }
    fail_msg("unknown state %s", name);
    return 0;
}

/* One row: EXISTING STATE | ROUTE? or DELIVER? | NEW STATE ("" = no state
 * change). */
struct row {
    const char *existing;
    bool pass;
    const char *next;
};

static void check_table(enum sub_type t, bool inbound, const struct row rows[9])
{
    for (size_t i = 0; i < 9; i++) {
        unsigned s = bits_of(rows[i].existing);
        struct sub_result r = inbound ? sub_inbound(s, t) : sub_outbound(s, t);
        unsigned want = rows[i].next[0] ? bits_of(rows[i].next) : s;
        char what[128];
        snprintf(what, sizeof what, "%s %s in \"%s\"", inbound ? "inbound" : "outbound",
                 sub_type_name(t), rows[i].existing);
        if (r.pass != rows[i].pass) {
            fail_msg("%s: pass %d, the RFC says %d", what, r.pass, rows[i].pass);
        }
        /* Pre-approval is a flag on top of the RFC's states (§3.4.1). */
        if ((r.state & ~SUB_APPROVED) != want) {
            fail_msg("%s: got \"%s\", the RFC says \"%s\"", what, sub_state_name(r.state),
                     sub_state_name(want));
        }
        assert_true(sub_state_valid(r.state));
    }
}

/* ---- A.2: the user's server, outbound ---------------------------------- */

static void test_outbound_subscribe(void **state)
{
    static const struct row rows[9] = {
        {"None", true, "None + Pending Out"},
        {"None + Pending Out", true, ""},
        {"None + Pending In", true, "None + Pending Out/In"},
        {"None + Pending Out/In", true, ""},
        {"To", true, ""},
        {"To + Pending In", true, ""},
        {"From", true, "From + Pending Out"},
        {"From + Pending Out", true, ""},
        {"Both", true, ""},
    };
    check_table(SUB_SUBSCRIBE, false, rows); /* A.2.1 */
}

static void test_outbound_unsubscribe(void **state)
{
    static const struct row rows[9] = {
        {"None", true, ""},
        {"None + Pending Out", true, "None"},
        {"None + Pending In", true, ""},
        {"None + Pending Out/In", true, "None + Pending In"},
        {"To", true, "None"},
        {"To + Pending In", true, "None + Pending In"},
        {"From", true, ""},
        {"From + Pending Out", true, "From"},
        {"Both", true, "From"},
    };
    check_table(SUB_UNSUBSCRIBE, false, rows); /* A.2.2 */
}

static void test_outbound_subscribed(void **state)
{
    static const struct row rows[9] = {
        {"None", false, ""},
        {"None + Pending Out", false, ""},
        {"None + Pending In", true, "From"},
        {"None + Pending Out/In", true, "From + Pending Out"},
        {"To", false, ""},
        {"To + Pending In", true, "Both"},
        {"From", false, ""},
        {"From + Pending Out", false, ""},
        {"Both", false, ""},
    };
    check_table(SUB_SUBSCRIBED, false, rows); /* A.2.3 */
}

static void test_outbound_unsubscribed(void **state)
{
    static const struct row rows[9] = {
        {"None", false, ""},
        {"None + Pending Out", false, ""},
        {"None + Pending In", true, "None"},
        {"None + Pending Out/In", true, "None + Pending Out"},
        {"To", false, ""},
        {"To + Pending In", true, "To"},
        {"From", true, "None"},
        {"From + Pending Out", true, "None + Pending Out"},
        {"Both", true, "To"},
    };
    check_table(SUB_UNSUBSCRIBED, false, rows); /* A.2.4 */
}

/* ---- A.3: the contact's server, inbound --------------------------------- */

static void test_inbound_subscribe(void **state)
{
    static const struct row rows[9] = {
        {"None", true, "None + Pending In"},
        {"None + Pending Out", true, "None + Pending Out/In"},
        {"None + Pending In", false, ""},
        {"None + Pending Out/In", false, ""},
        {"To", true, "To + Pending In"},
        {"To + Pending In", false, ""},
        {"From", false, ""},
        {"From + Pending Out", false, ""},
        {"Both", false, ""},
    };
    check_table(SUB_SUBSCRIBE, true, rows); /* A.3.1 */
    /* The rows marked *: the server answers "subscribed" itself. */
    for (size_t i = 0; i < 9; i++) {
        struct sub_result r = sub_inbound(states[i].bits, SUB_SUBSCRIBE);
        assert_int_equal(r.auto_subscribed, (states[i].bits & SUB_FROM) != 0);
    }
}

static void test_inbound_subscribed(void **state)
{
    static const struct row rows[9] = {
        {"None", false, ""},
        {"None + Pending Out", true, "To"},
        {"None + Pending In", false, ""},
        {"None + Pending Out/In", true, "To + Pending In"},
        {"To", false, ""},
        {"To + Pending In", false, ""},
        {"From", false, ""},
        {"From + Pending Out", true, "Both"},
        {"Both", false, ""},
    };
    check_table(SUB_SUBSCRIBED, true, rows); /* A.3.2 */
}

static void test_inbound_unsubscribe(void **state)
{
    static const struct row rows[9] = {
        {"None", false, ""},
        {"None + Pending Out", false, ""},
        {"None + Pending In", true, "None"},
        {"None + Pending Out/In", true, "None + Pending Out"},
        {"To", false, ""},
        {"To + Pending In", true, "To"},
        {"From", true, "None"},
        {"From + Pending Out", true, "None + Pending Out"},
        {"Both", true, "To"},
    };
    check_table(SUB_UNSUBSCRIBE, true, rows); /* A.3.3 */
}

static void test_inbound_unsubscribed(void **state)
{
    static const struct row rows[9] = {
        {"None", false, ""},
        {"None + Pending Out", true, "None"},
        {"None + Pending In", false, ""},
        {"None + Pending Out/In", true, "None + Pending In"},
        {"To", true, "None"},
        {"To + Pending In", true, "None + Pending In"},
        {"From", false, ""},
        {"From + Pending Out", true, "From"},
        {"Both", true, "From"},
    };
    check_table(SUB_UNSUBSCRIBED, true, rows); /* A.3.4 */
}

/* ---- §3.4 pre-approval --------------------------------------------------- */

static void test_pre_approval(void **state)
{
    /* §3.4.1: "subscribed" with no request to approve marks the item. */
    const unsigned can[] = {0, SUB_PENDING_OUT, SUB_TO};
    for (size_t i = 0; i < 3; i++) {
        struct sub_result r = sub_outbound(can[i], SUB_SUBSCRIBED);
        assert_false(r.pass);
        assert_int_equal(r.state, can[i] | SUB_APPROVED);
        /* §3.4.2: the request then comes: approved on the spot, not delivered. */
        struct sub_result in = sub_inbound(r.state, SUB_SUBSCRIBE);
        assert_false(in.pass);
        assert_true(in.auto_subscribed);
        assert_int_equal(in.state, can[i] | SUB_FROM);
        /* Withdrawn with "unsubscribed": the request is delivered again. */
        struct sub_result w = sub_outbound(r.state, SUB_UNSUBSCRIBED);
        assert_false(w.pass);
        assert_int_equal(w.state, can[i]);
        assert_true(sub_inbound(w.state, SUB_SUBSCRIBE).pass);
    }
    /* A pre-approval survives what does not touch "from". */
    unsigned s = SUB_APPROVED;
    s = sub_outbound(s, SUB_SUBSCRIBE).state;
    assert_int_equal(s, SUB_APPROVED | SUB_PENDING_OUT);
    s = sub_inbound(s, SUB_SUBSCRIBED).state;
    assert_int_equal(s, SUB_APPROVED | SUB_TO);
    assert_int_equal(sub_inbound(s, SUB_SUBSCRIBE).state, SUB_TO | SUB_FROM);
}

/* Any stanza in any legal state (with or without a pre-approval) gives a
 * legal state. */
static void test_closed_under_every_stanza(void **state)
{
    for (unsigned s = 0; s <= SUB_MASK; s++) {
        if (!sub_state_valid(s)) {
            continue;
        }
        for (int t = 0; t < 4; t++) {
            assert_true(sub_state_valid(sub_outbound(s, (enum sub_type)t).state));
            assert_true(sub_state_valid(sub_inbound(s, (enum sub_type)t).state));
        }
    }
    assert_false(sub_state_valid(SUB_TO | SUB_PENDING_OUT));
    assert_false(sub_state_valid(SUB_FROM | SUB_PENDING_IN));
    assert_false(sub_state_valid(SUB_FROM | SUB_APPROVED));
    assert_false(sub_state_valid(1u << 7));
}

static void test_names(void **state)
{
    assert_int_equal(sub_type_parse("subscribe"), SUB_SUBSCRIBE);
    assert_int_equal(sub_type_parse("unsubscribed"), SUB_UNSUBSCRIBED);
    assert_int_equal(sub_type_parse("probe"), -1);
    assert_int_equal(sub_type_parse(NULL), -1);
    assert_string_equal(sub_attr(SUB_TO | SUB_PENDING_IN), "to");
    assert_string_equal(sub_attr(SUB_FROM | SUB_PENDING_OUT), "from");
    assert_string_equal(sub_attr(SUB_TO | SUB_FROM), "both");
    assert_string_equal(sub_attr(SUB_PENDING_OUT | SUB_APPROVED), "none");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outbound_subscribe),
        cmocka_unit_test(test_outbound_unsubscribe),
        cmocka_unit_test(test_outbound_subscribed),
        cmocka_unit_test(test_outbound_unsubscribed),
        cmocka_unit_test(test_inbound_subscribe),
        cmocka_unit_test(test_inbound_subscribed),
        cmocka_unit_test(test_inbound_unsubscribe),
        cmocka_unit_test(test_inbound_unsubscribed),
        cmocka_unit_test(test_pre_approval),
        cmocka_unit_test(test_closed_under_every_stanza),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
