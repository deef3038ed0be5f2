// LiveAlarm: one alarm evaluated on a clock (CONTRACTS.md "Alarm evaluation when live"): at every
// minute boundary (every 10 s for high-resolution periods) over the sliding window of its last R
// periods, and on the arrival of data when the early-ALARM rule says no further data in the window
// can undo the breach. Replay drives it with event time, live with wall time: the same code.
// Neighbours: evaluator.h does one evaluation; engine/ persists what this returns.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alarms/alarm.h"
#include "alarms/evaluator.h"
#include "metrics/store.h"

namespace sgwatch::alarms {

// One state change of an alarm, as history and notifications need it.
struct Transition {
  std::string alarm;
  std::int64_t time_ms = 0;      // when it happened (the boundary, or the arrival for early ALARM)
  std::int64_t evaluated_at = 0; // the boundary (Unix seconds) whose window was evaluated
  AlarmState from = AlarmState::kInsufficientData;
  AlarmState to = AlarmState::kInsufficientData;
  std::string old_reason;
  std::string old_reason_data;
  std::string reason;
  std::string reason_data;
  std::vector<std::string> actions;  // empty when actions are disabled
  bool early = false;                // the early-ALARM rule fired on arrival
};

// Seconds between evaluations: 60, or 10 for periods under a minute.
int evaluation_step(const AlarmDefinition& alarm);

// The series an alarm watches (dimensions sorted).
metrics::SeriesKey series_of(const AlarmDefinition& alarm);

// The R periods (oldest first) of the sliding window that ends at `end` (Unix seconds).
std::vector<PeriodValue> window_ending(const AlarmDefinition& alarm, const metrics::SeriesStore& store,
                                       std::int64_t end);

// Whether an evaluation of `window` to ALARM is final for its window: the statistic and operator
// are monotone in more data (SampleCount or Maximum with GreaterThan[OrEqualTo]; Sum with those
// while every value in the window is >= 0; Minimum with LessThan[OrEqualTo]) and at least M of the
// N newest periods breach with real data, so no missing-data treatment is involved.
bool alarm_is_final(const AlarmDefinition& alarm, const std::vector<PeriodValue>& window);

class LiveAlarm {
 public:
  // `next_boundary`: the first boundary (Unix seconds, a multiple of the step) still to evaluate.
  LiveAlarm(Alarm alarm, std::int64_t next_boundary);

  const Alarm& alarm() const { return alarm_; }
  Alarm& alarm() { return alarm_; }
  const metrics::SeriesKey& key() const { return key_; }
  std::int64_t next_boundary() const { return next_boundary_; }
  bool idle() const { return idle_; }
  void restore(std::int64_t next_boundary, bool idle) {
    next_boundary_ = next_boundary;
    idle_ = idle;
  }

  // Evaluates every boundary up to `now_ms`, in order; boundaries whose windows can only repeat
  // an all-missing evaluation are skipped. Returns the transitions.
  std::vector<Transition> advance(const metrics::SeriesStore& store, std::int64_t now_ms);

  // Evaluates the boundary at `boundary` (seconds) only, if it is due; at most one transition.
  // advance() is this in a loop; a caller that persists each boundary separately uses it.
  std::optional<Transition> step(const metrics::SeriesStore& store, std::int64_t now_ms);
  // Whether a boundary is due at `now_ms`.
  bool due(std::int64_t now_ms) const { return next_boundary_ * 1000 <= now_ms; }

  // Data for this alarm's series arrived at `now_ms`: the early-ALARM rule, on the window of the
  // next boundary. At most one transition (to ALARM).
  std::optional<Transition> on_data(const metrics::SeriesStore& store, std::int64_t now_ms);

  // SetAlarmState at `now_ms`.
  std::optional<Transition> set_state(AlarmState state, std::string reason, std::int64_t now_ms,
                                      std::string reason_data = {});

 private:
  std::optional<Transition> apply(const Evaluation& evaluation, std::int64_t boundary,
                                  std::int64_t time_ms, bool early);
  void skip_idle(const metrics::SeriesStore& store, std::int64_t now_ms);

  Alarm alarm_;
  metrics::SeriesKey key_;
  int step_;
  int range_;
  std::int64_t next_boundary_;
  bool idle_ = false;  // the last evaluation saw no real point in its whole range
};

}  // namespace sgwatch::alarms
