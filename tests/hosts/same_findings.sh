#!/usr/bin/env bash
# The hosts in other languages print the same findings as jobcoach-demo, byte for byte.
#   same_findings.sh DEMO PLUGIN_DIR EVENTS HOST_COMMAND...
# For several evaluation dates (before any trajectory, in the middle, today, years later) it runs
#   jobcoach-demo evaluate --format jsonl   and   HOST_COMMAND --plugins DIR --events FILE --as-of DATE
# and compares the outputs; at least one date must give findings, so an empty host cannot pass. Then it gives
# the host an impossible date in an event file and expects exit code 2 and a message naming the line and field.
set -euo pipefail
demo=$1 plugins=$2 events=$3
shift 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
total=0
for as_of in 2025-01-01 2026-03-31 2026-11-23 2029-02-28; do
  "$demo" evaluate --plugins "$plugins" --events "$events" --as-of "$as_of" --format jsonl >"$work/demo.jsonl"
  "$@" --plugins "$plugins" --events "$events" --as-of "$as_of" >"$work/host.jsonl"
  if ! cmp -s "$work/demo.jsonl" "$work/host.jsonl"; then
    echo "as of $as_of the host's findings differ from jobcoach-demo's:" >&2
    diff "$work/demo.jsonl" "$work/host.jsonl" | head -n 20 >&2
    exit 1
  fi
  n=$(wc -l <"$work/host.jsonl")
  echo "as of $as_of: $n findings, the same as jobcoach-demo's"
  total=$((total + n))
done
[ "$total" -gt 0 ] || { echo "no date gave any finding: the comparison proves nothing" >&2; exit 1; }

printf '%s\n' '{"id":"c1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"A","weekly_hours":20}' \
  '{"id":"c2","type":"contract.started","employee":"E-2","date":"2026-02-30","employer":"A","weekly_hours":20}' >"$work/bad.jsonl"
set +e
"$@" --plugins "$plugins" --events "$work/bad.jsonl" --as-of 2026-11-23 >"$work/out" 2>"$work/err"
code=$?
set -e
if [ "$code" -ne 2 ] || ! grep -q "bad.jsonl:2: field 'date'" "$work/err" || [ -s "$work/out" ]; then
  echo "an impossible date: expected exit 2, no output and a message naming line 2 and field 'date'; got $code:" >&2
  cat "$work/err" >&2
  exit 1
fi
echo "an impossible date: exit 2, $(cat "$work/err")"
