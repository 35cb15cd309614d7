"""A small XMPP client over a raw socket, for what slixmpp cannot do:
SCRAM-*-PLUS with tls-exporter and tls-server-end-point, and bad input.

It speaks the stream itself: the header, STARTTLS or direct TLS (pyOpenSSL,
so that tls-exporter keying material can be exported), SASL PLAIN and
SCRAM with hashlib/hmac, resource binding. Reading is incremental with
xml.etree's pull parser; every top-level element of the server's stream is
returned as an Element, and a stream error or the end of the stream is
noticed as such.
"""
import base64
import errno
import hashlib
import hmac
import os
import select
import socket
import time
import xml.etree.ElementTree as ET

from OpenSSL import SSL, crypto

NS_STREAM = "http://etherx.jabber.org/streams"
NS_CLIENT = "jabber:client"
NS_TLS = "urn:ietf:params:xml:ns:xmpp-tls"
NS_SASL = "urn:ietf:params:xml:ns:xmpp-sasl"
NS_BIND = "urn:ietf:params:xml:ns:xmpp-bind"
NS_STREAM_ERRORS = "urn:ietf:params:xml:ns:xmpp-streams"
NS_STANZA_ERRORS = "urn:ietf:params:xml:ns:xmpp-stanzas"
NS_SASL_CB = "urn:xmpp:sasl-cb:0"

DOMAIN = "localhost"


def q(ns, name):
    """Clark notation, as ElementTree names elements."""
    return "{%s}%s" % (ns, name)


_next_source = [1]


