#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The ABI gate. The public ABI is the layout of every struct reachable from the anchor library
# (plugin_api/abi/anchor.c), dumped by libabigail's abidw into the committed baseline jobcoach-abi.xml.
#
#   abi_gate.sh check ANCHOR.so BASELINE.xml  compares a build with the baseline; only appends pass
#   abi_gate.sh dump  ANCHOR.so BASELINE.xml  writes a new baseline (after an intended append, at a release)
#
# Exit codes: 0 compatible, 1 a change the evolution policy forbids, 2 the tools failed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
mode=${1:-}; anchor=${2:-}; baseline=${3:-}
if [ -z "$baseline" ] || [ ! -f "$anchor" ]; then
  echo "usage: abi_gate.sh check|dump ANCHOR.so BASELINE.xml" >&2; exit 2
fi
command -v abidiff >/dev/null || { echo "ABI gate: abidiff not found (Debian package abigail-tools)" >&2; exit 2; }
case $mode in
  dump)
    abidw --no-corpus-path --out-file "$baseline" "$anchor" || exit 2
    echo "ABI gate: baseline written to $baseline" ;;
  check)
    # 1. Types: abidiff's leaf changes, each of which must be an append.
    report=$(abidiff --leaf-changes-only "$baseline" "$anchor"); code=$?
    if (( code & 3 )); then echo "$report"; echo "ABI gate: abidiff failed (exit $code)"; exit 2; fi
    failed=0
    if (( code != 0 )); then
      echo "$report"
      awk -f "$here/append_only.awk" <<<"$report" || failed=1
    fi
    # 2. Names: each struct of the baseline is a prefix of today's, member by member (abidiff does not
    #    report a renamed member, which breaks every plugin's source).
    today=$(abidw --no-corpus-path "$anchor" | awk -f "$here/members.awk" | sort -u) || exit 2
    while read -r struct index name offset; do
      [ -n "$struct" ] || continue
      echo "ABI gate: $struct member #$index '$name' at bit $offset is gone, renamed or moved"; failed=1
    done < <(comm -23 <(awk -f "$here/members.awk" "$baseline" | sort -u) <(echo "$today"))
    if (( failed )); then echo "ABI gate: FAILED: the change breaks ABI 1 (see plugin_api/include/jobcoach/EVOLUTION.md)"; exit 1; fi
    if (( code == 0 )); then echo "ABI gate: the ABI is the baseline's"; exit 0; fi
    echo "ABI gate: compatible (only appends); refresh the baseline with 'abi_gate.sh dump' at the release" ;;
  *) echo "usage: abi_gate.sh check|dump ANCHOR.so BASELINE.xml" >&2; exit 2 ;;
esac
