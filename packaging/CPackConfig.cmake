# SPDX-License-Identifier: Apache-2.0
# Packages: DEB and TGZ, one per component (packaging/install.cmake says what each holds).
#   jobcoach      (runtime)      plugins, rule packs, jobcoach-demo, jobcoach-validate, docs
#   jobcoach-dev  (development)  C headers, C++ SDK, host runtime, CMake package, pkg-config file, example hosts
#   python3-jobcoach (python)    the Python package `jobcoach` (ctypes) for Python HR suites
#   tryton-modules-jobcoach (tryton)  the Tryton 6.0 module that runs the plugins inside Tryton
# In the build directory: `cpack -G DEB` or `cpack -G TGZ` (packaging/test-packages.sh builds and tries both).
set(CPACK_PACKAGE_NAME "jobcoach")
set(CPACK_PACKAGE_VENDOR "Jobcoach Rules")
set(CPACK_PACKAGE_CONTACT "Jobcoach Rules <support@jobcoach.example>")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_DIRECTORY "${PROJECT_BINARY_DIR}/packages")
set(CPACK_GENERATOR "DEB;TGZ")
set(CPACK_COMPONENTS_ALL runtime development python tryton)
set(CPACK_COMPONENT_RUNTIME_DISPLAY_NAME "Jobcoach rule plugins and tools")
set(CPACK_COMPONENT_DEVELOPMENT_DISPLAY_NAME "Jobcoach plugin SDK and host runtime")
set(CPACK_COMPONENT_DEVELOPMENT_DEPENDS runtime)
set(CPACK_COMPONENT_PYTHON_DISPLAY_NAME "Jobcoach rule plugins for Python hosts")
set(CPACK_COMPONENT_PYTHON_DEPENDS runtime)
set(CPACK_COMPONENT_TRYTON_DISPLAY_NAME "Jobcoach rule plugins inside Tryton")
set(CPACK_COMPONENT_TRYTON_DEPENDS python)
# The first line is the package's synopsis, the rest its extended description.
set(CPACK_COMPONENT_RUNTIME_DESCRIPTION "Dutch jobcoach rules as plugins for HR and payroll suites
Rule plugins that HR and payroll suites embed to apply the Dutch jobcoach
rules (UWV extern and intern, municipal schemes defined by rule packs):
hour budgets per period, reports due, trajectories that expire. Each finding
is explained in Dutch and English and cites its source. Every number of a
rule lives in a dated, cited rule pack.
.
This package holds the plugins and their rule packs, jobcoach-demo (replays
event files, prints findings, writes HTML, iCalendar and CSV reports) and
jobcoach-validate (the ABI conformance checks for a plugin file).")
set(CPACK_COMPONENT_DEVELOPMENT_DESCRIPTION "Jobcoach plugin SDK and host runtime
The C headers of the jobcoach plugin ABI (C11, no dependencies), the
header-only C++20 SDK for plugin authors, and the C++ host runtime that
discovers, checks, loads and drives plugins. With find_package(jobcoach)
support, jobcoach_add_plugin() for sealed plugins, a pkg-config file, and
example hosts in C and Python and an example plugin.")

set(CPACK_COMPONENT_PYTHON_DESCRIPTION "Python package for the jobcoach rule plugins
The Python package jobcoach drives the jobcoach rule plugins from a Python
HR suite (Tryton, Odoo, Frappe HR) through their C ABI with ctypes, with no
compiled extension: it loads the installed plugins with the loader's checks
and the version rule, hands them events as dicts, and gives findings with
their ids, one employee's findings, the change feed, status and erasure.
Errors are exceptions that carry the plugin's own message.")
set(CPACK_COMPONENT_TRYTON_DESCRIPTION "Tryton module for the jobcoach rule plugins
The Tryton module jobcoach runs the jobcoach rule plugins inside Tryton:
coaching grants, extensions, reports, absences and budget transfers as
records; timesheet lines on a jobcoaching work and employees' dates sent to
the plugins when a save commits; the findings as records kept up to date
from the plugins' change feed, on each employee's form, with a daily cron;
and erasure of an employee from the plugins.")

set(CPACK_ARCHIVE_COMPONENT_INSTALL ON)
set(CPACK_ARCHIVE_RUNTIME_FILE_NAME "jobcoach-${PROJECT_VERSION}-Linux-runtime")
set(CPACK_ARCHIVE_DEVELOPMENT_FILE_NAME "jobcoach-dev-${PROJECT_VERSION}-Linux-development")
set(CPACK_ARCHIVE_PYTHON_FILE_NAME "python3-jobcoach-${PROJECT_VERSION}-Linux-python")
set(CPACK_ARCHIVE_TRYTON_FILE_NAME "tryton-modules-jobcoach-${PROJECT_VERSION}-Linux-tryton")

set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION "misc")
set(CPACK_DEBIAN_RUNTIME_PACKAGE_NAME "jobcoach")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME "jobcoach-dev")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION "libdevel")
set(CPACK_DEBIAN_PYTHON_PACKAGE_NAME "python3-jobcoach")
set(CPACK_DEBIAN_PYTHON_PACKAGE_SECTION "python")
set(CPACK_DEBIAN_PYTHON_PACKAGE_ARCHITECTURE "all")
set(CPACK_DEBIAN_PYTHON_PACKAGE_DEPENDS "jobcoach (>= ${PROJECT_VERSION}), python3, python3-pyelftools")
set(CPACK_DEBIAN_TRYTON_PACKAGE_NAME "tryton-modules-jobcoach")
set(CPACK_DEBIAN_TRYTON_PACKAGE_SECTION "python")
set(CPACK_DEBIAN_TRYTON_PACKAGE_ARCHITECTURE "all")
set(CPACK_DEBIAN_TRYTON_PACKAGE_DEPENDS
  "python3, python3-jobcoach (= ${PROJECT_VERSION}), tryton-server (>= 6.0), tryton-server (<< 6.1), tryton-modules-company, tryton-modules-company-work-time, tryton-modules-timesheet")
# The shared libraries the binaries and plugins need, as dpkg-shlibdeps finds them.
set(CPACK_DEBIAN_RUNTIME_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS
  "jobcoach (= ${PROJECT_VERSION}), libspdlog-dev, libsimdjson-dev, libboost-dev (>= 1.74), libssl-dev, libelf-dev, pkg-config")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SUGGESTS "cmake (>= 3.25), python3")
set(CPACK_STRIP_FILES ON)
include(CPack)
