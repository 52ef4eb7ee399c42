#!/usr/bin/env bash
# One command for every figure: sets up, builds, runs the in-process benchmarks (jobcoach_bench: figure, ceiling
# and ratio for each), then the whole-process benchmark: jobcoach-demo generates a history, imports it into
# --state and evaluates it, timed against reading the same file.
#   tests/bench/run.sh                    the sizes of the targets (about 10 minutes, 3 GiB of memory)
#   JOBCOACH_BENCH_SCALE=0.05 tests/bench/run.sh    a quick look
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/setup.sh
cmake --preset default >/dev/null
cmake --build --preset default --target jobcoach_bench jobcoach-demo jobcoach_uwv jobcoach_gemeente >/dev/null
scale=${JOBCOACH_BENCH_SCALE:-1}
echo "== in-process benchmarks (JOBCOACH_BENCH_SCALE=$scale)"
JOBCOACH_BENCH_SCALE=$scale build/bin/jobcoach_bench --benchmark_color=false

echo
echo "== whole process: jobcoach-demo evaluate --state on a generated history"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
employees=$(awk -v s="$scale" 'BEGIN { n = int(10600 * s); print (n < 20 ? 20 : n) }')
build/bin/jobcoach-demo generate --employees "$employees" --years 3 --seed 42 -o "$work/events.jsonl"
bytes=$(stat -c %s "$work/events.jsonl")
measure() { # prints wall seconds and peak RSS in KiB of a command
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null
  cat "$work/time"
}
read -r run_s run_kb < <(measure build/bin/jobcoach-demo evaluate --events "$work/events.jsonl" --as-of 2023-01-31 \
  --state "$work/state.db")
read -r read_s read_kb < <(measure wc -l "$work/events.jsonl")
events=$(grep -vc '^#' "$work/events.jsonl")
awk -v e="$events" -v b="$bytes" -v rs="$run_s" -v rk="$run_kb" -v cs="$read_s" -v ck="$read_kb" 'BEGIN {
  printf "%-58s %14s %14s %9s\n", "figure", "value", "ceiling", "ratio"
  ratio = cs > 0 ? sprintf("%9.1f", rs / cs) : "      n/a"
  printf "%-58s %14.2f %14.2f %s\n", "import + evaluate, seconds (ceiling: wc -l of the file)", rs, cs, ratio
  printf "%-58s %14.0f\n", "events imported, per second of the whole run", (rs > 0 ? e / rs : 0)
  printf "%-58s %14.0f %14.0f %9.1f\n", "peak memory, KiB (ceiling: wc -l)", rk, ck, (ck > 0 ? rk / ck : 0)
  printf "%-58s %14d   (%d bytes)\n", "events in the file", e, b
}'
