// The version sgwatch reports (--version, User-Agent, finding metadata). Kept equal to
// project(... VERSION ...) in the top CMakeLists.txt; tests/unit/core/version_test.cpp checks it.
#pragma once

#include <string_view>

namespace sgwatch::core {

inline constexpr std::string_view kVersion = "0.1.0";

}  // namespace sgwatch::core
