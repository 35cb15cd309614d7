#!/bin/sh
# Installs the Debian packages Strata needs to build and test, if any are
# missing. Idempotent: does nothing (not even `apt-get update`) when every
# package is present. Run as root, or with sudo available.
set -eu

PACKAGES="
build-essential meson ninja-build pkg-config clang clang-format
liblua5.4-dev libuv1-dev libssl-dev libexpat1-dev libidn-dev libc-ares-dev
libsqlite3-dev libpq-dev libhttp-parser-dev libwslay-dev libjansson-dev
libcmocka-dev
openssl ca-certificates
python3 python3-pytest python3-slixmpp python3-openssl
python3-aioxmpp
"

missing=""
for p in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $p"
    fi
done

if [ -z "$missing" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "install-deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
