// Implementation of backtest.h.
#include "scan/backtest.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "alarms/alarm.h"
#include "alarms/evaluator.h"
#include "alarms/live.h"
#include "rules/rules.h"

namespace sgwatch::scan {

std::vector<alarms::AlarmDefinition> default_alarms(const FilterSet& filters) {
  std::vector<alarms::AlarmDefinition> out;
  for (const auto& filter : filters.filters()) {
    const auto& t = filter.metric.transformation();
    nlohmann::json input = {
        {"AlarmName", filter.name},       {"MetricName", t.metric_name},
        {"Namespace", t.metric_namespace}, {"Statistic", "Sum"},
        {"Period", 300},                  {"EvaluationPeriods", 1},
        {"Threshold", 1.0},               {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
    };
    auto parsed = alarms::parse_put_metric_alarm(input);
    if (parsed) out.push_back(std::move(*parsed));  // names are valid filter names; cannot fail
  }
  return out;
}

core::Result<std::vector<alarms::AlarmDefinition>, std::string> parse_alarm_list(std::string_view json,
                                                                                  std::string_view where) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded()) return core::unexpected(fmt::format("{}: not JSON", where));
  if (doc.is_object()) doc = nlohmann::json::array({doc});
  if (!doc.is_array()) {
    return core::unexpected(fmt::format("{}: expected a JSON list of put-metric-alarm inputs", where));
  }
  std::vector<alarms::AlarmDefinition> out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    auto parsed = alarms::parse_put_metric_alarm(doc[i]);
    if (!parsed) {
      return core::unexpected(fmt::format("{}: alarm {}: {}: {}", where, i + 1, parsed.error().code,
                                          parsed.error().message));
    }
    for (const auto& earlier : out) {
      if (earlier.name == parsed->name) {
        return core::unexpected(fmt::format("{}: alarm {}: the name {} is used twice", where, i + 1, parsed->name));
      }
    }
    out.push_back(std::move(*parsed));
  }
  return out;
}

metrics::SeriesStore store_for(const std::vector<alarms::AlarmDefinition>& alarms) {
  bool high_resolution = false;
  bool percentiles = false;
  for (const auto& a : alarms) {
    high_resolution = high_resolution || a.period < 60;
    percentiles = percentiles || a.statistic.kind == metrics::StatisticKind::kPercentile;
  }
  return metrics::SeriesStore(high_resolution ? 10 : 60, percentiles);
}

std::vector<AlarmTransition> run_backtest(const std::vector<alarms::AlarmDefinition>& definitions,
                                          const metrics::SeriesStore& store) {
  std::vector<AlarmTransition> out;
  if (store.empty()) return out;
  const std::int64_t first_bucket = metrics::floor_to(store.earliest(), store.resolution());
  const std::int64_t last_bucket = metrics::floor_to(store.latest(), store.resolution());
  for (const auto& def : definitions) {
    // The alarm exists from before the first datapoint; each bucket arrives when it closes. The
    // replay ends one boundary after the last window that still sees the last bucket.
    const std::int64_t step = alarms::evaluation_step(def);
    const std::int64_t range = alarms::default_evaluation_range(def.evaluation_periods);
    alarms::LiveAlarm alarm(alarms::Alarm(def), first_bucket + store.resolution());
    const std::int64_t end = metrics::floor_to(last_bucket + range * def.period, step) + 2 * step;
    for (auto& t : alarm.advance(store, end * 1000)) {
      out.push_back(AlarmTransition{def.name, t.time_ms / 1000, t.from, t.to, std::move(t.reason),
                                    std::move(t.reason_data), std::move(t.actions)});
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const AlarmTransition& a, const AlarmTransition& b) { return a.time < b.time; });
  return out;
}

}  // namespace sgwatch::scan
