"""A second client library: aioxmpp (Debian's python3-aioxmpp 0.13), so that
no behaviour depends on slixmpp's quirks. Two aioxmpp clients log in, add
each other to their rosters, go through the subscription flow, see each
other's presence, exchange messages, and resume a versioned roster
(RFC 6121 §2.6) from aioxmpp's own cache."""
import asyncio

import pytest

aioxmpp = pytest.importorskip("aioxmpp")

from im import im_server, jid, users, _pool  # noqa: E402,F401

TIMEOUT = 10
# aioxmpp 0.13 warns that PresenceManagedClient's own way of connecting
# will change in 1.0; nothing to do with the server.
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    srv = im_server(request, tmp_path_factory)
    yield srv
    srv.check_stopped_cleanly()


class Peer:
    """One aioxmpp client with roster, presence and message services, and
    futures/queues the test awaits."""

    def __init__(self, server, user, resource, roster_cache=None):
        self.jid = aioxmpp.JID.fromstr("%s/%s" % (jid(user), resource))
        self.client = aioxmpp.PresenceManagedClient(
            self.jid, aioxmpp.make_security_layer(server.accounts[user], no_verify=True),
            override_peer=[("127.0.0.1", server.c2s_port,
                            aioxmpp.connector.STARTTLSConnector())])
        self.roster = self.client.summon(aioxmpp.RosterClient)
        if roster_cache:
            self.roster.import_from_json(roster_cache)
        self.presence = self.client.summon(aioxmpp.PresenceClient)
        self.dispatcher = self.client.summon(aioxmpp.dispatcher.SimpleMessageDispatcher)
        self.subscribe_requests = asyncio.Queue()
        self.messages = asyncio.Queue()
        self.available = asyncio.Queue()
        self.roster_ready = asyncio.Event()
        self.roster.on_subscribe.connect(lambda st: self.subscribe_requests.put_nowait(st.from_))
        self.roster.on_initial_roster_received.connect(lambda: self.roster_ready.set())
        self.presence.on_available.connect(lambda full, st: self.available.put_nowait(full))
        self.dispatcher.register_callback(aioxmpp.MessageType.CHAT, None,
                                          lambda msg: self.messages.put_nowait(msg))
        self._cm = None

    async def __aenter__(self):
        self.client.presence = aioxmpp.PresenceState(True)
        self._cm = self.client.connected()
        await asyncio.wait_for(self._cm.__aenter__(), TIMEOUT)
        await asyncio.wait_for(self.roster_ready.wait(), TIMEOUT)
        return self

    async def __aexit__(self, *exc):
        await self._cm.__aexit__(*exc)

    async def wait_item(self, bare, subscription, ask=None):
        """Waits until the roster shows `bare` with this subscription."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + TIMEOUT
        while True:
            item = self.roster.items.get(bare)
            if item and item.subscription == subscription and item.ask == ask:
                return item
            assert loop.time() < deadline, (bare, self.roster.items.get(bare) and vars(item))
            await asyncio.sleep(0.02)

    async def wait_available(self, full):
        while True:
            got = await asyncio.wait_for(self.available.get(), TIMEOUT)
            if got == full:
                return


def run(coro):
    asyncio.run(asyncio.wait_for(coro, 60))


def test_login_roster_subscription_presence_messages(server, users):
    na, nb = users(2)

    async def scenario():
        async with Peer(server, na, "aio-a") as a, Peer(server, nb, "aio-b") as b:
            bare_a, bare_b = a.jid.bare(), b.jid.bare()
            # roster add, with a name and a group
            await a.roster.set_entry(bare_b, name="Bee", add_to_groups={"Friends"})
            item = await a.wait_item(bare_b, "none")
            assert item.name == "Bee" and item.groups == {"Friends"}
            # a subscribes; b sees the request and approves, and asks back
            a.roster.subscribe(bare_b)
            await a.wait_item(bare_b, "none", ask="subscribe")
            assert await asyncio.wait_for(b.subscribe_requests.get(), TIMEOUT) == bare_a
            b.roster.approve(bare_a)
            await a.wait_item(bare_b, "to")
            await a.wait_available(b.jid)  # b's presence follows the approval
            b.roster.subscribe(bare_a)
            assert await asyncio.wait_for(a.subscribe_requests.get(), TIMEOUT) == bare_b
            a.roster.approve(bare_b)
            await a.wait_item(bare_b, "both")
            await b.wait_item(bare_a, "both")
            await b.wait_available(a.jid)
            # messages both ways
            for sender, receiver, body in ((a, b, "hello from a"), (b, a, "hello from b")):
                msg = aioxmpp.Message(to=receiver.jid.bare(), type_=aioxmpp.MessageType.CHAT)
                msg.body[None] = body
                await sender.client.send(msg)
                got = await asyncio.wait_for(receiver.messages.get(), TIMEOUT)
                assert got.body.any() == body and got.from_ == sender.jid
        # a leaves: b sees it go, then b's own presence ends the test
    run(scenario())


def test_versioned_roster_resumes_from_cache(server, users):
    """aioxmpp keeps the roster and its version between sessions; the server
    answers the next login with the changes only (an empty result when
    nothing changed), and the cache comes out right either way."""
    na, nb, nc = users(3)

    async def scenario():
        async with Peer(server, na, "one") as a:
            await a.roster.set_entry(aioxmpp.JID.fromstr(jid(nb)), name="B")
            await a.wait_item(aioxmpp.JID.fromstr(jid(nb)), "none")
            cache = a.roster.export_as_json()
        assert cache["ver"]
        async with Peer(server, na, "two", roster_cache=cache) as a:
            assert set(map(str, a.roster.items)) == {jid(nb)}
            assert a.roster.version == cache["ver"]  # nothing changed
            await a.roster.set_entry(aioxmpp.JID.fromstr(jid(nc)), name="C")
            await a.roster.remove_entry(aioxmpp.JID.fromstr(jid(nb)))
        async with Peer(server, na, "three", roster_cache=cache) as a:
            # the old cache is brought up to date by pushes
            loop = asyncio.get_running_loop()
            deadline = loop.time() + TIMEOUT
            while set(map(str, a.roster.items)) != {jid(nc)}:
                assert loop.time() < deadline, a.roster.items
                await asyncio.sleep(0.02)
            assert a.roster.items[aioxmpp.JID.fromstr(jid(nc))].name == "C"
            assert a.roster.version != cache["ver"]
    run(scenario())
