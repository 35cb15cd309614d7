"""Operating the running server: where it listens, its log file and
pidfile, certificate reload on SIGHUP, and refusing to offer SASL in the
clear when encryption is required but no certificate works."""
import os
import signal
import socket
import subprocess
import time

from conftest import STRATA, clean_env, free_port, generate_cert, strata


def start(cfg, env=None):
    proc = subprocess.Popen([STRATA, "run", "--config", str(cfg)], env=env or clean_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    deadline = time.time() + 20
    while time.time() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if "Strata is running" in line or not line:
            break
    return proc, "".join(lines)


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    out, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out
    return out


def features(port, host="localhost"):
    """The stream features the server offers a fresh client."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(f"<?xml version='1.0'?><stream:stream to='{host}' version='1.0' "
                  "xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>"
                  .encode())
        data = b""
        while b"</stream:features>" not in data and b"</stream:error>" not in data:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.decode()


def config(tmp_path, extra=""):
    port = free_port()
    cfg = tmp_path / "strata.cfg.lua"
    cfg.write_text(f'data_path = "data"\ncertificates = "certs"\nc2s_ports = {{ {port} }}\n'
                   f'c2s_direct_tls_ports = {{ }}\n{extra}VirtualHost "localhost"\n')
    return cfg, port


def test_interfaces_falls_back_for_client_ports(tmp_path):
    generate_cert("localhost", tmp_path / "certs")
    cfg, port = config(tmp_path, 'interfaces = { "127.0.0.1" }\n')
    proc, out = start(cfg)
    try:
        assert f"listening on 127.0.0.1:{port}" in out
        assert f"0.0.0.0:{port}" not in out and "[::]" not in out
    finally:
        stop(proc)


def test_log_file_relative_to_config_and_pidfile_removed(tmp_path, monkeypatch):
    generate_cert("localhost", tmp_path / "certs")
    cfg, port = config(tmp_path, 'log = "strata.log"\npidfile = "strata.pid"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = subprocess.Popen([STRATA, "run", "--config", str(cfg)], cwd=elsewhere,
                            env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    log = tmp_path / "strata.log"
    deadline = time.time() + 20
    pid = tmp_path / "strata.pid"
    while time.time() < deadline and not (pid.exists() and log.exists() and
                                           "Strata is running" in log.read_text()):
        time.sleep(0.1)
    assert log.exists(), proc.stdout.read() if proc.poll() is not None else "no log yet"
    assert int((tmp_path / "strata.pid").read_text()) == proc.pid
    stop(proc)
    assert "stopped" in log.read_text()
    assert not (elsewhere / "strata.log").exists()
    assert not (tmp_path / "strata.pid").exists()


def test_sighup_keeps_the_working_certificate(tmp_path):
    certs = tmp_path / "certs"
    generate_cert("localhost", certs)
    cfg, port = config(tmp_path)
    proc, out = start(cfg)
    try:
        assert "<starttls" in features(port)
        (certs / "localhost.crt").write_text("not a certificate\n")
        proc.send_signal(signal.SIGHUP)
        time.sleep(0.5)
        offered = features(port)
        assert "<starttls" in offered, offered
        assert "PLAIN" not in offered  # no SASL offered in the clear
    finally:
        out = stop(proc)
    assert "keeping the certificate loaded before" in out


def test_unusable_tls_and_encryption_required_refuses_clear_auth(tmp_path):
    # `strata check` refuses a missing certificate before starting; a cipher
    # list OpenSSL rejects passes the check but leaves the host without TLS.
    generate_cert("localhost", tmp_path / "certs")
    cfg, port = config(tmp_path, 'ssl = { ciphers = "NO-SUCH-CIPHER" }\n')
    proc, out = start(cfg)
    try:
        offered = features(port)
        assert "<mechanisms" not in offered
        assert "<undefined-condition" in offered
    finally:
        stop(proc)


def test_exact_tls_protocol_version(tmp_path):
    import ssl
    generate_cert("localhost", tmp_path / "certs")
    port = free_port()
    cfg = tmp_path / "strata.cfg.lua"
    cfg.write_text(f'data_path = "data"\ncertificates = "certs"\nc2s_ports = {{ }}\n'
                   f'c2s_direct_tls_ports = {{ {port} }}\nssl = {{ protocol = "tlsv1_2" }}\n'
                   'VirtualHost "localhost"\n')
    proc, out = start(cfg)
    try:
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.set_alpn_protocols(["xmpp-client"])
        with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost") as tls:
                assert tls.version() == "TLSv1.2"  # LuaSec's "tlsv1_2": exactly 1.2
    finally:
        stop(proc)
