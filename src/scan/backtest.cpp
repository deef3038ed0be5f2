// Implementation of backtest.h.
#include "scan/backtest.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "alarms/alarm.h"
#include "alarms/evaluator.h"
#include "rules/rules.h"

namespace sgwatch::scan {

metrics::SeriesKey series_of(const alarms::AlarmDefinition& alarm) {
  metrics::SeriesKey key{alarm.metric_namespace, alarm.metric_name, alarm.dimensions};
  std::sort(key.dimensions.begin(), key.dimensions.end());
  return key;
}

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
  for (std::size_t index = 0; index < definitions.size(); ++index) {
    const auto& def = definitions[index];
    const metrics::SeriesKey key = series_of(def);
    const std::int64_t period = def.period;
    const int range = alarms::default_evaluation_range(def.evaluation_periods);
    // From the period of the first datapoint of the whole replay to R periods after the last.
    const std::int64_t first = metrics::floor_to(store.earliest(), period);
    const std::int64_t last = metrics::floor_to(store.latest(), period) + static_cast<std::int64_t>(range) * period;
    alarms::Alarm alarm(def);
    std::vector<alarms::PeriodValue> window(static_cast<std::size_t>(range));
    for (std::int64_t start = first; start <= last; start += period) {
      for (int k = 0; k < range; ++k) {
        const std::int64_t s = start - static_cast<std::int64_t>(range - 1 - k) * period;
        auto set = store.aggregate(key, s, static_cast<int>(period));
        alarms::PeriodValue& p = window[static_cast<std::size_t>(k)];
        p.start = s;
        p.value = set ? set->statistic(def.statistic) : std::nullopt;
        p.sample_count = set ? std::optional<double>(set->sample_count) : std::nullopt;
      }
      const alarms::AlarmState before = alarm.state();
      auto actions = alarm.apply(alarms::evaluate(def, window, before));
      if (alarm.state() != before) {
        out.push_back(AlarmTransition{def.name, start + period, before, alarm.state(), alarm.reason(),
                                      alarm.reason_data(), std::move(actions)});
      }
    }
  }
  std::stable_sort(out.begin(), out.end(), [](const AlarmTransition& a, const AlarmTransition& b) { return a.time < b.time; });
  return out;
}

}  // namespace sgwatch::scan
