// PushIngest: the HTTP push endpoints of a log group — an EventBridge event (API destination), a
// Firehose HTTP endpoint delivery batch (its answer shape, access key and request id) and JSON
// lines become events of "<account>_CloudTrail_<region>" streams stamped with eventTime and fire
// the group's alarm; keys checked; bad input refused whole (400, nothing stored) with what and
// where; bodies past the limits 413; events PutLogEvents refuses counted, not stored.
#include "engine/push_ingest.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "notify/json_text.h"
#include "support/gzip.h"
#include "support/temp_dir.h"

namespace sgwatch::engine {
namespace {

using Json = nlohmann::json;

const std::string kGroup = "CloudTrail/management";
const std::string kKey = "s3cr3t-key-0123456789";
const std::string kSeedPattern =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";

std::int64_t real_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string record(const std::string& name, std::int64_t seconds, const std::string& account = "111122223333",
                   const std::string& region = "us-west-2", int n = 0) {
  return Json{{"eventVersion", "1.08"},
              {"userIdentity", {{"type", "IAMUser"}, {"arn", fmt::format("arn:aws:iam::{}:user/alice", account)}}},
              {"eventTime", core::format_iso8601(seconds)},
              {"eventSource", "ec2.amazonaws.com"},
              {"eventName", name},
              {"awsRegion", region},
              {"requestParameters", {{"groupId", "sg-0123456789abcdef0"}}},
              {"eventID", fmt::format("00000000-0000-4000-8000-{:012}", n)},
              {"recipientAccountId", account}}
      .dump();
}

std::string eventbridge(const std::string& detail, const std::string& type = "AWS API Call via CloudTrail") {
  return Json{{"version", "0"},       {"id", "6a7e8feb-b491-4cf7-a9f1-bf3703467718"},
              {"detail-type", type},  {"source", "aws.ec2"},
              {"account", "111122223333"}, {"region", "us-west-2"},
              {"detail", Json::parse(detail)}}
      .dump();
}

std::string firehose(const std::vector<std::string>& datas, const std::string& id = "req-1") {
  Json records = Json::array();
  for (const auto& data : datas) records.push_back({{"data", notify::base64_encode(data)}});
  return Json{{"requestId", id}, {"timestamp", 1732780800000}, {"records", records}}.dump();
}

struct Fixture {
  testing::TempDir state;
  core::ManualClock clock{real_now_ms()};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<AlarmEngine> alarms;
  std::unique_ptr<LogsEngine> logs;
  std::mutex lock;
  int wakes = 0;

  Fixture() {
    auto s = store::Store::open(state.path());
    EXPECT_TRUE(s) << s.error();
    store = std::move(*s);
    auto a = AlarmEngine::open(*store, clock, EngineOptions{"us-west-2", "123456789012"});
    EXPECT_TRUE(a) << a.error();
    alarms = std::move(*a);
    auto l = LogsEngine::open(*store, *alarms, clock, LogsOptions{"us-west-2", "123456789012"});
    EXPECT_TRUE(l) << l.error();
    logs = std::move(*l);
  }

  std::unique_ptr<PushIngest> endpoint(PushFormat format, std::size_t max_body_bytes = 0) {
    PushIngestOptions options;
    options.log_group_name = kGroup;
    options.format = format;
    options.api_key = kKey;
    options.account_id = "999999999999";
    options.region = "eu-central-1";
    options.max_body_bytes = max_body_bytes;
    options.on_stored = [this] { ++wakes; };
    auto push = std::make_unique<PushIngest>(*logs, lock, clock, options);
    auto prepared = push->prepare();
    EXPECT_TRUE(prepared) << prepared.error().message;
    return push;
  }

