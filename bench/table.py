#!/usr/bin/python3
"""Turns the RESULT lines bench/compare.sh collected into one table.

    bench/table.py RESULTS-FOLDER

Reads strata.txt, prosody.txt, ejabberd.txt (whichever exist) and
machine.txt; prints a Markdown table with the ratios Strata/Prosody and
Strata/ejabberd, then Strata against the targets of issue 4.

Marks: "*" a figure taken while the generator was above 70% of its core (a
lower bound for the server); ">=" a throughput where the highest offered
level did not saturate the server (it can do more); "sat." a rate the
server could not sustain.
"""
import os
import sys

SERVERS = ["strata", "prosody", "ejabberd"]


def parse(path):
    """[(name, {key: value})] in file order."""
    out = []
    if not os.path.exists(path):
        return out
    with open(path, errors="replace") as f:
        for line in f:
            if not line.startswith("RESULT "):
                continue
            parts = line.split()
            kv = {}
            for p in parts[2:]:
                if "=" in p:
                    k, v = p.split("=", 1)
                    kv[k] = v
            out.append((parts[1], kv))
    return out


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def first(results, name):
    for n, kv in results:
        if n == name:
            return kv
    return None


def levels(results, name):
    return [kv for n, kv in results if n == name]


def fmt(x, digits=0):
    if x is None:
        return "n/a"
    if digits == 0:
        return "{:,.0f}".format(x)
    return "{:,.{}f}".format(x, digits)


class Cell:
    """A value with its marks; `value` is what ratios use."""

    def __init__(self, value=None, text=None, lower_bound=False, at_least=False, note=""):
        self.value = value
        self.text = text
        self.lower_bound = lower_bound
        self.at_least = at_least
        self.note = note

    def __str__(self):
        return self.plain() + self.note

    def plain(self):
        if self.text is not None:
            return self.text
        if self.value is None:
            return "n/a"
        s = fmt(self.value, 0 if abs(self.value) >= 100 else (1 if abs(self.value) >= 10 else 2))
        if self.at_least:
            s = ">=" + s
        if self.lower_bound:
            s += "*"
        return s


def lb(kv):
    return kv is not None and kv.get("lower_bound") == "1"


def login_cell(res, name):
    kv = first(res, name)
    if not kv:
        return Cell()
    v = num(kv.get("logins_per_s"))
    c = Cell(v, lower_bound=lb(kv))
    if kv.get("failed", "0") != "0":
        c.note = " (%s failed)" % kv["failed"]
    return c


def resume_cell(res):
    kv = first(res, "login_resume")
    if not kv:
        return Cell()
    c = login_cell(res, "login_resume")
    done, resumed = num(kv.get("logins")) or 0, num(kv.get("resumed")) or 0
    if done and resumed < 0.9 * done:
        c.note = " (%d%% resumed)" % (100 * resumed / done)
    return c


def idle_cell(res, name="idle"):
    kv = first(res, name)
    if not kv:
        return Cell()
    return Cell(num(kv.get("kib_per_session")))


def sat_cell(res, name):
    summ = first(res, name + "_summary")
    if not summ:
        kv = first(res, name)
        if kv and kv.get("error") == "no_roster":
            return Cell(text="n/a (roster module not in this build)")
        return Cell()
    best = num(summ.get("max_delivered_per_s"))
    lv = [kv for kv in levels(res, name) if num(kv.get("delivered_per_s")) == best]
    return Cell(best, lower_bound=lb(lv[0]) if lv else False, at_least=summ.get("saturated") == "0")


def latency_cell(res, name, rate, q):
    for kv in levels(res, name):
        if num(kv.get("rate")) == rate:
            if kv.get("saturated") == "1":
                return Cell(text="sat.")
            return Cell(num(kv.get(q)), lower_bound=lb(kv))
    kv = first(res, name)
    if kv and kv.get("error") == "no_roster":
        return Cell(text="n/a")
    for kv in levels(res, name):
        if kv.get("saturated") == "1" and (num(kv.get("rate")) or 0) <= rate:
            return Cell(text="sat.")
    return Cell(text="not run")


def ratio(a, b, higher_better=True):
    if a.value is None or b.value is None or b.value == 0 or a.text or b.text:
        return "n/a"
    r = a.value / b.value
    if r < 0.1:
        s = "1/%.0f" % (1 / r) if r > 0 else "0x"
    else:
        s = "%.2fx" % r if r < 10 else "%.1fx" % r
    if a.at_least or b.at_least or a.lower_bound or b.lower_bound:
        s += " (bound)"
    return s


