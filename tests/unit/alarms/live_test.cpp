// LiveAlarm: minute boundaries over sliding windows, the early-ALARM rule of CONTRACTS.md ("Alarm
// evaluation when live") case by case, SetAlarmState and the skipping of idle boundaries.
#include "alarms/live.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace sgwatch::alarms {
namespace {

using Json = nlohmann::json;

const std::int64_t kT0 = *core::parse_iso8601("2026-11-20T09:00:00Z");
const metrics::SeriesKey kKey{"CISBenchmark", "SecurityGroupEventCount", {}};

Json seed() {
  return {{"AlarmName", "sg"}, {"MetricName", "SecurityGroupEventCount"}, {"Namespace", "CISBenchmark"},
          {"Statistic", "Sum"}, {"Period", 300}, {"EvaluationPeriods", 1}, {"Threshold", 1.0},
          {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
          {"AlarmActions", Json::array({"arn:aws:sns:us-east-1:123456789012:t"})}};
}

LiveAlarm live(const Json& input) {
  auto def = parse_put_metric_alarm(input);
  EXPECT_TRUE(def) << input.dump();
  return LiveAlarm(Alarm(*def), kT0);
}

// Data at kT0 + `offset` seconds, then on_data 500 ms later.
std::optional<Transition> arrive(LiveAlarm& alarm, metrics::SeriesStore& store, std::int64_t offset, double value) {
  store.add(kKey, kT0 + offset, value);
  return alarm.on_data(store, (kT0 + offset) * 1000 + 500);
}

TEST(LiveAlarm, SeedAlarmFiresOnArrival) {
  auto alarm = live(seed());
  metrics::SeriesStore store(10, true);
  EXPECT_TRUE(alarm.advance(store, kT0 * 1000).empty());  // no data: stays INSUFFICIENT_DATA
  auto t = arrive(alarm, store, 30, 1);
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->early);
  EXPECT_EQ(t->time_ms, (kT0 + 30) * 1000 + 500);
  EXPECT_EQ(t->from, AlarmState::kInsufficientData);
  EXPECT_EQ(t->to, AlarmState::kAlarm);
  EXPECT_EQ(t->actions, std::vector<std::string>{"arn:aws:sns:us-east-1:123456789012:t"});
  // The window is the one the 09:01 boundary evaluates: [08:56, 09:01).
  EXPECT_EQ(t->reason, "Threshold Crossed: 1 datapoint [1.0 (20/11/26 08:56:00)] was greater than or equal to the threshold (1.0).");
  EXPECT_EQ(t->evaluated_at, kT0 + 60);
  EXPECT_EQ(t->old_reason, kInitialReason);
  // The boundary itself confirms it: no second transition.
  EXPECT_TRUE(alarm.advance(store, (kT0 + 60) * 1000).empty());
  EXPECT_FALSE(arrive(alarm, store, 70, 1));  // already in ALARM
}

TEST(LiveAlarm, EarlyRuleOnlyWhereMoreDataCannotUndoTheBreach) {
  struct Case {
    const char* statistic;
    const char* op;
    double threshold;
    std::vector<double> values;
    bool early;
  };
  const std::vector<Case> cases{
      {"Sum", "GreaterThanOrEqualToThreshold", 2, {1, 1}, true},
      {"Sum", "GreaterThanThreshold", 1, {1, 1}, true},
      {"Sum", "GreaterThanOrEqualToThreshold", 1, {-1, 3}, false},  // a negative value: more data could lower the sum
      {"SampleCount", "GreaterThanThreshold", 1, {0, 0}, true},
      {"Maximum", "GreaterThanOrEqualToThreshold", 5, {1, 7}, true},
      {"Minimum", "LessThanThreshold", 0, {3, -1}, true},
      {"Minimum", "LessThanOrEqualToThreshold", 0, {0}, true},
      {"Average", "GreaterThanOrEqualToThreshold", 1, {2}, false},  // an average can fall
      {"Maximum", "LessThanThreshold", 5, {1}, false},              // a maximum can rise
      {"Sum", "LessThanThreshold", 5, {1}, false},
      {"Minimum", "GreaterThanThreshold", 0, {3}, false},
  };
  for (const auto& c : cases) {
    Json input = seed();
    input["Statistic"] = c.statistic;
    input["ComparisonOperator"] = c.op;
    input["Threshold"] = c.threshold;
    auto alarm = live(input);
    metrics::SeriesStore store(10, true);
    std::optional<Transition> t;
    for (std::size_t i = 0; i < c.values.size(); ++i) t = arrive(alarm, store, 10 + static_cast<std::int64_t>(i), c.values[i]);
    EXPECT_EQ(t.has_value(), c.early) << c.statistic << " " << c.op << " " << c.threshold;
    // Either way the boundary decides the same: ALARM when the data breaches.
    if (!c.early) {
      const auto at_boundary = alarm.advance(store, (kT0 + 60) * 1000);
      const bool breaching = !at_boundary.empty() && at_boundary.back().to == AlarmState::kAlarm;
      if (breaching) {
        EXPECT_FALSE(at_boundary.back().early);
      }
    }
  }
}

TEST(LiveAlarm, EarlyRuleNeedsMRealBreachingPoints) {
  Json input = seed();
  input["Period"] = 60;
  input["EvaluationPeriods"] = 3;
  input["DatapointsToAlarm"] = 2;
  auto alarm = live(input);
  metrics::SeriesStore store(10, true);
  EXPECT_FALSE(arrive(alarm, store, 10, 1));  // 1 of the 2 needed
  alarm.advance(store, (kT0 + 60) * 1000);
  auto t = arrive(alarm, store, 70, 1);  // the second breaching minute
  ASSERT_TRUE(t);
  EXPECT_EQ(t->to, AlarmState::kAlarm);

  // TreatMissingData breaching alone (no real breaching point) never fires early.
  Json breaching = seed();
  breaching["TreatMissingData"] = "breaching";
  breaching["EvaluationPeriods"] = 2;
  auto filled = live(breaching);
  metrics::SeriesStore empty_store(10, true);
  empty_store.add(kKey, kT0 + 5, 0);
  EXPECT_FALSE(filled.on_data(empty_store, (kT0 + 5) * 1000));
}

TEST(LiveAlarm, BoundariesSlideEveryMinuteAndIdleOnesAreSkipped) {
  auto alarm = live(seed());
  metrics::SeriesStore store(10, true);
  store.add(kKey, kT0 + 130, 1);  // in the 09:02 minute
  // Evaluated up to 09:02: the bucket has not closed yet.
  EXPECT_TRUE(alarm.advance(store, (kT0 + 120) * 1000).empty());
  auto t = alarm.advance(store, (kT0 + 180) * 1000);
  ASSERT_EQ(t.size(), 1U);
  EXPECT_EQ(t[0].to, AlarmState::kAlarm);
  EXPECT_EQ(t[0].evaluated_at, kT0 + 180);
  EXPECT_FALSE(t[0].early);
  // 15 minutes later (R = 3 periods of 5 minutes) no window sees it.
  t = alarm.advance(store, (kT0 + 3600) * 1000);
  ASSERT_EQ(t.size(), 1U);
  EXPECT_EQ(t[0].to, AlarmState::kInsufficientData);
  EXPECT_EQ(t[0].evaluated_at, kT0 + 120 + 900 + 60);
  EXPECT_TRUE(alarm.idle());
  // A day later with nothing new: no evaluation is left behind.
  EXPECT_TRUE(alarm.advance(store, (kT0 + 86400) * 1000).empty());
  EXPECT_EQ(alarm.next_boundary(), kT0 + 86400 + 60);
}

TEST(LiveAlarm, SetAlarmStateThenTheNextBoundaryRecomputes) {
  auto alarm = live(seed());
  metrics::SeriesStore store(10, true);
  alarm.advance(store, kT0 * 1000);
  auto set = alarm.set_state(AlarmState::kAlarm, "testing purposes", (kT0 + 5) * 1000);
  ASSERT_TRUE(set);
  EXPECT_EQ(set->reason, "testing purposes");
  EXPECT_EQ(set->actions, std::vector<std::string>{"arn:aws:sns:us-east-1:123456789012:t"});
  EXPECT_FALSE(alarm.set_state(AlarmState::kAlarm, "again", (kT0 + 6) * 1000));  // same state: nothing
  auto back = alarm.advance(store, (kT0 + 60) * 1000);
  ASSERT_EQ(back.size(), 1U);
  EXPECT_EQ(back[0].to, AlarmState::kInsufficientData);
  EXPECT_EQ(back[0].time_ms, (kT0 + 60) * 1000);
}

TEST(LiveAlarm, HighResolutionPeriodsStepEveryTenSeconds) {
  Json input = seed();
  input["Period"] = 10;
  input["EvaluationPeriods"] = 1;
  auto alarm = live(input);
  EXPECT_EQ(evaluation_step(alarm.alarm().definition()), 10);
  metrics::SeriesStore store(10, true);
  store.add(kKey, kT0 + 12, 1);
  auto t = alarm.advance(store, (kT0 + 20) * 1000);
  ASSERT_EQ(t.size(), 1U);
  EXPECT_EQ(t[0].evaluated_at, kT0 + 20);
  EXPECT_EQ(t[0].reason, "Threshold Crossed: 1 datapoint [1.0 (20/11/26 09:00:10)] was greater than or equal to the threshold (1.0).");
}

}  // namespace
}  // namespace sgwatch::alarms
