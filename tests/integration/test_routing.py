"""Sessions and routing: resources, resource conflicts, and delivery of
messages and iqs to full and bare JIDs (RFC 6120 §7, §8, §10; RFC 6121 §8.5).
No offline storage in this version: a message nobody can take comes back
as <service-unavailable/>."""
import xml.etree.ElementTree as ET

from rawclient import NS_CLIENT, NS_STANZA_ERRORS, q

# These tests check routing when nobody can take a message, without offline
# storage (RFC 6121 §8.5.2.2.1); test_offline.py covers storage.
SERVER_CONFIG = 'modules_disabled = { "offline" }\n'


def got(client, sender, body, mtype="chat"):
    msg = client.wait_message(where=lambda m: m.body == body)
    assert (msg.type, msg.frm) == (mtype, sender.jid), msg
    return msg


def bounced(sender, msg_id, to, condition="service-unavailable"):
    """`sender` gets its message `msg_id` back as an error with `condition`
    (RFC 6120 §8.3.1: same id, from the intended recipient, type error)."""
    msg = sender.wait_message(where=lambda m: m.type == "error")
    assert (msg.id, msg.frm, msg.error) == (msg_id, to, condition), msg
    return msg


def test_two_resources_of_one_account(connect):
    one = connect("alice", resource="one", priority=0)
    two = connect("alice", resource="two", priority=0)
    assert (one.jid, two.jid) == ("alice@localhost/one", "alice@localhost/two")
    bob = connect("bob")
    bob.send_message(one.jid, "to one")
    bob.send_message(two.jid, "to two")
    got(one, bob, "to one")
    got(two, bob, "to two")
    # the account's resources talk to each other
    one.send_message(two.jid, "one to two")
    got(two, one, "one to two")
    one.assert_no_message()
    two.assert_no_message()


def test_message_to_full_jid(connect):
    """A full JID goes to that resource only, whatever the priorities."""
    high = connect("alice", resource="high", priority=50)
    low = connect("alice", resource="low", priority=1)
    bob = connect("bob")
    bob.send_message(low.jid, "just for low", mtype="normal")
    got(low, bob, "just for low", "normal")
    high.assert_no_message()
    bob.assert_no_message()


def test_bare_jid_highest_priority_wins(connect):
    high = connect("alice", resource="high", priority=10)
    low = connect("alice", resource="low", priority=5)
    bob = connect("bob")
    for mtype in ("chat", "normal"):
        bob.send_message("alice@localhost", "bare " + mtype, mtype=mtype)
        got(high, bob, "bare " + mtype, mtype)
    low.assert_no_message()
    bob.assert_no_message()


def test_bare_jid_equal_priorities_both_get_it(connect):
    a = connect("alice", resource="a", priority=5)
    b = connect("alice", resource="b", priority=5)
    lower = connect("alice", resource="lower", priority=4)
    bob = connect("bob")
    bob.send_message("alice@localhost", "to both")
    got(a, bob, "to both")
    got(b, bob, "to both")
    lower.assert_no_message()
    bob.assert_no_message()


def test_bare_jid_negative_priority_gets_nothing(connect):
    zero = connect("alice", resource="zero", priority=0)
    negative = connect("alice", resource="negative", priority=-1)
    bob = connect("bob")
    bob.send_message("alice@localhost", "not for negative")
    got(zero, bob, "not for negative")
    negative.assert_no_message()
    # a negative priority resource still gets what is sent to its full JID
    bob.send_message(negative.jid, "direct")
    got(negative, bob, "direct")


def test_only_negative_priority_is_no_resource(connect):
    """RFC 6121 §8.5.2.2: with only negative-priority resources the
    message is as if there were none: back to the sender."""
    negative = connect("carol", resource="negative", priority=-5)
    bob = connect("bob")
    sent = bob.send_message("carol@localhost", "anyone?")
    bounced(bob, sent, "carol@localhost")
    negative.assert_no_message()


def test_full_jid_of_gone_resource_falls_back_to_bare(connect):
    """RFC 6121 §8.5.3.2.1: to a resource that went away, a chat message is
    handled as if sent to the bare JID."""
    stay = connect("alice", resource="stay", priority=1)
    gone = connect("alice", resource="gone", priority=100)
    gone_jid = gone.jid
    gone.close()
    bob = connect("bob")
    bob.send_message(gone_jid, "you left")
    got(stay, bob, "you left")
    bob.send_message("alice@localhost/never-was", "never there")
    got(stay, bob, "never there")
    bob.assert_no_message()


def test_gone_resource_and_no_other(connect):
    gone = connect("dave", resource="gone", priority=1)
    gone_jid = gone.jid
    gone.close()
    bob = connect("bob")
    sent = bob.send_message(gone_jid, "hello?")
    bounced(bob, sent, gone_jid)


def test_account_without_resources_bounces(connect):
    """No offline storage in this version: RFC 6121 §8.5.2.2.1 says the
    server returns <service-unavailable/> then."""
    bob = connect("bob")
    for mtype in ("chat", "normal"):
        sent = bob.send_message("erin@localhost", "offline " + mtype, mtype=mtype)
        msg = bounced(bob, sent, "erin@localhost")
        assert "type=\"cancel\"" in msg.xml or "type='cancel'" in msg.xml, msg.xml


def test_connected_but_unavailable_is_no_resource(connect):
    """A session that sent no initial presence is not available (RFC 6121
    §4.2): bare-JID messages do not go to it."""
    silent = connect("frank", resource="silent")  # no presence
    bob = connect("bob")
    sent = bob.send_message("frank@localhost", "are you there")
    bounced(bob, sent, "frank@localhost")
    silent.assert_no_message()


