#!/usr/bin/env bash
# Installs what the project needs on a fresh Debian 12 machine. Safe to run again: apt-get skips what is there.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev            # Boost.DLL (header-only in 1.74)
  libsqlite3-dev libsqlitecpp-dev
  libspdlog-dev libfmt-dev
  libsimdjson-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  libjansson-dev          # JSON for the plain-C example host
  libelf-dev              # the runtime and the validator read a plugin's dynamic symbol table
  abigail-tools           # abidw/abidiff: the ABI gate
  libssl-dev              # SHA-256 of plugin libraries for the host's allowlist
  clang-14 libclang-rt-14-dev  # libFuzzer and its sanitizer runtimes: the fuzz preset
  time                    # /usr/bin/time: wall time and peak memory in tests/bench/run.sh
  python3 python3-icalendar python3-pil  # the report tests: the iCalendar parser, the screenshot's pixels
  chromium fonts-dejavu-core             # the HTML report's screenshot test (headless)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
