#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Every tool, header and Python module the build and the tests use comes from a package that scripts/setup.sh
# installs, or from what a bare Debian 12 (debootstrap minbase: Essential and Priority "required" packages)
# already has: what the demo's build uses from `setup.sh` alone, the rest from `setup.sh --test`. A machine that
# happens to have more cannot hide a missing install step (`file`, which cpack's DEB generator needs, was one).
#   setup_check.sh SOURCE_DIR
set -euo pipefail
source=$1
demo_commands=(cmake ninja cc c++ gcc g++ pkg-config help2man gzip tar stat find runuser)
demo_files=(/usr/include/boost/dll.hpp /usr/include/sqlite3.h /usr/include/SQLiteCpp/SQLiteCpp.h
            /usr/include/spdlog/spdlog.h /usr/include/fmt/format.h /usr/include/simdjson.h /usr/include/CLI/CLI.hpp
            /usr/include/jansson.h /usr/include/libelf.h /usr/include/openssl/evp.h)
test_commands=(file dpkg-deb dpkg-shlibdeps dpkg-architecture strip nm abidw abidiff clang-14 clang++-14 chromium lintian
               script sha256sum trytond trytond-admin)
test_files=(/usr/bin/time /usr/bin/python3 /usr/share/tryton-sao/www/index.html /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf /usr/include/gtest/gtest.h
            /usr/include/gmock/gmock.h /usr/include/benchmark/benchmark.h)
for module in icalendar PIL elftools trytond proteus trytond.modules.timesheet; do
  test_files+=("$(/usr/bin/python3 -c "import $module, os; print(os.path.dirname($module.__file__))")")
done

# The package that installed each file, from one dpkg query for them all (one query a file took 20 s): merged
# /usr, so /usr/bin/gzip is dpkg's /bin/gzip, and each file's candidates are asked for, the file's own first.
declare -A owner_of_file=()
find_owners() {
  local f line path owner candidate i
  local -a candidates=()
  local -A owner_by_path=()
  for f in "$@"; do
    candidates+=("$f" "${f/#\/usr\/bin\//\/bin\/}" "${f/#\/usr\/sbin\//\/sbin\/}")
  done
  while IFS= read -r line; do
    case $line in diversion*) continue ;; esac
    path=/${line#*: /}
    owner=${line%%: /*}
    [ -n "${owner_by_path[$path]:-}" ] || owner_by_path[$path]=${owner%%:*} # (cut at an architecture: "libx:amd64")
  done < <(dpkg -S "${candidates[@]}" 2>/dev/null || true)
  for ((i = 0; i < ${#candidates[@]}; i += 3)); do
    for candidate in "${candidates[@]:i:3}"; do
      [ -z "${owner_by_path[$candidate]:-}" ] || { owner_of_file[${candidates[i]}]=${owner_by_path[$candidate]}; break; }
    done
  done
}
owner_of() { echo "${owner_of_file[$1]:-}"; } # the package that installed FILE (find_owners first), or nothing

failed=0
check() { # check "SETUP ARGS" FILE...: each FILE from a package of that list, its dependencies, or a bare Debian
  local args=$1 f owner base p
  shift
  local -a listed
  mapfile -t listed < <("$source/scripts/setup.sh" --list $args)
  local -A in_list=() pulled_in=()
  for p in "${listed[@]}"; do in_list[$p]=1; done
  while read -r p; do pulled_in[$p]=1; done < <(apt-cache depends --recurse --installed --no-recommends --no-suggests \
    --no-conflicts --no-breaks --no-replaces --no-enhances "${listed[@]}" 2>/dev/null | grep -v '^ ' | tr -d '<>')
  for f in "$@"; do
    owner=$(owner_of "$f")
    owner=${owner%%,*}
    if [ -z "$owner" ]; then
      echo "FAILED: $f belongs to no package (installed by hand?)" >&2; failed=$((failed + 1)); continue
    fi
    [ -z "${in_list[$owner]:-}" ] || continue
    [ -z "${pulled_in[$owner]:-}" ] || continue
    base=$(dpkg-query -W -f='${Essential} ${Priority}' "$owner")
    case $base in yes*|*required) continue ;; esac
    echo "FAILED: $f comes from $owner, which 'scripts/setup.sh $args' does not install (nor anything it lists)" >&2
    failed=$((failed + 1))
  done
  echo "scripts/setup.sh $args: ${#listed[@]} packages; $# tools, headers and modules checked"
}
paths() { local c; for c in "$@"; do readlink -f "$(command -v "$c")" || echo "/missing/$c"; done; }
mapfile -t demo_paths < <(paths "${demo_commands[@]}")
mapfile -t test_paths < <(paths "${test_commands[@]}")
find_owners "${demo_paths[@]}" "${demo_files[@]}" "${test_paths[@]}" "${test_files[@]}"
check "" "${demo_paths[@]}" "${demo_files[@]}"
check "--test" "${demo_paths[@]}" "${demo_files[@]}" "${test_paths[@]}" "${test_files[@]}"
[ "$failed" -eq 0 ] || exit 1
echo "each from scripts/setup.sh's lists or from a bare Debian 12"
