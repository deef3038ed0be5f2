// Backtest: `sgwatch scan --alarms` (CONTRACTS.md). The metrics the filters publish for the
// scanned records are placed by the records' eventTime into a SeriesStore; each alarm is then
// driven by event time through alarms::LiveAlarm, the code that evaluates live alarms: at every
// minute boundary (10 s for high-resolution periods) over the sliding window of its last R
// periods, each metric bucket arriving when it closes. Every transition is reported: how noisy
// an alarm would have been over the history scanned.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "alarms/definition.h"
#include "core/result.h"
#include "metrics/store.h"
#include "scan/filters.h"

namespace sgwatch::scan {

struct AlarmTransition {
  std::string alarm;
  std::int64_t time = 0;  // the evaluation: the end of the period that closed
  alarms::AlarmState from = alarms::AlarmState::kInsufficientData;
  alarms::AlarmState to = alarms::AlarmState::kInsufficientData;
  std::string reason;
  std::string reason_data;  // StateReasonData (JSON text)
  std::vector<std::string> actions;
};

// The CIS default alarm for every filter: Sum over 300 s >= 1, 1 period, on the filter's metric;
// named after the filter.
std::vector<alarms::AlarmDefinition> default_alarms(const FilterSet& filters);

// A JSON list of put-metric-alarm inputs (or one object); `where` names the file in errors.
core::Result<std::vector<alarms::AlarmDefinition>, std::string> parse_alarm_list(std::string_view json,
                                                                                  std::string_view where);

// The store a backtest of `alarms` needs: 10 s buckets for high-resolution periods, raw values
// for percentile statistics.
metrics::SeriesStore store_for(const std::vector<alarms::AlarmDefinition>& alarms);

// Every transition of every alarm, in time order (alarms in definition order within a time).
std::vector<AlarmTransition> run_backtest(const std::vector<alarms::AlarmDefinition>& alarms,
                                          const metrics::SeriesStore& store);

}  // namespace sgwatch::scan
