"""Offline messages (XEP-0160): chat and normal messages with a body, sent
to an account with no available resource, are stored with an XEP-0203
delay stamp and delivered in order at the next initial presence with a
non-negative priority, then deleted. A quota answers <resource-constraint/>
(RFC 6120 §8.3.3.18); an unknown account still gets <service-unavailable/>
(RFC 6121 §8.5.2.2.1). What was acknowledged (the store committed it:
the debug line "stored offline message for ...") survives a restart and a
kill -9."""
import os
import signal
import sqlite3
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from clients import Client
from conftest import StrataServer
from rawclient import DOMAIN

QUOTA = 5
# A small backlog makes deliveries of large messages wait for the client to
# read (the pacing path); a small quota makes the quota reachable.
SERVER_CONFIG = 'offline_message_quota = %d\nc2s_send_backlog = "64K"\n' % QUOTA

NS_DELAY = "urn:xmpp:delay"
NS_STANZAS = "urn:ietf:params:xml:ns:xmpp-stanzas"


def utc_now():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def delay_of(msg):
    return ET.fromstring(msg.xml).find("{%s}delay" % NS_DELAY)


def stamp_of(msg):
    d = delay_of(msg)
    assert d is not None, msg.xml
    assert d.get("from") == DOMAIN, msg.xml
    return datetime.strptime(d.get("stamp"), "%Y-%m-%dT%H:%M:%S.%fZ")


def wait_stored(server, user, count, timeout=10):
    """Waits until the server says it committed `count` messages for `user`
    (the acknowledgment point: the line comes after the store's commit)."""
    line = "stored offline message for %s@%s" % (user, DOMAIN)
    deadline = time.monotonic() + timeout
    while server.log().count(line) < count:
        assert time.monotonic() < deadline, \
            "only %d of %d stored for %s:\n%s" % (server.log().count(line), count, user,
                                                  server.log()[-4000:])
        time.sleep(0.02)


def bounced(sender, msg_id, to, condition, timeout=5):
    msg = sender.wait_message(timeout, where=lambda m: m.type == "error" and m.id == msg_id)
    assert (msg.frm, msg.error) == (to, condition), msg
    return ET.fromstring(msg.xml).find("{jabber:client}error")


def receive(client, bodies):
    """Receives messages with these bodies, in this order, and returns them."""
    got = [client.wait_message() for _ in bodies]
    assert [m.body for m in got] == list(bodies), got
    return got


def next_stanza(rawclient, names):
    """The next element of the stream named one of `names` (jabber:client);
    others (presence) are passed over."""
    while True:
        el = rawclient.read(5)
        if el.tag in ["{jabber:client}%s" % n for n in names]:
            return el


def next_message(rawclient):
    return next_stanza(rawclient, ("message",))


def quiet(client, settle=0.5):
    """Nothing more arrives (a delivery is asynchronous: give it time)."""
    time.sleep(settle)
    client.assert_no_message()


def test_disco_announces_msgoffline(connect):
    bob = connect("bob")
    info = bob.iq("get", DOMAIN, "<query xmlns='http://jabber.org/protocol/disco#info'/>")
    features = [f.get("var") for f in info.iter("{http://jabber.org/protocol/disco#info}feature")]
    assert "msgoffline" in features


def test_stored_then_delivered_in_order_with_delay(server, connect):
    bob = connect("bob")
    before = utc_now()
    bodies = ["first", "second", "third"]
    for i, body in enumerate(bodies):
        bob.send_message("alice@%s" % DOMAIN, body, mtype="chat" if i != 1 else "normal")
    wait_stored(server, "alice", 3)
    bob.assert_no_message()  # no error came back

    alice = connect("alice")  # no presence yet: nothing is delivered
    quiet(alice, 0.3)
    alice.send_presence(0)
    got = receive(alice, bodies)
    assert [m.type for m in got] == ["chat", "normal", "chat"]
    assert all(m.frm == bob.jid for m in got), got
    stamps = [stamp_of(m) for m in got]
    assert stamps == sorted(stamps)
    assert before.replace(microsecond=0) <= stamps[0] <= utc_now()
    quiet(alice)


def test_delivered_messages_are_deleted(server, connect):
    bob = connect("bob")
    for body in ("once", "only once"):
        bob.send_message("carol@%s" % DOMAIN, body)
    wait_stored(server, "carol", 2)
    first = connect("carol", resource="first", priority=0)
    receive(first, ["once", "only once"])
    server.wait_log("delivered and deleted 2 offline messages of carol@%s" % DOMAIN)
    first.close()

    again = connect("carol", resource="again", priority=0)
    quiet(again)


