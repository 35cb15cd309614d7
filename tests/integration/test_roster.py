"""Rosters (RFC 6121 §2): get, set, remove, pushes to every interested
resource (§2.1.6), the errors of §2.3.3 and §2.5.3, the item limit
(roster_max_items, refused with <resource-constraint/>), and roster
versioning (§2.6): an unchanged roster answers with an empty result, a
changed one with an empty result and the pushes since, versions only grow,
also across a restart."""
import xml.etree.ElementTree as ET

import pytest

from im import (NS_ROSTER, IMClient, condition, im, im_server, items_of, jid,  # noqa: F401
                server, users, _pool)
from rawclient import q

MAX_ITEMS = 10
SERVER_CONFIG = "roster_max_items = %d\n" % MAX_ITEMS


def query_of(reply):
    assert reply.get("type") == "result", ET.tostring(reply)
    return reply.find(q(NS_ROSTER, "query"))


def test_stream_features_announce_versioning_and_pre_approval(server, users):
    (alice,) = users(1)
    raw = server.raw()
    raw.open_stream()
    raw.starttls()
    raw.open_stream()
    assert raw.auth_scram(alice, server.accounts[alice]) == "success"
    features = raw.open_stream()
    assert features.find(q("urn:xmpp:features:rosterver", "ver")) is not None, ET.tostring(features)
    assert features.find(q("urn:xmpp:features:pre-approval", "sub")) is not None
    raw.close()


def test_features_before_authentication_have_no_roster(server):
    raw = server.raw()
    raw.open_stream()
    raw.starttls()
    features = raw.open_stream()
    assert features.find(q("urn:xmpp:features:rosterver", "ver")) is None
    raw.close()


def test_empty_roster(im, users):
    (alice,) = users(1)
    a = im(alice)
    query = query_of(a.roster_get())
    assert items_of(query) == {}
    assert query.get("ver") is None  # §2.6.3: no 'ver' asked, none given


def test_set_get_update_remove(im, users):
    alice, bob = users(2)
    a = im(alice)
    assert a.roster() == {}
    reply = a.roster_set(jid(bob), name="Bob", groups=["Friends", "Work"])
    assert reply.get("type") == "result", ET.tostring(reply)
    assert a.wait_push(jid(bob))[0] == ("none", None, None, "Bob", ["Friends", "Work"])
    assert a.roster() == {jid(bob): ("none", None, None, "Bob", ["Friends", "Work"])}
    # §2.4: an update replaces name and groups
    assert a.roster_set(jid(bob), name="Robert").get("type") == "result"
    assert a.wait_push(jid(bob))[0] == ("none", None, None, "Robert", [])
    assert a.roster() == {jid(bob): ("none", None, None, "Robert", [])}
    # §2.5: remove
    assert a.roster_set(jid(bob), remove=True).get("type") == "result"
    assert a.wait_push(jid(bob))[0][0] == "remove"
    assert a.roster() == {}


def test_jids_are_prepared(im, users):
    alice, bob = users(2)
    a = im(alice)
    a.roster_set("%s@LOCALHOST" % bob.upper(), name="b")
    assert list(a.roster()) == [jid(bob)]


def test_client_values_of_subscription_ask_approved_are_ignored(im, users):
    """§2.1.2: subscription (but 'remove'), ask and approved are the server's."""
    alice, bob = users(2)
    a = im(alice)
    reply = a.roster_set(None, raw_item="<item jid='%s' subscription='both' ask='subscribe' "
                                         "approved='true'/>" % jid(bob))
    assert reply.get("type") == "result", ET.tostring(reply)
    assert a.roster() == {jid(bob): ("none", None, None, None, [])}


def test_pushes_go_to_every_interested_resource(im, users):
    """§2.1.6: pushes go to the resources that asked for the roster, the
    one that made the change included, and not to the others."""
    (alice, bob) = users(2)
    one = im(alice, resource="one")
    two = im(alice, resource="two")
    quiet = im(alice, resource="quiet")
    one.roster_get()
    two.roster_get()
    one.roster_set(jid(bob), name="B")
    assert one.wait_push(jid(bob))[0][3] == "B"
    assert two.wait_push(jid(bob))[0][3] == "B"
    quiet.assert_no_push()
    # the change is the roster of every resource
    assert quiet.roster()[jid(bob)][3] == "B"
    # and now `quiet` is interested too
    two.roster_set(jid(bob), remove=True)
    for c in (one, two, quiet):
        assert c.wait_push(jid(bob))[0][0] == "remove"


