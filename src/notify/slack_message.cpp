// Implementation of slack_message.h. Slack's limits (Block Kit reference): header text 150
// characters, section text 3000, a field 2000, 10 fields per section, 50 blocks per message.
// Texts are escaped for mrkdwn (&, <, >) so alarm names cannot inject links or mentions.
#include "notify/slack_message.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string_view>

#include "notify/json_text.h"
#include "notify/timestamps.h"

namespace sgwatch::notify {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::size_t kHeaderLimit = 150;
constexpr std::size_t kSectionLimit = 3000;
constexpr std::size_t kFieldLimit = 2000;
constexpr std::size_t kTextLimit = 3000;   // the top-level fallback `text`, kept short
constexpr std::size_t kMaxEventsCap = 40;  // keeps the message under 50 blocks

std::string escape_mrkdwn(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Inline code: backticks inside would end it early.
std::string code(std::string_view text) {
  std::string inner = escape_mrkdwn(text);
  std::replace(inner.begin(), inner.end(), '`', '\'');
  return "`" + inner + "`";
}

// At most `limit` characters, the last one an ellipsis when cut; never inside an escape ("&amp;").
std::string cut(std::string_view text, std::size_t limit) {
  if (code_point_count(text) <= limit) return std::string(text);
  std::string_view kept = code_point_prefix(text, limit - 1);
  const auto amp = kept.rfind('&');
  if (amp != std::string_view::npos && amp + 5 > kept.size() &&
      kept.find(';', amp) == std::string_view::npos) {
    kept = kept.substr(0, amp);
  }
  return std::string(kept) + "\xE2\x80\xA6";
}

Json mrkdwn(const std::string& text, std::size_t limit) {
  return Json{{"type", "mrkdwn"}, {"text", cut(text, limit)}};
}

Json section(const std::string& text) {
  return Json{{"type", "section"}, {"text", mrkdwn(text, kSectionLimit)}};
}

std::string_view state_emoji(alarms::AlarmState state) {
  switch (state) {
    case alarms::AlarmState::kAlarm:
      return ":rotating_light:";
    case alarms::AlarmState::kOk:
      return ":white_check_mark:";
    case alarms::AlarmState::kInsufficientData:
      return ":grey_question:";
  }
  return "";
}

std::string event_text(const ContextEvent& event) {
  std::string text = event.time.empty() ? std::string() : code(event.time) + " ";
  text += "*" + escape_mrkdwn(event.name.empty() ? "(unknown event)" : event.name) + "*";
  if (!event.actor.empty()) text += " by " + code(event.actor);
  if (!event.source_ip.empty()) text += " from " + escape_mrkdwn(event.source_ip);
  if (!event.group.empty()) text += " on " + code(event.group);
  if (!event.error_code.empty()) text += " (failed: " + escape_mrkdwn(event.error_code) + ")";
  if (!event.severity.empty()) {
    text += " \xE2\x80\x94 *" + escape_mrkdwn(event.severity) + "*";
    if (!event.reason.empty()) text += ": " + escape_mrkdwn(event.reason);
  }
  for (const std::string& rule : event.rule_changes)
    text += "\n\xE2\x80\xA2 " + escape_mrkdwn(rule);
  if (event.total_rule_changes > event.rule_changes.size()) {
    text += fmt::format("\n\xE2\x80\xA2 and {} more",
                        event.total_rule_changes - event.rule_changes.size());
  }
  return text;
}

}  // namespace

std::string slack_payload(const AlarmNotice& notice, const SlackOptions& options) {
  const alarms::AlarmDefinition& alarm = notice.alarm;
  const std::string_view new_state = alarms::state_name(notice.new_state);
  const std::string region = region_display_name(notice.region);

  Json blocks = Json::array();
  blocks.push_back(
      Json{{"type", "header"},
           {"text", Json{{"type", "plain_text"},
                         {"text", cut(fmt::format("{} {}: {}", state_emoji(notice.new_state),
                                                  new_state, alarm.name),
                                      kHeaderLimit)},
                         {"emoji", true}}}});

  Json fields = Json::array();
  const auto field = [&fields](std::string_view label, const std::string& value) {
    fields.push_back(mrkdwn(fmt::format("*{}*\n{}", label, escape_mrkdwn(value)), kFieldLimit));
  };
  field("State",
        fmt::format("{} \xE2\x86\x92 {}", alarms::state_name(notice.old_state), new_state));
  field("Alarm", alarm.name);
  field("Region", fmt::format("{} ({})", region, notice.region));
  field("Account", notice.account_id);
  field("Time", readable_utc(notice.state_change_ms));
  field("Metric", fmt::format("{} / {}", alarm.metric_namespace, alarm.metric_name));
  blocks.push_back(Json{{"type", "section"}, {"fields", std::move(fields)}});

  blocks.push_back(section("*Reason*\n" + escape_mrkdwn(notice.reason)));
  if (alarm.description && !alarm.description->empty()) {
    blocks.push_back(section("*Description*\n" + escape_mrkdwn(*alarm.description)));
  }

  if (notice.sgwatch) {
    const std::size_t max_events = std::min(options.max_events, kMaxEventsCap);
    const AlertContext context = read_alert_context(*notice.sgwatch, max_events);
    if (!context.events.empty()) {
      blocks.push_back(Json{{"type", "divider"}});
      blocks.push_back(section(fmt::format("*Causing events* ({})", context.total_events)));
      for (const ContextEvent& event : context.events) blocks.push_back(section(event_text(event)));
      if (context.total_events > context.events.size()) {
        blocks.push_back(Json{
            {"type", "context"},
            {"elements", Json::array({mrkdwn(fmt::format("and {} more", context.total_events -
                                                                            context.events.size()),
                                             kSectionLimit)})}});
      }
    }
  }

  blocks.push_back(
      Json{{"type", "context"},
           {"elements", Json::array({mrkdwn(escape_mrkdwn(notice.alarm_arn), kSectionLimit)})}});

  Json payload;
  payload["text"] = cut(escape_mrkdwn(alarm_subject(notice)), kTextLimit);
  payload["blocks"] = std::move(blocks);
  return payload.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

}  // namespace sgwatch::notify
