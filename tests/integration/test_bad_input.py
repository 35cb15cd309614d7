"""Bad input over raw sockets: each case gets the exact stream error RFC
6120 §4.9.3 names, followed by the end of the stream and of the connection
(§4.9.1.1), while a logged-in slixmpp client (the watcher) keeps working:
it is checked after every case."""
import time

import pytest

from clients import Client
from rawclient import NS_STREAM, q, stream_header

SERVER_CONFIG = """
c2s_stanza_size_limit = "16K"
c2s_send_backlog = "64K"
c2s_timeout = 2
modules_disabled = { "offline" }
"""
PREAUTH_LIMIT = 10 * 1024
STANZA_LIMIT = 16 * 1024
AUTH_TIMEOUT = 2


@pytest.fixture(scope="module")
def watcher_session(server):
    c = Client(server, "watcher", resource="watching", priority=1)
    yield c
    c.close()


@pytest.fixture
def watcher(watcher_session):
    """The second client; after the test, it must still work: a ping, and a
    message to itself through the router."""
    w = watcher_session
    w.skipped.clear()
    while not w.messages.empty():
        w.messages.get_nowait()
    yield w
    assert w.ping() == "result", "the watcher's session was hurt"
    body = "still alive %f" % time.monotonic()
    w.send_message(w.bare, body)
    assert w.wait_message(where=lambda m: m.body == body).frm == w.jid
    unexpected = w.skipped + [w.messages.get_nowait() for _ in range(w.messages.qsize())]
    assert not unexpected, "the watcher got what it should not have: %r" % unexpected
    assert w.stream_errors.empty()


def bound(server, raw, user="sybil", resource="bad"):
    """A raw client, logged in and bound."""
    c = raw()
    c.login(user, server.accounts[user], resource=resource)
    return c


def after_sasl(server, raw, user="sybil"):
    """A raw client right after SASL success, before its new stream header."""
    c = raw()
    c.open_stream()
    c.starttls()
    c.open_stream()
    assert c.auth_scram(user, server.accounts[user]) == "success"
    return c


# ---- XML the server must refuse ----------------------------------------------
# (prolog: sent before the stream header; body: sent after it)

NOT_WELL_FORMED = {
    "mismatched-tag": ("", "<message><body>hi</message>"),
    "duplicate-attribute": ("", "<message type='chat' type='normal'/>"),
    "bad-name": ("", "<1message/>"),
    "unescaped-lt": ("", "<message><body>a < b</body></message>"),
    "stray-end-tag": ("", "</junk>"),
    "attribute-without-value": ("", "<message to='a@localhost' to2=/>"),
}

RESTRICTED = {
    "doctype": ("<!DOCTYPE stream:stream>", ""),
    "entity-declaration": ("<!DOCTYPE stream:stream [<!ENTITY boom 'bang'>]>", ""),
    "processing-instruction": ("", "<?evil instruction?>"),
    "processing-instruction-in-stanza": ("", "<message><?evil instruction?></message>"),
    "comment": ("", "<!-- a comment -->"),
    "comment-in-stanza": ("", "<message><body>hi<!-- a comment --></body></message>"),
    # §11.1 also names entity references other than the five predefined ones
    "entity-reference": ("", "<message><body>&boom;</body></message>"),
}

PROLOG = "<?xml version='1.0'?>"


def send_case(c, prolog, body):
    c.new_stream(PROLOG + prolog + stream_header(prolog="") + body)


@pytest.mark.parametrize("case", sorted(NOT_WELL_FORMED))
@pytest.mark.parametrize("when", ["before-auth", "after-sasl", "bound"])
def test_not_well_formed(server, raw, watcher, case, when):
    prolog, body = NOT_WELL_FORMED[case]
    if when == "before-auth":
        c = raw()
        send_case(c, prolog, body)
    elif when == "after-sasl":
        c = after_sasl(server, raw)
        send_case(c, prolog, body)
    else:
        c = bound(server, raw)
        c.send(body)
    assert c.stream_error() == "not-well-formed"


@pytest.mark.parametrize("when,case", [
    (when, case) for when in ("before-auth", "after-sasl", "bound") for case in sorted(RESTRICTED)
    if when != "bound" or not RESTRICTED[case][0]])  # a DOCTYPE only comes before a header
