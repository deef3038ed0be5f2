// Alarm: one metric alarm's state machine (spec 4.9): its state and reason, evaluations that may
// transition it, SetAlarmState, and Enable/DisableAlarmActions. A transition runs the actions of
// the new state when actions are enabled; a state that persists runs nothing.
#pragma once

#include <string>
#include <vector>

#include "alarms/definition.h"
#include "alarms/evaluator.h"

namespace sgwatch::alarms {

inline constexpr std::string_view kInitialReason = "Unchecked: Initial alarm creation";

class Alarm {
 public:
  explicit Alarm(AlarmDefinition definition,
                 AlarmState initial = AlarmState::kInsufficientData)
      : definition_(std::move(definition)), state_(initial), reason_(kInitialReason),
        actions_enabled_(definition_.actions_enabled) {}

  const AlarmDefinition& definition() const { return definition_; }
  AlarmState state() const { return state_; }
  const std::string& reason() const { return reason_; }
  const std::string& reason_data() const { return reason_data_; }  // SetAlarmState's, or empty
  bool actions_enabled() const { return actions_enabled_; }

  // Applies an evaluation; returns the actions the transition runs (none without a transition).
  std::vector<std::string> apply(const Evaluation& evaluation);
  // SetAlarmState: the caller's state, reason and reason data (JSON text or empty), now; actions
  // run if the state changes.
  std::vector<std::string> set_state(AlarmState state, std::string reason, std::string reason_data = {});
  // The state read back from the state store after a restart.
  void restore(AlarmState state, std::string reason, std::string reason_data, bool actions_enabled) {
    state_ = state;
    reason_ = std::move(reason);
    reason_data_ = std::move(reason_data);
    actions_enabled_ = actions_enabled;
  }
  void enable_actions() { actions_enabled_ = true; }
  void disable_actions() { actions_enabled_ = false; }

 private:
  std::vector<std::string> transition(AlarmState state, std::string reason, std::string reason_data);

  AlarmDefinition definition_;
  AlarmState state_;
  std::string reason_;
  std::string reason_data_;
  bool actions_enabled_;
};

}  // namespace sgwatch::alarms
