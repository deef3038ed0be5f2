// CloudWatchApi through the Dispatcher, every operation in both protocols the AWS CLIs speak
// (awsQuery from CLI 2.9.x, query-compatible JSON 1.0 from current botocore): each test runs
// once per protocol and reads the answer in one protocol-neutral form, so the same expectations
// hold for both. Then pagination, filters, validation errors with AWS's codes, and the
// transitions the API hands on.
#include "api/cloudwatch_api.h"

#include <gtest/gtest.h>

#include <string>

#include "unit/api/api_test_util.h"

namespace sgwatch::api {
namespace {

using namespace testing;

const std::int64_t kT0 = *core::parse_iso8601("2026-11-27T20:00:00Z");
constexpr const char* kTopic = "arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges";

Json seed_alarm(const std::string& name = "SecurityGroupChangesAlarm") {
  return Json{{"AlarmName", name},
              {"AlarmDescription", "Alert on security group changes"},
              {"AlarmActions", {kTopic}},
              {"MetricName", "SecurityGroupEventCount"},
              {"Namespace", "CISBenchmark"},
              {"Statistic", "Sum"},
              {"Period", 300},
              {"EvaluationPeriods", 1},
              {"Threshold", 1.0},
              {"ComparisonOperator", "GreaterThanOrEqualToThreshold"}};
}

class CloudWatchApiTest : public ::testing::TestWithParam<aws::Protocol> {
 protected:
  CloudWatchApiTest() : h_(kT0 * 1000) {}

  aws::HttpResponse call(std::string_view operation, const Json& input) {
    return h_.cloudwatch_call(GetParam(), operation, input);
  }
  // The loose output of a call that must succeed.
  Json ok(std::string_view operation, const Json& input) {
    const aws::HttpResponse response = call(operation, input);
    EXPECT_EQ(response.status, 200) << operation << ": " << response.body;
    return loose_output(response);
  }
  // "<status> <code>" of a call that must fail.
  std::string fails(std::string_view operation, const Json& input) {
    const aws::HttpResponse response = call(operation, input);
    EXPECT_GE(response.status, 400) << response.body;
    return std::to_string(response.status) + " " + error_code(response);
  }
  std::string message(std::string_view operation, const Json& input) {
    const aws::HttpResponse response = call(operation, input);
    if (aws::is_json(GetParam())) return Json::parse(response.body).value("message", "");
    const std::size_t open = response.body.find("<Message>");
    const std::size_t close = response.body.find("</Message>");
    return response.body.substr(open + 9, close - open - 9);
  }
  std::vector<std::string> names(const Json& output, const char* list = "MetricAlarms",
                                 const char* field = "AlarmName") {
    std::vector<std::string> out;
    if (output.is_null() || output[list].is_null()) return out;
    for (const Json& item : output[list]) out.push_back(item[field].get<std::string>());
    return out;
  }

