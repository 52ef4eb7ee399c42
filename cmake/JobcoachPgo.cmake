# SPDX-License-Identifier: Apache-2.0
# Profile-guided optimization of the shipped rule plugins (GCC).
#
# Evaluating everyone runs every rule for every employee, in small branchy steps; GCC lays that code out and
# inlines it better when it knows which branches a real workload takes. With JOBCOACH_PGO on, the build:
#   1. builds the plugins once more, instrumented (-fprofile-generate), in <build>/pgo/build: only the rule
#      libraries and the two plugin modules, from this same source tree (an ExternalProject);
#   2. runs this build's jobcoach-demo on them over a generated tenant (cmake/pgo_train.cmake): an import, the
#      evaluation of everyone with and without explanations, the change feed, and saves (one entry, then that
#      employee's findings);
#   3. compiles the plugins of this build with the profile that wrote (-fprofile-use), in <build>/pgo/profile,
#      and links each plugin module with link-time optimization (-flto): the profile then guides inlining and
#      layout across the sources of a plugin too (a pass over everyone 2 % fewer instructions, its code 14 %
#      smaller; tests/bench/JOURNAL.md, "Link-time optimization with the profile").
# The profile's file names are the objects' paths relative to their build directory (-fprofile-prefix-path), so
# that both builds name them alike. A function the training did not run is compiled as without a profile
# (-fprofile-partial-training): a path the training does not take (an error, a rare rule) is not made slow.
# The training reruns when the instrumented plugins change, and the plugins are compiled again when it did.
#
# On by default for GCC builds of RelWithDebInfo or Release without sanitizers or fuzzing; -DJOBCOACH_PGO=OFF
# builds without (about two minutes less on two cores). JOBCOACH_PGO_GENERATE is set only in the instrumented
# build (the directory its profile goes to).

set(pgo_default OFF)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_BUILD_TYPE MATCHES "^(RelWithDebInfo|Release)$"
   AND NOT JOBCOACH_SANITIZE AND NOT JOBCOACH_FUZZ AND NOT CMAKE_CROSSCOMPILING)
  set(pgo_default ON)
endif()
option(JOBCOACH_PGO "Build the rule plugins with a profile trained on a generated tenant (GCC)" ${pgo_default})
# (JOBCOACH_PGO_GENERATE is not declared here: a cache entry declared INTERNAL is forced, and the instrumented
# build's own reconfiguring, after a change to a CMakeLists.txt, would then lose the value its -D gave.)

if(JOBCOACH_PGO_GENERATE)
  set(JOBCOACH_PGO OFF CACHE BOOL "" FORCE)
