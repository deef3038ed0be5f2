// The audit's judgement over hand-built snapshots: a compliant account (the seed's chain for
// every control), and one broken link at a time — each must land on the status and reason that
// docs/audit.md gives, with the real engine deciding what a filter implements.
#include <gtest/gtest.h>

#include <string>

#include "audit/audit.h"
#include "rules/rules.h"

namespace sgwatch::audit {
namespace {

constexpr const char* kAccount = "111122223333";
constexpr const char* kRegion = "us-east-1";
constexpr const char* kLogGroup = "CloudTrail/DefaultLogGroup";
constexpr const char* kTopic = "arn:aws:sns:us-east-1:111122223333:cis-alarms";
constexpr std::int64_t kNow = 1795000000;

std::string metric_of(const std::string& control) { return "cis-" + control; }

// The seed's chain for every control of `pack`: one filter, metric, alarm per control, one topic.
Snapshot compliant(const std::string& pack = "cis-v3") {
  Snapshot s;
  s.account = kAccount;
  s.region = kRegion;
  s.taken_at = kNow;
  Trail trail;
  trail.name = "management";
  trail.arn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/management";
  trail.home_region = kRegion;
  trail.multi_region = true;
  trail.log_group_arn = std::string("arn:aws:logs:us-east-1:111122223333:log-group:") + kLogGroup + ":*";
  trail.logging = true;
  trail.latest_delivery_time = kNow - 300;
  trail.capture = ManagementCapture{true, true, {}, "[]"};
  s.trails.push_back(trail);
  LogGroupFilters group;
  for (const auto& f : rules::find_pack(pack)->filters) {
    if (f.name == "cis-v3-4.2-sso") continue;
    std::string control = f.name.substr(f.name.rfind('-') + 1);
    MetricFilter filter;
    filter.log_group = kLogGroup;
    filter.name = f.name;
    filter.pattern = f.pattern;
    filter.transformations.push_back({metric_of(control), "CISBenchmark", "1", std::nullopt, {}});
    group.filters.push_back(filter);
    Alarm alarm;
    alarm.region = kRegion;
    alarm.name = "alarm-" + control;
    alarm.arn = "arn:aws:cloudwatch:us-east-1:111122223333:alarm:alarm-" + control;
    alarm.metric_name = metric_of(control);
    alarm.metric_namespace = "CISBenchmark";
    alarm.statistic = "Sum";
    alarm.period = 300;
    alarm.evaluation_periods = 1;
    alarm.threshold = 1;
    alarm.comparison_operator = "GreaterThanOrEqualToThreshold";
    alarm.alarm_actions = {kTopic};
    s.alarms.push_back(alarm);
  }
  s.log_groups.emplace(kLogGroup, group);
  Topic topic;
  topic.arn = kTopic;
  topic.subscriptions.push_back({"arn:aws:sns:us-east-1:111122223333:cis-alarms:0f1e", "email", "sec@example.com"});
  s.topics.emplace(kTopic, topic);
  s.security_hub_enabled = true;
  s.security_hub_arn = "arn:aws:securityhub:us-east-1:111122223333:hub/default";
  return s;
}

Report judge(const Snapshot& s, lint::Benchmark benchmark = lint::Benchmark::kCisV3) {
  auto report = evaluate(s, benchmark);
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error());
  return report.ok() ? std::move(report).value() : Report{};
}

// A copy, so that `finding(judge(s), ...)` never refers into a destroyed report.
Finding finding(const Report& report, const std::string& control) {
  for (const auto& f : report.findings) {
    if (f.control == control) return f;
  }
  ADD_FAILURE() << "no finding for " << control;
  return Finding{};
}

MetricFilter& filter_for(Snapshot& s, const std::string& control) {
  for (auto& f : s.log_groups.at(kLogGroup).filters) {
    if (f.name.size() > control.size() && f.name.substr(f.name.size() - control.size() - 1) == "-" + control) return f;
  }
  throw std::runtime_error("no filter for " + control);
}

Alarm& alarm_for(Snapshot& s, const std::string& control) {
  for (auto& a : s.alarms) {
    if (a.name == "alarm-" + control) return a;
  }
  throw std::runtime_error("no alarm for " + control);
}

TEST(AuditEvaluateTest, CompliantAccountPassesEveryControl) {
  Report report = judge(compliant());
  ASSERT_EQ(report.findings.size(), 16u);
  for (const auto& f : report.findings) {
    EXPECT_EQ(f.status, Status::kPass) << f.control << ": " << f.reason;
  }
  const Finding& sg = finding(report, "4.10");
  EXPECT_NE(sg.reason.find("is equivalent"), std::string::npos) << sg.reason;
  EXPECT_EQ(sg.evidence["filter"]["verdict"], "equivalent");
  EXPECT_EQ(sg.evidence["alarm"]["name"], "alarm-4.10");
  EXPECT_EQ(sg.evidence["topic"]["subscriptions"][0]["confirmed"], true);
  EXPECT_FALSE(report.any(Status::kFail));
}

TEST(AuditEvaluateTest, EquivalentRewritePassesWhereTextComparisonFails) {
  Snapshot s = compliant();
  filter_for(s, "4.10").pattern =
      "{($.eventName=DeleteSecurityGroup)||($.eventName=\"CreateSecurityGroup\")||"
      "(($.eventName=RevokeSecurityGroupEgress)||($.eventName=RevokeSecurityGroupIngress))||"
      "($.eventName=AuthorizeSecurityGroupEgress)||($.eventName=AuthorizeSecurityGroupIngress)}";
  const Finding& f = finding(judge(s), "4.10");
  EXPECT_EQ(f.status, Status::kPass) << f.reason;
  EXPECT_EQ(f.evidence["filter"]["verdict"], "equivalent");
}

TEST(AuditEvaluateTest, TunedFilterExcludingADeployerRolePassesAsStricterAndNamesTheExclusion) {
  Snapshot s = compliant();
  filter_for(s, "4.10").pattern =
      "{ (($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
      "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
      "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup)) && "
      "($.userIdentity.arn != \"arn:aws:sts::111122223333:assumed-role/deployer/ci\") }";
  const Finding& f = finding(judge(s), "4.10");
  EXPECT_EQ(f.status, Status::kPass) << f.reason;
  EXPECT_EQ(f.evidence["filter"]["verdict"], "stricter");
  EXPECT_NE(f.reason.find("stricter"), std::string::npos) << f.reason;
  EXPECT_NE(f.reason.find("assumed-role/deployer/ci"), std::string::npos) << f.reason;
  ASSERT_TRUE(f.evidence["filter"].contains("extra_conditions"));
  EXPECT_NE(f.evidence["filter"]["extra_conditions"][0]["example"]["event"].dump().find("deployer"),
            std::string::npos);
}

TEST(AuditEvaluateTest, FilterMissingAnApiFailsWithACounterExample) {
  Snapshot s = compliant();
  filter_for(s, "4.10").pattern =
      "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupIngress) || "
      "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";
  const Finding& f = finding(judge(s), "4.10");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_NE(f.reason.find("AuthorizeSecurityGroupEgress"), std::string::npos) << f.reason;
  ASSERT_TRUE(f.evidence.contains("filters_considered"));
}

// docs/audit.md's comparison with Prowler: the six terms joined with && pass a regex over the
// text, but the filter can never match (one event has one eventName).
TEST(AuditEvaluateTest, TheSixTermsJoinedWithAndNeverMatchAndFail) {
  Snapshot s = compliant();
  filter_for(s, "4.10").pattern =
      "{ ($.eventName = AuthorizeSecurityGroupIngress) && ($.eventName = AuthorizeSecurityGroupEgress) && "
      "($.eventName = RevokeSecurityGroupIngress) && ($.eventName = RevokeSecurityGroupEgress) && "
      "($.eventName = CreateSecurityGroup) && ($.eventName = DeleteSecurityGroup) }";
  const Finding& f = finding(judge(s), "4.10");
  EXPECT_EQ(f.status, Status::kFail);
  // The closest filter of the group is then another control's (the root filter catches the
  // root variants of 4.10's events), and the security-group calls are named as missed.
  EXPECT_NE(f.reason.find("misses AuthorizeSecurityGroupIngress"), std::string::npos) << f.reason;
  // Alone in its log group, the && filter is judged to match nothing 4.10 requires.
  auto& filters = s.log_groups.at(kLogGroup).filters;
  filters.erase(std::remove_if(filters.begin(), filters.end(),
                               [](const MetricFilter& m) { return m.name != "cis-v3-4.10"; }),
                filters.end());
  const Finding& alone = finding(judge(s), "4.10");
  EXPECT_EQ(alone.status, Status::kFail);
  EXPECT_NE(alone.reason.find("none of the 1 metric filters of log group CloudTrail/DefaultLogGroup matches any "
                              "event 4.10 requires"),
            std::string::npos)
      << alone.reason;
}

TEST(AuditEvaluateTest, ABroaderFilterPassesAndSaysSo) {
  Snapshot s = compliant();
  filter_for(s, "4.10").pattern = "{ $.eventName = \"*SecurityGroup*\" }";
  const Finding& f = finding(judge(s), "4.10");
  EXPECT_EQ(f.status, Status::kPass) << f.reason;
  EXPECT_EQ(f.evidence["filter"]["verdict"], "broader");
  EXPECT_TRUE(f.evidence["filter"].contains("extra_matches"));
}

TEST(AuditEvaluateTest, CisV5FailsTheV3FilterWithModifySecurityGroupRulesAsCounterExample) {
  Snapshot s = compliant("cis-v3");
  Report report = judge(s, lint::Benchmark::kCisV5);
  const Finding& f = finding(report, "4.10");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_EQ(f.benchmark, "cis-v5");
  EXPECT_NE(f.reason.find("ModifySecurityGroupRules"), std::string::npos) << f.reason;
  // The v5 seed passes v5.
  EXPECT_EQ(finding(judge(compliant("cis-v5"), lint::Benchmark::kCisV5), "4.10").status, Status::kPass);
}

TEST(AuditEvaluateTest, NamespaceMismatchFails) {
  Snapshot s = compliant();
  alarm_for(s, "4.10").metric_namespace = "LogMetrics";
  const Finding& f = finding(judge(s), "4.10");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_NE(f.reason.find("namespace mismatch"), std::string::npos) << f.reason;
  EXPECT_NE(f.reason.find("LogMetrics"), std::string::npos) << f.reason;
}

TEST(AuditEvaluateTest, AlarmActionsDisabledFails) {
  Snapshot s = compliant();
  alarm_for(s, "4.10").actions_enabled = false;
  const Finding& f = finding(judge(s), "4.10");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_NE(f.reason.find("actions disabled"), std::string::npos) << f.reason;
}

TEST(AuditEvaluateTest, AlarmWithoutSnsActionFails) {
  Snapshot s = compliant();
  alarm_for(s, "4.10").alarm_actions.clear();
  EXPECT_NE(finding(judge(s), "4.10").reason.find("no ALARM action"), std::string::npos);
  alarm_for(s, "4.10").alarm_actions = {"arn:aws:automate:us-east-1:ec2:stop"};
  EXPECT_NE(finding(judge(s), "4.10").reason.find("notifies no SNS topic"), std::string::npos);
}

TEST(AuditEvaluateTest, TopicWithoutSubscriptionsFailsAndPendingOnesDoNotCount) {
  Snapshot s = compliant();
  s.topics.at(kTopic).subscriptions.clear();
  const Finding& none = finding(judge(s), "4.3");
  EXPECT_EQ(none.status, Status::kFail);
  EXPECT_NE(none.reason.find("has no subscriptions"), std::string::npos) << none.reason;
  s.topics.at(kTopic).subscriptions.push_back({"PendingConfirmation", "email", "sec@example.com"});
  Report report = judge(s);
  const Finding& pending = finding(report, "4.3");
  EXPECT_EQ(pending.status, Status::kFail);
  EXPECT_NE(pending.reason.find("1 pending confirmation"), std::string::npos) << pending.reason;
  s.topics.at(kTopic).exists = false;
  EXPECT_NE(finding(judge(s), "4.3").reason.find("does not exist"), std::string::npos);
}

TEST(AuditEvaluateTest, TrailNotMultiRegionOrNotLoggingFailsEveryMetricControl) {
  Snapshot single = compliant();
  single.trails[0].multi_region = false;
  Report report = judge(single);
  for (const auto& f : report.findings) {
    if (f.control == "4.16") continue;
    EXPECT_EQ(f.status, Status::kFail) << f.control;
    EXPECT_NE(f.reason.find("not multi-region"), std::string::npos) << f.reason;
  }
  Snapshot stopped = compliant();
  stopped.trails[0].logging = false;
  const Finding& f = finding(judge(stopped), "4.10");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_NE(f.reason.find("not logging"), std::string::npos) << f.reason;
}

TEST(AuditEvaluateTest, ManagementEventCaptureMustBeReadAndWriteAndKeepTheControlsSource) {
  Snapshot write_only = compliant();
  write_only.trails[0].capture = ManagementCapture{false, true, {}, "[]"};
  EXPECT_NE(finding(judge(write_only), "4.10").reason.find("only write"), std::string::npos);
  Snapshot no_kms = compliant();
  no_kms.trails[0].capture = ManagementCapture{true, true, {"kms.amazonaws.com"}, "[]"};
  Report report = judge(no_kms);
  EXPECT_EQ(finding(report, "4.7").status, Status::kFail);
  EXPECT_NE(finding(report, "4.7").reason.find("excludes kms.amazonaws.com"), std::string::npos);
  EXPECT_EQ(finding(report, "4.10").status, Status::kPass);
}

TEST(AuditEvaluateTest, DeliveryRecencyIsJudgedWhenKnownAndUnknownOtherwise) {
  Snapshot stale = compliant();
  stale.trails[0].latest_delivery_time = kNow - 3 * 24 * 3600;
  const Finding& f = finding(judge(stale), "4.10");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_NE(f.reason.find("72 hours"), std::string::npos) << f.reason;
  Snapshot unknown = compliant();
  unknown.trails[0].latest_delivery_time.reset();
  Report report = judge(unknown);
  const Finding& u = finding(report, "4.10");
  EXPECT_EQ(u.status, Status::kPass) << u.reason;
  EXPECT_EQ(u.evidence["unknown"][0], "LatestCloudWatchLogsDeliveryTime");
  EXPECT_EQ(u.evidence["trail"]["latest_delivery_time"], "unknown");
  Snapshot error = compliant();
  error.trails[0].latest_delivery_error = "AccessDeniedException";
  EXPECT_NE(finding(judge(error), "4.10").reason.find("cannot deliver"), std::string::npos);
}

TEST(AuditEvaluateTest, RefusedReadsAreManualAndNameTheIamAction) {
  Snapshot s = compliant();
  s.log_groups.at(kLogGroup).failure = ReadFailure{"logs:DescribeMetricFilters", true, "AccessDeniedException"};
  const Finding& f = finding(judge(s), "4.10");
  EXPECT_EQ(f.status, Status::kManual);
  ASSERT_EQ(f.permissions.size(), 1u);
  EXPECT_EQ(f.permissions[0], "logs:DescribeMetricFilters");

  Snapshot status = compliant();
  status.trails[0].logging.reset();
  status.trails[0].status_failure = ReadFailure{"cloudtrail:GetTrailStatus", true, "AccessDenied"};
  const Finding& g = finding(judge(status), "4.10");
  EXPECT_EQ(g.status, Status::kManual) << g.reason;
  EXPECT_EQ(g.permissions, std::vector<std::string>{"cloudtrail:GetTrailStatus"});

  Snapshot trails = compliant();
  trails.trails.clear();
  trails.trails_failure = ReadFailure{"cloudtrail:DescribeTrails", true, "AccessDenied"};
  EXPECT_EQ(finding(judge(trails), "4.1").status, Status::kManual);

  Snapshot alarms = compliant();
  alarms.alarms_failure = ReadFailure{"cloudwatch:DescribeAlarms", true, "AccessDenied"};
  EXPECT_EQ(finding(judge(alarms), "4.1").permissions, std::vector<std::string>{"cloudwatch:DescribeAlarms"});

  Snapshot hub = compliant();
  hub.security_hub_enabled.reset();
  hub.security_hub_failure = ReadFailure{"securityhub:DescribeHub", true, "AccessDeniedException"};
  EXPECT_EQ(finding(judge(hub), "4.16").status, Status::kManual);
}

TEST(AuditEvaluateTest, NoTrailFailsAndALogGroupInAnotherAccountIsManual) {
  Snapshot none = compliant();
  none.trails.clear();
  EXPECT_EQ(finding(judge(none), "4.10").status, Status::kFail);
  Snapshot elsewhere = compliant();
  elsewhere.trails[0].log_group_arn = "arn:aws:logs:us-east-1:999988887777:log-group:org-trail:*";
  const Finding& f = finding(judge(elsewhere), "4.10");
  EXPECT_EQ(f.status, Status::kManual);
  EXPECT_NE(f.reason.find("999988887777"), std::string::npos);
}

TEST(AuditEvaluateTest, OneGoodTrailIsEnoughAndTheBestChainIsReported) {
  Snapshot s = compliant();
  Trail bad = s.trails[0];
  bad.name = "regional";
  bad.multi_region = false;
  s.trails.insert(s.trails.begin(), bad);
  EXPECT_EQ(finding(judge(s), "4.10").status, Status::kPass);
}

TEST(AuditEvaluateTest, SecurityHubDisabledFails) {
  Snapshot s = compliant();
  s.security_hub_enabled = false;
  EXPECT_EQ(finding(judge(s), "4.16").status, Status::kFail);
}

TEST(AuditEvaluateTest, AnAlarmMustFireOnOneEvent) {
  Alarm alarm;
  alarm.statistic = "Sum";
  alarm.period = 300;
  alarm.evaluation_periods = 1;
  alarm.threshold = 1;
  alarm.comparison_operator = "GreaterThanOrEqualToThreshold";
  std::string why;
  EXPECT_EQ(fires_on_one_event(alarm, 1.0, why), Fires::kYes) << why;
  alarm.threshold = 2;
  EXPECT_EQ(fires_on_one_event(alarm, 1.0, why), Fires::kNo);
  alarm.comparison_operator = "GreaterThanThreshold";
  alarm.threshold = 0;
  EXPECT_EQ(fires_on_one_event(alarm, 1.0, why), Fires::kYes);
  alarm.threshold = 1;
  EXPECT_EQ(fires_on_one_event(alarm, 1.0, why), Fires::kNo);
  alarm.comparison_operator = "GreaterThanOrEqualToThreshold";
  alarm.evaluation_periods = 3;
  alarm.datapoints_to_alarm = 2;
  EXPECT_EQ(fires_on_one_event(alarm, 1.0, why), Fires::kNo);
  EXPECT_NE(why.find("2 breaching periods of 3"), std::string::npos) << why;
  alarm.treat_missing_data = "breaching";
  EXPECT_EQ(fires_on_one_event(alarm, 1.0, why), Fires::kYes);
  alarm.treat_missing_data.clear();
  alarm.datapoints_to_alarm = 1;
  EXPECT_EQ(fires_on_one_event(alarm, 1.0, why), Fires::kYes);
  alarm.comparison_operator = "LessThanThreshold";
  EXPECT_EQ(fires_on_one_event(alarm, 1.0, why), Fires::kNo);
  alarm.comparison_operator = "GreaterThanOrEqualToThreshold";
  alarm.statistic = "SampleCount";
  EXPECT_EQ(fires_on_one_event(alarm, 0.0, why), Fires::kYes);
  alarm.statistic = "Average";
  EXPECT_EQ(fires_on_one_event(alarm, std::nullopt, why), Fires::kUnknown);
  alarm.metric_math = true;
  EXPECT_EQ(fires_on_one_event(alarm, 1.0, why), Fires::kUnknown);
}

TEST(AuditEvaluateTest, AnAlarmThatCannotFireFailsTheControl) {
  Snapshot s = compliant();
  alarm_for(s, "4.10").threshold = 5;
  const Finding& f = finding(judge(s), "4.10");
  EXPECT_EQ(f.status, Status::kFail);
  EXPECT_NE(f.reason.find("does not fire on one event"), std::string::npos) << f.reason;
}

TEST(AuditEvaluateTest, ParsesLogGroupArns) {
  auto arn = parse_log_group_arn("arn:aws:logs:eu-west-1:111122223333:log-group:a:b/c:*");
  ASSERT_TRUE(arn);
  EXPECT_EQ(arn->region, "eu-west-1");
  EXPECT_EQ(arn->account, "111122223333");
  EXPECT_EQ(arn->name, "a:b/c");
  EXPECT_FALSE(parse_log_group_arn("arn:aws:s3:::bucket"));
  EXPECT_FALSE(parse_log_group_arn("not an arn"));
  EXPECT_FALSE(parse_log_group_arn("arn:aws:logs:::log-group:"));
}

TEST(AuditCollectTest, ManagementCaptureOfBasicAndAdvancedSelectors) {
  auto all = management_capture(nlohmann::json::parse(
      R"({"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":true,"DataResources":[],"ExcludeManagementEventSources":[]}]})"));
  EXPECT_TRUE(all.read);
  EXPECT_TRUE(all.write);
  auto write_only = management_capture(nlohmann::json::parse(
      R"({"EventSelectors":[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true}]})"));
  EXPECT_FALSE(write_only.read);
  EXPECT_TRUE(write_only.write);
  auto data_only = management_capture(nlohmann::json::parse(
      R"({"EventSelectors":[{"ReadWriteType":"All","IncludeManagementEvents":false}]})"));
  EXPECT_FALSE(data_only.read || data_only.write);
  auto advanced = management_capture(nlohmann::json::parse(R"({"AdvancedEventSelectors":[
      {"Name":"mgmt","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},
                                       {"Field":"eventSource","NotEquals":["kms.amazonaws.com"]}]},
      {"Name":"data","FieldSelectors":[{"Field":"eventCategory","Equals":["Data"]}]}]})"));
  EXPECT_TRUE(advanced.read && advanced.write);
  EXPECT_EQ(advanced.excluded_sources, std::vector<std::string>{"kms.amazonaws.com"});
  auto reads = management_capture(nlohmann::json::parse(R"({"AdvancedEventSelectors":[
      {"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["true"]}]},
      {"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]},{"Field":"readOnly","Equals":["false"]},
                         {"Field":"eventSource","NotEquals":["kms.amazonaws.com"]}]}]})"));
  EXPECT_TRUE(reads.read && reads.write);
  EXPECT_TRUE(reads.excluded_sources.empty()) << "kms is captured by the first selector";
}