  void seed_chain() {
    pattern::MetricTransformation t;
    t.metric_name = "SecurityGroupEventCount";
    t.metric_namespace = "CISBenchmark";
    t.metric_value = "1";
    auto put = logs->put_metric_filter({kGroup, "SecurityGroupChanges", kSeedPattern, {t}});
    ASSERT_TRUE(put) << put.error().message;
    auto alarm = alarms::parse_put_metric_alarm(Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                                                     {"MetricName", "SecurityGroupEventCount"},
                                                     {"Namespace", "CISBenchmark"},
                                                     {"Statistic", "Sum"},
                                                     {"Period", 300},
                                                     {"EvaluationPeriods", 1},
                                                     {"Threshold", 1.0},
                                                     {"ComparisonOperator", "GreaterThanOrEqualToThreshold"}});
    ASSERT_TRUE(alarm);
    auto added = alarms->put_alarm(*alarm);
    ASSERT_TRUE(added);
  }

  std::int64_t now_s() const { return clock.now_ms() / 1000; }

  // Messages of the group by stream, oldest first, and their timestamps.
  std::map<std::string, std::vector<std::pair<std::int64_t, std::string>>> events() {
    std::map<std::string, std::vector<std::pair<std::int64_t, std::string>>> out;
    FilterLogEventsRequest r;
    r.log_group_name = kGroup;
    auto found = logs->filter_log_events(r);
    EXPECT_TRUE(found) << found.error().message;
    if (found) {
      for (const auto& e : found->events) out[e.log_stream_name].push_back({e.timestamp, e.message});
    }
    return out;
  }

  bool alarm_fired() {
    const auto described = alarms->describe_alarms();
    return !described.empty() && described.front().state == alarms::AlarmState::kAlarm;
  }
};

aws::HttpRequest post(std::string body, std::vector<aws::Header> headers) {
  aws::HttpRequest request;
  request.method = "POST";
  request.path = "/ingest/cloudtrail";
  request.headers = std::move(headers);
  request.headers.push_back({"Content-Type", "application/json"});
  request.body = std::move(body);
  return request;
}

aws::HttpRequest keyed(std::string body) { return post(std::move(body), {{"X-Api-Key", kKey}}); }

aws::HttpRequest firehose_request(std::string body, const std::string& key = kKey, const std::string& id = "req-1") {
  return post(std::move(body), {{"X-Amz-Firehose-Protocol-Version", "1.0"},
                                {"X-Amz-Firehose-Request-Id", id},
                                {"X-Amz-Firehose-Source-Arn", "arn:aws:firehose:us-west-2:111122223333:deliverystream/ct"},
                                {"X-Amz-Firehose-Access-Key", key}});
}

TEST(PushIngest, AnEventBridgeEventBecomesOneEventOfItsCloudTrailStreamAndFiresTheAlarm) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kEventBridge);  // creates the group
  f.seed_chain();
  const std::int64_t t = f.now_s() - 60;
  const std::string detail = record("AuthorizeSecurityGroupIngress", t);
  PushOutcome outcome;
  const auto response = push->handle(keyed(eventbridge(detail)), &outcome);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Json::parse(response.body),
            (Json{{"status", "stored"}, {"records", 1}, {"stored", 1}, {"refused", 0}, {"ignored", 0}}));
  EXPECT_EQ(outcome.transitions, 1U);
  EXPECT_EQ(f.wakes, 1);
  const auto events = f.events();
  ASSERT_EQ(events.size(), 1U);
  ASSERT_EQ(events.count("111122223333_CloudTrail_us-west-2"), 1U);
  const auto& stored = events.at("111122223333_CloudTrail_us-west-2");
  ASSERT_EQ(stored.size(), 1U);
  EXPECT_EQ(stored[0].first, t * 1000);
  EXPECT_EQ(Json::parse(stored[0].second), Json::parse(detail));
  EXPECT_TRUE(f.alarm_fired());
}

TEST(PushIngest, AnEventBridgeEventCloudTrailDidNotSendIsAnsweredOkAndCountedAsIgnored) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kEventBridge);
  const auto response = push->handle(
      keyed(eventbridge(R"({"instance-id":"i-0123","state":"running"})", "EC2 Instance State-change Notification")));
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Json::parse(response.body)["status"], "ignored");
  EXPECT_EQ(Json::parse(response.body)["ignored"], 1);
  EXPECT_TRUE(f.events().empty());
  EXPECT_EQ(push->stats().ignored, 1U);
  EXPECT_EQ(f.wakes, 0);
}

