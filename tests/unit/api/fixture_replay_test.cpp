// Replays every CloudWatch, STS, CloudWatch Logs and SNS request the AWS CLIs put on the wire
// (../shared/fixtures/aws-wire: CLI 2.9.19 in awsQuery, and the awscli-1.45.11 folder, whose
// CloudWatch requests are JSON 1.0) through the Dispatcher exactly as captured — same bytes, same
// signature, the clock set to the signing time — after setting up the state each case needs.
// The answer must be what the CLI accepted: the fixture's status, protocol (Content-Type), error
// code, and the same member structure; where ids and times are not involved, the same values
// and, for CloudWatch's XML, the same element order. Logs and SNS cases also check what the call
// did to the state (the group, filter, subscription or delivery it made or removed).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <map>
#include <set>
#include <stdexcept>

#include "api/logs_api.h"
#include "api/sns_api.h"
#include "aws/amz_date.h"
#include "engine/logs_engine.h"
#include "notify/topics.h"
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

// The fixtures of both CLIs whose names start with one of `prefixes` ("cloudwatch.").
std::vector<Fixture> load_fixtures(std::initializer_list<std::string_view> prefixes = {"cloudwatch.",
                                                                                      "sts."}) {
  std::vector<Fixture> out;
  for (const auto& [dir, version] :
       {std::pair{kWireDir, std::string("cli-2.9.19")},
        std::pair{kWireDir / kCliV1Folder, std::string("cli-1.45.11")}}) {
    std::error_code error;
    for (const auto& entry : fs::directory_iterator(dir, error)) {
      const std::string base = entry.path().stem().string();
      if (entry.path().extension() != ".json") continue;
      if (std::none_of(prefixes.begin(), prefixes.end(),
                       [&](std::string_view prefix) { return base.starts_with(prefix); })) {
        continue;
      }
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

// ---- CloudWatch Logs and SNS ------------------------------------------------------------------

constexpr const char* kGroup = "my-log-group";
constexpr const char* kStream = "my-stream";
constexpr const char* kFilterName = "SecurityGroupEventCount";
constexpr const char* kCisPattern =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) "
    "|| ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";
constexpr const char* kTopicArn = "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges";
constexpr const char* kSubscriptionArn =
    "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges:0e5d7a8f-3c4b-4e2a-9f1d-6b7c8d9e0a1b";
constexpr const char* kConfirmToken = "2336412f37fb687f5d51e6e2425f004aed9a4f1d";
constexpr const char* kEndpoint = "my-email@example.com";
// The events logs.PutLogEvents sends and logs.FilterLogEvents finds (the first one matches the
// filter), and the time of the metric filter logs.DescribeMetricFilters describes.
constexpr std::int64_t kEventTime = 1795000000000;
constexpr const char* kMatchingEvent =
    R"({"eventName":"AuthorizeSecurityGroupIngress","eventSource":"ec2.amazonaws.com"})";
constexpr const char* kOtherEvent =
    R"({"eventName":"DescribeInstances","eventSource":"ec2.amazonaws.com"})";

// Puts an SNS signing identity into `directory`, where load_or_create_signing_identity finds it:
// one made once (an RSA key takes a while to generate) and copied.
void copy_signing_identity(const fs::path& directory) {
  static const ::sgwatch::testing::TempDir source("sgwatch-sns-identity");
  static const bool made =
      notify::load_or_create_signing_identity(source.path().string(), kCreated).ok();
  if (!made) throw std::runtime_error("cannot create the SNS signing identity");
  for (const char* name : {"sns-signing-key.pem", "sns-signing-cert.pem"}) {
    fs::copy_file(source.path() / name, directory / name);
  }
}

// ApiHarness (the alarm engine on a store in a TempDir, the Dispatcher) plus the Logs engine and
// the topic service on the same store, registered as `sgwatch serve` registers them.
struct LogsSnsHarness {
  explicit LogsSnsHarness(std::int64_t now_ms) : h(now_ms) {
    auto opened = engine::LogsEngine::open(*h.store, *h.engine, h.clock,
                                           engine::LogsOptions{"us-west-2", "123456789012"});
    if (!opened) throw std::runtime_error("LogsEngine::open: " + opened.error());
    logs = std::move(*opened);
    copy_signing_identity(h.dir.path());
    auto identity = notify::load_or_create_signing_identity(h.dir.path().string(), now_ms / 1000);
    if (!identity) throw std::runtime_error("signing identity: " + identity.error().message);
    notify::TopicsOptions options;
    options.region = "us-west-2";
    options.account_id = "123456789012";
    topics = std::make_unique<notify::TopicService>(*h.store, h.clock, options, std::move(*identity));
    logs_api = std::make_unique<LogsApi>(*logs);
    sns_api = std::make_unique<SnsApi>(*topics);
    h.dispatcher->register_service(aws::Service::kLogs, *logs_api);
    h.dispatcher->register_service(aws::Service::kSns, *sns_api);
  }

  ApiHarness h;
  std::unique_ptr<engine::LogsEngine> logs;
  std::unique_ptr<notify::TopicService> topics;
  std::unique_ptr<LogsApi> logs_api;
  std::unique_ptr<SnsApi> sns_api;
};

void add_group(engine::LogsEngine& logs, bool with_stream) {
  engine::CreateLogGroupRequest group;
  group.log_group_name = kGroup;
  ASSERT_TRUE(logs.create_log_group(group).ok());
  if (with_stream) {
    ASSERT_TRUE(logs.create_log_stream(kGroup, kStream).ok());
  }
}

store::SubscriptionRecord email_subscription(bool confirmed, std::string token,
                                             std::int64_t created_ms) {
  store::SubscriptionRecord s;
  s.arn = kSubscriptionArn;
  s.topic_arn = kTopicArn;
  s.protocol = "email";
  s.endpoint = kEndpoint;
  s.owner = "123456789012";
  s.confirmed = confirmed;
  s.token = std::move(token);
  s.token_created_ms = created_ms;
  s.created_ms = created_ms;
  return s;
}

// The state a Logs or SNS fixture's request and answer presuppose, made a minute before the
// call unless the answer dates it.
void set_up_logs_sns(const std::string& base, LogsSnsHarness& s, std::int64_t signed_at_ms) {
  const auto operation = base.substr(0, base.find('.', base.find('.') + 1));
  engine::LogsEngine& logs = *s.logs;
  s.h.clock.set(signed_at_ms - 60 * 1000);
  if (operation == "logs.CreateLogGroup") {
    if (base.ends_with("error-ResourceAlreadyExists")) add_group(logs, false);
  } else if (operation == "logs.CreateLogStream" || operation == "logs.PutMetricFilter") {
    add_group(logs, false);  // the error-ResourceNotFound request names another group
  } else if (operation == "logs.PutLogEvents") {
    add_group(logs, true);
  } else if (operation == "logs.DescribeMetricFilters" || operation == "logs.DeleteMetricFilter") {
    add_group(logs, false);
    s.h.clock.set(kEventTime);  // the creationTime logs.DescribeMetricFilters answers
    engine::PutMetricFilterRequest filter;
    filter.log_group_name = kGroup;
    filter.filter_name = kFilterName;
    filter.filter_pattern = kCisPattern;
    pattern::MetricTransformation transformation;
    transformation.metric_name = "SecurityGroupEventCount";
    transformation.metric_namespace = "CISBenchmark";
    transformation.metric_value = "1";
    filter.metric_transformations.reserve(1);
    filter.metric_transformations.push_back(std::move(transformation));
    ASSERT_TRUE(logs.put_metric_filter(filter).ok());
  } else if (operation == "logs.FilterLogEvents") {
    add_group(logs, true);
    s.h.clock.set(kEventTime + 500);  // the ingestionTime logs.FilterLogEvents answers
    engine::PutLogEventsRequest put;
    put.log_group_name = kGroup;
    put.log_stream_name = kStream;
    put.log_events.reserve(2);
    put.log_events.push_back({kEventTime, kMatchingEvent});
    put.log_events.push_back({kEventTime + 1000, kOtherEvent});
    const auto done = logs.put_log_events(put);
    ASSERT_TRUE(done.ok());
    ASSERT_EQ(done->accepted_events, 2u);
  } else if (operation.starts_with("sns.") && operation != "sns.CreateTopic") {
    // sns.Subscribe.error-NotFound names another topic.
    ASSERT_TRUE(s.topics->create_topic("SecurityGroupChanges", {}, {}).ok());
    const std::int64_t earlier = signed_at_ms - 60 * 1000;
    if (base == "sns.ListTopics.paginated") {
      // More topics than one page (100) holds, so that the first page has a NextToken.
      ASSERT_TRUE(s.topics->create_topic("Other", {}, {}).ok());
      for (int i = 0; i < 99; ++i) {
        ASSERT_TRUE(s.topics->create_topic(fmt::format("Filler{:03}", i), {}, {}).ok());
      }
    } else if (operation == "sns.ListSubscriptionsByTopic") {
      // A confirmed subscription with the fixture's ARN, and a pending one made by Subscribe.
      ASSERT_TRUE(s.h.store->put_subscription(email_subscription(true, "", earlier)).ok());
      s.h.clock.set(earlier + 1000);
      ASSERT_TRUE(s.topics->subscribe(kTopicArn, "email", "other@example.com", {}, false).ok());
    } else if (operation == "sns.ConfirmSubscription") {
      // Pending, with the fixture's token (a Subscribe would draw a random one).
      ASSERT_TRUE(s.h.store->put_subscription(email_subscription(false, kConfirmToken, earlier)).ok());
    } else if (operation == "sns.Unsubscribe" || operation == "sns.Publish") {
      ASSERT_TRUE(s.h.store->put_subscription(email_subscription(true, "", earlier)).ok());
    }
  }
}

// The text of the first <name> element of an XML body; empty when there is none.
std::string xml_text(const std::string& xml, const std::string& name) {
  const std::size_t open = xml.find("<" + name + ">");
  if (open == std::string::npos) return {};
  const std::size_t start = open + name.size() + 2;
  return xml.substr(start, xml.find("</" + name + ">", start) - start);
}

// The error message an AWS CLI prints: <Message> for XML, `message` (or `Message`) for JSON.
std::string error_message(const aws::HttpResponse& response) {
  if (response.body.starts_with("<")) return xml_text(response.body, "Message");
  const Json body = Json::parse(response.body, nullptr, false);
  if (!body.is_object()) return {};
  if (body.contains("message")) return body["message"].get<std::string>();
  return body.value("Message", std::string());
}

// A JSON 1.1 answer as JSON, with its exact types ("{}" for an empty body, as botocore reads it).
Json json_output(const aws::HttpResponse& response) {
  if (response.body.empty()) return Json::object();
  Json out = Json::parse(response.body, nullptr, false);
  EXPECT_FALSE(out.is_discarded()) << response.body;
  return out;
}

// `value` without the members `names` (at any depth).
Json without(const Json& value, const std::set<std::string>& names) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, item] : value.items()) {
      if (names.count(key) == 0) out[key] = without(item, names);
    }
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json& item : value) out.push_back(without(item, names));
    return out;
  }
  return value;
}