TEST(AuditRenderTest, JsonFollowsTheContract) {
  Snapshot s = compliant();
  alarm_for(s, "4.10").actions_enabled = false;
  Report report = judge(s);
  auto out = to_json(report);
  EXPECT_EQ(out["account"], kAccount);
  ASSERT_EQ(out["findings"].size(), 16u);
  const auto& f = out["findings"][9];
  EXPECT_EQ(f["control"], "4.10");
  EXPECT_EQ(f["benchmark"], "cis-v3");
  EXPECT_EQ(f["status"], "FAIL");
  EXPECT_TRUE(f["reason"].is_string());
  EXPECT_TRUE(f["evidence"].is_object());
  EXPECT_EQ(out["summary"]["FAIL"], 1);
  EXPECT_EQ(out["summary"]["PASS"], 15);
}

TEST(AuditRenderTest, OcsfAsffAndSarifCarryEveryFindingWithTheirOwnStatusVocabulary) {
  Snapshot s = compliant();
  alarm_for(s, "4.10").actions_enabled = false;
  s.security_hub_enabled.reset();
  s.security_hub_failure = ReadFailure{"securityhub:DescribeHub", true, "AccessDeniedException"};
  Report report = judge(s);
  auto ocsf = to_ocsf(report);
  ASSERT_EQ(ocsf.size(), 16u);
  EXPECT_EQ(ocsf[9]["class_uid"], 2003);
  EXPECT_EQ(ocsf[9]["compliance"]["status"], "Fail");
  EXPECT_EQ(ocsf[9]["compliance"]["control"], "4.10");
  EXPECT_EQ(ocsf[0]["compliance"]["status"], "Pass");
  EXPECT_EQ(ocsf[15]["compliance"]["status"], "Warning");
  EXPECT_EQ(ocsf[9]["cloud"]["account"]["uid"], kAccount);

  auto asff = to_asff(report);
  ASSERT_EQ(asff.size(), 16u);
  EXPECT_EQ(asff[9]["Compliance"]["Status"], "FAILED");
  EXPECT_EQ(asff[0]["Compliance"]["Status"], "PASSED");
  EXPECT_EQ(asff[15]["Compliance"]["Status"], "WARNING");
  EXPECT_EQ(asff[9]["SchemaVersion"], "2018-10-08");
  EXPECT_EQ(asff[9]["AwsAccountId"], kAccount);
  EXPECT_NE(asff[15]["Remediation"]["Recommendation"]["Text"].get<std::string>().find("securityhub:DescribeHub"),
            std::string::npos);

  auto sarif = to_sarif(report);
  EXPECT_EQ(sarif["version"], "2.1.0");
  const auto& results = sarif["runs"][0]["results"];
  ASSERT_EQ(results.size(), 16u);
  EXPECT_EQ(results[9]["kind"], "fail");
  EXPECT_EQ(results[9]["level"], "error");
  EXPECT_EQ(results[0]["kind"], "pass");
  EXPECT_EQ(results[0]["level"], "none");
  EXPECT_EQ(results[15]["kind"], "review");
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["rules"][9]["id"], "cis-v3-4.10");
}

TEST(AuditRenderTest, TableHasALinePerControlAndTheCounts) {
  Snapshot s = compliant();
  alarm_for(s, "4.10").actions_enabled = false;
  std::string table = to_table(judge(s), false);
  EXPECT_NE(table.find("4.10   FAIL"), std::string::npos) << table;
  EXPECT_NE(table.find("4.16   PASS"), std::string::npos) << table;
  EXPECT_NE(table.find("15 PASS, 1 FAIL, 0 MANUAL, 0 NOT_APPLICABLE"), std::string::npos) << table;
  EXPECT_EQ(table.find("\x1b["), std::string::npos);
  EXPECT_NE(to_table(judge(s), true).find("\x1b[31m"), std::string::npos);
}

}  // namespace
}  // namespace sgwatch::audit