def main():
    folder = sys.argv[1] if len(sys.argv) > 1 else "."
    res = {s: parse(os.path.join(folder, s + ".txt")) for s in SERVERS}
    present = [s for s in SERVERS if res[s]]
    machine = ""
    mp = os.path.join(folder, "machine.txt")
    if os.path.exists(mp):
        with open(mp) as f:
            machine = f.read().strip()

    rows = [
        ("Login storm, STARTTLS + SCRAM-SHA-1, logins/s (higher is better)",
         lambda r: login_cell(r, "login"), True),
        ("Login storm, direct TLS + SCRAM-SHA-1, logins/s",
         lambda r: login_cell(r, "login_direct"), True),
        ("Login storm, STARTTLS, resuming the previous TLS session (ticket), logins/s",
         lambda r: resume_cell(r), True),
        ("Idle hold: server RSS per authenticated TLS session, KiB (lower is better)",
         lambda r: idle_cell(r), False),
        ("Chat, one-to-one over TLS: delivered msgs/s at saturation",
         lambda r: sat_cell(r, "chat"), True),
        ("Chat: p50 latency at 2,000 msgs/s, ms", lambda r: latency_cell(r, "chat", 2000, "p50_ms"), False),
        ("Chat: p99 latency at 2,000 msgs/s, ms", lambda r: latency_cell(r, "chat", 2000, "p99_ms"), False),
        ("Chat: p99 latency at 20,000 msgs/s, ms", lambda r: latency_cell(r, "chat", 20000, "p99_ms"), False),
        ("Chat, 1,000 pairs (a TLS record per message): delivered msgs/s at saturation",
         lambda r: sat_cell(r, "chat_many"), True),
        ("Chat, 1,000 pairs: p99 latency at 20,000 msgs/s, ms",
         lambda r: latency_cell(r, "chat_many", 20000, "p99_ms"), False),
        ("Presence broadcast, 100-contact rosters: deliveries/s at saturation",
         lambda r: sat_cell(r, "presence"), True),
        ("Presence: p99 latency at 100 updates/s (10,000 deliveries/s), ms",
         lambda r: latency_cell(r, "presence", 100, "p99_ms"), False),
    ]

    print("## Strata, Prosody and ejabberd on this machine\n")
    if machine:
        for line in machine.splitlines():
            print("    " + line)
        print()
    head = ["scenario"] + present
    if "strata" in present:
        head += ["Strata/" + s.capitalize() for s in present if s != "strata"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for label, fn, higher in rows:
        cells = {s: fn(res[s]) for s in present}
        line = [label] + [str(cells[s]) for s in present]
        if "strata" in present:
            line += [ratio(cells["strata"], cells[s], higher) for s in present if s != "strata"]
        print("| " + " | ".join(line) + " |")

    # TLS parameters and the generator's own load, for the record
    tls = {s: (first(res[s], "login") or {}).get("tls_info", "n/a") for s in present}
    print("| TLS negotiated | " + " | ".join(tls[s] for s in present) + " |" +
          (" |" * (len(head) - 1 - len(present))))
    gen = {}
    other = {}
    for s in present:
        # the idle phase's logins include first-login PBKDF2: not a headline
        g = [num(kv.get("gen_cpu")) for n, kv in res[s] if kv.get("gen_cpu") and not n.startswith("idle")]
        o = [num(kv.get("other_cpu")) for _, kv in res[s] if kv.get("other_cpu")]
        gen[s] = "%.0f%%" % max(x for x in g if x is not None) if g else "n/a"
        other[s] = "%.0f%%" % max(x for x in o if x is not None) if o else "n/a"
    print("| Generator CPU, highest in a measured phase (idle excluded) | " + " | ".join(gen[s] for s in present) +
          " |" + (" |" * (len(head) - 1 - len(present))))
    print("| Other processes' CPU, highest (background noise) | " +
          " | ".join(other[s] for s in present) + " |" + (" |" * (len(head) - 1 - len(present))))
    print()
    print("`*` generator above 70% of its core: a lower bound for the server. "
          "`>=` the highest offered rate did not saturate the server. "
          "`sat.` the server could not sustain that rate. "
          "Ratios marked (bound) involve such a figure.\n")

    if "strata" not in present:
        return
    r = res["strata"]
    print("## Strata against the targets of issue 4\n")
    print("| target | measured | met |")
    print("|---|---|---|")

    def verdict(ok):
        return "n/a" if ok is None else ("yes" if ok else "**no**")

    lg = login_cell(r, "login")
    ok = None if lg.value is None else lg.value >= 2500
    print("| >= 2,500 TLS+SCRAM logins/s (RSA-2048) | %s logins/s (STARTTLS), %s (direct TLS) | %s |"
          % (lg, login_cell(r, "login_direct"), verdict(ok)))
    ch = sat_cell(r, "chat")
    ok = None if ch.value is None else ch.value >= 40000
    print("| >= 40,000 chat msgs/s over TLS on one core | %s msgs/s | %s |" % (ch, verdict(ok)))
    p99 = latency_cell(r, "chat", 20000, "p99_ms")
    ok = None if p99.value is None and p99.text is None else (p99.value is not None and p99.value < 5)
    print("| p99 < 5 ms at 20,000 msgs/s | %s ms | %s |" % (p99, verdict(ok)))
    idle = idle_cell(r)
    ok = None if idle.value is None else idle.value <= 10
    print("| <= 10 KiB RSS per idle authenticated TLS session | %s KiB | %s |" % (idle, verdict(ok)))
    mx = first(r, "idle_max")
    if mx:
        n = int(num(mx.get("sessions")) or 0)
        print("| ~20,000 concurrent TLS sessions (fd limit) | %s held, %s failed, %s lost, %s KiB each | %s |"
              % (fmt(n), mx.get("failed"), mx.get("lost"), mx.get("kib_per_session"), verdict(n >= 18000)))


if __name__ == "__main__":
    main()
