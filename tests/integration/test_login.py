"""Logging in: every SASL mechanism, over STARTTLS and direct TLS, and the
failures a user sees (RFC 6120 §4, §5, §6; RFC 5802; RFC 7677; RFC 5929;
RFC 9266; XEP-0368; XEP-0440; XEP-0474)."""
import base64
import hashlib
import re
import time

import pytest
from OpenSSL import SSL

from clients import Client, LoginFailed
from rawclient import (NS_BIND, NS_SASL, NS_STREAM, NS_TLS, channel_binding_types, fresh_source,
                       mechanisms, q)

MECHS = ["PLAIN", "SCRAM-SHA-1", "SCRAM-SHA-256"]


def chat_works(sender, receiver):
    sender.send_message(receiver.jid, "hello " + receiver.jid)
    msg = receiver.wait_message()
    assert (msg.type, msg.frm, msg.body) == ("chat", sender.jid, "hello " + receiver.jid)


@pytest.mark.parametrize("mech", MECHS)
def test_login_starttls(connect, mech):
    c = connect("alice", mech=mech, resource="starttls-" + mech)
    assert c.jid == "alice@localhost/starttls-" + mech
    assert c.tls_version in ("TLSv1.2", "TLSv1.3")
    assert c.ping() == "result"
    other = connect("bob")
    chat_works(c, other)
    chat_works(other, c)


@pytest.mark.parametrize("mech", MECHS)
def test_login_direct_tls(connect, mech):
    c = connect("alice", mech=mech, resource="direct-" + mech, direct_tls=True)
    assert c.jid == "alice@localhost/direct-" + mech
    assert c.alpn == "xmpp-client"  # XEP-0368: the server agreed on ALPN xmpp-client
    assert c.ping() == "result"
    chat_works(c, connect("bob"))


def test_direct_tls_without_alpn(server):
    """A client that offers no ALPN at all is still served on the direct
    TLS port."""
    c = server.raw(direct_tls=True, alpn=None)
    try:
        c.login("carol", server.accounts["carol"], resource="no-alpn")
    finally:
        c.close()


def test_direct_tls_with_foreign_alpn_refused(server):
    """XEP-0368 names the ALPN protocol xmpp-client; a client that offers
    ALPN without it is not an XMPP client, and its handshake fails."""
    with pytest.raises(SSL.Error):
        c = server.raw(direct_tls=True, alpn=b"http/1.1")
        c.close()


def test_login_non_ascii_password(connect):
    """SASLprep'd non-ASCII password, on both SCRAM variants and PLAIN."""
    for mech in MECHS:
        c = connect("uma", mech=mech, resource=mech)
        assert c.ping() == "result"


@pytest.mark.parametrize("mech", MECHS)
def test_wrong_password(server, mech):
    with pytest.raises(LoginFailed) as e:
        Client(server, "alice", password="not-the-password", mech=mech, source=fresh_source())
    assert e.value.condition == "not-authorized"


@pytest.mark.parametrize("mech", MECHS)
def test_unknown_user(server, mech):
    """The same failure as a wrong password: nothing tells whether the
    account exists (RFC 6120 §6.5.10)."""
    with pytest.raises(LoginFailed) as e:
        Client(server, "nobody-here", password="whatever", mech=mech, source=fresh_source())
    assert e.value.condition == "not-authorized"


def test_features_before_and_after_starttls(raw):
    """RFC 6120 §5.3.1: STARTTLS required first, then SASL; PLAIN and -PLUS
    are not offered in the clear."""
    c = raw()
    features = c.open_stream()
    tls = features.find(q(NS_TLS, "starttls"))
    assert tls is not None and tls.find(q(NS_TLS, "required")) is not None
    assert "PLAIN" not in mechanisms(features)
    assert not [m for m in mechanisms(features) if m.endswith("-PLUS")]
    c.starttls()
    features = c.open_stream()
    assert features.find(q(NS_TLS, "starttls")) is None
    offered = mechanisms(features)
    for m in ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-1-PLUS", "SCRAM-SHA-1", "PLAIN"]:
        assert m in offered, offered
    assert features.find(q(NS_BIND, "bind")) is None


def test_response_stream_header(raw):
    """RFC 6120 §4.7: the response header names the server, carries a
    stream id and version 1.0."""
    c = raw()
    c.open_stream()
    header = c.header
    assert header.tag == q(NS_STREAM, "stream")
    assert header.get("from") == "localhost"
    assert header.get("version") == "1.0"
    assert header.get("id")


def test_new_stream_id_on_each_restart(server, raw):
    c = raw()
    c.open_stream()
    ids = [c.header.get("id")]
    c.starttls()
    c.open_stream()
    ids.append(c.header.get("id"))
    assert c.auth_scram("carol", server.accounts["carol"]) == "success"
    c.open_stream()
    ids.append(c.header.get("id"))
    assert len(set(ids)) == 3, ids


