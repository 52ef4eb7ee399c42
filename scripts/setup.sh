#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Installs what the project needs on a fresh Debian 12 machine. Safe to run again: apt-get skips what is there.
#   scripts/setup.sh          what building and running the demo needs (scripts/demo.sh)
#   scripts/setup.sh --test   that and what the whole test suite needs (scripts/test.sh)
#   scripts/setup.sh --tryton that and Tryton 6.0 with its web client (host_demo/tryton/demo.sh)
#   scripts/setup.sh --list [--test]   prints the package names, one a line, and installs nothing
# tests/setup_check.sh proves that every tool and header the build and the tests use comes from these lists
# (or from what a bare Debian 12 has), so that a machine that happens to have more cannot hide a missing one.
set -euo pipefail
demo_packages=(
  build-essential cmake ninja-build pkg-config
  libboost-dev            # Boost.DLL (header-only in 1.74)
  libsqlite3-dev libsqlitecpp-dev
  libspdlog-dev libfmt-dev
  libsimdjson-dev libcli11-dev
  libjansson-dev          # JSON for the plain-C example host
  libelf-dev              # the runtime and the validator read a plugin's dynamic symbol table
  libssl-dev              # SHA-256 of plugin libraries for the host's allowlist
  help2man                # the manual pages, made from the --help texts
  file                    # cpack's DEB generator (the README's `cd build && cpack`)
)
test_packages=(
  libgtest-dev libgmock-dev libbenchmark-dev
  abigail-tools           # abidw/abidiff: the ABI gate
  clang-14 libclang-rt-14-dev  # libFuzzer and its sanitizer runtimes: the fuzz preset
  time                    # /usr/bin/time: wall time and peak memory in tests/bench/run.sh
  python3 python3-icalendar python3-pil  # the Python host; the report tests: the iCalendar parser, the screenshot's pixels
  khal                                   # the calendar test: a real calendar client lists the export
  chromium fonts-dejavu-core             # the HTML report's screenshot test (headless)
  libreoffice-calc-nogui                 # the CSV test: LibreOffice imports it and the cells are read back
  poppler-utils                          # the print test: pdfinfo, pdftotext and pdftoppm read the report's PDF
  lintian                 # the package test: the DEBs are lintian-clean
)
# The Python package and the Tryton module (host_demo/tryton): Debian's Python, its Tryton 6.0 and pyelftools.
python_packages=(
  python3-pyelftools                     # the Python package's loader: the symbol check reads the plugin's ELF file
  tryton-server tryton-modules-company tryton-modules-company-work-time tryton-modules-timesheet
  tryton-proteus                         # Tryton's scripting library: the Tryton demo enters the sample with it
)                                        # and tryton-sao, Tryton's web client, which the Tryton demo serves
profile=demo list=0
for arg in "$@"; do
  case $arg in
    --test) profile=test ;;
    --tryton) profile=tryton ;;
    --list) list=1 ;;
    *) echo "usage: scripts/setup.sh [--test | --tryton] [--list]" >&2; exit 2 ;;
  esac
done
packages=("${demo_packages[@]}")
[ "$profile" = test ] && packages+=("${test_packages[@]}" "${python_packages[@]}" tryton-sao)
[ "$profile" = tryton ] && packages+=("${python_packages[@]}" tryton-sao chromium)
if ((list)); then
  printf '%s\n' "${packages[@]}"
  exit 0
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "setup: installing ${missing[*]} needs root: run this as root once" >&2; exit 1; }
    sudo_cmd="sudo"
  fi
  echo "setup: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
