"""slixmpp clients with a synchronous face, for tests written as plain
functions.

Every slixmpp client lives on one asyncio loop that runs in a background
thread; the methods here hand work to that loop and wait for the outcome.
What a client receives (messages, stream errors) lands in thread-safe
queues the tests read from.

slixmpp 1.8 knows only the tls-unique channel binding, which does not exist
under TLS 1.3 (RFC 9266), and ignores XEP-0440. Left alone it would try
SCRAM-*-PLUS with tls-unique, then SCRAM with the gs2 flag 'y', which a
server that offers -PLUS must refuse as a downgrade (RFC 5802 §6). So the
clients made here behave as a client without channel binding: the
'channel_binding' credential is withheld, which makes slixmpp send the
gs2 flag 'n' (what XEP-0440 asks of a client that supports none of the
server's types), and the mechanism is chosen explicitly.
"""
import asyncio
import contextvars
import queue
import ssl
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from collections import namedtuple

import slixmpp
from slixmpp.exceptions import IqError

from rawclient import DOMAIN

_loop = None
_loop_lock = threading.Lock()

# The local address a client connects from (None: any). slixmpp does not
# let one choose it, so the loop's create_connection reads it from the
# context of the task that connects (copied from the login's).
_source = contextvars.ContextVar("source", default=None)


class _Loop(asyncio.SelectorEventLoop):
    async def create_connection(self, *args, **kw):
        if _source.get() and kw.get("sock") is None:
            kw.setdefault("local_addr", (_source.get(), 0))
        return await super().create_connection(*args, **kw)


def event_loop():
    """The loop every slixmpp client runs on, started on first use."""
    global _loop
    with _loop_lock:
        if _loop is None:
            _loop = _Loop()
            threading.Thread(target=_loop.run_forever, name="slixmpp", daemon=True).start()
    return _loop


def call(coro, timeout=15):
    """Runs a coroutine on the clients' loop and returns its result."""
    return asyncio.run_coroutine_threadsafe(coro, event_loop()).result(timeout)


Message = namedtuple("Message", "type frm to id body error xml")


class LoginFailed(Exception):
    def __init__(self, condition):
        super().__init__("authentication failed: %s" % condition)
        self.condition = condition


def without_channel_binding(fm):
    """Makes slixmpp's SASL a client without channel binding (gs2 flag 'n')."""
    credentials = fm.sasl_callback

    def callback(required, optional):
        values = credentials(required, set(optional) - {"channel_binding"})
        values.pop("channel_binding", None)
        return values
    fm.sasl_callback = callback


