#!/bin/sh
# Installs the Debian 12 packages perseval needs, only those that are missing.
# Idempotent: when everything is present it does nothing and needs no network.
# `--test` adds the packages only the tests need (see TEST_PKGS); `make test` passes it,
# `make demo` does not.
set -eu
PKGS="g++ cmake make libcurl4-openssl-dev nlohmann-json3-dev libtbb-dev libsqlite3-dev catch2 libbenchmark-dev libcpp-httplib-dev pkg-config libutf8proc-dev"
# chromium: the HTML report's browser tests; clang + libclang-rt-14-dev: the libFuzzer targets
# and the AddressSanitizer/UndefinedBehaviorSanitizer build (`make test` runs both).
TEST_PKGS="chromium clang libclang-rt-14-dev"
for arg in "$@"; do
  case "$arg" in
    --test) PKGS="$PKGS $TEST_PKGS" ;;
    *) echo "usage: $0 [--test]" >&2; exit 2 ;;
  esac
done
missing=""
for p in $PKGS; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
echo "perseval: installing missing Debian packages:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
