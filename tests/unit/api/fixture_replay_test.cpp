// Replays every CloudWatch and STS request the AWS CLIs put on the wire
// (../shared/fixtures/aws-wire: CLI 2.9.19 in awsQuery, and the awscli-1.45.11 folder, whose
// CloudWatch requests are JSON 1.0) through the Dispatcher exactly as captured — same bytes, same
// signature, the clock set to the signing time — after setting up the state each case needs.
// The answer must be what the CLI accepted: the fixture's status, protocol (Content-Type), error
// code, and the same member structure; where ids and times are not involved, the same values
// and, for XML, the same element order.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>

#include "aws/amz_date.h"
#include "unit/api/api_test_util.h"

namespace sgwatch::api {
namespace {

using namespace testing;
namespace fs = std::filesystem;

const fs::path kWireDir = fs::path(SGWATCH_SHARED_DIR) / "fixtures" / "aws-wire";
constexpr const char* kCliV1Folder = "awscli-1.45.11-botocore-1.43.11";

struct Fixture {
  std::string label;  // "cli-2.9.19/cloudwatch.DescribeAlarms"
  std::string base;   // "cloudwatch.DescribeAlarms"
  Json data;
};

std::vector<Fixture> load_fixtures() {
  std::vector<Fixture> out;
  for (const auto& [dir, version] :
       {std::pair{kWireDir, std::string("cli-2.9.19")},
        std::pair{kWireDir / kCliV1Folder, std::string("cli-1.45.11")}}) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      const std::string base = entry.path().stem().string();
      if (entry.path().extension() != ".json") continue;
      if (!base.starts_with("cloudwatch.") && !base.starts_with("sts.")) continue;
      std::string text(static_cast<std::size_t>(fs::file_size(entry.path())), '\0');
      std::ifstream in(entry.path(), std::ios::binary);
      in.read(text.data(), static_cast<std::streamsize>(text.size()));
      out.push_back({version + "/" + base, base, Json::parse(text, nullptr, false)});
    }
  }
  std::sort(out.begin(), out.end(),
            [](const Fixture& a, const Fixture& b) { return a.label < b.label; });
  return out;
}

aws::HttpRequest captured_request(const Json& r) {
  aws::HttpRequest request;
  request.method = r.at("method").get<std::string>();
  request.path = r.at("path").get<std::string>();
  for (const Json& header : r.at("headers")) {
    request.headers.push_back({header.at(0).get<std::string>(), header.at(1).get<std::string>()});
  }
  request.body = r.at("body").get<std::string>();
  return request;
}

aws::HttpResponse captured_response(const Json& r) {
  aws::HttpResponse response;
  response.status = r.at("status").get<int>();
  for (const Json& header : r.at("headers")) {
    response.headers.push_back({header.at(0).get<std::string>(), header.at(1).get<std::string>()});
  }
  response.body = r.at("body").get<std::string>();
  return response;
}

// The member structure of a loose value: objects keep their keys, lists become one element
// merging every element's structure, scalars their kind.
Json structure(const Json& value) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, item] : value.items()) out[key] = structure(item);
    return out;
  }
  if (value.is_array()) {
    Json merged = nullptr;
    for (const Json& item : value) {
      const Json shape = structure(item);
      if (merged.is_object() && shape.is_object()) {
        merged.update(shape);
      } else {
        merged = shape;
      }
    }
    return Json::array({merged});
  }
  if (value.is_null()) return "empty";
  if (value.is_boolean()) return "boolean";
  if (value.is_number()) return "number";
  return "string";
}

// Values without the members that hold times and generated ids; lists sorted.
Json comparable(const Json& value) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, item] : value.items()) {
      if (key.ends_with("Timestamp") || key == "UserId") continue;
      out[key] = comparable(item);
    }
    return out;
  }
  if (value.is_array()) {
    std::vector<Json> items;
    for (const Json& item : value) items.push_back(comparable(item));
    std::sort(items.begin(), items.end(),
              [](const Json& a, const Json& b) { return a.dump() < b.dump(); });
    return Json(items);
  }
  return value;
}