@pytest.mark.parametrize("item, expected", [
    ("<item jid='%(b)s'/><item jid='%(c)s'/>", "bad-request"),     # two items
    ("", "bad-request"),                                            # none
    ("<item name='x'/>", "bad-request"),                            # no jid
    ("<item jid='a@b@c'/>", "jid-malformed"),
    ("<item jid='@localhost'/>", "jid-malformed"),
    ("<item jid='%(self)s'/>", "not-allowed"),                      # oneself
    ("<item jid='%(b)s' name='" + "n" * 1025 + "'/>", "not-acceptable"),
    ("<item jid='%(b)s'><group></group></item>", "not-acceptable"),  # empty group
    ("<item jid='%(b)s'><group>" + "g" * 1025 + "</group></item>", "not-acceptable"),
    ("<item jid='%(b)s'><group>G</group><group>G</group></item>", "bad-request"),  # duplicate
    ("<item jid='%(b)s'>" + "".join("<group>g%d</group>" % i for i in range(65)) + "</item>",
     "not-acceptable"),
    ("<item jid='%(c)s' subscription='remove'/>", "item-not-found"),  # §2.5.3
])
def test_roster_set_errors(im, users, item, expected):
    """§2.3.3, §2.5.3: what a roster set may not do; nothing changes."""
    alice, bob, carol = users(3)
    a = im(alice)
    a.roster_set(jid(bob), name="keep")
    reply = a.roster_set(None, raw_item=item % {"b": jid(bob), "c": jid(carol), "self": jid(alice)})
    assert condition(reply) == expected, ET.tostring(reply)
    assert a.roster() == {jid(bob): ("none", None, None, "keep", [])}


def test_limits_are_inclusive(im, users):
    """A name of 1024 bytes and 64 groups of 1024 bytes are fine."""
    alice, bob = users(2)
    a = im(alice)
    groups = ["%02d" % i + "g" * 1022 for i in range(64)]
    reply = a.roster_set(jid(bob), name="n" * 1024, groups=groups)
    assert reply.get("type") == "result", ET.tostring(reply)
    assert a.roster()[jid(bob)] == ("none", None, None, "n" * 1024, sorted(groups))


def test_another_users_roster_is_forbidden(im, users):
    alice, bob = users(2)
    a = im(alice)
    for itype, payload in (("get", "<query xmlns='%s'/>" % NS_ROSTER),
                           ("set", "<query xmlns='%s'><item jid='x@y'/></query>" % NS_ROSTER)):
        assert condition(a.iq(itype, jid(bob), payload)) == "forbidden"


def test_item_limit(im, users):
    """roster_max_items: one more is <resource-constraint/>; updates of
    existing items still work, and a subscription request to a new contact
    is refused the same way."""
    names = users(MAX_ITEMS + 3)
    alice, contacts = names[0], names[1:]
    a = im(alice)
    for c in contacts[:MAX_ITEMS]:
        assert a.roster_set(jid(c)).get("type") == "result"
    assert condition(a.roster_set(jid(contacts[MAX_ITEMS]))) == "resource-constraint"
    assert a.roster_set(jid(contacts[0]), name="still fine").get("type") == "result"
    assert len(a.roster()) == MAX_ITEMS
    a.send_raw("<presence to='%s' type='subscribe' id='over'/>" % jid(contacts[MAX_ITEMS + 1]))
    err = a.wait_presence(jid(contacts[MAX_ITEMS + 1]), "error")
    assert condition(err) == "resource-constraint"
    assert len(a.roster()) == MAX_ITEMS
    # removing one makes room
    a.roster_set(jid(contacts[0]), remove=True)
    assert a.roster_set(jid(contacts[MAX_ITEMS])).get("type") == "result"


# ---- versioning (§2.6) ----------------------------------------------------------

