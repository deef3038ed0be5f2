// Implementation of definition.h. Messages follow spec section 3.2: the Coral form
// "1 validation error detected: Value '<v>' at '<lowerCamelMember>' failed to satisfy constraint:
// <constraint>" for model constraints, and the service's own sentences where they are known.
#include "alarms/definition.h"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <set>

namespace sgwatch::alarms {
namespace {

using nlohmann::json;

ApiError coral(std::string_view value, std::string_view member, std::string_view constraint) {
  return ApiError{"ValidationError",
                  fmt::format("1 validation error detected: Value '{}' at '{}' failed to satisfy "
                              "constraint: {}",
                              value, member, constraint)};
}

ApiError missing(std::string_view field) {
  return ApiError{"MissingParameter",
                  fmt::format("The parameter {} is required.", field)};
}

std::string lower_camel(std::string_view field) {
  std::string out(field);
  if (!out.empty()) out[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[0])));
  return out;
}

// Length in characters (code points) of UTF-8 text.
std::size_t characters(std::string_view text) {
  std::size_t n = 0;
  for (const char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

core::Result<std::optional<std::string>, ApiError> string_field(const json& input,
                                                                std::string_view field,
                                                                std::size_t min_length,
                                                                std::size_t max_length) {
  const auto it = input.find(std::string(field));
  if (it == input.end() || it->is_null()) return std::optional<std::string>{};
  if (!it->is_string()) {
    return core::unexpected(coral(it->dump(), lower_camel(field), "Member must be a string"));
  }
  std::string value = it->get<std::string>();
  const std::size_t length = characters(value);
  if (length < min_length) {
    return core::unexpected(coral(value, lower_camel(field),
                                  fmt::format("Member must have length greater than or equal to {}", min_length)));
  }
  if (length > max_length) {
    return core::unexpected(coral(value, lower_camel(field),
                                  fmt::format("Member must have length less than or equal to {}", max_length)));
  }
  return std::optional<std::string>(std::move(value));
}

core::Result<std::optional<long long>, ApiError> integer_field(const json& input, std::string_view field,
                                                               long long min) {
  const auto it = input.find(std::string(field));
  if (it == input.end() || it->is_null()) return std::optional<long long>{};
  if (!it->is_number_integer() && !(it->is_number_float() && std::floor(it->get<double>()) == it->get<double>())) {
    return core::unexpected(coral(it->dump(), lower_camel(field), "Member must be an integer"));
  }
  const long long value = it->is_number_integer() ? it->get<long long>() : static_cast<long long>(it->get<double>());
  if (value < min) {
    return core::unexpected(coral(std::to_string(value), lower_camel(field),
                                  fmt::format("Member must have value greater than or equal to {}", min)));
  }
  return std::optional<long long>(value);
}

core::Result<std::vector<std::string>, ApiError> actions_field(const json& input, std::string_view field) {
  std::vector<std::string> out;
  const auto it = input.find(std::string(field));
  if (it == input.end() || it->is_null()) return out;
  if (!it->is_array()) return core::unexpected(coral(it->dump(), lower_camel(field), "Member must be a list"));
  if (it->size() > 5) {
    return core::unexpected(coral(it->dump(), lower_camel(field), "Member must have length less than or equal to 5"));
  }
  for (const auto& action : *it) {
    if (!action.is_string() || action.get<std::string>().empty() || characters(action.get<std::string>()) > 1024) {
      return core::unexpected(coral(action.dump(), lower_camel(field),
                                    "Member must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1]"));
    }
    const std::string arn = action.get<std::string>();
    if (arn.rfind("arn:", 0) != 0) {
      return core::unexpected(ApiError{"ValidationError", fmt::format("Invalid arn syntax: {}", arn)});
    }
    out.push_back(arn);
  }
  return out;
}

constexpr std::string_view kStandardUnits[] = {
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
    "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
    "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
    "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second",
    "Count/Second", "None"};

}  // namespace

std::string_view state_name(AlarmState state) {
  switch (state) {
    case AlarmState::kOk: return "OK";
    case AlarmState::kAlarm: return "ALARM";
    case AlarmState::kInsufficientData: return "INSUFFICIENT_DATA";
  }
  return "INSUFFICIENT_DATA";
}

std::optional<AlarmState> parse_state(std::string_view name) {
  if (name == "OK") return AlarmState::kOk;
  if (name == "ALARM") return AlarmState::kAlarm;
  if (name == "INSUFFICIENT_DATA") return AlarmState::kInsufficientData;
  return std::nullopt;
}

bool AlarmDefinition::breaches(double value) const {
  switch (comparison) {
    case Comparison::kGreaterOrEqual: return value >= threshold;
    case Comparison::kGreater: return value > threshold;
    case Comparison::kLess: return value < threshold;
    case Comparison::kLessOrEqual: return value <= threshold;
  }
  return false;
}

const std::vector<std::string>& AlarmDefinition::actions_for(AlarmState state) const {
  switch (state) {
    case AlarmState::kOk: return ok_actions;
    case AlarmState::kAlarm: return alarm_actions;
    case AlarmState::kInsufficientData: return insufficient_data_actions;
  }
  return insufficient_data_actions;
}

core::Result<AlarmDefinition, ApiError> parse_put_metric_alarm(const json& input) {
  if (!input.is_object()) {
    return core::unexpected(ApiError{"ValidationError", "The alarm definition must be a JSON object."});
  }
  for (const char* unsupported : {"Metrics", "ThresholdMetricId"}) {
    if (input.contains(unsupported)) {
      return core::unexpected(ApiError{
          "InvalidParameterCombination",
          fmt::format("{} (metric math and anomaly detection alarms) is not supported by sgwatch; "
                      "give MetricName, Namespace, Statistic and Threshold",
                      unsupported)});
    }
  }
  AlarmDefinition d;
#define SGWATCH_TRY(var, expr)            \
  auto var = (expr);                      \
  if (!var) return core::unexpected(var.error())

  SGWATCH_TRY(name, string_field(input, "AlarmName", 1, 255));
  if (!*name) return core::unexpected(missing("AlarmName"));
  for (const char c : **name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) {
      return core::unexpected(ApiError{"ValidationError", "AlarmName must not contain ASCII control characters."});
    }
  }
  d.name = **name;
  SGWATCH_TRY(description, string_field(input, "AlarmDescription", 0, 1024));
  d.description = *description;
  if (const auto it = input.find("ActionsEnabled"); it != input.end() && !it->is_null()) {
    if (!it->is_boolean()) return core::unexpected(coral(it->dump(), "actionsEnabled", "Member must be a boolean"));
    d.actions_enabled = it->get<bool>();
  }
  SGWATCH_TRY(ok_actions, actions_field(input, "OKActions"));
  SGWATCH_TRY(alarm_actions, actions_field(input, "AlarmActions"));
  SGWATCH_TRY(insufficient, actions_field(input, "InsufficientDataActions"));
  d.ok_actions = *ok_actions;
  d.alarm_actions = *alarm_actions;
  d.insufficient_data_actions = *insufficient;

  SGWATCH_TRY(metric_name, string_field(input, "MetricName", 1, 255));
  if (!*metric_name) return core::unexpected(missing("MetricName"));
  d.metric_name = **metric_name;
  SGWATCH_TRY(metric_namespace, string_field(input, "Namespace", 1, 255));
  if (!*metric_namespace) return core::unexpected(missing("Namespace"));
  d.metric_namespace = **metric_namespace;
  if (const auto it = input.find("Dimensions"); it != input.end() && !it->is_null()) {
    if (!it->is_array() || it->size() > 30) {
      return core::unexpected(coral(it->dump(), "dimensions", "Member must have length less than or equal to 30"));
    }
    std::set<std::string> names;
    for (const auto& dimension : *it) {
      if (!dimension.is_object()) return core::unexpected(coral(dimension.dump(), "dimensions", "Member must be a structure"));
      SGWATCH_TRY(dim_name, string_field(dimension, "Name", 1, 255));
      SGWATCH_TRY(dim_value, string_field(dimension, "Value", 1, 1024));
      if (!*dim_name) return core::unexpected(missing("Dimensions.member.Name"));
      if (!*dim_value) return core::unexpected(missing("Dimensions.member.Value"));
      if (!names.insert(**dim_name).second) {
        return core::unexpected(ApiError{"InvalidParameterValue",
                                         fmt::format("The collection Dimensions must not contain duplicate names: {}", **dim_name)});
      }
      d.dimensions.emplace_back(**dim_name, **dim_value);
    }
  }

  SGWATCH_TRY(statistic, string_field(input, "Statistic", 1, 255));
  SGWATCH_TRY(extended, string_field(input, "ExtendedStatistic", 1, 255));
  if (*statistic && *extended) {
    return core::unexpected(ApiError{"InvalidParameterCombination",
                                     "Specify either Statistic or ExtendedStatistic, not both."});
  }
  if (!*statistic && !*extended) {
    return core::unexpected(ApiError{"MissingParameter",
                                     "Either the parameter Statistic or ExtendedStatistic is required."});
  }
  if (*statistic) {
    auto parsed = metrics::Statistic::parse_simple(**statistic);
    if (!parsed) {
      return core::unexpected(coral(**statistic, "statistic",
                                    "Member must satisfy enum value set: [Maximum, SampleCount, Sum, Minimum, Average]"));
    }
    d.statistic = *parsed;
  } else {
    auto parsed = metrics::Statistic::parse_extended(**extended);
    if (!parsed) {
      return core::unexpected(ApiError{
          "InvalidParameterValue",
          fmt::format("The value {} for parameter ExtendedStatistic is not supported: sgwatch "
                      "computes percentiles p0 to p100 (up to 10 decimals).",
                      **extended)});
    }
    d.statistic = *parsed;
    d.extended_statistic = true;
  }

  SGWATCH_TRY(period, integer_field(input, "Period", 1));
  if (!*period) return core::unexpected(missing("Period"));
  const long long p = **period;
  if (!(p == 10 || p == 20 || p == 30 || p % 60 == 0)) {
    return core::unexpected(ApiError{"ValidationError", "Period must be 10, 20, 30 or a multiple of 60"});
  }
  SGWATCH_TRY(evaluation_periods, integer_field(input, "EvaluationPeriods", 1));
  if (!*evaluation_periods) return core::unexpected(missing("EvaluationPeriods"));
  const long long n = **evaluation_periods;
  if (p < 3600 && p * n > 86400) {
    return core::unexpected(ApiError{
        "ValidationError",
        "Metrics cannot be checked across more than a day (EvaluationPeriods * Period must be <= 86400)"});
  }
  if (p >= 3600 && p * n > 604800) {
    return core::unexpected(ApiError{
        "ValidationError",
        "Metrics cannot be checked across more than 7 days (EvaluationPeriods * Period must be <= 604800)"});
  }
  d.period = static_cast<int>(p);
  d.evaluation_periods = static_cast<int>(n);
  SGWATCH_TRY(datapoints, integer_field(input, "DatapointsToAlarm", 1));
  if (*datapoints) {
    if (**datapoints > n) {
      return core::unexpected(ApiError{"ValidationError",
                                       "DatapointsToAlarm must be less than or equal to EvaluationPeriods"});
    }
    d.datapoints_to_alarm = static_cast<int>(**datapoints);
  }

  const auto threshold = input.find("Threshold");
  if (threshold == input.end() || threshold->is_null()) return core::unexpected(missing("Threshold"));
  if (!threshold->is_number() || !std::isfinite(threshold->get<double>())) {
    return core::unexpected(coral(threshold->dump(), "threshold", "Member must be a number"));
  }
  d.threshold = threshold->get<double>();

  SGWATCH_TRY(comparison, string_field(input, "ComparisonOperator", 1, 255));
  if (!*comparison) return core::unexpected(missing("ComparisonOperator"));
  static constexpr std::pair<std::string_view, Comparison> kOperators[] = {
      {"GreaterThanOrEqualToThreshold", Comparison::kGreaterOrEqual},
      {"GreaterThanThreshold", Comparison::kGreater},
      {"LessThanThreshold", Comparison::kLess},
      {"LessThanOrEqualToThreshold", Comparison::kLessOrEqual},
  };
  bool known = false;
  for (const auto& [spelling, op] : kOperators) {
    if (**comparison == spelling) {
      d.comparison = op;
      known = true;
    }
  }
  if (!known) {
    if (**comparison == "LessThanLowerOrGreaterThanUpperThreshold" ||
        **comparison == "LessThanLowerThreshold" || **comparison == "GreaterThanUpperThreshold") {
      return core::unexpected(ApiError{"ValidationError",
                                       fmt::format("ComparisonOperator {} is for anomaly detection alarms, "
                                                   "which need ThresholdMetricId",
                                                   **comparison)});
    }
    return core::unexpected(coral(**comparison, "comparisonOperator",
                                  "Member must satisfy enum value set: [GreaterThanOrEqualToThreshold, "
                                  "GreaterThanThreshold, LessThanThreshold, LessThanOrEqualToThreshold, "
                                  "LessThanLowerOrGreaterThanUpperThreshold, LessThanLowerThreshold, "
                                  "GreaterThanUpperThreshold]"));
  }

  SGWATCH_TRY(missing_data, string_field(input, "TreatMissingData", 1, 255));
  if (*missing_data) {
    static constexpr std::pair<std::string_view, MissingData> kModes[] = {
        {"missing", MissingData::kMissing},
        {"ignore", MissingData::kIgnore},
        {"breaching", MissingData::kBreaching},
        {"notBreaching", MissingData::kNotBreaching},
    };
    for (const auto& [spelling, mode] : kModes) {
      if (**missing_data == spelling) d.treat_missing_data = mode;
    }
    if (!d.treat_missing_data) {
      return core::unexpected(ApiError{
          "ValidationError",
          fmt::format("TreatMissingData must be one of breaching, notBreaching, ignore, missing; got '{}'",
                      **missing_data)});
    }
  }
  SGWATCH_TRY(low_sample, string_field(input, "EvaluateLowSampleCountPercentile", 1, 255));
  if (*low_sample) {
    if (**low_sample != "evaluate" && **low_sample != "ignore") {
      return core::unexpected(ApiError{
          "ValidationError",
          fmt::format("EvaluateLowSampleCountPercentile must be evaluate or ignore; got '{}'", **low_sample)});
    }
    d.evaluate_low_sample_count_percentile = **low_sample;
  }
  SGWATCH_TRY(unit, string_field(input, "Unit", 1, 255));
  if (*unit) {
    bool standard = false;
    for (const auto u : kStandardUnits) standard = standard || **unit == u;
    if (!standard) {
      return core::unexpected(coral(**unit, "unit", "Member must satisfy enum value set of StandardUnit"));
    }
    d.unit = **unit;
  }
#undef SGWATCH_TRY
  return d;
}