// Generated values: compared by structure only.
const std::set<std::string> kIdMembers{"eventId", "nextSequenceToken", "MessageId", "NextToken"};
// Members of the current Logs model (botocore 1.43) that the hand-written answers, written from
// 2.9.19's model, do not have; botocore ignores members it does not know.
const std::set<std::string> kNewerModelMembers{"applyOnTransformedLogs"};

// The answer is the one the fixture's CLI accepted: status, protocol, request id, error code and
// message, member structure, and (when `values`) the values but ids.
void expect_accepted_answer(const std::string& base, const aws::HttpResponse& response,
                            const aws::HttpResponse& expected, bool values) {
  EXPECT_EQ(response.status, expected.status) << response.body;
  ASSERT_NE(response.find_header("Content-Type"), nullptr);
  EXPECT_EQ(*response.find_header("Content-Type"), *expected.find_header("Content-Type"));
  ASSERT_NE(response.find_header("x-amzn-RequestId"), nullptr);
  EXPECT_EQ(response.find_header("x-amzn-RequestId")->size(), 36u);
  if (expected.status >= 300) {
    EXPECT_EQ(error_code(response), error_code(expected)) << response.body;
    EXPECT_EQ(error_message(response), error_message(expected));
    return;
  }
  if (base.starts_with("logs.")) {
    const Json ours = json_output(response);
    const Json theirs = json_output(expected);
    EXPECT_EQ(structure(without(ours, kNewerModelMembers)), structure(theirs))
        << "ours:   " << ours << "\ntheirs: " << theirs;
    if (values) {
      EXPECT_EQ(comparable(without(without(ours, kIdMembers), kNewerModelMembers)),
                comparable(without(theirs, kIdMembers)));
    }
    return;
  }
  const Json ours = loose_output(response);
  const Json theirs = loose_output(expected);
  EXPECT_EQ(structure(ours), structure(theirs)) << "ours:   " << ours << "\ntheirs: " << theirs;
  if (values) {
    EXPECT_EQ(comparable(without(ours, kIdMembers)), comparable(without(theirs, kIdMembers)));
  }
  const std::vector<std::string> our_elements = element_names(response.body);
  const std::vector<std::string> their_elements = element_names(expected.body);
  ASSERT_FALSE(our_elements.empty());
  EXPECT_EQ(our_elements.front(), their_elements.front()) << response.body;  // <{Op}Response>
}