def test_headline_to_all_non_negative(connect):
    """RFC 6121 §8.5.2.1.1: a headline to the bare JID goes to every
    available resource with non-negative priority."""
    a = connect("alice", resource="a", priority=10)
    b = connect("alice", resource="b", priority=0)
    negative = connect("alice", resource="neg", priority=-1)
    bob = connect("bob")
    bob.send_message("alice@localhost", "news", mtype="headline")
    got(a, bob, "news", "headline")
    got(b, bob, "news", "headline")
    negative.assert_no_message()


def test_headline_to_nobody_is_dropped(connect):
    """RFC 6121 §8.5.2.2.1: a headline with no resource is silently dropped."""
    bob = connect("bob")
    bob.send_message("grace@localhost", "nobody reads this", mtype="headline")
    bob.assert_no_message()


def test_groupchat_to_bare_jid_refused(connect):
    connect("alice", resource="a", priority=1)
    bob = connect("bob")
    sent = bob.send_message("alice@localhost", "group?", mtype="groupchat")
    bounced(bob, sent, "alice@localhost")


def test_error_messages_are_not_answered(connect):
    """RFC 6120 §8.3.1: an error is never answered with an error."""
    bob = connect("bob")
    bob.send_raw("<message to='heidi@localhost' type='error'><body>err</body>"
                 "<error type='cancel'><item-not-found xmlns='%s'/></error></message>"
                 % NS_STANZA_ERRORS)
    bob.assert_no_message()


def test_message_without_to_goes_to_own_account(connect):
    """RFC 6120 §10.3.1: no 'to' is the sender's bare JID."""
    a = connect("ivan", resource="a", priority=1)
    a.send_raw("<message type='chat'><body>note to self</body></message>")
    got(a, a, "note to self")


def test_resource_conflict_new_session_wins(connect):
    """RFC 6120 §7.7.2.2: the server may terminate the old session with
    <conflict/>; the new one works."""
    old = connect("judy", resource="phone", priority=1)
    new = connect("judy", resource="phone", priority=1)
    assert old.wait_stream_error() == "conflict"
    old.wait_disconnected()
    assert new.jid == "judy@localhost/phone"
    assert new.ping() == "result"
    bob = connect("bob")
    bob.send_message("judy@localhost/phone", "to the new one")
    got(new, bob, "to the new one")


def test_server_generated_resource(connect):
    """RFC 6120 §7.6: with no resource asked, the server makes one,
    unique for the account."""
    a = connect("mallory")
    b = connect("mallory")
    for c in (a, b):
        node_domain, _, resource = c.jid.partition("/")
        assert node_domain == "mallory@localhost" and resource, c.jid
    assert a.jid != b.jid
    bob = connect("bob")
    bob.send_message(b.jid, "generated")
    got(b, bob, "generated")
    a.assert_no_message()


def test_iq_routed_to_full_jid(connect):
    """An iq to a full JID reaches that client, and its answer comes back."""
    alice = connect("alice", resource="iq")
    bob = connect("bob")
    reply = bob.iq("get", alice.jid, "<query xmlns='urn:example:unknown'/>")
    # slixmpp answers an iq it does not handle with an error, from alice
    assert reply.get("from") == alice.jid
    assert reply.get("type") == "error"


def test_iq_to_unavailable_resource(connect):
    """RFC 6121 §8.5.3.2.1 (iq to a full JID with no such resource):
    <service-unavailable/>."""
    bob = connect("bob")
    reply = bob.iq("get", "alice@localhost/nowhere", "<ping xmlns='urn:xmpp:ping'/>")
    assert reply.get("type") == "error"
    assert reply.find("%s/%s" % (q(NS_CLIENT, "error"), q(NS_STANZA_ERRORS, "service-unavailable"))) \
        is not None, ET.tostring(reply)


def test_message_to_malformed_jid(server, raw):
    """RFC 6120 §8.3.3.8: an address that is not a JID: <jid-malformed/>.
    (A raw client: slixmpp drops its connection on an error 'from' that is
    not a JID.)"""
    c = raw()
    c.login("bob", server.accounts["bob"], resource="raw")
    c.send("<message to='a@b@localhost' type='chat' id='m1'><body>where?</body></message>")
    reply = c.read()
    assert (reply.get("id"), reply.get("type")) == ("m1", "error"), ET.tostring(reply)
    assert reply.find("%s/%s" % (q(NS_CLIENT, "error"), q(NS_STANZA_ERRORS, "jid-malformed"))) \
        is not None, ET.tostring(reply)


def test_message_to_another_server(connect):
    """Server-to-server is not in this version: a remote domain is not
    reachable, <remote-server-not-found/> (RFC 6120 §8.3.3.16)."""
    bob = connect("bob")
    sent = bob.send_message("someone@example.org", "far away")
    msg = bob.wait_message(where=lambda m: m.type == "error")
    assert (msg.id, msg.frm, msg.error) == (sent, "someone@example.org", "remote-server-not-found"), msg


def test_bind_invalid_resource(server, raw):
    """RFC 6120 §7.7.2.1: a resource that cannot be prepared (too long, RFC
    7622 §3.4) is refused with <bad-request/>; the client may then bind
    another."""
    c = raw()
    c.open_stream()
    c.starttls()
    c.open_stream()
    assert c.auth_scram("rupert", server.accounts["rupert"]) == "success"
    c.open_stream()
    c.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'>"
           "<resource>%s</resource></bind></iq>" % ("r" * 1100))
    reply = c.read()
    assert (reply.get("id"), reply.get("type")) == ("b1", "error"), ET.tostring(reply)
    assert reply.find("%s/%s" % (q(NS_CLIENT, "error"), q(NS_STANZA_ERRORS, "bad-request"))) \
        is not None, ET.tostring(reply)
    assert c.bind("second-try") == "rupert@localhost/second-try"
