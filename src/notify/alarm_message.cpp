// Implementation of alarm_message.h. The alarm JSON is written by hand (json_text.h) because
// AWS's bytes are Jackson's: "Threshold":1.0 in Java's number form, "/" and non-ASCII unescaped,
// members in a fixed order with null and empty-string conventions of their own.
#include "notify/alarm_message.h"

#include <fmt/format.h>

#include <array>
#include <utility>

#include "alarms/reason.h"
#include "notify/alert_context.h"
#include "notify/json_text.h"
#include "notify/timestamps.h"
#include "notify/url.h"

namespace sgwatch::notify {
namespace {

using alarms::AlarmDefinition;

// Spec 7.3 lists the first sixteen (CloudWatch writes "EU (...)", not "Europe (...)", and ASCII
// "Sao Paulo"); "EU (Milan)" is seen in captured subjects. The others are not in the spec: they
// follow AWS's long region names with the same "EU" convention (UNCLEAR, inferred).
constexpr std::array<std::pair<std::string_view, std::string_view>, 33> kRegionNames = {{
    {"us-east-1", "US East (N. Virginia)"},
    {"us-east-2", "US East (Ohio)"},
    {"us-west-1", "US West (N. California)"},
    {"us-west-2", "US West (Oregon)"},
    {"ca-central-1", "Canada (Central)"},
    {"sa-east-1", "South America (Sao Paulo)"},
    {"eu-west-1", "EU (Ireland)"},
    {"eu-west-2", "EU (London)"},
    {"eu-west-3", "EU (Paris)"},
    {"eu-central-1", "EU (Frankfurt)"},
    {"eu-north-1", "EU (Stockholm)"},
    {"ap-south-1", "Asia Pacific (Mumbai)"},
    {"ap-southeast-1", "Asia Pacific (Singapore)"},
    {"ap-southeast-2", "Asia Pacific (Sydney)"},
    {"ap-northeast-1", "Asia Pacific (Tokyo)"},
    {"ap-northeast-2", "Asia Pacific (Seoul)"},
    {"eu-south-1", "EU (Milan)"},
    {"eu-south-2", "EU (Spain)"},
    {"eu-central-2", "EU (Zurich)"},
    {"ap-east-1", "Asia Pacific (Hong Kong)"},
    {"ap-northeast-3", "Asia Pacific (Osaka)"},
    {"ap-south-2", "Asia Pacific (Hyderabad)"},
    {"ap-southeast-3", "Asia Pacific (Jakarta)"},
    {"ap-southeast-4", "Asia Pacific (Melbourne)"},
    {"ca-west-1", "Canada West (Calgary)"},
    {"af-south-1", "Africa (Cape Town)"},
    {"me-south-1", "Middle East (Bahrain)"},
    {"me-central-1", "Middle East (UAE)"},
    {"il-central-1", "Israel (Tel Aviv)"},
    {"us-gov-west-1", "AWS GovCloud (US-West)"},
    {"us-gov-east-1", "AWS GovCloud (US-East)"},
    {"cn-north-1", "China (Beijing)"},
    {"cn-northwest-1", "China (Ningxia)"},
}};

constexpr std::size_t kMaxSubjectLength = 100;

// Trigger's "Statistic": the upper-case enum names CloudWatch writes (SAMPLE_COUNT is UNCLEAR in
// the spec: no capture shows it; it follows the enum-name pattern of the other four).
std::string_view trigger_statistic(metrics::StatisticKind kind) {
  switch (kind) {
    case metrics::StatisticKind::kSampleCount:
      return "SAMPLE_COUNT";
    case metrics::StatisticKind::kSum:
      return "SUM";
    case metrics::StatisticKind::kAverage:
      return "AVERAGE";
    case metrics::StatisticKind::kMinimum:
      return "MINIMUM";
    case metrics::StatisticKind::kMaximum:
      return "MAXIMUM";
    case metrics::StatisticKind::kPercentile:
      break;
  }
  return "";
}

void append_member(std::string& out, std::string_view key) {
  if (out.back() != '{') out += ',';
  append_json_string(out, key);
  out += ':';
}

void append_string_member(std::string& out, std::string_view key, std::string_view value) {
  append_member(out, key);
  append_json_string(out, value);
}

void append_string_array(std::string& out, std::string_view key,
                         const std::vector<std::string>& values) {
  append_member(out, key);
  out += '[';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    append_json_string(out, values[i]);
  }
  out += ']';
}

void append_trigger(std::string& out, const AlarmDefinition& alarm) {
  append_member(out, "Trigger");
  out += '{';
  append_string_member(out, "MetricName", alarm.metric_name);
  append_string_member(out, "Namespace", alarm.metric_namespace);
  // Percentile alarms: "ExtendedStatistic" in place of "Statistic" (spec 7.2, UNCLEAR; the shape
  // of a 2022 capture of a Metrics-array alarm).
  if (alarm.extended_statistic) {
    append_string_member(out, "StatisticType", "ExtendedStatistic");
    append_string_member(out, "ExtendedStatistic", alarm.statistic.name);
  } else {
    append_string_member(out, "StatisticType", "Statistic");
    append_string_member(out, "Statistic", trigger_statistic(alarm.statistic.kind));
  }
  append_member(out, "Unit");
  if (alarm.unit) {
    append_json_string(out, *alarm.unit);
  } else {
    out += "null";
  }
  append_member(out, "Dimensions");
  out += '[';
  for (std::size_t i = 0; i < alarm.dimensions.size(); ++i) {
    if (i > 0) out += ',';
    out += "{\"value\":";
    append_json_string(out, alarm.dimensions[i].second);
    out += ",\"name\":";
    append_json_string(out, alarm.dimensions[i].first);
    out += '}';
  }
  out += ']';
  append_member(out, "Period");
  out += std::to_string(alarm.period);
  append_member(out, "EvaluationPeriods");
  out += std::to_string(alarm.evaluation_periods);
  if (alarm.datapoints_to_alarm) {
    append_member(out, "DatapointsToAlarm");
    out += std::to_string(*alarm.datapoints_to_alarm);
  }
  append_string_member(out, "ComparisonOperator", alarms::comparison_name(alarm.comparison));
  append_member(out, "Threshold");
  out += alarms::java_double(alarm.threshold);
  append_string_member(out, "TreatMissingData",
                       alarm.treat_missing_data
                           ? alarms::missing_data_name(*alarm.treat_missing_data)
                           : std::string_view());
  append_string_member(out, "EvaluateLowSampleCountPercentile",
                       alarm.evaluate_low_sample_count_percentile.value_or(""));
  out += '}';
}

// Java's List.toString: "[a, b]"; nothing at all for an empty list (spec 7.4: "- OK: ").
std::string action_list(const std::vector<std::string>& actions) {
  if (actions.empty()) return {};
  std::string out = "[";
  for (std::size_t i = 0; i < actions.size(); ++i) {
    if (i > 0) out += ", ";
    out += actions[i];
  }
  return out + "]";
}

// "[Name = value] [Name = value]" (captured emails with several dimensions separate them with
// one space).
std::string dimension_list(const AlarmDefinition& alarm) {
  std::string out;
  for (const auto& [name, value] : alarm.dimensions) {
    if (!out.empty()) out += ' ';
    out += '[';
    out += name;
    out += " = ";
    out += value;
    out += ']';
  }
  return out;
}

// The readable section sgwatch adds after AWS's email text; empty when the context lists no
// causing events.
std::string context_section(const nlohmann::ordered_json& context) {
  const AlertContext read = read_alert_context(context);
  if (read.events.empty()) return {};
  std::string out = fmt::format("\nCausing events (sgwatch), {} in all:\n", read.total_events);
  for (const ContextEvent& event : read.events) out += "- " + event_line(event) + "\n";
  if (read.total_events > read.events.size()) {
    out += fmt::format("- and {} more\n", read.total_events - read.events.size());
  }
  return out;
}

}  // namespace

