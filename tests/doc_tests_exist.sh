#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every test a document names exists: each `Suite.Name` (or `Suite.Prefix*`) in backticks must be a ctest of the
# build directory; Fuzz.<target> counts when FuzzReplay.<target> exists (the fuzz build is a separate preset).
#   doc_tests_exist.sh DOC BUILD_DIR
set -euo pipefail
doc=$1
build=$2
known=$(ctest --test-dir "$build" -N | sed -n 's/^ *Test *#[0-9]*: //p' | sed 's/  *# GetParam.*//; s/ *$//')
known+=$'\n'$(printf '%s\n' "$known" | sed -n 's/^FuzzReplay\./Fuzz./p')
names=$(grep -o '`[A-Z][A-Za-z0-9_/]*\.[A-Za-z0-9_/*]*`' "$doc" | tr -d '`' | sort -u)
[ -n "$names" ] || { echo "$doc names no test" >&2; exit 1; }
missing=0
count=0
while read -r name; do
  count=$((count + 1))
  if [[ $name == *'*' ]]; then
    prefix=${name%\*}
    grep -qF -- "$prefix" <<<"$(printf '%s\n' "$known" | cut -c1-${#prefix})" && continue
  else
    grep -qxF -- "$name" <<<"$known" && continue
  fi
  echo "$doc names $name, which is not a test" >&2
  missing=$((missing + 1))
done <<<"$names"
[ "$missing" -eq 0 ] || exit 1
echo "$count test names in $doc, all of them tests"
