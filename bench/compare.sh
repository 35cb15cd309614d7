#!/bin/bash
# bench/compare.sh: identical loads against Strata, Prosody and ejabberd on
# this machine, side by side, with ratios. See docs/performance.md.
#
#   bench/compare.sh [--quick] [--servers "strata prosody ejabberd"] [--out DIR] [--keep]
#
# Each server gets its own configuration and data folder under a new
# /tmp/strata-bench.XXXXXX, free loopback ports (127.0.0.1 only), the same
# RSA-2048 certificate and the same accounts (u1..uN, password pwN), made
# with its own tool: `strata user add`, `prosodyctl shell` (the server's
# usermanager and rostermanager), `ejabberdctl import_piefxis` (XEP-0227).
# The server runs pinned to core 0 (taskset -c 0), the generator
# (build-bench/bench/xmpp_load) to core 1. Every process started here is
# stopped by its pid on exit; the servers' data folders are removed at the
# end unless --keep is given (the results stay).
#
# Environment: STRATA_BIN (default build-bench/src/strata), XMPP_LOAD
# (default build-bench/bench/xmpp_load), and the sizes below.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
STRATA_BIN="${STRATA_BIN:-$REPO/build-bench/src/strata}"
XMPP_LOAD="${XMPP_LOAD:-$REPO/build-bench/bench/xmpp_load}"
SERVERS="strata prosody ejabberd"
OUT=""
KEEP=""
DOMAIN="bench.test"

# Sizes: identical for every server.
ACCOUNTS=${ACCOUNTS:-10000}          # u1..uN
IDLE_SESSIONS=${IDLE_SESSIONS:-10000}
LOGINS=${LOGINS:-4000}
LOGIN_CONCURRENCY=${LOGIN_CONCURRENCY:-100}
CHAT_PAIRS=${CHAT_PAIRS:-50}
CHAT_RATES=${CHAT_RATES:-1000,2000,5000,10000,20000,40000,80000,160000,320000,480000}
CHAT_PAIRS_MANY=${CHAT_PAIRS_MANY:-1000} # the same with little batching: 0 skips
PRESENCE_RATES=${PRESENCE_RATES:-10,20,50,100,200,500,1000,2000,4000,8000}
STEP=${STEP:-5}
MAX_SESSIONS=${MAX_SESSIONS:-19000} # Strata only: as many as the fd limit allows; 0 skips

usage() {
    sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
}

while [ $# -gt 0 ]; do
    case "$1" in
        --quick)
            ACCOUNTS=1000 IDLE_SESSIONS=1000 LOGINS=1000 STEP=3 MAX_SESSIONS=0
            CHAT_RATES=1000,5000,20000,80000 PRESENCE_RATES=10,100,1000 CHAT_PAIRS_MANY=0
            shift ;;
        --servers) SERVERS="$2"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --keep) KEEP=1; shift ;;
        -h|--help) usage ;;
        *) echo "compare.sh: unknown argument $1" >&2; usage ;;
    esac
done

log() { printf '[compare %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(nproc)" -ge 2 ] || die "needs two cores (server on 0, generator on 1)"
[ -x "$XMPP_LOAD" ] || die "no generator at $XMPP_LOAD: meson setup build-bench --buildtype=release && ninja -C build-bench"
ulimit -n "$(ulimit -Hn)"

WORK="$(mktemp -d /tmp/strata-bench.XXXXXX)"
chmod 755 "$WORK"
# Copies: rebuilding the tree during a run changes neither binary.
cp "$XMPP_LOAD" "$WORK/xmpp_load"
XMPP_LOAD="$WORK/xmpp_load"
if [ -x "$STRATA_BIN" ]; then
    STRATA_REV="$(cd "$REPO" && git describe --always --dirty 2>/dev/null || echo unknown)"
    cp "$STRATA_BIN" "$WORK/strata.bin"
    STRATA_BIN="$WORK/strata.bin"
fi
OUT="${OUT:-$WORK/results}"
mkdir -p "$OUT"

# ---- cleanup: every process we start is recorded and stopped by pid -------

PIDS=()
cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do
        if kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    done
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_port() { # port timeout-seconds pid
    local i
    for i in $(seq 1 $(($2 * 5))); do
        if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.2
    done
    return 1
}

# Waits for pid to exit, at most $2 seconds; then SIGKILL.
stop_pid() {
    local pid=$1 t=${2:-20}
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((t * 5))); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.2; done
    log "pid $pid did not stop in ${t}s: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
}