  ApiHarness h_;
};

INSTANTIATE_TEST_SUITE_P(BothProtocols, CloudWatchApiTest,
                         ::testing::Values(aws::Protocol::kAwsQuery, aws::Protocol::kAwsJson1_0),
                         [](const auto& param_info) {
                           return std::string(aws::protocol_name(param_info.param));
                         });

// ---- PutMetricAlarm and DescribeAlarms ---------------------------------------------------------

TEST_P(CloudWatchApiTest, PutMetricAlarmThenDescribeAlarmsShowsEveryMemberInAwsOrder) {
  EXPECT_TRUE(ok("PutMetricAlarm", seed_alarm()).is_null());
  const Json expected = Json::parse(R"({
    "MetricAlarms": [{
      "AlarmName": "SecurityGroupChangesAlarm",
      "AlarmArn": "arn:aws:cloudwatch:us-west-2:123456789012:alarm:SecurityGroupChangesAlarm",
      "AlarmDescription": "Alert on security group changes",
      "AlarmConfigurationUpdatedTimestamp": 1795809600,
      "ActionsEnabled": true,
      "OKActions": null,
      "AlarmActions": ["arn:aws:sns:us-west-2:123456789012:SecurityGroupChanges"],
      "InsufficientDataActions": null,
      "StateValue": "INSUFFICIENT_DATA",
      "StateReason": "Unchecked: Initial alarm creation",
      "StateUpdatedTimestamp": 1795809600,
      "MetricName": "SecurityGroupEventCount",
      "Namespace": "CISBenchmark",
      "Statistic": "Sum",
      "Dimensions": null,
      "Period": 300,
      "EvaluationPeriods": 1,
      "Threshold": 1.0,
      "ComparisonOperator": "GreaterThanOrEqualToThreshold",
      "StateTransitionedTimestamp": 1795809600
    }],
    "CompositeAlarms": null
  })");
  EXPECT_EQ(ok("DescribeAlarms", Json{{"AlarmNames", {"SecurityGroupChangesAlarm"}}}), expected);
  EXPECT_TRUE(h_.transitions.empty());  // no data: INSUFFICIENT_DATA stays, nothing runs
}

TEST_P(CloudWatchApiTest, TheOptionalMembersOfAnAlarmComeBackAsSent) {
  Json alarm = seed_alarm();
  alarm["ActionsEnabled"] = false;
  alarm["Dimensions"] = Json::array(
      {{{"Name", "LogGroup"}, {"Value", "my-log-group"}}, {{"Name", "Env"}, {"Value", "prod"}}});
  alarm["TreatMissingData"] = "notBreaching";
  alarm["DatapointsToAlarm"] = 1;
  alarm["Unit"] = "Count";
  alarm["OKActions"] = {"arn:aws:sns:us-west-2:123456789012:Ok"};
  alarm["Tags"] = Json::array({{{"Key", "team"}, {"Value", "sec"}}});
  ok("PutMetricAlarm", alarm);
  const Json output = ok("DescribeAlarms", Json::object());
  ASSERT_EQ(output["MetricAlarms"].size(), 1u);
  const Json& described = output["MetricAlarms"][0];
  EXPECT_EQ(described["ActionsEnabled"], false);
  EXPECT_EQ(
      described["Dimensions"],
      Json::parse(R"([{"Name":"LogGroup","Value":"my-log-group"},{"Name":"Env","Value":"prod"}])"));
  EXPECT_EQ(described["TreatMissingData"], "notBreaching");
  EXPECT_EQ(described["DatapointsToAlarm"], 1);
  EXPECT_EQ(described["Unit"], "Count");
  EXPECT_EQ(described["OKActions"], Json::array({"arn:aws:sns:us-west-2:123456789012:Ok"}));
  // notBreaching with no data: OK at the first evaluation, whose reason data is kept.
  EXPECT_EQ(described["StateValue"], "OK");
  EXPECT_TRUE(described.contains("StateReasonData"));
}

TEST_P(CloudWatchApiTest, PutMetricAlarmRejectsWhatAwsRejects) {
  Json period = seed_alarm();
  period["Period"] = 7;
  EXPECT_EQ(fails("PutMetricAlarm", period), "400 ValidationError");
  EXPECT_EQ(message("PutMetricAlarm", period), "Period must be 10, 20, 30 or a multiple of 60");

  Json no_name = seed_alarm();
  no_name.erase("AlarmName");
  EXPECT_EQ(fails("PutMetricAlarm", no_name), "400 MissingParameter");

  Json both = seed_alarm();
  both["ExtendedStatistic"] = "p90";
  EXPECT_EQ(fails("PutMetricAlarm", both), "400 InvalidParameterCombination");

  Json operator_name = seed_alarm();
  operator_name["ComparisonOperator"] = "Bigger";
  EXPECT_EQ(fails("PutMetricAlarm", operator_name), "400 ValidationError");

  Json too_many = seed_alarm();
  too_many["EvaluationPeriods"] = 2;
  too_many["DatapointsToAlarm"] = 3;
  EXPECT_EQ(message("PutMetricAlarm", too_many),
            "DatapointsToAlarm must be less than or equal to EvaluationPeriods");

  Json tags = seed_alarm();
  tags["Tags"] = Json::array();
  for (int i = 0; i < 51; ++i)
    tags["Tags"].push_back({{"Key", "k" + std::to_string(i)}, {"Value", "v"}});
  EXPECT_EQ(fails("PutMetricAlarm", tags), "400 ValidationError");

  Json tag_key = seed_alarm();
  tag_key["Tags"] = Json::array({{{"Value", "v"}}});
  EXPECT_EQ(fails("PutMetricAlarm", tag_key), "400 MissingParameter");

  Json math = seed_alarm();
  math["Metrics"] = Json::array({{{"Id", "m1"}, {"Expression", "SUM(METRICS())"}}});
  EXPECT_EQ(fails("PutMetricAlarm", math), "400 InvalidParameterCombination");

  EXPECT_TRUE(ok("DescribeAlarms", Json::object())["MetricAlarms"].is_null());
}

TEST_P(CloudWatchApiTest, AValueOfTheWrongTypeIsRefused) {
  aws::HttpRequest request;
  if (GetParam() == aws::Protocol::kAwsJson1_0) {
    Json alarm = seed_alarm();
    alarm["Period"] = "five minutes";
    request = cloudwatch_request(GetParam(), "PutMetricAlarm", alarm);
    const aws::HttpResponse response = h_.send(request);
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(error_code(response), "SerializationException");
  } else {
    Json alarm = seed_alarm();
    alarm["Period"] = "five minutes";  // sent as the text it is
    request = cloudwatch_request(GetParam(), "PutMetricAlarm", alarm);
    const aws::HttpResponse response = h_.send(request);
    EXPECT_EQ(response.status, 400);
    EXPECT_EQ(error_code(response), "InvalidParameterValue");
  }
}

TEST_P(CloudWatchApiTest, PutMetricAlarmOnAnExistingNameReplacesTheConfigurationAndKeepsTheState) {
  ok("PutMetricAlarm", seed_alarm());
  ok("SetAlarmState", Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                           {"StateValue", "ALARM"},
                           {"StateReason", "testing"}});
  h_.clock.advance(60 * 1000);
  Json changed = seed_alarm();
  changed["Threshold"] = 5.0;
  changed["TreatMissingData"] = "ignore";  // the immediate evaluation sees no data and keeps ALARM
  changed.erase("AlarmDescription");
  ok("PutMetricAlarm", changed);
  const Json alarm = ok("DescribeAlarms", Json::object())["MetricAlarms"][0];
  EXPECT_EQ(alarm["Threshold"], 5.0);
  EXPECT_FALSE(alarm.contains("AlarmDescription"));
  EXPECT_EQ(alarm["StateValue"], "ALARM");
  EXPECT_EQ(alarm["AlarmConfigurationUpdatedTimestamp"], kT0 + 60);
}

