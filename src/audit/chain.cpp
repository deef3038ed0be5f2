#include "audit/chain.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "audit/evaluate.h"
#include "audit/render.h"
#include "core/version.h"
#include "rules/rules.h"

namespace sgwatch::audit {
namespace {

using json = nlohmann::ordered_json;

// "cis-v3-4.10" -> "4x10" (CloudFormation logical ids and Terraform names allow no dots).
std::string id_part(const std::string& control) {
  std::string out = control;
  for (char& c : out) {
    if (c == '.') c = 'x';
  }
  return out;
}

std::string terraform_name(const std::string& filter_name) {
  std::string out = filter_name;
  for (char& c : out) {
    if (c == '.' || c == '-') c = '_';
  }
  return out;
}

std::string header_comment(const ChainSpec& spec, std::string_view prefix) {
  return fmt::format(
      "{0} {1} monitoring chain (controls 4.1-4.15), written by sgwatch {2}.\n"
      "{0} Metric filters on log group {3}, metrics in namespace {4}, alarms (Sum over {5} s >= {6})\n"
      "{0} notifying SNS topic {7}. The log group must receive the account's multi-region trail.\n",
      prefix, benchmark_title(std::string(lint::benchmark_name(spec.benchmark))), core::kVersion, spec.log_group,
      spec.metric_namespace, kAlarmPeriod, kAlarmThreshold, spec.topic_name);
}

}  // namespace

std::vector<ChainItem> chain_items(const ChainSpec& spec) {
  const rules::Pack* pack = rules::find_pack(lint::benchmark_name(spec.benchmark));
  std::vector<ChainItem> items;
  for (const auto& control : lint::metric_controls(spec.benchmark)) {
    for (const auto& filter : pack->filters) {
      if (filter.name != control.reference_filter) continue;
      items.push_back(ChainItem{control.id, control.title, filter.name, filter.pattern, filter.name,
                                filter.name + "-alarm"});
    }
  }
  return items;
}

std::string shell_quote(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += "'";
  return out;
}

std::string hcl_string(std::string_view text) {
  std::string out = "\"";
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool template_start = (c == '$' || c == '%') && i + 1 < text.size() && text[i + 1] == '{';
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '"': out += "\\\""; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (template_start) out += c;  // $${ and %%{ are the literal $ { and % {
        out += c;
    }
  }
  out += "\"";
  return out;
}

