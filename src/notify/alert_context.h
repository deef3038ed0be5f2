// The sgwatch context of an alarm notification (CONTRACTS "Notifications"): the object that goes
// under the extra "sgwatch" key of the alarm JSON, read back into the few fields the readable
// renderers show (the email section of alarm_message, slack_message). The object is the
// caller's; only the shape described below is read, other members ride along in the JSON.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sgwatch::notify {

// The shape read (every member optional; a rule change that is not a string is shown as
// compact JSON):
//   {"eventCount": 57,                  total causing events (default: the number listed)
//    "events": [{"eventTime": "2025-11-27T20:15:03Z", "eventName": "AuthorizeSecurityGroupIngress",
//                "actor": "arn:aws:iam::123456789012:user/alice", "sourceIPAddress": "203.0.113.7",
//                "groupId": "sg-0123456789abcdef0", "errorCode": "...",
//                "ruleChanges": ["+ tcp 22 from 0.0.0.0/0", ...],
//                "severity": "critical", "reason": "SSH (22) open to the world",
//                "exposure": ["tcp 22 from 0.0.0.0/0: SSH (22) open to the world", ...]}, ...]}

// At most this many causing events are listed in an email or Slack message; the rest are counted.
inline constexpr std::size_t kMaxListedEvents = 20;
// At most this many rule changes are kept per event; the rest are counted.
inline constexpr std::size_t kMaxListedRuleChanges = 20;

struct ContextEvent {
  std::string time;
  std::string name;
  std::string actor;
  std::string source_ip;
  std::string group;
  std::string error_code;
  std::vector<std::string> rule_changes;  // at most kMaxListedRuleChanges
  std::size_t total_rule_changes = 0;     // >= rule_changes.size()
  std::string severity;                   // the normalized change's (src/sg), "" when none
  std::string reason;
  std::vector<std::string> exposure;      // at most kMaxListedRuleChanges
};

struct AlertContext {
  std::vector<ContextEvent> events;  // at most the `max_events` first
  std::size_t total_events = 0;      // >= events.size()
};

// Reads the shape above; reads no more than `max_events` events whatever the input holds. Texts
// are made single-line (control characters become spaces) and valid UTF-8.
AlertContext read_alert_context(const nlohmann::ordered_json& context,
                                std::size_t max_events = kMaxListedEvents);

// One plain-text line: "<time> <event> by <actor> from <ip> on <group> [<error>] {<severity>:
// <reason>}: <rule>; <rule>" (then "; and N more" when rule changes were dropped), parts that are
// empty left out.
std::string event_line(const ContextEvent& event);

}  // namespace sgwatch::notify
