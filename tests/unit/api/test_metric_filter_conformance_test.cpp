// TestMetricFilter through the API agrees with `sgwatch test-pattern` on every line of the public
// filter-pattern conformance file (../shared/conformance/filter-patterns.jsonl, format: spec
// section 10). Each line becomes one signed JSON 1.1 `Logs_20140328.TestMetricFilter` request
// (filterPattern, logEventMessages = [the line's event]) sent through the Dispatcher to LogsApi.
// The answer is compared with what test-pattern computes for the line — the pattern engine call
// the conformance runners make (pattern::Matcher::compile and match; MetricFilter::create for a
// transformation) — and with the line's expectation:
//   * the pattern does not compile  <=> 400 InvalidParameterException (test-pattern: exit 2);
//   * it compiles: 200, and `matches` holds one entry (eventNumber 1, the event, the extracted
//     values) exactly when the event matches, as the line's `match` says;
//   * validity-only lines (no event) send test-pattern's probe message; their `valid` verdict is
//     the pattern's alone, or, for lines with a metric transformation (which TestMetricFilter does
//     not take), the pattern's together with MetricFilter::create's.
// Lines marked `uncertain` run like the others, as in tests/conformance.
#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <optional>
#include <stdexcept>

#include "api/logs_api.h"
#include "engine/logs_engine.h"
#include "pattern/pattern.h"
#include "support/conformance.h"
#include "unit/api/api_test_util.h"

namespace sgwatch::api {
namespace {

using namespace testing;
using ::sgwatch::testing::PatternVector;

// The message tests/conformance/cli_test_pattern_test.cpp gives test-pattern for lines without an
// event.
constexpr const char* kProbeMessage = "sgwatch validity probe";

// ApiHarness with the Logs engine on its store and LogsApi registered.
struct LogsHarness {
  explicit LogsHarness(std::int64_t now_ms) : h(now_ms) {
    auto opened = engine::LogsEngine::open(*h.store, *h.engine, h.clock,
                                           engine::LogsOptions{"us-west-2", "123456789012"});
    if (!opened) throw std::runtime_error("LogsEngine::open: " + opened.error());
    logs = std::move(*opened);
    logs_api = std::make_unique<LogsApi>(*logs);
    h.dispatcher->register_service(aws::Service::kLogs, *logs_api);
  }

  // A TestMetricFilter request as the AWS CLI sends it, signed now with the "logs" scope.
  aws::HttpResponse test_metric_filter(const std::string& pattern, const std::string& message) {
    const Json body{{"filterPattern", pattern}, {"logEventMessages", Json::array({message})}};
    aws::HttpRequest request = base_request("application/x-amz-json-1.1", body.dump());
    request.headers.insert(request.headers.begin() + 2,
                           {"X-Amz-Target", "Logs_20140328.TestMetricFilter"});
    return h.send(std::move(request), "logs");
  }

