/*
 * Roster items: the stored form round-trips, damaged or hostile values are
 * refused (never read past their end), and the XML a client sees.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "modules/04-protocol/roster/item.h"
#include "modules/04-protocol/roster/subscription.h"
#include "strata/stanza.h"
#include "util/strbuf.h"

static struct roster_item *sample(void)
{
    struct roster_item *it = roster_item_new("juliet@example.com");
    const char *groups[] = {"Friends", "Capulets & co <3"};
    roster_item_set_details(it, "Juliet", groups, 2);
    it->state = SUB_TO | SUB_PENDING_IN;
    it->visible = true;
    it->ver = 0x0102030405060708ull;
    struct strata_stanza *req;
    const char *xml = "<presence xmlns='jabber:client' from='juliet@example.com' "
                      "to='romeo@example.net' type='subscribe'><status>hi</status></presence>";
    assert_int_equal(strata_stanza_parse(xml, strlen(xml), NULL, &req), 0);
    roster_item_set_request(it, req);
    strata_stanza_unref(req);
    return it;
}

static void test_round_trip(void **state)
{
    struct roster_item *it = sample();
    struct strbuf b = STRBUF_INIT;
    roster_item_encode(it, &b);
    struct roster_item *back = roster_item_decode(it->jid, b.ptr, b.len);
    assert_non_null(back);
    assert_string_equal(back->jid, "juliet@example.com");
    assert_string_equal(back->name, "Juliet");
    assert_int_equal(back->ngroups, 2);
    assert_string_equal(back->groups[1], "Capulets & co <3");
    assert_int_equal(back->state, SUB_TO | SUB_PENDING_IN);
    assert_true(back->visible);
    assert_true(back->ver == 0x0102030405060708ull);
    assert_non_null(back->request);
    assert_string_equal(strata_stanza_attr(back->request, "type"), "subscribe");
    assert_string_equal(strata_stanza_child_text(back->request, "status", NULL), "hi");
    roster_item_free(back);
    roster_item_free(it);
    strbuf_release(&b);
}

static void test_minimal_round_trip(void **state)
{
    struct roster_item *it = roster_item_new("a@b");
    it->ver = 7; /* a tombstone */
    assert_true(roster_item_is_tombstone(it));
    struct strbuf b = STRBUF_INIT;
    roster_item_encode(it, &b);
    struct roster_item *back = roster_item_decode("a@b", b.ptr, b.len);
    assert_non_null(back);
    assert_null(back->name);
    assert_int_equal(back->ngroups, 0);
    assert_null(back->request);
    assert_false(back->visible);
    assert_true(roster_item_is_tombstone(back));
    roster_item_free(back);
    roster_item_free(it);
    strbuf_release(&b);
}

/* Every truncation and every single-byte change of a valid value either
 * decodes or is refused; none reads out of bounds (ASan watches). */
static void test_damage_is_refused(void **state)
{
    struct roster_item *it = sample();
    struct strbuf b = STRBUF_INIT;
    roster_item_encode(it, &b);
    for (size_t n = 0; n < b.len; n++) {
        unsigned char *copy = malloc(n ? n : 1);
        memcpy(copy, b.ptr, n);
        assert_null(roster_item_decode("x@y", copy, n)); /* truncated */
        free(copy);
    }
    unsigned char *copy = malloc(b.len + 1);
    memcpy(copy, b.ptr, b.len);
    copy[b.len] = 0;
    assert_null(roster_item_decode("x@y", copy, b.len + 1)); /* trailing byte */
    for (size_t i = 0; i < b.len; i++) {
        for (int bit = 0; bit < 8; bit++) {
            memcpy(copy, b.ptr, b.len);
            copy[i] ^= (unsigned char)(1u << bit);
            roster_item_free(roster_item_decode("x@y", copy, b.len));
        }
    }
    free(copy);
    /* Unknown format, illegal state, unknown flags, over-long name. */
    const unsigned char v2[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_null(roster_item_decode("x@y", v2, sizeof v2));
    const unsigned char bad_state[] = {
        1, SUB_TO | SUB_PENDING_OUT, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_null(roster_item_decode("x@y", bad_state, sizeof bad_state));
    const unsigned char bad_flags[] = {1, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    assert_null(roster_item_decode("x@y", bad_flags, sizeof bad_flags));
    const unsigned char ok[] = {1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    struct roster_item *fine = roster_item_decode("x@y", ok, sizeof ok);
    assert_non_null(fine);
    roster_item_free(fine);
    unsigned char long_name[2 + 1 + 8 + 2 + 1030 + 2 + 4] = {1, 0, 1};
    long_name[11] = (1030 >> 8) & 0xff;
    long_name[12] = 1030 & 0xff;
    memset(long_name + 13, 'n', 1030);
    assert_null(roster_item_decode("x@y", long_name, sizeof long_name));
    roster_item_free(it);
    strbuf_release(&b);
}

static void test_big_request_is_kept_small(void **state)
{
    struct roster_item *it = roster_item_new("a@b");
    struct strata_stanza *p = strata_stanza_new("presence", strata_atoms.ns_client);
    strata_stanza_set_attr(p, "type", "subscribe");
    strata_stanza_set_attr(p, "from", "a@b");
    char *big = malloc(ROSTER_REQUEST_MAX + 10);
    memset(big, 's', ROSTER_REQUEST_MAX + 9);
    big[ROSTER_REQUEST_MAX + 9] = '\0';
    strata_stanza_add_text_child(p, "status", NULL, big);
    roster_item_set_request(it, p);
    assert_non_null(it->request);
    assert_null(strata_stanza_child(it->request, "status", NULL));
    assert_string_equal(strata_stanza_attr(it->request, "from"), "a@b");
    free(big);
    strata_stanza_unref(p);
    roster_item_free(it);
}

static void test_xml(void **state)
{
    struct roster_item *it = sample();
    it->state = SUB_PENDING_OUT | SUB_APPROVED;
    struct strata_stanza *q = strata_stanza_new("query", strata_atoms.ns_roster);
    roster_item_to_xml(it, q);
    char *xml = strata_stanza_to_string(q, NULL);
    assert_string_equal(xml, "<query xmlns='jabber:iq:roster'><item jid='juliet@example.com' "
                             "name='Juliet' subscription='none' ask='subscribe' approved='true'>"
                             "<group>Friends</group><group>Capulets &amp; co &lt;3</group>"
                             "</item></query>");
    free(xml);
    strata_stanza_unref(q);
    it->visible = false; /* to the client: gone */
    q = strata_stanza_new("query", strata_atoms.ns_roster);
    roster_item_to_xml(it, q);
    xml = strata_stanza_to_string(q, NULL);
    assert_string_equal(xml, "<query xmlns='jabber:iq:roster'><item jid='juliet@example.com' "
                             "subscription='remove'/></query>");
    free(xml);
    strata_stanza_unref(q);
    roster_item_free(it);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_minimal_round_trip),
        cmocka_unit_test(test_damage_is_refused),
        cmocka_unit_test(test_big_request_is_kept_small),
        cmocka_unit_test(test_xml),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
