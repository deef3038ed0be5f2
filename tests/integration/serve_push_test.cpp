// HTTP push endpoints of `sgwatch serve` (engine/push_ingest.h), end to end: a config names two
// log groups with push endpoints (EventBridge API destination, Firehose HTTP endpoint delivery);
// the CIS 4.10 metric filter and an alarm per group, with a file subscription, are set up through
// the AWS CLI; a real AuthorizeSecurityGroupIngress record POSTed as an EventBridge event and
// again in a Firehose batch fires each alarm and the notifications arrive; wrong keys get 401.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "notify/json_text.h"
#include "support/aws_cli.h"
#include "support/servers.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace sgwatch {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;
using namespace std::chrono_literals;
using testing::Cli;
using testing::CliCredentials;
using testing::ProcessResult;
using testing::ServerProcess;
using testing::TempDir;

const CliCredentials kCredentials{"AKIASGWATCHPUSH00001", "f1e2d3c4b5a6f7e8d9c0b1a2f3e4d5c6b7a8f9e0", "us-west-2"};
const std::string kEventBridgeKey = "eb-key-4f9d2c";
const std::string kFirehoseKey = "fh-access-key-8b1e7a";
// CIS AWS Foundations Benchmark v3.0.0, 4.10.
constexpr const char* kPattern =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";

// POSTs `body` with `headers`; the status and the answer's body.
std::pair<int, std::string> http_post(const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
                                      const std::string& body, const fs::path& scratch) {
  std::ofstream(scratch, std::ios::binary) << body;
  std::vector<std::string> argv = {
      "/usr/bin/python3", "-c",
      "import sys, urllib.request, urllib.error\n"
      "data = open(sys.argv[2], 'rb').read()\n"
      "request = urllib.request.Request(sys.argv[1], data=data, method='POST')\n"
      "for i in range(3, len(sys.argv), 2):\n"
      "    request.add_header(sys.argv[i], sys.argv[i + 1])\n"
      "try:\n"
      "    r = urllib.request.urlopen(request, timeout=10)\n"
      "    sys.stdout.write('%d\\n' % r.status + r.read().decode())\n"
      "except urllib.error.HTTPError as e:\n"
      "    sys.stdout.write('%d\\n' % e.code + e.read().decode())\n",
      url, scratch.string()};
  for (const auto& [name, value] : headers) {
    argv.push_back(name);
    argv.push_back(value);
  }
  const auto result = testing::run_process(argv);
  const auto newline = result.out.find('\n');
  if (result.exit_code != 0 || newline == std::string::npos) return {0, result.err};
  return {std::stoi(result.out.substr(0, newline)), result.out.substr(newline + 1)};
}

// An answer's JSON object; an empty object when it is not one.
Json object_of(const std::string& text) {
  Json parsed = Json::parse(text, nullptr, false);
  return parsed.is_object() ? parsed : Json::object();
}

// The real CloudTrail record of stratus-red-team's "open port 22" attack, stamped now
// (CloudWatch Logs refuses events older than 14 days).
Json real_record_now() {
  std::ifstream in(fs::path(SGWATCH_SHARED_DIR) / "data/cloudtrail/stratus-red-team/"
                                                  "aws.exfiltration.ec2-security-group-open-port-22-ingress.json");
  const Json records = Json::parse(in, nullptr, false);
  if (!records.is_array() || records.empty()) return {};
  Json record = records[0];
  const std::time_t seconds = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&seconds));
  record["eventTime"] = stamp;
  return record;
}