TEST(PushIngest, AnEventBridgeDetailSentAloneByAnInputTransformerIsTheRecord) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kEventBridge);
  const auto response = push->handle(keyed(record("CreateSecurityGroup", f.now_s() - 5)));
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(f.events().at("111122223333_CloudTrail_us-west-2").size(), 1U);
}

TEST(PushIngest, KeysAreCheckedBeforeAnythingElse) {
  Fixture f;
  const std::string body = eventbridge(record("AuthorizeSecurityGroupIngress", f.now_s()));
  struct Case {
    const char* name;
    std::vector<aws::Header> headers;
    int status;
  };
  const std::vector<Case> cases = {
      {"no key", {}, 401},
      {"wrong key", {{"x-api-key", "wrong"}}, 401},
      {"a prefix of the key", {{"x-api-key", kKey.substr(0, 5)}}, 401},
      {"the key longer", {{"x-api-key", kKey + "x"}}, 401},
      {"the key in another header", {{"authorization", kKey}}, 401},
      {"the right key, any case of the header name", {{"X-API-KEY", kKey}}, 200},
  };
  auto push = f.endpoint(PushFormat::kEventBridge);
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const auto response = push->handle(post(body, c.headers));
    EXPECT_EQ(response.status, c.status) << response.body;
    if (c.status == 401) {
      EXPECT_NE(Json::parse(response.body)["message"].get<std::string>().find("x-api-key"), std::string::npos);
    }
  }
  EXPECT_EQ(push->stats().rejected, 5U);
  EXPECT_EQ(push->stats().stored, 1U);

  // Firehose: its own header, whatever api_key_header says; the answer keeps Firehose's shape.
  auto hose = f.endpoint(PushFormat::kFirehose);
  const auto denied = hose->handle(firehose_request(firehose({record("DeleteSecurityGroup", f.now_s())}), "nope", "r-9"));
  EXPECT_EQ(denied.status, 401);
  const Json answer = Json::parse(denied.body);
  EXPECT_EQ(answer["requestId"], "r-9");
  EXPECT_TRUE(answer["timestamp"].is_number_integer());
  EXPECT_NE(answer["errorMessage"].get<std::string>().find("X-Amz-Firehose-Access-Key"), std::string::npos);
  EXPECT_EQ(hose->handle(post(firehose({record("DeleteSecurityGroup", f.now_s())}), {{"x-api-key", kKey}})).status,
            401);
}