def test_restricted_xml(server, raw, watcher, case, when):
    """RFC 6120 §11.1: no DTD, entity declaration or reference, processing
    instruction or comment; <restricted-xml/> (§4.9.3.18)."""
    prolog, body = RESTRICTED[case]
    if when == "before-auth":
        c = raw()
        send_case(c, prolog, body)
    elif when == "after-sasl":
        c = after_sasl(server, raw)
        send_case(c, prolog, body)
    else:
        c = bound(server, raw)
        c.send(body)
    assert c.stream_error() == "restricted-xml"


# ---- sizes --------------------------------------------------------------------

def big_message(to, size):
    """A message stanza of about `size` bytes."""
    head, tail = "<message to='%s' type='chat'><body>" % to, "</body></message>"
    return head + "x" * (size - len(head) - len(tail)) + tail


def test_oversized_stanza_before_auth(raw, watcher):
    """More than 10 KiB before authentication: <policy-violation/>
    (RFC 6120 §4.9.3.14, §13.12)."""
    c = raw()
    c.open_stream()
    c.send(big_message("watcher@localhost", PREAUTH_LIMIT + 2048))
    assert c.stream_error() == "policy-violation"


def test_oversized_sasl_before_auth(server, raw, watcher):
    """The same limit applies to SASL data over TLS."""
    c = raw()
    c.open_stream()
    c.starttls()
    c.open_stream()
    c.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>%s</auth>"
           % ("A" * (PREAUTH_LIMIT + 2048)))
    assert c.stream_error() == "policy-violation"


def test_oversized_stanza_after_auth(server, raw, watcher):
    """More than c2s_stanza_size_limit (16K here) after authentication:
    <policy-violation/>, and nothing of it is delivered. A stanza above the
    pre-authentication limit but below this one goes through."""
    c = bound(server, raw)
    c.send(big_message("watcher@localhost/watching", PREAUTH_LIMIT + 2048))
    msg = watcher.wait_message()
    assert msg.frm == "sybil@localhost/bad" and len(msg.body) > PREAUTH_LIMIT
    c.send(big_message("watcher@localhost/watching", STANZA_LIMIT + 4096))
    assert c.stream_error() == "policy-violation"
    watcher.assert_no_message()


# ---- stanzas where they do not belong ----------------------------------------------

BEFORE_AUTH_STANZAS = {
    "message": "<message to='watcher@localhost/watching' type='chat'><body>sneaky</body></message>",
    "presence": "<presence/>",
    "iq": "<iq type='get' id='x' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>",
    "bind": "<iq type='set' id='b'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>",
}


@pytest.mark.parametrize("stanza", sorted(BEFORE_AUTH_STANZAS))
@pytest.mark.parametrize("when", ["in-the-clear", "after-starttls"])
def test_stanza_before_auth(raw, watcher, stanza, when):
    """RFC 6120 §4.9.3.12: stanzas before authentication get <not-authorized/>;
    nothing is delivered."""
    c = raw()
    c.open_stream()
    if when == "after-starttls":
        c.starttls()
        c.open_stream()
    c.send(BEFORE_AUTH_STANZAS[stanza])
    assert c.stream_error() == "not-authorized"
    watcher.assert_no_message()


def test_stanza_before_bind(server, raw, watcher):
    """RFC 6120 §7.1: a client must bind before it sends stanzas."""
    c = after_sasl(server, raw)
    c.new_stream(stream_header())
    c.read_header()
    c.send(BEFORE_AUTH_STANZAS["message"])
    assert c.stream_error() == "not-authorized"
    watcher.assert_no_message()


@pytest.mark.parametrize("forged", ["watcher@localhost/watching", "watcher@localhost",
                                    "sybil@localhost/another-resource", "sybil@example.org/bad",
                                    "localhost"])
def test_forged_from(server, raw, watcher, forged):
    """RFC 6120 §8.1.2.1, §4.9.3.9: a 'from' that is not the client's own
    JID gets <invalid-from/>, and the stanza goes nowhere."""
    c = bound(server, raw)
    c.send("<message from='%s' to='watcher@localhost/watching' type='chat'>"
           "<body>forged</body></message>" % forged)
    assert c.stream_error() == "invalid-from"
    watcher.assert_no_message()


@pytest.mark.parametrize("own", ["sybil@localhost/bad", "sybil@localhost"])
def test_own_from_is_accepted(server, raw, watcher, own):
    c = bound(server, raw)
    c.send("<message from='%s' to='watcher@localhost/watching' type='chat'>"
           "<body>honest</body></message>" % own)
    msg = watcher.wait_message()
    assert (msg.frm, msg.body) == ("sybil@localhost/bad", "honest")


