# SPDX-License-Identifier: Apache-2.0
# The shipped plugins are compiled with their trained profile (cmake/JobcoachPgo.cmake): each of their sources
# under plugins/ compiled with -fprofile-use, and the profile holds that object's counts under the name GCC
# looks for. GCC says nothing when it finds none (-Wno-missing-profile: a file the training does not reach may
# have none), so a naming that drifted between the two builds would silently give plugins without a profile.
# They are also compiled for link-time optimization (-flto=auto -ffat-lto-objects), and each module in MODULES
# (a list) was linked with it.
#   cmake -DBUILD_DIR=<build> -DSOURCE_DIR=<source> -DPROFILE=<profile dir> "-DMODULES=<a.so;b.so>" -P pgo_check.cmake
foreach(var BUILD_DIR SOURCE_DIR PROFILE)
  if(NOT ${var})
    message(FATAL_ERROR "pgo_check.cmake: -D${var}= is required")
  endif()
endforeach()
file(READ "${BUILD_DIR}/compile_commands.json" commands)
string(JSON count LENGTH "${commands}")
math(EXPR last "${count} - 1")
set(checked 0)
set(problems "")
foreach(i RANGE ${last})
  string(JSON file GET "${commands}" ${i} file)
  string(JSON command GET "${commands}" ${i} command)
  cmake_path(RELATIVE_PATH file BASE_DIRECTORY "${SOURCE_DIR}" OUTPUT_VARIABLE relative)
  # The plugins' own sources and the engine's; tests and fuzz targets compile some of them again, unprofiled.
  if(NOT relative MATCHES "^plugins/" OR NOT command MATCHES " -o plugins/")
    continue()
  endif()
  math(EXPR checked "${checked} + 1")
  if(NOT command MATCHES "-fprofile-use")
    string(APPEND problems "\n  ${relative}: compiled without -fprofile-use")
    continue()
  endif()
  if(NOT command MATCHES " -flto=auto " OR NOT command MATCHES " -ffat-lto-objects ")
    string(APPEND problems "\n  ${relative}: compiled without -flto=auto -ffat-lto-objects")
  endif()
  string(REGEX MATCH " -o ([^ ]+)\\.o " object "${command}")
  string(REPLACE "/" "#" gcda "${CMAKE_MATCH_1}.gcda")
  if(NOT EXISTS "${PROFILE}/${gcda}")
    string(APPEND problems "\n  ${relative}: no profile ${gcda} in ${PROFILE}")
  endif()
endforeach()
if(checked EQUAL 0)
  message(FATAL_ERROR "no source of the plugins in ${BUILD_DIR}/compile_commands.json")
endif()
# Each shipped module linked with link-time optimization: GCC names the functions it made local to the module's
# one unit "<name>.lto_priv.<n>" (a module linked without it, given -fno-lto say, has none).
set(modules 0)
foreach(module IN LISTS MODULES)
  math(EXPR modules "${modules} + 1")
  execute_process(COMMAND nm "${module}" OUTPUT_VARIABLE symbols RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    string(APPEND problems "\n  ${module}: nm failed (${status})")
  elseif(NOT symbols MATCHES "\\.lto_priv\\.")
    string(APPEND problems "\n  ${module}: linked without link-time optimization (no .lto_priv. symbol)")
  endif()
endforeach()
if(modules EQUAL 0)
  string(APPEND problems "\n  no module given (-DMODULES=)")
endif()
if(problems)
  message(FATAL_ERROR "of ${checked} sources and ${modules} modules of the plugins:${problems}")
endif()
message(STATUS "${checked} sources of the plugins compiled with their profile, each found in ${PROFILE}, for "
               "link-time optimization; ${modules} modules linked with it")