def test_stream_ids_unpredictable(raw):
    ids = []
    for _ in range(2):
        c = raw()
        c.open_stream()
        ids.append(c.header.get("id"))
    counters = [re.fullmatch(r"(.*?)(\d+)", i) for i in ids]
    assert not (all(counters) and counters[0].group(1) == counters[1].group(1)
                and int(counters[1].group(2)) - int(counters[0].group(2)) in range(1, 5)), ids
    assert all(len(i) >= 16 for i in ids), ids  # room for 64+ random bits


def test_sasl_before_starttls_is_refused(server, raw):
    """With STARTTLS required, SASL in the clear gets <encryption-required/>
    (RFC 6120 §6.5.4, §5.3.1)."""
    c = raw()
    c.open_stream()
    assert c.auth_scram("alice", server.accounts["alice"]) == "encryption-required"


# ---- SCRAM-*-PLUS, with a raw client: slixmpp cannot do them -----------------

PLUS = ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-1-PLUS"]


def tls_client(server, how, tls_max=None):
    """A raw client on TLS (STARTTLS or direct), before authentication,
    from an address of its own; returns it and the <features/> of its
    encrypted stream."""
    c = server.raw(direct_tls=how == "direct", tls_max=tls_max, source=fresh_source())
    if how == "starttls":
        c.open_stream()
        c.starttls()
    return c, c.open_stream()


@pytest.mark.parametrize("how", ["starttls", "direct"])
def test_channel_binding_types_advertised(server, how):
    """XEP-0440: under TLS 1.3 both tls-exporter and tls-server-end-point
    are listed, and the -PLUS mechanisms are offered."""
    c, features = tls_client(server, how)
    try:
        assert c.tls_version() == "TLSv1.3"
        assert sorted(channel_binding_types(features)) == ["tls-exporter", "tls-server-end-point"]
        assert set(PLUS) <= set(mechanisms(features))
    finally:
        c.close()


def test_no_tls_exporter_under_tls12(server):
    """RFC 9266 §3: tls-exporter is defined for TLS 1.3 only; under TLS 1.2
    only tls-server-end-point is offered, and -PLUS works with it."""
    c, features = tls_client(server, "starttls", tls_max=SSL.TLS1_2_VERSION)
    try:
        assert c.tls_version() == "TLSv1.2"
        assert channel_binding_types(features) == ["tls-server-end-point"]
        assert c.auth_scram("carol", server.accounts["carol"], "SCRAM-SHA-256-PLUS",
                            cb_type="tls-exporter") != "success"
    finally:
        c.close()
    c, features = tls_client(server, "starttls", tls_max=SSL.TLS1_2_VERSION)
    try:
        assert c.auth_scram("carol", server.accounts["carol"], "SCRAM-SHA-256-PLUS",
                            cb_type="tls-server-end-point") == "success"
        attrs = dict(item.split("=", 1) for item in c.server_first.split(","))
        assert attrs.get("h") == ssdp_hash("sha256", mechanisms(features),
                                           ["tls-server-end-point"]), c.server_first
    finally:
        c.close()


@pytest.mark.parametrize("how", ["starttls", "direct"])
@pytest.mark.parametrize("cb_type", ["tls-exporter", "tls-server-end-point"])
@pytest.mark.parametrize("mech", PLUS)
def test_login_plus(server, mech, cb_type, how):
    c, _ = tls_client(server, how)
    try:
        assert c.auth_scram("carol", server.accounts["carol"], mech, cb_type=cb_type) == "success"
        features = c.open_stream()
        assert features.find(q(NS_BIND, "bind")) is not None
        assert c.bind("plus") == "carol@localhost/plus"
        c.send("<iq type='get' id='p1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>")
        reply = c.read()
        assert reply.get("type") == "result" and reply.get("id") == "p1"
    finally:
        c.close()


@pytest.mark.parametrize("cb_type", ["tls-exporter", "tls-server-end-point"])
@pytest.mark.parametrize("mech", PLUS)
def test_plus_wrong_binding(server, mech, cb_type):
    """Channel binding data that is not this connection's: a man in the
    middle. RFC 5802 §5.1 (c=): the server refuses, <not-authorized/>."""
    c, _ = tls_client(server, "starttls")
    try:
        wrong = bytes(32)  # the length of the real data, all zeros
        assert c.auth_scram("carol", server.accounts["carol"], mech, cb_type=cb_type,
                            cb_data=wrong) == "not-authorized"
    finally:
        c.close()


