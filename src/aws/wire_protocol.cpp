// Implementation of wire_protocol.h. Versions, namespaces and targets are those of the AWS CLI
// captures in ../shared/fixtures/aws-wire (README, "Protocols per service").
#include "aws/wire_protocol.h"

#include <algorithm>
#include <array>

namespace sgwatch::aws {

namespace {

// Sorted (has_operation searches them); a unit test checks the order.
constexpr std::array<std::string_view, 21> kLogsOperations = {
    "CreateLogGroup",        "CreateLogStream",       "DeleteLogGroup",    "DeleteLogStream",
    "DeleteMetricFilter",    "DeleteRetentionPolicy", "DescribeLogGroups", "DescribeLogStreams",
    "DescribeMetricFilters", "FilterLogEvents",       "GetLogEvents",      "ListTagsForResource",
    "ListTagsLogGroup",      "PutLogEvents",          "PutMetricFilter",   "PutRetentionPolicy",
    "TagLogGroup",           "TagResource",           "TestMetricFilter",  "UntagLogGroup",
    "UntagResource",
};

constexpr std::array<std::string_view, 15> kCloudWatchOperations = {
    "DeleteAlarms",        "DescribeAlarmHistory", "DescribeAlarms", "DescribeAlarmsForMetric",
    "DisableAlarmActions", "EnableAlarmActions",   "GetMetricData",  "GetMetricStatistics",
    "ListMetrics",         "ListTagsForResource",  "PutMetricAlarm", "PutMetricData",
    "SetAlarmState",       "TagResource",          "UntagResource",
};

constexpr std::array<std::string_view, 16> kSnsOperations = {
    "ConfirmSubscription",
    "CreateTopic",
    "DeleteTopic",
    "GetSubscriptionAttributes",
    "GetTopicAttributes",
    "ListSubscriptions",
    "ListSubscriptionsByTopic",
    "ListTagsForResource",
    "ListTopics",
    "Publish",
    "SetSubscriptionAttributes",
    "SetTopicAttributes",
    "Subscribe",
    "TagResource",
    "Unsubscribe",
    "UntagResource",
};

constexpr std::array<std::string_view, 3> kStsOperations = {"AssumeRole", "GetCallerIdentity",
                                                            "GetSessionToken"};

constexpr std::array<std::string_view, 4> kEc2Operations = {
    "DescribeRegions", "DescribeSecurityGroupRules", "DescribeSecurityGroups", "DescribeVpcs"};

constexpr std::array<std::string_view, 6> kCloudTrailOperations = {
    "DescribeTrails", "GetEventSelectors", "GetTrail",
    "GetTrailStatus", "ListTrails",        "LookupEvents"};

const std::array<ServiceInfo, 6> kServices = {{
    {Service::kLogs, "logs", "logs", "", "", Protocol::kAwsQuery, "Logs_20140328",
     Protocol::kAwsJson1_1, false, "", kLogsOperations},
    {Service::kCloudWatch, "cloudwatch", "monitoring", "2010-08-01",
     "http://monitoring.amazonaws.com/doc/2010-08-01/", Protocol::kAwsQuery,
     "GraniteServiceVersion20100801", Protocol::kAwsJson1_0, true, "com.amazonaws.cloudwatch",
     kCloudWatchOperations},
    {Service::kSns, "sns", "sns", "2010-03-31", "http://sns.amazonaws.com/doc/2010-03-31/",
     Protocol::kAwsQuery, "", Protocol::kAwsJson1_0, false, "", kSnsOperations},
    {Service::kSts, "sts", "sts", "2011-06-15", "https://sts.amazonaws.com/doc/2011-06-15/",
     Protocol::kAwsQuery, "", Protocol::kAwsJson1_0, false, "", kStsOperations},
    {Service::kEc2, "ec2", "ec2", "2016-11-15", "http://ec2.amazonaws.com/doc/2016-11-15/",
     Protocol::kEc2Query, "", Protocol::kAwsJson1_0, false, "", kEc2Operations},
    {Service::kCloudTrail, "cloudtrail", "cloudtrail", "", "", Protocol::kAwsQuery,
     "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", Protocol::kAwsJson1_1, false, "",
     kCloudTrailOperations},
}};

template <class Key>
std::optional<Service> find_service(Key key, std::string_view text) {
  if (text.empty()) return std::nullopt;
  for (const ServiceInfo& info : kServices) {
    if (key(info) == text) return info.service;
  }
  return std::nullopt;
}

}  // namespace

const ServiceInfo& service_info(Service service) {
  return kServices[static_cast<std::size_t>(service)];
}

std::span<const ServiceInfo> all_services() {
  return kServices;
}

std::string_view protocol_name(Protocol protocol) {
  switch (protocol) {
    case Protocol::kAwsQuery:
      return "awsQuery";
    case Protocol::kEc2Query:
      return "ec2";
    case Protocol::kAwsJson1_0:
      return "awsJson1_0";
    case Protocol::kAwsJson1_1:
      return "awsJson1_1";
  }
  return "awsQuery";
}

bool is_json(Protocol protocol) {
  return protocol == Protocol::kAwsJson1_0 || protocol == Protocol::kAwsJson1_1;
}

std::optional<Service> service_by_target_prefix(std::string_view prefix) {
  return find_service([](const ServiceInfo& info) { return info.json_target_prefix; }, prefix);
}

std::optional<Service> service_by_query_version(std::string_view version) {
  return find_service([](const ServiceInfo& info) { return info.query_version; }, version);
}

std::optional<Service> service_by_signing_name(std::string_view signing_name) {
  return find_service([](const ServiceInfo& info) { return info.signing_name; }, signing_name);
}

bool has_operation(const ServiceInfo& info, std::string_view operation) {
  return std::binary_search(info.operations.begin(), info.operations.end(), operation);
}

}  // namespace sgwatch::aws