std::string export_cloudformation(const ChainSpec& spec) {
  json resources;
  resources["AlarmTopic"] = {{"Type", "AWS::SNS::Topic"}, {"Properties", {{"TopicName", spec.topic_name}}}};
  for (std::size_t i = 0; i < spec.emails.size(); ++i) {
    resources[fmt::format("AlarmSubscription{}", i)] = {
        {"Type", "AWS::SNS::Subscription"},
        {"Properties", {{"TopicArn", {{"Ref", "AlarmTopic"}}}, {"Protocol", "email"}, {"Endpoint", spec.emails[i]}}}};
  }
  for (const auto& item : chain_items(spec)) {
    const std::string id = id_part(item.control);
    resources["MetricFilter" + id] = {
        {"Type", "AWS::Logs::MetricFilter"},
        {"Properties",
         {{"FilterName", item.filter_name},
          {"LogGroupName", {{"Ref", "LogGroupName"}}},
          {"FilterPattern", item.pattern},
          {"MetricTransformations",
           json::array({{{"MetricName", item.metric_name}, {"MetricNamespace", spec.metric_namespace},
                         {"MetricValue", "1"}}})}}}};
    resources["Alarm" + id] = {
        {"Type", "AWS::CloudWatch::Alarm"},
        {"Properties",
         {{"AlarmName", item.alarm_name},
          {"AlarmDescription", fmt::format("CIS {}: {}", item.control, item.title)},
          {"MetricName", item.metric_name},
          {"Namespace", spec.metric_namespace},
          {"Statistic", "Sum"},
          {"Period", kAlarmPeriod},
          {"EvaluationPeriods", kAlarmEvaluationPeriods},
          {"Threshold", kAlarmThreshold},
          {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
          {"TreatMissingData", "notBreaching"},
          {"ActionsEnabled", true},
          {"AlarmActions", json::array({{{"Ref", "AlarmTopic"}}})}}}};
  }
  json doc;
  doc["AWSTemplateFormatVersion"] = "2010-09-09";
  doc["Description"] = fmt::format("{} section-4 monitoring chain (sgwatch {})",
                                   benchmark_title(std::string(lint::benchmark_name(spec.benchmark))), core::kVersion);
  doc["Parameters"] = {{"LogGroupName",
                        {{"Type", "String"},
                         {"Default", spec.log_group},
                         {"Description", "The CloudWatch Logs group the multi-region trail delivers to"}}}};
  doc["Resources"] = std::move(resources);
  doc["Outputs"] = {{"AlarmTopicArn", {{"Value", {{"Ref", "AlarmTopic"}}}}}};
  return doc.dump(2) + "\n";
}

std::string export_terraform(const ChainSpec& spec) {
  std::string out = header_comment(spec, "#");
  out += fmt::format("\nvariable \"log_group_name\" {{\n  type    = string\n  default = {}\n}}\n",
                     hcl_string(spec.log_group));
  out += fmt::format("\nresource \"aws_sns_topic\" \"cis_alarms\" {{\n  name = {}\n}}\n", hcl_string(spec.topic_name));
  for (std::size_t i = 0; i < spec.emails.size(); ++i) {
    out += fmt::format(
        "\nresource \"aws_sns_topic_subscription\" \"cis_alarms_{}\" {{\n  topic_arn = aws_sns_topic.cis_alarms.arn\n"
        "  protocol  = \"email\"\n  endpoint  = {}\n}}\n",
        i, hcl_string(spec.emails[i]));
  }
  for (const auto& item : chain_items(spec)) {
    const std::string name = terraform_name(item.filter_name);
    out += fmt::format(
        "\nresource \"aws_cloudwatch_log_metric_filter\" \"{0}\" {{\n"
        "  name           = {1}\n"
        "  log_group_name = var.log_group_name\n"
        "  pattern        = {2}\n\n"
        "  metric_transformation {{\n"
        "    name      = {3}\n"
        "    namespace = {4}\n"
        "    value     = \"1\"\n"
        "  }}\n}}\n",
        name, hcl_string(item.filter_name), hcl_string(item.pattern), hcl_string(item.metric_name),
        hcl_string(spec.metric_namespace));
    out += fmt::format(
        "\nresource \"aws_cloudwatch_metric_alarm\" \"{0}\" {{\n"
        "  alarm_name          = {1}\n"
        "  alarm_description   = {2}\n"
        "  metric_name         = {3}\n"
        "  namespace           = {4}\n"
        "  statistic           = \"Sum\"\n"
        "  period              = {5}\n"
        "  evaluation_periods  = {6}\n"
        "  threshold           = {7}\n"
        "  comparison_operator = \"GreaterThanOrEqualToThreshold\"\n"
        "  treat_missing_data  = \"notBreaching\"\n"
        "  actions_enabled     = true\n"
        "  alarm_actions       = [aws_sns_topic.cis_alarms.arn]\n"
        "  depends_on          = [aws_cloudwatch_log_metric_filter.{0}]\n"
        "}}\n",
        name, hcl_string(item.alarm_name), hcl_string(fmt::format("CIS {}: {}", item.control, item.title)),
        hcl_string(item.metric_name), hcl_string(spec.metric_namespace), kAlarmPeriod, kAlarmEvaluationPeriods,
        kAlarmThreshold);
  }
  return out;
}

std::string export_aws_cli(const ChainSpec& spec) {
  std::string out = "#!/bin/sh\n" + header_comment(spec, "#");
  out +=
      "# Runs with the AWS CLI's usual settings (AWS_PROFILE, AWS_REGION, ...). Safe to run again:\n"
      "# every call below creates or overwrites the same named resource.\n"
      "set -eu\n\n";
  out += fmt::format("LOG_GROUP=${{LOG_GROUP:-{}}}\n", shell_quote(spec.log_group));
  out += fmt::format("topic_arn=$(aws sns create-topic --name {} --query TopicArn --output text)\n",
                     shell_quote(spec.topic_name));
  for (const auto& email : spec.emails) {
    out += fmt::format(
        "aws sns subscribe --topic-arn \"$topic_arn\" --protocol email --notification-endpoint {} >/dev/null\n",
        shell_quote(email));
  }
  for (const auto& item : chain_items(spec)) {
    json transformation = json::array(
        {{{"metricName", item.metric_name}, {"metricNamespace", spec.metric_namespace}, {"metricValue", "1"}}});
    out += fmt::format("\n# {} {}\n", item.control, item.title);
    out += fmt::format(
        "aws logs put-metric-filter --log-group-name \"$LOG_GROUP\" --filter-name {} \\\n"
        "  --filter-pattern {} \\\n"
        "  --metric-transformations {}\n",
        shell_quote(item.filter_name), shell_quote(item.pattern), shell_quote(transformation.dump()));
    out += fmt::format(
        "aws cloudwatch put-metric-alarm --alarm-name {} --alarm-description {} \\\n"
        "  --metric-name {} --namespace {} --statistic Sum --period {} --evaluation-periods {} \\\n"
        "  --threshold {} --comparison-operator GreaterThanOrEqualToThreshold --treat-missing-data notBreaching \\\n"
        "  --alarm-actions \"$topic_arn\"\n",
        shell_quote(item.alarm_name), shell_quote(fmt::format("CIS {}: {}", item.control, item.title)),
        shell_quote(item.metric_name), shell_quote(spec.metric_namespace), kAlarmPeriod, kAlarmEvaluationPeriods,
        kAlarmThreshold);
  }
  return out;
}

}  // namespace sgwatch::audit
