#!/usr/bin/python3
"""Runs the corpus of broken configurations through `strata check --json`.

usage: run_corpus.py STRATA [-k SUBSTRING]... [--keep] [--verbose]

Each case is a folder under tests/configs/broken/ with a strata.cfg.lua (and
whatever it includes) and an expect.json; see tests/configs/README.md for the
format. The case is copied to a temporary folder, the certificates and ports
it asks for are made there, `strata check` runs on the copy, and the
diagnostics are compared with the expectations.

Prints one line per case (PASS, FAIL, XFAIL, XPASS), the reasons under a case
that did not pass, and a last line "N passed, N failed" (", N xfailed" added
when some cases failed as expected). Exits 1 when a case failed or an xfail
case passed unexpectedly.

Plain standard library: no pytest needed.
"""

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "broken")
LEVELS = ("error", "warning", "info")
CASE_KEYS = {
    "description", "expect", "absent", "env", "exit", "certs", "ports", "xfail",
    "allow_other_errors",
}
EXPECT_KEYS = {"level", "file", "line", "code", "message_contains", "xfail"}
CERT_KEYS = {"host", "kind", "names", "days", "cert", "key"}
CERT_KINDS = ("valid", "expired", "expiring", "not-yet-valid", "key-mismatch")


class CaseError(Exception):
    """The case itself is malformed or could not be set up."""


# ---- certificates ---------------------------------------------------------

OPENSSL_CA_CONF = """\
[ ca ]
default_ca = ca_default
[ ca_default ]
dir = .
database = index.txt
new_certs_dir = .
serial = serial
default_md = sha256
policy = policy_any
unique_subject = no
[ policy_any ]
commonName = supplied
[ ext ]
basicConstraints = CA:FALSE
subjectAltName = {san}
"""


def run_openssl(args, cwd):
    try:
        proc = subprocess.run(["openssl"] + args, cwd=cwd, capture_output=True, text=True,
                              timeout=60)
    except FileNotFoundError:
        raise CaseError("openssl is not installed; it is needed to make test certificates")
    if proc.returncode != 0:
        raise CaseError("openssl %s failed: %s" % (args[0], proc.stderr.strip()[-400:]))


def new_key(path, cwd):
    # P-256: quick to make, and strong enough that no weak-key warning appears.
    run_openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                 "-out", path], cwd)
    os.chmod(os.path.join(cwd, path), 0o600)


def openssl_time(offset_days):
    import datetime
    t = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=offset_days)
    return t.strftime("%Y%m%d%H%M%SZ")