def test_live_messages_do_not_overtake_stored_ones(server, connect):
    """A message that arrives while the stored ones are loading waits for
    them. The client sends its presence and, in the same write, a message
    to its own bare JID: the server takes it while the load is under way."""
    bob = connect("bob")
    stored = ["old %d" % i for i in range(QUOTA)]
    for body in stored:
        bob.send_message("dave@%s" % DOMAIN, body)
    wait_stored(server, "dave", QUOTA)
    dave = connect("dave", resource="d")
    dave.send_raw("<presence/><message to='dave@%s' type='chat' id='live'>"
                  "<body>live</body></message>" % DOMAIN)
    got = receive(dave, stored + ["live"])
    assert all(delay_of(m) is not None for m in got[:-1])
    assert delay_of(got[-1]) is None, got[-1].xml
    quiet(dave)


def test_live_messages_after_delivery_go_straight_through(server, connect):
    bob = connect("bob")
    bob.send_message("walter@%s" % DOMAIN, "stored")
    wait_stored(server, "walter", 1)
    walter = connect("walter", priority=0)
    receive(walter, ["stored"])
    bob.send_message("walter@%s" % DOMAIN, "live")
    msg = receive(walter, ["live"])[0]
    assert delay_of(msg) is None


def test_what_has_no_body_is_not_stored(server, connect, raw):
    """XEP-0160 §3 and XEP-0334: chat states and receipts alone, and
    anything with <no-store/>, are not stored: the sender is told
    <service-unavailable/>, as with no storage; <store/> stores what has
    no body."""
    bob = connect("bob")
    erin = "erin@%s" % DOMAIN
    bob.send_raw("<message to='%s' type='chat' id='state'>"
                 "<composing xmlns='http://jabber.org/protocol/chatstates'/></message>" % erin)
    bounced(bob, "state", erin, "service-unavailable")
    bob.send_raw("<message to='%s' type='chat' id='receipt'>"
                 "<received xmlns='urn:xmpp:receipts' id='x1'/></message>" % erin)
    bounced(bob, "receipt", erin, "service-unavailable")
    bob.send_raw("<message to='%s' type='chat' id='nostore'><body>do not keep</body>"
                 "<no-store xmlns='urn:xmpp:hints'/></message>" % erin)
    bounced(bob, "nostore", erin, "service-unavailable")
    bob.send_raw("<message to='%s' type='chat' id='keep'>"
                 "<received xmlns='urn:xmpp:receipts' id='x2'/>"
                 "<store xmlns='urn:xmpp:hints'/></message>" % erin)
    wait_stored(server, "erin", 1)
    bob.assert_no_message()

    # slixmpp shows only messages with a body: a raw client reads the rest
    e = raw()
    e.login("erin", server.accounts["erin"], resource="raw")
    e.send("<presence/>")
    msg = next_message(e)
    assert msg.get("id") == "keep", ET.tostring(msg)
    assert msg.find("{urn:xmpp:receipts}received") is not None
    assert msg.find("{%s}delay" % NS_DELAY).get("from") == DOMAIN
    time.sleep(0.5)
    e.send("<iq type='get' id='last' to='%s'><ping xmlns='urn:xmpp:ping'/></iq>" % DOMAIN)
    assert next_stanza(e, ("message", "iq")).get("id") == "last"


def test_headline_is_not_stored(server, connect):
    bob = connect("bob")
    bob.send_message("olivia@%s" % DOMAIN, "news", mtype="headline")
    olivia = connect("olivia", priority=0)
    quiet(olivia)
    assert "stored offline message for olivia@" not in server.log()


def test_unknown_account_gets_service_unavailable(connect):
    bob = connect("bob")
    for to in ("nobody@%s" % DOMAIN, "nobody@%s/phone" % DOMAIN):
        for mtype in ("chat", "normal"):
            sent = bob.send_message(to, "anyone?", mtype=mtype)
            error = bounced(bob, sent, to, "service-unavailable")
            assert error.get("type") == "cancel"


def test_quota_answers_resource_constraint(server, connect):
    bob = connect("bob")
    frank = "frank@%s" % DOMAIN
    kept = ["kept %d" % i for i in range(QUOTA)]
    for body in kept:
        bob.send_message(frank, body)
    wait_stored(server, "frank", QUOTA)
    bob.assert_no_message()
    sent = bob.send_message(frank, "one too many")
    error = bounced(bob, sent, frank, "resource-constraint")
    assert error.get("type") == "wait"  # RFC 6120 §8.3.3.18

    f = connect("frank", priority=0)
    receive(f, kept)
    quiet(f)
    # delivered and deleted: there is room again
    f.close()
    bob.send_message(frank, "room again")
    wait_stored(server, "frank", QUOTA + 1)
    bob.assert_no_message()


def test_burst_beyond_quota(server, connect):
    """Messages that arrive together are counted together: exactly the
    quota is kept, the rest bounced, in order."""
    bob = connect("bob")
    peggy = "peggy@%s" % DOMAIN
    ids = [bob.send_message(peggy, "burst %d" % i) for i in range(QUOTA + 3)]
    for msg_id in ids[QUOTA:]:
        bounced(bob, msg_id, peggy, "resource-constraint")
    wait_stored(server, "peggy", QUOTA)
    p = connect("peggy", priority=0)
    receive(p, ["burst %d" % i for i in range(QUOTA)])
    quiet(p)


