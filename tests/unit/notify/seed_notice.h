// The seed alarm of spec 7.5 (SecurityGroupChangesAlarm firing on 27 Nov 2025) as an AlarmNotice,
// and the spec's complete examples read from ../shared/spec/notifications.md, for the notify
// tests.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "alarms/alarms.h"
#include "notify/notify.h"

namespace sgwatch::notify::testing {

inline constexpr const char* kTopicArn = "arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges";
inline constexpr const char* kSubscriptionArn =
    "arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges:0b9e5c1a-3f0d-4a55-9c2e-7d1f4b8a6e21";
inline constexpr const char* kSeedReason =
    "Threshold Crossed: 1 datapoint [2.0 (27/11/25 20:15:00)] was greater than or equal to the "
    "threshold (1.0).";

inline std::int64_t ms(const char* sns_time) {
  const auto parsed = parse_sns_timestamp(sns_time);
  EXPECT_TRUE(parsed) << sns_time;
  return parsed.value_or(0);
}

inline alarms::AlarmDefinition seed_alarm() {
  const nlohmann::json input = {{"AlarmName", "SecurityGroupChangesAlarm"},
                                {"MetricName", "SecurityGroupEventCount"},
                                {"Namespace", "CISBenchmark"},
                                {"Statistic", "Sum"},
                                {"Period", 300},
                                {"EvaluationPeriods", 1},
                                {"Threshold", 1.0},
                                {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
                                {"AlarmActions", nlohmann::json::array({kTopicArn})}};
  auto parsed = alarms::parse_put_metric_alarm(input);
  EXPECT_TRUE(parsed);
  return std::move(parsed).value();
}

inline AlarmNotice seed_notice() {
  AlarmNotice notice;
  notice.alarm = seed_alarm();
  notice.account_id = "123456789012";
  notice.region = "us-east-1";
  notice.alarm_arn = alarm_arn("us-east-1", "123456789012", "SecurityGroupChangesAlarm");
  notice.configuration_updated_ms = ms("2025-11-27T19:58:41.112Z");
  notice.old_state = alarms::AlarmState::kInsufficientData;
  notice.new_state = alarms::AlarmState::kAlarm;
  notice.reason = kSeedReason;
  notice.state_change_ms = ms("2025-11-27T20:20:45.583Z");
  return notice;
}

// The fenced code blocks of the spec section whose heading starts with `heading`, each without
// its final newline.
inline std::vector<std::string> spec_code_blocks(const std::string& heading) {
  std::ifstream file(std::string(SGWATCH_SHARED_DIR) + "/spec/notifications.md");
  EXPECT_TRUE(file) << "cannot open the notifications spec";
  std::vector<std::string> blocks;
  std::string line;
  bool in_section = false;
  bool in_block = false;
  std::string block;
  while (std::getline(file, line)) {
    if (!in_block && line.rfind("#", 0) == 0) {
      if (in_section) break;
      in_section = line.rfind(heading, 0) == 0;
      continue;
    }
    if (!in_section) continue;
    if (line.rfind("```", 0) == 0) {
      if (in_block) {
        if (!block.empty()) block.pop_back();
        blocks.push_back(block);
        block.clear();
      }
      in_block = !in_block;
      continue;
    }
    if (in_block) block += line + "\n";
  }
  return blocks;
}

}  // namespace sgwatch::notify::testing