class CertFactory:
    """Makes certificates with openssl, once per distinct request."""

    def __init__(self, root):
        self.root = root
        self.cache = {}

    def make(self, spec):
        host = spec["host"]
        kind = spec.get("kind", "valid")
        names = spec.get("names") or [host, "*." + host]
        days = spec.get("days", {"expiring": 5}.get(kind, 365))
        ident = json.dumps([kind, names, days], sort_keys=True)
        if ident in self.cache:
            return self.cache[ident]
        work = tempfile.mkdtemp(prefix="cert-", dir=self.root)
        san = ",".join("DNS:" + n for n in names)
        new_key("key.pem", work)
        if kind in ("valid", "expiring", "key-mismatch"):
            run_openssl(["req", "-x509", "-new", "-key", "key.pem", "-out", "cert.pem",
                         "-days", str(days), "-subj", "/CN=" + names[0],
                         "-addext", "subjectAltName=" + san,
                         "-addext", "basicConstraints=critical,CA:FALSE"], work)
        else:
            # OpenSSL 3.0's `req -x509` cannot set dates in the past or the
            # future; `ca -selfsign` can, and the result is still self-signed.
            if kind == "expired":
                start, end = openssl_time(-400), openssl_time(-35)
            else:  # not-yet-valid
                start, end = openssl_time(30), openssl_time(400)
            with open(os.path.join(work, "ca.cnf"), "w") as f:
                f.write(OPENSSL_CA_CONF.format(san=san))
            open(os.path.join(work, "index.txt"), "w").close()
            with open(os.path.join(work, "serial"), "w") as f:
                f.write("1000\n")
            run_openssl(["req", "-new", "-key", "key.pem", "-subj", "/CN=" + names[0],
                         "-out", "req.csr"], work)
            run_openssl(["ca", "-batch", "-config", "ca.cnf", "-selfsign", "-keyfile", "key.pem",
                         "-in", "req.csr", "-startdate", start, "-enddate", end,
                         "-extensions", "ext", "-notext", "-out", "cert.pem"], work)
        if kind == "key-mismatch":
            new_key("other-key.pem", work)
            key = os.path.join(work, "other-key.pem")
        else:
            key = os.path.join(work, "key.pem")
        result = (os.path.join(work, "cert.pem"), key)
        self.cache[ident] = result
        return result

    def install(self, spec, case_dir):
        unknown = set(spec) - CERT_KEYS
        if unknown or "host" not in spec:
            raise CaseError("certs entry %r: needs 'host'; unknown keys %s" % (spec, sorted(unknown)))
        if spec.get("kind", "valid") not in CERT_KINDS:
            raise CaseError("certs entry %r: kind must be one of %s" % (spec, ", ".join(CERT_KINDS)))
        cert, key = self.make(spec)
        host = spec["host"]
        for src, rel in ((cert, spec.get("cert", "certs/%s.crt" % host)),
                         (key, spec.get("key", "certs/%s.key" % host))):
            dst = os.path.join(case_dir, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            shutil.copyfile(src, dst)
            os.chmod(dst, 0o600 if src.endswith("key.pem") else 0o644)


# ---- ports ----------------------------------------------------------------

def substitute_ports(case_dir, holders):
    """Replaces @BUSY_PORT@ (a loopback port this process keeps listening on)
    and @FREE_PORT_N@ (loopback ports free a moment ago) in the .lua files."""
    ports = {}

    def port_for(name):
        if name not in ports:
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.bind(("127.0.0.1", 0))
            if name == "BUSY_PORT":
                s.listen(1)
            holders.append(s)
            ports[name] = s.getsockname()[1]
        return ports[name]

    for dirpath, _, files in os.walk(case_dir):
        for fn in files:
            if not fn.endswith(".lua"):
                continue
            path = os.path.join(dirpath, fn)
            with open(path) as f:
                text = f.read()
            out, pos = [], 0
            while True:
                start = text.find("@", pos)
                end = text.find("@", start + 1) if start >= 0 else -1
                if start < 0 or end < 0:
                    break
                name = text[start + 1:end]
                if name == "BUSY_PORT" or (name.startswith("FREE_PORT_") and name[10:].isdigit()):
                    out.append(text[pos:start])
                    out.append(str(port_for(name)))
                    pos = end + 1
                else:
                    out.append(text[pos:start + 1])
                    pos = start + 1
            out.append(text[pos:])
            with open(path, "w") as f:
                f.write("".join(out))
    # The free ones are released so that strata can probe them; the busy one
    # stays bound until the case is over.
    for s in list(holders):
        if s.getsockname()[1] != ports.get("BUSY_PORT"):
            s.close()
            holders.remove(s)
    return ports


# ---- one case -------------------------------------------------------------

def load_case(case_path):
    with open(os.path.join(case_path, "expect.json")) as f:
        spec = json.load(f)
    if isinstance(spec, list):
        spec = {"expect": spec}
    unknown = set(spec) - CASE_KEYS
    if unknown:
        raise CaseError("expect.json: unknown keys %s" % sorted(unknown))
    for e in spec.get("expect", []):
        bad = set(e) - EXPECT_KEYS
        if bad or "code" not in e:
            raise CaseError("expectation %r: needs 'code'; unknown keys %s" % (e, sorted(bad)))
        if e.get("level", "error") not in LEVELS:
            raise CaseError("expectation %r: level must be one of %s" % (e, LEVELS))
    if not spec.get("expect") and not spec.get("absent"):
        raise CaseError("expect.json expects nothing")
    return spec


def relative(path, case_dir):
    if path is None:
        return None
    real = os.path.realpath(path)
    base = os.path.realpath(case_dir)
    if real == base or real.startswith(base + os.sep):
        return os.path.relpath(real, base)
    return path


def substrings(e):
    m = e.get("message_contains", [])
    return [m] if isinstance(m, str) else list(m)


def matches(e, d):
    if d["code"] != e["code"] or d["level"] != e.get("level", d["level"]):
        return False
    if "file" in e and d["file"] != e["file"]:
        return False
    if "line" in e and d["line"] != e["line"]:
        return False
    return all(s in d["message"] for s in substrings(e))


def describe(d):
    where = d["file"] or "(whole configuration)"
    if d["line"] is not None:
        where += ":%d" % d["line"]
    return "%s: %s [%s] %s" % (where, d["level"], d["code"], d["message"])


def describe_expectation(e):
    where = e.get("file", "?") if "file" in e else "*"
    if "line" in e:
        where += ":%s" % e["line"]
    msg = " / ".join(repr(s) for s in substrings(e))
    return "%s: %s [%s] %s" % (where, e.get("level", "*"), e["code"], msg)


def clean_environment(extra, case_dir):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("STRATA_") and not k.startswith("PROSODY_")}
    for k, v in (extra or {}).items():
        env[k] = str(v).replace("{case}", case_dir)
    return env


