#!/bin/sh
# Installs Debian's prosody package without starting it, so tests can read
# its shipped /etc/prosody/prosody.cfg.lua (and, later, benchmarks can start
# it themselves on loopback ports). A policy-rc.d that refuses every start is
# in place only while dpkg runs, and only if none existed before.
set -eu

if dpkg-query -W -f='${Status}' prosody 2>/dev/null | grep -q "install ok installed"; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod +x "$policy"
    made_policy=1
fi
cleanup() { if [ -n "$made_policy" ]; then $SUDO rm -f "$policy"; fi; }
trap cleanup EXIT
export DEBIAN_FRONTEND=noninteractive
if ! $SUDO apt-get install -y -qq --no-install-recommends prosody >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends prosody >/dev/null
fi
