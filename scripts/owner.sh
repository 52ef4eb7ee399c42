# SPDX-License-Identifier: Apache-2.0
# Sourced by demo.sh, test.sh and host_demo/tryton/demo.sh, after the set-up, in the project's root.
#
# A run as root (`sudo scripts/demo.sh`) in a checkout that belongs to someone else builds as that owner, so that
# build/ stays theirs and the plugins in it pass the host's owner check. A build directory this user cannot
# write (left by an earlier run as root) is explained instead of failing deep inside CMake.
continue_as_checkout_owner() { # continue_as_checkout_owner SCRIPT [ARGS...]: re-runs SCRIPT as the owner
  local owner
  owner=$(stat -c %U .)
  if [ "$(id -u)" -eq 0 ] && [ "$owner" != root ] && [ "${JOBCOACH_SETUP_DONE:-}" != 1 ]; then
    echo "$(basename "$1"): continuing as $owner, who owns this checkout (a build as root would leave build/ to root)" >&2
    exec runuser -u "$owner" -- env JOBCOACH_SETUP_DONE=1 "$@"
  fi
}

require_writable_build_dirs() { # require_writable_build_dirs DIR...
  local dir
  for dir in "$@"; do
    if [ -e "$dir" ] && [ ! -w "$dir" ]; then
      echo "$dir belongs to $(stat -c %U "$dir"), not to $(id -un) (left by a run as root?): remove it, or" \
           "sudo chown -R $(id -un) $dir" >&2
      exit 1
    fi
  done
}

build_without_tests() { # build_without_tests: the demo's build in build/ (a test build's cache keeps its tests)
  local tests=""
  # The cache keeps a test build's ON; a first configure here leaves the tests (and their packages) out.
  [ -f build/CMakeCache.txt ] || tests=-DJOBCOACH_BUILD_TESTS=OFF
  cmake --preset default ${tests} >/dev/null
  cmake --build --preset default
}
