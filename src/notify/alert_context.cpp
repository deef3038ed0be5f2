// Implementation of alert_context.h.
#include "notify/alert_context.h"

#include <algorithm>
#include <string_view>

#include "notify/json_text.h"

namespace sgwatch::notify {
namespace {

// A value as one line of text: strings as they are, other values as compact JSON.
std::string single_line(const nlohmann::ordered_json& value) {
  std::string out;
  if (value.is_string()) {
    out = valid_utf8(value.get_ref<const std::string&>());
  } else {
    append_json(out, value);
  }
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = ' ';
  }
  return out;
}

std::string text_member(const nlohmann::ordered_json& object, std::string_view key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return {};
  return single_line(*it);
}

}  // namespace

AlertContext read_alert_context(const nlohmann::ordered_json& context, std::size_t max_events) {
  AlertContext result;
  if (!context.is_object()) return result;
  const auto events = context.find("events");
  if (events != context.end() && events->is_array()) {
    for (const auto& item : *events) {
      if (result.events.size() >= max_events) break;
      if (!item.is_object()) continue;
      ContextEvent event;
      event.time = text_member(item, "eventTime");
      event.name = text_member(item, "eventName");
      event.actor = text_member(item, "actor");
      event.source_ip = text_member(item, "sourceIPAddress");
      event.group = text_member(item, "groupId");
      event.error_code = text_member(item, "errorCode");
      const auto rules = item.find("ruleChanges");
      if (rules != item.end() && rules->is_array()) {
        for (const auto& rule : *rules) {
          if (event.rule_changes.size() >= kMaxListedRuleChanges) break;
          event.rule_changes.push_back(single_line(rule));
        }
        event.total_rule_changes = rules->size();
      } else if (rules != item.end() && !rules->is_null()) {
        event.rule_changes.push_back(single_line(*rules));
        event.total_rule_changes = 1;
      }
      event.severity = text_member(item, "severity");
      event.reason = text_member(item, "reason");
      const auto exposure = item.find("exposure");
      if (exposure != item.end() && exposure->is_array()) {
        for (const auto& entry : *exposure) {
          if (event.exposure.size() >= kMaxListedRuleChanges) break;
          event.exposure.push_back(single_line(entry));
        }
      }
      result.events.push_back(std::move(event));
    }
    result.total_events = events->size();
  }
  const auto count = context.find("eventCount");
  if (count != context.end() && count->is_number_unsigned()) {
    result.total_events = std::max(result.total_events, count->get<std::size_t>());
  } else if (count != context.end() && count->is_number_integer() &&
             count->get<std::int64_t>() > 0) {
    result.total_events =
        std::max(result.total_events, static_cast<std::size_t>(count->get<std::int64_t>()));
  }
  result.total_events = std::max(result.total_events, result.events.size());
  return result;
}

std::string event_line(const ContextEvent& event) {
  std::string line;
  const auto add = [&line](std::string_view prefix, const std::string& value) {
    if (value.empty()) return;
    if (!line.empty()) line += ' ';
    line += prefix;
    line += value;
  };
  add("", event.time);
  add("", event.name.empty() ? std::string("(unknown event)") : event.name);
  add("by ", event.actor);
  add("from ", event.source_ip);
  add("on ", event.group);
  if (!event.error_code.empty()) line += " [" + event.error_code + "]";
  if (!event.severity.empty()) {
    line += " {" + event.severity + (event.reason.empty() ? std::string() : ": " + event.reason) + "}";
  }
  for (std::size_t i = 0; i < event.rule_changes.size(); ++i) {
    line += i == 0 ? ": " : "; ";
    line += event.rule_changes[i];
  }
  if (event.total_rule_changes > event.rule_changes.size()) {
    line +=
        "; and " + std::to_string(event.total_rule_changes - event.rule_changes.size()) + " more";
  }
  return line;
}

}  // namespace sgwatch::notify