TEST_P(CloudWatchApiTest, DescribeAlarmsFiltersAndPages) {
  for (const char* name : {"web-1", "web-2", "db-1", "db-2", "db-3"}) {
    Json alarm = seed_alarm(name);
    if (std::string(name) == "db-2")
      alarm["AlarmActions"] = {"arn:aws:sns:us-west-2:123456789012:Pager"};
    ok("PutMetricAlarm", alarm);
  }
  ok("SetAlarmState", Json{{"AlarmName", "db-3"}, {"StateValue", "ALARM"}, {"StateReason", "x"}});

  EXPECT_EQ(names(ok("DescribeAlarms", Json::object())),
            (std::vector<std::string>{"db-1", "db-2", "db-3", "web-1", "web-2"}));
  EXPECT_EQ(names(ok("DescribeAlarms", Json{{"AlarmNamePrefix", "web"}})),
            (std::vector<std::string>{"web-1", "web-2"}));
  EXPECT_EQ(names(ok("DescribeAlarms", Json{{"AlarmNames", {"web-2", "db-1", "nope"}}})),
            (std::vector<std::string>{"db-1", "web-2"}));
  EXPECT_EQ(names(ok("DescribeAlarms", Json{{"StateValue", "ALARM"}})),
            (std::vector<std::string>{"db-3"}));
  EXPECT_EQ(
      names(ok("DescribeAlarms", Json{{"ActionPrefix", "arn:aws:sns:us-west-2:123456789012:Pag"}})),
      (std::vector<std::string>{"db-2"}));
  EXPECT_TRUE(
      ok("DescribeAlarms", Json{{"AlarmTypes", {"CompositeAlarm"}}}).at("MetricAlarms").is_null());
  EXPECT_EQ(
      names(ok("DescribeAlarms", Json{{"AlarmTypes", {"MetricAlarm", "CompositeAlarm"}}})).size(),
      5u);

  // Pages of two: the token carries on after the last name of the page.
  std::vector<std::string> seen;
  Json input{{"MaxRecords", 2}};
  int pages = 0;
  while (true) {
    const Json page = ok("DescribeAlarms", input);
    ++pages;
    for (const std::string& name : names(page)) seen.push_back(name);
    if (!page.contains("NextToken")) break;
    EXPECT_EQ(names(page).size(), 2u);
    input["NextToken"] = page["NextToken"];
    ASSERT_LT(pages, 10);
  }
  EXPECT_EQ(pages, 3);
  EXPECT_EQ(seen, (std::vector<std::string>{"db-1", "db-2", "db-3", "web-1", "web-2"}));
}

TEST_P(CloudWatchApiTest, DescribeAlarmsRejectsBadFilters) {
  EXPECT_EQ(fails("DescribeAlarms", Json{{"AlarmNames", {"a"}}, {"AlarmNamePrefix", "a"}}),
            "400 InvalidParameterCombination");
  EXPECT_EQ(fails("DescribeAlarms", Json{{"MaxRecords", 0}}), "400 ValidationError");
  EXPECT_EQ(fails("DescribeAlarms", Json{{"MaxRecords", 101}}), "400 ValidationError");
  EXPECT_EQ(fails("DescribeAlarms", Json{{"StateValue", "BROKEN"}}), "400 ValidationError");
  EXPECT_EQ(fails("DescribeAlarms", Json{{"NextToken", "not-a-token"}}), "400 InvalidNextToken");
  EXPECT_EQ(fails("DescribeAlarms", Json{{"AlarmTypes", {"Other"}}}), "400 ValidationError");
  Json many = Json::array();
  for (int i = 0; i < 101; ++i) many.push_back("a" + std::to_string(i));
  EXPECT_EQ(fails("DescribeAlarms", Json{{"AlarmNames", many}}), "400 ValidationError");
  EXPECT_EQ(
      message("DescribeAlarms", Json{{"MaxRecords", 101}}),
      "1 validation error detected: Value '101' at 'maxRecords' failed to satisfy constraint: "
      "Member must have value less than or equal to 100");
}

TEST_P(CloudWatchApiTest, DescribeAlarmsForMetricMatchesTheMetricExactly) {
  Json plain = seed_alarm("plain");
  Json dimensioned = seed_alarm("dimensioned");
  dimensioned["Dimensions"] = Json::array({{{"Name", "LogGroup"}, {"Value", "trail"}}});
  Json average = seed_alarm("average");
  average["Statistic"] = "Average";
  for (const Json& alarm : {plain, dimensioned, average}) ok("PutMetricAlarm", alarm);
  const Json metric{{"MetricName", "SecurityGroupEventCount"}, {"Namespace", "CISBenchmark"}};
  EXPECT_EQ(names(ok("DescribeAlarmsForMetric", metric)),
            (std::vector<std::string>{"average", "plain"}));
  Json sum = metric;
  sum["Statistic"] = "Sum";
  EXPECT_EQ(names(ok("DescribeAlarmsForMetric", sum)), (std::vector<std::string>{"plain"}));
  Json with_dimensions = metric;
  with_dimensions["Dimensions"] = Json::array({{{"Name", "LogGroup"}, {"Value", "trail"}}});
  EXPECT_EQ(names(ok("DescribeAlarmsForMetric", with_dimensions)),
            (std::vector<std::string>{"dimensioned"}));
  Json period = metric;
  period["Period"] = 60;
  EXPECT_TRUE(ok("DescribeAlarmsForMetric", period)["MetricAlarms"].is_null());
  EXPECT_EQ(fails("DescribeAlarmsForMetric", Json{{"MetricName", "x"}}), "400 MissingParameter");
}

// ---- SetAlarmState, Enable/DisableAlarmActions, DeleteAlarms ----------------------------------

TEST_P(CloudWatchApiTest, SetAlarmStateTransitionsAndRunsTheActions) {
  ok("PutMetricAlarm", seed_alarm());
  h_.clock.advance(5000);
  EXPECT_TRUE(ok("SetAlarmState", Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                                       {"StateValue", "ALARM"},
                                       {"StateReason", "Testing alarm actions"}})
                  .is_null());
  ASSERT_EQ(h_.transitions.size(), 1u);
  EXPECT_EQ(h_.transitions[0].to, alarms::AlarmState::kAlarm);
  EXPECT_EQ(h_.transitions[0].actions, std::vector<std::string>{kTopic});
  const Json alarm = ok("DescribeAlarms", Json::object())["MetricAlarms"][0];
  EXPECT_EQ(alarm["StateValue"], "ALARM");
  EXPECT_EQ(alarm["StateReason"], "Testing alarm actions");
  EXPECT_EQ(alarm["StateUpdatedTimestamp"], kT0 + 5);

  // The same state again is no transition.
  ok("SetAlarmState", Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                           {"StateValue", "ALARM"},
                           {"StateReason", "again"}});
  EXPECT_EQ(h_.transitions.size(), 1u);
}

