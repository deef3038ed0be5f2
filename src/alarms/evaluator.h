// One evaluation of a metric alarm (spec section 4.4): the R most recent periods in, the new state
// and its reason out. Pure: the caller owns the data and the clock.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "alarms/definition.h"

namespace sgwatch::alarms {

// One period of the evaluation range: the alarm's statistic over it (nullopt: no data point), the
// period's start (Unix seconds) and, when known, how many raw values it had.
struct PeriodValue {
  std::optional<double> value;
  std::int64_t start = 0;
  std::optional<double> sample_count;
  std::optional<double> minimum;  // the smallest raw value, when known (the early-ALARM rule)
};

struct Evaluation {
  AlarmState state = AlarmState::kInsufficientData;
  bool retained = false;  // the rules keep the current state (ignore, low-sample percentiles)
  std::string reason;     // the StateReason for `state` (empty when retained)
  std::string reason_data;  // StateReasonData (spec 5.3), a JSON text (empty when retained)
};

// StateReasonData of an evaluation of `window` at `query_time` (spec 5.3): version, queryDate,
// startDate, unit, statistic, period, recentDatapoints (oldest first), threshold and
// evaluatedDatapoints (newest first; missing periods carry only their timestamp).
std::string reason_data(const AlarmDefinition& alarm, std::span<const PeriodValue> window,
                        std::int64_t query_time);

// R = N + max(2, N/3) (spec 4.3; N = 3 gives the documented 5).
int default_evaluation_range(int evaluation_periods);

// Evaluates `window` (the R most recent periods, oldest first) for an alarm now in `current`,
// at the end of the newest period.
Evaluation evaluate(const AlarmDefinition& alarm, std::span<const PeriodValue> window,
                    AlarmState current);

}  // namespace sgwatch::alarms