  ApiHarness h;
  std::unique_ptr<engine::LogsEngine> logs;
  std::unique_ptr<LogsApi> logs_api;
};

// What `sgwatch test-pattern` computes for a line (src/cli/test_pattern.cpp): whether the pattern
// compiles, whether the message matches and what it extracts, and, with the line's metric
// transformation, whether the filter can be created.
struct TestPatternVerdict {
  bool pattern_valid = false;
  std::string why;
  bool matched = false;
  std::map<std::string, std::string> extracted;
  std::optional<bool> filter_valid;  // lines with a metricValue
};

TestPatternVerdict test_pattern(const PatternVector& v, const std::string& message) {
  TestPatternVerdict out;
  auto matcher = pattern::Matcher::compile(v.pattern);
  out.pattern_valid = matcher.ok();
  if (!matcher.ok()) {
    out.why = matcher.error().describe();
    return out;
  }
  pattern::Subject subject(message);
  pattern::ExtractedValues extracted;
  out.matched = matcher->match(subject, &extracted);
  if (out.matched) out.extracted = std::map<std::string, std::string>(extracted.begin(), extracted.end());
  if (const auto transformation = ::sgwatch::testing::transformation_of(v)) {
    auto filter = pattern::MetricFilter::create(*matcher, {*transformation});
    out.filter_valid = filter.ok();
    if (!filter.ok()) out.why = filter.error().describe();
  }
  return out;
}

TEST(TestMetricFilterConformance, EveryLineAgreesWithTestPattern) {
  const std::vector<PatternVector> vectors = ::sgwatch::testing::load_pattern_vectors();
  ASSERT_GE(vectors.size(), 352u);
  LogsHarness harness(*core::parse_iso8601("2026-11-27T20:00:00Z") * 1000);

  std::size_t ran = 0, matched = 0, unmatched = 0, rejected = 0, uncertain = 0;
  for (const PatternVector& v : vectors) {
    SCOPED_TRACE(v.id + " pattern: " +
                 (v.pattern.size() > 160 ? v.pattern.substr(0, 160) + "..." : v.pattern));
    const std::string message = v.event.value_or(kProbeMessage);
    const TestPatternVerdict verdict = test_pattern(v, message);
    const aws::HttpResponse response = harness.test_metric_filter(v.pattern, message);
    ++ran;
    if (v.uncertain) ++uncertain;
    ASSERT_NE(response.find_header("Content-Type"), nullptr);
    EXPECT_EQ(*response.find_header("Content-Type"), "application/x-amz-json-1.1");
    const Json body = Json::parse(response.body, nullptr, false);
    ASSERT_TRUE(body.is_object()) << response.body;

    // The line's own expectation, as the conformance runners check it.
    if (v.valid.has_value()) {
      const bool accepted = verdict.pattern_valid && verdict.filter_valid.value_or(true);
      EXPECT_EQ(accepted, *v.valid) << verdict.why;
    }
    if (v.match.has_value()) {
      EXPECT_TRUE(verdict.pattern_valid) << verdict.why;
      EXPECT_EQ(verdict.matched, *v.match);
    }

    if (!verdict.pattern_valid) {
      ++rejected;
      EXPECT_EQ(response.status, 400) << response.body;
      EXPECT_EQ(error_code(response), "InvalidParameterException") << response.body;
      ASSERT_TRUE(body.contains("message")) << response.body;
      EXPECT_FALSE(body["message"].get<std::string>().empty());
      continue;
    }
    if (response.status != 200 || !body.contains("matches") || !body["matches"].is_array()) {
      ADD_FAILURE() << "expected a 200 answer with matches: " << response.status << " "
                    << response.body;
      continue;
    }
    const Json& matches = body["matches"];
    if (v.match.has_value()) {
      EXPECT_EQ(matches.size() == 1, *v.match) << response.body;
    }
    if (matches.size() != (verdict.matched ? 1u : 0u)) {
      ADD_FAILURE() << "test-pattern " << (verdict.matched ? "matches" : "does not match")
                    << ", the API answered " << response.body;
      continue;
    }
    if (!verdict.matched) {
      ++unmatched;
      continue;
    }
    ++matched;
    const Json& match = matches[0];
    EXPECT_EQ(match.at("eventNumber"), 1);
    EXPECT_EQ(match.at("eventMessage"), message);
    ASSERT_TRUE(match.at("extractedValues").is_object()) << response.body;
    EXPECT_EQ(match["extractedValues"], Json(verdict.extracted));
    if (v.row.contains("extracted")) {
      EXPECT_EQ(match["extractedValues"], v.row["extracted"]);
    }
  }
  EXPECT_EQ(ran, vectors.size());
  EXPECT_EQ(matched + unmatched + rejected, ran);
  // Every kind of answer occurs (the file holds matches, non-matches and invalid patterns).
  EXPECT_GT(matched, 0u);
  EXPECT_GT(unmatched, 0u);
  EXPECT_GT(rejected, 0u);
  std::printf("[ counts   ] %zu lines through TestMetricFilter: %zu one match, %zu no match, %zu "
              "InvalidParameterException; %zu marked uncertain\n",
              ran, matched, unmatched, rejected, uncertain);
}

// The API's answer for an invalid pattern carries the pattern engine's AWS message, as
// test-pattern prints it.
TEST(TestMetricFilterConformance, InvalidPatternMessageIsThePatternEnginesAwsMessage) {
  LogsHarness harness(*core::parse_iso8601("2026-11-27T20:00:00Z") * 1000);
  const aws::HttpResponse response = harness.test_metric_filter("ERR*", "ERROR");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code(response), "InvalidParameterException");
  auto matcher = pattern::Matcher::compile("ERR*");
  ASSERT_FALSE(matcher.ok());
  EXPECT_EQ(Json::parse(response.body).at("message"), matcher.error().aws_message);
}

}  // namespace
}  // namespace sgwatch::api
