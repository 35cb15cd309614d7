"""Instant messaging helpers for the roster, subscription and presence tests
(RFC 6121): a slixmpp Client that records every presence and roster push
it receives, as XML, and reads and writes its roster by hand.

slixmpp's own subscription handling is switched off (auto_authorize None,
auto_subscribe False): the tests decide every answer themselves. Stanzas
are sent raw, so what the server gets is exactly what the test wrote.
"""
import copy
import itertools
import queue
import time
import xml.etree.ElementTree as ET

import pytest

from clients import Client, call
from conftest import StrataServer
from rawclient import NS_CLIENT, NS_STANZA_ERRORS, q

NS_ROSTER = "jabber:iq:roster"
DOMAIN = "localhost"


def jid(user):
    return "%s@%s" % (user, DOMAIN)


def condition(el):
    """The stanza error condition of an error stanza."""
    assert el.get("type") == "error", ET.tostring(el)
    err = el.find(q(NS_CLIENT, "error"))
    conds = [c.tag.split("}")[1] for c in err
             if c.tag.startswith("{%s}" % NS_STANZA_ERRORS) and not c.tag.endswith("}text")]
    assert len(conds) == 1, ET.tostring(el)
    return conds[0]


def item_tuple(item):
    """(subscription, ask, approved, name, groups) of a roster <item/>."""
    groups = sorted(g.text or "" for g in item.findall(q(NS_ROSTER, "group")))
    return (item.get("subscription", "none"), item.get("ask"), item.get("approved"),
            item.get("name"), groups)


def items_of(query):
    return {i.get("jid"): item_tuple(i) for i in query.findall(q(NS_ROSTER, "item"))}