TEST(PushIngest, AFirehoseBatchOfEveryDataShapeIsStoredAndAnsweredWithItsRequestId) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kFirehose);  // creates the group
  f.seed_chain();
  const std::int64_t t = f.now_s() - 120;
  const std::string one = record("AuthorizeSecurityGroupIngress", t, "111122223333", "us-west-2", 1);
  const std::string file = R"({"Records":[)" + record("DescribeInstances", t + 1, "111122223333", "us-east-1", 2) +
                           "," + record("RunInstances", t + 2, "111122223333", "us-east-1", 3) + "]}";
  // A CloudWatch Logs subscription payload, gzip'd, as a log group's subscription sends it.
  const std::string cwl = testing::gzip_compress(
      Json{{"messageType", "DATA_MESSAGE"},
           {"owner", "111122223333"},
           {"logGroup", "aws-cloudtrail-logs"},
           {"logStream", "111122223333_CloudTrail_us-west-2"},
           {"subscriptionFilters", {"all"}},
           {"logEvents", {{{"id", "1"}, {"timestamp", t * 1000}, {"message", record("CreateSecurityGroup", t + 3, "111122223333", "us-west-2", 4)}}}}}
          .dump());
  const std::string control = testing::gzip_compress(
      R"({"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[]})");
  const std::string body = firehose({one, file, cwl, control}, "ed4acda5-034f-9f42-bba1-f29aea6d7d8f");
  PushOutcome outcome;
  const auto response =
      push->handle(firehose_request(body, kKey, "ed4acda5-034f-9f42-bba1-f29aea6d7d8f"), &outcome);
  EXPECT_EQ(response.status, 200) << response.body;
  const auto* type = response.find_header("Content-Type");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(*type, "application/json");
  const Json answer = Json::parse(response.body);
  EXPECT_EQ(answer.size(), 2U) << answer;
  EXPECT_EQ(answer["requestId"], "ed4acda5-034f-9f42-bba1-f29aea6d7d8f");
  EXPECT_EQ(answer["timestamp"], f.clock.now_ms());
  EXPECT_EQ(outcome.records, 4U);
  EXPECT_EQ(outcome.stored, 4U);
  const auto events = f.events();
  EXPECT_EQ(events.at("111122223333_CloudTrail_us-west-2").size(), 2U);
  EXPECT_EQ(events.at("111122223333_CloudTrail_us-east-1").size(), 2U);
  EXPECT_TRUE(f.alarm_fired());

  // A gzip'd request body (Content-Encoding: gzip), and the body's requestId without the header.
  auto request = post(testing::gzip_compress(firehose({record("RevokeSecurityGroupIngress", t + 9)}, "r-2")),
                      {{"X-Amz-Firehose-Access-Key", kKey}, {"Content-Encoding", "gzip"}});
  const auto gz = push->handle(request);
  EXPECT_EQ(gz.status, 200) << gz.body;
  EXPECT_EQ(Json::parse(gz.body)["requestId"], "r-2");
}

TEST(PushIngest, JsonLinesAreOneRecordPerLineWithDefaultsForRecordsWithoutAccountOrRegion) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kJsonLines);
  const std::int64_t t = f.now_s() - 30;
  Json bare = Json::parse(record("CreateSecurityGroup", t));
  bare.erase("recipientAccountId");
  bare.erase("awsRegion");
  bare.erase("eventTime");
  const std::string body = record("AuthorizeSecurityGroupIngress", t) + "\r\n\n   \n" + bare.dump() + "\n";
  PushOutcome outcome;
  const auto response = push->handle(keyed(body), &outcome);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(outcome.records, 2U);
  const auto events = f.events();
  EXPECT_EQ(events.at("111122223333_CloudTrail_us-west-2").size(), 1U);
  ASSERT_EQ(events.count("999999999999_CloudTrail_eu-central-1"), 1U);
  // Without eventTime, the time of arrival.
  EXPECT_EQ(events.at("999999999999_CloudTrail_eu-central-1")[0].first, f.clock.now_ms());
}

