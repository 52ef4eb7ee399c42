# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` puts where, and so what the packages hold (packaging/CPackConfig.cmake).
#
# runtime:     bin/jobcoach-demo, bin/jobcoach-validate, lib/jobcoach/plugins/<plugin>/ (libraries, manifests,
#              rule packs; installed by jobcoach_add_plugin), share/jobcoach/samples, share/doc/jobcoach
# development: include/jobcoach (C ABI, C++ SDK, host runtime headers), lib/<arch>/libjobcoach_host.a,
#              lib/<arch>/cmake/jobcoach (find_package(jobcoach), jobcoach_add_plugin()),
#              lib/<arch>/pkgconfig/jobcoach.pc, share/jobcoach/examples (the C and Python hosts, a plugin)
# python:      lib/python3/dist-packages/jobcoach (the Python package on ctypes, for Python HR suites)
# tryton:      lib/python3/dist-packages/trytond/modules/jobcoach (the Tryton module, where Debian's Tryton looks)
# Each: share/doc/<package>/copyright and changelog.gz; the runtime's share/man/man1 pages.
# <arch> is the multiarch triplet (x86_64-linux-gnu), where Debian looks for architecture-dependent files.
include(CMakePackageConfigHelpers)

if(CMAKE_LIBRARY_ARCHITECTURE)
  set(JOBCOACH_ARCH_LIBDIR "lib/${CMAKE_LIBRARY_ARCHITECTURE}")
else()
  set(JOBCOACH_ARCH_LIBDIR "${CMAKE_INSTALL_LIBDIR}")
endif()

set_target_properties(jobcoach_api PROPERTIES EXPORT_NAME api)
set_target_properties(jobcoach_sdk PROPERTIES EXPORT_NAME sdk)
set_target_properties(jobcoach_host PROPERTIES EXPORT_NAME host)
install(TARGETS jobcoach_api jobcoach_sdk jobcoach_host EXPORT jobcoachTargets
  ARCHIVE DESTINATION ${JOBCOACH_ARCH_LIBDIR} COMPONENT development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/plugin_api/host/include/jobcoach/host"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/jobcoach COMPONENT development)

set(JOBCOACH_CMAKE_INSTALL_DIR "${JOBCOACH_ARCH_LIBDIR}/cmake/jobcoach")
install(EXPORT jobcoachTargets NAMESPACE jobcoach:: DESTINATION "${JOBCOACH_CMAKE_INSTALL_DIR}" COMPONENT development)
configure_package_config_file("${CMAKE_CURRENT_LIST_DIR}/jobcoachConfig.cmake.in"
  "${PROJECT_BINARY_DIR}/packaging/jobcoachConfig.cmake"
  INSTALL_DESTINATION "${JOBCOACH_CMAKE_INSTALL_DIR}"
  PATH_VARS JOBCOACH_PLUGIN_SUBDIR)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/packaging/jobcoachConfigVersion.cmake"
  COMPATIBILITY SameMajorVersion)
install(FILES "${PROJECT_BINARY_DIR}/packaging/jobcoachConfig.cmake"
  "${PROJECT_BINARY_DIR}/packaging/jobcoachConfigVersion.cmake"
  "${PROJECT_SOURCE_DIR}/cmake/JobcoachPlugin.cmake" "${PROJECT_SOURCE_DIR}/cmake/plugin.map"
  "${PROJECT_SOURCE_DIR}/cmake/plugin.json.in"
  DESTINATION "${JOBCOACH_CMAKE_INSTALL_DIR}" COMPONENT development)

# pkg-config: relocatable (the prefix is found from the .pc file's own place).
set(JOBCOACH_PC_DIR "${JOBCOACH_ARCH_LIBDIR}/pkgconfig")
file(RELATIVE_PATH JOBCOACH_PC_TO_PREFIX "/prefix/${JOBCOACH_PC_DIR}" "/prefix")
configure_file("${CMAKE_CURRENT_LIST_DIR}/jobcoach.pc.in" "${PROJECT_BINARY_DIR}/packaging/jobcoach.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/packaging/jobcoach.pc" DESTINATION "${JOBCOACH_PC_DIR}" COMPONENT development)

