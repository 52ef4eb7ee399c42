// SPDX-License-Identifier: Apache-2.0
// What the runtime tests share: where each variant of the test plugin is built (tests/CMakeLists.txt), and a
// runtime whose log the test can read.
#pragma once

#include <jobcoach/host/runtime.hpp>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>

namespace {

inline std::filesystem::path variant_dir(const std::string &name)
{
    const bool hazardous = name == "crashes" || name == "hangs"; // kept out of the root that tests load whole
    return std::filesystem::path(hazardous ? JC_TEST_HAZARD_ROOT : JC_TEST_PLUGIN_ROOT) / name;
}
inline std::filesystem::path variant_manifest(const std::string &name) { return variant_dir(name) / ("test-" + name + ".plugin.json"); }
inline std::filesystem::path variant_library(const std::string &name) { return variant_dir(name) / ("test-" + name + ".so"); }

// A runtime logging at debug level into `log`. `runtime` may be reset to unload everything.
struct LoggedRuntime {
    std::ostringstream log;
    std::shared_ptr<spdlog::logger> logger;
    std::unique_ptr<jobcoach::host::Runtime> runtime;

    LoggedRuntime()
        : logger(std::make_shared<spdlog::logger>("test", std::make_shared<spdlog::sinks::ostream_sink_mt>(log))),
          runtime(std::make_unique<jobcoach::host::Runtime>(logger))
    {
        logger->set_level(spdlog::level::debug);
    }
};

} // namespace
