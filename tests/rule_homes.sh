#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# docs/design.md "Layers": inside a plugin the rules are values in, values out, and their words are apart.
#  1. Every rule id of tests/rule-ids.txt has one home: exactly one file of rule code names it, where its computation
#     reads beside its citation (a municipal rule id: the file of the role its pack gives it).
#  2. No rule code holds a sentence: the messages and explanation lines are rendered in the texts file of each
#     plugin (plugins/*/src/texts.cpp), so rule code has no fmt::format, message_nl/_en or explain().
# Rule code: the common rules, each scheme's rules and each municipal role; not the texts, not the plugin's shell
# (store, packs, ABI).
#   rule_homes.sh ROOT
set -euo pipefail
root="$1"
cd "$root"
rule_code=(plugins/common/src/common_rules.cpp plugins/common/src/cross_scheme.cpp plugins/common/src/contracts.cpp
           plugins/common/src/trajectory.cpp plugins/uwv/src/uwv_common.cpp plugins/uwv/src/uwv_extern.cpp
           plugins/uwv/src/uwv_intern.cpp plugins/gemeente/src/roles/*.cpp)
for f in "${rule_code[@]}"; do [ -f "$f" ] || { echo "$f: listed as rule code but missing"; exit 1; }; done
failed=0
for id in $(cat tests/rule-ids.txt); do
  homes=$(grep -lF -- "$id" "${rule_code[@]}" | tr '\n' ' ' || true)
  n=$(wc -w <<<"$homes")
  [ "$n" -eq 1 ] || { echo "$id: named by $n files of rule code (${homes:-none}); it needs exactly one home"; failed=1; }
done
words=$(grep -nE 'fmt::format|message_(nl|en)|\.explain\(' "${rule_code[@]}" || true)
if [ -n "$words" ]; then
  echo "rule code that words its findings (the words belong in the plugin's texts.cpp):"
  echo "$words"
  failed=1
fi
[ "$failed" -eq 0 ] && echo "$(wc -l <tests/rule-ids.txt) rule ids: one home each; ${#rule_code[@]} files of rule code hold no sentence"
exit "$failed"