def test_storage_failure_bounces_the_message(server, connect):
    """Until the commit the message is the sender's: when the store cannot
    take it (here another process holds the database's write lock beyond
    the 5 s busy timeout) the sender gets it back, and nothing is stored."""
    bob = connect("bob")
    rupert = "rupert@%s" % DOMAIN
    db = sqlite3.connect(str(server.root / "data" / "strata.sqlite"), isolation_level=None,
                         timeout=5)
    db.execute("BEGIN IMMEDIATE")
    try:
        sent = bob.send_message(rupert, "locked out")
        error = bounced(bob, sent, rupert, "resource-constraint", timeout=20)
        assert error.get("type") == "wait"
    finally:
        db.execute("ROLLBACK")
        db.close()
    assert "could not store an offline message for %s" % rupert in server.log()
    r = connect("rupert", priority=0)
    quiet(r)


def test_large_messages_are_paced_by_the_backlog(server, connect):
    """Stored messages well beyond c2s_send_backlog (64K here) all arrive,
    in order: the delivery waits for the client to read."""
    bob = connect("bob")
    bodies = ["%d:" % i + "x" * 30000 for i in range(QUOTA)]
    for body in bodies:
        bob.send_message("grace@%s" % DOMAIN, body)
    wait_stored(server, "grace", QUOTA)
    grace = connect("grace", priority=0)
    receive(grace, bodies)
    quiet(grace)
    assert "offline delivery to grace@%s/" % DOMAIN in server.log()  # it did wait


def test_full_jid_of_a_gone_resource_is_stored(server, connect):
    bob = connect("bob")
    bob.send_message("heidi@%s/gone" % DOMAIN, "to a gone resource")
    wait_stored(server, "heidi", 1)
    heidi = connect("heidi", resource="new", priority=0)
    receive(heidi, ["to a gone resource"])


def test_negative_priority_gets_nothing(server, connect):
    """RFC 6121 §4.7.2.3: a negative priority takes no bare-JID messages,
    stored ones included; they wait for a non-negative initial presence."""
    bob = connect("bob")
    bob.send_message("ivan@%s" % DOMAIN, "for later")
    wait_stored(server, "ivan", 1)
    shy = connect("ivan", resource="shy", priority=-1)
    quiet(shy)
    bob.send_message("ivan@%s" % DOMAIN, "still for later")  # stored too
    wait_stored(server, "ivan", 2)
    quiet(shy, 0)
    ready = connect("ivan", resource="ready", priority=0)
    receive(ready, ["for later", "still for later"])
    shy.assert_no_message()


def test_second_session_does_not_get_them_again(server, connect):
    bob = connect("bob")
    bob.send_message("judy@%s" % DOMAIN, "just once")
    wait_stored(server, "judy", 1)
    one = connect("judy", resource="one", priority=0)
    receive(one, ["just once"])
    two = connect("judy", resource="two", priority=0)
    quiet(two)
    quiet(one, 0)


# ---- restarts: servers of their own -------------------------------------------

ACCOUNTS = {"alice": "alice-pw", "bob": "bob-pw"}


@pytest.fixture
def own_server(tmp_path):
    srv = StrataServer(tmp_path, accounts=ACCOUNTS)
    srv.start()
    yield srv
    srv.kill()


def send_while_away(srv, bodies):
    bob = Client(srv, "bob", priority=0)
    try:
        for body in bodies:
            bob.send_message("alice@%s" % DOMAIN, body)
        wait_stored(srv, "alice", len(bodies))
        bob.assert_no_message()
    finally:
        bob.close()


def deliver_after_restart(srv, bodies):
    alice = Client(srv, "alice", priority=0)
    try:
        got = receive(alice, bodies)
        assert all(delay_of(m) is not None for m in got)
        quiet(alice)
    finally:
        alice.close()


def test_stored_messages_survive_a_restart(own_server):
    srv = own_server
    bodies = ["before restart %d" % i for i in range(3)]
    send_while_away(srv, bodies)
    srv.check_stopped_cleanly()  # SIGTERM, exit 0
    srv.start()
    deliver_after_restart(srv, bodies)
    # delivered once: a second restart brings nothing back
    srv.check_stopped_cleanly()
    srv.start()
    alice = Client(srv, "alice", priority=0)
    try:
        quiet(alice)
    finally:
        alice.close()
    srv.check_stopped_cleanly()


def test_acknowledged_messages_survive_kill_9(own_server):
    """Once the server logged the commit, a kill -9 loses nothing."""
    srv = own_server
    bodies = ["before kill %d" % i for i in range(20)]
    send_while_away(srv, bodies)
    os.kill(srv.proc.pid, signal.SIGKILL)
    assert srv.proc.wait(5) == -signal.SIGKILL
    srv.log_file.close()
    srv.start()
    deliver_after_restart(srv, bodies)
    srv.check_stopped_cleanly()
