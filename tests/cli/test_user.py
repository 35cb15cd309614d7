"""`strata user`: accounts in the server's SQLite database, created from a
password file or standard input, checked, listed, changed and deleted with
their data; error messages and exit codes; no plaintext password on disk."""
import base64
import hashlib
import hmac
import sqlite3
import subprocess

import pytest

from conftest import STRATA, clean_env, generate_cert

PASSWORD = "Tr0ub4dor&3-unique-marker"


@pytest.fixture
def site(tmp_path):
    """A configuration with one VirtualHost, a clean check, and a data folder."""
    generate_cert("example.org", tmp_path / "certs")
    cfg = tmp_path / "strata.cfg.lua"
    cfg.write_text('data_path = "data"\ncertificates = "certs"\nVirtualHost "example.org"\n')
    return cfg


def user(cfg, *args, stdin=None):
    """Runs `strata user ARGS --config CFG`, feeding `stdin` (a pipe, never a
    terminal, so the command does not prompt)."""
    return subprocess.run([STRATA, "user", *args, "--config", str(cfg)], capture_output=True,
                          text=True, env=clean_env(), input=stdin if stdin is not None else "",
                          timeout=60, check=False)


def password_file(tmp_path, text, name="pw"):
    path = tmp_path / name
    path.write_text(text)
    return path


def database(cfg):
    return cfg.parent / "data" / "strata.sqlite"


def record(cfg, host, name):
    """The stored account record, or None."""
    with sqlite3.connect(database(cfg)) as db:
        row = db.execute("SELECT value FROM keyval WHERE host = ? AND username = ? AND store = ?",
                         (host, name, "accounts")).fetchone()
    return bytes(row[0]).decode() if row else None


def password_matches(rec, password):
    """Checks `password` against every SCRAM line of a record as a client
    would (RFC 5802 §3): PBKDF2, ClientKey, StoredKey."""
    lines = rec.splitlines()
    assert lines[0] == "strata-account 1"
    hashes = {"scram-sha-1": "sha1", "scram-sha-256": "sha256"}
    assert sorted(line.split("$")[0] for line in lines[1:]) == sorted(hashes)
    for line in lines[1:]:
        name, iterations, salt, stored_key, _server_key = line.split("$")
        h = hashes[name]
        salted = hashlib.pbkdf2_hmac(h, password.encode(), base64.b64decode(salt),
                                     int(iterations))
        client_key = hmac.new(salted, b"Client Key", h).digest()
        if hashlib.new(h, client_key).digest() != base64.b64decode(stored_key):
            return False
    return True


def test_add_from_password_file_and_exists(site, tmp_path):
    r = user(site, "add", "alice@example.org", "--password-file",
             str(password_file(tmp_path, PASSWORD + "\n")))
    assert r.returncode == 0, r.stderr
    assert "Created alice@example.org" in r.stdout
    assert PASSWORD not in r.stdout + r.stderr
    r = user(site, "exists", "alice@example.org")
    assert r.returncode == 0, r.stderr
    r = user(site, "exists", "bob@example.org")
    assert r.returncode == 1
    assert r.stderr == ""
    # The trailing newline is not part of the password.
    assert password_matches(record(site, "example.org", "alice"), PASSWORD)


def test_add_from_stdin_and_nodeprep(site):
    r = user(site, "add", "Bob@Example.ORG", stdin="from stdin\nsecond line ignored\n")
    assert r.returncode == 0, r.stderr
    assert "Created bob@example.org" in r.stdout
    assert password_matches(record(site, "example.org", "bob"), "from stdin")
    assert user(site, "exists", "BOB@example.org").returncode == 0


def test_list(site):
    for name in ("zoe", "alice", "mallory"):
        assert user(site, "add", f"{name}@example.org", stdin="pw\n").returncode == 0
    r = user(site, "list", "example.org")
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["alice@example.org", "mallory@example.org",
                                     "zoe@example.org"]


def test_list_of_an_empty_host(site):
    r = user(site, "list", "example.org")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""


