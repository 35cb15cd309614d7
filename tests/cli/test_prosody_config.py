"""Debian's own prosody.cfg.lua loads unchanged, and the only diagnostics are
about modules Strata does not have yet. The prosody package is installed
(not started) by scripts/install-prosody-config.sh, which `make test` runs."""
import re
import shutil
from pathlib import Path

from conftest import check_json, clean_env, generate_cert, strata

PROSODY_ETC = Path("/etc/prosody")

# Diagnostics that speak about a module Strata does not have yet (planned) or
# will not have (Prosody-only), or an option of such a module.
MODULE_CODES = {"planned-module", "prosody-module", "option-module-disabled", "planned-implied"}
# Debian's package declares VirtualHost "localhost" in prosody.cfg.lua and
# again in conf.d/localhost.cfg.lua; Prosody merges reopened sections, and
# Strata only notes it (a note, not a warning) when the files differ.
NOTES_ALLOWED = {"duplicate-section"}


def prosody_copy(tmp_path):
    assert (PROSODY_ETC / "prosody.cfg.lua").is_file(), \
        "Debian's prosody package is not installed: run scripts/install-prosody-config.sh"
    dst = tmp_path / "prosody"
    shutil.copytree(PROSODY_ETC, dst, symlinks=True, ignore=shutil.ignore_patterns("certs"))
    # As Debian's README.Debian says for a new server: make a certificate for
    # localhost (prosodyctl cert generate localhost); the config is unchanged.
    generate_cert("localhost", dst / "certs")
    return dst


def test_debian_prosody_config_loads(tmp_path):
    etc = prosody_copy(tmp_path)
    original = (PROSODY_ETC / "prosody.cfg.lua").read_text()
    assert (etc / "prosody.cfg.lua").read_text() == original
    status, report = check_json(etc / "prosody.cfg.lua", clean_env(), "--no-ports")
    diags = report["diagnostics"]
    assert diags, "expected notes about Prosody-only and planned modules"
    others = [d for d in diags if d["code"] not in MODULE_CODES
              and not (d["code"] in NOTES_ALLOWED and d["level"] == "info")]
    assert others == [], others
    assert status == 0, diags
    for d in diags:
        if d["code"] in NOTES_ALLOWED:
            continue
        assert re.search(r"module '[a-z0-9_]+'|modules? that load", d["message"]), d
    # posix and the invite modules are Prosody's; smacks, carbons... are planned.
    by_code = {}
    for d in diags:
        by_code.setdefault(d["code"], []).append(d["message"])
    assert any("'posix'" in m for m in by_code["prosody-module"])
    assert any("'smacks'" in m for m in by_code["planned-module"])
    # Each module diagnostic names the line of modules_enabled that lists it.
    lines = original.splitlines()
    for d in diags:
        if d["code"] in ("planned-module", "prosody-module"):
            name = re.search(r"module '([a-z0-9_]+)'", d["message"]).group(1)
            assert f'"{name}"' in lines[d["line"] - 1], (d, lines[d["line"] - 1])


def test_debian_prosody_config_provenance(tmp_path):
    etc = prosody_copy(tmp_path)
    r = strata("config", "show", "--provenance", "--config", str(etc / "prosody.cfg.lua"),
               "archive_expires_after")
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith('archive_expires_after = "1w"')
    assert "prosody.cfg.lua:" in r.stdout
