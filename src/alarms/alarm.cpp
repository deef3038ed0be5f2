// Implementation of alarm.h.
#include "alarms/alarm.h"

namespace sgwatch::alarms {

std::vector<std::string> Alarm::transition(AlarmState state, std::string reason, std::string reason_data) {
  if (state == state_) return {};
  state_ = state;
  reason_ = std::move(reason);
  reason_data_ = std::move(reason_data);
  if (!actions_enabled_) return {};
  return definition_.actions_for(state_);
}

std::vector<std::string> Alarm::apply(const Evaluation& evaluation) {
  if (evaluation.retained) return {};
  // StateReason is rewritten only when the state changes (spec 5.4).
  return transition(evaluation.state, evaluation.reason, evaluation.reason_data);
}

std::vector<std::string> Alarm::set_state(AlarmState state, std::string reason, std::string reason_data) {
  return transition(state, std::move(reason), std::move(reason_data));
}

}  // namespace sgwatch::alarms
