// The alarm notification CloudWatch publishes (spec 7): the seed alarm's JSON, subject and email
// text byte for byte, region names, subject truncation, Trigger formats, escaping, the other
// transitions of 7.6, the structured publish, and the "sgwatch" key with AWS's part unchanged.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/notify/seed_notice.h"

namespace sgwatch::notify {
namespace {

using testing::kSeedReason;
using testing::kTopicArn;
using testing::seed_notice;

constexpr const char* kSeedJson =
    R"json({"AlarmName":"SecurityGroupChangesAlarm","AlarmDescription":null,"AWSAccountId":"123456789012","AlarmConfigurationUpdatedTimestamp":"2025-11-27T19:58:41.112+0000","NewStateValue":"ALARM","NewStateReason":"Threshold Crossed: 1 datapoint [2.0 (27/11/25 20:15:00)] was greater than or equal to the threshold (1.0).","StateChangeTime":"2025-11-27T20:20:45.583+0000","Region":"US East (N. Virginia)","AlarmArn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:SecurityGroupChangesAlarm","OldStateValue":"INSUFFICIENT_DATA","OKActions":[],"AlarmActions":["arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges"],"InsufficientDataActions":[],"Trigger":{"MetricName":"SecurityGroupEventCount","Namespace":"CISBenchmark","StatisticType":"Statistic","Statistic":"SUM","Unit":null,"Dimensions":[],"Period":300,"EvaluationPeriods":1,"ComparisonOperator":"GreaterThanOrEqualToThreshold","Threshold":1.0,"TreatMissingData":"","EvaluateLowSampleCountPercentile":""}})json";

constexpr const char* kSeedEmailText =
    "You are receiving this email because your Amazon CloudWatch Alarm "
    "\"SecurityGroupChangesAlarm\" "
    "in the US East (N. Virginia) region has entered the ALARM state, because \"Threshold Crossed: "
    "1 datapoint [2.0 (27/11/25 20:15:00)] was greater than or equal to the threshold (1.0).\" at "
    "\"Thursday 27 November, 2025 20:20:45 UTC\".\n"
    "\n"
    "View this alarm in the AWS Management Console:\n"
    "https://us-east-1.console.aws.amazon.com/cloudwatch/"
    "deeplink.js?region=us-east-1#alarmsV2:alarm/"
    "SecurityGroupChangesAlarm\n"
    "\n"
    "Alarm Details:\n"
    "- Name:                       SecurityGroupChangesAlarm\n"
    "- Description:                \n"
    "- State Change:               INSUFFICIENT_DATA -> ALARM\n"
    "- Reason for State Change:    Threshold Crossed: 1 datapoint [2.0 (27/11/25 20:15:00)] was "
    "greater than or equal to the threshold (1.0).\n"
    "- Timestamp:                  Thursday 27 November, 2025 20:20:45 UTC\n"
    "- AWS Account:                123456789012\n"
    "- Alarm Arn:                  "
    "arn:aws:cloudwatch:us-east-1:123456789012:alarm:SecurityGroupChangesAlarm\n"
    "\n"
    "Threshold:\n"
    "- The alarm is in the ALARM state when the metric is GreaterThanOrEqualToThreshold 1.0 for at "
    "least 1 of the last 1 period(s) of 300 seconds.\n"
    "\n"
    "Monitored Metric:\n"
    "- MetricNamespace:                     CISBenchmark\n"
    "- MetricName:                          SecurityGroupEventCount\n"
    "- Dimensions:                          \n"
    "- Period:                              300 seconds\n"
    "- Statistic:                           Sum\n"
    "- Unit:                                not specified\n"
    "\n"
    "\n"
    "\n"
    "State Change Actions:\n"
    "- OK: \n"
    "- ALARM: [arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges]\n"
    "- INSUFFICIENT_DATA: \n";

// The AWS part of an extended alarm JSON: everything before `,"sgwatch":`, closed.
std::string aws_part(const std::string& json) {
  const auto at = json.find(",\"sgwatch\":");
  return at == std::string::npos ? json : json.substr(0, at) + "}";
}

nlohmann::ordered_json context_with_events(std::size_t count) {
  nlohmann::ordered_json events = nlohmann::ordered_json::array();
  for (std::size_t i = 0; i < count; ++i) {
    events.push_back({{"eventTime", "2025-11-27T20:15:03Z"},
                      {"eventName", "AuthorizeSecurityGroupIngress"},
                      {"actor", "arn:aws:iam::123456789012:user/alice"},
                      {"sourceIPAddress", "203.0.113.7"},
                      {"groupId", "sg-0123456789abcdef0"},
                      {"ruleChanges", {"+ tcp 22 from 0.0.0.0/0"}}});
  }
  return {{"events", events}};
}

TEST(NotifyAlarmMessage, SeedAlarmJsonIsAwsBytes) {
  EXPECT_EQ(alarm_json(seed_notice()), kSeedJson);
  EXPECT_EQ(alarm_json(seed_notice(), AwsFormat::kRaw), kSeedJson);
}

TEST(NotifyAlarmMessage, SeedSubjectAndEmailText) {
  EXPECT_EQ(alarm_subject(seed_notice()),
            R"(ALARM: "SecurityGroupChangesAlarm" in US East (N. Virginia))");
  EXPECT_EQ(alarm_email_text(seed_notice()), kSeedEmailText);
}

TEST(NotifyAlarmMessage, RegionDisplayNames) {
  const std::vector<std::pair<const char*, const char*>> spec = {
      {"us-east-1", "US East (N. Virginia)"},
      {"us-east-2", "US East (Ohio)"},
      {"us-west-1", "US West (N. California)"},
      {"us-west-2", "US West (Oregon)"},
      {"ca-central-1", "Canada (Central)"},
      {"sa-east-1", "South America (Sao Paulo)"},
      {"eu-west-1", "EU (Ireland)"},
      {"eu-west-2", "EU (London)"},
      {"eu-west-3", "EU (Paris)"},
      {"eu-central-1", "EU (Frankfurt)"},
      {"eu-north-1", "EU (Stockholm)"},
      {"ap-south-1", "Asia Pacific (Mumbai)"},
      {"ap-southeast-1", "Asia Pacific (Singapore)"},
      {"ap-southeast-2", "Asia Pacific (Sydney)"},
      {"ap-northeast-1", "Asia Pacific (Tokyo)"},
      {"ap-northeast-2", "Asia Pacific (Seoul)"},
      {"eu-south-1", "EU (Milan)"}};
  for (const auto& [code, name] : spec) EXPECT_EQ(region_display_name(code), name) << code;
  EXPECT_EQ(alarm_arn("us-gov-west-1", "1", "a"),
            "arn:aws-us-gov:cloudwatch:us-gov-west-1:1:alarm:a");
  EXPECT_EQ(alarm_arn("cn-north-1", "1", "a"), "arn:aws-cn:cloudwatch:cn-north-1:1:alarm:a");
  // A region the table does not know is written as its code.
  EXPECT_EQ(region_display_name("xx-local-1"), "xx-local-1");
  auto notice = seed_notice();
  notice.region = "eu-west-1";
  EXPECT_EQ(alarm_subject(notice), R"(ALARM: "SecurityGroupChangesAlarm" in EU (Ireland))");
  EXPECT_NE(alarm_json(notice).find(R"json("Region":"EU (Ireland)")json"), std::string::npos);
}

TEST(NotifyAlarmMessage, SubjectsAreCutToOneHundredCharacters) {
  auto notice = seed_notice();
  // Two captured subjects: the name is cut so that the whole subject is exactly 100 characters.
  notice.alarm.name =
      "HowToTriggerCloudwatchAlarmFromLambdaStack-howtotriggercloudwatchalarm6F1B2A3C-ABCDEF";
  EXPECT_EQ(
      alarm_subject(notice),
      R"(ALARM: "HowToTriggerCloudwatchAlarmFromLambdaStack-howtotriggercloudwat..." in US East (N. Virginia))");
  notice.region = "eu-south-1";
  notice.alarm.name =
      "SharedInfra-Alpha-Database-DatabaseInstanceObservabilityHighDatabaseConnections-1A2B3C";
  EXPECT_EQ(
      alarm_subject(notice),
      R"(ALARM: "SharedInfra-Alpha-Database-DatabaseInstanceObservabilityHighDatabaseConnec..." in EU (Milan))");
  EXPECT_EQ(code_point_count(alarm_subject(notice)), 100u);

  // UNCLEAR at the boundary: exactly 100 characters are kept whole, 101 are cut to 100.
  notice.region = "us-east-1";
  const std::size_t rest = std::string(R"(ALARM: "" in US East (N. Virginia))").size();
  notice.alarm.name = std::string(100 - rest, 'a');
  EXPECT_EQ(alarm_subject(notice),
            R"(ALARM: ")" + notice.alarm.name + R"(" in US East (N. Virginia))");
  notice.alarm.name = std::string(101 - rest, 'a');
  const std::string cut = alarm_subject(notice);
  EXPECT_EQ(cut.size(), 100u);
  EXPECT_EQ(cut,
            R"(ALARM: ")" + std::string(100 - rest - 3, 'a') + R"(..." in US East (N. Virginia))");

  // Characters, not bytes, are counted (UNCLEAR; SHOULD), and a character is never split.
  notice.alarm.name.clear();
  for (int i = 0; i < 80; ++i) notice.alarm.name += "\xC3\xA9";  // é
  const std::string subject = alarm_subject(notice);
  EXPECT_EQ(code_point_count(subject), 100u);
  EXPECT_EQ(valid_utf8(subject), subject);
  // The JSON keeps the whole name.
  EXPECT_NE(alarm_json(notice).find(notice.alarm.name), std::string::npos);

  notice.alarm.name = "short";
  notice.new_state = alarms::AlarmState::kInsufficientData;
  EXPECT_EQ(alarm_subject(notice), R"(INSUFFICIENT_DATA: "short" in US East (N. Virginia))");
  notice.new_state = alarms::AlarmState::kOk;
  EXPECT_EQ(alarm_subject(notice), R"(OK: "short" in US East (N. Virginia))");
}

TEST(NotifyAlarmMessage, TriggerFormats) {
  auto notice = seed_notice();
  auto& alarm = notice.alarm;
  alarm.description = "Security groups changed";
  alarm.unit = "Count";
  alarm.dimensions = {{"InstanceId", "i-0123"}, {"Env", "prod"}};
  alarm.datapoints_to_alarm = 2;
  alarm.evaluation_periods = 3;
  alarm.threshold = 0.059;
  alarm.treat_missing_data = alarms::MissingData::kNotBreaching;
  alarm.evaluate_low_sample_count_percentile = "ignore";
  alarm.comparison = alarms::Comparison::kLess;
  const std::string json = alarm_json(notice);
  EXPECT_NE(json.find(R"("AlarmDescription":"Security groups changed")"), std::string::npos);
  EXPECT_NE(
      json.find(
          R"("Trigger":{"MetricName":"SecurityGroupEventCount","Namespace":"CISBenchmark","StatisticType":"Statistic","Statistic":"SUM","Unit":"Count","Dimensions":[{"value":"i-0123","name":"InstanceId"},{"value":"prod","name":"Env"}],"Period":300,"EvaluationPeriods":3,"DatapointsToAlarm":2,"ComparisonOperator":"LessThanThreshold","Threshold":0.059,"TreatMissingData":"notBreaching","EvaluateLowSampleCountPercentile":"ignore"}})"),
      std::string::npos)
      << json;

  const std::vector<std::pair<double, const char*>> thresholds = {
      {1, "1.0"}, {60, "60.0"}, {0.059, "0.059"}, {1e7, "1.0E7"}, {1e-4, "1.0E-4"}, {-3.5, "-3.5"}};
  for (const auto& [value, text] : thresholds) {
    alarm.threshold = value;
    EXPECT_NE(alarm_json(notice).find(std::string("\"Threshold\":") + text + ","),
              std::string::npos)
        << text;
  }

  const std::vector<std::pair<const char*, const char*>> statistics = {
      {"Sum", "SUM"},
      {"Average", "AVERAGE"},
      {"Maximum", "MAXIMUM"},
      {"Minimum", "MINIMUM"},
      {"SampleCount", "SAMPLE_COUNT"}};
  for (const auto& [name, upper] : statistics) {
    alarm.statistic = *metrics::Statistic::parse_simple(name);
    EXPECT_NE(alarm_json(notice).find(std::string(R"("StatisticType":"Statistic","Statistic":")") +
                                      upper + "\""),
              std::string::npos)
        << name;
  }
  // Percentiles (UNCLEAR): ExtendedStatistic in place of Statistic.
  alarm.statistic = *metrics::Statistic::parse_extended("p90");
  alarm.extended_statistic = true;
  EXPECT_NE(alarm_json(notice).find(
                R"("StatisticType":"ExtendedStatistic","ExtendedStatistic":"p90","Unit":"Count")"),
            std::string::npos);
  EXPECT_EQ(alarm_json(notice).find(R"("Statistic":)"), std::string::npos);
  EXPECT_NE(alarm_email_text(notice).find("- Statistic:                           p90\n"),
            std::string::npos);
}

TEST(NotifyAlarmMessage, EscapingFollowsJackson) {
  auto notice = seed_notice();
  notice.alarm.name = "a\"b\\c/d \xC3\xA9\xE2\x82\xAC\t\n\x01\x1F\x7F";
  notice.alarm.description = std::string("bad \xFF utf8");
  notice.reason = "line1\nline2\r\b\f";
  const std::string json = alarm_json(notice);
  EXPECT_NE(json.find(R"("AlarmName":"a\"b\\c/d é€\t\n\u0001\u001F)"
                      "\x7F\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"AlarmDescription\":\"bad \xEF\xBF\xBD utf8\""), std::string::npos);
  EXPECT_NE(json.find(R"("NewStateReason":"line1\nline2\r\b\f")"), std::string::npos);
  EXPECT_FALSE(nlohmann::json::parse(json, nullptr, false).is_discarded());
  EXPECT_EQ(nlohmann::json::parse(json)["AlarmName"], notice.alarm.name);
}

TEST(NotifyAlarmMessage, SgwatchKeyFollowsAwsKeys) {
  auto notice = seed_notice();
  notice.sgwatch = nlohmann::ordered_json{{"version", 1},
                                          {"ratio", 0.5},
                                          {"url", "https://x/y"},
                                          {"nested", {{"b", 1}, {"a", nullptr}}}};
  const std::string extended = alarm_json(notice);
  EXPECT_EQ(
      extended,
      std::string(kSeedJson).substr(0, std::string(kSeedJson).size() - 1) +
          R"(,"sgwatch":{"version":1,"ratio":0.5,"url":"https://x/y","nested":{"b":1,"a":null}}})");
  EXPECT_EQ(aws_part(extended), kSeedJson);
  EXPECT_EQ(alarm_json(notice, AwsFormat::kRaw), kSeedJson);
  const auto parsed = nlohmann::ordered_json::parse(extended);
  EXPECT_EQ(parsed.items().begin().key(), "AlarmName");
  EXPECT_EQ((--parsed.end()).key(), "sgwatch");

  // The readable section follows AWS's email text; kRaw leaves it out.
  notice.sgwatch = context_with_events(2);
  const std::string email = alarm_email_text(notice);
  ASSERT_EQ(email.rfind(kSeedEmailText, 0), 0u);
  EXPECT_EQ(email.substr(std::string(kSeedEmailText).size()),
            "\nCausing events (sgwatch), 2 in all:\n"
            "- 2025-11-27T20:15:03Z AuthorizeSecurityGroupIngress by "
            "arn:aws:iam::123456789012:user/alice "
            "from 203.0.113.7 on sg-0123456789abcdef0: + tcp 22 from 0.0.0.0/0\n"
            "- 2025-11-27T20:15:03Z AuthorizeSecurityGroupIngress by "
            "arn:aws:iam::123456789012:user/alice "
            "from 203.0.113.7 on sg-0123456789abcdef0: + tcp 22 from 0.0.0.0/0\n");
  EXPECT_EQ(alarm_email_text(notice, AwsFormat::kRaw), kSeedEmailText);

  // Bounded like Slack: 20 events, then a count.
  notice.sgwatch = context_with_events(23);
  const std::string many = alarm_email_text(notice);
  EXPECT_NE(many.find("Causing events (sgwatch), 23 in all:\n"), std::string::npos);
  EXPECT_NE(many.find("- and 3 more\n"), std::string::npos);
  std::size_t listed = 0;
  for (auto at = many.find("\n- 2025-11-27T20:15:03Z"); at != std::string::npos;
       at = many.find("\n- 2025-11-27T20:15:03Z", at + 1)) {
    ++listed;
  }
  EXPECT_EQ(listed, 20u);

  // A context without events adds nothing readable, only the JSON key.
  notice.sgwatch = nlohmann::ordered_json{{"note", "no events"}};
  EXPECT_EQ(alarm_email_text(notice), kSeedEmailText);
}

TEST(NotifyAlarmMessage, EmailShowsTheSeverityOfTheNormalizedChange) {
  auto notice = seed_notice();
  nlohmann::ordered_json context = context_with_events(1);
  context["events"][0]["severity"] = "critical";
  context["events"][0]["reason"] = "SSH (22) open to the world";
  context["events"][0]["exposure"] = {"tcp 22 from 0.0.0.0/0: SSH (22) open to the world"};
  notice.sgwatch = context;
  const std::string email = alarm_email_text(notice);
  ASSERT_EQ(email.rfind(kSeedEmailText, 0), 0u);  // AWS's part unchanged
  EXPECT_EQ(email.substr(std::string(kSeedEmailText).size()),
            "\nCausing events (sgwatch), 1 in all:\n"
            "- 2025-11-27T20:15:03Z AuthorizeSecurityGroupIngress by "
            "arn:aws:iam::123456789012:user/alice "
            "from 203.0.113.7 on sg-0123456789abcdef0 {critical: SSH (22) open to the world}: "
            "+ tcp 22 from 0.0.0.0/0\n");
  EXPECT_EQ(aws_part(alarm_json(notice)), kSeedJson);
  const AlertContext read = read_alert_context(context);
  ASSERT_EQ(read.events.size(), 1u);
  EXPECT_EQ(read.events[0].exposure, std::vector<std::string>{"tcp 22 from 0.0.0.0/0: SSH (22) open to the world"});
}

TEST(NotifyAlarmMessage, ActionExecutedAfterMuteWindowSitsAfterOldState) {
  auto notice = seed_notice();
  notice.action_executed_after_mute_window = false;
  EXPECT_NE(
      alarm_json(notice).find(
          R"("OldStateValue":"INSUFFICIENT_DATA","ActionExecutedAfterMuteWindow":false,"OKActions":[])"),
      std::string::npos);
}

TEST(NotifyAlarmMessage, OtherTransitionsOfTheSeedAlarm) {
  // Data stops: ALARM -> INSUFFICIENT_DATA runs no action (the seed alarm has none for that
  // state), so nothing is published.
  alarms::Alarm alarm(testing::seed_alarm(), alarms::AlarmState::kAlarm);
  EXPECT_TRUE(alarm
                  .set_state(alarms::AlarmState::kInsufficientData,
                             "Insufficient Data: 1 datapoint was unknown.")
                  .empty());
  // Back to OK: no OKActions either.
  EXPECT_TRUE(alarm.set_state(alarms::AlarmState::kOk, "Threshold Crossed: no datapoints").empty());
  // SetAlarmState to ALARM publishes the seed message with the given reason.
  const auto actions = alarm.set_state(alarms::AlarmState::kAlarm, "testing purposes");
  ASSERT_EQ(actions, std::vector<std::string>{kTopicArn});

  auto notice = seed_notice();
  notice.old_state = alarms::AlarmState::kOk;
  notice.reason = "testing purposes";
  std::string expected = kSeedJson;
  expected.replace(expected.find(kSeedReason), std::string(kSeedReason).size(), "testing purposes");
  expected.replace(expected.find(R"("OldStateValue":"INSUFFICIENT_DATA")"),
                   std::string(R"("OldStateValue":"INSUFFICIENT_DATA")").size(),
                   R"("OldStateValue":"OK")");
  EXPECT_EQ(alarm_json(notice), expected);
  EXPECT_NE(alarm_email_text(notice).find("- State Change:               OK -> ALARM\n"
                                          "- Reason for State Change:    testing purposes\n"),
            std::string::npos);

  // Were INSUFFICIENT_DATA actions configured, this is the message.
  notice.old_state = alarms::AlarmState::kAlarm;
  notice.new_state = alarms::AlarmState::kInsufficientData;
  notice.reason = "Insufficient Data: 1 datapoint was unknown.";
  const std::string json = alarm_json(notice);
  EXPECT_NE(
      json.find(
          R"("NewStateValue":"INSUFFICIENT_DATA","NewStateReason":"Insufficient Data: 1 datapoint was unknown.")"),
      std::string::npos);
  EXPECT_NE(json.find(R"("OldStateValue":"ALARM")"), std::string::npos);
  EXPECT_NE(alarm_email_text(notice).find("has entered the INSUFFICIENT_DATA state, because "
                                          "\"Insufficient Data: 1 datapoint was unknown.\""),
            std::string::npos);
  // The threshold sentence always describes the ALARM condition.
  EXPECT_NE(alarm_email_text(notice).find("- The alarm is in the ALARM state when"),
            std::string::npos);
}

TEST(NotifyAlarmMessage, EmailTextVariants) {
  auto notice = seed_notice();
  auto& alarm = notice.alarm;
  alarm.name = "Dummy composite alarm";
  alarm.description = "Test dummy alarm";
  alarm.dimensions = {{"TargetGroup", "targetgroup/tg/e74a"}, {"LoadBalancer", "app/lb/1372"}};
  alarm.unit = "Count";
  alarm.evaluation_periods = 3;
  alarm.datapoints_to_alarm = 2;
  alarm.treat_missing_data = alarms::MissingData::kNotBreaching;
  alarm.ok_actions = {"arn:a", "arn:b"};
  alarm.insufficient_data_actions = {"arn:c"};
  const std::string text = alarm_email_text(notice);
  EXPECT_NE(text.find("#alarmsV2:alarm/Dummy%20composite%20alarm\n"), std::string::npos);
  EXPECT_NE(text.find("- Description:                Test dummy alarm\n"), std::string::npos);
  EXPECT_NE(text.find("for at least 2 of the last 3 period(s) of 300 seconds.\n"),
            std::string::npos);
  EXPECT_NE(text.find("- Dimensions:                          [TargetGroup = targetgroup/tg/e74a] "
                      "[LoadBalancer = app/lb/1372]\n"),
            std::string::npos);
  EXPECT_NE(text.find("- Unit:                                Count\n"
                      "- TreatMissingData:                    notBreaching\n"
                      "\n\nState Change Actions:\n"
                      "- OK: [arn:a, arn:b]\n"
                      "- ALARM: [arn:aws:sns:us-east-1:123456789012:SecurityGroupChanges]\n"
                      "- INSUFFICIENT_DATA: [arn:c]\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(alarm_console_url("eu-west-1", "a/b:c+d é"),
            "https://eu-west-1.console.aws.amazon.com/cloudwatch/deeplink.js?region=eu-west-1"
            "#alarmsV2:alarm/a%2Fb%3Ac%2Bd%20%C3%A9");
}

TEST(NotifyAlarmMessage, StructuredPublishCarriesDefaultSmsEmail) {
  auto notice = seed_notice();
  notice.sgwatch = context_with_events(1);
  const AlarmPublish publish = alarm_publish(notice);
  EXPECT_EQ(publish.message_structure, "json");
  EXPECT_EQ(publish.subject, alarm_subject(notice));
  EXPECT_EQ(publish.message.rfind(R"({"default":"{\"AlarmName\":)", 0), 0u);
  const auto ordered = nlohmann::ordered_json::parse(publish.message);
  std::vector<std::string> keys;
  for (const auto& item : ordered.items()) keys.push_back(item.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"default", "sms", "email"}));

  auto structured = parse_message_structure(publish.message);
  ASSERT_TRUE(structured) << structured.error().message;
  EXPECT_EQ(structured->default_message, alarm_json(notice));
  EXPECT_EQ(structured->for_protocol("sms"), publish.subject);
  EXPECT_EQ(structured->for_protocol("email"), alarm_email_text(notice));
  EXPECT_EQ(structured->for_protocol("https"), alarm_json(notice));
  EXPECT_EQ(structured->for_protocol("email-json"), alarm_json(notice));

  const AlarmPublish raw = alarm_publish(notice, AwsFormat::kRaw);
  auto raw_structured = parse_message_structure(raw.message);
  ASSERT_TRUE(raw_structured);
  EXPECT_EQ(raw_structured->default_message, kSeedJson);
  EXPECT_EQ(raw_structured->for_protocol("email"), kSeedEmailText);
}

TEST(NotifyAlarmMessage, Timestamps) {
  // A captured history item: stateUpdateTimestamp 1667756633496 is StateChangeTime
  // "2022-11-06T17:43:53.496+0000" and the email date "Sunday 06 November, 2022 17:43:53".
  EXPECT_EQ(alarm_timestamp(1667756633496), "2022-11-06T17:43:53.496+0000");
  EXPECT_EQ(email_alarm_date(1667756633496), "Sunday 06 November, 2022 17:43:53");
  EXPECT_EQ(sns_timestamp(1667756633496), "2022-11-06T17:43:53.496Z");
  EXPECT_EQ(rfc5322_date(1667756633496), "Sun, 6 Nov 2022 17:43:53 +0000");
  EXPECT_EQ(readable_utc(1667756633496), "2022-11-06 17:43:53 UTC");
  EXPECT_EQ(alarm_timestamp(0), "1970-01-01T00:00:00.000+0000");
  EXPECT_EQ(sns_timestamp(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(email_alarm_date(951782400000), "Tuesday 29 February, 2000 00:00:00");
  EXPECT_EQ(parse_sns_timestamp("2022-11-06T17:43:53.496Z"), 1667756633496);
  EXPECT_EQ(parse_sns_timestamp("1969-12-31T23:59:59.999Z"), -1);
  for (const char* bad : {"2022-11-06T17:43:53Z", "2022-11-06T17:43:53.496+0000",
                          "2025-02-29T00:00:00.000Z", "2022-13-06T17:43:53.496Z", ""}) {
    EXPECT_FALSE(parse_sns_timestamp(bad)) << bad;
  }
}

}  // namespace
}  // namespace sgwatch::notify
