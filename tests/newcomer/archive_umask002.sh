#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The first README command as a newcomer meets it: the project from a release-style export (`git archive`,
# every file mode 0664 as a release tarball has them, extracted by root, who keeps those modes), configured and
# built under umask 002 (the default of Ubuntu users and of Debian users with user-private groups). The build's
# plugin directories, manifests, libraries and rule packs must get the modes the host's loader accepts, and the
# demo must run on the bundled sample with every plugin loaded. A fast configuration: a Debug build at -O0 without
# debug information, no tests, only the demo and the plugins. (An empty build type becomes RelWithDebInfo, whose
# -O2 -g came after the -O0 of CMAKE_CXX_FLAGS, and whose plugins are built twice, the second time with the profile
# of a training run: the test took 5 minutes. The modes come from the same CMake function either way.)
#   archive_umask002.sh SOURCE_DIR WORK_DIR
set -euo pipefail
source=$(cd "$1" && pwd)
work=$2
fail() { echo "FAILED: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work/src"
umask 002
if git -C "$source" rev-parse --git-dir >/dev/null 2>&1; then
  git -C "$source" archive HEAD | tar -x -C "$work/src"
  echo "the committed tree, exported with git archive"
else # already an export: copy it without its build directories, with the modes a tarball gives
  tar -C "$source" --exclude='./build' --exclude='./build-*' -cf - . | tar -x -C "$work/src"
fi
find "$work/src" -type f ! -name '*.sh' -exec chmod 0664 {} +
find "$work/src" -type d -exec chmod 0775 {} +
stat -c '%a %n' "$work/src/plugins/uwv/rulepacks/uwv-extern.json" "$work/src/cmake/plugin.json.in" | sed "s|$work/||"
cmake -S "$work/src" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DCMAKE_CXX_FLAGS_DEBUG=-O0 \
  -DCMAKE_C_FLAGS_DEBUG=-O0 -DJOBCOACH_PGO=OFF -DJOBCOACH_BUILD_TESTS=OFF >"$work/configure.log" 2>&1 ||
  { tail -n 30 "$work/configure.log" >&2; fail "configure"; }
cmake --build "$work/build" -j2 --target jobcoach-demo jobcoach_uwv jobcoach_gemeente >"$work/build.log" 2>&1 ||
  { tail -n 30 "$work/build.log" >&2; fail "build"; }
plugins="$work/build/lib/jobcoach/plugins"
bad=$(find "$plugins" \( -type d -o -type f \) -perm /022 -printf '%m %p\n')
[ -z "$bad" ] || fail "writable by group or others under umask 002: $bad"
stat -c '%a %n' "$plugins" "$plugins/uwv" "$plugins/uwv/jobcoach-uwv.so" "$plugins/uwv/jobcoach-uwv.plugin.json" \
  "$plugins/uwv/rulepacks" "$plugins/uwv/rulepacks/uwv-extern.json" | sed "s|$work/||"
"$work/build/bin/jobcoach-demo" plugins >"$work/plugins.txt" || { cat "$work/plugins.txt" >&2; fail "jobcoach-demo plugins"; }
[ "$(grep -c '^loaded' "$work/plugins.txt")" -eq 2 ] || { cat "$work/plugins.txt" >&2; fail "not both plugins loaded"; }
! grep -q '^refused' "$work/plugins.txt" || { cat "$work/plugins.txt" >&2; fail "a plugin was refused"; }
"$work/build/bin/jobcoach-demo" evaluate --events "$work/src/host_demo/samples/sample-events.jsonl" --as-of 2026-11-23 \
  --format table >"$work/table.txt" || fail "the demo on the sample"
findings=$("$work/build/bin/jobcoach-demo" evaluate --events "$work/src/host_demo/samples/sample-events.jsonl" \
  --as-of 2026-11-23 | wc -l)
[ "$findings" -gt 0 ] || fail "the demo printed no findings"
echo "both plugins loaded; the demo printed $findings findings on the sample"
rm -rf "$work"