TEST(PushIngest, BadInputIsRefusedWholeWithWhatAndWhere) {
  Fixture f;
  const std::int64_t t = f.now_s() - 10;
  const std::string good = record("AuthorizeSecurityGroupIngress", t);
  struct Case {
    const char* name;
    PushFormat format;
    std::string body;
    std::string reason;  // a fragment of the message
  };
  const std::vector<Case> cases = {
      {"jsonl: bad JSON on line 3", PushFormat::kJsonLines, good + "\n" + good + "\n{\"eventName\": nope}\n",
       "line 3: not valid JSON"},
      {"jsonl: not a record", PushFormat::kJsonLines, good + "\n{\"hello\":1}\n", "line 2: not a CloudTrail record"},
      {"jsonl: invalid UTF-8", PushFormat::kJsonLines, good + "\n{\"eventName\":\"\xff\"}\n", "line 2: not valid JSON"},
      {"eventbridge: not JSON", PushFormat::kEventBridge, "detail-type=x", "not one JSON value"},
      {"eventbridge: empty", PushFormat::kEventBridge, "", "empty"},
      {"eventbridge: two events", PushFormat::kEventBridge, eventbridge(good) + eventbridge(good), "not one JSON value"},
      {"eventbridge: not an event", PushFormat::kEventBridge, R"({"hello":"world"})", "not an EventBridge event"},
      {"eventbridge: detail not a record", PushFormat::kEventBridge, eventbridge(R"({"x":1})"),
       "the event's detail: not a CloudTrail record"},
      {"firehose: not a batch", PushFormat::kFirehose, R"({"records":"x"})", "not a Firehose delivery request"},
      {"firehose: bad base64 in record 1", PushFormat::kFirehose,
       R"({"requestId":"req-1","timestamp":1,"records":[{"data":")" + notify::base64_encode(good) +
           R"("},{"data":"%%%"}]})",
       "records[1]: \"data\" is missing or not base64"},
      {"firehose: a record without data", PushFormat::kFirehose,
       R"({"requestId":"req-1","timestamp":1,"records":[{"nodata":1}]})", "records[0]"},
      {"firehose: bad JSON inside", PushFormat::kFirehose, firehose({good, "{\"eventName\": "}), "records[1]"},
      {"firehose: not CloudTrail inside", PushFormat::kFirehose, firehose({"hello world"}), "records[0]"},
      {"firehose: bad gzip inside", PushFormat::kFirehose,
       firehose({testing::gzip_compress(good).substr(0, 20)}), "records[0]"},
      {"firehose: request ids differ", PushFormat::kFirehose, firehose({good}, "other"), "differs"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto push = f.endpoint(c.format);
    const auto request = c.format == PushFormat::kFirehose ? firehose_request(c.body) : keyed(c.body);
    PushOutcome outcome;
    const auto response = push->handle(request, &outcome);
    EXPECT_EQ(response.status, 400) << response.body;
    const Json answer = Json::parse(response.body);
    const std::string message =
        c.format == PushFormat::kFirehose ? answer.value("errorMessage", "") : answer.value("message", "");
    EXPECT_NE(message.find(c.reason), std::string::npos) << message;
    if (c.format == PushFormat::kFirehose) {
      EXPECT_EQ(answer["requestId"], "req-1");
    }
    EXPECT_TRUE(f.events().empty()) << "nothing of a refused request is stored";
    EXPECT_EQ(push->stats().rejected, 1U);
  }
  EXPECT_EQ(f.wakes, 0);
}

TEST(PushIngest, BodiesPastTheLimitAreAnswered413) {
  Fixture f;
  EXPECT_EQ(f.endpoint(PushFormat::kEventBridge)->max_body_bytes(), 256U * 1024);
  EXPECT_EQ(f.endpoint(PushFormat::kFirehose)->max_body_bytes(), 64U * 1024 * 1024);
  EXPECT_EQ(f.endpoint(PushFormat::kJsonLines)->max_body_bytes(), 64U * 1024 * 1024);
  auto push = f.endpoint(PushFormat::kEventBridge);
  Json detail = Json::parse(record("AuthorizeSecurityGroupIngress", f.now_s()));
  detail["padding"] = std::string(256 * 1024, 'x');
  const auto response = push->handle(keyed(eventbridge(detail.dump())));
  EXPECT_EQ(response.status, 413) << response.body.substr(0, 200);
  EXPECT_TRUE(f.events().empty());

  // A gzip body that inflates past the limit.
  auto small = f.endpoint(PushFormat::kJsonLines, 4096);
  std::string lines;
  while (lines.size() < 10000) lines += record("DescribeInstances", f.now_s()) + "\n";
  auto request = keyed(testing::gzip_compress(lines));
  request.headers.push_back({"Content-Encoding", "gzip"});
  ASSERT_LT(request.body.size(), 4096U);
  EXPECT_EQ(small->handle(request).status, 413);
  auto hose = f.endpoint(PushFormat::kFirehose, 100);
  const auto refused = hose->handle(firehose_request(firehose({record("DescribeInstances", f.now_s())})));
  EXPECT_EQ(refused.status, 413);
  EXPECT_EQ(Json::parse(refused.body)["requestId"], "req-1");
  EXPECT_TRUE(f.events().empty());
}

