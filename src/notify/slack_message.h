// A Slack incoming-webhook payload for an alarm transition: `text` (the notification line, the
// alarm subject) and Block Kit `blocks` showing state, alarm, reason, region, account, metric and
// time, then, when the notice carries an sgwatch context, its causing events (time, event, actor,
// source IP, group, rule changes) — at most 20, then "and N more". Every text is cut to Slack's
// limits, so the payload is accepted whatever the alarm or context holds.
#pragma once

#include <cstddef>
#include <string>

#include "notify/alarm_message.h"
#include "notify/alert_context.h"

namespace sgwatch::notify {

struct SlackOptions {
  std::size_t max_events = kMaxListedEvents;
};

// Compact JSON, UTF-8.
std::string slack_payload(const AlarmNotice& notice, const SlackOptions& options = {});

}  // namespace sgwatch::notify
