#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up a fresh Debian 12 machine with what the demo needs, builds it, and runs the demo host on the bundled
# sample: the findings as a table, then the HTML report and the iCalendar file of due dates in build/. The test
# suite is not built here (scripts/test.sh builds and runs it, and installs what it needs).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${JOBCOACH_SETUP_DONE:-}" = 1 ] || scripts/setup.sh
. scripts/owner.sh
continue_as_checkout_owner "$0" "$@"
require_writable_build_dirs build
build_without_tests
sample=host_demo/samples/sample-events.jsonl
./build/bin/jobcoach-demo evaluate --events "$sample" --as-of 2026-11-23 --format table
./build/bin/jobcoach-demo report --events "$sample" --as-of 2026-11-23 -o build/report.html
./build/bin/jobcoach-demo report --events "$sample" --as-of 2026-11-23 --format ics -o build/due-dates.ics
echo "Report: $PWD/build/report.html (open it in a browser)"
echo "Due dates: $PWD/build/due-dates.ics (import it into a calendar)"
