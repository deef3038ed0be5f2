// Backtest: the series store and the per-period replay agree with `alarm simulate` on the same
// data (one evaluation model), default alarms are the CIS alarm, alarm lists are validated.
#include "scan/backtest.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alarms/simulate.h"
#include "core/time.h"

namespace sgwatch::scan {
namespace {

using Json = nlohmann::json;

const Json kSeed = {{"AlarmName", "SecurityGroupChangesAlarm"}, {"MetricName", "SecurityGroupEventCount"},
                    {"Namespace", "CISBenchmark"}, {"Statistic", "Sum"}, {"Period", 300},
                    {"EvaluationPeriods", 1}, {"Threshold", 1.0},
                    {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
                    {"AlarmActions", Json::array({"arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges"})}};

TEST(Backtest, AgreesWithAlarmSimulate) {
  // Events (value 1 each) in periods 3 (twice) and 8 after 2025-11-27T20:00:00Z.
  const std::int64_t start = *core::parse_iso8601("2025-11-27T20:00:00Z");
  auto alarms = *parse_alarm_list(kSeed.dump(), "test");
  auto store = store_for(alarms);
  const metrics::SeriesKey key{"CISBenchmark", "SecurityGroupEventCount", {}};
  store.add(key, start + 3 * 300 + 10, 1);
  store.add(key, start + 3 * 300 + 299, 1);
  store.add(key, start + 8 * 300, 1);
  store.add(metrics::SeriesKey{"Other", "Metric", {}}, start, 5);  // another metric starts the replay
  const auto timeline = run_backtest(alarms, store);

  // The same data as a scenario: one datapoint per period from the start to R periods after.
  Json scenario = {{"id", "x"}, {"alarm", kSeed}, {"evaluation_range", 3},
                   {"first_period_start", "2025-11-27T20:00:00Z"},
                   {"datapoints", Json::array({nullptr, nullptr, nullptr, 2.0, nullptr, nullptr, nullptr, nullptr, 1.0,
                                               nullptr, nullptr, nullptr})}};
  const Json simulated = Json::parse(alarms::simulate_scenario(scenario).dump());
  std::vector<AlarmTransition> expected;
  std::string state = "INSUFFICIENT_DATA";
  for (std::size_t i = 0; i < simulated["states"].size(); ++i) {
    if (simulated["states"][i] != state) {
      expected.push_back({"SecurityGroupChangesAlarm", start + static_cast<std::int64_t>(i + 1) * 300,
                          *alarms::parse_state(state), *alarms::parse_state(simulated["states"][i].get<std::string>()),
                          simulated["reasons"][i], "", simulated["actions"][i].get<std::vector<std::string>>()});
      state = simulated["states"][i];
    }
  }
  ASSERT_EQ(timeline.size(), expected.size());
  ASSERT_EQ(timeline.size(), 4U);  // ALARM, INSUFFICIENT_DATA, ALARM, INSUFFICIENT_DATA
  for (std::size_t i = 0; i < timeline.size(); ++i) {
    EXPECT_EQ(timeline[i].time, expected[i].time) << i;
    EXPECT_EQ(timeline[i].to, expected[i].to) << i;
    EXPECT_EQ(timeline[i].reason, expected[i].reason) << i;
    EXPECT_EQ(timeline[i].actions, expected[i].actions) << i;
  }
  EXPECT_EQ(timeline[0].reason, "Threshold Crossed: 1 datapoint [2.0 (27/11/25 20:15:00)] was greater than or equal to the threshold (1.0).");
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