TEST(PushIngest, EventsPutLogEventsRefusesAreCountedNotStored) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kJsonLines);
  Json huge = Json::parse(record("DescribeInstances", f.now_s()));
  huge["padding"] = std::string(300 * 1024, 'x');
  const std::string body = record("DescribeInstances", f.now_s() - 20 * 86400) + "\n" + huge.dump() + "\n" +
                           record("CreateSecurityGroup", f.now_s() - 1) + "\n";
  PushOutcome outcome;
  const auto response = push->handle(keyed(body), &outcome);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Json::parse(response.body),
            (Json{{"status", "stored"}, {"records", 3}, {"stored", 1}, {"refused", 2}, {"ignored", 0}}));
  EXPECT_EQ(f.events().at("111122223333_CloudTrail_us-west-2").size(), 1U);
}

TEST(PushIngest, ManyRecordsAcrossStreamsAndDaysAreCutIntoBatchesPutLogEventsAccepts) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kJsonLines);
  std::string body;
  const std::int64_t now = f.now_s();
  for (int i = 0; i < 12000; ++i) {
    body += record("DescribeInstances", now - 3 * 86400 + (i % 3) * 86400 + i, i % 2 ? "111122223333" : "444455556666",
                   "us-west-2", i) +
            "\n";
  }
  PushOutcome outcome;
  const auto response = push->handle(keyed(body), &outcome);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(outcome.stored, 12000U);
  const auto events = f.events();
  EXPECT_EQ(events.count("111122223333_CloudTrail_us-west-2"), 1U);
  EXPECT_EQ(events.count("444455556666_CloudTrail_us-west-2"), 1U);
}

TEST(PushIngest, AFirehoseRetryUnderTheSameRequestIdStoresNothingTwice) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kFirehose);
  const std::int64_t t = f.now_s() - 60;
  const std::string body = firehose({record("CreateSecurityGroup", t, "111122223333", "us-west-2", 1),
                                     record("AuthorizeSecurityGroupIngress", t + 1, "111122223333", "us-west-2", 2),
                                     record("DescribeInstances", t + 2, "111122223333", "us-east-1", 3)},
                                    "a1b2c3d4-0000-4000-8000-000000000001");
  const auto request = firehose_request(body, kKey, "a1b2c3d4-0000-4000-8000-000000000001");
  PushOutcome first;
  EXPECT_EQ(push->handle(request, &first).status, 200);
  EXPECT_EQ(first.stored, 3U);
  EXPECT_EQ(first.repeated, 0U);

  // Firehose did not see the answer and sends the same request again: 200, nothing stored.
  PushOutcome again;
  const auto response = push->handle(request, &again);
  EXPECT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Json::parse(response.body)["requestId"], "a1b2c3d4-0000-4000-8000-000000000001");
  EXPECT_EQ(again.records, 3U);
  EXPECT_EQ(again.stored, 0U);
  EXPECT_EQ(again.repeated, 3U);
  auto events = f.events();
  EXPECT_EQ(events["111122223333_CloudTrail_us-west-2"].size() + events["111122223333_CloudTrail_us-east-1"].size(), 3U);
  EXPECT_EQ(push->stats().repeated, 3U);
  EXPECT_EQ(push->stats().stored, 3U);

  // The same id with another body is another request (a sender reusing ids): stored.
  const std::string other = firehose({record("DeleteSecurityGroup", t + 3, "111122223333", "us-west-2", 4)},
                                     "a1b2c3d4-0000-4000-8000-000000000001");
  PushOutcome reused;
  EXPECT_EQ(push->handle(firehose_request(other, kKey, "a1b2c3d4-0000-4000-8000-000000000001"), &reused).status, 200);
  EXPECT_EQ(reused.stored, 1U);

  // JSON lines carry no request id: the same body twice is stored twice (at least once).
  auto lines = f.endpoint(PushFormat::kJsonLines);
  const std::string line = record("RevokeSecurityGroupEgress", t + 4, "111122223333", "us-west-2", 5) + "\n";
  PushOutcome l1;
  PushOutcome l2;
  lines->handle(keyed(line), &l1);
  lines->handle(keyed(line), &l2);
  EXPECT_EQ(l1.stored + l2.stored, 2U);
}