def test_passwd(site, tmp_path):
    assert user(site, "add", "alice@example.org", stdin="old password\n").returncode == 0
    r = user(site, "passwd", "alice@example.org", "--password-file",
             str(password_file(tmp_path, "new password\n")))
    assert r.returncode == 0, r.stderr
    assert "alice@example.org" in r.stdout
    rec = record(site, "example.org", "alice")
    assert password_matches(rec, "new password")
    assert not password_matches(rec, "old password")
    r = user(site, "passwd", "nobody@example.org", stdin="x\n")
    assert r.returncode == 2
    assert r.stderr.strip() == "strata user: no account nobody@example.org"


def test_del_removes_all_data(site):
    assert user(site, "add", "alice@example.org", stdin="pw\n").returncode == 0
    assert user(site, "add", "bob@example.org", stdin="pw\n").returncode == 0
    with sqlite3.connect(database(site)) as db:
        for name in ("alice", "bob"):
            db.execute("INSERT INTO keyval VALUES ('example.org', ?, 'roster', x'3c712f3e')",
                       (name,))
            db.execute("INSERT INTO map VALUES ('example.org', ?, 'pep', 'node', x'00')", (name,))
    r = user(site, "del", "alice@example.org")
    assert r.returncode == 0, r.stderr
    assert "Deleted alice@example.org" in r.stdout and "all of its data" in r.stdout
    with sqlite3.connect(database(site)) as db:
        left = db.execute("SELECT username, store FROM keyval WHERE host = 'example.org' "
                          "UNION ALL SELECT username, store FROM map").fetchall()
    assert sorted(left) == [("bob", "accounts"), ("bob", "pep"), ("bob", "roster")]
    assert user(site, "exists", "alice@example.org").returncode == 1
    r = user(site, "del", "alice@example.org")
    assert r.returncode == 2
    assert r.stderr.strip() == "strata user: no account alice@example.org"


def test_no_plaintext_password_on_disk(site, tmp_path):
    assert user(site, "add", "alice@example.org", "--password-file",
                str(password_file(tmp_path, PASSWORD))).returncode == 0
    assert user(site, "add", "bob@example.org", stdin=PASSWORD + "\n").returncode == 0
    assert user(site, "passwd", "bob@example.org", stdin=PASSWORD + "-2\n").returncode == 0
    files = list((site.parent / "data").iterdir())
    assert database(site) in files
    for path in files:
        assert PASSWORD.encode() not in path.read_bytes(), path
    assert "strata-account 1" in record(site, "example.org", "alice")


def test_errors(site, tmp_path):
    assert user(site, "add", "alice@example.org", stdin="pw\n").returncode == 0
    cases = [
        (("add", "alice@example.org"), "pw\n", "alice@example.org already exists"),
        (("add", "x@other.example"), "pw\n", "other.example is not a VirtualHost"),
        (("add", "not a jid@example.org"), "pw\n", "is not a valid JID"),
        (("add", "@example.org"), "pw\n", "is not a valid JID"),
        (("add", "example.org"), "pw\n", "give user@host"),
        (("add", "carol@example.org/phone"), "pw\n", "without a /resource"),
        (("add", "carol@example.org", "--password-file", str(tmp_path / "missing")), "",
         "cannot read the password file"),
        (("add", "carol@example.org"), "\n", "empty password refused"),
        (("add", "carol@example.org"), "", "empty password refused"),
        (("add", "carol@example.org"), "bell\x07\n", "SASLprep"),
        (("list", "alice@example.org"), "", "list takes a host"),
        (("exists", "x@other.example"), "", "not a VirtualHost"),
        (("frobnicate", "alice@example.org"), "", "add, passwd, del, exists or list?"),
        (("add",), "", "add what?"),
        (("add", "a@example.org", "--bogus"), "", "unknown option --bogus"),
        (("exists", "a@example.org", "--password-file", "x"), "", "for add and passwd"),
    ]
    for args, stdin, message in cases:
        r = user(site, *args, stdin=stdin)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert message in r.stderr, (args, r.stderr)
        assert r.stderr.startswith("strata user: "), (args, r.stderr)
    assert user(site, "exists", "carol@example.org").returncode == 1


def test_password_not_echoed_in_errors(site):
    r = user(site, "add", "alice@example.org", stdin=PASSWORD + "\x07\n")
    assert r.returncode == 2
    assert PASSWORD not in r.stdout + r.stderr


