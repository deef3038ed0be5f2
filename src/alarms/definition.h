// AlarmDefinition: a single-metric alarm as PutMetricAlarm takes it, parsed from the JSON shape of
// `aws cloudwatch put-metric-alarm --cli-input-json` and validated with AWS's rules (spec section
// 3): absent optional fields stay absent, since defaults and reason texts depend on it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "core/result.h"
#include "metrics/statistics.h"

namespace sgwatch::alarms {

enum class AlarmState { kOk, kAlarm, kInsufficientData };
std::string_view state_name(AlarmState state);  // "OK", "ALARM", "INSUFFICIENT_DATA"
std::optional<AlarmState> parse_state(std::string_view name);

enum class Comparison { kGreaterOrEqual, kGreater, kLess, kLessOrEqual };
enum class MissingData { kMissing, kIgnore, kBreaching, kNotBreaching };

// An AWS API error: code (ValidationError, InvalidParameterCombination, MissingParameter, ...) and
// message.
struct ApiError {
  std::string code;
  std::string message;
};

struct AlarmDefinition {
  std::string name;
  std::optional<std::string> description;
  bool actions_enabled = true;
  std::vector<std::string> ok_actions;
  std::vector<std::string> alarm_actions;
  std::vector<std::string> insufficient_data_actions;
  std::string metric_name;
  std::string metric_namespace;
  std::vector<std::pair<std::string, std::string>> dimensions;
  metrics::Statistic statistic;
  bool extended_statistic = false;
  int period = 0;
  int evaluation_periods = 0;
  std::optional<int> datapoints_to_alarm;
  double threshold = 0;
  Comparison comparison = Comparison::kGreaterOrEqual;
  std::optional<MissingData> treat_missing_data;
  std::optional<std::string> evaluate_low_sample_count_percentile;  // "evaluate" | "ignore"
  std::optional<std::string> unit;

  int required_breaching() const { return datapoints_to_alarm.value_or(evaluation_periods); }
  MissingData missing_data() const { return treat_missing_data.value_or(MissingData::kMissing); }
  bool breaches(double value) const;
  const std::vector<std::string>& actions_for(AlarmState state) const;
};

core::Result<AlarmDefinition, ApiError> parse_put_metric_alarm(const nlohmann::json& input);

// The definition back in put-metric-alarm's JSON shape (absent optional fields stay absent);
// parse_put_metric_alarm of it gives the same definition. The state store keeps this form.
nlohmann::ordered_json to_put_metric_alarm(const AlarmDefinition& alarm);

std::string_view comparison_name(Comparison comparison);      // "GreaterThanOrEqualToThreshold"
std::string_view missing_data_name(MissingData missing_data);  // "notBreaching"

}  // namespace sgwatch::alarms
