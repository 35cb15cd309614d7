"""The server under test: a real `strata run` on free loopback ports, with
its own configuration, certificate and data folder, and accounts made with
`strata user add`. Stopped with SIGTERM, which must end it cleanly (exit 0)
within a few seconds; a sanitizer report in its output fails the tests.

A test module may set SERVER_CONFIG (Lua text added to the global section)
for options of its own, such as small limits.
"""
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from clients import Client  # noqa: E402
from rawclient import DOMAIN, RawClient  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
STRATA = os.path.abspath(os.environ.get("STRATA_BIN", str(REPO / "build" / "src" / "strata")))

# Every account of the test server, and its password.
ACCOUNTS = {name: "%s-Secret-%d" % (name, i) for i, name in enumerate(
    ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy",
     "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter",
     "watcher"])}
ACCOUNTS["uma"] = "pässwörd-ß with spaces"  # SASLprep: non-ASCII password

STOP_TIMEOUT = 10  # seconds for a graceful shutdown (ample even under ASan)
SANITIZER_MARKS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                   "runtime error:")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env():
    """This environment without STRATA_*/PROSODY_* variables, which the
    server would read as option overrides."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STRATA_", "PROSODY_"))}
    env.setdefault("ASAN_OPTIONS", "detect_leaks=1")
    env.setdefault("UBSAN_OPTIONS", "halt_on_error=1:print_stacktrace=1")
    return env


def strata(*args, stdin=None):
    r = subprocess.run([STRATA, *args], input=stdin, capture_output=True, text=True,
                       env=clean_env(), timeout=60, check=False)
    assert r.returncode == 0, "strata %s: %s%s" % (" ".join(args), r.stdout, r.stderr)
    return r


class StrataServer:
    """One `strata run`, in folder `root`."""

    def __init__(self, root, extra_config="", accounts=None):
        self.root = Path(root)
        self.accounts = dict(ACCOUNTS if accounts is None else accounts)
        self.c2s_port, self.tls_port, self.s2s_port = free_port(), free_port(), free_port()
        self.config = self.root / "strata.cfg.lua"
        self.log_path = self.root / "strata.log"
        self.proc = None
        self.config.write_text(
            'data_path = "%(root)s/data"; certificates = "%(root)s/certs"\n'
            'c2s_ports = { %(c2s)d }; c2s_direct_tls_ports = { %(tls)d }\n'
            'c2s_interfaces = { "127.0.0.1" }\n'
            's2s_ports = { %(s2s)d }; s2s_interfaces = { "127.0.0.1" }\n'
            'log = { debug = "*console" }\n'
            'stanza_modules = { "message", "iq", "ping" }\n'
            'protocol_modules = { "disco", "version", "time", "uptime" }\n'
            '%(extra)s\n'
            'VirtualHost "%(domain)s"\n'
            % {"root": self.root, "c2s": self.c2s_port, "tls": self.tls_port,
               "s2s": self.s2s_port, "extra": extra_config, "domain": DOMAIN})
        (self.root / "data").mkdir(exist_ok=True)
        strata("cert", "generate", DOMAIN, "--dir", str(self.root / "certs"))
        for user, password in self.accounts.items():
            strata("user", "add", "%s@%s" % (user, DOMAIN), "--config", str(self.config),
                   stdin=password + "\n")

    def start(self, timeout=20):
        self.log_file = open(self.log_path, "wb")
        self.proc = subprocess.Popen([STRATA, "run", "--config", str(self.config)],
                                     stdin=subprocess.DEVNULL, stdout=self.log_file,
                                     stderr=subprocess.STDOUT, env=clean_env(), cwd=self.root)
        self.started = time.monotonic()
        deadline = time.monotonic() + timeout
        while "Strata is running" not in self.log():
            if self.proc.poll() is not None:
                raise AssertionError("strata exited with %d before it ran:\n%s"
                                     % (self.proc.returncode, self.log()))
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError("strata did not say it runs in %ss:\n%s" % (timeout, self.log()))
            time.sleep(0.02)

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def wait_log(self, text, timeout=5):
        deadline = time.monotonic() + timeout
        while text not in self.log():
            if time.monotonic() > deadline:
                raise AssertionError("the log never said %r:\n%s" % (text, self.log()[-4000:]))
            time.sleep(0.02)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self):
        """SIGTERM to our own process; returns its exit status, or None when
        it did not exit in time (it is then killed)."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGTERM)
        try:
            rc = self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.kill()
            rc = None
        self.log_file.close()
        return rc

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)

    def sanitizer_report(self):
        log = self.log()
        return next((log[log.index(m) - 200:][:6000] for m in SANITIZER_MARKS if m in log), None)

    def check_stopped_cleanly(self):
        rc = self.stop()
        assert rc == 0, "strata did not exit 0 on SIGTERM (status %r):\n%s" % (rc, self.log()[-6000:])
        report = self.sanitizer_report()
        assert report is None, "sanitizer report:\n" + report

    def raw(self, direct_tls=False, **kw):
        return RawClient(self.tls_port if direct_tls else self.c2s_port, direct_tls=direct_tls, **kw)


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """A running server for the tests of one module."""
    srv = StrataServer(tmp_path_factory.mktemp("strata"),
                       getattr(request.module, "SERVER_CONFIG", ""))
    srv.start()
    yield srv
    srv.check_stopped_cleanly()


@pytest.fixture
def connect(server):
    """connect(user, **kw): a logged-in slixmpp Client, closed after the test."""
    made = []

    def make(user, **kw):
        c = Client(server, user, **kw)
        made.append(c)
        return c
    yield make
    for c in made:
        c.close()


@pytest.fixture
def raw(server):
    """raw(direct_tls=False, **kw): a RawClient, closed after the test."""
    made = []

    def make(**kw):
        c = server.raw(**kw)
        made.append(c)
        return c
    yield make
    for c in made:
        c.close()
