// Issue acceptance for `sgwatch serve`: the seed's commands, verbatim, with --endpoint-url, from
// Debian's aws-cli 2.9 and again from the pip awscli 1.45 against a fresh `sgwatch serve` process;
// the email subscription confirmed through the link in the confirmation mail (a real SMTP server
// on 127.0.0.1); then one real AuthorizeSecurityGroupIngress record through put-log-events moves
// the alarm to ALARM at once and the alarm mail, naming who made the change, arrives within a
// second.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
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
using testing::ScriptServer;
using testing::ServerProcess;
using testing::TempDir;

const CliCredentials kCredentials{"AKIASGWATCHSERVE0001", "c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1", "us-west-2"};
constexpr const char* kPattern =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";

// The text of a mail, its quoted-printable body decoded.
std::string mail_text(const Json& record) {
  const std::string data = record.at("data").get<std::string>();
  if (data.find("Content-Transfer-Encoding: quoted-printable") == std::string::npos) return data;
  std::string out;
  const auto hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (data[i] != '=') {
      out += data[i];
    } else if (data.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else if (i + 2 < data.size() && hex(data[i + 1]) && hex(data[i + 2])) {
      out += static_cast<char>(std::stoi(data.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += '=';
    }
  }
  return out;
}

std::pair<int, std::string> http_get(const std::string& url) {
  const auto result = testing::run_process(
      {"/usr/bin/python3", "-c",
       "import sys, urllib.request, urllib.error\n"
       "try:\n"
       "    r = urllib.request.urlopen(sys.argv[1], timeout=10)\n"
       "    sys.stdout.write('%d\\n' % r.status + r.read().decode())\n"
       "except urllib.error.HTTPError as e:\n"
       "    sys.stdout.write('%d\\n' % e.code + e.read().decode())\n",
       url});
  const auto newline = result.out.find('\n');
  if (result.exit_code != 0 || newline == std::string::npos) return {0, result.err};
  return {std::stoi(result.out.substr(0, newline)), result.out.substr(newline + 1)};
}

// The real CloudTrail record of stratus-red-team's "open port 22" attack, as one line.
std::string real_record() {
  std::ifstream in(fs::path(SGWATCH_SHARED_DIR) / "data/cloudtrail/stratus-red-team/"
                                                  "aws.exfiltration.ec2-security-group-open-port-22-ingress.json");
  const Json records = Json::parse(in, nullptr, false);
  if (!records.is_array() || records.empty()) return {};
  return records[0].dump();
}

void seed_chain(const Cli& cli) {
  SCOPED_TRACE(cli.label);
  TempDir dir;
  const fs::path credentials = dir.path() / "credentials";
  std::ofstream(credentials) << "[default]\naws_access_key_id = " << kCredentials.access_key_id
                             << "\naws_secret_access_key = " << kCredentials.secret_access_key << "\n";
  const fs::path cli_config = testing::write_cli_config(dir.path());
  ScriptServer smtp("smtp_sink.py", {});
  const int port = testing::free_port();
  testing::ServerOptions options;
  options.argv = {SGWATCH_BINARY, "serve", "--listen", "127.0.0.1:" + std::to_string(port), "--state-dir",
                  (dir.path() / "state").string(), "--region", "us-west-2", "--credentials", credentials.string(),
                  "--smtp-url", "smtp://127.0.0.1:" + std::to_string(smtp.port()), "--smtp-from",
                  "sgwatch@example.com"};
  options.ready = testing::ReadyWhen::kPortOpen;
  options.port = port;
  ServerProcess serve(options);
  const std::string endpoint = serve.url();
  const auto aws = [&](std::vector<std::string> arguments) {
    ProcessResult result = testing::run_cli(cli, endpoint, cli_config, kCredentials, std::move(arguments));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return result;
  };

  // Step 1 stands in for CloudTrail's log group; steps 2-4 are the seed's commands.
  EXPECT_EQ(aws({"logs", "create-log-group", "--log-group-name", "my-log-group"}).out, "");
  EXPECT_EQ(aws({"logs", "put-metric-filter", "--log-group-name", "my-log-group", "--filter-name",
                 "SecurityGroupEventCount", "--metric-transformations",
                 "metricName=SecurityGroupEventCount,metricNamespace=CISBenchmark,metricValue=1", "--filter-pattern",
                 kPattern})
                .out,
            "");
  EXPECT_EQ(Json::parse(aws({"sns", "create-topic", "--name", "SecurityGroupChanges"}).out),
            (Json{{"TopicArn", "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges"}}));
  EXPECT_EQ(Json::parse(aws({"sns", "subscribe", "--topic-arn", "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges",
                             "--protocol", "email", "--notification-endpoint", "my-email@example.com"})
                            .out),
            (Json{{"SubscriptionArn", "pending confirmation"}}));
  EXPECT_EQ(aws({"cloudwatch", "put-metric-alarm", "--alarm-name", "SecurityGroupChangesAlarm", "--alarm-description",
                 "Alert on security group changes", "--metric-name", "SecurityGroupEventCount", "--namespace",
                 "CISBenchmark", "--statistic", "Sum", "--period", "300", "--threshold", "1", "--comparison-operator",
                 "GreaterThanOrEqualToThreshold", "--evaluation-periods", "1", "--alarm-actions",
                 "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges"})
                .out,
            "");

  // The confirmation mail, and its link.
  auto mails = smtp.wait_for_records(1, 10s);
  ASSERT_EQ(mails.size(), 1U) << serve.errors();
  const std::string confirmation = mail_text(mails[0]);
  const auto link_start = confirmation.find(endpoint + "/sns/confirm?");
  ASSERT_NE(link_start, std::string::npos) << confirmation;
  const std::string link = confirmation.substr(link_start, confirmation.find_first_of("\r\n ", link_start) - link_start);
  const auto [status, page] = http_get(link);
  ASSERT_EQ(status, 200) << page;
  const Json subscriptions = Json::parse(aws({"sns", "list-subscriptions-by-topic", "--topic-arn",
                                              "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges"})
                                             .out);
  EXPECT_TRUE(subscriptions["Subscriptions"][0]["SubscriptionArn"].get<std::string>().starts_with(
      "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges:"));

  // One real AuthorizeSecurityGroupIngress record.
  const std::string record = real_record();
  ASSERT_FALSE(record.empty());
  aws({"logs", "create-log-stream", "--log-group-name", "my-log-group", "--log-stream-name", "cloudtrail"});
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  const fs::path events = dir.path() / "events.json";
  std::ofstream(events) << Json::array({Json{{"timestamp", now_ms}, {"message", record}}}).dump();
  aws({"logs", "put-log-events", "--log-group-name", "my-log-group", "--log-stream-name", "cloudtrail", "--log-events",
       "file://" + events.string()});
  const auto put_done = std::chrono::steady_clock::now();
  mails = smtp.wait_for_records(2, 5s);
  const auto mail_after = std::chrono::steady_clock::now() - put_done;
  ASSERT_EQ(mails.size(), 2U) << serve.errors();
  // The alarm mail is at the SMTP server within a second of put-log-events returning.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::milliseconds>(mail_after).count(), 1000);
  const Json alarms = Json::parse(aws({"cloudwatch", "describe-alarms", "--alarm-names", "SecurityGroupChangesAlarm"}).out);
  EXPECT_EQ(alarms["MetricAlarms"][0]["StateValue"], "ALARM");
  const std::string alarm_mail = mail_text(mails[1]);
  EXPECT_NE(alarm_mail.find("Subject: ALARM: \"SecurityGroupChangesAlarm\" in US West (Oregon)"), std::string::npos)
      << alarm_mail;
  EXPECT_NE(alarm_mail.find("has entered the ALARM state"), std::string::npos);
  // Who made the change: the record's principal and source address, and the group.
  EXPECT_NE(alarm_mail.find("253.243.215.253"), std::string::npos) << alarm_mail;
  EXPECT_NE(alarm_mail.find("sg-003dc7f1f1c686164"), std::string::npos) << alarm_mail;
  EXPECT_NE(alarm_mail.find("AuthorizeSecurityGroupIngress"), std::string::npos);
  EXPECT_NE(alarm_mail.find("+ tcp 22 from 208.236.235.254/0"), std::string::npos) << alarm_mail;
}

TEST(Serve, SeedCommandsBuildAWorkingChainWithAwsCli2) {
  ASSERT_TRUE(testing::is_executable("/usr/bin/aws")) << "Debian's awscli (scripts/install-deps) is needed";
  seed_chain(testing::cli_v2());
}

TEST(Serve, SeedCommandsBuildAWorkingChainWithAwsCli1) {
  const auto argv = testing::find_cli_v1();
  ASSERT_TRUE(argv) << "awscli 1.x (pip) is needed on PATH";
  seed_chain(Cli{"awscli 1.45 (pip)", *argv, "json1.0", 255});
}


// A log group named in the config file and fed by a folder of CloudTrail files, as CloudTrail's
// CloudWatch Logs integration feeds one: a delivery object dropped into the folder (S3 layout,
// gzip'd) lands in the stream "<account>_CloudTrail_<region>", the group's metric filter counts
// it, the alarm fires and the topic's file subscription receives the notification.
TEST(Serve, ALogGroupFedByAFolderOfCloudTrailFilesNamedInTheConfig) {
  ASSERT_TRUE(testing::is_executable("/usr/bin/aws")) << "Debian's awscli (scripts/install-deps) is needed";
  const Cli cli = testing::cli_v2();
  TempDir dir;
  const fs::path folder = dir.path() / "cloudtrail";
  fs::create_directories(folder);
  const fs::path notifications = dir.path() / "notifications.jsonl";
  const fs::path config = dir.path() / "sgwatch.yaml";
  std::ofstream(config) << "region: us-west-2\n"
                        << "credentials:\n  - access-key-id: " << kCredentials.access_key_id
                        << "\n    secret-access-key: " << kCredentials.secret_access_key << "\n"
                        << "log-groups:\n  - name: aws-cloudtrail-logs\n    retention-days: 90\n"
                        << "    cloudtrail-folder: " << folder.string() << "\n    poll-seconds: 0.2\n"
                        << "    settle-seconds: 0.2\n";
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
  // The config made the group, with its retention.
  const Json groups = Json::parse(aws({"logs", "describe-log-groups"}).out);
  ASSERT_EQ(groups["logGroups"].size(), 1U);
  EXPECT_EQ(groups["logGroups"][0]["logGroupName"], "aws-cloudtrail-logs");
  EXPECT_EQ(groups["logGroups"][0]["retentionInDays"], 90);
  aws({"logs", "put-metric-filter", "--log-group-name", "aws-cloudtrail-logs", "--filter-name",
       "SecurityGroupEventCount", "--metric-transformations",
       "metricName=SecurityGroupEventCount,metricNamespace=CISBenchmark,metricValue=1", "--filter-pattern", kPattern});
  aws({"sns", "create-topic", "--name", "SecurityGroupChanges"});
  aws({"sns", "subscribe", "--topic-arn", "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges", "--protocol",
       "file", "--notification-endpoint", notifications.string()});
  aws({"cloudwatch", "put-metric-alarm", "--alarm-name", "SecurityGroupChangesAlarm", "--metric-name",
       "SecurityGroupEventCount", "--namespace", "CISBenchmark", "--statistic", "Sum", "--period", "300", "--threshold",
       "1", "--comparison-operator", "GreaterThanOrEqualToThreshold", "--evaluation-periods", "1", "--alarm-actions",
       "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges"});

  // The real record, stamped now (CloudWatch Logs refuses events older than 14 days), in a
  // CloudTrail delivery object.
  Json record = Json::parse(real_record());
  ASSERT_TRUE(record.is_object());
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&seconds));
  record["eventTime"] = stamp;
  const std::string account = record["recipientAccountId"].get<std::string>();
  const std::string region = record["awsRegion"].get<std::string>();
  const fs::path object = folder / "AWSLogs" / account / "CloudTrail" / region / "2026/11/28" /
                          (account + "_CloudTrail_" + region + "_20261128T0000Z_abc.json.gz");
  fs::create_directories(object.parent_path());
  const fs::path staging = dir.path() / "object.json.gz";
  std::ofstream(staging, std::ios::binary) << testing::gzip_compress(Json{{"Records", Json::array({record})}}.dump());
  fs::rename(staging, object);  // as a sync tool drops a finished download

  // The notification arrives in the file subscription.
  std::string delivered;
  for (int i = 0; i < 100 && delivered.find("SecurityGroupChangesAlarm") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    delivered = testing::read_text_file(notifications);
  }
  ASSERT_NE(delivered.find("SecurityGroupChangesAlarm"), std::string::npos) << serve.errors();
  EXPECT_NE(delivered.find("ALARM"), std::string::npos);
  EXPECT_NE(delivered.find("sg-003dc7f1f1c686164"), std::string::npos) << delivered;
  const Json streams = Json::parse(aws({"logs", "describe-log-streams", "--log-group-name", "aws-cloudtrail-logs"}).out);
  ASSERT_EQ(streams["logStreams"].size(), 1U);
  EXPECT_EQ(streams["logStreams"][0]["logStreamName"], account + "_CloudTrail_" + region);
  const Json alarms = Json::parse(aws({"cloudwatch", "describe-alarms", "--alarm-names", "SecurityGroupChangesAlarm"}).out);
  EXPECT_EQ(alarms["MetricAlarms"][0]["StateValue"], "ALARM");

  // /metrics tells the same story in Prometheus text: the event in, the filter's match, the
  // alarm's state, the delivered notification, the feed's counters and the API calls.
  const auto [status, metrics] = http_get(serve.url() + "/metrics");
  EXPECT_EQ(status, 200);
  const std::vector<std::string> expected = {
      "# TYPE sgwatch_log_events_total counter",
      "sgwatch_log_events_total{log_group=\"aws-cloudtrail-logs\"} 1",
      "sgwatch_metric_filter_matches_total{log_group=\"aws-cloudtrail-logs\",filter=\"SecurityGroupEventCount\","
      "metric_namespace=\"CISBenchmark\",metric_name=\"SecurityGroupEventCount\"} 1",
      "sgwatch_alarm_state{alarm=\"SecurityGroupChangesAlarm\",state=\"ALARM\"} 1",
      "sgwatch_alarms{state=\"ALARM\"} 1",
      "sgwatch_notification_attempts_total{protocol=\"file\",result=\"delivered\"} 1",
      "sgwatch_source_events_stored_total{log_group=\"aws-cloudtrail-logs\",folder=\"" + folder.string() + "\"} 1",
      "sgwatch_api_requests_total{service=\"logs\",operation=\"PutMetricFilter\",status=\"200\"} 1",
      "sgwatch_http_refused_total{reason=\"busy\"} 0",
      "sgwatch_http_refused_total{reason=\"body_budget\"} 0",
      "sgwatch_http_body_bytes_limit 67108864"};
  for (const std::string& line : expected) {
    EXPECT_NE(metrics.find(line + "\n"), std::string::npos) << line << "\n" << metrics;
  }
  EXPECT_NE(metrics.find("sgwatch_log_newest_event_age_seconds{log_group=\"aws-cloudtrail-logs\"} "), std::string::npos);
}

}  // namespace
}  // namespace sgwatch
