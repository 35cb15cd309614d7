#!/bin/bash
# bench/generator_capacity.sh: what one core of xmpp_load can drive.
#
# Runs `xmpp_load sink` (a trivial XMPP server: TLS, SCRAM-SHA-1, bind,
# message forwarding; no roster, no storage) pinned to core 0 and the
# generator pinned to core 1, with the same RSA-2048 certificate and
# options compare.sh uses, and prints the generator's own CPU use and
# gen_per_core = rate / (its CPU share): the rate one full core of it
# would drive. The sink is stopped by its pid on exit.
set -euo pipefail

REPO="$(cd "$(dirname "$0")/.." && pwd)"
XMPP_LOAD="${XMPP_LOAD:-$REPO/build-bench/bench/xmpp_load}"
STRATA_BIN="${STRATA_BIN:-$REPO/build-bench/src/strata}"
USERS=${USERS:-2000}
[ -x "$XMPP_LOAD" ] || { echo "no $XMPP_LOAD: ninja -C build-bench" >&2; exit 1; }
ulimit -n "$(ulimit -Hn)"

WORK="$(mktemp -d /tmp/strata-gencap.XXXXXX)"
SINK_PID=""
cleanup() {
    if [ -n "$SINK_PID" ] && kill -0 "$SINK_PID" 2>/dev/null; then
        kill -TERM "$SINK_PID"
        wait "$SINK_PID" 2>/dev/null || true
    fi
    rm -rf "${WORK:?}"
}
trap cleanup EXIT

if [ -x "$STRATA_BIN" ]; then
    "$STRATA_BIN" cert generate bench.test --dir "$WORK" >/dev/null
else
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=bench.test" \
        -keyout "$WORK/bench.test.key" -out "$WORK/bench.test.crt" 2>/dev/null
fi
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
tport=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
taskset -c 0 "$XMPP_LOAD" --port "$port" --tls-port "$tport" --domain bench.test sink \
    --cert "$WORK/bench.test.crt" --key "$WORK/bench.test.key" --max-account "$USERS" \
    >"$WORK/sink.log" 2>&1 &
SINK_PID=$!
sleep 0.5

gen() {
    taskset -c 1 "$XMPP_LOAD" --port "$port" --tls-port "$tport" --domain bench.test \
        --users "$USERS" --server-pid "$SINK_PID" --scram-cache "$WORK/scram" "$@" | grep "^RESULT"
}
echo "# warming the SCRAM key caches of both sides (first logins run PBKDF2)"
gen idle --sessions "$USERS" --hold 0 --settle 0 >/dev/null
echo "# logins: srv_cpu is the sink's"
gen login --count 10000 --concurrency 200
gen --tls direct --tag login_direct login --count 10000 --concurrency 200
echo "# messages, 50 pairs"
gen chat --pairs 50 --rates 50000,100000,200000,300000,400000 --step 4 --extra-levels 1
