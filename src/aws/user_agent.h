// The User-Agent of sgwatch's own AWS calls: "sgwatch/<version>", the version being core::kVersion
// (core/version.h, kept equal to the CMake project's). Neighbours: client.h and imds.h send it.
#pragma once

#include <string>

namespace sgwatch::aws {

// "sgwatch/0.1.0"
const std::string& user_agent();

}  // namespace sgwatch::aws
