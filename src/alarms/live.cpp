// Implementation of live.h.
#include "alarms/live.h"

#include <algorithm>

namespace sgwatch::alarms {

int evaluation_step(const AlarmDefinition& alarm) { return alarm.period < 60 ? 10 : 60; }

metrics::SeriesKey series_of(const AlarmDefinition& alarm) {
  metrics::SeriesKey key{alarm.metric_namespace, alarm.metric_name, alarm.dimensions};
  std::sort(key.dimensions.begin(), key.dimensions.end());
  return key;
}

namespace {

std::vector<PeriodValue> window_of(const AlarmDefinition& alarm, const metrics::SeriesKey& key,
                                   const metrics::SeriesStore& store, std::int64_t end, int range) {
  std::vector<PeriodValue> window(static_cast<std::size_t>(range));
  const std::int64_t period = alarm.period;
  for (int k = 0; k < range; ++k) {
    const std::int64_t start = end - static_cast<std::int64_t>(range - k) * period;
    auto set = store.aggregate(key, start, alarm.period);
    PeriodValue& p = window[static_cast<std::size_t>(k)];
    p.start = start;
    if (set) {
      p.value = set->statistic(alarm.statistic);
      p.sample_count = set->sample_count;
      p.minimum = set->minimum;
    }
  }
  return window;
}

bool has_real_point(const std::vector<PeriodValue>& window) {
  return std::any_of(window.begin(), window.end(), [](const PeriodValue& p) { return p.value.has_value(); });
}

std::int64_t ceil_to(std::int64_t time, std::int64_t step) { return -metrics::floor_to(-time, step); }

}  // namespace

std::vector<PeriodValue> window_ending(const AlarmDefinition& alarm, const metrics::SeriesStore& store,
                                       std::int64_t end) {
  return window_of(alarm, series_of(alarm), store, end, default_evaluation_range(alarm.evaluation_periods));
}

bool alarm_is_final(const AlarmDefinition& alarm, const std::vector<PeriodValue>& window) {
  const bool greater = alarm.comparison == Comparison::kGreater || alarm.comparison == Comparison::kGreaterOrEqual;
  const auto n = std::min(window.size(), static_cast<std::size_t>(alarm.evaluation_periods));
  const auto newest = window.end() - static_cast<std::ptrdiff_t>(n);
  switch (alarm.statistic.kind) {
    case metrics::StatisticKind::kSampleCount:
    case metrics::StatisticKind::kMaximum:
      if (!greater) return false;
      break;
    case metrics::StatisticKind::kSum:
      if (!greater) return false;
      // More data can lower a sum only through negative values: every value so far is >= 0.
      for (auto it = newest; it != window.end(); ++it) {
        if (it->value && it->minimum && *it->minimum < 0) return false;
      }
      break;
    case metrics::StatisticKind::kMinimum:
      if (greater) return false;
      break;
    default:
      return false;
  }
  int breaching = 0;
  for (auto it = newest; it != window.end(); ++it) {
    if (it->value && alarm.breaches(*it->value)) ++breaching;
  }
  return breaching >= alarm.required_breaching();
}

LiveAlarm::LiveAlarm(Alarm alarm, std::int64_t next_boundary)
    : alarm_(std::move(alarm)),
      key_(series_of(alarm_.definition())),
      step_(evaluation_step(alarm_.definition())),
      range_(default_evaluation_range(alarm_.definition().evaluation_periods)),
      next_boundary_(ceil_to(next_boundary, step_)) {}

std::optional<Transition> LiveAlarm::apply(const Evaluation& evaluation, std::int64_t boundary,
                                           std::int64_t time_ms, bool early) {
  const AlarmState before = alarm_.state();
  std::string old_reason = alarm_.reason();
  std::string old_reason_data = alarm_.reason_data();
  auto actions = alarm_.apply(evaluation);
  if (alarm_.state() == before) return std::nullopt;
  return Transition{alarm_.definition().name, time_ms, boundary, before, alarm_.state(),
                    std::move(old_reason), std::move(old_reason_data), alarm_.reason(),
                    alarm_.reason_data(), std::move(actions), early};
}

void LiveAlarm::skip_idle(const metrics::SeriesStore& store, std::int64_t now_ms) {
  // After an evaluation that saw no real point, evaluations repeat it (same state, no
  // transition) until a window holds data again: jump to the first boundary whose window
  // contains the next bucket, or past `now_ms` when there is none.
  const std::int64_t last_due = metrics::floor_to(now_ms / 1000, step_);
  const auto& all = store.series();
  const auto series = all.find(key_);
  const std::int64_t oldest = next_boundary_ - static_cast<std::int64_t>(range_) * alarm_.definition().period;
  std::int64_t target = last_due + step_;
  if (series != all.end()) {
    const auto bucket = series->second.lower_bound(oldest);
    if (bucket != series->second.end()) {
      target = std::min(target, ceil_to(bucket->first + store.resolution(), step_));
    }
  }
  next_boundary_ = std::max(next_boundary_, target);
}

std::optional<Transition> LiveAlarm::step(const metrics::SeriesStore& store, std::int64_t now_ms) {
  if (idle_) skip_idle(store, now_ms);
  if (!due(now_ms)) return std::nullopt;
  const std::int64_t boundary = next_boundary_;
  next_boundary_ += step_;
  const auto window = window_of(alarm_.definition(), key_, store, boundary, range_);
  idle_ = !has_real_point(window);
  Evaluation evaluation = evaluate(alarm_.definition(), window, alarm_.state());
  // The boundary's own time, or now when this is the boundary that just passed.
  const std::int64_t time_ms = now_ms < (boundary + step_) * 1000 ? now_ms : boundary * 1000;
  return apply(evaluation, boundary, time_ms, false);
}

std::vector<Transition> LiveAlarm::advance(const metrics::SeriesStore& store, std::int64_t now_ms) {
  std::vector<Transition> out;
  while (true) {
    if (idle_) skip_idle(store, now_ms);
    if (!due(now_ms)) break;
    if (auto t = step(store, now_ms)) out.push_back(std::move(*t));
  }
  return out;
}

std::optional<Transition> LiveAlarm::on_data(const metrics::SeriesStore& store, std::int64_t now_ms) {
  if (alarm_.state() == AlarmState::kAlarm) return std::nullopt;
  // The window the next boundary will evaluate; it already holds everything that arrived.
  const std::int64_t boundary = ceil_to(now_ms / 1000 + 1, step_);
  auto window = window_of(alarm_.definition(), key_, store, boundary, range_);
  if (!alarm_is_final(alarm_.definition(), window)) return std::nullopt;
  Evaluation evaluation = evaluate(alarm_.definition(), window, alarm_.state());
  if (evaluation.state != AlarmState::kAlarm) return std::nullopt;
  idle_ = false;
  return apply(evaluation, boundary, now_ms, true);
}

std::optional<Transition> LiveAlarm::set_state(AlarmState state, std::string reason, std::int64_t now_ms,
                                               std::string reason_data) {
  const AlarmState before = alarm_.state();
  std::string old_reason = alarm_.reason();
  std::string old_reason_data = alarm_.reason_data();
  auto actions = alarm_.set_state(state, std::move(reason), std::move(reason_data));
  if (alarm_.state() == before) return std::nullopt;
  // The next regular evaluation recomputes the state (spec 4.9).
  idle_ = false;
  return Transition{alarm_.definition().name, now_ms, now_ms / 1000, before, alarm_.state(),
                    std::move(old_reason), std::move(old_reason_data), alarm_.reason(), alarm_.reason_data(),
                    std::move(actions), false};
}

}  // namespace sgwatch::alarms