// What the call did: the group, stream, events, filter, topic, subscription or delivery the
// fixture's request asks for is there (or gone), and nothing happened on an error.
void expect_effects(const std::string& base, LogsSnsHarness& s, const aws::HttpResponse& response) {
  engine::LogsEngine& logs = *s.logs;
  if (base == "logs.CreateLogGroup") {
    const auto groups = logs.describe_log_groups({});
    ASSERT_TRUE(groups.ok());
    ASSERT_EQ(groups->log_groups.size(), 1u);
    EXPECT_EQ(groups->log_groups[0].log_group_name, kGroup);
  } else if (base == "logs.CreateLogStream") {
    engine::DescribeLogStreamsRequest request;
    request.log_group_name = kGroup;
    const auto streams = logs.describe_log_streams(request);
    ASSERT_TRUE(streams.ok());
    ASSERT_EQ(streams->log_streams.size(), 1u);
    EXPECT_EQ(streams->log_streams[0].log_stream_name, kStream);
  } else if (base == "logs.PutLogEvents") {
    engine::GetLogEventsRequest request;
    request.log_group_name = kGroup;
    request.log_stream_name = kStream;
    request.start_from_head = true;
    const auto events = logs.get_log_events(request);
    ASSERT_TRUE(events.ok());
    ASSERT_EQ(events->events.size(), 2u);
    EXPECT_EQ(events->events[0].message, kMatchingEvent);
    EXPECT_EQ(events->events[0].timestamp, kEventTime);
    EXPECT_EQ(events->events[1].message, kOtherEvent);
  } else if (base.starts_with("logs.PutMetricFilter") || base == "logs.DeleteMetricFilter") {
    engine::DescribeMetricFiltersRequest request;
    request.log_group_name = kGroup;
    const auto filters = logs.describe_metric_filters(request);
    ASSERT_TRUE(filters.ok());
    // Only the successful PutMetricFilter leaves a filter (DeleteMetricFilter removed its own).
    ASSERT_EQ(filters->metric_filters.size(), base == "logs.PutMetricFilter" ? 1u : 0u);
    if (base == "logs.PutMetricFilter") {
      EXPECT_EQ(filters->metric_filters[0].filter_name, kFilterName);
      EXPECT_EQ(filters->metric_filters[0].filter_pattern, kCisPattern);
      ASSERT_EQ(filters->metric_filters[0].metric_transformations.size(), 1u);
      EXPECT_EQ(filters->metric_filters[0].metric_transformations[0].metric_namespace, "CISBenchmark");
    }
  } else if (base.starts_with("sns.CreateTopic")) {
    const auto attributes = s.topics->topic_attributes(kTopicArn);
    ASSERT_TRUE(attributes.ok());
    if (base == "sns.CreateTopic.attributes-tags") {
      const notify::Attributes& list = *attributes;
      EXPECT_NE(std::find(list.begin(), list.end(),
                          std::pair<std::string, std::string>{"DisplayName", "SGChanges"}),
                list.end());
    }
  } else if (base == "sns.Subscribe" || base == "sns.ConfirmSubscription" ||
             base == "sns.Unsubscribe") {
    const auto subscriptions = s.topics->list_subscriptions(std::string_view(kTopicArn));
    ASSERT_TRUE(subscriptions.ok());
    if (base == "sns.Unsubscribe") {
      EXPECT_TRUE(subscriptions->empty());
      return;
    }
    ASSERT_EQ(subscriptions->size(), 1u);
    const store::SubscriptionRecord& record = subscriptions->front();
    EXPECT_EQ(record.endpoint, kEndpoint);
    EXPECT_EQ(record.confirmed, base == "sns.ConfirmSubscription");  // email waits for its mail
    if (base == "sns.ConfirmSubscription") {
      EXPECT_EQ(record.arn, kSubscriptionArn);
    }
  } else if (base == "sns.Publish") {
    // One delivery for the one confirmed subscription, under the MessageId answered.
    const auto deliveries = s.h.store->deliveries(std::nullopt, 10);
    ASSERT_TRUE(deliveries.ok());
    ASSERT_EQ(deliveries->size(), 1u);
    EXPECT_EQ(deliveries->front().message_id, xml_text(response.body, "MessageId"));
    EXPECT_EQ(deliveries->front().subscription_arn, kSubscriptionArn);
  }
}

