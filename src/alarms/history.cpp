// Implementation of history.h.
#include "alarms/history.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace sgwatch::alarms {
namespace {

std::string quoted(std::string_view text) { return nlohmann::json(std::string(text)).dump(); }

std::string state_object(AlarmState state, std::string_view reason, std::string_view reason_data) {
  std::string out = fmt::format(R"({{"stateValue":"{}","stateReason":{})", state_name(state), quoted(reason));
  if (!reason_data.empty()) out += fmt::format(R"(,"stateReasonData":{})", reason_data);
  out += '}';
  return out;
}

// "2026-01-01T00:00:00.000+0000", the form of timestamps inside history data.
std::string data_time(std::int64_t time_ms) {
  std::string iso = core::format_iso8601(time_ms / 1000);
  iso.pop_back();  // 'Z'
  return fmt::format("{}.{:03}+0000", iso, time_ms % 1000);
}

}  // namespace

std::string_view history_type_name(HistoryType type) {
  switch (type) {
    case HistoryType::kConfigurationUpdate: return "ConfigurationUpdate";
    case HistoryType::kStateUpdate: return "StateUpdate";
    case HistoryType::kAction: return "Action";
  }
  return "";
}

std::optional<HistoryType> parse_history_type(std::string_view name) {
  for (auto type : {HistoryType::kConfigurationUpdate, HistoryType::kStateUpdate, HistoryType::kAction}) {
    if (history_type_name(type) == name) return type;
  }
  return std::nullopt;
}

HistoryItem state_update_item(const Transition& t) {
  HistoryItem item{t.alarm, t.time_ms, HistoryType::kStateUpdate,
                   fmt::format("Alarm updated from {} to {}", state_name(t.from), state_name(t.to)), {}};
  std::string_view old_data = t.old_reason_data;
  std::string_view new_data = t.reason_data;
  for (int attempt = 0; attempt < 3; ++attempt) {
    item.data = fmt::format(R"({{"version":"1.0","oldState":{},"newState":{}}})",
                            state_object(t.from, t.old_reason, old_data), state_object(t.to, t.reason, new_data));
    if (item.data.size() <= kMaxHistoryData) break;
    if (!old_data.empty()) {
      old_data = {};
    } else {
      new_data = {};
    }
  }
  return item;
}

HistoryItem configuration_item(const AlarmDefinition& a, bool created, std::string_view alarm_arn,
                               std::int64_t time_ms, AlarmState state, std::int64_t state_updated_ms) {
  nlohmann::ordered_json alarm;
  alarm["alarmName"] = a.name;
  if (a.description) alarm["alarmDescription"] = *a.description;
  alarm["alarmArn"] = alarm_arn;
  alarm["alarmConfigurationUpdatedTimestamp"] = data_time(time_ms);
  alarm["namespace"] = a.metric_namespace;
  alarm["metricName"] = a.metric_name;
  if (a.extended_statistic) {
    alarm["extendedStatistic"] = a.statistic.name;
  } else {
    alarm["statistic"] = a.statistic.name;
  }
  alarm["period"] = a.period;
  auto dimensions = nlohmann::ordered_json::array();
  for (const auto& [name, value] : a.dimensions) dimensions.push_back({{"name", name}, {"value", value}});
  alarm["dimensions"] = std::move(dimensions);
  alarm["threshold"] = a.threshold;
  alarm["comparisonOperator"] = comparison_name(a.comparison);
  alarm["evaluationPeriods"] = a.evaluation_periods;
  if (a.datapoints_to_alarm) alarm["datapointsToAlarm"] = *a.datapoints_to_alarm;
  if (a.treat_missing_data) alarm["treatMissingData"] = missing_data_name(*a.treat_missing_data);
  alarm["stateValue"] = state_name(state);
  alarm["stateUpdatedTimestamp"] = data_time(state_updated_ms);
  alarm["actionsEnabled"] = a.actions_enabled;
  alarm["alarmActions"] = a.alarm_actions;
  alarm["insufficientDataActions"] = a.insufficient_data_actions;
  alarm["okactions"] = a.ok_actions;
  nlohmann::ordered_json data;
  data["version"] = "1.0";
  data["type"] = created ? "Create" : "Update";
  data[created ? "createdAlarm" : "updatedAlarm"] = std::move(alarm);
  std::string text = data.dump();
  if (text.size() > kMaxHistoryData) {
    // Only descriptions and action lists can make it this long: keep the item valid JSON.
    data[created ? "createdAlarm" : "updatedAlarm"].erase("alarmDescription");
    text = data.dump();
  }
  return HistoryItem{a.name, time_ms, HistoryType::kConfigurationUpdate,
                     fmt::format("Alarm \"{}\" {}", a.name, created ? "created" : "updated"), std::move(text)};
}

HistoryItem action_item(std::string_view alarm_name, std::int64_t time_ms, std::int64_t state_update_ms,
                        std::string_view action_arn, const std::optional<std::string>& published_message,
                        const std::optional<std::string>& error) {
  nlohmann::ordered_json data;
  data["actionState"] = error ? "Failed" : "Succeeded";
  data["stateUpdateTimestamp"] = state_update_ms;
  data["notificationResource"] = action_arn;
  data["publishedMessage"] = published_message ? nlohmann::ordered_json(*published_message) : nullptr;
  data["error"] = error ? nlohmann::ordered_json(*error) : nullptr;
  std::string text = data.dump();
  if (text.size() > kMaxHistoryData) {
    data["publishedMessage"] = nullptr;
    text = data.dump();
  }
  std::string summary = error ? fmt::format("Failed to execute action {}. Reason: {}", action_arn, *error)
                              : fmt::format("Successfully executed action {}", action_arn);
  if (summary.size() > 255) {
    std::size_t cut = 255;
    while (cut > 0 && (static_cast<unsigned char>(summary[cut]) & 0xC0) == 0x80) --cut;  // whole characters
    summary.resize(cut);
  }
  return HistoryItem{std::string(alarm_name), time_ms, HistoryType::kAction, std::move(summary), std::move(text)};
}

}  // namespace sgwatch::alarms
