// S3 bucket prefix sources of `sgwatch serve` (engine/s3_feed.h) against moto_server: two log
// groups, one fed by listing a bucket prefix, one by SQS event notifications (an S3 event sent
// straight to the queue, and CloudTrail's own notice inside an SNS envelope); real CloudTrail
// gzip objects under AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/; the CIS 4.10 metric filter,
// alarm and a file subscription set up through the AWS CLI. Each alarm fires, each record is
// stored once, the queue is emptied, and after a kill -9 and a restart nothing is read again.
// Bad `s3` settings stop serve at start.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <memory>
#include <set>
#include <nlohmann/json.hpp>
#include <thread>

#include "support/aws_cli.h"
#include "support/gzip.h"
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

const CliCredentials kCredentials{"AKIASGWATCHS3SOURCE1", "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567", "us-east-1"};
const CliCredentials kMotoCredentials{"testing", "testing", "us-east-1"};
constexpr const char* kPattern =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";

std::string utc(const char* format) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  char text[64];
  std::strftime(text, sizeof text, format, std::gmtime(&seconds));
  return text;
}

// The real CloudTrail record of stratus-red-team's "open port 22" attack and a read-only call,
// stamped now (CloudWatch Logs refuses events older than 14 days), as CloudTrail's S3 object.
std::string cloudtrail_object(const std::string& event_id) {
  std::ifstream in(fs::path(SGWATCH_SHARED_DIR) / "data/cloudtrail/stratus-red-team/"
                                                  "aws.exfiltration.ec2-security-group-open-port-22-ingress.json");
  const Json records = Json::parse(in, nullptr, false);
  if (!records.is_array() || records.empty()) return {};
  Json attack = records[0];
  attack["eventTime"] = utc("%Y-%m-%dT%H:%M:%SZ");
  attack["eventID"] = event_id;
  Json read = attack;
  read["eventName"] = "DescribeSecurityGroups";
  read["eventID"] = event_id + "-read";
  return testing::gzip_compress(Json{{"Records", {attack, read}}}.dump());
}

std::string object_key(const std::string& name) {
  return "AWSLogs/123456789012/CloudTrail/us-east-1/" + utc("%Y/%m/%d") + "/123456789012_CloudTrail_us-east-1_" +
         utc("%Y%m%dT%H%MZ") + "_" + name + ".json.gz";
}

class ServeS3 : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::is_executable("/usr/bin/aws")) << "Debian's awscli (scripts/install-deps) is needed";
    cli_config_ = testing::write_cli_config(dir_.path());
  }

  ProcessResult moto_cli(std::vector<std::string> arguments) {
    ProcessResult result = testing::run_cli(cli_, moto_.endpoint_url(), cli_config_, kMotoCredentials, std::move(arguments));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result;
  }

  std::unique_ptr<ServerProcess> start_serve(const fs::path& config, int port) {
    testing::ServerOptions options;
    options.argv = {SGWATCH_BINARY, "serve", "--config", config.string(), "--listen",
                    "127.0.0.1:" + std::to_string(port), "--state-dir", (dir_.path() / "state").string()};
    options.ready = testing::ReadyWhen::kPortOpen;
    options.port = port;
    // The S3 sources' credentials, as the AWS CLI would find them.
    options.environment = {"AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing",
                           "AWS_EC2_METADATA_DISABLED=true", "AWS_SHARED_CREDENTIALS_FILE=/nonexistent",
                           "AWS_CONFIG_FILE=/nonexistent"};
    return std::make_unique<ServerProcess>(options);
  }

  TempDir dir_;
  testing::MotoServer moto_;
  const Cli cli_ = testing::cli_v2();
  fs::path cli_config_;
};

