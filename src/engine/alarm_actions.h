// What an alarm's actions do when it changes state: ActionRunner is called by the AlarmEngine
// for each action ARN of a transition, inside the store transaction that records it, so the
// notification is in the outbox exactly when the transition is in the history. TopicActions runs
// SNS topic ARNs of sgwatch's own region and account through notify::TopicService (CloudWatch's
// alarm JSON, subject and email text, plus sgwatch's context of causing events). Also the
// context itself: the causing events a transition carries, from the datapoints' causes.
// Neighbours: alarm_engine (the caller), notify/topics.h.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "notify/alarm_message.h"
#include "notify/topics.h"

namespace sgwatch::engine {

// The Action history item's content: the published message on success, else the error.
struct ActionOutcome {
  std::optional<std::string> published_message;
  std::optional<std::string> error;
};

class ActionRunner {
 public:
  virtual ~ActionRunner() = default;
  // Runs one action. An error value is a store failure: the engine rolls the transition back.
  virtual core::Result<ActionOutcome, std::string> run(std::string_view action_arn,
                                                       const notify::AlarmNotice& notice) = 0;
};

class TopicActions final : public ActionRunner {
 public:
  TopicActions(notify::TopicService& topics, std::string region, std::string account_id)
      : topics_(topics), region_(std::move(region)), account_id_(std::move(account_id)) {}
  // SNS topic ARNs of this region and account are published to; a missing topic or any other
  // ARN fails the action with the reason (recorded in the alarm history, as CloudWatch does).
  core::Result<ActionOutcome, std::string> run(std::string_view action_arn, const notify::AlarmNotice& notice) override;

 private:
  notify::TopicService& topics_;
  std::string region_;
  std::string account_id_;
};

// The "sgwatch" context of a notification from the causes (compact JSON objects) of the
// datapoints behind a transition: {"eventCount": N, "events": [...the first 20...]}, each event
// in the shape notify/alert_context.h reads (eventTime, eventName, actor, sourceIPAddress,
// groupId, errorCode, ruleChanges, ...; for security-group events the normalized change's
// severity, reason and exposure). nullopt when there are no causes.
std::optional<nlohmann::ordered_json> causes_context(const std::vector<std::string>& causes);

}  // namespace sgwatch::engine