TEST(PushIngest, AFirehoseRetryAfterAPartialStoreStoresOnlyTheBatchesLeft) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kFirehose);
  // 12,000 records over two accounts and three days: several PutLogEvents batches.
  std::vector<std::string> records;
  const std::int64_t now = f.now_s();
  for (int i = 0; i < 12000; ++i) {
    records.push_back(record("DescribeInstances", now - 3 * 86400 + (i % 3) * 86400 + i,
                             i % 2 ? "111122223333" : "444455556666", "us-west-2", i));
  }
  const std::string id = "b1b2c3d4-0000-4000-8000-000000000002";
  const auto request = firehose_request(firehose(records, id), kKey, id);
  PushOutcome whole;
  EXPECT_EQ(push->handle(request, &whole).status, 200);
  EXPECT_EQ(whole.stored, 12000U);

  // As if the process had been killed after the first batch's commit: the checkpoint says 1 of N.
  const std::string source = "firehose:" + kGroup + ":" + id;
  auto position = f.logs->checkpoint(source);
  ASSERT_TRUE(position && *position);
  const std::string text = **position;
  const std::size_t slash = text.find('/');
  ASSERT_NE(slash, std::string::npos) << text;
  const int batches = std::stoi(text.substr(slash + 1));
  EXPECT_EQ(text.substr(0, slash), std::to_string(batches)) << text;  // all done
  ASSERT_GT(batches, 2) << text;
  ASSERT_TRUE(f.store->begin());
  ASSERT_TRUE(f.store->set_checkpoint(source, "1" + text.substr(slash)));
  ASSERT_TRUE(f.store->commit());

  PushOutcome resumed;
  EXPECT_EQ(push->handle(request, &resumed).status, 200);
  EXPECT_GT(resumed.repeated, 0U);  // the first batch
  EXPECT_EQ(resumed.stored + resumed.repeated, 12000U);
  // Batches 2..N were stored again (the rewind above undid no events); the group counts each event.
  const auto groups = f.logs->telemetry().groups;
  ASSERT_EQ(groups.size(), 1U);
  EXPECT_EQ(groups[0].events, 12000U + resumed.stored);
  EXPECT_EQ(**f.logs->checkpoint(source), text);
}

TEST(PushIngest, FirehoseRequestIdsAreForgottenAfterADay) {
  Fixture f;
  auto push = f.endpoint(PushFormat::kFirehose);
  const std::string old_body = firehose({record("CreateSecurityGroup", f.now_s() - 10)}, "old");
  EXPECT_EQ(push->handle(firehose_request(old_body, kKey, "old")).status, 200);
  ASSERT_TRUE(*f.logs->checkpoint("firehose:" + kGroup + ":old"));
  f.clock.advance(kFirehoseRequestIdMemoryMs + 3600 * 1000);
  const std::string new_body = firehose({record("CreateSecurityGroup", f.now_s() - 10)}, "new");
  EXPECT_EQ(push->handle(firehose_request(new_body, kKey, "new")).status, 200);
  EXPECT_FALSE(*f.logs->checkpoint("firehose:" + kGroup + ":old"));
  EXPECT_TRUE(*f.logs->checkpoint("firehose:" + kGroup + ":new"));
}

TEST(PushIngest, FormatNamesAndConstantTimeComparison) {
  for (const PushFormat format : {PushFormat::kEventBridge, PushFormat::kFirehose, PushFormat::kJsonLines}) {
    const auto parsed = parse_push_format(push_format_name(format));
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(*parsed, format);
  }
  EXPECT_FALSE(parse_push_format("json").has_value());
  EXPECT_TRUE(constant_time_equals("abc", "abc"));
  EXPECT_TRUE(constant_time_equals("", ""));
  EXPECT_FALSE(constant_time_equals("abc", "abd"));
  EXPECT_FALSE(constant_time_equals("abc", "ab"));
  EXPECT_FALSE(constant_time_equals("", "a"));
}

}  // namespace
}  // namespace sgwatch::engine