// sns.ListTopics.paginated: the CLI followed NextToken and merged two pages. sgwatch's pages hold
// 100 topics (topics listed by ARN) and its NextToken is its own, so the replayed first request
// got a page with a NextToken, as the fixture's first page; here that token, sent back in a
// freshly signed request, must get the last page without one, as the fixture's second page, and
// the two pages must list every topic once, the fixture's two among them. The captured second
// request carries the capture listener's made-up "page-2-token", which sgwatch never issued:
// replayed, it is refused with SNS's code for a foreign token, InvalidParameter.
void expect_second_page(const Fixture& f, LogsSnsHarness& s, const aws::HttpResponse& first) {
  const Json& exchange = f.data.at("requests").at(1);
  const aws::HttpResponse expected = captured_response(exchange.at("response"));
  const std::string token = xml_text(first.body, "NextToken");
  ASSERT_FALSE(token.empty()) << first.body;
  const aws::HttpResponse second =
      s.h.send(base_request("application/x-www-form-urlencoded; charset=utf-8",
                            query_body("ListTopics", "2010-03-31", Json{{"NextToken", token}})),
               "sns");
  expect_accepted_answer(f.base, second, expected, false);

  std::vector<std::string> listed;
  listed.reserve(101);
  for (const aws::HttpResponse* page : {&first, &second}) {
    const Json output = loose_output(*page);
    ASSERT_TRUE(output.contains("Topics")) << page->body;
    for (const Json& topic : output["Topics"]) listed.push_back(topic.at("TopicArn").get<std::string>());
  }
  const std::set<std::string> unique(listed.begin(), listed.end());
  EXPECT_EQ(listed.size(), 101u);
  EXPECT_EQ(unique.size(), listed.size());
  for (std::size_t i = 0; i < 2; ++i) {
    const Json page = loose_output(captured_response(f.data.at("requests").at(i).at("response")));
    for (const Json& topic : page["Topics"]) {
      EXPECT_EQ(unique.count(topic.at("TopicArn").get<std::string>()), 1u) << topic;
    }
  }

  const aws::HttpResponse foreign = s.h.dispatcher->dispatch(captured_request(exchange));
  EXPECT_EQ(foreign.status, 400) << foreign.body;
  EXPECT_EQ(error_code(foreign), "InvalidParameter");
}

