#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Proves the ABI gate: builds the anchor from mutated copies of the public headers and checks that the gate
# fails every breaking change and passes every append.
#   abi_gate_selftest.sh CC BASELINE.xml
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
include=$(cd "$here/../include" && pwd)
cc=$1; baseline=$2
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
failures=0

# mutate NAME EXPECT(pass|fail) FILE PERL-SUBSTITUTION [ANCHOR-SUBSTITUTION]
mutate() {
  local name=$1 expect=$2 file=$3 subst=$4 anchor_subst=${5:-}
  rm -rf "$work/include" && cp -r "$include" "$work/include" && cp "$here/anchor.c" "$work/anchor.c"
  perl -0pi -e "$subst" "$work/include/jobcoach/$file"
  if cmp -s "$include/jobcoach/$file" "$work/include/jobcoach/$file"; then
    echo "$name: the mutation did not apply"; failures=$((failures + 1)); return
  fi
  [ -n "$anchor_subst" ] && perl -0pi -e "$anchor_subst" "$work/anchor.c"
  "$cc" -shared -fPIC -g -O0 -Wl,-soname,libjobcoach_abi_anchor.so -I"$work/include" "$work/anchor.c" -o "$work/anchor.so" || { failures=$((failures + 1)); return; }
  local out code
  out=$(bash "$here/abi_gate.sh" check "$work/anchor.so" "$baseline"); code=$?
  if { [ "$expect" = pass ] && [ "$code" -eq 0 ]; } || { [ "$expect" = fail ] && [ "$code" -eq 1 ]; }; then
    echo "$name: the gate says $( [ "$code" -eq 0 ] && echo pass || echo fail ), as it must"
  else
    echo "$name: the gate exited $code, but it must $expect"; echo "$out"; failures=$((failures + 1))
  fi
}

mutate "reorder two members of jc_finding" fail finding.h \
  's/(    jc_str message_nl;[^\n]*\n)(    jc_str message_en;[^\n]*\n)/$2$1/'
mutate "retype jc_finding.severity" fail finding.h 's/int32_t severity;/int64_t severity;/'
mutate "remove jc_finding.source" fail finding.h 's/    jc_str source;[^\n]*\n//'
mutate "append to jc_event_header, which events embed" fail events.h \
  's/(    uint32_t reserved0;   \/\* 0 \*\/\n\} jc_event_header;)/$1/; s/(\} jc_event_header;)/    int64_t future;\n$1/'
mutate "rename a member of jc_plugin" fail plugin.h 's/jc_status\(JC_ABI \*evaluate\)/jc_status(JC_ABI *evaluate_v2)/'
mutate "append a member to jc_finding" pass finding.h 's/(\} jc_finding;)/    jc_str future_member;\n$1/'
mutate "append a function to jc_host" pass host.h \
  's/(    \/\* Append new members here only. \*\/\n\} jc_host;)/    void(JC_ABI *future)(const struct jc_host *host);\n$1/'
mutate "add a struct for a new extension" pass ext/status.h \
  's/(#ifdef __cplusplus\n\}\n#endif\n\n#endif)/typedef struct jc_future_ext { uint32_t struct_size; uint32_t reserved0; } jc_future_ext;\n\n$1/' \
  's/(\n\} jc_abi_types;)/\n    const jc_future_ext *future_ext;$1/'

if [ "$failures" -ne 0 ]; then echo "ABI gate self-test: $failures case(s) wrong"; exit 1; fi
echo "ABI gate self-test: every breaking change fails, every append passes"