elseif(JOBCOACH_PGO AND NOT CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  message(WARNING "JOBCOACH_PGO needs GCC (the compiler is ${CMAKE_CXX_COMPILER_ID}): the plugins are built without a profile")
  set(JOBCOACH_PGO OFF CACHE BOOL "" FORCE)
endif()

if(JOBCOACH_PGO)
  include(ExternalProject)
  set(JOBCOACH_PGO_DIR "${PROJECT_BINARY_DIR}/pgo")
  set(JOBCOACH_PGO_PROFILE "${JOBCOACH_PGO_DIR}/profile")
  set(JOBCOACH_PGO_STAMP "${JOBCOACH_PGO_DIR}/profile.stamp")
  set(pgo_build "${JOBCOACH_PGO_DIR}/build")
  set(pgo_plugins "${pgo_build}/${JOBCOACH_PLUGIN_SUBDIR}")
  set(pgo_modules "${pgo_plugins}/uwv/jobcoach-uwv.so" "${pgo_plugins}/gemeente/jobcoach-gemeente.so")
  ExternalProject_Add(jobcoach_pgo_instrumented
    SOURCE_DIR "${PROJECT_SOURCE_DIR}"
    BINARY_DIR "${pgo_build}"
    CMAKE_ARGS
      "-DCMAKE_BUILD_TYPE=${CMAKE_BUILD_TYPE}"
      "-DCMAKE_C_COMPILER=${CMAKE_C_COMPILER}"
      "-DCMAKE_CXX_COMPILER=${CMAKE_CXX_COMPILER}"
      "-DCMAKE_C_FLAGS=${CMAKE_C_FLAGS}"
      "-DCMAKE_CXX_FLAGS=${CMAKE_CXX_FLAGS}"
      "-DCMAKE_INSTALL_PREFIX=${CMAKE_INSTALL_PREFIX}"
      "-DCMAKE_INSTALL_LIBDIR=${CMAKE_INSTALL_LIBDIR}"
      -DJOBCOACH_BUILD_TESTS=OFF
      "-DJOBCOACH_PGO_GENERATE=${JOBCOACH_PGO_PROFILE}"
    BUILD_COMMAND "${CMAKE_COMMAND}" --build <BINARY_DIR> --target jobcoach_uwv jobcoach_gemeente
    BUILD_ALWAYS TRUE # the source tree is this one: its own build tells what changed
    BUILD_BYPRODUCTS ${pgo_modules}
    INSTALL_COMMAND ""
    LOG_CONFIGURE TRUE # its configure's lines in a log file, shown only when it fails
    LOG_OUTPUT_ON_FAILURE TRUE
    EXCLUDE_FROM_ALL TRUE)
  add_custom_command(OUTPUT "${JOBCOACH_PGO_STAMP}"
    COMMAND "${CMAKE_COMMAND}" "-DDEMO=$<TARGET_FILE:jobcoach-demo>" "-DPLUGINS=${pgo_plugins}"
            "-DPROFILE=${JOBCOACH_PGO_PROFILE}" "-DWORK=${JOBCOACH_PGO_DIR}/training" "-DSTAMP=${JOBCOACH_PGO_STAMP}"
            -P "${PROJECT_SOURCE_DIR}/cmake/pgo_train.cmake"
    DEPENDS ${pgo_modules} jobcoach-demo "${PROJECT_SOURCE_DIR}/cmake/pgo_train.cmake"
    COMMENT "Training the rule plugins' profile (instrumented plugins on a generated tenant)"
    VERBATIM)
  add_custom_target(jobcoach_pgo_profile DEPENDS "${JOBCOACH_PGO_STAMP}")
  add_dependencies(jobcoach_pgo_profile jobcoach_pgo_instrumented)
  # The plugins' objects hold their code and their intermediate form (-ffat-lto-objects, below): a plugin
  # module (JOBCOACH_LTO, set by jobcoach_pgo_depend) links the intermediate form with link-time optimization,
  # and everything else that links the rule libraries (the tests, the benchmarks) their code, as without it.
  # GCC's linker plugin would otherwise optimize each test at its link as well (20 seconds a test binary on two
  # cores); and -fno-lto anywhere on a link turns it off, so a module must not get it.
  add_link_options("$<$<NOT:$<BOOL:$<TARGET_PROPERTY:JOBCOACH_LTO>>>:-fno-lto>")
endif()

# On x86, the copies' strategy of jobcoach_pgo_options (below): given to the compiler, and again to a module's
# link, where link-time optimization generates the code.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64|i.86)$")
  set(JOBCOACH_PGO_STRINGOP -mmemcpy-strategy=libcall:-1:noalign -mmemset-strategy=libcall:-1:noalign)
endif()

# The compile options of the plugins and the rule libraries under plugins/ (called there, before its targets).
function(jobcoach_pgo_options)
  if(JOBCOACH_PGO_GENERATE)
    # -g0: the instrumented plugins only train, and debug information changes no code (the profile's functions
    # match the build that uses it); it was a fifth to a third of their compiling (event_store.cpp 23.0 -> 15.6 s).
    add_compile_options(-fprofile-generate -fprofile-update=prefer-atomic "-fprofile-dir=${JOBCOACH_PGO_GENERATE}"
                        "-fprofile-prefix-path=${PROJECT_BINARY_DIR}" -g0)
    add_link_options(-fprofile-generate)
  elseif(JOBCOACH_PGO)
    # -Wno-restrict: at the inlining a profile brings, GCC 12 reports a false overlap inside std::string's
    # move assignment (GCC bug 105329).
    add_compile_options(-fprofile-use -fprofile-partial-training "-fprofile-dir=${JOBCOACH_PGO_PROFILE}"
                        "-fprofile-prefix-path=${PROJECT_BINARY_DIR}" -Wno-missing-profile -Wno-restrict)
    # A copy or fill of a size known only at run time stays a call to the C library's memcpy and memset. With
    # the profile, GCC's generic tuning expanded many of them inline, as `rep movsq` and `rep stosq` (587 `rep
    # movs` in the uwv plugin against 168 without the profile), whose start costs dozens of cycles: a finding's
    # short texts each paid it where they were packed (tests/bench/JOURNAL.md, "Copies left to the C library").
    add_compile_options(${JOBCOACH_PGO_STRINGOP}) # (empty on other processors)
    add_compile_options(-flto=auto -ffat-lto-objects)
  endif()
endfunction()

# Every library and module target of the given directories (under plugins/) compiled after the training, and
# again when it ran again.
function(jobcoach_pgo_depend)
  if(NOT JOBCOACH_PGO)
    return()
  endif()
  foreach(dir IN LISTS ARGN)
    get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
    foreach(target IN LISTS targets)
      get_target_property(type ${target} TYPE)
      if(NOT type MATCHES "^(STATIC_LIBRARY|SHARED_LIBRARY|MODULE_LIBRARY|OBJECT_LIBRARY)$")
        continue()
      endif()
      add_dependencies(${target} jobcoach_pgo_profile)
      if(type STREQUAL "MODULE_LIBRARY")
        # Link-time optimization generates the module's code at its link: at the rule libraries' -O3, with the
        # same copies left to the C library. At the inlining across sources GCC 12 warns of overlaps and sizes
        # that cannot be, inside std::string (-Wrestrict, GCC bug 105329, as above) and in the text format's copy
        # of a field (-Wstringop-overflow: a size of 2^64 - 2 on a path an empty field never takes).
        set_target_properties(${target} PROPERTIES JOBCOACH_LTO ON)
        target_link_options(${target} PRIVATE -flto=auto -O3 ${JOBCOACH_PGO_STRINGOP} -Wno-restrict
                            -Wno-stringop-overflow)
      endif()
      get_target_property(sources ${target} SOURCES)
      get_target_property(source_dir ${target} SOURCE_DIR)
      foreach(source IN LISTS sources)
        if(source MATCHES "\\.(c|cc|cpp|cxx)$")
          cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY "${source_dir}")
          set_property(SOURCE "${source}" TARGET_DIRECTORY ${target} APPEND PROPERTY OBJECT_DEPENDS "${JOBCOACH_PGO_STAMP}")
        endif()
      endforeach()
    endforeach()
  endforeach()
endfunction()