TEST_P(CloudWatchApiTest, SetAlarmStateErrors) {
  EXPECT_EQ(fails("SetAlarmState", Json{{"AlarmName", "NoSuchAlarm"},
                                        {"StateValue", "ALARM"},
                                        {"StateReason", "Testing alarm actions"}}),
            "404 ResourceNotFound");
  ok("PutMetricAlarm", seed_alarm());
  const Json base{
      {"AlarmName", "SecurityGroupChangesAlarm"}, {"StateValue", "OK"}, {"StateReason", "r"}};
  Json bad_state = base;
  bad_state["StateValue"] = "GREEN";
  EXPECT_EQ(fails("SetAlarmState", bad_state), "400 ValidationError");
  Json no_reason = base;
  no_reason.erase("StateReason");
  EXPECT_EQ(fails("SetAlarmState", no_reason), "400 MissingParameter");
  Json no_state = base;
  no_state.erase("StateValue");
  EXPECT_EQ(fails("SetAlarmState", no_state), "400 MissingParameter");
  Json bad_data = base;
  bad_data["StateReasonData"] = "{not json";
  EXPECT_EQ(fails("SetAlarmState", bad_data), "400 InvalidFormat");
  Json long_reason = base;
  long_reason["StateReason"] = std::string(1024, 'r');
  EXPECT_EQ(fails("SetAlarmState", long_reason), "400 ValidationError");
  EXPECT_TRUE(h_.transitions.empty());
}

TEST_P(CloudWatchApiTest, DisabledActionsStayQuietUntilEnabled) {
  ok("PutMetricAlarm", seed_alarm());
  EXPECT_TRUE(
      ok("DisableAlarmActions", Json{{"AlarmNames", {"SecurityGroupChangesAlarm", "unknown"}}})
          .is_null());
  EXPECT_EQ(ok("DescribeAlarms", Json::object())["MetricAlarms"][0]["ActionsEnabled"], false);
  ok("SetAlarmState", Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                           {"StateValue", "ALARM"},
                           {"StateReason", "quiet"}});
  ASSERT_EQ(h_.transitions.size(), 1u);
  EXPECT_TRUE(h_.transitions[0].actions.empty());
  ok("EnableAlarmActions", Json{{"AlarmNames", {"SecurityGroupChangesAlarm"}}});
  EXPECT_EQ(ok("DescribeAlarms", Json::object())["MetricAlarms"][0]["ActionsEnabled"], true);
  ok("SetAlarmState", Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                           {"StateValue", "OK"},
                           {"StateReason", "loud"}});
  ASSERT_EQ(h_.transitions.size(), 2u);
  EXPECT_TRUE(h_.transitions[1].actions.empty());  // the alarm has no OKActions
  EXPECT_EQ(fails("EnableAlarmActions", Json::object()), "400 MissingParameter");
}

TEST_P(CloudWatchApiTest, DeleteAlarmsDeletesAndIgnoresUnknownNames) {
  ok("PutMetricAlarm", seed_alarm("a"));
  ok("PutMetricAlarm", seed_alarm("b"));
  EXPECT_TRUE(ok("DeleteAlarms", Json{{"AlarmNames", {"a", "OtherAlarm"}}}).is_null());
  EXPECT_EQ(names(ok("DescribeAlarms", Json::object())), std::vector<std::string>{"b"});
  EXPECT_EQ(fails("DeleteAlarms", Json::object()), "400 MissingParameter");
  Json many = Json::array();
  for (int i = 0; i < 101; ++i) many.push_back("a" + std::to_string(i));
  EXPECT_EQ(fails("DeleteAlarms", Json{{"AlarmNames", many}}), "400 ValidationError");
  // History survives the deletion.
  EXPECT_FALSE(ok("DescribeAlarmHistory", Json{{"AlarmName", "a"}})["AlarmHistoryItems"].is_null());
}

// ---- DescribeAlarmHistory ---------------------------------------------------------------------

TEST_P(CloudWatchApiTest, DescribeAlarmHistoryFiltersOrdersAndPages) {
  ok("PutMetricAlarm", seed_alarm());  // ConfigurationUpdate at T0
  h_.clock.advance(60 * 1000);
  ok("SetAlarmState", Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                           {"StateValue", "ALARM"},
                           {"StateReason", "one"}});  // StateUpdate at T0+60
  h_.clock.advance(60 * 1000);
  ok("SetAlarmState", Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                           {"StateValue", "OK"},
                           {"StateReason", "two"}});  // StateUpdate at T0+120
  ok("PutMetricAlarm", seed_alarm("other"));

  const Json all = ok("DescribeAlarmHistory", Json{{"AlarmName", "SecurityGroupChangesAlarm"}});
  ASSERT_EQ(all["AlarmHistoryItems"].size(), 3u);
  const Json& newest = all["AlarmHistoryItems"][0];
  EXPECT_EQ(newest["AlarmName"], "SecurityGroupChangesAlarm");
  EXPECT_EQ(newest["AlarmType"], "MetricAlarm");
  EXPECT_EQ(newest["Timestamp"], kT0 + 120);
  EXPECT_EQ(newest["HistoryItemType"], "StateUpdate");
  EXPECT_EQ(newest["HistorySummary"], "Alarm updated from ALARM to OK");
  EXPECT_TRUE(Json::parse(newest["HistoryData"].get<std::string>()).is_object());
  EXPECT_EQ(all["AlarmHistoryItems"][2]["HistoryItemType"], "ConfigurationUpdate");
  EXPECT_FALSE(all.contains("NextToken"));

  const Json ascending = ok("DescribeAlarmHistory", Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                                                         {"ScanBy", "TimestampAscending"}});
  EXPECT_EQ(ascending["AlarmHistoryItems"][0]["HistoryItemType"], "ConfigurationUpdate");
  const Json states = ok("DescribeAlarmHistory", Json{{"HistoryItemType", "StateUpdate"}});
  EXPECT_EQ(states["AlarmHistoryItems"].size(), 2u);
  EXPECT_EQ(ok("DescribeAlarmHistory", Json::object())["AlarmHistoryItems"].size(), 4u);
  const Json window = ok("DescribeAlarmHistory", Json{{"StartDate", "2026-11-27T20:00:30Z"},
                                                      {"EndDate", "2026-11-27T20:01:30Z"}});
  ASSERT_EQ(window["AlarmHistoryItems"].size(), 1u);
  EXPECT_EQ(window["AlarmHistoryItems"][0]["HistorySummary"],
            "Alarm updated from INSUFFICIENT_DATA to ALARM");
  EXPECT_TRUE(
      ok("DescribeAlarmHistory", Json{{"AlarmTypes", {"CompositeAlarm"}}})["AlarmHistoryItems"]
          .is_null());

  std::vector<std::string> summaries;
  Json input{{"AlarmName", "SecurityGroupChangesAlarm"}, {"MaxRecords", 1}};
  for (int pages = 0; pages < 10; ++pages) {
    const Json page = ok("DescribeAlarmHistory", input);
    ASSERT_EQ(page["AlarmHistoryItems"].size(), 1u);
    summaries.push_back(page["AlarmHistoryItems"][0]["HistorySummary"].get<std::string>());
    if (!page.contains("NextToken")) break;
    input["NextToken"] = page["NextToken"];
  }
  EXPECT_EQ(summaries, (std::vector<std::string>{"Alarm updated from ALARM to OK",
                                                 "Alarm updated from INSUFFICIENT_DATA to ALARM",
                                                 "Alarm \"SecurityGroupChangesAlarm\" created"}));

  EXPECT_EQ(fails("DescribeAlarmHistory", Json{{"ScanBy", "Sideways"}}), "400 ValidationError");
  EXPECT_EQ(fails("DescribeAlarmHistory", Json{{"HistoryItemType", "Other"}}),
            "400 ValidationError");
  EXPECT_EQ(fails("DescribeAlarmHistory", Json{{"MaxRecords", 101}}), "400 ValidationError");
  EXPECT_EQ(fails("DescribeAlarmHistory", Json{{"NextToken", "00"}}), "400 InvalidNextToken");
}

