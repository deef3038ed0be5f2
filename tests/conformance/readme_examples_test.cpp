// The commands shown in README.md and examples/README.md, run exactly as written (through
// /bin/sh, from the repository root, with the sgwatch under test first on PATH), so that the
// documentation cannot drift from the program.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/subprocess.h"

namespace sgwatch::testing {
namespace {

struct Block {
  std::string language;
  std::string text;
};

std::vector<Block> fenced_blocks(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << path;
  std::vector<Block> blocks;
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind("```", 0) == 0) {
      if (!inside) blocks.push_back({line.substr(3), ""});
      inside = !inside;
      continue;
    }
    if (inside) blocks.back().text += line + "\n";
  }
  return blocks;
}

ProcessResult run_shell(const std::string& command) {
  const std::string binary = sgwatch_binary();
  const std::string dir = binary.substr(0, binary.rfind('/'));
  return run_process({"/bin/sh", "-c",
                      "cd '" SGWATCH_SOURCE_DIR "' && PATH='" + dir + "':\"$PATH\" && " + command});
}

TEST(ReadmeExamples, TopLevelReadmeOutputIsExact) {
  const auto blocks = fenced_blocks(SGWATCH_SOURCE_DIR "/README.md");
  int checked = 0;
  for (std::size_t i = 0; i + 1 < blocks.size(); ++i) {
    if (blocks[i].language != "sh" || blocks[i].text.rfind("sgwatch ", 0) != 0) continue;
    if (blocks[i + 1].language != "json" && blocks[i + 1].language != "text") continue;
    const ProcessResult result = run_shell(blocks[i].text);
    EXPECT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, blocks[i + 1].text) << blocks[i].text;
    ++checked;
  }
  EXPECT_GE(checked, 2) << "README.md shows sgwatch commands followed by their exact output";
}

TEST(ReadmeExamples, ExamplesReadmeCommand) {
  const auto blocks = fenced_blocks(SGWATCH_SOURCE_DIR "/examples/README.md");
  ASSERT_FALSE(blocks.empty());
  ASSERT_EQ(blocks[0].language, "sh");
  const ProcessResult result = run_shell(blocks[0].text);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  std::vector<int> numbers;
  const nlohmann::json response = nlohmann::json::parse(result.out);
  for (const auto& match : response["matches"]) {
    numbers.push_back(match["eventNumber"].get<int>());
  }
  // As the README says: events 2, 4 and 5, and not the ModifySecurityGroupRules of event 3.
  EXPECT_EQ(numbers, (std::vector<int>{2, 4, 5})) << blocks[0].text;
  // Every further command followed by a text block prints exactly that text.
  int checked = 0;
  for (std::size_t i = 1; i + 1 < blocks.size(); ++i) {
    if (blocks[i].language != "sh" || blocks[i + 1].language != "text") continue;
    const ProcessResult shown = run_shell(blocks[i].text);
    EXPECT_EQ(shown.exit_code, 0) << shown.err;
    EXPECT_EQ(shown.out, blocks[i + 1].text) << blocks[i].text;
    ++checked;
  }
  EXPECT_GE(checked, 1) << "examples/README.md shows a scan of examples/cloudtrail with its output";
}

}  // namespace
}  // namespace sgwatch::testing