def fresh_source():
    """A loopback address no other connection of this run has used (127.0.0.2,
    127.0.0.3, ...): the server slows down repeated authentication failures
    per address, so a test that fails on purpose comes from its own."""
    _next_source[0] += 1
    n = _next_source[0]
    return "127.0.%d.%d" % (n // 250, n % 250 + 2)


class StreamClosed(Exception):
    """The server closed its stream or the connection."""


def stream_header(to=DOMAIN, *, ns_stream=NS_STREAM, ns_content=NS_CLIENT, version="1.0",
                  prolog="<?xml version='1.0'?>"):
    to_attr = " to='%s'" % to if to is not None else ""
    version_attr = " version='%s'" % version if version is not None else ""
    return ("%s<stream:stream xmlns='%s' xmlns:stream='%s'%s%s xml:lang='en'>"
            % (prolog, ns_content, ns_stream, to_attr, version_attr))


class RawClient:
    """One client connection to 127.0.0.1:`port`.

    direct_tls: start with TLS (XEP-0368) offering ALPN `alpn`.
    rcvbuf: a small SO_RCVBUF, for a client that does not read.
    source: the local address to connect from (see fresh_source).
    tls_max: highest TLS version (SSL.TLS1_2_VERSION to forbid TLS 1.3).
    """

    def __init__(self, port, *, direct_tls=False, alpn=b"xmpp-client", rcvbuf=None,
                 tls_max=None, source=None, timeout=5.0):
        self.timeout = timeout
        self.tls = None
        self.tls_max = tls_max
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        if rcvbuf:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        if source:
            sock.bind((source, 0))
        sock.settimeout(timeout)
        sock.connect(("127.0.0.1", port))
        sock.setblocking(False)
        self.sock = sock
        self.eof = False
        self._new_parser()
        if direct_tls:
            self._handshake(alpn)

    # ---- I/O ------------------------------------------------------------

    def _deadline(self, timeout):
        return time.monotonic() + (self.timeout if timeout is None else timeout)

    def _wait(self, readable, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("nothing from the server in time")
        if readable:
            r, _, _ = select.select([self.sock], [], [], remaining)
        else:
            _, r, _ = select.select([], [self.sock], [], remaining)
        if not r:
            raise TimeoutError("nothing from the server in time")

    def send(self, data, timeout=None):
        if isinstance(data, str):
            data = data.encode()
        deadline = self._deadline(timeout)
        while data:
            chunk = data[:16384]
            try:
                n = (self.tls or self.sock).send(chunk)
            except (BlockingIOError, SSL.WantWriteError):
                self._wait(False, deadline)
                continue
            except SSL.WantReadError:
                self._wait(True, deadline)
                continue
            data = data[n:]

    def _recv(self, deadline):
        """Some bytes, or b'' at the end of the connection."""
        while True:
            try:
                if self.tls:
                    return self.tls.recv(65536)
                return self.sock.recv(65536)
            except (BlockingIOError, SSL.WantReadError):
                self._wait(True, deadline)
            except SSL.WantWriteError:
                self._wait(False, deadline)
            except SSL.ZeroReturnError:
                return b""
            except SSL.SysCallError as e:
                if e.args and e.args[0] in (-1, errno.ECONNRESET, errno.EPIPE):
                    return b""
                raise
            except SSL.Error as e:
                if "unexpected eof" in str(e):
                    return b""
                raise
            except (ConnectionResetError, BrokenPipeError):
                return b""

    def _handshake(self, alpn=None):
        ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
        ctx.set_verify(SSL.VERIFY_NONE, lambda *args: True)  # self-signed test certificate
        if self.tls_max:
            ctx.set_max_proto_version(self.tls_max)
        if alpn:
            ctx.set_alpn_protos([alpn])
        conn = SSL.Connection(ctx, self.sock)
        conn.set_tlsext_host_name(DOMAIN.encode())
        conn.set_connect_state()
        deadline = self._deadline(None)
        while True:
            try:
                conn.do_handshake()
                break
            except SSL.WantReadError:
                self._wait(True, deadline)
            except SSL.WantWriteError:
                self._wait(False, deadline)
        self.tls = conn

    # ---- the server's stream ---------------------------------------------

    def _new_parser(self):
        self.parser = ET.XMLPullParser(events=("start", "end"))
        self.depth = 0
        self.header = None
        self.stream_closed = False
        self.elements = []

    def _feed(self, data):
        self.parser.feed(data)
        for event, el in self.parser.read_events():
            if event == "start":
                self.depth += 1
                if self.depth == 1:
                    self.header = el
            else:
                self.depth -= 1
                if self.depth == 1:
                    self.elements.append(el)
                    self.header.remove(el)
                elif self.depth == 0:
                    self.stream_closed = True

    def read(self, timeout=None):
        """The next top-level element of the server's stream."""
        deadline = self._deadline(timeout)
        while not self.elements:
            if self.stream_closed or self.eof:
                raise StreamClosed("the server closed the stream")
            data = self._recv(deadline)
            if not data:
                self.eof = True
                continue
            self._feed(data)
        return self.elements.pop(0)

    def read_header(self, timeout=None):
        """Waits for the server's stream header; returns its attributes."""
        deadline = self._deadline(timeout)
        while self.header is None:
            if self.eof:
                raise StreamClosed("no stream header before the end of the connection")
            data = self._recv(deadline)
            if not data:
                self.eof = True
                continue
            self._feed(data)
        return self.header

    def stream_error(self, timeout=None):
        """Reads until a stream error; returns its condition (a local name).

        Also checks RFC 6120 §4.9.1.1: the error is followed by the end of the
        stream and the connection is closed."""
        deadline = self._deadline(timeout)
        while True:
            el = self.read(max(0.01, deadline - time.monotonic()))
            if el.tag == q(NS_STREAM, "error"):
                break
        conditions = [c.tag.split("}")[1] for c in el
                      if c.tag.startswith("{%s}" % NS_STREAM_ERRORS) and not c.tag.endswith("}text")]
        assert len(conditions) == 1, ET.tostring(el)
        self.wait_closed(max(0.5, deadline - time.monotonic()))
        assert self.stream_closed, "no </stream:stream> after the stream error"
        return conditions[0]

    def wait_closed(self, timeout=None):
        """Reads (and drops) everything until the connection ends."""
        deadline = self._deadline(timeout)
        while not self.eof:
            data = self._recv(deadline)
            if not data:
                self.eof = True
            elif not self.stream_closed:
                try:
                    self._feed(data)
                except ET.ParseError:
                    pass

    def drain(self, timeout=None):
        """Reads raw bytes until the connection ends; returns how many."""
        deadline = self._deadline(timeout)
        total = 0
        while True:
            data = self._recv(deadline)
            if not data:
                self.eof = True
                return total
            total += len(data)

    def close(self):
        try:
            if self.tls:
                try:
                    self.tls.shutdown()
                except SSL.Error:
                    pass
            self.sock.close()
        except OSError:
            pass

    # ---- negotiation -----------------------------------------------------

    def new_stream(self, data):
        """Sends `data`, which starts a new stream (a header, perhaps with
        something before or after it), and expects a new stream back."""
        self._new_parser()
        self.send(data)

    def open_stream(self, to=DOMAIN, **kw):
        """Sends a stream header; returns the server's <features/>."""
        self.new_stream(stream_header(to, **kw))
        self.read_header()
        features = self.read()
        assert features.tag == q(NS_STREAM, "features"), ET.tostring(features)
        return features

    def starttls(self):
        self.send("<starttls xmlns='%s'/>" % NS_TLS)
        el = self.read()
        assert el.tag == q(NS_TLS, "proceed"), ET.tostring(el)
        self._handshake()

    def tls_version(self):
        return self.tls.get_protocol_version_name()

    def channel_binding(self, cb_type):
        """The channel binding data of this TLS connection (RFC 5929, RFC 9266)."""
        if cb_type == "tls-exporter":
            return self.tls.export_keying_material(b"EXPORTER-Channel-Binding", 32, None)
        if cb_type == "tls-server-end-point":
            cert = self.tls.get_peer_certificate()
            der = crypto.dump_certificate(crypto.FILETYPE_ASN1, cert)
            sig = cert.get_signature_algorithm().decode().lower()
            # RFC 5929 §4.1: the certificate's signature hash, MD5 and SHA-1 upgraded to SHA-256.
            for name in ("sha512", "sha384", "sha256"):
                if name in sig:
                    return hashlib.new(name, der).digest()
            return hashlib.sha256(der).digest()
        raise ValueError(cb_type)

    def auth_plain(self, user, password, authzid=""):
        """Returns 'success' or the SASL failure condition."""
        msg = ("%s\0%s\0%s" % (authzid, user, password)).encode()
        self.send("<auth xmlns='%s' mechanism='PLAIN'>%s</auth>"
                  % (NS_SASL, base64.b64encode(msg).decode()))
        return self._sasl_outcome(self.read())

    def _sasl_outcome(self, el):
        if el.tag == q(NS_SASL, "success"):
            return "success"
        assert el.tag == q(NS_SASL, "failure"), ET.tostring(el)
        conds = [c.tag.split("}")[1] for c in el if not c.tag.endswith("}text")]
        assert len(conds) == 1, ET.tostring(el)
        return conds[0]

    def auth_scram(self, user, password, mech="SCRAM-SHA-256", *, cb_type=None, cb_data=None,
                   gs2_flag=None, authzid=None):
        """SCRAM (RFC 5802, RFC 7677) with channel binding when `mech` ends in
        -PLUS. cb_data overrides the binding data (to send a wrong one).
        Returns 'success' (after checking the server's signature) or the
        SASL failure condition."""
        hash_name = "sha256" if mech.startswith("SCRAM-SHA-256") else "sha1"
        plus = mech.endswith("-PLUS")
        if gs2_flag is None:
            gs2_flag = "p=%s" % cb_type if plus else "n"
        gs2 = "%s,%s," % (gs2_flag, "a=" + authzid if authzid else "")
        cnonce = base64.b64encode(os.urandom(18)).decode()
        first_bare = "n=%s,r=%s" % (user.replace("=", "=3D").replace(",", "=2C"), cnonce)
        self.send("<auth xmlns='%s' mechanism='%s'>%s</auth>"
                  % (NS_SASL, mech, base64.b64encode((gs2 + first_bare).encode()).decode()))
        el = self.read()
        if el.tag != q(NS_SASL, "challenge"):
            return self._sasl_outcome(el)
        server_first = self.server_first = base64.b64decode(el.text).decode()
        attrs = dict(item.split("=", 1) for item in server_first.split(","))
        nonce, salt, iterations = attrs["r"], base64.b64decode(attrs["s"]), int(attrs["i"])
        assert nonce.startswith(cnonce) and len(nonce) > len(cnonce), server_first
        assert iterations >= 4096, server_first
        if plus and cb_data is None:
            cb_data = self.channel_binding(cb_type)
        cbind = gs2.encode() + (cb_data if plus else b"")
        final_bare = "c=%s,r=%s" % (base64.b64encode(cbind).decode(), nonce)
        salted = hashlib.pbkdf2_hmac(hash_name, password.encode(), salt, iterations)
        client_key = hmac.new(salted, b"Client Key", hash_name).digest()
        stored_key = hashlib.new(hash_name, client_key).digest()
        auth_message = ("%s,%s,%s" % (first_bare, server_first, final_bare)).encode()
        signature = hmac.new(stored_key, auth_message, hash_name).digest()
        proof = bytes(a ^ b for a, b in zip(client_key, signature))
        final = "%s,p=%s" % (final_bare, base64.b64encode(proof).decode())
        self.send("<response xmlns='%s'>%s</response>"
                  % (NS_SASL, base64.b64encode(final.encode()).decode()))
        el = self.read()
        outcome = self._sasl_outcome(el)
        if outcome == "success":
            server_final = base64.b64decode(el.text or "").decode()
            server_key = hmac.new(salted, b"Server Key", hash_name).digest()
            expected = hmac.new(server_key, auth_message, hash_name).digest()
            assert server_final == "v=" + base64.b64encode(expected).decode(), \
                "the server's signature is wrong: %r" % server_final
        return outcome

    def bind(self, resource=None):
        """Binds a resource; returns the full JID the server gave."""
        res = "<resource>%s</resource>" % resource if resource else ""
        self.send("<iq type='set' id='bind1'><bind xmlns='%s'>%s</bind></iq>" % (NS_BIND, res))
        el = self.read()
        assert el.tag == q(NS_CLIENT, "iq") and el.get("type") == "result", ET.tostring(el)
        return el.find("%s/%s" % (q(NS_BIND, "bind"), q(NS_BIND, "jid"))).text

    def login(self, user, password, *, mech="SCRAM-SHA-256", resource=None, starttls=True,
              cb_type=None):
        """STARTTLS (unless already on TLS), authentication, a new stream and
        binding; returns the bound full JID."""
        if not self.tls and starttls:
            features = self.open_stream()
            assert features.find(q(NS_TLS, "starttls")) is not None
            self.starttls()
        self.open_stream()
        if mech == "PLAIN":
            outcome = self.auth_plain(user, password)
        else:
            outcome = self.auth_scram(user, password, mech, cb_type=cb_type)
        assert outcome == "success", outcome
        features = self.open_stream()
        assert features.find(q(NS_BIND, "bind")) is not None, ET.tostring(features)
        return self.bind(resource)


def mechanisms(features):
    """The SASL mechanisms a <features/> element offers, in order."""
    mechs = features.find(q(NS_SASL, "mechanisms"))
    return [] if mechs is None else [m.text for m in mechs.findall(q(NS_SASL, "mechanism"))]


def channel_binding_types(features):
    """The XEP-0440 channel-binding types a <features/> element lists."""
    cb = features.find(q(NS_SASL_CB, "sasl-channel-binding"))
    return None if cb is None else [t.get("type") for t in cb.findall(q(NS_SASL_CB, "channel-binding"))]