# The child of $1 whose command name is $2 (for ejabberd's beam.smp).
find_descendant() {
    local root=$1 name=$2 pid kids
    local queue=("$root")
    while [ ${#queue[@]} -gt 0 ]; do
        pid=${queue[0]}; queue=("${queue[@]:1}")
        if [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$name" ]; then echo "$pid"; return 0; fi
        kids=$(ps -o pid= --ppid "$pid" 2>/dev/null || true)
        for k in $kids; do queue+=("$k"); done
    done
    return 1
}

# ---- packages -------------------------------------------------------------

ensure_packages() {
    local missing=()
    for p in "$@"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    log "installing ${missing[*]} (services are not started)"
    local SUDO="" policy=/usr/sbin/policy-rc.d made_policy=""
    [ "$(id -u)" -ne 0 ] && SUDO=sudo
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
        $SUDO chmod +x "$policy"
        made_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
    [ -n "$made_policy" ] && $SUDO rm -f "$policy"
    return 0
}

# ---- the certificate, shared by all three ----------------------------------

make_cert() {
    mkdir -p "$WORK/certs"
    if [ -x "$STRATA_BIN" ]; then
        "$STRATA_BIN" cert generate "$DOMAIN" --dir "$WORK/certs" >/dev/null
    else
        openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$DOMAIN" \
            -keyout "$WORK/certs/$DOMAIN.key" -out "$WORK/certs/$DOMAIN.crt" 2>/dev/null
    fi
    openssl x509 -in "$WORK/certs/$DOMAIN.crt" -noout -text | grep -q "Public-Key: (2048 bit)" ||
        die "the certificate is not RSA-2048"
    chmod 600 "$WORK/certs/$DOMAIN.key"
}

# ---- the generator ----------------------------------------------------------

# gen SERVER-NAME PID PORT TLS-PORT SCENARIO ARGS...: output to $OUT/SERVER.txt
gen() {
    local name=$1 pid=$2 port=$3 tport=$4
    shift 4
    log "$name: xmpp_load $*"
    taskset -c 1 "$XMPP_LOAD" --port "$port" --tls-port "$tport" --domain "$DOMAIN" \
        --users "$ACCOUNTS" --server-pid "$pid" --scram-cache "$WORK/$name.scram" "$@" \
        2>&1 | tee -a "$OUT/$name.txt" | grep -E '^# [a-z]' >&2 || true
}

run_scenarios() { # name pid port tport
    local name=$1 pid=$2 port=$3 tport=$4
    echo "SERVER $name pid=$pid rss_start_kib=$(grep VmRSS /proc/"$pid"/status | awk '{print $2}')" >>"$OUT/$name.txt"
    gen "$name" "$pid" "$port" "$tport" idle --sessions "$IDLE_SESSIONS" --concurrency "$LOGIN_CONCURRENCY" --hold 5
    gen "$name" "$pid" "$port" "$tport" login --count "$LOGINS" --concurrency "$LOGIN_CONCURRENCY"
    gen "$name" "$pid" "$port" "$tport" --tls direct --tag login_direct login --count "$LOGINS" --concurrency "$LOGIN_CONCURRENCY"
    # Reconnections that offer the TLS session (ticket) of the account's
    # previous login, as mobile clients do: no certificate, no signature.
    gen "$name" "$pid" "$port" "$tport" --resume --tag login_resume login --warmup "$LOGINS" --count "$LOGINS" --concurrency "$LOGIN_CONCURRENCY"
    gen "$name" "$pid" "$port" "$tport" chat --pairs "$CHAT_PAIRS" --rates "$CHAT_RATES" --step "$STEP"
    # 1,000 pairs: a connection sends a message every 50 ms at 40,000
    # msgs/s, so nearly every message travels in its own TLS record and
    # read() on both sides, as with real users.
    if [ "$CHAT_PAIRS_MANY" -gt 0 ]; then
        gen "$name" "$pid" "$port" "$tport" --tag chat_many chat --pairs "$CHAT_PAIRS_MANY" --rates "$CHAT_RATES" --step "$STEP"
    fi
    gen "$name" "$pid" "$port" "$tport" presence --rates "$PRESENCE_RATES" --step "$STEP"
}

# ---- Strata -------------------------------------------------------------------

run_strata() {
    [ -x "$STRATA_BIN" ] || { log "no Strata binary at $STRATA_BIN: skipped"; return 0; }
    local d="$WORK/strata" port tport s2s
    mkdir -p "$d/data" "$d/certs"
    cp "$WORK/certs/$DOMAIN".* "$d/certs/"
    port=$(free_port); tport=$(free_port); s2s=$(free_port)
    cat >"$d/strata.cfg.lua" <<EOF
-- bench/compare.sh: Strata with its default modules, loopback only.
data_path = "$d/data"
certificates = "$d/certs"
c2s_ports = { $port }
c2s_direct_tls_ports = { $tport }
c2s_interfaces = { "127.0.0.1" }
s2s_ports = { $s2s }
s2s_interfaces = { "127.0.0.1" }
log = { warn = "*console" }
-- one address carries every benchmark connection
limits_connections_per_ip = 100000
limits = { c2s = { rate = "1000mb/s", burst = "2s" } }
VirtualHost "$DOMAIN"
EOF
    log "strata: ${STRATA_REV:-unknown}, creating $ACCOUNTS accounts with strata user add"
    # The first one alone: two processes creating the database at once
    # fail ("cannot use it as a database in WAL mode: database is locked").
    echo "pw1" | "$STRATA_BIN" user add "u1@$DOMAIN" --config "$d/strata.cfg.lua" >/dev/null
    seq 2 "$ACCOUNTS" | xargs -P 2 -I{} sh -c \
        'echo "pw{}" | "$0" user add "u{}@$1" --config "$2" >/dev/null || echo "user add u{} failed" >&2' \
        "$STRATA_BIN" "$DOMAIN" "$d/strata.cfg.lua"
    taskset -c 0 "$STRATA_BIN" run --config "$d/strata.cfg.lua" >"$d/strata.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    wait_port "$port" 30 "$pid" || die "strata did not start: $(tail -5 "$d/strata.log")"
    run_scenarios strata "$pid" "$port" "$tport"
    stop_pid "$pid" 20
    if [ "$MAX_SESSIONS" -gt 0 ]; then
        # A fresh process: after the overload levels above, freed memory
        # the allocator keeps would hide the sessions' own.
        taskset -c 0 "$STRATA_BIN" run --config "$d/strata.cfg.lua" >>"$d/strata.log" 2>&1 &
        pid=$!
        PIDS+=("$pid")
        wait_port "$port" 30 "$pid" || die "strata did not restart: $(tail -5 "$d/strata.log")"
        gen strata "$pid" "$port" "$tport" --tag idle_max idle --sessions "$MAX_SESSIONS" \
            --concurrency "$LOGIN_CONCURRENCY" --hold 5 --max-time 240
        stop_pid "$pid" 20
    fi
    grep -E "error|AddressSanitizer" "$d/strata.log" | head -5 >&2 || true
}

# ---- Prosody --------------------------------------------------------------------

run_prosody() {
    ensure_packages prosody
    local d="$WORK/prosody" port tport
    mkdir -p "$d/data" "$d/certs"
    cp "$WORK/certs/$DOMAIN".* "$d/certs/"
    port=$(free_port); tport=$(free_port)
    cat >"$d/prosody.cfg.lua" <<EOF
-- bench/compare.sh: Prosody with the modules the benchmark touches, loopback only.
pidfile = "$d/prosody.pid"
data_path = "$d/data"
admin_socket = "$d/prosody.sock"
interfaces = { "127.0.0.1" }
c2s_ports = { $port }
c2s_direct_tls_ports = { $tport }
s2s_ports = { }
http_ports = { }
https_ports = { }
modules_enabled = { "roster", "saslauth", "tls", "disco", "ping", "offline", "admin_shell" }
modules_disabled = { "s2s" }
authentication = "internal_hashed"
storage = "internal"
c2s_require_encryption = true
log = { warn = "$d/prosody.log" }
certificates = "$d/certs"
ssl = { certificate = "$d/certs/$DOMAIN.crt", key = "$d/certs/$DOMAIN.key" }
VirtualHost "$DOMAIN"
EOF
    chown -R prosody:prosody "$d"
    taskset -c 0 setpriv --reuid=prosody --regid=prosody --init-groups \
        prosody -F --config "$d/prosody.cfg.lua" >"$d/stdout.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    wait_port "$port" 30 "$pid" || die "prosody did not start: $(tail -5 "$d/stdout.log")"
    log "prosody: $(dpkg-query -W -f='${Version}' prosody), creating $ACCOUNTS accounts with prosodyctl shell"
    # The presence scenario's rosters (u1..u101, everyone 'both' with the
    # others) go in through the server's rostermanager as well: setting
    # them up with 5,050 subscription handshakes takes Prosody's file
    # storage minutes.
    prosodyctl --config "$d/prosody.cfg.lua" shell ">local um = require 'core.usermanager'; \
for i = 1, $ACCOUNTS do assert(um.create_user('u'..i, 'pw'..i, '$DOMAIN')) end; \
local rm = require 'core.rostermanager'; \
for i = 1, 101 do local r = { [false] = { version = 1 } }; \
for j = 1, 101 do if j ~= i then r['u'..j..'@$DOMAIN'] = { subscription = 'both', groups = {} } end end; \
assert(rm.save_roster('u'..i, '$DOMAIN', r)) end; return 'accounts and rosters created'" >&2
    run_scenarios prosody "$pid" "$port" "$tport"
    stop_pid "$pid" 20
}

# ---- ejabberd --------------------------------------------------------------------

run_ejabberd() {
    ensure_packages ejabberd
    local d="$WORK/ejabberd" port tport dist
    mkdir -p "$d/logs" "$d/db" "$d/certs" "$d/home"
    cat "$WORK/certs/$DOMAIN.crt" "$WORK/certs/$DOMAIN.key" >"$d/certs/$DOMAIN.pem"
    port=$(free_port); tport=$(free_port); dist=$(free_port)
    touch "$d/inetrc"
    cat >"$d/ejabberd.yml" <<EOF
# bench/compare.sh: ejabberd with the modules the benchmark touches, loopback only.
hosts:
  - $DOMAIN
loglevel: warning
log_rotate_count: 0
certfiles:
  - $d/certs/$DOMAIN.pem
listen:
  -
    port: $port
    ip: "127.0.0.1"
    module: ejabberd_c2s
    starttls: true
    starttls_required: true
    max_stanza_size: 262144
    shaper: none
    access: c2s
    backlog: 1024
  -
    port: $tport
    ip: "127.0.0.1"
    module: ejabberd_c2s
    tls: true
    max_stanza_size: 262144
    shaper: none
    access: c2s
    backlog: 1024
auth_method: internal
auth_password_format: scram
auth_scram_hash: sha
cache_size: 20000
acl:
  local:
    user_regexp: ""
access_rules:
  local:
    allow: local
  c2s:
    allow: all
shaper_rules:
  max_user_sessions: 100
  c2s_shaper: none
modules:
  mod_roster: {}
  mod_disco: {}
  mod_ping: {}
  mod_offline: {}
  mod_admin_extra: {}
EOF
    # Its own node name, cookie and distribution port on 127.0.0.1, no epmd.
    cat >"$d/ejabberdctl.cfg" <<EOF
ERLANG_NODE=strata-bench-$$@localhost
ERL_DIST_PORT=$dist
INET_DIST_INTERFACE=127.0.0.1
ERL_OPTIONS="-setcookie bench$(od -An -N8 -tx8 /dev/urandom | tr -d ' ') -env ERL_CRASH_DUMP_BYTES 0"
EJABBERD_BYPASS_WARNINGS=true
EOF
    python3 - "$d/users.xml" "$ACCOUNTS" "$DOMAIN" <<'EOF'
import sys
path, n, dom = sys.argv[1], int(sys.argv[2]), sys.argv[3]
with open(path, "w") as f:
    f.write("<?xml version='1.0' encoding='UTF-8'?>\n<server-data xmlns='urn:xmpp:pie:0'>\n")
    f.write("<host jid='%s'>\n" % dom)
    for i in range(1, n + 1):
        f.write("<user name='u%d' password='pw%d'>" % (i, i))
        if i <= 101:
            f.write("<query xmlns='jabber:iq:roster'>")
            f.write("".join("<item jid='u%d@%s' subscription='both'/>" % (j, dom)
                            for j in range(1, 102) if j != i))
            f.write("</query>")
        f.write("</user>\n")
    f.write("</host>\n</server-data>\n")
EOF
    chown -R ejabberd:ejabberd "$d"
    # As the ejabberd user directly (setpriv, no su): no PAM session, so
    # the descriptor limit stays ours, and the pids stay ours.
    local ec=(env HOME="$d/home" setpriv --reuid=ejabberd --regid=ejabberd --init-groups
              ejabberdctl --config-dir "$d" --config "$d/ejabberd.yml" --ctl-config "$d/ejabberdctl.cfg"
              --logs "$d/logs" --spool "$d/db")
    (cd "$d" && exec taskset -c 0 "${ec[@]}" foreground >"$d/foreground.log" 2>&1) &
    local wrapper=$!
    PIDS+=("$wrapper")
    wait_port "$port" 60 "$wrapper" || die "ejabberd did not start: $(tail -5 "$d/logs/ejabberd.log" 2>/dev/null)"
    local pid
    pid=$(find_descendant "$wrapper" beam.smp) || die "no beam.smp under pid $wrapper"
    PIDS+=("$pid")
    log "ejabberd: $(dpkg-query -W -f='${Version}' ejabberd), importing $ACCOUNTS accounts with ejabberdctl import_piefxis"
    (cd "$d" && "${ec[@]}" import_piefxis "$d/users.xml") 2>&1 | grep -v "inetrc\|^$\|ERROR REPORT" >&2 || true
    # ejabberdctl may return (its call timeout) while the import goes on:
    # wait until every account exists.
    local n=0
    for _ in $(seq 1 100); do
        n=$( (cd "$d" && "${ec[@]}" registered_users "$DOMAIN") 2>/dev/null | grep -c '^u[0-9]' || true)
        [ "$n" -ge "$ACCOUNTS" ] && break
        sleep 3
    done
    [ "$n" -ge "$ACCOUNTS" ] || die "ejabberd has $n of $ACCOUNTS accounts after the import"
    run_scenarios ejabberd "$pid" "$port" "$tport"
    (cd "$d" && timeout 30 "${ec[@]}" stop) >/dev/null 2>&1 || true
    stop_pid "$pid" 20
    stop_pid "$wrapper" 5
}

# ---- main --------------------------------------------------------------------------

log "work folder $WORK, results in $OUT; load average $(cut -d' ' -f1-3 /proc/loadavg)"
{
    echo "MACHINE $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -r), OpenSSL $(openssl version | cut -d' ' -f2)"
    echo "SIZES accounts=$ACCOUNTS idle_sessions=$IDLE_SESSIONS logins=$LOGINS concurrency=$LOGIN_CONCURRENCY chat_pairs=$CHAT_PAIRS step=$STEP"
} >"$OUT/machine.txt"
make_cert
for s in $SERVERS; do
    : >"$OUT/$s.txt"
    "run_$s"
done
python3 "$REPO/bench/table.py" "$OUT" | tee "$OUT/table.md"
log "raw output: $OUT/*.txt"
if [ -z "$KEEP" ]; then
    for s in strata prosody ejabberd; do rm -rf "${WORK:?}/$s" "$WORK/$s.scram"; done
    rm -f "$WORK/strata.bin" "$WORK/xmpp_load"
fi
