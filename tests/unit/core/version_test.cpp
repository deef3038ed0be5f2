// core::kVersion is the version of project() in the top CMakeLists.txt.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/version.h"

namespace sgwatch::core {
namespace {

TEST(VersionTest, MatchesTheProjectVersion) {
  std::ifstream in(SGWATCH_SOURCE_DIR "/CMakeLists.txt");
  ASSERT_TRUE(in) << "cannot open the top CMakeLists.txt";
  std::stringstream text;
  text << in.rdbuf();
  std::string expected = "project(sgwatch VERSION " + std::string(kVersion) + " ";
  EXPECT_NE(text.str().find(expected), std::string::npos) << "CMakeLists.txt has no '" << expected << "'";
}

}  // namespace
}  // namespace sgwatch::core
