# SPDX-License-Identifier: Apache-2.0
# What `cmake --install` puts where, and so what the packages hold (packaging/CPackConfig.cmake).
#
# runtime:     bin/jobcoach-demo, bin/jobcoach-validate, lib/jobcoach/plugins/<plugin>/ (libraries, manifests,
#              rule packs; installed by jobcoach_add_plugin), share/jobcoach/samples, share/doc/jobcoach
# development: include/jobcoach (C ABI, C++ SDK, host runtime headers), lib/libjobcoach_host.a,
#              lib/cmake/jobcoach (find_package(jobcoach), jobcoach_add_plugin()), lib/pkgconfig/jobcoach.pc,
#              share/jobcoach/examples (the C and Python hosts)
include(CMakePackageConfigHelpers)

set_target_properties(jobcoach_api PROPERTIES EXPORT_NAME api)
set_target_properties(jobcoach_sdk PROPERTIES EXPORT_NAME sdk)
set_target_properties(jobcoach_host PROPERTIES EXPORT_NAME host)
install(TARGETS jobcoach_api jobcoach_sdk jobcoach_host EXPORT jobcoachTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT development
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY "${PROJECT_SOURCE_DIR}/plugin_api/host/include/jobcoach/host"
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/jobcoach COMPONENT development)

set(JOBCOACH_CMAKE_INSTALL_DIR "${CMAKE_INSTALL_LIBDIR}/cmake/jobcoach")
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
set(JOBCOACH_PC_DIR "${CMAKE_INSTALL_LIBDIR}/pkgconfig")
file(RELATIVE_PATH JOBCOACH_PC_TO_PREFIX "/prefix/${JOBCOACH_PC_DIR}" "/prefix")
configure_file("${CMAKE_CURRENT_LIST_DIR}/jobcoach.pc.in" "${PROJECT_BINARY_DIR}/packaging/jobcoach.pc" @ONLY)
install(FILES "${PROJECT_BINARY_DIR}/packaging/jobcoach.pc" DESTINATION "${JOBCOACH_PC_DIR}" COMPONENT development)

install(FILES "${PROJECT_SOURCE_DIR}/README.md" DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(DIRECTORY "${PROJECT_SOURCE_DIR}/docs/" DESTINATION ${CMAKE_INSTALL_DOCDIR} COMPONENT runtime)
install(FILES "${PROJECT_SOURCE_DIR}/plugin_api/include/jobcoach/EVOLUTION.md" DESTINATION ${CMAKE_INSTALL_DOCDIR} RENAME ABI-EVOLUTION.md COMPONENT development)