def test_versioning(im, users):
    alice, bob, carol = users(3)
    a = im(alice, resource="a")
    other = im(alice, resource="other")
    # a client without a cache asks with ver='' and gets everything and a version
    first = query_of(a.roster_get(ver=""))
    v0 = first.get("ver")
    assert v0 and items_of(first) == {}
    # unchanged: an empty result, and no pushes
    reply = a.roster_get(ver=v0)
    assert reply.get("type") == "result" and len(reply) == 0, ET.tostring(reply)
    a.assert_no_push()
    # changes made while `a` looks away (it is not interested: new stream)
    other.roster_set(jid(bob), name="Bob")
    other.roster_set(jid(carol), name="Carol")
    other.roster_set(jid(bob), name="Bobby")
    fresh = im(alice, resource="fresh")
    reply = fresh.roster_get(ver=v0)
    assert reply.get("type") == "result" and len(reply) == 0, ET.tostring(reply)
    pushes = [fresh.wait_push(jid(carol)), fresh.wait_push(jid(bob))]  # in order of change
    assert pushes[0][0][3] == "Carol" and pushes[1][0][3] == "Bobby"
    current = query_of(fresh.roster_get(ver="")).get("ver")
    assert pushes[1][1] == current  # the last push carries the current version
    fresh.assert_no_push()
    # a removal is a push with subscription='remove'
    other.roster_set(jid(carol), remove=True)
    late = im(alice, resource="late")
    reply = late.roster_get(ver=current)
    assert len(reply) == 0
    assert late.wait_push(jid(carol))[0][0] == "remove"
    late.assert_no_push()
    # a version the server does not know: the whole roster
    for ver in ("bogus", "0", current.split("-")[0] + "-999999", "deadbeef-1"):
        query = query_of(late.roster_get(ver=ver))
        assert items_of(query) == {jid(bob): ("none", None, None, "Bobby", [])}, ver
        assert query.get("ver") != ver


def _number(ver):
    return int(ver.split("-")[1])


def test_versions_grow_and_old_ones_fall_back_to_the_full_roster(im, users):
    """Removals are remembered (ROSTER_TOMBSTONES_MAX, 128): a client older
    than what is remembered gets the whole roster."""
    alice, bob = users(2)
    a = im(alice)
    v0 = query_of(a.roster_get(ver="")).get("ver")
    seen = [_number(v0)]
    for i in range(140):
        contact = "gone%d@localhost" % i
        a.roster_set(contact)
        seen.append(_number(a.wait_push(contact)[1]))
        a.roster_set(contact, remove=True)
        seen.append(_number(a.wait_push(contact)[1]))
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    a.roster_set(jid(bob), name="B")
    a.wait_push(jid(bob))
    b = im(alice, resource="b")
    query = query_of(b.roster_get(ver=v0))  # 140 removals ago: forgotten
    assert items_of(query) == {jid(bob): ("none", None, None, "B", [])}
    b.assert_no_push()


@pytest.fixture
def own_server(request, tmp_path_factory):
    srv = im_server(request, tmp_path_factory, accounts=8)
    yield srv
    srv.check_stopped_cleanly()


def test_roster_and_versions_survive_a_restart(own_server):
    srv = own_server
    a = IMClient(srv, "u00")
    a.roster_set(jid("u01"), name="One", groups=["G1", "G2"])
    a.roster_set(jid("u02"), name="Two")
    a.roster_set(jid("u02"), remove=True)
    ver = query_of(a.roster_get(ver="")).get("ver")
    a.close()
    assert srv.stop() == 0
    srv.start()
    a = IMClient(srv, "u00")
    reply = a.roster_get(ver=ver)
    assert reply.get("type") == "result" and len(reply) == 0, ET.tostring(reply)
    assert a.roster() == {jid("u01"): ("none", None, None, "One", ["G1", "G2"])}
    a.roster_set(jid("u03"))
    _, newer = a.wait_push(jid("u03"))
    assert newer.split("-")[0] == ver.split("-")[0] and _number(newer) > _number(ver)
    # the removal before the restart is still known to an old client
    b = IMClient(srv, "u00", resource="b")
    assert len(b.roster_get(ver=ver)) == 0
    assert b.wait_push(jid("u03"))[0][0] == "none"
    a.close()
    b.close()