std::vector<std::string> element_names(const std::string& xml) {
  std::vector<std::string> out;
  for (std::size_t at = xml.find('<'); at != std::string::npos; at = xml.find('<', at + 1)) {
    if (xml[at + 1] == '/' || xml[at + 1] == '?') continue;
    const std::size_t end = xml.find_first_of(" />", at + 1);
    out.push_back(xml.substr(at + 1, end - at - 1));
  }
  return out;
}

const std::int64_t kCreated = *core::parse_iso8601("2026-11-27T20:00:00Z");

alarms::AlarmDefinition seed_definition() {
  return *alarms::parse_put_metric_alarm(
      Json{{"AlarmName", "SecurityGroupChangesAlarm"},
           {"AlarmDescription", "Alert on security group changes"},
           {"AlarmActions", {"arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges"}},
           {"MetricName", "SecurityGroupEventCount"},
           {"Namespace", "CISBenchmark"},
           {"Statistic", "Sum"},
           {"Period", 300},
           {"EvaluationPeriods", 1},
           {"Threshold", 1.0},
           {"ComparisonOperator", "GreaterThanOrEqualToThreshold"}});
}

store::Datapoint point(std::vector<std::pair<std::string, std::string>> dimensions,
                       std::int64_t time, double value) {
  store::Datapoint d;
  d.key = metrics::SeriesKey{"CISBenchmark", "SecurityGroupEventCount", std::move(dimensions)};
  d.time = time;
  d.values.add(value, true);
  return d;
}

// The state a fixture's response describes, built through the engine before the replay.
void set_up(const std::string& base, ApiHarness& h) {
  const auto operation = base.substr(0, base.find('.', base.find('.') + 1));
  const bool error_case = base.find(".error-") != std::string::npos;
  if (operation == "cloudwatch.DescribeAlarms" ||
      (operation == "cloudwatch.SetAlarmState" && !error_case) ||
      operation == "cloudwatch.DeleteAlarms") {
    h.clock.set(kCreated * 1000);
    ASSERT_TRUE(h.engine->put_alarm(seed_definition()).ok());
  } else if (operation == "cloudwatch.DescribeAlarmHistory") {
    h.clock.set(kCreated * 1000);
    ASSERT_TRUE(h.engine->put_alarm(seed_definition()).ok());
    h.clock.set((kCreated + 300) * 1000);
    ASSERT_TRUE(h.engine
                    ->set_alarm_state("SecurityGroupChangesAlarm", alarms::AlarmState::kAlarm,
                                      "Threshold Crossed", std::nullopt)
                    .ok());
  } else if (operation == "cloudwatch.GetMetricStatistics") {
    const std::int64_t midnight = *core::parse_iso8601("2026-11-27T00:00:00Z");
    h.clock.set((midnight + 600) * 1000);
    const std::vector<store::Datapoint> data{
        point({{"LogGroup", "my-log-group"}}, midnight + 10, 1),
        point({{"LogGroup", "my-log-group"}}, midnight + 310, 1),
        point({{"LogGroup", "my-log-group"}}, midnight + 320, 1)};
    ASSERT_TRUE(h.engine->add_datapoints(data).ok());
  } else if (operation == "cloudwatch.ListMetrics") {
    h.clock.set(kCreated * 1000);
    const std::vector<store::Datapoint> data{point({}, kCreated - 60, 1)};
    ASSERT_TRUE(h.engine->add_datapoints(data).ok());
  }
}

// Cases whose answers carry no generated values but times and ids: compared value by value.
bool values_comparable(const std::string& base) {
  return base == "cloudwatch.DescribeAlarms" || base == "cloudwatch.ListMetrics" ||
         base == "cloudwatch.GetMetricStatistics" || base == "sts.GetCallerIdentity";
}

