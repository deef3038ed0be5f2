// AlarmEngine: the live CloudWatch side of sgwatch — alarm definitions, metric datapoints and
// alarm states, evaluated on a clock (CONTRACTS.md "Alarm evaluation when live") and persisted in
// the state store. Every call is one store transaction: the datapoints, the transitions they cause,
// their history items and the caller's source checkpoint land together, so a process killed at any
// point restarts with no transition lost or repeated. The serve API and the sources drive it.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "alarms/definition.h"
#include "alarms/live.h"
#include "engine/alarm_actions.h"
#include "core/clock.h"
#include "core/result.h"
#include "metrics/store.h"
#include "store/store.h"

namespace sgwatch::engine {

template <typename T>
using Result = core::Result<T, alarms::ApiError>;  // store failures are InternalFailure

struct EngineOptions {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  int datapoint_retention_days = 15;  // CloudWatch keeps 1-minute data 15 days
  int history_retention_days = 30;    // at least the two weeks AWS documents
};

// A position in a source, committed with the effects of the data before it.
struct Checkpoint {
  std::string source;
  std::string position;
};

class AlarmEngine {
 public:
  // Loads definitions, states and the retained datapoints from `store`.
  static core::Result<std::unique_ptr<AlarmEngine>, std::string> open(store::Store& store, const core::Clock& clock,
                                                                       EngineOptions options = {});

  // PutMetricAlarm: creates (INSUFFICIENT_DATA) or replaces the configuration keeping the state,
  // then evaluates at once. Returns the transitions that evaluation caused.
  Result<std::vector<alarms::Transition>> put_alarm(alarms::AlarmDefinition definition);
  // DeleteAlarms: unknown names are ignored; history stays.
  Result<void> delete_alarms(const std::vector<std::string>& names);
  // SetAlarmState: ResourceNotFound for an unknown alarm, InvalidFormat for reason data that is
  // not JSON.
  Result<std::optional<alarms::Transition>> set_alarm_state(const std::string& name, alarms::AlarmState state,
                                                            std::string reason, std::optional<std::string> reason_data);
  // Enable/DisableAlarmActions: unknown names are ignored.
  Result<void> set_actions_enabled(const std::vector<std::string>& names, bool enabled);

  // New datapoints (metric-filter matches, PutMetricData), with the source checkpoint they
  // advance: due boundaries are evaluated first, then the early-ALARM rule on arrival.
  Result<std::vector<alarms::Transition>> add_datapoints(std::span<const store::Datapoint> datapoints,
                                                         const std::optional<Checkpoint>& checkpoint = std::nullopt);
  // The same, with the caller's own store writes (the Logs engine's events) run first inside the
  // one transaction: they and the datapoints land together or not at all.
  using StoreWrites = std::function<core::Result<void, std::string>(store::Store&)>;
  Result<std::vector<alarms::Transition>> add_datapoints(std::span<const store::Datapoint> datapoints,
                                                         const std::optional<Checkpoint>& checkpoint,
                                                         const StoreWrites& writes);
  // Evaluates every boundary due at the clock's time; prunes expired data now and then.
  Result<std::vector<alarms::Transition>> tick();
  // When the next boundary of any alarm is due (ms), for a live loop's timer; nullopt: no alarm.
  std::optional<std::int64_t> next_due_ms() const;

  // Who runs the actions of transitions (nullptr: none run, nothing is recorded for them). Each
  // action runs inside the transaction that records the transition, and its outcome becomes an
  // Action history item. Not owned; must outlive the engine's calls.
  void set_action_runner(ActionRunner* runner) { action_runner_ = runner; }

  std::vector<store::AlarmRecord> describe_alarms() const;
  std::optional<store::AlarmRecord> alarm(const std::string& name) const;
  Result<std::vector<store::StoredHistoryItem>> history(const store::HistoryQuery& query);
  Result<std::optional<std::string>> checkpoint(const std::string& source);
  const metrics::SeriesStore& series() const { return series_; }
  std::string alarm_arn(const std::string& name) const;

 private:
  struct Entry {
    store::AlarmRecord record;
    alarms::LiveAlarm live;
  };
  AlarmEngine(store::Store& store, const core::Clock& clock, EngineOptions options)
      : store_(store), clock_(clock), options_(std::move(options)), series_(10, true) {}

  core::Result<void, std::string> load();
  // Runs `body` in one transaction; on any failure rolls back and reloads memory from the store.
  template <typename Body>
  Result<void> transaction(Body&& body);
  core::Result<void, std::string> record_transition(Entry& entry, const alarms::Transition& t);
  core::Result<void, std::string> save(Entry& entry);
  std::vector<std::string> causes_of(const Entry& entry, const alarms::Transition& t) const;
  core::Result<void, std::string> advance_all(std::int64_t now_ms, std::vector<alarms::Transition>& out);
  core::Result<void, std::string> prune(std::int64_t now_ms);

  store::Store& store_;
  const core::Clock& clock_;
  EngineOptions options_;
  metrics::SeriesStore series_;
  std::map<std::string, Entry> alarms_;
  std::int64_t next_prune_ms_ = 0;
  ActionRunner* action_runner_ = nullptr;
  // The latest causes (datapoint.cause) per series, oldest first, for notification context.
  std::map<metrics::SeriesKey, std::deque<std::pair<std::int64_t, std::string>>> causes_;
};

}  // namespace sgwatch::engine
