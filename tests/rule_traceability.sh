#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every rule id of docs/rules.md has its implementation (plugins/*/src), its rule-pack entry (plugins/*/rulepacks) and
# tests (tests/engine, tests/schemes, tests/plugin): `grep -r <rule id>` finds all three.
# Usage: rule_traceability.sh ROOT RULES, RULES being the specification (docs/rules.md). The ids are those of
# tests/rule-ids.txt, and the list must match the specification's ids exactly (so a new rule cannot be forgotten).
set -euo pipefail
root="$1"
rules="$2"
[ -f "$rules" ] || { echo "$rules: no such file (the specification, docs/rules.md, is part of the repository)"; exit 1; }
ids=$(cat "$root/tests/rule-ids.txt")
[ -n "$ids" ] || { echo "tests/rule-ids.txt is empty"; exit 1; }
missing=0
if ! diff <(grep -oE '^\| `[a-z0-9.-]+`' "$rules" | tr -d '|` ') "$root/tests/rule-ids.txt"; then
  echo "tests/rule-ids.txt differs from the ids of $rules"
  missing=1
fi
count=0
for id in $ids; do
  count=$((count + 1))
  grep -rqF --include='*.cpp' --include='*.hpp' "$id" "$root/plugins" || { echo "$id: no implementation names it"; missing=1; }
  grep -rqF --include='*.json' "\"$id\"" "$root/plugins" || { echo "$id: no rule pack cites it"; missing=1; }
  grep -rqF "$id" "$root/tests/engine" "$root/tests/schemes" "$root/tests/plugin" || { echo "$id: no unit test names it"; missing=1; }
done
[ "$missing" -eq 0 ] && echo "$count rule ids: each has an implementation, a rule-pack entry and unit tests"
exit "$missing"