def test_plus_wrong_password(server):
    c, _ = tls_client(server, "starttls")
    try:
        assert c.auth_scram("carol", "wrong", "SCRAM-SHA-256-PLUS",
                            cb_type="tls-exporter") == "not-authorized"
    finally:
        c.close()


def test_downgrade_flag_y_refused(server):
    """RFC 5802 §6: gs2 flag 'y' (client supports binding but thinks the
    server does not) while the server offered -PLUS is a downgrade attack."""
    c, _ = tls_client(server, "starttls")
    try:
        outcome = c.auth_scram("carol", server.accounts["carol"], "SCRAM-SHA-256", gs2_flag="y")
        assert outcome != "success"
    finally:
        c.close()


def ssdp_hash(hash_name, mechs, cb_types):
    """XEP-0474 §5.1 (v0.5): sorted mechanisms joined by 0x1E; then, when
    XEP-0440 listed channel bindings, 0x1F and the sorted types joined by
    0x1E; hashed with the SCRAM hash, base64."""
    s = "\x1e".join(sorted(mechs))
    if cb_types is not None:
        s += "\x1f" + "\x1e".join(sorted(cb_types))
    return base64.b64encode(hashlib.new(hash_name, s.encode()).digest()).decode()


def test_ssdp_hash_helper_matches_the_xep_example():
    assert ssdp_hash("sha1", ["SCRAM-SHA-1-PLUS", "SCRAM-SHA-1"],
                     ["tls-server-end-point", "tls-exporter"]) == "G6k/rBLDqgOhRRaCuuatSDFkJ08="


@pytest.mark.parametrize("how", ["starttls", "direct"])
@pytest.mark.parametrize("mech", ["SCRAM-SHA-1", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS"])
def test_scram_downgrade_protection(server, mech, how):
    """XEP-0474: the server-first message carries h=, the hash of the
    mechanisms and channel-binding types this stream was offered, which a
    client compares with what it saw."""
    c, features = tls_client(server, how)
    try:
        hash_name = "sha256" if "256" in mech else "sha1"
        assert c.auth_scram("carol", server.accounts["carol"], mech,
                            cb_type="tls-exporter") == "success"
        attrs = dict(item.split("=", 1) for item in c.server_first.split(","))
        assert attrs.get("h") == ssdp_hash(hash_name, mechanisms(features),
                                           channel_binding_types(features)), c.server_first
    finally:
        c.close()


def test_unsupported_binding_type(server):
    """tls-unique is not offered (undefined under TLS 1.3)."""
    c, _ = tls_client(server, "starttls")
    try:
        outcome = c.auth_scram("carol", server.accounts["carol"], "SCRAM-SHA-256-PLUS",
                               cb_type="tls-unique", cb_data=bytes(12))
        assert outcome != "success"
    finally:
        c.close()


def test_plain_raw_and_failure_then_retry(server):
    """RFC 6120 §6.4.5: after a failure the client may try again on the
    same stream."""
    c, _ = tls_client(server, "starttls")
    try:
        assert c.auth_plain("carol", "wrong") == "not-authorized"
        assert c.auth_plain("carol", server.accounts["carol"]) == "success"
    finally:
        c.close()


def test_authzid_of_another_user_refused(server):
    """RFC 6120 §6.3.8: an authzid other than the user's own bare JID gets
    <invalid-authzid/>; one's own is accepted."""
    c, _ = tls_client(server, "starttls")
    try:
        assert c.auth_plain("carol", server.accounts["carol"], authzid="bob@localhost") == \
            "invalid-authzid"
        assert c.auth_plain("carol", server.accounts["carol"], authzid="carol@localhost") == \
            "success"
    finally:
        c.close()


def test_unknown_mechanism(server):
    c, _ = tls_client(server, "starttls")
    try:
        c.send("<auth xmlns='%s' mechanism='DIGEST-MD5'/>" % NS_SASL)
        assert c._sasl_outcome(c.read()) == "invalid-mechanism"
    finally:
        c.close()


def test_repeated_failures_are_slowed_down(server, connect):
    """Password guessing: after a few failures from one address, each
    further <not-authorized/> comes late; other addresses are not slowed,
    and the right password is still accepted."""
    c, _ = tls_client(server, "starttls")
    try:
        answers = []
        for _ in range(5):
            start = time.monotonic()
            assert c.auth_plain("carol", "guess") == "not-authorized"
            answers.append(time.monotonic() - start)
        assert answers[0] < 0.4, answers
        assert answers[-1] >= 0.45 and answers[-1] >= answers[0], answers
        start = time.monotonic()
        other = connect("dave")  # from 127.0.0.1
        assert other.ping() == "result"
        assert time.monotonic() - start < 3
        assert c.auth_plain("carol", server.accounts["carol"]) == "success"
    finally:
        c.close()
