"""Presence (RFC 6121 §4): initial presence broadcast to subscribers and to
the user's own resources, probes answered from the contacts' last
presence, updates, unavailable on logout and on a cut connection, directed
presence and its undoing (§4.6), priority for message routing (§8.5.2),
presence to accounts with no available resource (§8.5.2.2), and presence
after a restart."""
import socket
import struct
import time
import xml.etree.ElementTree as ET

import pytest

from clients import call
from im import (IMClient, befriend, condition, im, im_server, jid, server, users,  # noqa: F401
                _pool)

STATUS = "{jabber:client}status"


def online(im, user, resource="r", **kw):
    c = im(user, resource=resource)
    c.roster_get()
    c.presence(**kw)
    return c


def friends(im, users, n=2):
    """n users, online and available, each subscribed to the others."""
    names = users(n)
    cs = [online(im, u) for u in names]
    for i in range(n):
        for j in range(i + 1, n):
            befriend(cs[i], cs[j])
    return cs


def test_initial_presence_reaches_subscribers_and_own_resources(im, users):
    a, b = friends(im, users)
    other = online(im, a.user, resource="other")
    b.drain_presences(0)
    a.drain_presences(0)
    stranger = online(im, users(1)[0])
    late = im(a.user, resource="late")
    late.presence(status="hello", show="away", priority=3)
    for watcher in (b, a, other, late):  # the sender too (§4.2.2)
        p = watcher.wait_presence(late.jid)
        assert p.findtext(STATUS) == "hello" and p.findtext("{jabber:client}show") == "away"
    stranger.assert_no_presence(late.jid)


def test_probes_at_login_get_contacts_presence(im, users):
    a, b = friends(im, users)
    b2 = online(im, b.user, resource="second", status="second one")
    b.presence(status="first one")
    a.close()
    fresh = im(a.user, resource="fresh")
    fresh.presence()
    got = {fresh.wait_presence(b.jid).findtext(STATUS),
           fresh.wait_presence(b2.jid).findtext(STATUS)}
    assert got == {"first one", "second one"}


def test_offline_contact_is_reported_unavailable(im, users):
    a, b = friends(im, users)
    b.close()
    a.wait_presence(b.jid, "unavailable")
    fresh = im(a.user, resource="fresh")
    fresh.presence()
    p = fresh.wait_presence(b.bare, "unavailable")
    assert p.get("from") == b.bare


def test_own_other_resources_at_login(im, users):
    (na,) = users(1)
    one = online(im, na, resource="one", status="I am one")
    two = im(na, resource="two")
    two.presence()
    assert two.wait_presence(one.jid).findtext(STATUS) == "I am one"
    one.wait_presence(two.jid)


def test_updates_and_unavailable(im, users):
    a, b = friends(im, users)
    a.presence(show="dnd", status="busy")
    p = b.wait_presence(a.jid)
    assert p.findtext("{jabber:client}show") == "dnd"
    a.presence("unavailable", status="gone fishing")
    p = b.wait_presence(a.jid, "unavailable")
    assert p.findtext(STATUS) == "gone fishing"
    # back again: a new initial presence, with probes
    b.presence(status="still here")
    a.presence()
    assert a.wait_presence(b.jid).findtext(STATUS) == "still here"
    b.wait_presence(a.jid)


def test_unavailable_on_logout(im, users):
    a, b = friends(im, users)
    a.close()
    b.wait_presence(a.jid, "unavailable")


def kill_socket(c):
    """Cuts a client's TCP connection without a stream close (an RST)."""
    async def cut():
        sock = c.x.transport.get_extra_info("socket")
        raw = socket.socket(fileno=sock.fileno())
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raw.detach()
        c.x.transport.abort()
    call(cut())


def test_unavailable_on_connection_loss(im, users):
    a, b = friends(im, users)
    c = online(im, users(1)[0])
    a.presence(to=c.bare)  # directed presence, undone too
    c.wait_presence(a.jid)
    kill_socket(a)
    b.wait_presence(a.jid, "unavailable")
    c.wait_presence(a.jid, "unavailable")


def test_non_subscribers_see_nothing(im, users):
    na, nb = users(2)
    b = online(im, nb)
    a = online(im, na)
    a.presence(status="nobody sees")
    a.presence("unavailable")
    b.assert_no_presence(a.bare)


def test_one_way_subscription(im, users):
    """b is subscribed to a ('from' on a's side): a's presence goes to b,
    b's does not go to a, and a's login does not probe b."""
    na, nb = users(2)
    a = online(im, na)
    b = online(im, nb)
    b.presence("subscribe", to=a.bare)
    a.wait_presence(b.bare, "subscribe")
    a.presence("subscribed", to=b.bare)
    b.wait_presence(a.jid)
    b.presence(status="b here")
    a.presence(status="a here")
    assert b.wait_presence(a.jid).findtext(STATUS) == "a here"
    a.assert_no_presence(b.bare)
    fresh = im(na, resource="fresh")
    fresh.presence()
    fresh.assert_no_presence(b.bare)


# ---- directed presence (§4.6) ------------------------------------------------------

def test_directed_presence_is_undone_by_unavailable(im, users):
    na, nc = users(2)
    a = online(im, na)
    c = online(im, nc)
    a.presence(to=c.jid, status="just for you")
    assert c.wait_presence(a.jid).findtext(STATUS) == "just for you"
    a.presence("unavailable")
    c.wait_presence(a.jid, "unavailable")


