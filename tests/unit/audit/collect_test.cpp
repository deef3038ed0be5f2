// collect() over a scripted AWS: each answer in the shape the service sends (awsQuery XML, JSON
// 1.1, REST-JSON and their error bodies), so that reading an account is checked without a
// network — which calls go to which region, paging, refused calls kept with their IAM action,
// rejected credentials as an error, a missing topic, Security Hub off.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "audit/audit.h"

namespace sgwatch::audit {
namespace {

using nlohmann::json;

constexpr const char* kTrailArn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management";
constexpr const char* kShadowArn = "arn:aws:cloudtrail:eu-west-1:111122223333:trail/org";
constexpr const char* kTopic = "arn:aws:sns:us-east-1:111122223333:cis-alarms";

struct Call {
  std::string region;     // from the signature's credential scope
  std::string operation;  // X-Amz-Target's last part, Action=, or the REST path
  std::string body;
};

// Answers by operation; records every call with the region that signed it.
struct Account {
  std::map<std::string, aws::TransportResponse> answers;
  std::vector<Call> calls;
  int metric_filter_pages = 0;
};

aws::TransportResponse ok(std::string body) {
  aws::TransportResponse r;
  r.status = 200;
  r.body = std::move(body);
  return r;
}

aws::TransportResponse error(int status, std::string body, std::vector<aws::Header> headers = {}) {
  aws::TransportResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

std::string operation_of(const aws::HttpRequest& request) {
  if (const std::string* target = request.find_header("X-Amz-Target")) return target->substr(target->rfind('.') + 1);
  auto action = request.body.find("Action=");
  if (action != std::string::npos) {
    auto end = request.body.find('&', action);
    return request.body.substr(action + 7, end == std::string::npos ? std::string::npos : end - action - 7);
  }
  return request.method + " " + request.path;
}

class ScriptedTransport : public aws::Transport {
 public:
  explicit ScriptedTransport(Account& account) : account_(account) {}
  core::Result<aws::TransportResponse, std::string> send(const std::string&, const aws::HttpRequest& request,
                                                         std::chrono::milliseconds) override {
    std::string region;
    if (const std::string* auth = request.find_header("Authorization")) {
      auto scope = auth->find("Credential=");
      auto first = auth->find('/', scope);
      auto second = auth->find('/', first + 1);
      auto third = auth->find('/', second + 1);
      region = auth->substr(second + 1, third - second - 1);
    }
    std::string operation = operation_of(request);
    account_.calls.push_back({region, operation, request.body});
    if (operation == "DescribeMetricFilters" && account_.answers.count("DescribeMetricFilters#2") != 0) {
      // Two pages: the second request carries the first page's token.
      if (request.body.find("\"nextToken\"") != std::string::npos) return account_.answers.at("DescribeMetricFilters#2");
    }
    auto found = account_.answers.find(operation);
    if (found == account_.answers.end()) return core::unexpected("no scripted answer for " + operation);
    return found->second;
  }

 private:
  Account& account_;
};

std::string json_filter(const std::string& name, const std::string& pattern, const std::string& metric) {
  return json{{"filterName", name},
              {"filterPattern", pattern},
              {"metricTransformations",
               json::array({{{"metricName", metric}, {"metricNamespace", "CISBenchmark"}, {"metricValue", "1"}}})},
              {"creationTime", 1700000000000},
              {"logGroupName", "CloudTrail/management"}}
      .dump();
}

// A compliant-looking account: a home trail and a shadow copy of another region's org trail.
Account healthy() {
  Account a;
  a.answers["GetCallerIdentity"] = ok(
      R"(<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>)"
      R"(<Arn>arn:aws:iam::111122223333:user/auditor</Arn><UserId>AIDAEXAMPLE</UserId><Account>111122223333</Account>)"
      R"(</GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>)");
  a.answers["DescribeTrails"] = ok(json{{"trailList", json::array({
      {{"Name", "management"}, {"TrailARN", kTrailArn}, {"HomeRegion", "us-east-1"}, {"IsMultiRegionTrail", true},
       {"IsOrganizationTrail", false},
       {"CloudWatchLogsLogGroupArn", "arn:aws:logs:us-east-1:111122223333:log-group:CloudTrail/management:*"}},
      {{"Name", "org"}, {"TrailARN", kShadowArn}, {"HomeRegion", "eu-west-1"}, {"IsMultiRegionTrail", true},
       {"IsOrganizationTrail", true}}})}}.dump());
  a.answers["GetTrailStatus"] =
      ok(R"({"IsLogging": true, "LatestDeliveryTime": 1795000000.123, "LatestCloudWatchLogsDeliveryTime": 1795000100.5})");
  a.answers["GetEventSelectors"] = ok(
      R"({"TrailARN": "x", "EventSelectors": [{"ReadWriteType": "All", "IncludeManagementEvents": true, "DataResources": [], "ExcludeManagementEventSources": []}]})");
  a.answers["DescribeMetricFilters"] =
      ok("{\"metricFilters\": [" + json_filter("sg", "{ $.eventName = CreateSecurityGroup }", "SG") +
         "], \"nextToken\": \"page-2\"}");
  a.answers["DescribeMetricFilters#2"] =
      ok("{\"metricFilters\": [" + json_filter("root", "{ $.userIdentity.type = \"Root\" }", "Root") + "]}");
  a.answers["DescribeAlarms"] = ok(
      R"(<DescribeAlarmsResponse xmlns="http://monitoring.amazonaws.com/doc/2010-08-01/"><DescribeAlarmsResult><MetricAlarms>)"
      R"(<member><AlarmName>sg-alarm</AlarmName><AlarmArn>arn:aws:cloudwatch:us-east-1:111122223333:alarm:sg-alarm</AlarmArn>)"
      R"(<MetricName>SG</MetricName><Namespace>CISBenchmark</Namespace><Statistic>Sum</Statistic><Dimensions/>)"
      R"(<Period>300</Period><EvaluationPeriods>3</EvaluationPeriods><DatapointsToAlarm>1</DatapointsToAlarm>)"
      R"(<Threshold>1.0</Threshold><ComparisonOperator>GreaterThanOrEqualToThreshold</ComparisonOperator>)"
      R"(<TreatMissingData>notBreaching</TreatMissingData><ActionsEnabled>false</ActionsEnabled>)"
      R"(<AlarmActions><member>arn:aws:sns:us-east-1:111122223333:cis-alarms</member></AlarmActions><StateValue>OK</StateValue></member>)"
      R"(<member><AlarmName>cpu</AlarmName><MetricName>CPUUtilization</MetricName><Namespace>AWS/EC2</Namespace>)"
      R"(<Dimensions><member><Name>InstanceId</Name><Value>i-1</Value></member></Dimensions><Statistic>Average</Statistic>)"
      R"(<Period>60</Period><EvaluationPeriods>1</EvaluationPeriods><Threshold>90</Threshold>)"
      R"(<ComparisonOperator>GreaterThanThreshold</ComparisonOperator><AlarmActions><member>arn:aws:sns:us-east-1:111122223333:ops</member></AlarmActions></member>)"
      R"(</MetricAlarms><CompositeAlarms/></DescribeAlarmsResult></DescribeAlarmsResponse>)");
  a.answers["GetTopicAttributes"] = ok(
      R"(<GetTopicAttributesResponse><GetTopicAttributesResult><Attributes/></GetTopicAttributesResult></GetTopicAttributesResponse>)");
  a.answers["ListSubscriptionsByTopic"] = ok(
      R"(<ListSubscriptionsByTopicResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><ListSubscriptionsByTopicResult><Subscriptions>)"
      R"(<member><TopicArn>arn:aws:sns:us-east-1:111122223333:cis-alarms</TopicArn><Protocol>email</Protocol>)"
      R"(<SubscriptionArn>PendingConfirmation</SubscriptionArn><Owner>111122223333</Owner><Endpoint>sec@example.com</Endpoint></member>)"
      R"(</Subscriptions></ListSubscriptionsByTopicResult></ListSubscriptionsByTopicResponse>)");
  a.answers["GET /accounts"] = ok(R"({"HubArn": "arn:aws:securityhub:us-east-1:111122223333:hub/default"})");
  return a;
}

struct Clients {
  explicit Clients(Account& account) : account_(account) {}
  aws::Client& operator()(const std::string& region) {
    auto found = clients.find(region);
    if (found != clients.end()) return *found->second;
    aws::ClientOptions options;
    options.region = region;
    options.credentials = {"AKIDEXAMPLE", "secret", ""};
    options.max_attempts = 1;
    options.now = [] { return std::int64_t{1795000200}; };
    options.sleep = [](std::chrono::milliseconds) {};
    auto client = std::make_unique<aws::Client>(options, std::make_unique<ScriptedTransport>(account_));
    return *clients.emplace(region, std::move(client)).first->second;
  }
  Account& account_;
  std::map<std::string, std::unique_ptr<aws::Client>> clients;
};

core::Result<Snapshot, std::string> read(Account& account) {
  Clients clients(account);
  CollectOptions options;
  options.region = "us-east-1";
  options.now = [] { return std::int64_t{1795000200}; };
  return collect(options, [&clients](const std::string& region) -> aws::Client& { return clients(region); });
}

TEST(AuditCollectTest, ReadsEveryPartOfTheChainFromTheRightRegion) {
  Account account = healthy();
  auto snapshot = read(account);
  ASSERT_TRUE(snapshot.ok()) << snapshot.error();
  EXPECT_EQ(snapshot->account, "111122223333");
  EXPECT_EQ(snapshot->taken_at, 1795000200);
  ASSERT_EQ(snapshot->trails.size(), 2u);
  const Trail& home = snapshot->trails[0];
  EXPECT_TRUE(home.multi_region);
  EXPECT_EQ(home.logging, true);
  EXPECT_EQ(home.latest_delivery_time, 1795000100);
  ASSERT_TRUE(home.capture.has_value());
  EXPECT_TRUE(home.capture->read && home.capture->write);
  EXPECT_TRUE(snapshot->trails[1].organization_trail);
  // The shadow trail's status and selectors are asked in its home region, by ARN.
  int shadow_calls = 0;
  for (const auto& call : account.calls) {
    if ((call.operation == "GetTrailStatus" || call.operation == "GetEventSelectors") &&
        call.body.find("trail/org") != std::string::npos) {
      EXPECT_EQ(call.region, "eu-west-1") << call.operation;
      ++shadow_calls;
    }
  }
  EXPECT_EQ(shadow_calls, 2);
  // Both pages of metric filters.
  const auto& group = snapshot->log_groups.at("CloudTrail/management");
  ASSERT_EQ(group.filters.size(), 2u);
  EXPECT_EQ(group.filters[1].name, "root");
  EXPECT_EQ(group.filters[0].transformations[0].metric_name, "SG");
  // Only the alarm on a filter's metric is kept, with every field the verdict needs.
  ASSERT_EQ(snapshot->alarms.size(), 1u);
  const Alarm& alarm = snapshot->alarms[0];
  EXPECT_EQ(alarm.name, "sg-alarm");
  EXPECT_EQ(alarm.region, "us-east-1");
  EXPECT_EQ(alarm.evaluation_periods, 3);
  EXPECT_EQ(alarm.datapoints_to_alarm, 1);
  EXPECT_EQ(alarm.threshold, 1.0);
  EXPECT_FALSE(alarm.actions_enabled);
  EXPECT_EQ(alarm.treat_missing_data, "notBreaching");
  ASSERT_EQ(alarm.alarm_actions.size(), 1u);
  const Topic& topic = snapshot->topics.at(kTopic);
  ASSERT_EQ(topic.subscriptions.size(), 1u);
  EXPECT_FALSE(topic.subscriptions[0].confirmed());
  EXPECT_EQ(snapshot->security_hub_enabled, true);
  // The ops topic of the unrelated alarm is not read.
  for (const auto& call : account.calls) {
    EXPECT_EQ(call.body.find("%3Aops"), std::string::npos) << call.operation;
  }
}

TEST(AuditCollectTest, ARefusedReadIsKeptWithItsIamActionAndMakesTheControlManual) {
  Account account = healthy();
  account.answers.erase("DescribeMetricFilters#2");
  account.answers["DescribeMetricFilters"] = error(
      400, R"({"__type": "AccessDeniedException", "message": "User: arn:aws:iam::111122223333:user/auditor is not authorized to perform: logs:DescribeMetricFilters"})");
  auto snapshot = read(account);
  ASSERT_TRUE(snapshot.ok()) << snapshot.error();
  const auto& group = snapshot->log_groups.at("CloudTrail/management");
  ASSERT_TRUE(group.failure.has_value());
  EXPECT_TRUE(group.failure->access_denied);
  EXPECT_EQ(group.failure->iam_action, "logs:DescribeMetricFilters");
  auto report = evaluate(*snapshot, lint::Benchmark::kCisV3);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->findings[9].status, Status::kManual);
  EXPECT_EQ(report->findings[9].permissions, std::vector<std::string>{"logs:DescribeMetricFilters"});
}

TEST(AuditCollectTest, RejectedCredentialsAreAnError) {
  Account account = healthy();
  account.answers["GetCallerIdentity"] =
      error(403, R"(<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>)"
                 R"(<Code>InvalidClientTokenId</Code><Message>The security token included in the request is invalid.</Message>)"
                 R"(</Error><RequestId>1</RequestId></ErrorResponse>)");
  auto snapshot = read(account);
  ASSERT_FALSE(snapshot.ok());
  EXPECT_NE(snapshot.error().find("credentials were rejected"), std::string::npos) << snapshot.error();
  EXPECT_NE(snapshot.error().find("InvalidClientTokenId"), std::string::npos) << snapshot.error();
}

TEST(AuditCollectTest, AMissingTopicAndSecurityHubOffAreFactsNotFailures) {
  Account account = healthy();
  account.answers["GetTopicAttributes"] =
      error(404, R"(<ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error></ErrorResponse>)");
  account.answers["GET /accounts"] =
      error(401, R"({"Code": "InvalidAccessException", "Message": "Account 111122223333 is not subscribed to AWS Security Hub"})",
            {{"x-amzn-ErrorType", "InvalidAccessException"}});
  account.answers["GetTrailStatus"] =
      error(400, R"({"__type": "AccessDeniedException", "message": "not authorized to perform: cloudtrail:GetTrailStatus"})");
  auto snapshot = read(account);
  ASSERT_TRUE(snapshot.ok()) << snapshot.error();
  EXPECT_FALSE(snapshot->topics.at(kTopic).exists);
  EXPECT_EQ(snapshot->security_hub_enabled, false);
  EXPECT_FALSE(snapshot->security_hub_failure.has_value());
  ASSERT_TRUE(snapshot->trails[0].status_failure.has_value());
  EXPECT_EQ(snapshot->trails[0].status_failure->iam_action, "cloudtrail:GetTrailStatus");
  EXPECT_FALSE(snapshot->trails[0].logging.has_value());
}

}  // namespace
}  // namespace sgwatch::audit
