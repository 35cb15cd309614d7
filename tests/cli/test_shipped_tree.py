"""The shipped configuration tree checks clean in every environment and
security level, and `strata run` summarises it."""
import pytest

from conftest import REPO, check_json, strata

CONFIG = REPO / "config" / "strata.cfg.lua"


@pytest.mark.parametrize("environment", ["production", "development", "docker"])
@pytest.mark.parametrize("level", ["strict", "standard", "legacy"])
def test_shipped_tree_checks_clean(shipped_env, environment, level):
    env = dict(shipped_env, STRATA_ENVIRONMENT=environment, STRATA_SECURITY_LEVEL=level)
    status, report = check_json(CONFIG, env, "--strict")
    problems = [d for d in report["diagnostics"] if d["level"] != "info"]
    assert problems == [], problems
    assert status == 0
    # Every layer file, the domain, the environment and the policies were read.
    files = report["files"]
    assert sum("/stack/" in f for f in files) == 32
    assert any(f.endswith(f"environments/{environment}.cfg.lua") for f in files)
    assert sum("/policies/" in f for f in files) == 3


def test_prosody_spellings_of_variables(shipped_env):
    env = dict(shipped_env, PROSODY_ENVIRONMENT="production", PROSODY_SECURITY_LEVEL="strict")
    r = strata("config", "show", "--config", str(CONFIG), "security_level", env=env)
    assert r.stdout.strip() == 'security_level = "strict"'
    r = strata("config", "show", "--config", str(CONFIG), "environment", "--provenance", env=env)
    assert "from PROSODY_ENVIRONMENT=production" in r.stdout


def test_unknown_environment_is_an_error(shipped_env):
    env = dict(shipped_env, STRATA_ENVIRONMENT="staging")
    status, report = check_json(CONFIG, env)
    assert status == 2
    codes = {d["code"] for d in report["diagnostics"] if d["level"] == "error"}
    assert "include-missing" in codes  # environments/staging.cfg.lua
    assert "bad-value" in codes        # environment is not one of the choices


def test_run_starts_and_stops_cleanly(shipped_env):
    """`strata run` on the shipped tree: summary, listening, SIGTERM, exit 0."""
    import signal
    import subprocess
    import time
    from conftest import STRATA
    proc = subprocess.Popen([STRATA, "run", "--config", str(CONFIG)], env=shipped_env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines = []
    deadline = time.time() + 20
    while time.time() < deadline:
        line = proc.stdout.readline()
        lines.append(line)
        if "Strata is running" in line or not line:
            break
    out = "".join(lines)
    try:
        assert "Strata is running" in out, out
        assert 'VirtualHost "localhost"' in out
        assert "01-transport" in out and "c2s" in out
        assert "listening on 127.0.0.1:" + shipped_env["STRATA_C2S_PORTS"] in out
    finally:
        proc.send_signal(signal.SIGTERM)
        rest, _ = proc.communicate(timeout=20)
    assert proc.returncode == 0, out + rest
    assert "stopped" in rest


def test_run_refuses_a_broken_configuration(scratch):
    cfg = scratch / "strata.cfg.lua"
    cfg.write_text('VirtualHost "example.org"\nc2s_require_encription = false\n')
    r = strata("run", "--config", str(cfg))
    assert r.returncode == 2
    assert "not starting" in r.stderr
    assert f"{cfg}:2: error: unknown option 'c2s_require_encription'" in r.stderr


def test_domain_from_the_environment(shipped_env, tmp_path):
    from conftest import generate_cert
    generate_cert("chat.example.net", tmp_path / "certs")
    env = dict(shipped_env, STRATA_DOMAIN="chat.example.net")
    status, report = check_json(CONFIG, env, "--strict")
    assert status == 0, report["diagnostics"]
    r = strata("config", "show", "--config", str(CONFIG), "--host", "chat.example.net", env=env)
    assert r.returncode == 0
    assert 'VirtualHost "chat.example.net"' in r.stdout


def test_admins_from_the_environment(shipped_env):
    env = dict(shipped_env, STRATA_ADMINS="alice@example.org, bob@example.org")
    r = strata("config", "show", "--config", str(CONFIG), "admins", env=env)
    assert r.stdout.strip() == 'admins = { "alice@example.org", "bob@example.org" }'
    env = dict(shipped_env, STRATA_ADMINS="alice@example.org/phone")
    status, report = check_json(CONFIG, env)
    assert status == 2
    assert any("not a bare JID" in d["message"] for d in report["diagnostics"])


def test_alpha_tier_switch(shipped_env):
    r = strata("config", "show", "--config", str(CONFIG), "enable_tiers", env=shipped_env)
    assert "alpha = false" in r.stdout
    env = dict(shipped_env, STRATA_ENABLE_ALPHA="true", STRATA_ENABLE_CORE="false")
    status, report = check_json(CONFIG, env)
    warnings = [d for d in report["diagnostics"] if d["code"] == "core-tier"]
    assert warnings and warnings[0]["file"].endswith("strata.cfg.lua")


def test_malformed_tier_variable_names_it(shipped_env):
    env = dict(shipped_env, STRATA_ENABLE_BETA="sometimes")
    status, report = check_json(CONFIG, env)
    assert status == 2
    errs = [d for d in report["diagnostics"] if d["code"] == "env-malformed"]
    assert errs and "STRATA_ENABLE_BETA" in errs[0]["message"]
    assert errs[0]["file"].endswith("config/strata.cfg.lua")
