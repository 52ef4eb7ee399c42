#!/usr/bin/env bash
# Sets up a fresh Debian 12 machine, builds, and runs the demo host on the bundled sample.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default
./build/bin/jobcoach-demo evaluate --events host_demo/samples/sample-events.jsonl --as-of 2026-11-23 --format table