# ---- stream headers ------------------------------------------------------------------

@pytest.mark.parametrize("to", ["example.org", "localhost.example", "not a domain"])
def test_unknown_host(raw, watcher, to):
    """RFC 6120 §4.9.3.6: a 'to' this server does not serve: <host-unknown/>."""
    c = raw()
    c.send(stream_header(to))
    assert c.stream_error() == "host-unknown"


def test_unknown_host_after_starttls(raw, watcher):
    """The host may not change across a stream restart (RFC 6120 §4.3.3)."""
    c = raw()
    c.open_stream()
    c.starttls()
    c.new_stream(stream_header("example.org"))
    assert c.stream_error() == "host-unknown"


@pytest.mark.parametrize("which", ["stream-namespace", "content-namespace", "jabber:server"])
def test_wrong_namespace(raw, watcher, which):
    """RFC 6120 §4.9.3.10: a streams namespace other than
    http://etherx.jabber.org/streams, or a default namespace other than
    jabber:client on a client port: <invalid-namespace/>."""
    c = raw()
    if which == "stream-namespace":
        c.send(stream_header(ns_stream="http://example.org/streams"))
    elif which == "content-namespace":
        c.send(stream_header(ns_content="urn:example:not-jabber-client"))
    else:
        c.send(stream_header(ns_content="jabber:server"))
    assert c.stream_error() == "invalid-namespace"


def test_missing_version_is_unsupported(raw, watcher):
    """RFC 6120 §4.7.5: no version means 0.9, which this server does not
    speak: <unsupported-version/> (§4.9.3.25)."""
    c = raw()
    c.send(stream_header(version=None))
    assert c.stream_error() == "unsupported-version"


def test_higher_minor_version_is_accepted(raw, watcher):
    c = raw()
    c.send(stream_header(version="1.1"))
    header = c.read_header()
    assert header.get("version") == "1.0"
    assert c.read().tag == q(NS_STREAM, "features")


# ---- time and backpressure ---------------------------------------------------------------

def test_idle_unauthenticated_times_out(raw, watcher):
    """An unauthenticated stream idle past c2s_timeout (2 s here) gets
    <connection-timeout/> (RFC 6120 §4.9.3.4); so does a connection that
    never even sends a header."""
    start = time.monotonic()
    with_header = raw()
    with_header.open_stream()
    silent = raw()
    assert with_header.stream_error(timeout=AUTH_TIMEOUT + 4) == "connection-timeout"
    assert silent.stream_error(timeout=AUTH_TIMEOUT + 4) == "connection-timeout"
    elapsed = time.monotonic() - start
    assert AUTH_TIMEOUT - 0.5 <= elapsed <= AUTH_TIMEOUT + 3, elapsed


def test_authenticated_session_does_not_time_out(server, raw, watcher):
    c = bound(server, raw, resource="idle")
    time.sleep(AUTH_TIMEOUT + 0.5)
    c.send("<iq type='get' id='late' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>")
    reply = c.read()
    assert (reply.get("id"), reply.get("type")) == ("late", "result")


def test_client_that_never_reads_is_cut_off(server, raw, watcher):
    """A client that does not read its data is disconnected once its output
    backlog passes c2s_send_backlog (64K here); nobody else is hurt. The
    sender sees it as gone: messages to it come back <service-unavailable/>."""
    sleeper = raw(rcvbuf=4096)
    jid = sleeper.login("trent", server.accounts["trent"], resource="sleeper")
    body = "z" * 8000
    sent = 0
    deadline = time.monotonic() + 30
    gone = None
    while gone is None:
        assert time.monotonic() < deadline, \
            "still connected after %d bytes were sent to it" % sent
        for _ in range(40):
            watcher.send_message(jid, body)
            sent += len(body)
        assert watcher.ping() == "result"
        while not watcher.messages.empty():
            msg = watcher.messages.get_nowait()
            if msg.type == "error" and msg.frm == jid:
                gone = msg
    assert gone.error == "service-unavailable", gone
    assert "did not read" in server.log()
    # what the sleeper finally reads ends with the connection closed
    received = sleeper.drain(timeout=10)
    assert received < sent
    # the rest of what was sent to it came back as errors
    assert watcher.ping() == "result"
    while not watcher.messages.empty():
        msg = watcher.messages.get_nowait()
        assert (msg.type, msg.frm, msg.error) == ("error", jid, "service-unavailable"), msg