class Client:
    """A logged-in slixmpp client (raises LoginFailed when SASL fails).

    mech: the SASL mechanism to use. direct_tls: connect to the direct TLS
    port with ALPN xmpp-client instead of STARTTLS. priority: send initial
    presence with this priority once bound (None: send no presence).
    """

    def __init__(self, server, user, *, resource=None, password=None, mech="SCRAM-SHA-256",
                 direct_tls=False, priority=None, source=None, timeout=15):
        self.server = server
        self.user = user
        self.messages = queue.Queue()
        self.stream_errors = queue.Queue()
        self.skipped = []
        self.disconnected = threading.Event()
        self.alpn = None
        self.tls_version = None
        jid = "%s@%s" % (user, DOMAIN) + ("/" + resource if resource else "")
        password = server.accounts.get(user, "") if password is None else password
        self.x = None
        try:
            call(self._login(jid, password, mech, direct_tls, source, timeout), timeout + 5)
        except BaseException:
            self.close()
            raise
        if priority is not None:
            self.send_presence(priority)

    # ---- on the loop ------------------------------------------------------

    async def _login(self, jid, password, mech, direct_tls, source, timeout):
        _source.set(source)
        x = self.x = slixmpp.ClientXMPP(jid, password)
        x.ssl_context.check_hostname = False  # self-signed test certificate
        x.ssl_context.verify_mode = ssl.CERT_NONE
        if direct_tls:
            x.ssl_context.set_alpn_protocols(["xmpp-client"])
        fm = x["feature_mechanisms"]
        fm.use_mech = mech
        without_channel_binding(fm)
        outcome = asyncio.get_running_loop().create_future()

        def settle(value):
            if not outcome.done():
                outcome.set_result(value)

        x.add_event_handler("session_start", lambda _: settle(None))
        x.add_event_handler("failed_auth", lambda f: settle(LoginFailed(f["condition"])))
        x.add_event_handler("disconnected", self._on_disconnected)
        x.add_event_handler("disconnected", lambda _: settle(ConnectionError("disconnected")))
        # slixmpp fires "message" for messages with a body and "message_error"
        # for errors (both for an error that carries a body): take each once.
        x.add_event_handler("message", lambda m: m["type"] != "error" and self._on_message(m))
        x.add_event_handler("message_error", self._on_message)
        x.add_event_handler("stream_error", lambda e: self.stream_errors.put(e["condition"]))
        x.connect(("127.0.0.1", self.server.tls_port if direct_tls else self.server.c2s_port),
                  use_ssl=direct_tls, force_starttls=not direct_tls)
        result = await asyncio.wait_for(outcome, timeout)
        if isinstance(result, BaseException):
            raise result
        ssl_object = x.transport.get_extra_info("ssl_object")
        if ssl_object is not None:
            self.alpn = ssl_object.selected_alpn_protocol()
            self.tls_version = ssl_object.version()

    def _on_disconnected(self, _):
        self.disconnected.set()

    def _on_message(self, msg):
        error = msg["error"]["condition"] if msg["type"] == "error" else None
        self.messages.put(Message(msg["type"], str(msg["from"]), str(msg["to"]), msg["id"], msg["body"],
                                  error, ET.tostring(msg.xml, encoding="unicode")))

    async def _iq(self, itype, to, payload, timeout):
        iq = self.x.Iq()
        iq["type"] = itype
        if to:
            iq["to"] = to
        if payload is not None:
            iq.append(ET.fromstring(payload) if isinstance(payload, str) else payload)
        try:
            reply = await iq.send(timeout=timeout)
        except IqError as e:
            reply = e.iq
        return reply.xml

    async def _close(self):
        x = self.x
        if x.transport is not None:
            try:
                await asyncio.wait_for(x.disconnect(wait=2), 3)
            except asyncio.TimeoutError:
                x.abort()
        else:
            x.cancel_connection_attempt()
        if x._run_out_filters is not None:
            x._run_out_filters.cancel()  # slixmpp leaves its send task running

    # ---- for the tests ------------------------------------------------------

    @property
    def jid(self):
        """The full JID the server bound."""
        return str(self.x.boundjid.full)

    @property
    def bare(self):
        return str(self.x.boundjid.bare)

    def _soon(self, fn, *args, **kw):
        event_loop().call_soon_threadsafe(lambda: fn(*args, **kw))

    def send_message(self, to, body, mtype="chat"):
        """Sends a message; returns its id."""
        msg_id = uuid.uuid4().hex

        def send():
            m = self.x.make_message(mto=to, mbody=body, mtype=mtype)
            m["id"] = msg_id
            m.send()
        self._soon(send)
        return msg_id

    def send_presence(self, priority=0):
        self._soon(self.x.send_presence, ppriority=priority)
        self.ping()  # the server has taken it when the ping comes back

    def send_raw(self, data):
        self._soon(self.x.send_raw, data)

    def iq(self, itype, to, payload, timeout=5):
        """Sends an iq and returns the reply as an Element (result or error)."""
        return call(self._iq(itype, to, payload, timeout), timeout + 2)

    def ping(self, to=DOMAIN):
        """XEP-0199 ping; returns the reply's type ('result' when all is well)."""
        return self.iq("get", to, "<ping xmlns='urn:xmpp:ping'/>").get("type")

    def wait_message(self, timeout=5, where=None):
        """The next message received (for which `where` holds, if given);
        other messages meanwhile are set aside in self.skipped."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                msg = self.messages.get(timeout=max(0.001, remaining))
            except queue.Empty:
                raise AssertionError("%s received no message in %ss" % (self.user, timeout)) from None
            if where is None or where(msg):
                return msg
            self.skipped.append(msg)

    def assert_no_message(self):
        """Nothing was received: checked after a ping round trip, which the
        server answers only after everything sent earlier was delivered."""
        assert self.ping() == "result"
        leftovers = list(self.skipped)
        while not self.messages.empty():
            leftovers.append(self.messages.get_nowait())
        assert not leftovers, leftovers

    def wait_stream_error(self, timeout=5):
        try:
            return self.stream_errors.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError("%s received no stream error in %ss" % (self.user, timeout)) from None

    def wait_disconnected(self, timeout=5):
        assert self.disconnected.wait(timeout), "%s is still connected" % self.user

    def close(self):
        if self.x is not None:
            try:
                call(self._close(), 6)
            except Exception:
                pass
