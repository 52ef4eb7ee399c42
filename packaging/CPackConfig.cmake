# SPDX-License-Identifier: Apache-2.0
# Packages: DEB and TGZ, one per component (packaging/install.cmake says what each holds).
#   jobcoach      (runtime)      plugins, rule packs, jobcoach-demo, jobcoach-validate, docs
#   jobcoach-dev  (development)  C headers, C++ SDK, host runtime, CMake package, pkg-config file, example hosts
# In the build directory: `cpack -G DEB` or `cpack -G TGZ` (packaging/test-packages.sh builds and tries both).
set(CPACK_PACKAGE_NAME "jobcoach")
set(CPACK_PACKAGE_VENDOR "Jobcoach Rules")
set(CPACK_PACKAGE_CONTACT "Jobcoach Rules <support@jobcoach.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_COMPONENTS_ALL runtime development)
set(CPACK_COMPONENT_RUNTIME_DISPLAY_NAME "Jobcoach rule plugins and tools")
set(CPACK_COMPONENT_DEVELOPMENT_DISPLAY_NAME "Jobcoach plugin SDK and host runtime")
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS runtime)

set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)
set(CPACK_ARCHIVE_RUNTIME_FILE_NAME "jobcoach-${PROJECT_VERSION}-Linux-runtime")
set(CPACK_ARCHIVE_DEVELOPMENT_FILE_NAME "jobcoach-dev-${PROJECT_VERSION}-Linux-development")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "jobcoach")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME "jobcoach-dev")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION "libdevel")
# The shared libraries the binaries and plugins need, as dpkg-shlibdeps finds them.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
  "jobcoach (= ${PROJECT_VERSION}), libspdlog-dev, libsimdjson-dev, libboost-dev (>= 1.74), libssl-dev, libelf-dev, pkg-config")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SUGGESTS "cmake (>= 3.25), python3")
set(CPACK_STRIP_FILES ON)
include(CPack)
