// What `sgwatch audit` knows about one AWS account and region: the trails, the metric filters of
// the trails' log groups, the alarms, the SNS topics with their subscriptions, Security Hub, and
// every read that failed (with the IAM action it needed). collect.h fills it from the AWS APIs;
// evaluate.h judges it; tests build it by hand. Facts AWS did not return are std::nullopt
// ("unknown"), never a default that could read as a failure. Pure data.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sgwatch::audit {

// A read that did not answer: the operation, the IAM action it needs, and why.
struct ReadFailure {
  std::string iam_action;   // "logs:DescribeMetricFilters"
  bool access_denied = false;
  std::string message;      // AWS's error, as returned
};

// Which management events a trail's event selectors capture.
struct ManagementCapture {
  bool read = false;   // read-only management events
  bool write = false;  // write management events
  // Event sources excluded from management events by an advanced selector
  // (eventSource NotEquals kms.amazonaws.com / rdsdata.amazonaws.com).
  std::vector<std::string> excluded_sources;
  std::string selectors;  // the selectors as AWS returned them (compact JSON), for evidence
};

struct Trail {
  std::string name;
  std::string arn;
  std::string home_region;
  bool multi_region = false;
  bool organization_trail = false;
  std::string log_group_arn;  // CloudWatchLogsLogGroupArn; empty when the trail sends no logs
  std::optional<bool> logging;                       // GetTrailStatus IsLogging
  std::optional<std::int64_t> latest_delivery_time;  // LatestCloudWatchLogsDeliveryTime (unix s)
  std::string latest_delivery_error;                 // LatestCloudWatchLogsDeliveryError
  std::optional<ManagementCapture> capture;          // GetEventSelectors
  std::optional<ReadFailure> status_failure;
  std::optional<ReadFailure> selectors_failure;
};

struct MetricTransformation {
  std::string metric_name;
  std::string metric_namespace;
  std::string metric_value;                  // "1", or "$.field"
  std::optional<double> default_value;
  std::vector<std::pair<std::string, std::string>> dimensions;  // name -> "$.field"
};

struct MetricFilter {
  std::string log_group;
  std::string name;
  std::string pattern;
  std::vector<MetricTransformation> transformations;
};

struct Alarm {
  std::string region;  // where the alarm lives (its metric is that region's); empty: the audited one
  std::string name;
  std::string arn;
  std::string metric_name;       // empty for a metric-math alarm
  std::string metric_namespace;
  std::string statistic;         // Sum, Average, ...; empty when extended_statistic is set
  std::string extended_statistic;  // p99, ...
  std::vector<std::pair<std::string, std::string>> dimensions;
  std::int64_t period = 0;
  std::int64_t evaluation_periods = 0;
  std::optional<std::int64_t> datapoints_to_alarm;
  std::optional<double> threshold;
  std::string comparison_operator;
  std::string treat_missing_data;  // empty: AWS's default, "missing"
  bool actions_enabled = true;
  std::vector<std::string> alarm_actions;
  bool metric_math = false;  // the alarm watches a Metrics expression
  std::string state;         // OK / ALARM / INSUFFICIENT_DATA
};

struct Subscription {
  std::string arn;  // "PendingConfirmation" until confirmed
  std::string protocol;
  std::string endpoint;
  bool confirmed() const { return !arn.empty() && arn != "PendingConfirmation" && arn != "Deleted"; }
};

struct Topic {
  std::string arn;
  bool exists = true;  // GetTopicAttributes answered NotFound: false
  std::vector<Subscription> subscriptions;
  std::optional<ReadFailure> failure;  // the subscriptions could not be listed
};

struct LogGroupFilters {
  std::vector<MetricFilter> filters;
  std::optional<ReadFailure> failure;
};

struct Snapshot {
  std::string account;   // STS GetCallerIdentity; empty when unknown
  std::string region;    // the audited region
  std::string partition = "aws";
  std::optional<ReadFailure> identity_failure;

  std::vector<Trail> trails;
  std::optional<ReadFailure> trails_failure;

  std::map<std::string, LogGroupFilters> log_groups;  // by log group name, for the trails' groups
  std::vector<Alarm> alarms;
  std::optional<ReadFailure> alarms_failure;
  std::map<std::string, Topic> topics;  // by ARN, for the alarms' SNS actions

  std::optional<bool> security_hub_enabled;
  std::string security_hub_arn;
  std::optional<ReadFailure> security_hub_failure;

  // Unix seconds when the snapshot was taken (delivery recency is judged against it).
  std::int64_t taken_at = 0;
};

// The parts of a log group ARN ("arn:aws:logs:us-east-1:111122223333:log-group:NAME:*").
struct LogGroupArn {
  std::string partition;
  std::string region;
  std::string account;
  std::string name;
};
std::optional<LogGroupArn> parse_log_group_arn(const std::string& arn);

}  // namespace sgwatch::audit