// ---- PutMetricData and the reads --------------------------------------------------------------

TEST_P(CloudWatchApiTest, PutMetricDataFeedsTheAlarmAndGetMetricStatistics) {
  ok("PutMetricAlarm", seed_alarm());
  h_.clock.set((kT0 + 40) * 1000);
  EXPECT_TRUE(ok("PutMetricData",
                 Json{{"Namespace", "CISBenchmark"},
                      {"MetricData", Json::array({{{"MetricName", "SecurityGroupEventCount"},
                                                   {"Timestamp", "2026-11-27T20:00:30Z"},
                                                   {"Value", 1.0}}})}})
                  .is_null());
  // Sum >= 1 cannot be undone by more data: ALARM on arrival, with the topic to notify.
  ASSERT_EQ(h_.transitions.size(), 1u);
  EXPECT_EQ(h_.transitions[0].to, alarms::AlarmState::kAlarm);
  EXPECT_EQ(h_.transitions[0].actions, std::vector<std::string>{kTopic});

  ok("PutMetricData", Json{{"Namespace", "CISBenchmark"},
                           {"MetricData", Json::array({{{"MetricName", "SecurityGroupEventCount"},
                                                        {"Timestamp", "2026-11-27T20:00:35Z"},
                                                        {"Values", {2.0, 5.0}},
                                                        {"Counts", {1.0, 2.0}}}})}});
  const Json statistics =
      ok("GetMetricStatistics",
         Json{{"Namespace", "CISBenchmark"},
              {"MetricName", "SecurityGroupEventCount"},
              {"StartTime", "2026-11-27T19:55:00Z"},
              {"EndTime", "2026-11-27T20:10:00Z"},
              {"Period", 300},
              {"Statistics", {"Sum", "SampleCount", "Average", "Minimum", "Maximum"}}});
  const Json expected = Json::parse(R"({
    "Label": "SecurityGroupEventCount",
    "Datapoints": [{"Timestamp": 1795809600, "SampleCount": 4.0, "Average": 3.25, "Sum": 13.0,
                    "Minimum": 1.0, "Maximum": 5.0, "Unit": "None"}]
  })");
  EXPECT_EQ(statistics, expected);
  const Json percentile = ok("GetMetricStatistics", Json{{"Namespace", "CISBenchmark"},
                                                         {"MetricName", "SecurityGroupEventCount"},
                                                         {"StartTime", "2026-11-27T20:00:00Z"},
                                                         {"EndTime", "2026-11-27T20:05:00Z"},
                                                         {"Period", 60},
                                                         {"Unit", "Count"},
                                                         {"ExtendedStatistics", {"p50", "p100"}}});
  EXPECT_EQ(percentile["Datapoints"][0]["ExtendedStatistics"],
            Json::parse(R"({"p50": 2.0, "p100": 5.0})"));
  EXPECT_EQ(percentile["Datapoints"][0]["Unit"], "Count");
}

