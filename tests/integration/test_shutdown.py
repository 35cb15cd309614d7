"""Graceful shutdown: on SIGTERM the server closes every stream with
<system-shutdown/> (RFC 6120 §4.9.3.20) and exits 0."""
import pytest

from clients import Client
from conftest import StrataServer
from rawclient import StreamClosed


@pytest.fixture
def own_server(tmp_path):
    """A server of this test's own, since the test stops it."""
    srv = StrataServer(tmp_path, accounts={"alice": "alice-pw", "bob": "bob-pw"})
    srv.start()
    yield srv
    srv.kill()


def test_sigterm_closes_streams_with_system_shutdown(own_server):
    srv = own_server
    alice = Client(srv, "alice", resource="a", priority=1)
    try:
        bob = srv.raw()
        bob.login("bob", "bob-pw", resource="raw")
        pending = srv.raw()  # connected, not yet authenticated
        pending.open_stream()
        direct = srv.raw(direct_tls=True)
        direct.open_stream()
        assert alice.ping() == "result"

        srv.check_stopped_cleanly()  # SIGTERM; exit status 0; no sanitizer report

        assert alice.wait_stream_error() == "system-shutdown"
        alice.wait_disconnected()
        for c in (bob, pending, direct):
            assert c.stream_error() == "system-shutdown"
            c.close()
        assert "Strata is running" in srv.log()
    finally:
        alice.close()


def test_sigterm_with_no_one_connected(own_server):
    own_server.check_stopped_cleanly()


def test_listeners_closed_after_shutdown(own_server):
    own_server.check_stopped_cleanly()
    with pytest.raises((ConnectionRefusedError, StreamClosed, OSError)):
        c = own_server.raw()
        c.open_stream()