TEST(FixtureReplay, EveryLogsAndSnsFixtureOfBothClisIsAnsweredAsTheCliAccepted) {
  const std::vector<Fixture> fixtures = load_fixtures({"logs.", "sns."});
  ASSERT_EQ(fixtures.size(), 42u) << "11 Logs and 10 SNS cases per CLI in " << kWireDir;
  std::set<std::string> operations;
  std::size_t replayed = 0;
  for (const Fixture& f : fixtures) {
    SCOPED_TRACE(f.label);
    ASSERT_FALSE(f.data.is_discarded());
    const Json& exchange = f.data.at("requests").at(0);
    const aws::HttpRequest request = captured_request(exchange);
    const aws::HttpResponse expected = captured_response(exchange.at("response"));
    const std::int64_t signed_at = *aws::parse_amz_date(*request.find_header("X-Amz-Date"));

    LogsSnsHarness s(signed_at * 1000);
    ASSERT_NO_FATAL_FAILURE(set_up_logs_sns(f.base, s, signed_at * 1000));
    s.h.clock.set(signed_at * 1000);
    // The InvalidSignature case: the server knows the key under another secret.
    aws::StaticSecrets other_secret;
    other_secret.add(std::string(kAccessKey), "bPxRfiCYEXAMPLEKEYwJalrXUtnFEMI/K7MDENG+");
    Dispatcher other_server(other_secret, s.h.clock);
    other_server.register_service(aws::Service::kLogs, *s.logs_api);
    const bool wrong_secret = f.base.ends_with("error-InvalidSignature");
    const aws::HttpResponse response =
        wrong_secret ? other_server.dispatch(request) : s.h.dispatcher->dispatch(request);
    ++replayed;
    operations.insert(f.base.substr(0, f.base.find('.', f.base.find('.') + 1)));

    const bool paginated = f.base == "sns.ListTopics.paginated";
    ASSERT_NO_FATAL_FAILURE(expect_accepted_answer(f.base, response, expected, !paginated));
    if (wrong_secret) {
      EXPECT_EQ(error_code(response), "InvalidSignatureException");
    }
    ASSERT_NO_FATAL_FAILURE(expect_effects(f.base, s, response));
    if (paginated) {
      ASSERT_EQ(f.data.at("requests").size(), 2u);
      ASSERT_NO_FATAL_FAILURE(expect_second_page(f, s, response));
      ++replayed;
    }
  }
  EXPECT_EQ(replayed, 44u);  // 21 cases per CLI, one of them two exchanges
  EXPECT_EQ(operations,
            (std::set<std::string>{
                "logs.CreateLogGroup", "logs.CreateLogStream", "logs.DeleteMetricFilter",
                "logs.DescribeMetricFilters", "logs.FilterLogEvents", "logs.PutLogEvents",
                "logs.PutMetricFilter", "logs.TestMetricFilter", "sns.ConfirmSubscription",
                "sns.CreateTopic", "sns.ListSubscriptionsByTopic", "sns.ListTopics", "sns.Publish",
                "sns.Subscribe", "sns.Unsubscribe"}));
}

}  // namespace
}  // namespace sgwatch::api
