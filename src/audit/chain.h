// The CIS section-4 monitoring chain that `sgwatch apply` creates and `sgwatch export` writes as
// code: per control 4.1–4.15 a metric filter on the trail's log group (the benchmark's pattern,
// from the rules packs), its metric in one namespace, an alarm (Sum over 300 s >= 1, one period,
// missing data not breaching) notifying one SNS topic, and the topic's e-mail subscriptions.
// export_* render it as a CloudFormation template (JSON), a Terraform configuration, or an
// AWS CLI shell script. Pure functions. Neighbours: apply.h (creates the same through the API).
#pragma once

#include <string>
#include <vector>

#include "lint/lint.h"

namespace sgwatch::audit {

struct ChainSpec {
  lint::Benchmark benchmark = lint::Benchmark::kCisV3;
  std::string log_group;
  std::vector<std::string> emails;
  std::string topic_name = "cis-alarms";
  std::string metric_namespace = "CISBenchmark";
};

struct ChainItem {
  std::string control;      // "4.10"
  std::string title;
  std::string filter_name;  // the rules pack's name, e.g. cis-v3-4.10 (also the metric name)
  std::string pattern;
  std::string metric_name;
  std::string alarm_name;   // <filter_name>-alarm
};

// One item per metric control of the benchmark, in order.
std::vector<ChainItem> chain_items(const ChainSpec& spec);

// The alarm's settings, shared by apply and every export format.
inline constexpr int kAlarmPeriod = 300;
inline constexpr int kAlarmEvaluationPeriods = 1;
inline constexpr double kAlarmThreshold = 1;

std::string export_cloudformation(const ChainSpec& spec);
std::string export_terraform(const ChainSpec& spec);
std::string export_aws_cli(const ChainSpec& spec);

// Quoting helpers (tested on their own): a POSIX shell single-quoted word; an HCL string literal
// (escapes \ " and newlines, and $${ / %%{ for template sequences).
std::string shell_quote(std::string_view text);
std::string hcl_string(std::string_view text);

}  // namespace sgwatch::audit