std::string_view comparison_name(Comparison comparison) {
  switch (comparison) {
    case Comparison::kGreaterOrEqual: return "GreaterThanOrEqualToThreshold";
    case Comparison::kGreater: return "GreaterThanThreshold";
    case Comparison::kLess: return "LessThanThreshold";
    case Comparison::kLessOrEqual: return "LessThanOrEqualToThreshold";
  }
  return "";
}

std::string_view missing_data_name(MissingData missing_data) {
  switch (missing_data) {
    case MissingData::kMissing: return "missing";
    case MissingData::kIgnore: return "ignore";
    case MissingData::kBreaching: return "breaching";
    case MissingData::kNotBreaching: return "notBreaching";
  }
  return "";
}

nlohmann::ordered_json to_put_metric_alarm(const AlarmDefinition& alarm) {
  nlohmann::ordered_json out;
  out["AlarmName"] = alarm.name;
  if (alarm.description) out["AlarmDescription"] = *alarm.description;
  out["ActionsEnabled"] = alarm.actions_enabled;
  out["OKActions"] = alarm.ok_actions;
  out["AlarmActions"] = alarm.alarm_actions;
  out["InsufficientDataActions"] = alarm.insufficient_data_actions;
  out["MetricName"] = alarm.metric_name;
  out["Namespace"] = alarm.metric_namespace;
  if (alarm.extended_statistic) {
    out["ExtendedStatistic"] = alarm.statistic.name;
  } else {
    out["Statistic"] = alarm.statistic.name;
  }
  auto dimensions = nlohmann::ordered_json::array();
  for (const auto& [name, value] : alarm.dimensions) dimensions.push_back({{"Name", name}, {"Value", value}});
  out["Dimensions"] = std::move(dimensions);
  out["Period"] = alarm.period;
  if (alarm.unit) out["Unit"] = *alarm.unit;
  out["EvaluationPeriods"] = alarm.evaluation_periods;
  if (alarm.datapoints_to_alarm) out["DatapointsToAlarm"] = *alarm.datapoints_to_alarm;
  out["Threshold"] = alarm.threshold;
  out["ComparisonOperator"] = comparison_name(alarm.comparison);
  if (alarm.treat_missing_data) out["TreatMissingData"] = missing_data_name(*alarm.treat_missing_data);
  if (alarm.evaluate_low_sample_count_percentile) {
    out["EvaluateLowSampleCountPercentile"] = *alarm.evaluate_low_sample_count_percentile;
  }
  return out;
}

}  // namespace sgwatch::alarms
