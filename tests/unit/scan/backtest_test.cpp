// Backtest: the replay of the seed alarm on sliding windows; the fast replay (buckets, idle
// boundaries skipped) against a naive one that evaluates every boundary from raw events; default
// alarms are the CIS alarm; alarm lists are validated.
#include "scan/backtest.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <random>

#include "alarms/alarm.h"
#include "alarms/evaluator.h"
#include "core/time.h"

namespace sgwatch::scan {
namespace {

using Json = nlohmann::json;

const Json kSeed = {{"AlarmName", "SecurityGroupChangesAlarm"}, {"MetricName", "SecurityGroupEventCount"},
                    {"Namespace", "CISBenchmark"}, {"Statistic", "Sum"}, {"Period", 300},
                    {"EvaluationPeriods", 1}, {"Threshold", 1.0},
                    {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
                    {"AlarmActions", Json::array({"arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges"})}};

TEST(Backtest, SeedAlarmOnSlidingWindows) {
  // Events (value 1 each) at 20:15:10 and 20:19:59, and 20:40:00.
  const std::int64_t start = *core::parse_iso8601("2025-11-27T20:00:00Z");
  auto alarms = *parse_alarm_list(kSeed.dump(), "test");
  auto store = store_for(alarms);
  const metrics::SeriesKey key{"CISBenchmark", "SecurityGroupEventCount", {}};
  store.add(key, start + 3 * 300 + 10, 1);
  store.add(key, start + 3 * 300 + 299, 1);
  store.add(key, start + 8 * 300, 1);
  const auto timeline = run_backtest(alarms, store);
  ASSERT_EQ(timeline.size(), 4U);  // ALARM, INSUFFICIENT_DATA, ALARM, INSUFFICIENT_DATA
  // The first bucket (20:15) closes at 20:16: the window [20:11, 20:16) holds one event.
  EXPECT_EQ(timeline[0].time, start + 16 * 60);
  EXPECT_EQ(timeline[0].to, alarms::AlarmState::kAlarm);
  EXPECT_EQ(timeline[0].reason, "Threshold Crossed: 1 datapoint [1.0 (27/11/25 20:11:00)] was greater than or equal to the threshold (1.0).");
  EXPECT_EQ(timeline[0].actions, std::vector<std::string>{"arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges"});
  // R = 3 periods: the last window that sees the 20:19 bucket ends at 20:34.
  EXPECT_EQ(timeline[1].time, start + 35 * 60);
  EXPECT_EQ(timeline[1].to, alarms::AlarmState::kInsufficientData);
  EXPECT_EQ(timeline[2].time, start + 41 * 60);
  EXPECT_EQ(timeline[3].time, start + 56 * 60);
}

// The naive reference: every boundary from the first bucket's end, the window summed straight
// from the raw events, one evaluation per boundary.
std::vector<AlarmTransition> naive_backtest(const alarms::AlarmDefinition& def,
                                            const std::vector<std::pair<std::int64_t, double>>& events,
                                            std::int64_t from, std::int64_t to) {
  std::vector<AlarmTransition> out;
  alarms::Alarm alarm(def);
  const int range = alarms::default_evaluation_range(def.evaluation_periods);
  const std::int64_t step = def.period < 60 ? 10 : 60;
  for (std::int64_t t = from; t <= to; t += step) {
    std::vector<alarms::PeriodValue> window;
    for (int k = 0; k < range; ++k) {
      const std::int64_t s = t - static_cast<std::int64_t>(range - k) * def.period;
      std::vector<double> values;
      for (const auto& [time, value] : events) {
        if (time >= s && time < s + def.period) values.push_back(value);
      }
      alarms::PeriodValue p;
      p.start = s;
      if (!values.empty()) {
        p.value = def.statistic.compute(values);
        p.sample_count = static_cast<double>(values.size());
        p.minimum = *std::min_element(values.begin(), values.end());
      }
      window.push_back(p);
    }
    const auto before = alarm.state();
    auto actions = alarm.apply(alarms::evaluate(def, window, before));
    if (alarm.state() != before) {
      out.push_back({def.name, t, before, alarm.state(), alarm.reason(), alarm.reason_data(), actions});
    }
  }
  return out;
}

TEST(Backtest, AgreesWithANaiveReplayOfEveryBoundary) {
  std::mt19937 random(20261128);
  const char* statistics[] = {"Sum", "SampleCount", "Average", "Minimum", "Maximum"};
  const char* operators[] = {"GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold",
                             "LessThanOrEqualToThreshold"};
  const char* missing[] = {"missing", "ignore", "breaching", "notBreaching"};
  const int periods[] = {60, 120, 300, 600};
  const std::int64_t start = *core::parse_iso8601("2026-03-01T00:00:00Z");
  for (int round = 0; round < 60; ++round) {
    Json input = kSeed;
    input["Statistic"] = statistics[random() % 5];
    input["ComparisonOperator"] = operators[random() % 4];
    input["TreatMissingData"] = missing[random() % 4];
    input["Period"] = periods[random() % 4];
    const int n = 1 + static_cast<int>(random() % 4);
    input["EvaluationPeriods"] = n;
    if (random() % 2) input["DatapointsToAlarm"] = 1 + static_cast<int>(random() % static_cast<unsigned>(n));
    input["Threshold"] = static_cast<double>(random() % 4);
    auto alarms = *parse_alarm_list(input.dump(), "test");
    auto store = store_for(alarms);
    std::vector<std::pair<std::int64_t, double>> events;
    const metrics::SeriesKey key{"CISBenchmark", "SecurityGroupEventCount", {}};
    // Bursts separated by quiet hours, so that the replay skips idle boundaries.
    std::int64_t t = start + static_cast<std::int64_t>(random() % 600);
    for (int i = 0; i < 40; ++i) {
      t += (random() % 8 == 0) ? 3600 + static_cast<std::int64_t>(random() % 7200) : static_cast<std::int64_t>(random() % 400);
      const double value = static_cast<double>(random() % 4) - (random() % 10 == 0 ? 2 : 0);
      events.emplace_back(t, value);
      store.add(key, t, value);
    }
    const auto fast = run_backtest(alarms, store);
    const std::int64_t step = alarms[0].period < 60 ? 10 : 60;
    const std::int64_t range = alarms::default_evaluation_range(n);
    const auto reference = naive_backtest(alarms[0], events, metrics::floor_to(events.front().first, 60) + 60,
                                          metrics::floor_to(events.back().first + range * alarms[0].period, step) + 2 * step);
    ASSERT_EQ(fast.size(), reference.size()) << input.dump();
    for (std::size_t i = 0; i < fast.size(); ++i) {
      EXPECT_EQ(fast[i].time, reference[i].time) << input.dump() << " " << i;
      EXPECT_EQ(fast[i].to, reference[i].to) << input.dump() << " " << i;
      EXPECT_EQ(fast[i].reason, reference[i].reason) << input.dump() << " " << i;
      EXPECT_EQ(fast[i].reason_data, reference[i].reason_data) << input.dump() << " " << i;
    }
  }
}

TEST(Backtest, DefaultAlarmsAndLists) {
  FilterSet filters;
  ASSERT_TRUE(filters.add_pack("cis-v3"));
  const auto defaults = default_alarms(filters);
  ASSERT_EQ(defaults.size(), 16U);
  EXPECT_EQ(defaults[10].name, "cis-v3-4.10");
  EXPECT_EQ(defaults[10].metric_name, "cis-v3-4.10");
  EXPECT_EQ(defaults[10].metric_namespace, "CISBenchmark");
  EXPECT_EQ(defaults[10].period, 300);
  EXPECT_EQ(defaults[10].evaluation_periods, 1);
  EXPECT_EQ(defaults[10].threshold, 1.0);
  EXPECT_EQ(defaults[10].statistic.name, "Sum");

  EXPECT_TRUE(parse_alarm_list(Json::array({kSeed}).dump(), "f"));
  auto duplicate = parse_alarm_list(Json::array({kSeed, kSeed}).dump(), "f");
  ASSERT_FALSE(duplicate);
  EXPECT_NE(duplicate.error().find("used twice"), std::string::npos);
  Json bad = kSeed;
  bad["Period"] = 45;
  auto rejected = parse_alarm_list(Json::array({bad}).dump(), "f");
  ASSERT_FALSE(rejected);
  EXPECT_EQ(rejected.error(), "f: alarm 1: ValidationError: Period must be 10, 20, 30 or a multiple of 60");
  EXPECT_FALSE(parse_alarm_list("[", "f"));
  EXPECT_FALSE(parse_alarm_list("3", "f"));
}

TEST(Backtest, StoreAggregatesPeriodsAndDimensions) {
  metrics::SeriesStore store(60, true);
  const metrics::SeriesKey a{"N", "M", {{"Group", "sg-1"}}};
  const metrics::SeriesKey b{"N", "M", {}};
  store.add(a, 0, 3);
  store.add(a, 59, 5);
  store.add(a, 60, 7);
  store.add(a, 300, 100);
  store.add(b, 30, 1);
  auto first = store.aggregate(a, 0, 300);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->sample_count, 3);
  EXPECT_EQ(first->sum, 15);
  EXPECT_EQ(first->minimum, 3);
  EXPECT_EQ(first->maximum, 7);
  EXPECT_EQ(first->statistic(*metrics::Statistic::parse_extended("p50")), 5);
  EXPECT_EQ(store.aggregate(b, 0, 300)->sum, 1);  // dimensions make another series
  EXPECT_FALSE(store.aggregate(a, 600, 300));
  EXPECT_EQ(store.earliest(), 0);
  EXPECT_EQ(store.latest(), 300);
  EXPECT_EQ(metrics::floor_to(-1, 60), -60);
}

}  // namespace
}  // namespace sgwatch::scan