TEST_F(ServeS3, ListedAndNotifiedObjectsFireTheCis410AlarmOnceAndSurviveAKill) {
  moto_cli({"s3api", "create-bucket", "--bucket", "trail-listed"});
  moto_cli({"s3api", "create-bucket", "--bucket", "trail-notified"});
  const Json queue = Json::parse(moto_cli({"sqs", "create-queue", "--queue-name", "trail-objects"}).out);
  const std::string queue_url = queue.value("QueueUrl", "");
  ASSERT_FALSE(queue_url.empty());

  const fs::path notifications = dir_.path() / "notifications.jsonl";
  const fs::path config = dir_.path() / "sgwatch.yaml";
  std::ofstream(config) << "region: us-east-1\n"
                        << "credentials:\n  - access-key-id: " << kCredentials.access_key_id
                        << "\n    secret-access-key: " << kCredentials.secret_access_key << "\n"
                        << "log-groups:\n"
                        << "  - name: CloudTrail/listed\n"
                        << "    s3:\n"
                        << "      bucket: trail-listed\n"
                        << "      prefix: AWSLogs/\n"
                        << "      region: us-east-1\n"
                        << "      endpoint-url: " << moto_.endpoint_url() << "\n"
                        << "      poll-seconds: 0.5\n"
                        << "  - name: CloudTrail/notified\n"
                        << "    s3:\n"
                        << "      bucket: trail-notified\n"
                        << "      prefix: AWSLogs/\n"
                        << "      region: us-east-1\n"
                        << "      endpoint-url: " << moto_.endpoint_url() << "\n"
                        << "      sqs-queue-url: " << queue_url << "\n"
                        << "      poll-seconds: 1\n";
  const int port = testing::free_port();
  std::unique_ptr<ServerProcess> serve = start_serve(config, port);
  const auto aws = [&](std::vector<std::string> arguments) {
    ProcessResult result = testing::run_cli(cli_, serve->url(), cli_config_, kCredentials, std::move(arguments));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result;
  };
  aws({"sns", "create-topic", "--name", "SecurityGroupChanges"});
  aws({"sns", "subscribe", "--topic-arn", "arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges", "--protocol",
       "file", "--notification-endpoint", notifications.string()});
  for (const std::string which : {"Listed", "Notified"}) {
    const std::string group = which == "Listed" ? "CloudTrail/listed" : "CloudTrail/notified";
    aws({"logs", "put-metric-filter", "--log-group-name", group, "--filter-name", "SecurityGroupEventCount",
         "--metric-transformations", "metricName=" + which + "SecurityGroupEventCount,metricNamespace=CISBenchmark,metricValue=1",
         "--filter-pattern", kPattern});
    aws({"cloudwatch", "put-metric-alarm", "--alarm-name", which + "SecurityGroupChangesAlarm", "--metric-name",
         which + "SecurityGroupEventCount", "--namespace", "CISBenchmark", "--statistic", "Sum", "--period", "300",
         "--threshold", "1", "--comparison-operator", "GreaterThanOrEqualToThreshold", "--evaluation-periods", "1",
         "--alarm-actions", "arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges"});
  }

  // The objects: one in the listed bucket; two in the notified one, each announced in SQS.
  const fs::path body = dir_.path() / "object.json.gz";
  const auto put = [&](const std::string& bucket, const std::string& key, const std::string& id) {
    std::ofstream(body, std::ios::binary | std::ios::trunc) << cloudtrail_object(id);
    moto_cli({"s3api", "put-object", "--bucket", bucket, "--key", key, "--body", body.string()});
  };
  const std::string listed_key = object_key("listed");
  put("trail-listed", listed_key, "11111111-0000-4000-8000-000000000001");
  const std::string first_key = object_key("first+one");  // '+' travels URL-encoded in S3 events
  put("trail-notified", first_key, "22222222-0000-4000-8000-000000000001");
  std::string encoded = first_key;
  encoded.replace(encoded.find('+'), 1, "%2B");
  const Json s3_event = {{"Records",
                          {{{"eventVersion", "2.1"},
                            {"eventSource", "aws:s3"},
                            {"eventName", "ObjectCreated:Put"},
                            {"s3", {{"bucket", {{"name", "trail-notified"}}}, {"object", {{"key", encoded}}}}}}}}};
  moto_cli({"sqs", "send-message", "--queue-url", queue_url, "--message-body", s3_event.dump()});
  const std::string second_key = object_key("second");
  put("trail-notified", second_key, "22222222-0000-4000-8000-000000000002");
  const Json notice = {{"s3Bucket", "trail-notified"}, {"s3ObjectKey", {second_key}}};
  const Json envelope = {{"Type", "Notification"},
                         {"MessageId", "5f2b7c1e-3a4d-4e5f-8a9b-0c1d2e3f4a5b"},
                         {"TopicArn", "arn:aws:sns:us-east-1:123456789012:cloudtrail-delivery"},
                         {"Message", notice.dump()}};
  moto_cli({"sqs", "send-message", "--queue-url", queue_url, "--message-body", envelope.dump()});
  moto_cli({"sqs", "send-message", "--queue-url", queue_url, "--message-body", "not a notification"});

  std::string delivered;
  for (int i = 0; i < 300; ++i) {
    delivered = testing::read_text_file(notifications);
    if (delivered.find("ListedSecurityGroupChangesAlarm") != std::string::npos &&
        delivered.find("NotifiedSecurityGroupChangesAlarm") != std::string::npos) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(delivered.find("ListedSecurityGroupChangesAlarm"), std::string::npos) << serve->errors();
  EXPECT_NE(delivered.find("NotifiedSecurityGroupChangesAlarm"), std::string::npos) << serve->errors();

  const auto event_ids = [&](const std::string& group) {
    std::multiset<std::string> ids;
    const Json events =
        Json::parse(aws({"logs", "filter-log-events", "--log-group-name", group}).out, nullptr, false);
    if (!events.is_object()) return ids;
    for (const Json& event : events.value("events", Json::array())) {
      ids.insert(Json::parse(event.value("message", "{}"), nullptr, false).value("eventID", ""));
    }
    return ids;
  };
  // Both objects of the notified bucket arrive (through the queue: the listing ran before they
  // existed and runs again only after 15 minutes).
  std::multiset<std::string> notified;
  for (int i = 0; i < 100 && notified.size() < 4; ++i) {
    notified = event_ids("CloudTrail/notified");
    if (notified.size() < 4) std::this_thread::sleep_for(100ms);
  }
  const std::multiset<std::string> expected_notified = {
      "22222222-0000-4000-8000-000000000001", "22222222-0000-4000-8000-000000000001-read",
      "22222222-0000-4000-8000-000000000002", "22222222-0000-4000-8000-000000000002-read"};
  EXPECT_EQ(notified, expected_notified) << serve->errors();
  const std::multiset<std::string> expected_listed = {"11111111-0000-4000-8000-000000000001",
                                                      "11111111-0000-4000-8000-000000000001-read"};
  EXPECT_EQ(event_ids("CloudTrail/listed"), expected_listed);
  EXPECT_NE(serve->errors().find("the message is not JSON; deleted"), std::string::npos) << serve->errors();

  // Every message was deleted (the unreadable one too).
  Json attributes;
  for (int i = 0; i < 50; ++i) {
    attributes = Json::parse(moto_cli({"sqs", "get-queue-attributes", "--queue-url", queue_url, "--attribute-names",
                                       "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"})
                                 .out,
                             nullptr, false);
    if (attributes.is_object() && attributes["Attributes"].value("ApproximateNumberOfMessages", "") == "0" &&
        attributes["Attributes"].value("ApproximateNumberOfMessagesNotVisible", "") == "0") {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(attributes["Attributes"].value("ApproximateNumberOfMessages", ""), "0") << attributes;
  EXPECT_EQ(attributes["Attributes"].value("ApproximateNumberOfMessagesNotVisible", ""), "0") << attributes;

  // kill -9, then a restart over the same state: the listings at start find every object done.
  ::kill(serve->pid(), SIGKILL);
  serve->stop();
  serve.reset();
  serve = start_serve(config, port);
  std::string errors;
  for (int i = 0; i < 100 && errors.find("listening on") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    errors = serve->errors();
  }
  std::this_thread::sleep_for(3s);  // several listings of the listed bucket, one of the notified one
  EXPECT_EQ(event_ids("CloudTrail/listed"), expected_listed);
  EXPECT_EQ(event_ids("CloudTrail/notified"), expected_notified);
  errors = serve->errors();
  EXPECT_EQ(errors.find("records from record"), std::string::npos) << errors;
  EXPECT_NE(errors.find("s3://trail-notified/AWSLogs/ with notifications from " + queue_url), std::string::npos)
      << errors;
}

// Bad `s3` settings stop serve at start (exit 2) with the line and the reason.
TEST(ServeS3Config, BadS3SettingsAreRefusedAtStart) {
  TempDir dir;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"      prefix: AWSLogs/\n", "bucket: expected a bucket name"},
      {"      bucket: trail\n      sqs-url: http://x\n", "unknown setting \"sqs-url\""},
      {"      bucket: trail\n      poll-seconds: 0\n", "poll-seconds: expected seconds between 0.05 and 3600"},
      {"      bucket: trail/AWSLogs\n", "bucket: expected a bucket name"},
      {"      bucket: trail\n      prefix: /AWSLogs/\n", "prefix: a key prefix does not start with '/'"},
  };
  for (const auto& [settings, reason] : cases) {
    const fs::path config = dir.path() / "sgwatch.yaml";
    std::ofstream(config, std::ios::trunc) << "log-groups:\n  - name: CloudTrail/s3\n    s3:\n" << settings;
    const ProcessResult result = testing::run_process(
        {SGWATCH_BINARY, "serve", "--config", config.string(), "--state-dir", (dir.path() / "state").string()});
    EXPECT_EQ(result.exit_code, 2) << settings;
    EXPECT_NE(result.err.find(reason), std::string::npos) << settings << result.err;
    EXPECT_NE(result.err.find("log-groups: s3: "), std::string::npos) << settings << result.err;
  }
}

}  // namespace
}  // namespace sgwatch
