#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Sets up a fresh Debian 12 machine, builds everything, and runs the whole test suite: first under
# AddressSanitizer + UndefinedBehaviorSanitizer (every test), then the concurrency tests under ThreadSanitizer,
# then each libFuzzer target for a short, fixed time (clang, the fuzz preset), then the plain build, whose ctest
# summary closes the output. JOBCOACH_SANITIZERS=0 skips the sanitizer runs, JOBCOACH_FUZZ=0 the fuzz targets.
set -euo pipefail
cd "$(dirname "$0")/.."
[ "${JOBCOACH_SETUP_DONE:-}" = 1 ] || scripts/setup.sh --test
. scripts/owner.sh
continue_as_checkout_owner "$0" "$@"
if [ "${JOBCOACH_SANITIZERS:-1}" != 0 ]; then
  presets=(asan tsan)
else
  presets=()
fi
[ "${JOBCOACH_FUZZ:-1}" = 0 ] || presets+=(fuzz)
require_writable_build_dirs build "${presets[@]/#/build-}"
if ((${#presets[@]})); then
  for preset in "${presets[@]}"; do
    echo "== $preset: build and test" >&2
    cmake --preset "$preset" >/dev/null
    log="build-$preset/run.log"
    cmake --build --preset "$preset" >"$log" 2>&1 || { tail -n 60 "$log"; exit 1; }
    ctest --preset "$preset" >"$log" 2>&1 || { tail -n 200 "$log"; exit 1; }
    [ "$preset" != fuzz ] || grep -E "^[0-9]+: stat::(number_of_executed_units|new_units_added)|Test +#[0-9]+: Fuzz\." "$log" >&2 || true
    tail -n 3 "$log" >&2
  done
fi
echo "== default: build and test" >&2
cmake --preset default -DJOBCOACH_BUILD_TESTS=ON >/dev/null
cmake --build --preset default
ctest --preset default
