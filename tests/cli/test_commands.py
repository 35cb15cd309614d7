"""The strata command line: exit codes, provenance, module listing, config
path resolution, layer and tier switches."""
import json

from conftest import REPO, check_json, clean_env, strata


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_help_and_version():
    r = strata("help")
    assert r.returncode == 0
    for cmd in ("run", "check", "config show", "modules", "cert generate", "version"):
        assert cmd in r.stdout
    assert strata("version").stdout.startswith("strata ")
    assert strata("help", "check").returncode == 0
    assert strata("help", "nonsense").returncode == 2
    assert strata("nonsense").returncode == 2
    assert strata("check", "--bogus").returncode == 2


def test_exit_codes_and_strict(tmp_path):
    clean = write(tmp_path / "clean" / "s.cfg.lua", 'VirtualHost "localhost"\n')
    strata("cert", "generate", "localhost", "--dir", str(tmp_path / "clean" / "certs"))
    assert strata("check", "--no-ports", "--config", str(clean)).returncode == 0
    warn = write(tmp_path / "warn" / "s.cfg.lua",
                 'modules_enabled = { "posix" }\nVirtualHost "localhost"\n')
    strata("cert", "generate", "localhost", "--dir", str(tmp_path / "warn" / "certs"))
    assert strata("check", "--no-ports", "--config", str(warn)).returncode == 0
    assert strata("check", "--no-ports", "--strict", "--config", str(warn)).returncode == 1
    err = write(tmp_path / "err" / "s.cfg.lua", "x = \n")
    r = strata("check", "--no-ports", "--config", str(err))
    assert r.returncode == 2
    assert "1 error" in r.stdout


def test_human_output_groups_by_file(tmp_path):
    write(tmp_path / "inc.cfg.lua", "bogus_one = 1\n")
    main = write(tmp_path / "s.cfg.lua", 'bogus_two = 2\nInclude "inc.cfg.lua"\n')
    r = strata("check", "--no-ports", "--config", str(main))
    out = r.stdout.splitlines()
    assert f"{main}:1: error: unknown option 'bogus_two'" in r.stdout
    assert f"{tmp_path}/inc.cfg.lua:1: error: unknown option 'bogus_one'" in r.stdout
    headers = [line for line in out if line and not line.startswith(" ")]
    assert str(main) in headers and f"{tmp_path}/inc.cfg.lua" in headers


def test_config_path_resolution(tmp_path):
    cfg = write(tmp_path / "elsewhere.cfg.lua", "bogus = 1\n")
    r = strata("check", "--no-ports", env=clean_env(STRATA_CONFIG=cfg))
    assert str(cfg) in r.stdout
    local = write(tmp_path / "proj" / "config" / "strata.cfg.lua", "local_bogus = 1\n")
    r = strata("check", "--no-ports", cwd=tmp_path / "proj")
    assert "config/strata.cfg.lua" in r.stdout and "local_bogus" in r.stdout
    assert local.exists()
    r = strata("check", "--no-ports", cwd=tmp_path)
    assert "/etc/strata/strata.cfg.lua" in r.stdout or "strata.cfg.lua" in r.stdout
    assert r.returncode == 2


def test_provenance_explains_overrides(tmp_path, shipped_env):
    env = dict(shipped_env, STRATA_SECURITY_LEVEL="strict")
    config = str(REPO / "config" / "strata.cfg.lua")
    r = strata("config", "show", "--provenance", "--config", config, "c2s_require_encryption",
               env=env)
    lines = r.stdout.splitlines()
    assert lines[0] == "c2s_require_encryption = true"
    assert "policies/security.cfg.lua" in lines[1] and lines[1].strip().startswith("set at")
    r = strata("config", "show", "--provenance", "--config", config, "certificates", env=env)
    assert "from STRATA_CERTIFICATES=" in r.stdout
    assert "overrode" in r.stdout and "01-transport/tls.cfg.lua" in r.stdout
    r = strata("config", "show", "--provenance", "--config", config, "c2s_ports", env=env)
    assert "from STRATA_C2S_PORTS=" in r.stdout