std::string_view arn_partition(std::string_view region) {
  if (region.starts_with("us-gov-")) return "aws-us-gov";
  if (region.starts_with("cn-")) return "aws-cn";
  return "aws";
}

std::string region_display_name(std::string_view region) {
  for (const auto& [code, name] : kRegionNames) {
    if (code == region) return std::string(name);
  }
  return std::string(region);
}

std::string alarm_arn(std::string_view region, std::string_view account_id, std::string_view name) {
  return fmt::format("arn:{}:cloudwatch:{}:{}:alarm:{}", arn_partition(region), region, account_id,
                     name);
}

std::string alarm_subject(const AlarmNotice& notice) {
  const std::string prefix = std::string(alarms::state_name(notice.new_state)) + ": \"";
  const std::string suffix = "\" in " + region_display_name(notice.region);
  const std::string& name = notice.alarm.name;
  // Length in characters (code points), not bytes (spec 7.1 SHOULD). Exactly 100 is kept whole;
  // 101 and more are cut to exactly 100 (UNCLEAR at the boundary; both captures are 100 long).
  const std::size_t rest = code_point_count(prefix) + code_point_count(suffix);
  if (rest + code_point_count(name) <= kMaxSubjectLength) return prefix + name + suffix;
  const std::size_t keep = kMaxSubjectLength > rest + 3 ? kMaxSubjectLength - rest - 3 : 0;
  return prefix + std::string(code_point_prefix(name, keep)) + "..." + suffix;
}

