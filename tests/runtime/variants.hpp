// Where each variant of the test plugin is built (tests/CMakeLists.txt).
#pragma once

#include <filesystem>
#include <string>

namespace {

inline std::filesystem::path variant_dir(const std::string &name)
{
    const bool hazardous = name == "crashes" || name == "hangs"; // kept out of the root that tests load whole
    return std::filesystem::path(hazardous ? JC_TEST_HAZARD_ROOT : JC_TEST_PLUGIN_ROOT) / name;
}
inline std::filesystem::path variant_manifest(const std::string &name) { return variant_dir(name) / ("test-" + name + ".plugin.json"); }
inline std::filesystem::path variant_library(const std::string &name) { return variant_dir(name) / ("test-" + name + ".so"); }

} // namespace
