#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The hosts in other languages print the same findings as jobcoach-demo, byte for byte.
#   same_findings.sh DEMO PLUGIN_DIR EVENTS HOST_COMMAND...
# For several evaluation dates (before any trajectory, in the middle, today, years later) it runs
#   jobcoach-demo evaluate --format jsonl   and   HOST_COMMAND --plugins DIR --events FILE --as-of DATE
# and compares the outputs; at least one date must give findings, so an empty host cannot pass. Then it gives
# the host an impossible date in an event file and expects exit code 2 and a message naming the line and field.
# Then the HR-suite workflow (--employee, --changes) against jobcoach-demo's. Then what real HR exports contain, which every host (this one and jobcoach-demo) must treat alike: a UTF-8
# byte-order mark is accepted; a duplicate key, minutes with hours, hours that round to 0 minutes, a control
# character in a key, an endless line (/dev/zero) and a directory are refused with exit 2 and no output.
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

# The HR-suite workflow: one employee's findings (--employee), and the change feed (--changes with --state) on
# two dates, the second giving new, updated and resolved findings: the same lines as jobcoach-demo's.
for employee in E-104 E-115 E-NOBODY; do
  "$demo" evaluate --plugins "$plugins" --events "$events" --as-of 2026-11-23 --employee "$employee" >"$work/demo.jsonl"
  "$@" --plugins "$plugins" --events "$events" --as-of 2026-11-23 --employee "$employee" >"$work/host.jsonl"
  cmp -s "$work/demo.jsonl" "$work/host.jsonl" ||
    { echo "--employee $employee: the host differs from jobcoach-demo:" >&2; diff "$work/demo.jsonl" "$work/host.jsonl" | head -n 20 >&2; exit 1; }
done
echo "--employee: the same findings as jobcoach-demo for E-104, E-115 and an unknown key"
for as_of in 2026-11-01 2026-11-23 2026-11-23; do
  "$demo" changes --plugins "$plugins" --events "$events" --as-of "$as_of" --state "$work/demo-state" >"$work/demo.jsonl"
  "$@" --plugins "$plugins" --events "$events" --as-of "$as_of" --state "$work/host-state" --changes >"$work/host.jsonl"
  cmp -s "$work/demo.jsonl" "$work/host.jsonl" ||
    { echo "--changes as of $as_of: the host differs from jobcoach-demo:" >&2; diff "$work/demo.jsonl" "$work/host.jsonl" | head -n 20 >&2; exit 1; }
  echo "--changes as of $as_of: $(grep -c '"change":"new"' "$work/host.jsonl" || true) new, $(grep -c '"change":"updated"' "$work/host.jsonl" || true) updated, $(grep -c '"change":"resolved"' "$work/host.jsonl" || true) resolved, as jobcoach-demo"
done

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

# Real exports: the same answer from every host.
demo_host=("$demo" evaluate)
host=("$@")
contract='{"id":"c1","type":"contract.started","employee":"E-1","date":"2026-01-05","employer":"A","weekly_hours":20}'
grant='{"id":"g1","type":"coaching.granted","employee":"E-1","date":"2026-01-05","scheme":"uwv-extern","level":"midden"}'
printf '%s\n' "$contract" "$grant" '{"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":90}' >"$work/plain.jsonl"
{ printf '\xEF\xBB\xBF'; cat "$work/plain.jsonl"; } >"$work/bom.jsonl"
for h in demo_host host; do
  declare -n cmd=$h
  "${cmd[@]}" --plugins "$plugins" --events "$work/plain.jsonl" --as-of 2026-11-23 >"$work/plain.out"
  "${cmd[@]}" --plugins "$plugins" --events "$work/bom.jsonl" --as-of 2026-11-23 >"$work/bom.out" ||
    { echo "${cmd[*]}: a byte-order mark was refused" >&2; exit 1; }
  [ -s "$work/plain.out" ] && cmp -s "$work/plain.out" "$work/bom.out" ||
    { echo "${cmd[*]}: a byte-order mark changed the findings" >&2; exit 1; }
done
echo "a UTF-8 byte-order mark: accepted by both hosts, the same findings"

refused() { # refused NAME PATTERN FILE: each host exits 2 on FILE, prints nothing, and says PATTERN on stderr
  local name=$1 pattern=$2 file=$3 h code
  for h in demo_host host; do
    declare -n cmd=$h
    set +e
    "${cmd[@]}" --plugins "$plugins" --events "$file" --as-of 2026-11-23 >"$work/out" 2>"$work/err"
    code=$?
    set -e
    if [ "$code" -ne 2 ] || [ -s "$work/out" ] || ! grep -Eq "$pattern" "$work/err"; then
      echo "$name: ${cmd[*]}: expected exit 2, no output and /$pattern/ on stderr; got $code:" >&2
      cat "$work/err" "$work/out" >&2
      exit 1
    fi
  done
  echo "$name: both hosts exit 2: $(head -c 150 "$work/err" | head -n 1)"
}
printf '%s\n' "$contract" '{"id":"g1","type":"coaching.granted","employee":"E-1","employee":"E-2","date":"2026-01-05","scheme":"vpw"}' >"$work/dup.jsonl"
refused "a duplicate key" "dup.jsonl:2: .*(duplicate|twice)" "$work/dup.jsonl"
printf '%s\n' "$contract" '{"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","minutes":60,"hours":"abc"}' >"$work/both.jsonl"
refused "minutes with hours" "both.jsonl:2: field 'hours'" "$work/both.jsonl"
printf '%s\n' "$contract" '{"id":"t1","type":"timesheet.logged","employee":"E-1","date":"2026-01-12","hours":0.001}' >"$work/tiny.jsonl"
refused "hours that round to 0 minutes" "tiny.jsonl:2: field 'hours'" "$work/tiny.jsonl"
printf '%s\n' '{"id":"c1","type":"contract.started","employee":"E-\u001b[31m1","date":"2026-01-05","employer":"A","weekly_hours":20}' >"$work/esc.jsonl"
refused "a control character in a key" "employee.*control character" "$work/esc.jsonl"
refused "an endless line" "more than 65536 bytes without an end of line" /dev/zero
mkdir -p "$work/dir.jsonl"
refused "a directory" "dir.jsonl.*(directory|Is a directory)" "$work/dir.jsonl"
