// Alarm history items (spec section 6): ConfigurationUpdate when an alarm is created or updated,
// StateUpdate on every transition, Action for every action a transition runs. HistoryData is a
// JSON text in AWS's member order. Neighbours: live.h produces transitions; store/ keeps items.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "alarms/definition.h"
#include "alarms/live.h"

namespace sgwatch::alarms {

enum class HistoryType { kConfigurationUpdate, kStateUpdate, kAction };
std::string_view history_type_name(HistoryType type);  // "ConfigurationUpdate", ...
std::optional<HistoryType> parse_history_type(std::string_view name);

inline constexpr std::size_t kMaxHistoryData = 4095;

struct HistoryItem {
  std::string alarm_name;
  std::int64_t timestamp_ms = 0;
  HistoryType type = HistoryType::kStateUpdate;
  std::string summary;  // HistorySummary
  std::string data;     // HistoryData (JSON text)
};

// "Alarm updated from OK to ALARM"; data {"version":"1.0","oldState":{...},"newState":{...}}
// with stateReasonData embedded as objects. Over 4095 characters, the old state's reason data
// is left out first, then the new state's.
HistoryItem state_update_item(const Transition& transition);

// Alarm "<name>" created / updated; data {"version":"1.0","type":"Create"|"Update",
// "createdAlarm"|"updatedAlarm":{camelCase fields of the capture's order}}.
HistoryItem configuration_item(const AlarmDefinition& alarm, bool created, std::string_view alarm_arn,
                               std::int64_t time_ms, AlarmState state, std::int64_t state_updated_ms);

// "Successfully executed action <arn>" or "Failed to execute action <arn>. Reason: <error>";
// data {"actionState","stateUpdateTimestamp","notificationResource","publishedMessage","error"}.
HistoryItem action_item(std::string_view alarm_name, std::int64_t time_ms, std::int64_t state_update_ms,
                        std::string_view action_arn, const std::optional<std::string>& published_message,
                        const std::optional<std::string>& error);

}  // namespace sgwatch::alarms
