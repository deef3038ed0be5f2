// Alarms: Java number formatting and times of reason texts, PutMetricAlarm validation beyond the
// conformance file, the default evaluation range, the evaluator's reason forms, and the state
// machine's actions.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "alarms/alarms.h"

namespace sgwatch::alarms {
namespace {

using Json = nlohmann::json;

TEST(JavaDouble, AsDoubleToStringPrints) {
  EXPECT_EQ(java_double(1), "1.0");
  EXPECT_EQ(java_double(0), "0.0");
  EXPECT_EQ(java_double(-0.0), "-0.0");
  EXPECT_EQ(java_double(21.5), "21.5");
  EXPECT_EQ(java_double(-3), "-3.0");
  EXPECT_EQ(java_double(0.0666851903306472), "0.0666851903306472");
  EXPECT_EQ(java_double(10.708333333333332), "10.708333333333332");
  EXPECT_EQ(java_double(0.001), "0.001");
  EXPECT_EQ(java_double(1e-4), "1.0E-4");
  EXPECT_EQ(java_double(9999999), "9999999.0");
  EXPECT_EQ(java_double(1e7), "1.0E7");
  EXPECT_EQ(java_double(8.3714617344E10), "8.3714617344E10");
  EXPECT_EQ(java_double(2.147483648E10), "2.147483648E10");
  EXPECT_EQ(java_double(123456.789), "123456.789");
  EXPECT_EQ(java_double(-1.5e-7), "-1.5E-7");
}

TEST(ReasonTime, UtcDayMonthYear) {
  EXPECT_EQ(reason_time(1764274500), "27/11/25 20:15:00");
  EXPECT_EQ(reason_time(0), "01/01/70 00:00:00");
  EXPECT_EQ(core::parse_iso8601("2025-11-27T20:15:00Z"), 1764274500);
  EXPECT_EQ(core::parse_iso8601("2025-11-27T20:15:00.123+00:00"), 1764274500);
  for (const char* bad : {"", "2025-11-27", "2025-11-27T20:15:00", "2025-13-01T00:00:00Z", "2025-11-27T20:15:00+01:00"}) {
    EXPECT_FALSE(core::parse_iso8601(bad)) << bad;
  }
}

Json seed_alarm() {
  return Json{{"AlarmName", "SecurityGroupChangesAlarm"}, {"MetricName", "SecurityGroupEventCount"},
              {"Namespace", "CISBenchmark"}, {"Statistic", "Sum"}, {"Period", 300},
              {"EvaluationPeriods", 1}, {"Threshold", 1.0},
              {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
              {"AlarmActions", Json::array({"arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges"})}};
}

std::string error_code(Json alarm) {
  auto parsed = parse_put_metric_alarm(alarm);
  return parsed ? std::string("accepted") : parsed.error().code;
}

TEST(Definition, TheSeedAlarmParses) {
  auto parsed = parse_put_metric_alarm(seed_alarm());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->required_breaching(), 1);
  EXPECT_EQ(parsed->missing_data(), MissingData::kMissing);
  EXPECT_FALSE(parsed->treat_missing_data);
  EXPECT_FALSE(parsed->datapoints_to_alarm);
  EXPECT_TRUE(parsed->actions_enabled);
  EXPECT_TRUE(parsed->breaches(1.0));
  EXPECT_FALSE(parsed->breaches(0.5));
}

TEST(Definition, RejectionsCarryAwsCodes) {
  auto with = [](const char* key, Json value) {
    Json a = seed_alarm();
    a[key] = std::move(value);
    return a;
  };
  auto without = [](const char* key) {
    Json a = seed_alarm();
    a.erase(key);
    return a;
  };
  EXPECT_EQ(error_code(without("AlarmName")), "MissingParameter");
  EXPECT_EQ(error_code(without("Threshold")), "MissingParameter");
  EXPECT_EQ(error_code(without("Statistic")), "MissingParameter");
  EXPECT_EQ(error_code(with("AlarmName", "")), "ValidationError");
  EXPECT_EQ(error_code(with("AlarmName", "bad\x01name")), "ValidationError");
  EXPECT_EQ(error_code(with("AlarmName", std::string(255, 'a'))), "accepted");
  EXPECT_EQ(error_code(with("Statistic", "sum")), "ValidationError");
  EXPECT_EQ(error_code(with("ExtendedStatistic", "p99")), "InvalidParameterCombination");
  EXPECT_EQ(error_code(with("Period", 0)), "ValidationError");
  EXPECT_EQ(error_code(with("Period", 90)), "ValidationError");
  EXPECT_EQ(error_code(with("Period", 10)), "accepted");
  EXPECT_EQ(error_code(with("Period", "300")), "ValidationError");
  EXPECT_EQ(error_code(with("EvaluationPeriods", 0)), "ValidationError");
  EXPECT_EQ(error_code(with("EvaluationPeriods", 288)), "accepted");   // 300 * 288 = 86400
  EXPECT_EQ(error_code(with("EvaluationPeriods", 289)), "ValidationError");
  Json hourly = with("Period", 3600);
  hourly["EvaluationPeriods"] = 168;  // 7 days
  EXPECT_EQ(error_code(hourly), "accepted");
  hourly["EvaluationPeriods"] = 169;
  EXPECT_EQ(error_code(hourly), "ValidationError");
  EXPECT_EQ(error_code(with("ComparisonOperator", "Greater")), "ValidationError");
  EXPECT_EQ(error_code(with("ComparisonOperator", "GreaterThanUpperThreshold")), "ValidationError");
  EXPECT_EQ(error_code(with("Threshold", "1")), "ValidationError");
  EXPECT_EQ(error_code(with("AlarmActions", Json::array({"a", "b"}))), "ValidationError");
  EXPECT_EQ(error_code(with("AlarmActions", Json(std::vector<std::string>(6, "arn:aws:sns:us-east-1:1:t")))), "ValidationError");
  EXPECT_EQ(error_code(with("Unit", "Count")), "accepted");
  EXPECT_EQ(error_code(with("Unit", "Widgets")), "ValidationError");
  EXPECT_EQ(error_code(with("EvaluateLowSampleCountPercentile", "skip")), "ValidationError");
  EXPECT_EQ(error_code(with("Metrics", Json::array())), "InvalidParameterCombination");
  EXPECT_EQ(error_code(with("Dimensions", Json::array({Json{{"Name", "A"}, {"Value", "1"}}, Json{{"Name", "A"}, {"Value", "2"}}}))),
            "InvalidParameterValue");
  EXPECT_EQ(error_code(Json::array()), "ValidationError");
  auto coral = parse_put_metric_alarm(with("EvaluationPeriods", 0));
  EXPECT_EQ(coral.error().message,
            "1 validation error detected: Value '0' at 'evaluationPeriods' failed to satisfy constraint: "
            "Member must have value greater than or equal to 1");
}

TEST(Evaluator, DefaultRange) {
  EXPECT_EQ(default_evaluation_range(1), 3);
  EXPECT_EQ(default_evaluation_range(3), 5);  // the documented value
  EXPECT_EQ(default_evaluation_range(8), 10);
  EXPECT_EQ(default_evaluation_range(9), 12);
}

std::vector<PeriodValue> window(std::vector<std::optional<double>> values) {
  std::vector<PeriodValue> out;
  std::int64_t start = 1764273600;  // 27/11/25 20:00:00
  for (auto& v : values) {
    out.push_back({v, start, std::nullopt, std::nullopt});
    start += 300;
  }
  return out;
}

TEST(Evaluator, ReasonForms) {
  Json spec = seed_alarm();
  spec["EvaluationPeriods"] = 3;
  spec["TreatMissingData"] = "breaching";
  const AlarmDefinition three = *parse_put_metric_alarm(spec);
  // Form 5: nothing received.
  auto e = evaluate(three, window({std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}),
                    AlarmState::kOk);
  EXPECT_EQ(e.state, AlarmState::kAlarm);
  EXPECT_EQ(e.reason, "Threshold Crossed: no datapoints were received for 3 periods and 3 missing datapoints were treated as [Breaching].");
  // Form 6: the real point does not breach; the filled ones decide (2 of 3).
  Json two_of_three = spec;
  two_of_three["DatapointsToAlarm"] = 2;
  e = evaluate(*parse_put_metric_alarm(two_of_three), window({std::nullopt, std::nullopt, std::nullopt, std::nullopt, 0.0}),
               AlarmState::kOk);
  EXPECT_EQ(e.state, AlarmState::kAlarm);
  EXPECT_EQ(e.reason, "Threshold Crossed: 1 datapoint was received for 3 periods and 2 missing datapoints were treated as [Breaching].");
  // With 3 of 3 the same data is OK: 0 + 2 filled < 3.
  e = evaluate(three, window({std::nullopt, std::nullopt, std::nullopt, std::nullopt, 0.0}), AlarmState::kAlarm);
  EXPECT_EQ(e.state, AlarmState::kOk);
  EXPECT_EQ(e.reason, "Threshold Crossed: 1 datapoint [0.0 (27/11/25 20:20:00)] was not greater than or equal to the threshold (1.0) and 2 missing datapoints were treated as [Breaching].");
  // Form 4 with a fill.
  spec["TreatMissingData"] = "notBreaching";
  const AlarmDefinition not_breaching = *parse_put_metric_alarm(spec);
  e = evaluate(not_breaching, window({std::nullopt, std::nullopt, std::nullopt, 2.0, 0.0}), AlarmState::kAlarm);
  EXPECT_EQ(e.state, AlarmState::kOk);
  EXPECT_EQ(e.reason, "Threshold Crossed: 1 datapoint [0.0 (27/11/25 20:20:00)] was not greater than or equal to the threshold (1.0) and 1 missing datapoint was treated as [NonBreaching].");
  // Form 7.
  spec.erase("TreatMissingData");
  const AlarmDefinition missing = *parse_put_metric_alarm(spec);
  e = evaluate(missing, window({std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}), AlarmState::kOk);
  EXPECT_EQ(e.state, AlarmState::kInsufficientData);
  EXPECT_EQ(e.reason, "Insufficient Data: 3 datapoints were unknown.");
  // ignore keeps the state when nothing arrives.
  spec["TreatMissingData"] = "ignore";
  e = evaluate(*parse_put_metric_alarm(spec), window({std::nullopt, std::nullopt, std::nullopt}), AlarmState::kAlarm);
  EXPECT_TRUE(e.retained);
  EXPECT_EQ(e.state, AlarmState::kAlarm);
}

TEST(AlarmStateMachine, ActionsOnlyOnTransitionsAndWhenEnabled) {
  Json spec = seed_alarm();
  spec["OKActions"] = Json::array({"arn:aws:sns:us-east-1:123456789012:ok"});
  Alarm alarm(*parse_put_metric_alarm(spec));
  EXPECT_EQ(alarm.reason(), "Unchecked: Initial alarm creation");
  const Evaluation alarm_state{AlarmState::kAlarm, false, "r1", "{}"};
  EXPECT_EQ(alarm.apply(alarm_state), std::vector<std::string>{"arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges"});
  EXPECT_TRUE(alarm.apply(Evaluation{AlarmState::kAlarm, false, "r2", "{}"}).empty());
  EXPECT_EQ(alarm.reason(), "r1");  // rewritten only on a change
  EXPECT_EQ(alarm.reason_data(), "{}");
  alarm.disable_actions();
  EXPECT_TRUE(alarm.apply(Evaluation{AlarmState::kOk, false, "r3", "{}"}).empty());
  EXPECT_EQ(alarm.state(), AlarmState::kOk);
  alarm.enable_actions();
  EXPECT_EQ(alarm.set_state(AlarmState::kAlarm, "testing"),
            std::vector<std::string>{"arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges"});
  EXPECT_EQ(alarm.reason(), "testing");
  EXPECT_EQ(alarm.reason_data(), "");  // SetAlarmState without reasonData
  EXPECT_EQ(alarm.apply(Evaluation{AlarmState::kOk, false, "back", "{}"}), std::vector<std::string>{"arn:aws:sns:us-east-1:123456789012:ok"});
  EXPECT_TRUE(alarm.apply(Evaluation{AlarmState::kAlarm, true, "", "{}"}).empty());  // retained
  EXPECT_EQ(alarm.state(), AlarmState::kOk);
}

// StateReasonData as spec 5.3 shows it for the seed alarm (query time: the end of the period).
TEST(Evaluator, StateReasonData) {
  const AlarmDefinition seed = *parse_put_metric_alarm(seed_alarm());
  std::vector<PeriodValue> w = window({std::nullopt, std::nullopt, std::nullopt, 2.0});
  w[3].sample_count = 2.0;
  const std::span<const PeriodValue> last3(w.data() + 1, 3);
  const Evaluation e = evaluate(seed, last3, AlarmState::kOk);
  EXPECT_EQ(e.state, AlarmState::kAlarm);
  EXPECT_EQ(e.reason_data,
            R"({"version":"1.0","queryDate":"2025-11-27T20:20:00.000+0000","startDate":"2025-11-27T20:15:00.000+0000","statistic":"Sum","period":300,"recentDatapoints":[2.0],"threshold":1.0,"evaluatedDatapoints":[{"timestamp":"2025-11-27T20:15:00.000+0000","sampleCount":2.0,"value":2.0}]})");
  EXPECT_TRUE(Json::accept(e.reason_data));
  // No data: no startDate, the missing periods with their timestamps only; a Unit when set.
  Json with_unit = seed_alarm();
  with_unit["Unit"] = "Count";
  with_unit["TreatMissingData"] = "notBreaching";
  const Evaluation empty = evaluate(*parse_put_metric_alarm(with_unit), std::span<const PeriodValue>(w.data(), 3), AlarmState::kAlarm);
  EXPECT_EQ(empty.reason_data,
            R"({"version":"1.0","queryDate":"2025-11-27T20:15:00.000+0000","unit":"Count","statistic":"Sum","period":300,"recentDatapoints":[],"threshold":1.0,"evaluatedDatapoints":[{"timestamp":"2025-11-27T20:10:00.000+0000"}]})");
}

}  // namespace
}  // namespace sgwatch::alarms
