"""The server's own services, as a client sees them: disco (XEP-0030),
ping (XEP-0199), version (XEP-0092), entity time (XEP-0202), uptime
(XEP-0012), and <service-unavailable/> for what nobody serves (RFC 6120 §8.4).

Entity time is read from the raw XML: slixmpp 1.8's XEP-0202 parser
appends its own 'Z' to a UTC stamp that already ends in one."""
import re
import time
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

import pytest

from rawclient import NS_CLIENT, NS_STANZA_ERRORS, q

DISCO_INFO = "http://jabber.org/protocol/disco#info"
DISCO_ITEMS = "http://jabber.org/protocol/disco#items"


@pytest.fixture
def client(connect):
    return connect("olivia", resource="services")


def result_payload(reply, ns, name):
    assert reply.get("type") == "result", ET.tostring(reply)
    payload = reply.find(q(ns, name))
    assert payload is not None, ET.tostring(reply)
    return payload


def error_condition(reply):
    assert reply.get("type") == "error", ET.tostring(reply)
    err = reply.find(q(NS_CLIENT, "error"))
    assert err is not None, ET.tostring(reply)
    conds = [c.tag.split("}")[1] for c in err
             if c.tag.startswith("{%s}" % NS_STANZA_ERRORS) and not c.tag.endswith("}text")]
    assert len(conds) == 1, ET.tostring(reply)
    return err.get("type"), conds[0]


def test_disco_info_of_the_server(client):
    reply = client.iq("get", "localhost", "<query xmlns='%s'/>" % DISCO_INFO)
    assert reply.get("from") == "localhost"
    query = result_payload(reply, DISCO_INFO, "query")
    identities = [(i.get("category"), i.get("type")) for i in query.findall(q(DISCO_INFO, "identity"))]
    assert ("server", "im") in identities
    features = {f.get("var") for f in query.findall(q(DISCO_INFO, "feature"))}
    for ns in (DISCO_INFO, DISCO_ITEMS, "urn:xmpp:ping", "jabber:iq:version", "urn:xmpp:time",
               "jabber:iq:last"):
        assert ns in features, sorted(features)


def test_disco_items_of_the_server(client):
    reply = client.iq("get", "localhost", "<query xmlns='%s'/>" % DISCO_ITEMS)
    query = result_payload(reply, DISCO_ITEMS, "query")
    for item in query.findall(q(DISCO_ITEMS, "item")):
        assert item.get("jid"), ET.tostring(query)


def test_disco_info_of_own_account(client):
    reply = client.iq("get", client.bare, "<query xmlns='%s'/>" % DISCO_INFO)
    query = result_payload(reply, DISCO_INFO, "query")
    identities = [(i.get("category"), i.get("type")) for i in query.findall(q(DISCO_INFO, "identity"))]
    assert ("account", "registered") in identities, ET.tostring(query)


def test_ping_server(client):
    reply = client.iq("get", "localhost", "<ping xmlns='urn:xmpp:ping'/>")
    assert reply.get("type") == "result" and reply.get("from") == "localhost"
    assert len(reply) == 0  # XEP-0199: an empty result


def test_ping_without_to(client):
    """A ping with no 'to' is for the account and answered by the server."""
    reply = client.iq("get", None, "<ping xmlns='urn:xmpp:ping'/>")
    assert reply.get("type") == "result", ET.tostring(reply)


def test_version(client):
    reply = client.iq("get", "localhost", "<query xmlns='jabber:iq:version'/>")
    query = result_payload(reply, "jabber:iq:version", "query")
    assert query.findtext(q("jabber:iq:version", "name")) == "Strata"
    assert re.match(r"^\d+\.\d+", query.findtext(q("jabber:iq:version", "version")) or "")
    assert query.find(q("jabber:iq:version", "os")) is None  # hidden by default


def test_entity_time(client):
    before = datetime.now(timezone.utc).replace(microsecond=0)
    reply = client.iq("get", "localhost", "<time xmlns='urn:xmpp:time'/>")
    after = datetime.now(timezone.utc)
    t = result_payload(reply, "urn:xmpp:time", "time")
    tzo = t.findtext(q("urn:xmpp:time", "tzo"))
    utc = t.findtext(q("urn:xmpp:time", "utc"))
    # XEP-0202 §4: tzo is [+-]hh:mm, utc is an XEP-0082 UTC DateTime ending in Z
    assert re.fullmatch(r"[+-]\d\d:\d\d", tzo or ""), tzo
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", utc or ""), utc
    stamp = datetime.strptime(utc.split(".")[0].rstrip("Z"), "%Y-%m-%dT%H:%M:%S") \
        .replace(tzinfo=timezone.utc)
    assert before.timestamp() - 1 <= stamp.timestamp() <= after.timestamp() + 1, (utc, before, after)


def test_uptime(server, client):
    """XEP-0012 to the server: seconds since it started."""
    reply = client.iq("get", "localhost", "<query xmlns='jabber:iq:last'/>")
    query = result_payload(reply, "jabber:iq:last", "query")
    seconds = int(query.get("seconds"))
    running_for = time.monotonic() - server.started
    assert 0 <= seconds <= running_for + 2, (seconds, running_for)


def test_unknown_payload_to_server(client):
    """RFC 6120 §8.4: an iq get/set nobody serves: <service-unavailable/>."""
    for itype in ("get", "set"):
        reply = client.iq(itype, "localhost", "<query xmlns='urn:example:nothing'/>")
        assert reply.get("from") == "localhost"
        assert error_condition(reply) == ("cancel", "service-unavailable")


def test_unknown_payload_to_an_account(connect, client):
    """To another account's bare JID: the server answers for it
    (RFC 6121 §8.5.1) with <service-unavailable/>."""
    reply = client.iq("get", "peggy@localhost", "<query xmlns='urn:example:nothing'/>")
    assert error_condition(reply) == ("cancel", "service-unavailable")


def test_iq_result_and_error_are_not_answered(server, raw):
    """RFC 6120 §8.2.3, §8.3.1: results and errors are never answered."""
    c = raw()
    c.login("olivia", server.accounts["olivia"], resource="raw")
    c.send("<iq type='result' id='unsolicited' to='localhost'/>")
    c.send("<iq type='error' id='unsolicited2' to='localhost'><error type='cancel'>"
           "<bad-request xmlns='%s'/></error></iq>" % NS_STANZA_ERRORS)
    c.send("<iq type='get' id='last' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>")
    reply = c.read()
    assert (reply.get("id"), reply.get("type")) == ("last", "result"), ET.tostring(reply)


def test_iq_without_payload_is_bad(server, raw):
    """RFC 6120 §8.2.3: a get or set has exactly one payload; one without
    gets an error (bad-request or service-unavailable), not silence."""
    c = raw()
    c.login("olivia", server.accounts["olivia"], resource="raw2")
    c.send("<iq type='get' id='empty' to='localhost'/>")
    reply = c.read()
    assert (reply.get("id"), reply.get("type")) == ("empty", "error"), ET.tostring(reply)
