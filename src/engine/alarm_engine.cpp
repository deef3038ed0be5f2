// Implementation of alarm_engine.h.
#include "engine/alarm_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "alarms/history.h"

namespace sgwatch::engine {
namespace {

constexpr std::int64_t kDay = 86400;
constexpr std::int64_t kPruneEveryMs = 3600 * 1000;
constexpr std::size_t kMaxCausesPerSeries = 1000;

alarms::ApiError internal(const std::string& message) { return alarms::ApiError{"InternalFailure", message}; }

}  // namespace

core::Result<std::unique_ptr<AlarmEngine>, std::string> AlarmEngine::open(store::Store& store, const core::Clock& clock,
                                                                          EngineOptions options) {
  std::unique_ptr<AlarmEngine> engine(new AlarmEngine(store, clock, std::move(options)));
  auto ok = engine->load();
  if (!ok) return core::unexpected(ok.error());
  return engine;
}

std::string AlarmEngine::alarm_arn(const std::string& name) const {
  return fmt::format("arn:aws:cloudwatch:{}:{}:alarm:{}", options_.region, options_.account_id, name);
}

core::Result<void, std::string> AlarmEngine::load() {
  alarms_.clear();
  series_ = metrics::SeriesStore(10, true);
  auto records = store_.alarms();
  if (!records) return core::unexpected(records.error());
  for (auto& record : *records) {
    alarms::Alarm alarm(record.definition);
    alarm.restore(record.state, record.reason, record.reason_data, record.actions_enabled);
    alarms::LiveAlarm live(std::move(alarm), record.next_boundary);
    live.restore(record.next_boundary, record.idle);
    const std::string name = record.definition.name;
    alarms_.emplace(name, Entry{std::move(record), std::move(live)});
  }
  const std::int64_t since = clock_.now_ms() / 1000 - options_.datapoint_retention_days * kDay;
  auto loaded = store_.load_datapoints(since, series_);
  if (!loaded) return core::unexpected(loaded.error());
  return {};
}

template <typename Body>
Result<void> AlarmEngine::transaction(Body&& body) {
  auto begun = store_.begin();
  if (!begun) return core::unexpected(internal(begun.error()));
  core::Result<void, std::string> done = body();
  if (done) {
    done = store_.commit();
  } else {
    store_.rollback();
  }
  if (!done) {
    // Memory may hold what the store refused: read the committed state back.
    auto reloaded = load();
    if (!reloaded) return core::unexpected(internal(done.error() + "; then: " + reloaded.error()));
    return core::unexpected(internal(done.error()));
  }
  return {};
}

core::Result<void, std::string> AlarmEngine::save(Entry& entry) {
  const alarms::Alarm& alarm = entry.live.alarm();
  entry.record.state = alarm.state();
  entry.record.reason = alarm.reason();
  entry.record.reason_data = alarm.reason_data();
  entry.record.actions_enabled = alarm.actions_enabled();
  entry.record.next_boundary = entry.live.next_boundary();
  entry.record.idle = entry.live.idle();
  return store_.put_alarm(entry.record);
}

core::Result<void, std::string> AlarmEngine::record_transition(Entry& entry, const alarms::Transition& t) {
  entry.record.state_updated_ms = t.time_ms;
  entry.record.state_transitioned_ms = t.time_ms;
  auto item = store_.append_history(alarms::state_update_item(t));
  if (!item) return core::unexpected(item.error());
  auto saved = save(entry);
  if (!saved) return saved;
  if (action_runner_ == nullptr || t.actions.empty()) return {};
  notify::AlarmNotice notice;
  notice.alarm = entry.live.alarm().definition();
  notice.account_id = options_.account_id;
  notice.region = options_.region;
  notice.alarm_arn = alarm_arn(notice.alarm.name);
  notice.configuration_updated_ms = entry.record.configuration_updated_ms;
  notice.old_state = t.from;
  notice.new_state = t.to;
  notice.reason = t.reason;
  notice.state_change_ms = t.time_ms;
  if (t.to == alarms::AlarmState::kAlarm) notice.sgwatch = causes_context(causes_of(entry, t));
  for (const auto& arn : t.actions) {
    auto outcome = action_runner_->run(arn, notice);
    if (!outcome) return core::unexpected(outcome.error());
    auto action = store_.append_history(
        alarms::action_item(notice.alarm.name, clock_.now_ms(), t.time_ms, arn, outcome->published_message, outcome->error));
    if (!action) return core::unexpected(action.error());
  }
  return {};
}

std::vector<std::string> AlarmEngine::causes_of(const Entry& entry, const alarms::Transition& t) const {
  std::vector<std::string> out;
  const auto found = causes_.find(entry.live.key());
  if (found == causes_.end()) return out;
  // The periods the evaluation looked at, with one period of slack on each side for early
  // transitions and late data.
  const auto& definition = entry.live.alarm().definition();
  const std::int64_t span = std::int64_t{definition.period} * (definition.evaluation_periods + 1);
  const std::int64_t end = std::max(t.evaluated_at, t.time_ms / 1000) + definition.period;
  for (const auto& [time, cause] : found->second) {
    if (time >= end - span - definition.period && time < end) out.push_back(cause);
  }
  return out;
}

core::Result<void, std::string> AlarmEngine::advance_all(std::int64_t now_ms, std::vector<alarms::Transition>& out) {
  for (auto& [name, entry] : alarms_) {
    const std::int64_t before = entry.live.next_boundary();
    const bool was_idle = entry.live.idle();
    for (auto& t : entry.live.advance(series_, now_ms)) {
      auto ok = record_transition(entry, t);
      if (!ok) return ok;
      out.push_back(std::move(t));
    }
    if (entry.live.next_boundary() != before || entry.live.idle() != was_idle) {
      auto ok = save(entry);
      if (!ok) return ok;
    }
  }
  return {};
}

core::Result<void, std::string> AlarmEngine::prune(std::int64_t now_ms) {
  if (now_ms < next_prune_ms_) return {};
  next_prune_ms_ = now_ms + kPruneEveryMs;
  auto ok = store_.prune_datapoints(now_ms / 1000 - options_.datapoint_retention_days * kDay);
  if (!ok) return ok;
  return store_.prune_history(now_ms - options_.history_retention_days * kDay * 1000);
}

Result<std::vector<alarms::Transition>> AlarmEngine::put_alarm(alarms::AlarmDefinition definition) {
  std::vector<alarms::Transition> out;
  const std::int64_t now_ms = clock_.now_ms();
  auto done = transaction([&]() -> core::Result<void, std::string> {
    const std::string name = definition.name;
    auto existing = alarms_.find(name);
    const bool created = existing == alarms_.end();
    store::AlarmRecord record;
    alarms::Alarm alarm(definition);
    std::int64_t next_boundary = metrics::floor_to(now_ms / 1000, alarms::evaluation_step(definition));
    if (created) {
      record.state_updated_ms = now_ms;
      record.state_transitioned_ms = now_ms;
      record.reason = std::string(alarms::kInitialReason);
    } else {
      // A new configuration keeps the state; actions follow the new ActionsEnabled.
      record = existing->second.record;
      alarm.restore(record.state, record.reason, record.reason_data, definition.actions_enabled);
      // The schedule goes on: the next boundary evaluates the new configuration (a boundary
      // already evaluated is not evaluated again, which could undo an early ALARM).
      next_boundary = existing->second.live.next_boundary();
      alarms_.erase(existing);
    }
    record.definition = definition;
    record.arn = alarm_arn(name);
    record.configuration_updated_ms = now_ms;
    alarms::LiveAlarm live(std::move(alarm), next_boundary);
    auto [it, inserted] = alarms_.emplace(name, Entry{std::move(record), std::move(live)});
    Entry& entry = it->second;
    auto item = store_.append_history(alarms::configuration_item(entry.record.definition, created, entry.record.arn,
                                                                 now_ms, entry.live.alarm().state(),
                                                                 entry.record.state_updated_ms));
    if (!item) return core::unexpected(item.error());
    auto saved = save(entry);
    if (!saved) return saved;
    // The immediate evaluation (spec 3.3).
    for (auto& t : entry.live.advance(series_, now_ms)) {
      auto ok = record_transition(entry, t);
      if (!ok) return ok;
      out.push_back(std::move(t));
    }
    return save(entry);
  });
  if (!done) return core::unexpected(done.error());
  return out;
}

Result<void> AlarmEngine::delete_alarms(const std::vector<std::string>& names) {
  return transaction([&]() -> core::Result<void, std::string> {
    for (const auto& name : names) {
      if (alarms_.erase(name) == 0) continue;
      auto ok = store_.delete_alarm(name);
      if (!ok) return ok;
    }
    return {};
  });
}

Result<std::optional<alarms::Transition>> AlarmEngine::set_alarm_state(const std::string& name, alarms::AlarmState state,
                                                                       std::string reason,
                                                                       std::optional<std::string> reason_data) {
  auto it = alarms_.find(name);
  if (it == alarms_.end()) {
    return core::unexpected(alarms::ApiError{"ResourceNotFound", fmt::format("Alarm {} does not exist", name)});
  }
  if (reason.size() > 1023) {
    return core::unexpected(alarms::ApiError{"ValidationError", "StateReason must be at most 1023 characters"});
  }
  if (reason_data) {
    if (reason_data->size() > 4000) {
      return core::unexpected(alarms::ApiError{"ValidationError", "StateReasonData must be at most 4000 characters"});
    }
    if (nlohmann::json::parse(*reason_data, nullptr, false).is_discarded()) {
      return core::unexpected(alarms::ApiError{"InvalidFormat", "StateReasonData is not valid JSON"});
    }
  }
  std::optional<alarms::Transition> out;
  const std::int64_t now_ms = clock_.now_ms();
  auto done = transaction([&]() -> core::Result<void, std::string> {
    Entry& entry = it->second;
    out = entry.live.set_state(state, std::move(reason), now_ms, reason_data.value_or(std::string()));
    if (!out) return {};
    return record_transition(entry, *out);
  });
  if (!done) return core::unexpected(done.error());
  return out;
}

Result<void> AlarmEngine::set_actions_enabled(const std::vector<std::string>& names, bool enabled) {
  return transaction([&]() -> core::Result<void, std::string> {
    for (const auto& name : names) {
      auto it = alarms_.find(name);
      if (it == alarms_.end()) continue;
      if (enabled) {
        it->second.live.alarm().enable_actions();
      } else {
        it->second.live.alarm().disable_actions();
      }
      auto ok = save(it->second);
      if (!ok) return ok;
    }
    return {};
  });
}

Result<std::vector<alarms::Transition>> AlarmEngine::add_datapoints(std::span<const store::Datapoint> datapoints,
                                                                    const std::optional<Checkpoint>& checkpoint) {
  return add_datapoints(datapoints, checkpoint, StoreWrites());
}

Result<std::vector<alarms::Transition>> AlarmEngine::add_datapoints(std::span<const store::Datapoint> datapoints,
                                                                    const std::optional<Checkpoint>& checkpoint,
                                                                    const StoreWrites& writes) {
  std::vector<alarms::Transition> out;
  const std::int64_t now_ms = clock_.now_ms();
  auto done = transaction([&]() -> core::Result<void, std::string> {
    if (writes) {
      auto written = writes(store_);
      if (!written) return written;
    }
    auto ok = advance_all(now_ms, out);
    if (!ok) return ok;
    std::set<metrics::SeriesKey> touched;
    for (const auto& d : datapoints) {
      ok = store_.add_datapoint(d);
      if (!ok) return ok;
      series_.add_set(d.key, d.time, d.values);
      touched.insert(d.key);
      if (!d.cause.empty()) {
        auto& causes = causes_[d.key];
        causes.emplace_back(d.time, d.cause);
        if (causes.size() > kMaxCausesPerSeries) causes.pop_front();
      }
    }
    for (auto& [name, entry] : alarms_) {
      if (!touched.contains(entry.live.key())) continue;
      if (auto t = entry.live.on_data(series_, now_ms)) {
        ok = record_transition(entry, *t);
        if (!ok) return ok;
        out.push_back(std::move(*t));
      }
    }
    if (checkpoint) {
      ok = store_.set_checkpoint(checkpoint->source, checkpoint->position);
      if (!ok) return ok;
    }
    return {};
  });
  if (!done) return core::unexpected(done.error());
  return out;
}

Result<std::vector<alarms::Transition>> AlarmEngine::tick() {
  std::vector<alarms::Transition> out;
  const std::int64_t now_ms = clock_.now_ms();
  auto done = transaction([&]() -> core::Result<void, std::string> {
    auto ok = advance_all(now_ms, out);
    if (!ok) return ok;
    return prune(now_ms);
  });
  if (!done) return core::unexpected(done.error());
  return out;
}

std::optional<std::int64_t> AlarmEngine::next_due_ms() const {
  std::optional<std::int64_t> out;
  for (const auto& [name, entry] : alarms_) {
    const std::int64_t due = entry.live.next_boundary() * 1000;
    if (!out || due < *out) out = due;
  }
  return out;
}

std::vector<store::AlarmRecord> AlarmEngine::describe_alarms() const {
  std::vector<store::AlarmRecord> out;
  out.reserve(alarms_.size());
  for (const auto& [name, entry] : alarms_) out.push_back(entry.record);
  return out;
}

std::optional<store::AlarmRecord> AlarmEngine::alarm(const std::string& name) const {
  auto it = alarms_.find(name);
  if (it == alarms_.end()) return std::nullopt;
  return it->second.record;
}

Result<std::vector<store::StoredHistoryItem>> AlarmEngine::history(const store::HistoryQuery& query) {
  auto items = store_.history(query);
  if (!items) return core::unexpected(internal(items.error()));
  return std::move(*items);
}

Result<std::optional<std::string>> AlarmEngine::checkpoint(const std::string& source) {
  auto position = store_.checkpoint(source);
  if (!position) return core::unexpected(internal(position.error()));
  return std::move(*position);
}

}  // namespace sgwatch::engine
