"""Shared helpers for the command-line tests: the strata binary, a scratch
folder, free loopback ports, and a self-signed certificate."""
import json
import os
import shutil
import socket
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
STRATA = os.environ.get("STRATA_BIN", str(REPO / "build" / "src" / "strata"))


def free_port():
    """A TCP port free on 127.0.0.1 at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def clean_env(**extra):
    """The environment without any STRATA_/PROSODY_ variable, plus `extra`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("STRATA_", "PROSODY_"))}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def strata(*args, env=None, cwd=None):
    return subprocess.run([STRATA, *args], capture_output=True, text=True,
                          env=env if env is not None else clean_env(), cwd=cwd,
                          timeout=60, check=False)


def check_json(config, env, *flags):
    r = strata("check", "--json", "--config", str(config), *flags, env=env)
    assert r.stdout, r.stderr
    return r.returncode, json.loads(r.stdout)


def generate_cert(host, folder):
    r = strata("cert", "generate", host, "--dir", str(folder))
    assert r.returncode == 0, r.stdout + r.stderr


@pytest.fixture
def scratch(tmp_path):
    return tmp_path


@pytest.fixture
def shipped_env(tmp_path):
    """Environment for checking the shipped tree in isolation: its own
    certificate and data folders, loopback interfaces and free ports."""
    certs = tmp_path / "certs"
    generate_cert("localhost", certs)
    return clean_env(
        STRATA_CERTIFICATES=certs,
        STRATA_DATA_PATH=tmp_path / "data",
        STRATA_C2S_INTERFACES="127.0.0.1",
        STRATA_S2S_INTERFACES="127.0.0.1",
        STRATA_C2S_PORTS=free_port(),
        STRATA_C2S_DIRECT_TLS_PORTS=free_port(),
        STRATA_S2S_PORTS=free_port(),
    )


def copy_tree(src, dst):
    shutil.copytree(src, dst)
    return dst
