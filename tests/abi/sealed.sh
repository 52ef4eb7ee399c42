#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Checks that each plugin library given is sealed:
#   1. its dynamic symbol table exports exactly jc_plugin_entry_v1 (the version node aside);
#   2. every symbol it needs resolves against the libraries it names (what -z defs guarantees at link time);
#   3. it bundles no copy of SQLite or spdlog: no such symbol is defined in it, exported or local.
# Prints one line per finding and exits 1 when any library fails.
set -uo pipefail
status=0
for lib in "$@"; do
  name=$(basename "$lib")
  failed=0
  if [ ! -f "$lib" ]; then echo "$name: no such file: $lib"; status=1; continue; fi
  exports=$(nm -D --defined-only "$lib" | awk '$2 != "A" { sub(/@.*/, "", $3); print $3 }' | sort)
  if [ "$exports" != "jc_plugin_entry_v1" ]; then
    echo "$name: exports $(echo "$exports" | tr '\n' ' ')(only jc_plugin_entry_v1 is allowed)"
    failed=1
  fi
  unresolved=$(LC_ALL=C ldd -r "$lib" 2>&1 | grep -o 'undefined symbol: [^ 	]*' | sort -u)
  if [ -n "$unresolved" ]; then
    echo "$name: $(echo "$unresolved" | tr '\n' ' ')(link with -z defs)"
    failed=1
  fi
  bundled=$( { nm --defined-only "$lib" 2>/dev/null; nm -D --defined-only "$lib"; } |
             awk '{ print $NF }' | grep -E '^sqlite3_|spdlog' | sort -u | head -5)
  if [ -n "$bundled" ]; then
    echo "$name: bundles a copy of SQLite or spdlog: $(echo "$bundled" | tr '\n' ' ')"
    failed=1
  fi
  if [ "$failed" -eq 0 ]; then echo "$name: sealed"; else status=1; fi
done
exit $status