TEST_P(CloudWatchApiTest, PutMetricDataKeepsDimensionsAndStatisticSetsApart) {
  ok("PutMetricData",
     Json{
         {"Namespace", "App"},
         {"MetricData",
          Json::array({{{"MetricName", "Latency"},
                        {"Dimensions", Json::array({{{"Name", "Host"}, {"Value", "a"}}})},
                        {"Timestamp", "2026-11-27T19:58:10Z"},
                        {"StatisticValues",
                         {{"SampleCount", 4.0}, {"Sum", 10.0}, {"Minimum", 1.0}, {"Maximum", 4.0}}},
                        {"Unit", "Milliseconds"}},
                       {{"MetricName", "Latency"},
                        {"Timestamp", "2026-11-27T19:58:20Z"},
                        {"Value", 100.0}}})}});
  const Json with_host = ok("GetMetricStatistics",
                            Json{{"Namespace", "App"},
                                 {"MetricName", "Latency"},
                                 {"Dimensions", Json::array({{{"Name", "Host"}, {"Value", "a"}}})},
                                 {"StartTime", "2026-11-27T19:50:00Z"},
                                 {"EndTime", "2026-11-27T20:00:00Z"},
                                 {"Period", 600},
                                 {"Statistics", {"Sum", "Maximum"}}});
  EXPECT_EQ(
      with_host["Datapoints"],
      Json::parse(R"([{"Timestamp": 1795809000, "Sum": 10.0, "Maximum": 4.0, "Unit": "None"}])"));
  const Json without = ok("GetMetricStatistics", Json{{"Namespace", "App"},
                                                      {"MetricName", "Latency"},
                                                      {"StartTime", "2026-11-27T19:50:00Z"},
                                                      {"EndTime", "2026-11-27T20:00:00Z"},
                                                      {"Period", 600},
                                                      {"Statistics", {"Sum"}}});
  EXPECT_EQ(without["Datapoints"],
            Json::parse(R"([{"Timestamp": 1795809000, "Sum": 100.0, "Unit": "None"}])"));
}

TEST_P(CloudWatchApiTest, PutMetricDataRejectsWhatAwsRejects) {
  const auto datum = [](Json fields) {
    Json d{{"MetricName", "M"}};
    d.update(fields);
    return Json{{"Namespace", "App"}, {"MetricData", Json::array({d})}};
  };
  EXPECT_EQ(fails("PutMetricData",
                  Json{{"MetricData", Json::array({{{"MetricName", "M"}, {"Value", 1.0}}})}}),
            "400 MissingParameter");
  EXPECT_EQ(fails("PutMetricData", Json{{"Namespace", "App"}}), "400 MissingParameter");
  EXPECT_EQ(fails("PutMetricData",
                  Json{{"Namespace", "AWS/EC2"},
                       {"MetricData", Json::array({{{"MetricName", "M"}, {"Value", 1.0}}})}}),
            "400 InvalidParameterValue");
  EXPECT_EQ(fails("PutMetricData", datum({{"Value", 1.0}, {"Values", {1.0}}})),
            "400 InvalidParameterCombination");
  EXPECT_EQ(
      fails("PutMetricData",
            datum({{"Value", 1.0},
                   {"StatisticValues",
                    {{"SampleCount", 1.0}, {"Sum", 1.0}, {"Minimum", 1.0}, {"Maximum", 1.0}}}})),
      "400 InvalidParameterCombination");
  EXPECT_EQ(fails("PutMetricData", datum({{"Values", {1.0, 2.0}}, {"Counts", {1.0}}})),
            "400 InvalidParameterValue");
  EXPECT_EQ(
      fails("PutMetricData", datum({{"StatisticValues", {{"SampleCount", 1.0}, {"Sum", 1.0}}}})),
      "400 MissingParameter");
  EXPECT_EQ(fails("PutMetricData", datum({{"Value", 1.0}, {"Timestamp", "2026-11-10T00:00:00Z"}})),
            "400 InvalidParameterValue");
  EXPECT_EQ(fails("PutMetricData", datum({{"Value", 1.0}, {"Timestamp", "2026-11-27T23:00:00Z"}})),
            "400 InvalidParameterValue");
  EXPECT_EQ(fails("PutMetricData", datum({{"Value", 1.0}, {"Unit", "Furlongs"}})),
            "400 ValidationError");
  EXPECT_EQ(fails("PutMetricData", datum({{"Value", 1.0e200}})), "400 InvalidParameterValue");
  EXPECT_EQ(fails("PutMetricData", datum({{"Value", 1.0}, {"StorageResolution", 5}})),
            "400 InvalidParameterValue");
  EXPECT_EQ(fails("PutMetricData",
                  datum({{"Value", 1.0},
                         {"Dimensions", Json::array({{{"Name", "A"}, {"Value", "1"}},
                                                     {{"Name", "A"}, {"Value", "2"}}})}})),
            "400 InvalidParameterValue");
  EXPECT_EQ(fails("PutMetricData", datum(Json::object())), "400 MissingParameter");
  EXPECT_EQ(message("PutMetricData", datum({{"Value", 1.0}, {"Values", {1.0}}})),
            "The parameters MetricData.member.1.Value and MetricData.member.1.Values are mutually "
            "exclusive and you have specified both.");
  EXPECT_TRUE(h_.engine->series().empty());
}

TEST_P(CloudWatchApiTest, GetMetricStatisticsRejectsWhatAwsRejects) {
  const Json base{{"Namespace", "App"},
                  {"MetricName", "M"},
                  {"StartTime", "2026-11-27T19:00:00Z"},
                  {"EndTime", "2026-11-27T20:00:00Z"},
                  {"Period", 60},
                  {"Statistics", {"Sum"}}};
  EXPECT_TRUE(ok("GetMetricStatistics", base)["Datapoints"].is_null());
  Json reversed = base;
  reversed["StartTime"] = "2026-11-27T21:00:00Z";
  EXPECT_EQ(fails("GetMetricStatistics", reversed), "400 InvalidParameterValue");
  Json too_many = base;
  too_many["StartTime"] = "2026-11-25T00:00:00Z";
  EXPECT_EQ(fails("GetMetricStatistics", too_many), "400 InvalidParameterCombination");
  Json both = base;
  both["ExtendedStatistics"] = {"p90"};
  EXPECT_EQ(fails("GetMetricStatistics", both), "400 InvalidParameterCombination");
  Json neither = base;
  neither.erase("Statistics");
  EXPECT_EQ(fails("GetMetricStatistics", neither), "400 InvalidParameterCombination");
  Json bad_statistic = base;
  bad_statistic["Statistics"] = {"Median"};
  EXPECT_EQ(fails("GetMetricStatistics", bad_statistic), "400 ValidationError");
  Json period = base;
  period["Period"] = 45;
  EXPECT_EQ(fails("GetMetricStatistics", period), "400 InvalidParameterValue");
  Json no_period = base;
  no_period.erase("Period");
  EXPECT_EQ(fails("GetMetricStatistics", no_period), "400 MissingParameter");
  Json no_start = base;
  no_start.erase("StartTime");
  EXPECT_EQ(fails("GetMetricStatistics", no_start), "400 MissingParameter");
}