def test_config_show_default_and_unknown(shipped_env):
    config = str(REPO / "config" / "strata.cfg.lua")
    r = strata("config", "show", "--provenance", "--config", config, "c2s_timeout", env=shipped_env)
    assert r.returncode == 0
    assert "-- default" in r.stdout
    assert "declared by module c2s (config/stack/01-transport/ports.cfg.lua)" in r.stdout
    r = strata("config", "show", "--config", config, "c2s_timout", env=shipped_env)
    assert r.returncode == 2
    assert "did you mean 'c2s_timeout'" in r.stderr
    r = strata("config", "show", "--config", config, "--host", "nowhere.example", env=shipped_env)
    assert r.returncode == 2


def test_config_show_host_inherits(tmp_path):
    cfg = write(tmp_path / "s.cfg.lua",
                'c2s_require_encryption = true\nadmins = { "a@x.org" }\n'
                'VirtualHost "x.org"\nadmins = { "b@x.org" }\n')
    r = strata("config", "show", "--provenance", "--host", "x.org", "--config", str(cfg))
    assert 'VirtualHost "x.org"' in r.stdout
    assert "c2s_require_encryption = true" in r.stdout
    assert "inherited from the global section" in r.stdout
    assert 'admins = { "b@x.org" }' in r.stdout
    assert f"overrides the global value set at {cfg}:2" in r.stdout


def test_layer_lists_collect_in_order_with_provenance(tmp_path):
    cfg = write(tmp_path / "s.cfg.lua",
                'protocol_modules = { "roster" }\nstream_modules = { "smacks" }\n'
                'protocol_modules = { "disco", "roster" }\n')
    r = strata("config", "show", "--provenance", "--config", str(cfg), "protocol_modules")
    assert r.stdout.splitlines()[0] == 'protocol_modules = { "roster", "disco", "roster" }'
    assert f"added at {cfg}:1" in r.stdout and f"added at {cfg}:3" in r.stdout
    r = strata("config", "show", "--provenance", "--config", str(cfg), "modules")
    listed = [line.split()[0] for line in r.stdout.splitlines()[1:]]
    # Layer order (02 before 04) and no duplicates.
    assert listed.index("smacks") < listed.index("roster") < listed.index("disco")
    assert listed.count("roster") == 1
    assert f"via protocol_modules at {cfg}:1" in r.stdout


def test_disabled_layers(tmp_path):
    cfg = write(tmp_path / "s.cfg.lua",
                'disabled_layers = { "03-stanza" }\nstanza_modules = { "message", "ping" }\n')
    status, report = check_json(cfg, clean_env(), "--no-ports")
    core = [d for d in report["diagnostics"] if d["code"] == "core-in-disabled-layer"]
    assert core and "'message'" in core[0]["message"] and core[0]["line"] == 2
    r = strata("config", "show", "--config", str(cfg), "modules")
    names = [line.split()[0] for line in r.stdout.splitlines()[1:]]
    assert "message" in names and "ping" not in names
    env = clean_env(STRATA_DISABLE_LAYERS="03-stanza, 05-services")
    cfg2 = write(tmp_path / "t.cfg.lua", 'disabled_layers = env("DISABLE_LAYERS", { })\n'
                 'services_modules = { "carbons", "muc" }\n')
    r = strata("config", "show", "--config", str(cfg2), "modules", env=env)
    names = [line.split()[0] for line in r.stdout.splitlines()[1:]]
    assert "carbons" in names  # core tier: stays
    assert "muc" not in names


def test_modules_table_and_filters(tmp_path):
    r = strata("modules", "--config", "/nonexistent.cfg.lua")
    assert r.returncode == 0
    rows = [line for line in r.stdout.splitlines()[1:] if line.startswith("0")]
    assert len(rows) >= 70
    comp = [row for row in rows if row.split()[1] == "compression"][0]
    assert "refused" in comp
    r = strata("modules", "--layer", "2")
    assert all(line.startswith("02-stream") for line in r.stdout.splitlines()[1:] if line.startswith("0"))
    r = strata("modules", "--tier", "alpha")
    tiers = {line.split()[2] for line in r.stdout.splitlines()[1:] if line.startswith("0")}
    assert tiers == {"alpha"}
    cfg = write(tmp_path / "s.cfg.lua", 'modules_enabled = { "muc" }\n')
    r = strata("modules", "--enabled", "--config", str(cfg))
    names = {line.split()[1] for line in r.stdout.splitlines()[1:] if line.startswith("0")}
    assert "muc" in names and "c2s" in names and "pubsub" not in names
    assert strata("modules", "--layer", "9").returncode == 2
    assert strata("modules", "--tier", "gamma").returncode == 2