def test_directed_unavailable_is_not_repeated(im, users):
    na, nc = users(2)
    a = online(im, na)
    c = online(im, nc)
    a.presence(to=c.bare)
    c.wait_presence(a.jid)
    a.presence("unavailable", to=c.bare)
    c.wait_presence(a.jid, "unavailable")
    a.presence("unavailable")
    c.assert_no_presence(a.bare)


def test_directed_presence_before_initial_presence(im, users):
    na, nc = users(2)
    c = online(im, nc)
    a = im(na)  # no initial presence
    a.presence(to=c.bare, status="hi")
    c.wait_presence(a.jid)
    a.close()
    c.wait_presence(a.jid, "unavailable")


def test_directed_presence_to_a_subscriber_gets_one_unavailable(im, users):
    a, b = friends(im, users)
    a.presence(to=b.bare, status="extra")
    b.wait_presence(a.jid)
    a.close()
    b.wait_presence(a.jid, "unavailable")
    assert not [p for p in b.drain_presences() if p.get("from") == a.jid]


def test_presence_to_account_without_resources_is_dropped(im, users):
    """§8.5.2.2.1 and §8.5.1: silently ignored, no error."""
    na, nb = users(2)
    a = online(im, na)
    im(nb)  # connected but not available
    a.presence(to=jid(nb))
    a.presence("unavailable", to=jid(nb))
    a.presence(to="nobody@localhost")
    a.presence(to=jid(nb) + "/nowhere")
    assert not [p for p in a.drain_presences() if p.get("type") == "error"]


def test_presence_type_error_and_unknown_type(im, users):
    na, nb = users(2)
    a = online(im, na)
    b = online(im, nb)
    a.send("<presence to='%s' type='bogus'/>" % b.jid)
    err = a.wait_presence(b.jid, "error")
    assert condition(err) == "bad-request"
    b.assert_no_presence(a.bare)


# ---- probes sent by clients ------------------------------------------------------

def test_probe_by_client(im, users):
    a, b = friends(im, users)
    b.presence(status="probed")
    a.drain_presences(0)
    a.presence("probe", to=b.bare)
    assert a.wait_presence(b.jid).findtext(STATUS) == "probed"
    # §4.3.2: not revealed to someone not subscribed (the server answers
    # "unsubscribed", which the prober's server takes for itself, A.3.4)
    stranger = online(im, users(1)[0])
    stranger.presence("probe", to=b.bare)
    stranger.presence("probe", to=b.jid)
    stranger.presence("probe", to="nobody@localhost")
    stranger.assert_no_presence(b.bare)
    stranger.assert_no_presence("nobody@localhost")


# ---- priority (§4.7.2.3, §8.5.2) ---------------------------------------------------

def test_priority_decides_bare_jid_messages(im, users):
    na, nb = users(2)
    high = online(im, na, resource="high", priority=10)
    low = online(im, na, resource="low", priority=5)
    b = online(im, nb)
    b.send_message(jid(na), "to the highest")
    assert high.wait_message().body == "to the highest"
    low.presence(priority=20)  # an update changes it
    b.send_message(jid(na), "now low")
    assert low.wait_message().body == "now low"
    low.presence(priority=-1)  # negative: never for the bare JID
    b.send_message(jid(na), "high again")
    assert high.wait_message().body == "high again"
    high.presence("unavailable")  # now no resource takes it (§8.5.2.2)
    b.send_message(jid(na), "nobody")
    time.sleep(0.2)
    low.assert_no_message()
    high.assert_no_message()


def test_out_of_range_priority_is_clamped(im, users):
    na, nb = users(2)
    a = online(im, na, resource="a")
    a.send("<presence><priority>500</priority></presence>")
    a.send("<presence><priority>junk</priority></presence>")
    b = online(im, nb)
    b.send_message(jid(na), "still delivered")
    assert a.wait_message().body == "still delivered"


def test_ignore_presence_priority(request, tmp_path_factory):
    """ignore_presence_priority: every non-negative priority counts alike
    for bare-JID messages; a negative one still gets none."""
    srv = im_server(request, tmp_path_factory, "ignore_presence_priority = true\n", accounts=2)
    made = []
    try:
        for resource, prio in (("high", 10), ("low", 1), ("negative", -1)):
            c = IMClient(srv, "u00", resource=resource, priority=prio)
            made.append(c)
        sender = IMClient(srv, "u01")
        made.append(sender)
        sender.send_message(jid("u00"), "to all alike")
        assert made[0].wait_message().body == "to all alike"
        assert made[1].wait_message().body == "to all alike"
        made[2].assert_no_message()
    finally:
        for c in made:
            c.close()
        srv.check_stopped_cleanly()


# ---- restart -------------------------------------------------------------------------

@pytest.fixture
def own_server(request, tmp_path_factory):
    srv = im_server(request, tmp_path_factory, accounts=4)
    yield srv
    srv.check_stopped_cleanly()


def test_presence_after_restart(own_server):
    srv = own_server
    a = IMClient(srv, "u00")
    b = IMClient(srv, "u01")
    for c in (a, b):
        c.roster_get()
        c.presence()
    befriend(a, b)
    a.close()
    b.close()
    assert srv.stop() == 0
    srv.start()
    b = IMClient(srv, "u01", resource="b")
    b.presence(status="after restart")
    a = IMClient(srv, "u00", resource="a")
    a.presence()
    assert a.wait_presence(b.jid).findtext(STATUS) == "after restart"
    b.wait_presence(a.jid)
    a.close()
    b.wait_presence(a.jid, "unavailable")
    b.close()