TEST_P(CloudWatchApiTest, GetMetricDataAnswersMetricStatQueriesAndPages) {
  Json data = Json::array();
  for (int minute = 0; minute < 5; ++minute) {
    data.push_back({{"MetricName", "Requests"},
                    {"Timestamp", "2026-11-27T19:5" + std::to_string(minute) + ":00Z"},
                    {"Value", static_cast<double>(minute + 1)}});
  }
  ok("PutMetricData", Json{{"Namespace", "App"}, {"MetricData", data}});
  const Json metric{{"Namespace", "App"}, {"MetricName", "Requests"}};
  const Json queries = Json::array(
      {{{"Id", "sum"}, {"MetricStat", {{"Metric", metric}, {"Period", 60}, {"Stat", "Sum"}}}},
       {{"Id", "hidden"},
        {"MetricStat", {{"Metric", metric}, {"Period", 60}, {"Stat", "Sum"}}},
        {"ReturnData", false}},
       {{"Id", "max5"},
        {"Label", "five minutes"},
        {"MetricStat", {{"Metric", metric}, {"Period", 300}, {"Stat", "Maximum"}}}}});
  const Json input{{"MetricDataQueries", queries},
                   {"StartTime", "2026-11-27T19:50:00Z"},
                   {"EndTime", "2026-11-27T20:00:00Z"}};
  const Json output = ok("GetMetricData", input);
  const Json expected = Json::parse(R"({
    "MetricDataResults": [
      {"Id": "sum", "Label": "Requests",
       "Timestamps": [1795809240, 1795809180, 1795809120, 1795809060, 1795809000],
       "Values": [5.0, 4.0, 3.0, 2.0, 1.0], "StatusCode": "Complete", "Messages": null},
      {"Id": "max5", "Label": "five minutes", "Timestamps": [1795809000], "Values": [5.0],
       "StatusCode": "Complete", "Messages": null}
    ],
    "Messages": null
  })");
  EXPECT_EQ(output, expected);

  Json ascending = input;
  ascending["ScanBy"] = "TimestampAscending";
  EXPECT_EQ(ok("GetMetricData", ascending)["MetricDataResults"][0]["Values"][0], 1.0);

  // Pages of four datapoints across both series.
  Json paged = input;
  paged["MaxDatapoints"] = 4;
  const Json first = ok("GetMetricData", paged);
  EXPECT_EQ(first["MetricDataResults"][0]["Values"].size(), 4u);
  EXPECT_EQ(first["MetricDataResults"][0]["StatusCode"], "PartialData");
  EXPECT_EQ(first["MetricDataResults"][1]["StatusCode"], "PartialData");
  ASSERT_TRUE(first.contains("NextToken"));
  paged["NextToken"] = first["NextToken"];
  const Json second = ok("GetMetricData", paged);
  EXPECT_EQ(second["MetricDataResults"][0]["Values"], Json::array({1.0}));
  EXPECT_EQ(second["MetricDataResults"][1]["Values"], Json::array({5.0}));
  EXPECT_EQ(second["MetricDataResults"][1]["StatusCode"], "Complete");
  EXPECT_FALSE(second.contains("NextToken"));
}

TEST_P(CloudWatchApiTest, GetMetricDataRejectsExpressionsAndBadQueries) {
  const Json metric{{"Namespace", "App"}, {"MetricName", "Requests"}};
  const auto with = [&](Json queries) {
    return Json{{"MetricDataQueries", std::move(queries)},
                {"StartTime", "2026-11-27T19:00:00Z"},
                {"EndTime", "2026-11-27T20:00:00Z"}};
  };
  const Json expression = with(Json::array({{{"Id", "e1"}, {"Expression", "SUM(METRICS())"}}}));
  EXPECT_EQ(fails("GetMetricData", expression), "400 ValidationError");
  EXPECT_NE(message("GetMetricData", expression).find("does not evaluate metric math"),
            std::string::npos);
  const Json stat{{"Metric", metric}, {"Period", 60}, {"Stat", "Sum"}};
  EXPECT_EQ(fails("GetMetricData", with(Json::array({{{"Id", "a"}, {"MetricStat", stat}},
                                                     {{"Id", "a"}, {"MetricStat", stat}}}))),
            "400 ValidationError");
  EXPECT_EQ(fails("GetMetricData", with(Json::array({{{"Id", "Upper"}, {"MetricStat", stat}}}))),
            "400 ValidationError");
  EXPECT_EQ(fails("GetMetricData", with(Json::array({{{"Id", "a"}}}))), "400 MissingParameter");
  Json bad_stat = stat;
  bad_stat["Stat"] = "Median";
  EXPECT_EQ(fails("GetMetricData", with(Json::array({{{"Id", "a"}, {"MetricStat", bad_stat}}}))),
            "400 InvalidParameterValue");
  EXPECT_EQ(fails("GetMetricData", Json{{"StartTime", "2026-11-27T19:00:00Z"}}),
            "400 MissingParameter");
  Json token = with(Json::array({{{"Id", "a"}, {"MetricStat", stat}}}));
  token["NextToken"] = "zz";
  EXPECT_EQ(fails("GetMetricData", token), "400 InvalidNextToken");
}

