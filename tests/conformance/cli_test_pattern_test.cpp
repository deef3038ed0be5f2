// Conformance through the binary: every line of filter-patterns.jsonl run as
// `sgwatch test-pattern` (CONTRACTS.md), checking exit status, matches, extractedValues,
// metricValue and dimensions in the printed TestMetricFilter response. Also the exact bytes the
// AWS CLI prints, from ../shared/fixtures/aws-wire/logs.TestMetricFilter.json.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>

#include "support/conformance.h"
#include "support/subprocess.h"

namespace sgwatch::testing {
namespace {

using Json = nlohmann::json;

// A file holding the messages as a JSON array (robust for messages starting with '-').
class TempFile {
 public:
  explicit TempFile(const std::string& content) {
    char name[] = "/tmp/sgwatch-test-XXXXXX";
    const int fd = mkstemp(name);
    if (fd < 0) throw std::runtime_error("mkstemp failed");
    close(fd);
    path_ = name;
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TempFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class TestPatternBinary : public ::testing::TestWithParam<PatternVector> {};

TEST_P(TestPatternBinary, Cli) {
  const PatternVector& v = GetParam();
  SCOPED_TRACE("pattern: " + v.pattern);
  const std::string message = v.event.value_or("sgwatch validity probe");
  TempFile messages(Json::array({message}).dump());
  std::vector<std::string> argv{sgwatch_binary(), "test-pattern", "--filter-pattern=" + v.pattern,
                                "--log-event-messages", "file://" + messages.path()};
  const auto transformation = transformation_of(v);
  if (transformation) {
    Json t{{"metricName", transformation->metric_name},
           {"metricNamespace", transformation->metric_namespace},
           {"metricValue", transformation->metric_value}};
    if (transformation->default_value) t["defaultValue"] = *transformation->default_value;
    if (!transformation->dimensions.empty()) {
      t["dimensions"] = Json::object();
      for (const auto& [name, ref] : transformation->dimensions) t["dimensions"][name] = ref;
    }
    argv.push_back("--metric-transformations");
    argv.push_back(Json::array({t}).dump());
  }
  const ProcessResult result = run_process(argv);

  if (v.valid.has_value() && !*v.valid) {
    EXPECT_EQ(result.exit_code, 2) << result.out;
    EXPECT_TRUE(result.out.empty()) << "nothing on stdout for an invalid pattern";
    EXPECT_EQ(result.err.rfind("sgwatch: ", 0), 0u) << result.err;
    return;
  }
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json response = Json::parse(result.out);
  ASSERT_TRUE(response.contains("matches"));
  if (v.valid.has_value()) return;

  const Json& matches = response["matches"];
  ASSERT_EQ(matches.size(), *v.match ? 1u : 0u) << result.out;
  if (!*v.match) return;
  const Json& m = matches[0];
  EXPECT_EQ(m["eventNumber"], 1);
  EXPECT_EQ(m["eventMessage"], message);
  ASSERT_TRUE(m["extractedValues"].is_object());
  if (v.row.contains("extracted")) {
    EXPECT_EQ(m["extractedValues"], v.row["extracted"]);
  } else if (v.pattern.find('[') != 0 && v.pattern.find_first_not_of(" \t") != std::string::npos &&
             v.pattern[v.pattern.find_first_not_of(" \t")] != '[') {
    EXPECT_TRUE(m["extractedValues"].empty()) << "{} for term, regex and JSON patterns";
  }
  if (transformation) {
    if (v.row.contains("value")) {
      EXPECT_DOUBLE_EQ(m["metricValue"].get<double>(), v.row["value"].get<double>());
    }
    if (v.row.contains("expectedDimensions")) {
      EXPECT_EQ(m["dimensions"], v.row["expectedDimensions"]);
    }
  } else {
    EXPECT_FALSE(m.contains("metricValue"));
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, TestPatternBinary, ::testing::ValuesIn(load_pattern_vectors()),
                         [](const ::testing::TestParamInfo<PatternVector>& param) {
                           return test_name(param.param.id);
                         });

// The fixture records what the real AWS CLI printed for a TestMetricFilter response.
TEST(TestPatternBinaryOutput, ByteIdenticalToAwsCli) {
  std::ifstream in(shared_dir() + "/fixtures/aws-wire/logs.TestMetricFilter.json");
  ASSERT_TRUE(in);
  const Json fixture = Json::parse(in);
  const Json request = Json::parse(fixture["requests"][0]["body"].get<std::string>());
  std::vector<std::string> argv{sgwatch_binary(), "test-pattern",
                                "--filter-pattern=" + request["filterPattern"].get<std::string>(),
                                "--log-event-messages"};
  for (const auto& message : request["logEventMessages"]) argv.push_back(message.get<std::string>());
  const ProcessResult result = run_process(argv);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, fixture["cli_result"]["stdout"].get<std::string>());
}

TEST(TestPatternBinaryOutput, NoMatchesPrintsEmptyList) {
  const ProcessResult result = run_process(
      {sgwatch_binary(), "test-pattern", "--filter-pattern", "ERROR", "--log-event-messages", "ok"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "{\n    \"matches\": []\n}\n");
}

TEST(TestPatternBinaryOutput, InvalidPatternIsOneErrorLine) {
  const ProcessResult result = run_process({sgwatch_binary(), "test-pattern", "--filter-pattern",
                                            "ERR*", "--log-event-messages", "ERROR"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            "sgwatch: invalid filter pattern: byte 3: Invalid character(s) in term '*' (term "
            "patterns have no wildcard; a term already matches anywhere inside the message; near "
            "'*')\n");
}

TEST(TestPatternBinaryOutput, MessagesFromFileAndShorthandTransformation) {
  TempFile messages(R"(["{\"latency\":50}", "{\"latency\":\"x\"}", "no json"])");
  const ProcessResult result = run_process(
      {sgwatch_binary(), "test-pattern", "--filter-pattern", "{ $.latency = * }",
       "--log-event-messages", "file://" + messages.path(), "--metric-transformations",
       "metricName=Latency,metricNamespace=App,metricValue=$.latency,unit=Milliseconds"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json response = Json::parse(result.out);
  ASSERT_EQ(response["matches"].size(), 2u);
  EXPECT_EQ(response["matches"][0]["metricValue"], 50);
  EXPECT_TRUE(response["matches"][1]["metricValue"].is_null());
  EXPECT_EQ(response["matches"][1]["eventNumber"], 2);
}

TEST(TestPatternBinaryOutput, BadMessagesFileIsAnError) {
  TempFile messages("[1, 2]");
  const ProcessResult result =
      run_process({sgwatch_binary(), "test-pattern", "--filter-pattern", "x",
                   "--log-event-messages", "file://" + messages.path()});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_NE(result.err.find("every element must be a string"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace sgwatch::testing

namespace sgwatch::testing {
namespace {

// Like the AWS CLI, every parameter may be read from a file with file://.
TEST(TestPatternBinaryOutput, FilterPatternFromFile) {
  TempFile pattern("{ $.eventName = CreateSecurityGroup }");
  const ProcessResult result =
      run_process({sgwatch_binary(), "test-pattern", "--filter-pattern", "file://" + pattern.path(),
                   "--log-event-messages", R"({"eventName":"CreateSecurityGroup"})", "x"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(Json::parse(result.out)["matches"].size(), 1u);
}

// Messages that begin with '-' or look like "[a,b]" stay single messages.
TEST(TestPatternBinaryOutput, ListValuesAreTakenVerbatim) {
  const ProcessResult result =
      run_process({sgwatch_binary(), "test-pattern", "--filter-pattern=-ERROR",
                   "--log-event-messages", "-x", "[a,b]", "ERROR"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const Json matches = Json::parse(result.out)["matches"];
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0]["eventMessage"], "-x");
  EXPECT_EQ(matches[1]["eventMessage"], "[a,b]");
}

}  // namespace
}  // namespace sgwatch::testing