std::string alarm_json(const AlarmNotice& notice, AwsFormat format) {
  const AlarmDefinition& alarm = notice.alarm;
  std::string out = "{";
  append_string_member(out, "AlarmName", alarm.name);
  append_member(out, "AlarmDescription");
  if (alarm.description) {
    append_json_string(out, *alarm.description);
  } else {
    out += "null";
  }
  append_string_member(out, "AWSAccountId", notice.account_id);
  append_string_member(out, "AlarmConfigurationUpdatedTimestamp",
                       alarm_timestamp(notice.configuration_updated_ms));
  append_string_member(out, "NewStateValue", alarms::state_name(notice.new_state));
  append_string_member(out, "NewStateReason", notice.reason);
  append_string_member(out, "StateChangeTime", alarm_timestamp(notice.state_change_ms));
  append_string_member(out, "Region", region_display_name(notice.region));
  append_string_member(out, "AlarmArn", notice.alarm_arn);
  append_string_member(out, "OldStateValue", alarms::state_name(notice.old_state));
  if (notice.action_executed_after_mute_window) {
    append_member(out, "ActionExecutedAfterMuteWindow");
    out += *notice.action_executed_after_mute_window ? "true" : "false";
  }
  append_string_array(out, "OKActions", alarm.ok_actions);
  append_string_array(out, "AlarmActions", alarm.alarm_actions);
  append_string_array(out, "InsufficientDataActions", alarm.insufficient_data_actions);
  append_trigger(out, alarm);
  if (format == AwsFormat::kExtended && notice.sgwatch) {
    append_member(out, "sgwatch");
    append_json(out, *notice.sgwatch);
  }
  out += '}';
  return out;
}

std::string alarm_console_url(std::string_view region, std::string_view alarm_name) {
  // A captured email links "Dummy composite alarm" as "Dummy%20composite%20alarm"; every byte
  // outside RFC 3986's unreserved set is encoded the same way (UNCLEAR for other characters).
  return fmt::format(
      "https://{0}.console.aws.amazon.com/cloudwatch/deeplink.js?region={0}#alarmsV2:alarm/{1}",
      region, percent_encode(alarm_name));
}

std::string alarm_email_text(const AlarmNotice& notice, AwsFormat format) {
  const AlarmDefinition& alarm = notice.alarm;
  const std::string region_name = region_display_name(notice.region);
  const std::string new_state(alarms::state_name(notice.new_state));
  const std::string date = email_alarm_date(notice.state_change_ms) + " UTC";
  std::string out;
  out += fmt::format(
      "You are receiving this email because your Amazon CloudWatch Alarm \"{}\" in the {} region "
      "has entered the {} state, because \"{}\" at \"{}\".\n\n",
      alarm.name, region_name, new_state, notice.reason, date);
  out += fmt::format("View this alarm in the AWS Management Console:\n{}\n\n",
                     alarm_console_url(notice.region, alarm.name));
  out += "Alarm Details:\n";
  out += "- Name:                       " + alarm.name + "\n";
  out += "- Description:                " + alarm.description.value_or("") + "\n";
  out += fmt::format("- State Change:               {} -> {}\n",
                     alarms::state_name(notice.old_state), new_state);
  out += "- Reason for State Change:    " + notice.reason + "\n";
  out += "- Timestamp:                  " + date + "\n";
  out += "- AWS Account:                " + notice.account_id + "\n";
  out += "- Alarm Arn:                  " + notice.alarm_arn + "\n\n";
  out += "Threshold:\n";
  out += fmt::format(
      "- The alarm is in the ALARM state when the metric is {} {} for at least {} of the last {} "
      "period(s) of {} seconds.\n\n",
      alarms::comparison_name(alarm.comparison), alarms::java_double(alarm.threshold),
      alarm.required_breaching(), alarm.evaluation_periods, alarm.period);
  out += "Monitored Metric:\n";
  out += "- MetricNamespace:                     " + alarm.metric_namespace + "\n";
  out += "- MetricName:                          " + alarm.metric_name + "\n";
  out += "- Dimensions:                          " + dimension_list(alarm) + "\n";
  out += fmt::format("- Period:                              {} seconds\n", alarm.period);
  // Percentile alarms show their ExtendedStatistic ("p90"): UNCLEAR, no capture shows one.
  out += "- Statistic:                           " + alarm.statistic.name + "\n";
  out += "- Unit:                                " + alarm.unit.value_or("not specified") + "\n";
  // The configured value as the API spells it ("notBreaching"); an empty line when not set.
  if (alarm.treat_missing_data) {
    out += "- TreatMissingData:                    " +
           std::string(alarms::missing_data_name(*alarm.treat_missing_data));
  }
  out += "\n\n\n";
  out += "State Change Actions:\n";
  out += "- OK: " + action_list(alarm.ok_actions) + "\n";
  out += "- ALARM: " + action_list(alarm.alarm_actions) + "\n";
  out += "- INSUFFICIENT_DATA: " + action_list(alarm.insufficient_data_actions) + "\n";
  if (format == AwsFormat::kExtended && notice.sgwatch) out += context_section(*notice.sgwatch);
  return out;
}

AlarmPublish alarm_publish(const AlarmNotice& notice, AwsFormat format) {
  AlarmPublish publish;
  publish.subject = alarm_subject(notice);
  publish.message_structure = "json";
  std::string& message = publish.message;
  message = "{\"default\":";
  append_json_string(message, alarm_json(notice, format));
  message += ",\"sms\":";
  append_json_string(message, publish.subject);
  message += ",\"email\":";
  append_json_string(message, alarm_email_text(notice, format));
  message += '}';
  return publish;
}

}  // namespace sgwatch::notify
