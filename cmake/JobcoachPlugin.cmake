# SPDX-License-Identifier: Apache-2.0
# jobcoach_add_plugin(<target> ID <id> NAME <name> OUTPUT_NAME <file name without .so> SCHEMES <scheme>...
#                     SOURCES <src>... [RULEPACKS <json>...] [LINK <lib>...] [DIRECTORY <subdir>] [OUTPUT_DIR <dir>]
#                     [VERSION <x.y.z>] [VENDOR <vendor>] [ABI_MAJOR <n>] [ABI_MINOR <n>] [VERSION_SCRIPT <map>]
#                     [NO_INSTALL])
# The plugin's identity is written here once: the manifest is made from it, and so is a header,
# jobcoach_plugin_identity.h, that the plugin's sources include for their descriptor (JC_PLUGIN_ID, _NAME,
# _VENDOR, _VERSION, and JC_PLUGIN_SCHEMES, the schemes as a list of string literals). VERSION defaults to the
# project's version, VENDOR to the project's name. The header's directory is the target's property
# JOBCOACH_IDENTITY_DIR, for a test that compiles the plugin's sources itself.
# ABI_MAJOR/ABI_MINOR: the host ABI the manifest says the plugin needs (default 1.0).
# VERSION_SCRIPT: another linker version script than cmake/plugin.map (only the tests' unsealed variants).
# Builds a sealed plugin: a MODULE with hidden visibility, a version script that exports only
# jc_plugin_entry_v1, -z defs (no unresolved symbols), static libraries' symbols kept local, and a manifest
# <OUTPUT_NAME>.plugin.json beside it. Rule packs are copied into rulepacks/ beside the library.
# The plugin is built into <OUTPUT_DIR>, by default ${JOBCOACH_PLUGIN_OUTPUT_DIR}/<DIRECTORY> (in an outside
# project: ${CMAKE_BINARY_DIR}/plugins/<DIRECTORY>, a directory a host can load), and installed (component
# runtime) into ${JOBCOACH_PLUGIN_SUBDIR}/<DIRECTORY> (default lib/jobcoach/plugins/<DIRECTORY>).
# Installed with the development package: find_package(jobcoach) makes this function available.
#
# Every file and directory of a plugin gets explicit permissions (0644 for data, 0755 for the library and the
# directories), in the build tree and when installed, whatever the umask and the modes of the source files
# (a release tarball's are 0664): the host refuses a plugin that others could have replaced.
set(JOBCOACH_CMAKE_DIR "${CMAKE_CURRENT_LIST_DIR}")
set(JOBCOACH_DATA_PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
set(JOBCOACH_EXECUTABLE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
if(NOT DEFINED CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS)
  set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS ${JOBCOACH_EXECUTABLE_PERMISSIONS})
endif()

# Creates each directory with mode 0755, whatever the umask.
function(jobcoach_make_trusted_directories)
  foreach(dir IN LISTS ARGN)
    file(MAKE_DIRECTORY "${dir}")
    file(CHMOD "${dir}" DIRECTORY_PERMISSIONS ${JOBCOACH_EXECUTABLE_PERMISSIONS})
  endforeach()
endfunction()

function(jobcoach_add_plugin target)
  cmake_parse_arguments(ARG "NO_INSTALL" "ID;NAME;OUTPUT_NAME;DIRECTORY;OUTPUT_DIR;ABI_MAJOR;ABI_MINOR;VERSION_SCRIPT;VERSION;VENDOR" "SCHEMES;SOURCES;RULEPACKS;LINK" ${ARGN})
  if(NOT ARG_DIRECTORY)
    set(ARG_DIRECTORY "${ARG_OUTPUT_NAME}")
  endif()
  foreach(required ID NAME OUTPUT_NAME SCHEMES SOURCES)
    if(NOT ARG_${required})
      message(FATAL_ERROR "jobcoach_add_plugin(${target}): ${required} is required")
    endif()
  endforeach()
  set(install_subdir "${JOBCOACH_PLUGIN_SUBDIR}")
  if(NOT install_subdir)
    set(install_subdir "lib/jobcoach/plugins")
  endif()
  if(ARG_OUTPUT_DIR)
    set(out_dir "${ARG_OUTPUT_DIR}")
  elseif(JOBCOACH_PLUGIN_OUTPUT_DIR)
    set(out_dir "${JOBCOACH_PLUGIN_OUTPUT_DIR}/${ARG_DIRECTORY}")
    jobcoach_make_trusted_directories("${JOBCOACH_PLUGIN_OUTPUT_DIR}") # the directory a host loads
  else()
    set(out_dir "${CMAKE_BINARY_DIR}/plugins/${ARG_DIRECTORY}")
    jobcoach_make_trusted_directories("${CMAKE_BINARY_DIR}/plugins")
  endif()
  jobcoach_make_trusted_directories("${out_dir}")
  if(NOT ARG_VERSION_SCRIPT)
    set(ARG_VERSION_SCRIPT "${JOBCOACH_CMAKE_DIR}/plugin.map")
  endif()
  add_library(${target} MODULE ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME "${ARG_OUTPUT_NAME}"
    LIBRARY_OUTPUT_DIRECTORY "${out_dir}"
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LINK_DEPENDS "${ARG_VERSION_SCRIPT}")
  target_link_options(${target} PRIVATE
    "-Wl,--version-script=${ARG_VERSION_SCRIPT}" "-Wl,-z,defs" "-Wl,--exclude-libs,ALL")
  target_link_libraries(${target} PRIVATE jobcoach::sdk ${ARG_LINK})

  # The identity header (see above).
  if(NOT ARG_VERSION)
    set(ARG_VERSION "${PROJECT_VERSION}")
  endif()
  if(NOT ARG_VERSION)
    set(ARG_VERSION "0.0.0")
  endif()
  if(NOT ARG_VENDOR)
    set(ARG_VENDOR "${PROJECT_NAME}")
  endif()
  set(JC_IDENTITY_SCHEMES "")
  foreach(s IN LISTS ARG_SCHEMES)
    if(JC_IDENTITY_SCHEMES)
      string(APPEND JC_IDENTITY_SCHEMES ", ")
    endif()
    string(APPEND JC_IDENTITY_SCHEMES "\"${s}\"")
  endforeach()
  set(identity_dir "${CMAKE_CURRENT_BINARY_DIR}/${target}-identity")
  file(CONFIGURE OUTPUT "${identity_dir}/jobcoach_plugin_identity.h" CONTENT
"/* Generated by jobcoach_add_plugin(${target}) from its CMakeLists.txt, where the plugin's identity is written
 * once; the manifest ${ARG_OUTPUT_NAME}.plugin.json is made from the same arguments. */
#pragma once
#define JC_PLUGIN_ID \"${ARG_ID}\"
#define JC_PLUGIN_NAME \"${ARG_NAME}\"
#define JC_PLUGIN_VENDOR \"${ARG_VENDOR}\"
#define JC_PLUGIN_VERSION \"${ARG_VERSION}\"
#define JC_PLUGIN_SCHEMES ${JC_IDENTITY_SCHEMES}
")
  target_include_directories(${target} PRIVATE "${identity_dir}")
  set_target_properties(${target} PROPERTIES JOBCOACH_IDENTITY_DIR "${identity_dir}")
  # The linker creates the library with the umask's mode (0775 under umask 002).
  add_custom_command(TARGET ${target} POST_BUILD COMMAND chmod 0755 "$<TARGET_FILE:${target}>" VERBATIM)

  if(NOT DEFINED ARG_ABI_MAJOR)
    set(ARG_ABI_MAJOR 1)
  endif()
  if(NOT DEFINED ARG_ABI_MINOR)
    set(ARG_ABI_MINOR 0)
  endif()
  set(JC_MANIFEST_ABI_MAJOR ${ARG_ABI_MAJOR})
  set(JC_MANIFEST_ABI_MINOR ${ARG_ABI_MINOR})
  set(JC_MANIFEST_SCHEMES "")
  foreach(s IN LISTS ARG_SCHEMES)
    if(JC_MANIFEST_SCHEMES)
      string(APPEND JC_MANIFEST_SCHEMES ", ")
    endif()
    string(APPEND JC_MANIFEST_SCHEMES "\"${s}\"")
  endforeach()
  configure_file("${JOBCOACH_CMAKE_DIR}/plugin.json.in" "${out_dir}/${ARG_OUTPUT_NAME}.plugin.json" @ONLY
    FILE_PERMISSIONS ${JOBCOACH_DATA_PERMISSIONS})

  if(ARG_RULEPACKS)
    jobcoach_make_trusted_directories("${out_dir}/rulepacks")
  endif()
  foreach(pack IN LISTS ARG_RULEPACKS)
    get_filename_component(pack_name "${pack}" NAME)
    configure_file("${pack}" "${out_dir}/rulepacks/${pack_name}" COPYONLY FILE_PERMISSIONS ${JOBCOACH_DATA_PERMISSIONS})
  endforeach()

  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION "${install_subdir}/${ARG_DIRECTORY}" COMPONENT runtime
      PERMISSIONS ${JOBCOACH_EXECUTABLE_PERMISSIONS})
    install(FILES "${out_dir}/${ARG_OUTPUT_NAME}.plugin.json" DESTINATION "${install_subdir}/${ARG_DIRECTORY}"
      COMPONENT runtime PERMISSIONS ${JOBCOACH_DATA_PERMISSIONS})
    if(ARG_RULEPACKS)
      install(FILES ${ARG_RULEPACKS} DESTINATION "${install_subdir}/${ARG_DIRECTORY}/rulepacks" COMPONENT runtime
        PERMISSIONS ${JOBCOACH_DATA_PERMISSIONS})
    endif()
  endif()
endfunction()