class IMClient(Client):
    """A logged-in client that records presence and roster pushes.

    Presence is not sent at login unless `priority` is given, as Client."""

    def __init__(self, server, user, **kw):
        priority = kw.pop("priority", None)
        super().__init__(server, user, **kw)
        self.presences = queue.Queue()
        self.pushes = queue.Queue()
        self.skipped_presences = []
        call(self._watch())
        if priority is not None:
            self.send_presence(priority)

    async def _watch(self):
        x = self.x
        x.auto_authorize = None
        x.auto_subscribe = False
        x.add_event_handler("presence", lambda p: self.presences.put(copy.deepcopy(p.xml)))

        def on_roster(iq):
            if iq["type"] == "set":
                self.pushes.put(copy.deepcopy(iq.xml))
        x.add_event_handler("roster_update", on_roster)

    # ---- sending ------------------------------------------------------------

    def send(self, xml):
        """Sends raw XML and waits until the server has taken it."""
        self.send_raw(xml)
        assert self.ping() == "result"

    def presence(self, ptype=None, to=None, priority=None, status=None, show=None):
        attrs = ""
        if to:
            attrs += " to='%s'" % to
        if ptype:
            attrs += " type='%s'" % ptype
        body = ""
        if show:
            body += "<show>%s</show>" % show
        if status:
            body += "<status>%s</status>" % status
        if priority is not None:
            body += "<priority>%d</priority>" % priority
        self.send("<presence%s>%s</presence>" % (attrs, body))

    def roster_get(self, ver=None):
        """The iq reply to a roster get (with 'ver' when given)."""
        v = " ver='%s'" % ver if ver is not None else ""
        return self.iq("get", None, "<query xmlns='%s'%s/>" % (NS_ROSTER, v))

    def roster(self):
        """The roster as {jid: item_tuple}."""
        reply = self.roster_get()
        assert reply.get("type") == "result", ET.tostring(reply)
        return items_of(reply.find(q(NS_ROSTER, "query")))

    def roster_set(self, contact, name=None, groups=(), remove=False, raw_item=None):
        if raw_item is not None:
            item = raw_item
        else:
            attrs = "jid='%s'" % contact
            if name is not None:
                attrs += " name='%s'" % name
            if remove:
                attrs += " subscription='remove'"
            item = "<item %s>%s</item>" % (attrs, "".join("<group>%s</group>" % g for g in groups))
        return self.iq("set", None, "<query xmlns='%s'>%s</query>" % (NS_ROSTER, item))

    # ---- receiving ------------------------------------------------------------

    def wait_presence(self, frm=None, ptype="available", timeout=5, where=None):
        """The next presence from `frm` (a full or bare JID, or None for any)
        of type `ptype` ('available' for none, None for any type); others
        meanwhile are set aside."""
        for i, p in enumerate(self.skipped_presences):
            if self._matches(p, frm, ptype) and (where is None or where(p)):
                return self.skipped_presences.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            try:
                p = self.presences.get(timeout=max(0.001, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("%s got no %s presence from %s in %ss; others: %s" % (
                    self.user, ptype, frm, timeout,
                    [ET.tostring(s).decode() for s in self.skipped_presences])) from None
            if self._matches(p, frm, ptype) and (where is None or where(p)):
                return p
            self.skipped_presences.append(p)

    @staticmethod
    def _matches(p, frm, ptype):
        f = p.get("from", "")
        if frm is not None and f != frm and f.split("/")[0] != frm:
            return False
        if ptype is None:
            return True
        return p.get("type", "available") == ptype

    def drain_presences(self, settle=0.3):
        """Everything received so far (after letting in-flight work land)."""
        time.sleep(settle)
        assert self.ping() == "result"
        got = list(self.skipped_presences)
        self.skipped_presences = []
        while not self.presences.empty():
            got.append(self.presences.get_nowait())
        return got

    def assert_no_presence(self, frm=None, ptype=None, settle=0.3):
        got = [p for p in self.drain_presences(settle) if self._matches(p, frm, ptype)]
        assert not got, [ET.tostring(p).decode() for p in got]

    def wait_push(self, contact, timeout=5):
        """The item of the next roster push about `contact`; returns
        (item_tuple, ver)."""
        deadline = time.monotonic() + timeout
        while True:
            try:
                iq = self.pushes.get(timeout=max(0.001, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError("%s got no roster push for %s in %ss" % (
                    self.user, contact, timeout)) from None
            query = iq.find(q(NS_ROSTER, "query"))
            items = query.findall(q(NS_ROSTER, "item"))
            assert len(items) == 1, ET.tostring(iq)
            assert iq.get("from") in (None, self.bare), ET.tostring(iq)
            if items[0].get("jid") == contact:
                return item_tuple(items[0]), query.get("ver")

    def drain_pushes(self, settle=0.3):
        time.sleep(settle)
        assert self.ping() == "result"
        got = []
        while not self.pushes.empty():
            got.append(self.pushes.get_nowait())
        return got

    def assert_no_push(self, settle=0.3):
        got = self.drain_pushes(settle)
        assert not got, [ET.tostring(p).decode() for p in got]


def befriend(a, b):
    """a and b subscribe to each other (both online, rosters requested):
    afterwards both have 'both'. Pushes and presence on the way are
    drained."""
    a.send("<presence to='%s' type='subscribe'/>" % b.bare)
    b.wait_presence(a.bare, "subscribe")
    b.send("<presence to='%s' type='subscribed'/>" % a.bare)
    a.wait_presence(b.bare, "subscribed")
    b.send("<presence to='%s' type='subscribe'/>" % a.bare)
    a.wait_presence(b.bare, "subscribe")
    a.send("<presence to='%s' type='subscribed'/>" % b.bare)
    b.wait_presence(a.bare, "subscribed")
    assert a.roster()[b.bare][0] == "both"
    assert b.roster()[a.bare][0] == "both"
    a.drain_pushes(0)
    b.drain_pushes(0)
    a.drain_presences(0)
    b.drain_presences(0)


# ---- fixtures ------------------------------------------------------------------

# Rosters outlive a test, so each test takes accounts nobody used before:
# users(2) -> ["u00", "u01"], then ["u02", "u03"]... A test module may set
# POOL to the number of accounts it needs.
POOL = 72


def pool_size(request):
    return getattr(request.module, "POOL", POOL)


def pool_accounts(n=POOL):
    return {"u%02d" % i: "u%02d-Secret" % i for i in range(n)}


def im_server(request, tmp_path_factory, config="", accounts=None):
    """A module's server with the account pool (SERVER_CONFIG as conftest),
    or only the first `accounts` of it."""
    srv = StrataServer(tmp_path_factory.mktemp("strata"),
                       config or getattr(request.module, "SERVER_CONFIG", ""),
                       accounts=pool_accounts(accounts or pool_size(request)))
    srv.start()
    return srv


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    srv = im_server(request, tmp_path_factory)
    yield srv
    srv.check_stopped_cleanly()


@pytest.fixture(scope="module")
def _pool():
    return itertools.count()


@pytest.fixture
def users(request, _pool):
    """users(n): n account names no other test of this module used."""
    def take(n):
        names = ["u%02d" % next(_pool) for _ in range(n)]
        assert int(names[-1][1:]) < pool_size(request), "the account pool is exhausted: raise POOL"
        return names
    return take


@pytest.fixture
def im(server):
    """im(user, **kw): a logged-in IMClient, closed after the test."""
    made = []

    def make(user, **kw):
        c = IMClient(server, user, **kw)
        made.append(c)
        return c
    yield make
    for c in made:
        c.close()
