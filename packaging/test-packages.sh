#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Builds the packages of a build directory, installs them into a staging prefix, and uses them from outside the
# source tree as a payroll vendor and a host developer would:
#   test-packages.sh BUILD_DIR SOURCE_DIR [WORK_DIR]
#  1. cpack: DEB and TGZ for the runtime, development, python and tryton components; the TGZ and DEB hold the same files;
#     lintian finds no error and no warning in the DEBs (copyright, changelog, descriptions, manual pages).
#  2. Both DEBs are unpacked into a staging prefix (dpkg-deb -x: no root, nothing on the machine changes).
#  3. The installed jobcoach-demo finds the installed plugins by itself and evaluates the installed sample.
#  4. find_package(jobcoach 1.0) finds the package, 0.9 and 2.0 do not (SameMajorVersion).
#  5. The example plugin, as the development package installs it (share/jobcoach/examples/plugin), is built
#     with find_package(jobcoach) and jobcoach_add_plugin() under umask 002 (an Ubuntu user's), gets the modes
#     the host needs whatever the umask, passes the installed jobcoach-validate and loads in the installed demo.
#  6. An external host (tests/external/host) is built with find_package(jobcoach) and jobcoach::host, and runs
#     the installed plugins and the external plugin.
#  7. The plain-C example host is built from the installed examples with pkg-config (jobcoach and jansson, which
#     the example parses its event files with), the Python example host is
#     run from them on the installed Python package (python3-jobcoach, with Debian's python3); both print the
#     installed jobcoach-demo's findings on the installed sample. The package finds the installed plugins itself.
#     The installed Tryton module (tryton-modules-jobcoach) passes Tryton's tests with the installed package,
#     plugins and jobcoach-demo.
#  8. The demo host (host_demo/, as a host developer copies it) is built against the staged jobcoach-dev alone,
#     with find_package(jobcoach): it needs no header or library of the plugins, and prints the installed
#     jobcoach-demo's findings and report.
set -euo pipefail
build=$(cd "$1" && pwd)
source=$(cd "$2" && pwd)
work=${3:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${3:-}" ] || trap 'rm -rf "$work"' EXIT
step() { echo "== $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }

step "1. packages"
rm -rf "$build/packages"
(cd "$build" && cpack -G "DEB;TGZ" >"$work/cpack.log" 2>&1) || { tail -n 30 "$work/cpack.log" >&2; fail "cpack"; }
shopt -s nullglob
debs=("$build"/packages/*.deb)
tgzs=("$build"/packages/*.tar.gz)
[ ${#debs[@]} -eq 4 ] && [ ${#tgzs[@]} -eq 4 ] || fail "expected 4 DEBs and 4 TGZs, got: $(ls "$build/packages")"
for deb in "${debs[@]}"; do
  echo "$(basename "$deb"): $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version), $(du -k "$deb" | cut -f1) KiB"
  echo "  Depends: $(dpkg-deb -f "$deb" Depends)"
done
deb_files=$(for d in "${debs[@]}"; do dpkg-deb -c "$d"; done | awk '$1 !~ /^d/ {sub(/^\.\/usr\//, "", $6); print $6}' | sort)
tgz_files=$(for t in "${tgzs[@]}"; do tar -tzf "$t"; done | grep -v '/$' | sed 's|^\./||' | sort)
[ "$deb_files" = "$tgz_files" ] || fail "the TGZs and DEBs hold different files: $(diff <(echo "$deb_files") <(echo "$tgz_files") | head)"
echo "DEB and TGZ hold the same $(echo "$deb_files" | wc -l) files"
arch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
for f in bin/jobcoach-demo bin/jobcoach-validate lib/jobcoach/plugins/uwv/jobcoach-uwv.so \
         lib/jobcoach/plugins/gemeente/rulepacks/vpw.json include/jobcoach/jobcoach.h include/jobcoach/sdk.hpp \
         include/jobcoach/host/runtime.hpp "lib/$arch/libjobcoach_host.a" "lib/$arch/cmake/jobcoach/jobcoachConfig.cmake" \
         "lib/$arch/cmake/jobcoach/jobcoachConfigVersion.cmake" "lib/$arch/cmake/jobcoach/JobcoachPlugin.cmake" \
         "lib/$arch/pkgconfig/jobcoach.pc" share/jobcoach/samples/sample-events.jsonl share/doc/jobcoach/README.md \
         share/jobcoach/examples/jobcoach-host-c.c share/jobcoach/examples/jobcoach_host.py \
         share/jobcoach/examples/plugin/CMakeLists.txt share/man/man1/jobcoach-demo.1.gz \
         share/man/man1/jobcoach-validate.1.gz share/doc/jobcoach/copyright share/doc/jobcoach/changelog.gz \
         share/doc/jobcoach-dev/copyright share/doc/jobcoach-dev/changelog.gz \
         lib/python3/dist-packages/jobcoach/__init__.py lib/python3/dist-packages/jobcoach/plugin.py \
         share/doc/python3-jobcoach/copyright share/doc/python3-jobcoach/changelog.gz \
         lib/python3/dist-packages/trytond/modules/jobcoach/tryton.cfg \
         lib/python3/dist-packages/trytond/modules/jobcoach/tests/test_jobcoach.py \
         share/doc/tryton-modules-jobcoach/copyright; do
  grep -qx "$f" <<<"$deb_files" || fail "the packages lack $f"
done
lintian --tag-display-limit 0 "${debs[@]}" >"$work/lintian.txt" 2>&1 || true
if grep -E '^[EW]: ' "$work/lintian.txt"; then fail "lintian finds errors or warnings in the DEBs"; fi
echo "lintian: no error and no warning in $(basename -a "${debs[@]}" | tr '\n' ' ')"

step "2. staging prefix"
stage="$work/stage"
rm -rf "$stage"
for deb in "${debs[@]}"; do dpkg-deb -x "$deb" "$stage"; done
prefix="$stage/usr"
echo "installed into $prefix"

step "3. the installed demo"
"$prefix/bin/jobcoach-demo" plugins | tee "$work/plugins.txt"
[ "$(grep -c '^loaded' "$work/plugins.txt")" -eq 2 ] || fail "the installed demo does not find both installed plugins"
sample="$prefix/share/jobcoach/samples/sample-events.jsonl"
"$prefix/bin/jobcoach-demo" evaluate --events "$sample" --as-of 2026-11-23 >"$work/demo.jsonl"
[ -s "$work/demo.jsonl" ] || fail "the installed demo printed no findings"
echo "installed jobcoach-demo: $(wc -l <"$work/demo.jsonl") findings as of 2026-11-23"

step "4. find_package(jobcoach) is SameMajorVersion"
mkdir -p "$work/src/probe"
cat >"$work/src/probe/CMakeLists.txt" <<'PROBE'
cmake_minimum_required(VERSION 3.25)
project(probe LANGUAGES CXX)
find_package(jobcoach ${WANT} QUIET)
message(STATUS "jobcoach ${WANT}: found=${jobcoach_FOUND} version=${jobcoach_VERSION}")
PROBE
for want in 1.0 0.9 2.0; do
  rm -rf "$work/build-probe"
  line=$(cmake -S "$work/src/probe" -B "$work/build-probe" -DWANT="$want" -DCMAKE_PREFIX_PATH="$prefix" | grep "jobcoach $want:")
  echo "$line"
  case "$want" in
  1.0) grep -q "found=1" <<<"$line" || fail "find_package(jobcoach 1.0) does not find the 1.x package" ;;
  *) grep -q "found=0" <<<"$line" || fail "find_package(jobcoach $want) accepts the 1.x package" ;;
  esac
done

step "5. the example plugin, built from the installed example under umask 002"
mkdir -p "$work/src"
rm -rf "$work/src/plugin" "$work/src/host" "$work/build-plugin" "$work/build-host"
cp -r "$prefix/share/jobcoach/examples/plugin" "$work/src/plugin"
cp -r "$source/tests/external/host" "$work/src/"
(
  umask 002
  cmake -S "$work/src/plugin" -B "$work/build-plugin" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$work/plugin.log"
  cmake --build "$work/build-plugin" -j2 >>"$work/plugin.log" 2>&1
) || { tail -n 30 "$work/plugin.log" >&2; fail "building the example plugin"; }
ext_plugins="$work/build-plugin/plugins"
ext_dir="$ext_plugins/example-contract-end"
modes=$(stat -c '%a %n' "$ext_plugins" "$ext_dir" "$ext_dir"/*.so "$ext_dir"/*.plugin.json | sed "s|$work/||")
echo "$modes"
[ "$(cut -d' ' -f1 <<<"$modes" | tr '\n' ' ')" = "755 755 755 644 " ] ||
  fail "under umask 002 the example plugin's files did not get the modes 755 (directories, library) and 644 (manifest)"
"$prefix/bin/jobcoach-validate" "$ext_dir" >"$work/validate.txt" 2>&1 || { cat "$work/validate.txt" >&2; fail "the example plugin fails jobcoach-validate"; }
tail -n 1 "$work/validate.txt"
"$prefix/bin/jobcoach-demo" plugins --plugins "$ext_plugins" >"$work/ext-plugins.txt" || { cat "$work/ext-plugins.txt" >&2; fail "the installed demo refuses the example plugin"; }
grep '^loaded' "$work/ext-plugins.txt"

step "6. an external host"
cmake -S "$work/src/host" -B "$work/build-host" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release >"$work/host.log"
cmake --build "$work/build-host" -j2 >>"$work/host.log" 2>&1 || { tail -n 30 "$work/host.log" >&2; fail "building the external host"; }
"$work/build-host/example-host" "$ext_plugins" | tee "$work/host.txt"
grep -q '^plugin nl.jobcoach.uwv: status 0' "$work/host.txt" || fail "the external host did not run the installed uwv plugin"
grep -q '^plugin nl.example.contract-end: status 0' "$work/host.txt" || fail "the external host did not run the external plugin"
grep -q '^finding nl.example.contract-end example.contract-end contract.ending E-2' "$work/host.txt" || fail "no finding from the external plugin"
grep -q '^finding nl.jobcoach.uwv ' "$work/host.txt" || fail "no finding from the installed uwv plugin"

step "7. the example hosts in C and Python, from the installed files"
export PKG_CONFIG_PATH="$prefix/lib/$arch/pkgconfig"
echo "pkg-config jobcoach: version $(pkg-config --modversion jobcoach), $(pkg-config --cflags --libs jobcoach)"
# shellcheck disable=SC2046
cc -std=c11 -O2 -o "$work/jobcoach-host-c" "$prefix/share/jobcoach/examples/jobcoach-host-c.c" \
  $(pkg-config --cflags --libs jobcoach jansson)
export PYTHONPATH="$prefix/lib/python3/dist-packages"
found=$(/usr/bin/python3 -c 'import jobcoach; p, r = jobcoach.load_plugins(); print(jobcoach.__file__, jobcoach.default_plugin_dir(), " ".join(x.id for x in p), len(r))')
echo "python3-jobcoach: $found"
[[ "$found" == "$prefix/lib/python3/dist-packages/jobcoach/__init__.py $prefix/lib/jobcoach/plugins nl.jobcoach.gemeente nl.jobcoach.uwv 0" ]] ||
  fail "the installed Python package does not load the installed plugins by itself"
JOBCOACH_TRYTON_MODULE="$prefix/lib/python3/dist-packages/trytond/modules/jobcoach" \
  JOBCOACH_PYTHON_DIR="$prefix/lib/python3/dist-packages" JC_TEST_DEMO="$prefix/bin/jobcoach-demo" PYTHONWARNINGS=ignore \
  /usr/bin/python3 "$source/host_demo/tryton/run_tests.py" >"$work/tryton.log" 2>&1 ||
  { tail -n 40 "$work/tryton.log" >&2; fail "the installed Tryton module fails Tryton's tests"; }
echo "tryton-modules-jobcoach: $(grep -E '^Ran ' "$work/tryton.log"), $(tail -n 1 "$work/tryton.log")"
for host in "$work/jobcoach-host-c" "/usr/bin/python3 $prefix/share/jobcoach/examples/jobcoach_host.py"; do
  $host --plugins "$(pkg-config --variable=plugindir jobcoach)" --events "$sample" --as-of 2026-11-23 >"$work/other.jsonl"
  cmp -s "$work/demo.jsonl" "$work/other.jsonl" || fail "$host: findings differ from the installed jobcoach-demo's"
  echo "${host##*/}: the same $(wc -l <"$work/other.jsonl") findings as jobcoach-demo"
done
step "8. the demo host, built from its sources against the installed development package"
rm -rf "$work/src/host_demo" "$work/build-demo"
cp -r "$source/host_demo" "$work/src/host_demo"
# (At -O0: this step shows that the sources build against the package and print the same; built for Release, they
# took a third of this test's time: 77 s against 52 s.)
cmake -S "$work/src/host_demo" -B "$work/build-demo" -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_CXX_FLAGS_DEBUG=-O0 -DCMAKE_C_FLAGS_DEBUG=-O0 >"$work/demo.log"
cmake --build "$work/build-demo" -j2 >>"$work/demo.log" 2>&1 || { tail -n 30 "$work/demo.log" >&2; fail "building host_demo against the package"; }
built="$work/build-demo/jobcoach-demo"
"$built" evaluate --plugins "$prefix/lib/jobcoach/plugins" --events "$sample" --as-of 2026-11-23 >"$work/built.jsonl"
cmp -s "$work/demo.jsonl" "$work/built.jsonl" || fail "the demo built from the package prints other findings than the installed one"
for format in html ics; do
  "$prefix/bin/jobcoach-demo" report --events "$sample" --as-of 2026-11-23 --format $format -o "$work/installed.$format"
  "$built" report --plugins "$prefix/lib/jobcoach/plugins" --events "$sample" --as-of 2026-11-23 --format $format -o "$work/built.$format"
  cmp -s "$work/installed.$format" "$work/built.$format" || fail "the demo built from the package writes another $format report"
done
echo "host_demo built against the package: the same $(wc -l <"$work/built.jsonl") findings, HTML report and calendar"
echo "packages: all checks passed"