TEST(FixtureReplay, EveryCloudWatchAndStsFixtureOfBothClisIsAnsweredAsTheCliAccepted) {
  const std::vector<Fixture> fixtures = load_fixtures();
  ASSERT_GE(fixtures.size(), 26u) << "fixtures missing in " << kWireDir;
  std::set<std::string> operations;
  for (const Fixture& f : fixtures) {
    SCOPED_TRACE(f.label);
    ASSERT_FALSE(f.data.is_discarded());
    const Json& exchange = f.data.at("requests").at(0);
    const aws::HttpRequest request = captured_request(exchange);
    const aws::HttpResponse expected = captured_response(exchange.at("response"));
    const std::int64_t signed_at = *aws::parse_amz_date(*request.find_header("X-Amz-Date"));

    ApiHarness h(signed_at * 1000);
    set_up(f.base, h);
    h.clock.set(signed_at * 1000);
    aws::StaticSecrets nobody;
    Dispatcher strangers(nobody, h.clock);
    const bool unknown_key = f.base.ends_with("error-InvalidClientTokenId");
    const aws::HttpResponse response =
        unknown_key ? strangers.dispatch(request) : h.dispatcher->dispatch(request);
    operations.insert(f.data.at("operation").get<std::string>());

    EXPECT_EQ(response.status, expected.status) << response.body;
    ASSERT_NE(response.find_header("Content-Type"), nullptr);
    EXPECT_EQ(*response.find_header("Content-Type"), *expected.find_header("Content-Type"));
    ASSERT_NE(response.find_header("x-amzn-RequestId"), nullptr);
    EXPECT_EQ(response.find_header("x-amzn-RequestId")->size(), 36u);
    if (expected.status >= 300) {
      EXPECT_EQ(error_code(response), error_code(expected)) << response.body;
      if (const std::string* query_error = expected.find_header("x-amzn-query-error")) {
        ASSERT_NE(response.find_header("x-amzn-query-error"), nullptr);
        EXPECT_EQ(*response.find_header("x-amzn-query-error"), *query_error);
        EXPECT_EQ(Json::parse(response.body).at("__type"), Json::parse(expected.body).at("__type"));
      }
      continue;
    }
    const Json ours = loose_output(response);
    const Json theirs = loose_output(expected);
    EXPECT_EQ(structure(ours), structure(theirs)) << "ours:   " << ours << "\ntheirs: " << theirs;
    if (values_comparable(f.base)) {
      EXPECT_EQ(comparable(ours), comparable(theirs));
      if (f.base.starts_with("cloudwatch.") && expected.body.starts_with("<")) {
        EXPECT_EQ(element_names(response.body), element_names(expected.body)) << response.body;
      }
    }
  }
  // Every CloudWatch operation the CLIs were captured with, and STS.
  EXPECT_EQ(operations,
            (std::set<std::string>{"DeleteAlarms", "DescribeAlarmHistory", "DescribeAlarms",
                                   "GetCallerIdentity", "GetMetricStatistics", "ListMetrics",
                                   "PutMetricAlarm", "SetAlarmState"}));
}

TEST(FixtureReplay, AReplayedRequestIsRejectedOnceItsSignatureIsStale) {
  for (const Fixture& f : load_fixtures()) {
    if (f.base != "cloudwatch.DescribeAlarms") continue;
    SCOPED_TRACE(f.label);
    const aws::HttpRequest request = captured_request(f.data.at("requests").at(0));
    const std::int64_t signed_at = *aws::parse_amz_date(*request.find_header("X-Amz-Date"));
    ApiHarness h((signed_at + 16 * 60) * 1000);
    const aws::HttpResponse response = h.dispatcher->dispatch(request);
    EXPECT_EQ(response.status, f.label.starts_with("cli-2") ? 403 : 400);  // query : JSON
    EXPECT_NE(error_code(response).find("Signature"), std::string::npos) << error_code(response);
  }
}

}  // namespace
}  // namespace sgwatch::api
