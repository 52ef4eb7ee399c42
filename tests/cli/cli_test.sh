#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Everyday use of the command line:
#   cli_test.sh help     DEMO VALIDATE HOST_C HOST_PY   every command's --help shows an example
#   cli_test.sh progress DEMO SAMPLE                    the progress bar is drawn on a terminal, never into a pipe
#   cli_test.sh lang     DEMO SAMPLE                    --lang nl gives the Dutch messages and labels, en the English
#   cli_test.sh terminal DEMO SAMPLE                    on an 80-column terminal, table and status fit it, words whole
set -euo pipefail
check=$1
shift
fail() { echo "FAILED: $*" >&2; exit 1; }

case "$check" in
help)
  demo=$1 validate=$2 host_c=$3 host_py=$4
  commands=("$demo" "$demo evaluate" "$demo status" "$demo report" "$demo plugins" "$demo generate" "$validate"
            "$host_c" "/usr/bin/python3 $host_py")
  for c in "${commands[@]}"; do
    out=$($c --help 2>&1) || fail "$c --help exits with $?"
    grep -q "Example" <<<"$out" || fail "$c --help shows no example"
    echo "${c##*/} --help: $(grep -m1 "Example" -A1 <<<"$out" | tail -n 1 | sed 's/^ *//')"
  done
  ;;
progress)
  demo=$1 sample=$2
  err=$("$demo" evaluate --events "$sample" --as-of 2026-11-23 2>&1 >/dev/null)
  [ -z "$err" ] || fail "standard error is not a terminal, yet something was drawn: $err"
  echo "into a pipe: nothing on standard error"
  # `script` gives the command a terminal; its output is what the terminal showed.
  tty=$(script -qec "$demo evaluate --events $sample --as-of 2026-11-23 >/dev/null" /dev/null | tr '\r' '\n')
  grep -q "importing into 2 plugins .*100%" <<<"$tty" || fail "no progress bar on a terminal: $tty"
  grep -q "evaluating" <<<"$tty" || fail "no evaluating step on a terminal"
  echo "on a terminal: $(grep -c '%' <<<"$tty") bar updates, e.g. '$(grep -m1 importing <<<"$tty" | sed 's/\x1b\[K//')'"
  quiet=$(script -qec "$demo evaluate --events $sample --as-of 2026-11-23 --no-progress >/dev/null" /dev/null)
  ! grep -q "importing" <<<"$quiet" || fail "--no-progress still draws the bar"
  echo "on a terminal with --no-progress: no bar"
  ;;
