// Implementation of simulate.h.
#include "alarms/simulate.h"

#include <fmt/format.h>

#include <optional>
#include <vector>

#include "alarms/alarm.h"
#include "alarms/reason.h"

namespace sgwatch::alarms {
namespace {

using ordered = nlohmann::ordered_json;
constexpr std::int64_t kDefaultStart = 1767225600;  // 2026-01-01T00:00:00Z

ordered error_line(const nlohmann::json& id, std::string_view code, std::string_view message) {
  ordered out;
  out["id"] = id;
  out["error"] = ordered{{"code", code}, {"message", message}};
  return out;
}

// A per-period value list: numbers or null.
std::optional<std::vector<std::optional<double>>> values_of(const nlohmann::json& list) {
  std::vector<std::optional<double>> out;
  if (list.is_null()) return out;
  if (!list.is_array()) return std::nullopt;
  for (const auto& v : list) {
    if (v.is_null()) {
      out.emplace_back();
    } else if (v.is_number()) {
      out.emplace_back(v.get<double>());
    } else {
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace

ordered simulate_scenario(const nlohmann::json& scenario) {
  const nlohmann::json id = scenario.is_object() && scenario.contains("id") ? scenario["id"] : nlohmann::json();
  if (!scenario.is_object()) return error_line(id, "InvalidInput", "a scenario must be a JSON object");
  if (!scenario.contains("alarm")) return error_line(id, "InvalidInput", "the scenario has no \"alarm\"");
  auto definition = parse_put_metric_alarm(scenario["alarm"]);
  if (!definition) return error_line(id, definition.error().code, definition.error().message);
  const AlarmDefinition& def = *definition;

  auto history = values_of(scenario.value("history", nlohmann::json::array()));
  auto datapoints = values_of(scenario.value("datapoints", nlohmann::json::array()));
  if (!history || !datapoints) {
    return error_line(id, "InvalidInput", "history and datapoints must be arrays of numbers or null");
  }
  // Raw samples, when given, define the datapoints through the alarm's statistic.
  std::vector<std::optional<double>> sample_counts(datapoints->size());
  if (scenario.contains("samples") && !scenario["samples"].is_null()) {
    const auto& samples = scenario["samples"];
    if (!samples.is_array() || samples.size() != datapoints->size()) {
      return error_line(id, "InvalidInput", "samples must have one entry per datapoint");
    }
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (samples[i].is_null()) {
        (*datapoints)[i].reset();
        continue;
      }
      auto values = values_of(samples[i]);
      if (!values) return error_line(id, "InvalidInput", "samples must hold arrays of numbers");
      std::vector<double> raw;
      for (const auto& v : *values) {
        if (!v) return error_line(id, "InvalidInput", "a sample cannot be null");
        raw.push_back(*v);
      }
      (*datapoints)[i] = def.statistic.compute(raw);
      sample_counts[i] = static_cast<double>(raw.size());
    }
  }
  if (scenario.contains("sample_counts")) {
    auto counts = values_of(scenario["sample_counts"]);
    if (!counts || counts->size() != datapoints->size()) {
      return error_line(id, "InvalidInput", "sample_counts must have one entry per datapoint");
    }
    sample_counts = *counts;
  }

  std::int64_t start = kDefaultStart;
  if (scenario.contains("first_period_start")) {
    const auto parsed = scenario["first_period_start"].is_string()
                            ? core::parse_iso8601(scenario["first_period_start"].get<std::string>())
                            : std::nullopt;
    if (!parsed) return error_line(id, "InvalidInput", "first_period_start must be an ISO-8601 UTC time");
    start = *parsed;
  }
  const int range = scenario.contains("evaluation_range") && scenario["evaluation_range"].is_number_integer()
                        ? scenario["evaluation_range"].get<int>()
                        : default_evaluation_range(def.evaluation_periods);
  if (range < def.evaluation_periods || range > 100000) {
    return error_line(id, "InvalidInput", "evaluation_range must be >= EvaluationPeriods");
  }
  AlarmState initial = AlarmState::kInsufficientData;
  if (scenario.contains("initial_state")) {
    const auto parsed = scenario["initial_state"].is_string()
                            ? parse_state(scenario["initial_state"].get<std::string>())
                            : std::nullopt;
    if (!parsed) return error_line(id, "InvalidInput", "initial_state must be OK, ALARM or INSUFFICIENT_DATA");
    initial = *parsed;
  }

  // All periods, oldest first: history, then the evaluated datapoints.
  const std::size_t before = history->size();
  std::vector<PeriodValue> periods;
  for (std::size_t i = 0; i < before; ++i) {
    periods.push_back({(*history)[i], start - static_cast<std::int64_t>(before - i) * def.period, std::nullopt, std::nullopt});
  }
  for (std::size_t i = 0; i < datapoints->size(); ++i) {
    periods.push_back({(*datapoints)[i], start + static_cast<std::int64_t>(i) * def.period, sample_counts[i], std::nullopt});
  }

  Alarm alarm(def, initial);
  const nlohmann::json operations = scenario.value("operations", nlohmann::json::array());
  ordered states = ordered::array();
  ordered reasons = ordered::array();
  ordered actions = ordered::array();
  for (std::size_t i = 0; i < datapoints->size(); ++i) {
    std::vector<std::string> ran;
    for (const auto& op : operations) {
      if (!op.is_object() || op.value("before_evaluation", -1) != static_cast<int>(i)) continue;
      const std::string name = op.value("op", std::string());
      if (name == "SetAlarmState") {
        const auto state = parse_state(op.value("state", std::string()));
        if (!state) return error_line(id, "InvalidInput", "SetAlarmState needs a valid state");
        auto done = alarm.set_state(*state, op.value("reason", std::string()));
        ran.insert(ran.end(), done.begin(), done.end());
      } else if (name == "EnableAlarmActions") {
        alarm.enable_actions();
      } else if (name == "DisableAlarmActions") {
        alarm.disable_actions();
      } else {
        return error_line(id, "InvalidInput", fmt::format("unknown operation '{}'", name));
      }
    }
    // The R periods that end with period i (padded with missing periods on the left).
    const std::size_t end = before + i + 1;
    std::vector<PeriodValue> window;
    for (std::size_t k = 0; k < static_cast<std::size_t>(range); ++k) {
      const auto offset = static_cast<std::int64_t>(range) - 1 - static_cast<std::int64_t>(k);
      const auto index = static_cast<std::int64_t>(end) - 1 - offset;
      if (index >= 0) {
        window.push_back(periods[static_cast<std::size_t>(index)]);
      } else {
        window.push_back({std::nullopt, periods[end - 1].start - offset * def.period, std::nullopt, std::nullopt});
      }
    }
    auto done = alarm.apply(evaluate(def, window, alarm.state()));
    ran.insert(ran.end(), done.begin(), done.end());
    states.push_back(state_name(alarm.state()));
    reasons.push_back(alarm.reason());
    actions.push_back(ran);
  }
  ordered out;
  out["id"] = id;
  out["states"] = std::move(states);
  out["reasons"] = std::move(reasons);
  out["actions"] = std::move(actions);
  return out;
}

}  // namespace sgwatch::alarms