TEST_P(CloudWatchApiTest, ListMetricsListsTheSeriesWithData) {
  ok("PutMetricData",
     Json{{"Namespace", "CISBenchmark"},
          {"MetricData",
           Json::array({{{"MetricName", "SecurityGroupEventCount"}, {"Value", 1.0}},
                        {{"MetricName", "SecurityGroupEventCount"},
                         {"Dimensions", Json::array({{{"Name", "LogGroup"}, {"Value", "trail"}}})},
                         {"Value", 1.0}}})}});
  ok("PutMetricData", Json{{"Namespace", "App"},
                           {"MetricData", Json::array({{{"MetricName", "Requests"},
                                                        {"Timestamp", "2026-11-27T12:00:00Z"},
                                                        {"Value", 1.0}}})}});
  const Json cis = ok("ListMetrics", Json{{"Namespace", "CISBenchmark"}});
  EXPECT_EQ(cis, Json::parse(R"({"Metrics": [
      {"Namespace": "CISBenchmark", "MetricName": "SecurityGroupEventCount", "Dimensions": null},
      {"Namespace": "CISBenchmark", "MetricName": "SecurityGroupEventCount",
       "Dimensions": [{"Name": "LogGroup", "Value": "trail"}]}]})"));
  EXPECT_EQ(ok("ListMetrics", Json::object())["Metrics"].size(), 3u);
  EXPECT_EQ(ok("ListMetrics", Json{{"MetricName", "Requests"}})["Metrics"].size(), 1u);
  EXPECT_EQ(
      ok("ListMetrics", Json{{"Dimensions", Json::array({{{"Name", "LogGroup"}}})}})["Metrics"]
          .size(),
      1u);
  EXPECT_EQ(
      ok("ListMetrics",
         Json{{"Dimensions", Json::array({{{"Name", "LogGroup"}, {"Value", "other"}}})}})["Metrics"]
          .is_null(),
      true);
  // App/Requests was last written eight hours ago.
  EXPECT_EQ(ok("ListMetrics", Json{{"RecentlyActive", "PT3H"}})["Metrics"].size(), 2u);
  EXPECT_EQ(fails("ListMetrics", Json{{"RecentlyActive", "P1D"}}), "400 ValidationError");
  EXPECT_EQ(fails("ListMetrics", Json{{"NextToken", "abc"}}), "400 InvalidNextToken");
  EXPECT_EQ(fails("ListMetrics", Json{{"Dimensions", Json::array({{{"Value", "x"}}})}}),
            "400 MissingParameter");
}

TEST_P(CloudWatchApiTest, TaggingOperationsAreNotImplemented) {
  const aws::HttpResponse response =
      call("TagResource", Json{{"ResourceARN", "arn:aws:cloudwatch:us-west-2:123456789012:alarm:a"},
                               {"Tags", Json::array({{{"Key", "k"}, {"Value", "v"}}})}});
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code(response),
            aws::is_json(GetParam()) ? "UnknownOperationException" : "InvalidAction");
}

TEST(CloudWatchApiPaging, ListMetricsPagesWithTheConfiguredSize) {
  ApiHarness h(kT0 * 1000);
  CloudWatchOptions options;
  options.list_metrics_page = 2;
  CloudWatchApi small(*h.engine, options);
  h.dispatcher->register_service(aws::Service::kCloudWatch, small);
  Json data = Json::array();
  for (const char* name : {"a", "b", "c", "d", "e"})
    data.push_back({{"MetricName", name}, {"Value", 1.0}});
  ASSERT_EQ(h.cloudwatch_call(aws::Protocol::kAwsQuery, "PutMetricData",
                              Json{{"Namespace", "App"}, {"MetricData", data}})
                .status,
            200);
  std::vector<std::string> seen;
  Json input = Json::object();
  for (int pages = 0; pages < 10; ++pages) {
    const Json page =
        loose_output(h.cloudwatch_call(aws::Protocol::kAwsJson1_0, "ListMetrics", input));
    for (const Json& metric : page["Metrics"])
      seen.push_back(metric["MetricName"].get<std::string>());
    if (!page.contains("NextToken")) break;
    input["NextToken"] = page["NextToken"];
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"a", "b", "c", "d", "e"}));
}

TEST(CloudWatchApiWire, XmlAnswersKeepAwsMemberOrderAndJsonAnswersUseEpochSeconds) {
  ApiHarness h(kT0 * 1000 + 250);
  ASSERT_EQ(h.cloudwatch_call(aws::Protocol::kAwsQuery, "PutMetricAlarm", seed_alarm()).status,
            200);
  const aws::HttpResponse xml =
      h.cloudwatch_call(aws::Protocol::kAwsQuery, "DescribeAlarms", Json::object());
  const std::vector<std::string> order = {
      "<AlarmName>",
      "<AlarmArn>",
      "<AlarmDescription>",
      "<AlarmConfigurationUpdatedTimestamp>2026-11-27T20:00:00.250Z",
      "<ActionsEnabled>true",
      "<OKActions/>",
      "<AlarmActions>",
      "<InsufficientDataActions/>",
      "<StateValue>",
      "<StateReason>",
      "<StateUpdatedTimestamp>",
      "<MetricName>",
      "<Namespace>",
      "<Statistic>",
      "<Dimensions/>",
      "<Period>300",
      "<EvaluationPeriods>1",
      "<Threshold>1.0",
      "<ComparisonOperator>",
      "<StateTransitionedTimestamp>",
      "<CompositeAlarms/>"};
  std::size_t at = 0;
  for (const std::string& piece : order) {
    const std::size_t found = xml.body.find(piece, at);
    ASSERT_NE(found, std::string::npos) << piece << " missing or out of order in\n" << xml.body;
    at = found;
  }
  const aws::HttpResponse json =
      h.cloudwatch_call(aws::Protocol::kAwsJson1_0, "DescribeAlarms", Json::object());
  const Json body = Json::parse(json.body);
  EXPECT_EQ(body["MetricAlarms"][0]["AlarmConfigurationUpdatedTimestamp"], 1795809600.25);
  EXPECT_EQ(body["CompositeAlarms"], Json::array());
  EXPECT_EQ(body["MetricAlarms"][0]["OKActions"], Json::array());
  EXPECT_EQ(body["MetricAlarms"][0]["Threshold"].dump(), "1.0");
}

}  // namespace
}  // namespace sgwatch::api