lang)
  demo=$1 sample=$2
  en=$("$demo" evaluate --events "$sample" --as-of 2026-11-23 --format table)
  nl=$("$demo" evaluate --events "$sample" --as-of 2026-11-23 --format table --lang nl)
  jsonl=$("$demo" evaluate --events "$sample" --as-of 2026-11-23 --format jsonl)
  first_nl=$(head -n 1 <<<"$jsonl" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["message_nl"])')
  first_en=$(head -n 1 <<<"$jsonl" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["message_en"])')
  # The table wraps messages under their row: compare with the line breaks and indents made spaces.
  flat() { tr -s ' \n' '  ' <<<"$1"; }
  grep -qF "$first_nl" <<<"$(flat "$nl")" || fail "--lang nl: the Dutch message is missing: $first_nl"
  ! grep -qF "$first_en" <<<"$(flat "$nl")" || fail "--lang nl: the English message is there"
  grep -qF "$first_en" <<<"$(flat "$en")" || fail "--lang en: the English message is missing"
  grep -q "^WERKNEMER" <<<"$nl" && grep -q "bevinding(en)" <<<"$nl" || fail "--lang nl: the labels are not Dutch"
  grep -q "^EMPLOYEE" <<<"$en" || fail "--lang en: the labels are not English"
  ! grep -qE "^E-[0-9]+ +[0-9-]+ +(warning|high|critical) " <<<"$nl" || fail "--lang nl: English severity names"
  grep -qE "^E-[0-9]+ +[0-9-]+ +waarschuwing " <<<"$nl" || fail "--lang nl: no severity 'waarschuwing'"
  status_nl=$("$demo" status --events "$sample" --as-of 2026-11-23 --employee E-101 --lang nl)
  grep -q "traject #1" <<<"$status_nl" && grep -q "open termijnen:" <<<"$status_nl" && grep -q "TE LAAT" <<<"$status_nl" \
    || fail "status --lang nl: the labels are not Dutch: $status_nl"
  ! grep -qE "^E-101 .* trajectory|open due dates|OVERDUE| used | left |level|Period report|\(contract-end\)" <<<"$status_nl" \
    || fail "status --lang nl: English labels: $status_nl"
  grep -q "Melding einde dienstverband aan UWV #1  TE LAAT" <<<"$status_nl" || fail "status --lang nl: no Dutch title of the due"
  # The plugin's own words (ABI 1.4): the budget's basis and the figures in Dutch, numbers in Dutch notation.
  intern_nl=$("$demo" status --events "$sample" --as-of 2026-11-23 --employee E-110 --lang nl)
  grep -q "budget: niveau midden, jaar 2: 5 % van 1251,41 uur" <<<"$intern_nl" && grep -q "subsidie period#1: € 4.500,00 (niveau midden, jaar 1, deeltijdfactor 1,0000)" <<<"$intern_nl" \
    || fail "status --lang nl: the plugin's basis and figures are not Dutch: $intern_nl"
  ! grep -qE "part-time|subsidy|level " <<<"$intern_nl" || fail "status --lang nl: English words of the plugin: $intern_nl"
  echo "--lang nl: '$(head -n 2 <<<"$nl" | tail -n 1 | cut -c1-60)…', '$(tail -n 1 <<<"$nl")'"
  for bad in "--lang fr" "--separator |"; do
    set +e
    err=$("$demo" evaluate --events "$sample" --as-of 2026-11-23 --format csv $bad 2>&1 >/dev/null)
    code=$?
    set -e
    [ "$code" -eq 2 ] && grep -q -- "${bad%% *}" <<<"$err" || fail "$bad: expected exit 2 naming the option, got $code: $err"
    echo "$bad: exit 2, $(head -n 1 <<<"$err")"
  done
  ;;
terminal)
  demo=$1 sample=$2
  # `script` gives the commands a terminal, set to 80 columns: the demo reads the width from it.
  for args in "evaluate --format table" "evaluate --format table --lang nl" "evaluate --format table --explain" \
              "status --employee E-110" "status --employee E-101 --lang nl"; do
    shown=$(script -qec "stty cols 80 rows 40; $demo $args --events $sample --as-of 2026-11-23 --no-progress 2>/dev/null" \
              /dev/null | tr -d '\r')
    lines=$(wc -l <<<"$shown")
    [ "$lines" -gt 6 ] || fail "$args: only $lines lines: $shown"
    wide=$(python3 -c 'import sys; print(sum(len(l) > 80 for l in sys.stdin.read().split("\n")))' <<<"$shown")
    [ "$wide" -eq 0 ] || fail "$args: $wide lines wider than 80 columns"
    longest=$(python3 -c 'import sys; print(max(len(l) for l in sys.stdin.read().split("\n")))' <<<"$shown")
    echo "$args: $lines lines on an 80-column terminal, the longest $longest"
  done
  # Every message is whole, its words unbroken, when the wrapped lines are joined again.
  table=$(script -qec "stty cols 80 rows 40; $demo evaluate --format table --events $sample --as-of 2026-11-23 --no-progress 2>/dev/null" \
            /dev/null | tr -d '\r')
  python3 - "$table" <(
    "$demo" evaluate --events "$sample" --as-of 2026-11-23) <<'PY' || fail "a message is not whole in the 80-column table"
import json, sys
flat = " ".join(sys.argv[1].split())
messages = [json.loads(l)["message_en"] for l in open(sys.argv[2])]
broken = [m for m in messages if " ".join(m.split()) not in flat]
print(f"{len(messages) - len(broken)} of {len(messages)} messages whole when the wrapped lines are joined")
sys.exit(1 if broken or not messages else 0)
PY
  ;;
*) fail "unknown check $check" ;;
esac
