# SPDX-License-Identifier: Apache-2.0
# The training run of the plugins' profile (cmake/JobcoachPgo.cmake), as a host uses them: jobcoach-demo on the
# instrumented plugins over a generated tenant of 2,000 employees over 3 years (another seed and size than the
# benchmarks' tenant), each plugin's work written to the profile when the demo ends.
#   cmake -DDEMO=<jobcoach-demo> -DPLUGINS=<instrumented plugin dir> -DPROFILE=<profile dir> -DWORK=<scratch dir>
#         -DSTAMP=<file written when done> -P pgo_train.cmake
foreach(var DEMO PLUGINS PROFILE WORK STAMP)
  if(NOT ${var})
    message(FATAL_ERROR "pgo_train.cmake: -D${var}= is required")
  endif()
endforeach()

# A profile left from plugins built before would be merged with this one's counts, or refused as not theirs.
file(REMOVE_RECURSE "${PROFILE}" "${WORK}")
file(MAKE_DIRECTORY "${PROFILE}" "${WORK}")
file(WRITE "${WORK}/none.jsonl" "")

function(demo)
  execute_process(COMMAND "${DEMO}" ${ARGN} --plugins "${PLUGINS}" --no-progress
    OUTPUT_FILE "${WORK}/out.txt" ERROR_VARIABLE error RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "pgo_train.cmake: jobcoach-demo ${ARGV0} failed (${status}): ${error}")
  endif()
endfunction()

execute_process(COMMAND "${DEMO}" generate --employees 2000 --years 3 --seed 20261205 -o "${WORK}/tenant.jsonl"
  RESULT_VARIABLE status ERROR_VARIABLE error)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "pgo_train.cmake: jobcoach-demo generate failed (${status}): ${error}")
endif()
set(state --state "${WORK}/state")
# The import in batches and each plugin's evaluation of everyone (without explanations, as the demo prints by
# default), then again from the state with them, and the change feed at two dates.
demo(evaluate --events "${WORK}/tenant.jsonl" --as-of 2022-12-31 ${state} --batch-size 20000)
demo(evaluate --events "${WORK}/none.jsonl" --as-of 2022-12-31 ${state} --explain)
demo(changes --events "${WORK}/none.jsonl" --as-of 2022-06-30 ${state})
demo(changes --events "${WORK}/none.jsonl" --as-of 2022-12-31 ${state})
# Saves, as an HR suite makes them: one timesheet entry each, then that employee's findings.
foreach(n RANGE 1 1999 97)
  string(LENGTH "${n}" digits)
  math(EXPR zeros "7 - ${digits}")
  string(REPEAT "0" ${zeros} pad)
  set(employee "E-${pad}${n}")
  file(WRITE "${WORK}/save.jsonl" "{\"id\":\"${employee}-pgo\",\"employee\":\"${employee}\",\"date\":\"2022-12-30\","
                                  "\"type\":\"timesheet.logged\",\"minutes\":90,\"activity\":\"coaching\"}\n")
  demo(evaluate --events "${WORK}/save.jsonl" --as-of 2022-12-31 ${state} --employee "${employee}")
endforeach()

# Each plugin's rules and the engine they share must have written their counts.
foreach(expected "common#CMakeFiles#jobcoach_rules.dir#src#engine.cpp.gcda"
                 "uwv#CMakeFiles#jobcoach_uwv_rules.dir#src#uwv_extern.cpp.gcda"
                 "gemeente#CMakeFiles#jobcoach_gemeente_rules.dir#src#municipal.cpp.gcda")
  file(GLOB found "${PROFILE}/*${expected}")
  if(NOT found)
    file(GLOB written RELATIVE "${PROFILE}" "${PROFILE}/*")
    message(FATAL_ERROR "pgo_train.cmake: no profile ending in ${expected} in ${PROFILE} (written: ${written})")
  endif()
endforeach()
file(REMOVE_RECURSE "${WORK}")
file(GLOB written "${PROFILE}/*.gcda")
list(LENGTH written count)
file(WRITE "${STAMP}" "${count} profile files\n")
message(STATUS "The plugins' profile: ${count} files in ${PROFILE}")
