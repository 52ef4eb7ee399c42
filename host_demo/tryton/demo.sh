#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The jobcoach plugins inside Tryton, on a fresh Debian 12: installs Debian's Tryton 6.0 (tryton-server and the
# company, timesheet modules; tryton-sao, the web client) and what the build needs, builds the plugins, creates a
# Tryton database (SQLite, in build/tryton-demo) with the jobcoach module, enters the bundled sample as Tryton
# records through the ORM one save at a time, prints the findings Tryton shows and checks them against
# jobcoach-demo's.   host_demo/tryton/demo.sh [--serve | --screenshot FILE.png]
#   --serve        then serves the database and the web client on http://localhost:8000 (admin / admin) until Ctrl-C
#   --screenshot   then opens an employee's form in the web client in headless Chromium and saves what it shows
set -euo pipefail
cd "$(dirname "$0")/../.."
[ "${JOBCOACH_SETUP_DONE:-}" = 1 ] || scripts/setup.sh --tryton
. scripts/owner.sh
continue_as_checkout_owner "$0" "$@"
require_writable_build_dirs build
build_without_tests
exec /usr/bin/python3 -W ignore host_demo/tryton/demo.py --plugins build/lib/jobcoach/plugins \
  --demo build/bin/jobcoach-demo --events host_demo/samples/sample-events.jsonl --as-of 2026-11-23 \
  --workdir build/tryton-demo "$@"