def test_json_shape(tmp_path):
    cfg = write(tmp_path / "s.cfg.lua", "c2s_ports = { 5222, 70000 }\n")
    status, report = check_json(cfg, clean_env(), "--no-ports")
    assert status == 2
    assert set(report) >= {"config", "files", "diagnostics", "errors", "warnings", "status"}
    d = [d for d in report["diagnostics"] if d["code"] == "bad-value"][0]
    assert d == {"level": "error", "file": str(cfg), "line": 1, "code": "bad-value",
                 "message": d["message"]}
    assert "70000 is not a port number" in d["message"]
    json.dumps(report)


def test_cert_generate_uses_the_configured_folder(tmp_path):
    cfg = write(tmp_path / "conf" / "strata.cfg.lua", 'certificates = "../mycerts"\nVirtualHost "x.test"\n')
    r = strata("cert", "generate", "x.test", "--config", str(cfg))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "mycerts" / "x.test.crt").is_file()
    assert (tmp_path / "mycerts" / "x.test.key").stat().st_mode & 0o077 == 0
    status, report = check_json(cfg, clean_env(), "--no-ports", "--strict")
    assert status == 0, report["diagnostics"]
    # Without a configuration to read, ./certs.
    r = strata("cert", "generate", "y.test", "--config", str(tmp_path / "none.cfg.lua"), cwd=tmp_path)
    assert r.returncode == 0
    assert (tmp_path / "certs" / "y.test.crt").is_file()
    # It never overwrites without --force.
    r = strata("cert", "generate", "x.test", "--config", str(cfg))
    assert r.returncode == 2


def test_config_show_hides_secrets(tmp_path):
    cfg = write(tmp_path / "s.cfg.lua",
                'sql = { driver = "PostgreSQL", database = "x", password = env("DB_PASSWORD", nil) }\n'
                'component_secret = "s3cret"\n')
    env = clean_env(STRATA_DB_PASSWORD="hunter2")
    for args in (["sql"], ["component_secret"], ["--provenance", "sql"], []):
        r = strata("config", "show", "--config", str(cfg), *args, env=env)
        assert "hunter2" not in r.stdout and "s3cret" not in r.stdout, r.stdout
    r = strata("config", "show", "--config", str(cfg), "sql", env=env)
    assert 'password = "(hidden)"' in r.stdout


def test_section_table_form_returns_to_global(tmp_path):
    # COMPAT(prosody): after VirtualHost "x" { ... } the next lines are global.
    cfg = write(tmp_path / "s.cfg.lua",
                'VirtualHost "a.test" { admins = { "x@a.test" } }\nadmins = { "root@b.test" }\n')
    r = strata("config", "show", "--config", str(cfg), "admins")
    assert r.stdout.strip() == 'admins = { "root@b.test" }'
    r = strata("config", "show", "--host", "a.test", "--config", str(cfg), "admins")
    assert r.stdout.strip() == 'admins = { "x@a.test" }'


def test_prosody_legacy_ssl_ports_is_the_direct_tls_port(tmp_path):
    cfg = write(tmp_path / "s.cfg.lua", "legacy_ssl_ports = { 5223 }\n")
    status, report = check_json(cfg, clean_env(), "--no-ports")
    assert not [d for d in report["diagnostics"] if d["code"] == "port-conflict"]
    cfg = write(tmp_path / "t.cfg.lua", "legacy_ssl_ports = { 5222 }\n")
    status, report = check_json(cfg, clean_env(), "--no-ports")
    assert [d for d in report["diagnostics"] if d["code"] == "port-conflict"]


def test_run_refuses_a_planned_storage_driver(tmp_path):
    """storage = "postgres" is planned: the server must not quietly use SQLite."""
    cfg = write(tmp_path / "s.cfg.lua", 'storage = "postgres"\ndata_path = "data"\n'
                'c2s_ports = { }\nc2s_direct_tls_ports = { }\n')
    r = strata("run", "--config", str(cfg))
    assert r.returncode == 2
    assert "storage_postgres" in r.stdout + r.stderr
    assert not (tmp_path / "data" / "strata.sqlite").exists()