TEST(ServePush, EventBridgeAndFirehosePushesFireTheCis410AlarmAndWrongKeysGet401) {
  ASSERT_TRUE(testing::is_executable("/usr/bin/aws")) << "Debian's awscli (scripts/install-deps) is needed";
  const Cli cli = testing::cli_v2();
  TempDir dir;
  const fs::path notifications = dir.path() / "notifications.jsonl";
  const fs::path key_file = dir.path() / "firehose.key";
  std::ofstream(key_file) << kFirehoseKey << "\n";
  const fs::path config = dir.path() / "sgwatch.yaml";
  std::ofstream(config) << "region: us-west-2\n"
                        << "credentials:\n  - access-key-id: " << kCredentials.access_key_id
                        << "\n    secret-access-key: " << kCredentials.secret_access_key << "\n"
                        << "log-groups:\n"
                        << "  - name: CloudTrail/management\n"
                        << "    push:\n"
                        << "      path: /ingest/eventbridge\n"
                        << "      format: eventbridge\n"
                        << "      api-key-header: x-sgwatch-key\n"
                        << "      api-key: \"" << kEventBridgeKey << "\"\n"
                        << "  - name: CloudTrail/firehose\n"
                        << "    push:\n"
                        << "      path: /ingest/firehose\n"
                        << "      format: firehose\n"
                        << "      api-key-file: " << key_file.string() << "\n";
  const fs::path cli_config = testing::write_cli_config(dir.path());
  const int port = testing::free_port();
  testing::ServerOptions options;
  options.argv = {SGWATCH_BINARY, "serve", "--config", config.string(), "--listen",
                  "127.0.0.1:" + std::to_string(port), "--state-dir", (dir.path() / "state").string()};
  options.ready = testing::ReadyWhen::kPortOpen;
  options.port = port;
  ServerProcess serve(options);
  const auto aws = [&](std::vector<std::string> arguments) {
    ProcessResult result = testing::run_cli(cli, serve.url(), cli_config, kCredentials, std::move(arguments));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result;
  };
  const Json groups = Json::parse(aws({"logs", "describe-log-groups"}).out);
  ASSERT_EQ(groups["logGroups"].size(), 2U) << groups;

  aws({"sns", "create-topic", "--name", "SecurityGroupChanges"});
  aws({"sns", "subscribe", "--topic-arn", "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges", "--protocol",
       "file", "--notification-endpoint", notifications.string()});
  for (const std::string which : {"EventBridge", "Firehose"}) {
    const std::string group = which == "EventBridge" ? "CloudTrail/management" : "CloudTrail/firehose";
    aws({"logs", "put-metric-filter", "--log-group-name", group, "--filter-name", "SecurityGroupEventCount",
         "--metric-transformations", "metricName=" + which + "SecurityGroupEventCount,metricNamespace=CISBenchmark,metricValue=1",
         "--filter-pattern", kPattern});
    aws({"cloudwatch", "put-metric-alarm", "--alarm-name", which + "SecurityGroupChangesAlarm", "--metric-name",
         which + "SecurityGroupEventCount", "--namespace", "CISBenchmark", "--statistic", "Sum", "--period", "300",
         "--threshold", "1", "--comparison-operator", "GreaterThanOrEqualToThreshold", "--evaluation-periods", "1",
         "--alarm-actions", "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges"});
  }

  const Json record = real_record_now();
  ASSERT_TRUE(record.is_object());
  const fs::path scratch = dir.path() / "body";
  const Json event = {{"version", "0"},
                      {"id", "3e2bd4a5-8a0f-4b5c-9c4f-0d7a5e2b1c90"},
                      {"detail-type", "AWS API Call via CloudTrail"},
                      {"source", "aws.ec2"},
                      {"account", record["recipientAccountId"]},
                      {"time", record["eventTime"]},
                      {"region", record["awsRegion"]},
                      {"resources", Json::array()},
                      {"detail", record}};

  // Wrong keys first: nothing stored, 401.
  const auto denied = http_post(serve.url() + "/ingest/eventbridge", {{"Content-Type", "application/json"},
                                                                     {"x-sgwatch-key", "wrong"}},
                                event.dump(), scratch);
  EXPECT_EQ(denied.first, 401) << denied.second;
  const std::string batch =
      Json{{"requestId", "a1b2c3d4-0000-4000-8000-000000000001"},
           {"timestamp", 1732780800000},
           {"records", {{{"data", notify::base64_encode(record.dump())}}}}}
          .dump();
  const std::vector<std::pair<std::string, std::string>> firehose_headers = {
      {"Content-Type", "application/json"},
      {"X-Amz-Firehose-Protocol-Version", "1.0"},
      {"X-Amz-Firehose-Request-Id", "a1b2c3d4-0000-4000-8000-000000000001"},
      {"X-Amz-Firehose-Source-Arn", "arn:aws:firehose:us-west-2:123456789012:deliverystream/cloudtrail"}};
  auto wrong_headers = firehose_headers;
  wrong_headers.emplace_back("X-Amz-Firehose-Access-Key", "wrong");
  const auto hose_denied = http_post(serve.url() + "/ingest/firehose", wrong_headers, batch, scratch);
  EXPECT_EQ(hose_denied.first, 401) << hose_denied.second;
  const Json hose_denied_answer = object_of(hose_denied.second);
  EXPECT_EQ(hose_denied_answer.value("requestId", ""), "a1b2c3d4-0000-4000-8000-000000000001");
  EXPECT_TRUE(hose_denied_answer.contains("errorMessage"));
  EXPECT_EQ(Json::parse(aws({"logs", "describe-log-streams", "--log-group-name", "CloudTrail/management"}).out)
                ["logStreams"].size(),
            0U);

  // The EventBridge event.
  const auto stored = http_post(serve.url() + "/ingest/eventbridge",
                                {{"Content-Type", "application/json"}, {"x-sgwatch-key", kEventBridgeKey}},
                                event.dump(), scratch);
  EXPECT_EQ(stored.first, 200) << stored.second;
  EXPECT_EQ(object_of(stored.second).value("stored", 0), 1) << stored.second;

  // The Firehose batch.
  auto right_headers = firehose_headers;
  right_headers.emplace_back("X-Amz-Firehose-Access-Key", kFirehoseKey);
  const auto delivered_batch = http_post(serve.url() + "/ingest/firehose", right_headers, batch, scratch);
  EXPECT_EQ(delivered_batch.first, 200) << delivered_batch.second;
  const Json hose_answer = object_of(delivered_batch.second);
  EXPECT_EQ(hose_answer.value("requestId", ""), "a1b2c3d4-0000-4000-8000-000000000001");
  EXPECT_TRUE(hose_answer.contains("timestamp"));
  EXPECT_FALSE(hose_answer.contains("errorMessage"));

  // Both alarms' notifications arrive in the file subscription.
  std::string delivered;
  for (int i = 0; i < 100; ++i) {
    delivered = testing::read_text_file(notifications);
    if (delivered.find("EventBridgeSecurityGroupChangesAlarm") != std::string::npos &&
        delivered.find("FirehoseSecurityGroupChangesAlarm") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(delivered.find("EventBridgeSecurityGroupChangesAlarm"), std::string::npos) << serve.errors();
  EXPECT_NE(delivered.find("FirehoseSecurityGroupChangesAlarm"), std::string::npos) << serve.errors();
  EXPECT_NE(delivered.find("sg-003dc7f1f1c686164"), std::string::npos) << delivered;

  const std::string account = record["recipientAccountId"].get<std::string>();
  const std::string region = record["awsRegion"].get<std::string>();
  for (const std::string group : {"CloudTrail/management", "CloudTrail/firehose"}) {
    const Json streams = Json::parse(aws({"logs", "describe-log-streams", "--log-group-name", group}).out);
    ASSERT_EQ(streams["logStreams"].size(), 1U) << group;
    EXPECT_EQ(streams["logStreams"][0]["logStreamName"], account + "_CloudTrail_" + region);
  }
  const Json alarms = Json::parse(aws({"cloudwatch", "describe-alarms"}).out);
  ASSERT_EQ(alarms["MetricAlarms"].size(), 2U);
  for (const Json& alarm : alarms["MetricAlarms"]) EXPECT_EQ(alarm["StateValue"], "ALARM") << alarm["AlarmName"];

  // /metrics counts each endpoint's requests, the rejected ones and the records stored.
  const auto metrics = testing::run_process(
      {"/usr/bin/python3", "-c", "import sys, urllib.request\nsys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())",
       serve.url() + "/metrics"});
  ASSERT_EQ(metrics.exit_code, 0) << metrics.err;
  for (const std::string& line :
       {std::string("sgwatch_push_requests_total{log_group=\"CloudTrail/management\",path=\"/ingest/eventbridge\","
                    "format=\"eventbridge\"} 2\n"),
        std::string("sgwatch_push_rejected_total{log_group=\"CloudTrail/management\",path=\"/ingest/eventbridge\","
                    "format=\"eventbridge\"} 1\n"),
        std::string("sgwatch_push_events_stored_total{log_group=\"CloudTrail/firehose\",path=\"/ingest/firehose\","
                    "format=\"firehose\"} 1\n")}) {
    EXPECT_NE(metrics.out.find(line), std::string::npos) << line << metrics.out;
  }
}

// Bad `push` settings stop serve at start (exit 2) with the line and the reason.
TEST(ServePush, BadPushSettingsAreRefusedAtStartWithTheLineAndTheReason) {
  TempDir dir;
  struct Case {
    const char* name;
    std::string push;  // the lines under `push:`
    std::string reason;
  };
  const std::vector<Case> cases = {
      {"no key", "      path: /ingest/a\n      format: jsonl\n", "api-key or api-key-file is required"},
      {"both keys", "      path: /ingest/a\n      format: jsonl\n      api-key: k\n      api-key-file: /x\n",
       "give one of them"},
      {"unreadable key file", "      path: /ingest/a\n      format: jsonl\n      api-key-file: /nonexistent/key\n",
       "api-key-file: cannot read"},
      {"unknown format", "      path: /ingest/a\n      format: kinesis\n      api-key: k\n",
       "expected eventbridge, firehose or jsonl"},
      {"a path outside /ingest/", "      path: /healthz\n      format: jsonl\n      api-key: k\n",
       "path: expected a path under /ingest/"},
      {"relative path", "      path: ingest\n      format: jsonl\n      api-key: k\n", "path: expected a path under /ingest/"},
      {"firehose with a header", "      path: /ingest/f\n      format: firehose\n      api-key-header: x\n      api-key: k\n",
       "X-Amz-Firehose-Access-Key"},
      {"unknown key", "      path: /ingest/a\n      format: jsonl\n      api-key: k\n      secret: s\n",
       "unknown setting \"secret\""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    const fs::path config = dir.path() / "sgwatch.yaml";
    std::ofstream(config) << "log-groups:\n  - name: g\n    push:\n" << c.push;
    const auto result = testing::run_process({SGWATCH_BINARY, "serve", "--config", config.string(), "--listen",
                                              "127.0.0.1:0", "--state-dir", (dir.path() / "state").string()});
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_NE(result.err.find("line "), std::string::npos) << result.err;
    EXPECT_NE(result.err.find(c.reason), std::string::npos) << result.err;
  }
  // Two groups on one path.
  const fs::path config = dir.path() / "twice.yaml";
  std::ofstream(config) << "log-groups:\n"
                        << "  - name: a\n    push: {path: /ingest/x, format: jsonl, api-key: k}\n"
                        << "  - name: b\n    push: {path: /ingest/x, format: eventbridge, api-key: k}\n";
  const auto result = testing::run_process({SGWATCH_BINARY, "serve", "--config", config.string(), "--listen",
                                            "127.0.0.1:0", "--state-dir", (dir.path() / "state").string()});
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_NE(result.err.find("path /ingest/x is used by \"a\" too"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace sgwatch