def test_configuration_errors(tmp_path):
    bad = tmp_path / "bad.cfg.lua"
    bad.write_text('data_path = "data"\nbogus_option = 1\nVirtualHost "example.org"\n')
    r = user(bad, "add", "alice@example.org", stdin="pw\n")
    assert r.returncode == 2
    assert "unknown option 'bogus_option'" in r.stderr
    assert not (tmp_path / "data").exists()
    r = user(tmp_path / "missing.cfg.lua", "list", "example.org")
    assert r.returncode == 2


def test_memory_storage_refused(tmp_path):
    generate_cert("example.org", tmp_path / "certs")
    cfg = tmp_path / "strata.cfg.lua"
    cfg.write_text('data_path = "data"\nstorage = "memory"\nVirtualHost "example.org"\n')
    r = user(cfg, "add", "alice@example.org", stdin="pw\n")
    assert r.returncode == 2
    assert 'storage is "memory"' in r.stderr


def test_sql_database_option(tmp_path):
    generate_cert("example.org", tmp_path / "certs")
    cfg = tmp_path / "strata.cfg.lua"
    cfg.write_text('data_path = "data"\nsql = { driver = "SQLite3", database = "accounts.db" }\n'
                   'VirtualHost "example.org"\n')
    r = user(cfg, "add", "alice@example.org", stdin="pw\n")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "data" / "accounts.db").exists()
    assert not (tmp_path / "data" / "strata.sqlite").exists()


def test_component_is_not_a_host(tmp_path):
    generate_cert("example.org", tmp_path / "certs")
    cfg = tmp_path / "strata.cfg.lua"
    cfg.write_text('data_path = "data"\nVirtualHost "example.org"\n'
                   'Component "muc.example.org" "muc"\n')
    r = user(cfg, "add", "room@muc.example.org", stdin="pw\n")
    assert r.returncode == 2
    assert "is a Component" in r.stderr


def test_help():
    r = subprocess.run([STRATA, "user", "--help"], capture_output=True, text=True,
                       env=clean_env(), timeout=60, check=False)
    assert r.returncode == 0
    assert "strata user add|passwd JID" in r.stdout
    r = subprocess.run([STRATA, "help", "user"], capture_output=True, text=True,
                       env=clean_env(), timeout=60, check=False)
    assert r.returncode == 0 and "user add|passwd|del|list|exists" in r.stdout


def prompted(cfg, *answers):
    """Runs `strata user add alice@example.org` on a terminal, answering its
    prompts in turn; returns (exit status, stderr, what the terminal showed)."""
    import os
    import pty
    import select

    master, slave = pty.openpty()
    p = subprocess.Popen([STRATA, "user", "add", "alice@example.org", "--config", str(cfg)],
                         stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         env=clean_env())
    os.close(slave)
    err, shown = b"", b""
    for prompt_text, answer in zip((b"Password for alice@example.org: ", b"Again: "), answers):
        while prompt_text not in err:
            ready, _, _ = select.select([p.stderr, master], [], [], 30)
            assert ready, err
            if master in ready:
                shown += os.read(master, 4096)
            if p.stderr in ready:
                chunk = os.read(p.stderr.fileno(), 4096)
                assert chunk, err
                err += chunk
        # Echo is switched off just before the prompt is read.
        os.write(master, answer.encode() + b"\n")
    rest = p.stderr.read()
    p.wait(timeout=30)
    while select.select([master], [], [], 0.2)[0]:
        try:
            shown += os.read(master, 4096)
        except OSError:
            break
    os.close(master)
    return p.returncode, (err + rest).decode(), shown.decode(errors="replace")


def test_prompt_without_echo(site):
    status, err, shown = prompted(site, PASSWORD, PASSWORD)
    assert status == 0, err
    assert PASSWORD not in shown + err
    assert password_matches(record(site, "example.org", "alice"), PASSWORD)


def test_prompt_mismatch(site):
    status, err, _ = prompted(site, "one", "two")
    assert status == 2
    assert "strata user: the passwords do not match" in err
    assert user(site, "exists", "alice@example.org").returncode == 1
