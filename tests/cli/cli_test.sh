#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Everyday use of the command line:
#   cli_test.sh help     DEMO VALIDATE HOST_C HOST_PY   every command's --help shows an example
#   cli_test.sh progress DEMO SAMPLE                    the progress bar is drawn on a terminal, never into a pipe
#   cli_test.sh lang     DEMO SAMPLE                    --lang nl gives the Dutch messages and labels, en the English
set -euo pipefail
check=$1
shift
fail() { echo "FAILED: $*" >&2; exit 1; }

case "$check" in
help)
  demo=$1 validate=$2 host_c=$3 host_py=$4
  commands=("$demo" "$demo evaluate" "$demo status" "$demo report" "$demo plugins" "$demo generate" "$validate"
            "$host_c" "python3 $host_py")
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
  grep -q "importing into nl.jobcoach.uwv .*100%" <<<"$tty" || fail "no progress bar on a terminal: $tty"
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
  grep -qF "$first_nl" <<<"$nl" || fail "--lang nl: the Dutch message is missing: $first_nl"
  ! grep -qF "$first_en" <<<"$nl" || fail "--lang nl: the English message is there"
  grep -qF "$first_en" <<<"$en" || fail "--lang en: the English message is missing"
  grep -q "^WERKNEMER" <<<"$nl" && grep -q "bevinding(en)" <<<"$nl" || fail "--lang nl: the labels are not Dutch"
  grep -q "^EMPLOYEE" <<<"$en" || fail "--lang en: the labels are not English"
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
*) fail "unknown check $check" ;;
esac