install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(FILES "${PROJECT_SOURCE_DIR}/plugin_api/include/jobcoach/EVOLUTION.md" DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/jobcoach-dev RENAME ABI-EVOLUTION.md COMPONENT development)

# What Debian policy asks of every package: its copyright and its changelog (gzip -9n, so that the bytes do not
# depend on the time of the build) in share/doc/<package>; manual pages, made from the --help texts.
set(JOBCOACH_CHANGELOG_GZ "${PROJECT_BINARY_DIR}/packaging/changelog.gz")
add_custom_command(OUTPUT "${JOBCOACH_CHANGELOG_GZ}"
  COMMAND gzip -9n -c "${CMAKE_CURRENT_LIST_DIR}/changelog" > "${JOBCOACH_CHANGELOG_GZ}"
  DEPENDS "${CMAKE_CURRENT_LIST_DIR}/changelog" VERBATIM)
find_program(JOBCOACH_HELP2MAN help2man REQUIRED)
set(JOBCOACH_MAN_PAGES)
foreach(tool_name "jobcoach-demo|replays HR events through the jobcoach rule plugins: findings, status and reports"
                  "jobcoach-validate|the ABI conformance checks, run on a plugin file")
  string(REPLACE "|" ";" tool_name "${tool_name}")
  list(GET tool_name 0 tool)
  list(GET tool_name 1 name)
  set(page "${PROJECT_BINARY_DIR}/man/${tool}.1.gz")
  add_custom_command(OUTPUT "${page}"
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${PROJECT_BINARY_DIR}/man"
    COMMAND "${JOBCOACH_HELP2MAN}" --no-info --no-discard-stderr --version-string=${PROJECT_VERSION}
            "--name=${name}" "--source=jobcoach ${PROJECT_VERSION}" --section=1 $<TARGET_FILE:${tool}>
            | gzip -9n > "${page}"
    DEPENDS ${tool} VERBATIM)
  list(APPEND JOBCOACH_MAN_PAGES "${page}")
endforeach()
add_custom_target(jobcoach_package_docs ALL DEPENDS "${JOBCOACH_CHANGELOG_GZ}" ${JOBCOACH_MAN_PAGES})
install(FILES ${JOBCOACH_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT runtime)
foreach(component_package "runtime|jobcoach" "development|jobcoach-dev" "python|python3-jobcoach"
                          "tryton|tryton-modules-jobcoach")
  string(REPLACE "|" ";" component_package "${component_package}")
  list(GET component_package 0 component)
  list(GET component_package 1 package)
  install(FILES "${CMAKE_CURRENT_LIST_DIR}/copyright" "${JOBCOACH_CHANGELOG_GZ}"
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package} COMPONENT ${component})
endforeach()

# The example plugin a vendor starts from (a sealed plugin built with find_package(jobcoach), which passes
# jobcoach-validate), beside the example hosts.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/tests/external/plugin/"
  DESTINATION ${CMAKE_INSTALL_DATADIR}/jobcoach/examples/plugin COMPONENT development)

# The Python package, where Debian's python3 finds packages (/usr/lib/python3/dist-packages), without byte code:
# python3 writes that itself where it may.
install(DIRECTORY "${PROJECT_SOURCE_DIR}/plugin_api/python/jobcoach" DESTINATION lib/python3/dist-packages
  COMPONENT python FILES_MATCHING PATTERN "*.py" PATTERN "__pycache__" EXCLUDE)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/host_demo/tryton/jobcoach" DESTINATION lib/python3/dist-packages/trytond/modules
  COMPONENT tryton PATTERN "__pycache__" EXCLUDE)
