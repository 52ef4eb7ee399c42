#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs the demo host on the bundled sample: the findings as a
# table, then the HTML report and the iCalendar file of due dates in build/.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default
sample=host_demo/samples/sample-events.jsonl
./build/bin/jobcoach-demo evaluate --events "$sample" --as-of 2026-11-23 --format table
./build/bin/jobcoach-demo report --events "$sample" --as-of 2026-11-23 -o build/report.html
./build/bin/jobcoach-demo report --events "$sample" --as-of 2026-11-23 --format ics -o build/due-dates.ics
echo "Report: build/report.html (open it in a browser); due dates: build/due-dates.ics (import it into a calendar)"