def run_case(strata, name, case_path, work_root, certs, verbose):
    """Returns (failures, xfail_failures, details): lists of text."""
    spec = load_case(case_path)
    case_dir = os.path.join(work_root, name)
    shutil.copytree(case_path, case_dir, ignore=shutil.ignore_patterns("expect.json"))
    for c in spec.get("certs", []):
        certs.install(c, case_dir)
    holders = []
    try:
        args = [strata, "check", "--json", "--config", os.path.join(case_dir, "strata.cfg.lua")]
        if spec.get("ports"):
            ports = substitute_ports(case_dir, holders)
            for e in spec.get("expect", []):
                texts = substrings(e)
                for pname, port in ports.items():
                    texts = [t.replace("@%s@" % pname, str(port)) for t in texts]
                e["message_contains"] = texts
        else:
            args.append("--no-ports")
        try:
            proc = subprocess.run(args, cwd=case_dir, capture_output=True, text=True, timeout=60,
                                  env=clean_environment(spec.get("env"), case_dir))
        except subprocess.TimeoutExpired:
            return ["strata check did not finish within 60 s"], [], []
    finally:
        for s in holders:
            s.close()
    try:
        report = json.loads(proc.stdout)
    except ValueError:
        return ["strata check printed no JSON (exit %d): %s%s" %
                (proc.returncode, proc.stdout[-300:], proc.stderr[-300:])], [], []
    diags = report.get("diagnostics", [])
    for d in diags:
        d["file"] = relative(d.get("file"), case_dir)
    details = ["got " + describe(d) for d in diags if d["code"] != "planned-implied" or verbose]

    hard, soft = [], []  # failures; soft ones are marked xfail on the check itself

    def fail(text, marked):
        (soft if marked else hard).append(text)

    matched = set()
    for e in spec.get("expect", []):
        hits = [i for i, d in enumerate(diags) if matches(e, d)]
        if hits:
            matched.update(hits)
            continue
        near = [describe(d) for d in diags if d["code"] == e["code"]]
        text = "missing " + describe_expectation(e)
        if near:
            text += "\n      same code: " + "\n      same code: ".join(near)
        fail(text, bool(e.get("xfail")))
    for a in spec.get("absent", []):
        code, marked = (a, False) if isinstance(a, str) else (a["code"], bool(a.get("xfail")))
        for d in diags:
            if d["code"] == code:
                fail("unwanted " + describe(d), marked)
    if not spec.get("allow_other_errors"):
        absent_codes = {a if isinstance(a, str) else a["code"] for a in spec.get("absent", [])}
        for i, d in enumerate(diags):
            if d["level"] == "error" and i not in matched and d["code"] not in absent_codes:
                fail("unexpected " + describe(d), False)
    want = spec.get("exit")
    if want is None:
        want = 2 if any(e.get("level", "error") == "error" and not e.get("xfail")
                        for e in spec.get("expect", [])) else 0
    if proc.returncode != want:
        # A diagnostic that is wrongly there (or missing) changes the status
        # too; that follows from the marked check, so it is marked as well.
        fail("exit status %d, expected %d" % (proc.returncode, want), bool(soft))
    if report.get("status") != proc.returncode:
        fail("JSON status %r differs from the exit status %d" % (report.get("status"),
                                                                  proc.returncode), False)
    marked = any(e.get("xfail") for e in spec.get("expect", [])) or any(
        isinstance(a, dict) and a.get("xfail") for a in spec.get("absent", []))
    if spec.get("xfail") and not marked:
        return [], hard + soft, details  # the whole case is expected to fail
    return hard, soft, details


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("strata", help="path to the strata binary")
    ap.add_argument("-k", action="append", default=[], help="run only cases whose name contains this")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder")
    ap.add_argument("--verbose", "-v", action="store_true", help="show every diagnostic of every case")
    opts = ap.parse_args()
    strata = os.path.abspath(opts.strata)
    if not os.access(strata, os.X_OK):
        print("cannot run %s" % strata)
        print("0 passed, 1 failed")
        return 1
    names = sorted(n for n in os.listdir(CORPUS) if os.path.isdir(os.path.join(CORPUS, n)))
    if opts.k:
        names = [n for n in names if any(k in n for k in opts.k)]
    work_root = tempfile.mkdtemp(prefix="strata-corpus-")
    certs = CertFactory(work_root)
    passed = failed = xfailed = 0
    try:
        for name in names:
            case_path = os.path.join(CORPUS, name)
            xfail = None
            try:
                xfail = load_case(case_path).get("xfail")
                hard, soft, details = run_case(strata, name, case_path, work_root, certs,
                                               opts.verbose)
            except (CaseError, OSError, ValueError) as exc:
                hard, soft, details = ["case cannot run: %s" % exc], [], []
            if xfail and not soft and not hard:
                failed += 1
                print("XPASS %s: passes although marked xfail (%s); remove the mark" % (name, xfail))
                continue
            if xfail and not hard:
                xfailed += 1
                print("XFAIL %s: %s" % (name, xfail))
                lines = soft
            elif hard or soft:
                failed += 1
                print("FAIL  %s" % name)
                lines = hard + soft + (details if not opts.verbose else [])
                if soft and not xfail:
                    lines.insert(0, "(checks are marked xfail but the case has no \"xfail\" reason)")
            else:
                passed += 1
                print("PASS  %s" % name)
                lines = []
            for line in lines + (details if opts.verbose else []):
                print("      " + line)
    finally:
        if opts.keep:
            print("cases kept in %s" % work_root)
        else:
            shutil.rmtree(work_root, ignore_errors=True)
    summary = "%d passed, %d failed" % (passed, failed)
    if xfailed:
        summary += ", %d xfailed" % xfailed
    print(summary)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
