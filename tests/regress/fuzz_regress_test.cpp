// Replays every saved fuzz input through the checks of the libFuzzer targets (fuzz/harness.h),
// so the plain g++ test run keeps found crashes fixed: the seed corpora fuzz/corpus/<t>/ and the
// minimized crashers fuzz/regressions/fuzz_<t>/, for t in parse and match. Passes with seeds only.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "../../fuzz/aws_harness.h"
#include "../../fuzz/harness.h"
#include "../../fuzz/notify_harness.h"
#include "../../fuzz/query_harness.h"
#include "../../fuzz/read_harness.h"
#include "../../fuzz/sg_harness.h"
#include "../../fuzz/sigv4_harness.h"
#include "../../fuzz/split_harness.h"

namespace {

namespace fs = std::filesystem;

const fs::path kFuzzDir = fs::path(SGWATCH_SOURCE_DIR) / "fuzz";

std::string read_bytes(const fs::path& path) {
  std::string bytes(static_cast<std::size_t>(fs::file_size(path)), '\0');
  std::ifstream in(path, std::ios::binary);
  in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return bytes;
}

// The regular files of `dir` (none when it does not exist), dot files left out, sorted.
std::vector<fs::path> inputs_in(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::is_directory(dir)) return out;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

template <class Run>
void replay(const std::vector<fs::path>& inputs, Run&& run) {
  for (const fs::path& path : inputs) {
    SCOPED_TRACE(path.string());
    const sgwatch::fuzz::Violation violation = run(read_bytes(path));
    EXPECT_FALSE(violation.has_value()) << path << ": " << violation.value_or("");
  }
}

// Every target with its harness: its seeds (fuzz/corpus/<name>) and its minimized crashers
// (fuzz/regressions/fuzz_<name>) are replayed.
struct Target {
  const char* name;
  sgwatch::fuzz::Violation (*run)(std::string_view);
};
constexpr Target kTargets[] = {
    {"parse", sgwatch::fuzz::run_parse},
    {"match", sgwatch::fuzz::run_match},
    {"split", sgwatch::fuzz::run_split},
    {"read", sgwatch::fuzz::run_read},
    {"sigv4", sgwatch::fuzz::run_sigv4},
    {"query", sgwatch::fuzz::run_query},
    {"notify", sgwatch::fuzz::run_notify},
    {"sg", sgwatch::fuzz::run_sg},
    {"aws", sgwatch::fuzz::run_aws},
};

TEST(FuzzRegress, SeedsAndRegressionsOfEveryTarget) {
  for (const Target& target : kTargets) {
    const auto seeds = inputs_in(kFuzzDir / "corpus" / target.name);
    EXPECT_FALSE(seeds.empty()) << "no seeds in " << kFuzzDir / "corpus" / target.name;
    replay(seeds, target.run);
    replay(inputs_in(kFuzzDir / "regressions" / (std::string("fuzz_") + target.name)), target.run);
  }
}

// A crasher saved under an unknown folder name would never be replayed.
TEST(FuzzRegress, EveryRegressionFolderBelongsToATarget) {
  const fs::path root = kFuzzDir / "regressions";
  if (!fs::is_directory(root)) return;
  for (const fs::directory_entry& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    const std::string name = entry.path().filename().string();
    const bool known = std::any_of(std::begin(kTargets), std::end(kTargets), [&](const Target& t) {
      return name == std::string("fuzz_") + t.name;
    });
    EXPECT_TRUE(known) << entry.path() << " belongs to no fuzz target";
  }
}

TEST(FuzzRegress, MatchInputSplitsAtTheFirstNewline) {
  const auto parts = sgwatch::fuzz::split_match_input("ERROR\nline one\nline two");
  EXPECT_EQ(parts.pattern, "ERROR");
  EXPECT_EQ(parts.event, "line one\nline two");
  const auto no_event = sgwatch::fuzz::split_match_input("ERROR");
  EXPECT_EQ(no_event.pattern, "ERROR");
  EXPECT_TRUE(no_event.event.empty());
}

// The oracle for JSON prefilters only works if the twin really compiles without a prefilter.
TEST(FuzzRegress, JsonPatternsHaveAnUnfilteredTwin) {
  auto matcher = sgwatch::pattern::Matcher::compile(
      "{ ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }");
  ASSERT_TRUE(matcher.ok());
  ASSERT_TRUE(matcher->prefilter().any_of.has_value());
  const auto twin = sgwatch::fuzz::detail::unfiltered_twin(*matcher);
  ASSERT_TRUE(twin.has_value());
  EXPECT_FALSE(twin->prefilter().any_of.has_value());
  EXPECT_TRUE(twin->matches(std::string_view(R"({"eventName":"DeleteSecurityGroup"})")));
  EXPECT_FALSE(twin->matches(std::string_view(R"({"eventName":"DescribeSecurityGroups"})")));
}

}  // namespace
