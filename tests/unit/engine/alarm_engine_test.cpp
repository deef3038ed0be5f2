// AlarmEngine: PutMetricAlarm, datapoints, boundaries and SetAlarmState against a real state
// store; what survives a restart; AWS's errors; the history items each step writes.
#include "engine/alarm_engine.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "support/temp_dir.h"

namespace sgwatch::engine {
namespace {

using Json = nlohmann::json;
using alarms::AlarmState;
using testing::TempDir;

const std::int64_t kT0 = *core::parse_iso8601("2026-11-20T09:00:00Z");
const metrics::SeriesKey kKey{"CISBenchmark", "SecurityGroupEventCount", {}};

alarms::AlarmDefinition seed(const std::string& name = "SecurityGroupChangesAlarm") {
  return *alarms::parse_put_metric_alarm(Json{{"AlarmName", name}, {"MetricName", "SecurityGroupEventCount"},
                                              {"Namespace", "CISBenchmark"}, {"Statistic", "Sum"}, {"Period", 300},
                                              {"EvaluationPeriods", 1}, {"Threshold", 1.0},
                                              {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
                                              {"AlarmActions", Json::array({"arn:aws:sns:us-west-2:123456789012:my-sns-topic"})}});
}

store::Datapoint one(std::int64_t time) {
  store::Datapoint d{kKey, time, {}};
  d.values.add(1, true);
  return d;
}

struct Fixture {
  TempDir dir;
  core::ManualClock clock{kT0 * 1000 + 250};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<AlarmEngine> engine;

  Fixture() { reopen(); }
  void reopen() {
    engine.reset();
    store.reset();
    auto s = store::Store::open(dir.path());
    ASSERT_TRUE(s) << s.error();
    store = std::move(*s);
    auto e = AlarmEngine::open(*store, clock, EngineOptions{"us-west-2", "123456789012"});
    ASSERT_TRUE(e) << e.error();
    engine = std::move(*e);
  }
  std::vector<std::string> summaries() {
    store::HistoryQuery q;
    q.ascending = true;
    std::vector<std::string> out;
    auto items = engine->history(q);
    EXPECT_TRUE(items);
    if (items) {
      for (const auto& h : *items) out.push_back(h.item.summary);
    }
    return out;
  }
};

TEST(AlarmEngine, TheSeedChainFromCreationToAlarmAndBack) {
  Fixture f;
  auto created = f.engine->put_alarm(seed());
  ASSERT_TRUE(created);
  EXPECT_TRUE(created->empty());  // no data: stays INSUFFICIENT_DATA, no action
  auto record = f.engine->alarm("SecurityGroupChangesAlarm");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->arn, "arn:aws:cloudwatch:us-west-2:123456789012:alarm:SecurityGroupChangesAlarm");
  EXPECT_EQ(record->reason, "Unchecked: Initial alarm creation");
  EXPECT_EQ(record->state, AlarmState::kInsufficientData);

  // A security-group event arrives 40 s later: ALARM at once, with the topic to notify.
  f.clock.set((kT0 + 40) * 1000);
  const std::vector<store::Datapoint> data{one(kT0 + 38)};
  auto fired = f.engine->add_datapoints(data, Checkpoint{"trail", "file-1:1"});
  ASSERT_TRUE(fired);
  ASSERT_EQ(fired->size(), 1U);
  EXPECT_EQ((*fired)[0].to, AlarmState::kAlarm);
  EXPECT_TRUE((*fired)[0].early);
  EXPECT_EQ((*fired)[0].actions, std::vector<std::string>{"arn:aws:sns:us-west-2:123456789012:my-sns-topic"});
  EXPECT_EQ(**f.engine->checkpoint("trail"), "file-1:1");

  // Restart: the state, the data and the schedule come back; nothing is evaluated twice.
  f.reopen();
  record = f.engine->alarm("SecurityGroupChangesAlarm");
  ASSERT_TRUE(record);
  EXPECT_EQ(record->state, AlarmState::kAlarm);
  EXPECT_EQ(record->state_transitioned_ms, (kT0 + 40) * 1000);
  EXPECT_EQ(f.engine->series().aggregate(kKey, kT0, 60)->sum, 1);
  f.clock.set((kT0 + 60) * 1000);
  EXPECT_TRUE(f.engine->tick()->empty());

  // 15 minutes after the event's minute no window sees it.
  f.clock.set((kT0 + 16 * 60) * 1000 + 5);
  auto back = f.engine->tick();
  ASSERT_TRUE(back);
  ASSERT_EQ(back->size(), 1U);
  EXPECT_EQ((*back)[0].to, AlarmState::kInsufficientData);
  EXPECT_EQ((*back)[0].time_ms, (kT0 + 16 * 60) * 1000 + 5);
  EXPECT_EQ(f.summaries(), (std::vector<std::string>{"Alarm \"SecurityGroupChangesAlarm\" created",
                                                     "Alarm updated from INSUFFICIENT_DATA to ALARM",
                                                     "Alarm updated from ALARM to INSUFFICIENT_DATA"}));
  // The StateUpdate data embeds both states, reason data as objects.
  store::HistoryQuery q;
  q.type = alarms::HistoryType::kStateUpdate;
  q.ascending = true;
  const auto items = *f.engine->history(q);
  const Json history_data = Json::parse(items[0].item.data);
  EXPECT_EQ(history_data["version"], "1.0");
  EXPECT_EQ(history_data["oldState"]["stateValue"], "INSUFFICIENT_DATA");
  EXPECT_EQ(history_data["oldState"]["stateReason"], "Unchecked: Initial alarm creation");
  EXPECT_FALSE(history_data["oldState"].contains("stateReasonData"));
  EXPECT_EQ(history_data["newState"]["stateValue"], "ALARM");
  EXPECT_EQ(history_data["newState"]["stateReasonData"]["statistic"], "Sum");
  EXPECT_EQ(items[0].item.timestamp_ms, (kT0 + 40) * 1000);
}

TEST(AlarmEngine, UpdateKeepsTheStateAndDeleteKeepsTheHistory) {
  Fixture f;
  ASSERT_TRUE(f.engine->put_alarm(seed()));
  ASSERT_TRUE(f.engine->add_datapoints(std::vector<store::Datapoint>{one(kT0)}));
  EXPECT_EQ(f.engine->alarm("SecurityGroupChangesAlarm")->state, AlarmState::kAlarm);
  auto updated = seed();
  updated.threshold = 5;
  updated.actions_enabled = false;
  ASSERT_TRUE(f.engine->put_alarm(updated));
  auto record = f.engine->alarm("SecurityGroupChangesAlarm");
  EXPECT_EQ(record->state, AlarmState::kAlarm);  // the configuration changed, not the state
  EXPECT_EQ(record->definition.threshold, 5);
  EXPECT_FALSE(record->actions_enabled);
  // The next boundary evaluates the new threshold: OK, without actions (disabled).
  f.clock.set((kT0 + 60) * 1000);
  auto t = f.engine->tick();
  ASSERT_EQ(t->size(), 1U);
  EXPECT_EQ((*t)[0].to, AlarmState::kOk);
  EXPECT_TRUE((*t)[0].actions.empty());
  ASSERT_TRUE(f.engine->delete_alarms({"SecurityGroupChangesAlarm", "no-such-alarm"}));
  EXPECT_FALSE(f.engine->alarm("SecurityGroupChangesAlarm"));
  f.reopen();
  EXPECT_TRUE(f.engine->describe_alarms().empty());
  EXPECT_EQ(f.summaries().size(), 4U);  // created, ->ALARM, updated, ->OK
  EXPECT_EQ(f.summaries()[2], "Alarm \"SecurityGroupChangesAlarm\" updated");
}

TEST(AlarmEngine, SetAlarmStateAndActionSwitches) {
  Fixture f;
  ASSERT_TRUE(f.engine->put_alarm(seed()));
  auto missing = f.engine->set_alarm_state("nope", AlarmState::kAlarm, "x", std::nullopt);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, "ResourceNotFound");
  auto bad = f.engine->set_alarm_state("SecurityGroupChangesAlarm", AlarmState::kAlarm, "x", "{not json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, "InvalidFormat");
  auto set = f.engine->set_alarm_state("SecurityGroupChangesAlarm", AlarmState::kAlarm, "testing purposes",
                                       R"({"why":"drill"})");
  ASSERT_TRUE(set);
  ASSERT_TRUE(*set);
  EXPECT_EQ((*set)->actions, std::vector<std::string>{"arn:aws:sns:us-west-2:123456789012:my-sns-topic"});
  EXPECT_EQ(f.engine->alarm("SecurityGroupChangesAlarm")->reason, "testing purposes");
  ASSERT_TRUE(f.engine->set_actions_enabled({"SecurityGroupChangesAlarm"}, false));
  f.reopen();
  EXPECT_FALSE(f.engine->alarm("SecurityGroupChangesAlarm")->actions_enabled);
  f.clock.set((kT0 + 60) * 1000);
  auto recomputed = f.engine->tick();
  ASSERT_EQ(recomputed->size(), 1U);
  EXPECT_EQ((*recomputed)[0].to, AlarmState::kInsufficientData);
  EXPECT_TRUE((*recomputed)[0].actions.empty());
  ASSERT_TRUE(f.engine->set_actions_enabled({"SecurityGroupChangesAlarm"}, true));
  EXPECT_TRUE(f.engine->alarm("SecurityGroupChangesAlarm")->actions_enabled);
}

// Regression: SetAlarmState's reason data reached the history item but not the alarm, so
// DescribeAlarms (and a restart) lost StateReasonData.
TEST(AlarmEngine, SetAlarmStateKeepsReasonDataOnTheAlarm) {
  Fixture f;
  ASSERT_TRUE(f.engine->put_alarm(seed()));
  auto set = f.engine->set_alarm_state("SecurityGroupChangesAlarm", AlarmState::kAlarm, "testing purposes",
                                       R"({"why":"drill"})");
  ASSERT_TRUE(set && *set);
  EXPECT_EQ((*set)->reason_data, R"({"why":"drill"})");
  EXPECT_EQ(f.engine->alarm("SecurityGroupChangesAlarm")->reason_data, R"({"why":"drill"})");
  f.reopen();
  EXPECT_EQ(f.engine->alarm("SecurityGroupChangesAlarm")->reason_data, R"({"why":"drill"})");
}

TEST(AlarmEngine, NextDueIsTheEarliestBoundary) {
  Fixture f;
  EXPECT_FALSE(f.engine->next_due_ms());
  ASSERT_TRUE(f.engine->put_alarm(seed()));
  EXPECT_EQ(f.engine->next_due_ms(), (kT0 + 60) * 1000);
  auto fast = seed("fast");
  fast.period = 10;
  ASSERT_TRUE(f.engine->put_alarm(fast));
  EXPECT_EQ(f.engine->next_due_ms(), (kT0 + 10) * 1000);
}

}  // namespace
}  // namespace sgwatch::engine
