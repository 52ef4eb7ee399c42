#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# expect_failure.sh REGEX COMMAND...: passes when COMMAND exits non-zero and its output matches REGEX.
# Proves that a gate fails on what it must catch.
set -uo pipefail
regex=$1; shift
output=$("$@" 2>&1); code=$?
echo "$output"
if [ "$code" -eq 0 ]; then echo "expect_failure: the command passed, but it must fail"; exit 1; fi
if ! grep -Eq -- "$regex" <<<"$output"; then echo "expect_failure: exit $code, but the output lacks /$regex/"; exit 1; fi
echo "expect_failure: failed as it must (exit $code)"
