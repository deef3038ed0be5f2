// The chain that apply creates and export writes: one filter/alarm per control with the
// benchmark's exact pattern, and the three export formats carrying it faithfully (the patterns
// survive JSON, HCL and shell quoting byte for byte).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "audit/chain.h"
#include "rules/rules.h"
#include "support/subprocess.h"

namespace sgwatch::audit {
namespace {

ChainSpec spec(lint::Benchmark benchmark = lint::Benchmark::kCisV3) {
  ChainSpec s;
  s.benchmark = benchmark;
  s.log_group = "CloudTrail/management";
  s.emails = {"sec@example.com", "oncall+cis@example.org"};
  return s;
}

std::string pack_pattern(const std::string& pack, const std::string& filter) {
  for (const auto& f : rules::find_pack(pack)->filters) {
    if (f.name == filter) return f.pattern;
  }
  return {};
}

// Reverses hcl_string (the escapes it writes) for the round-trip checks.
std::string hcl_unquote(const std::string& literal) {
  std::string out;
  for (std::size_t i = 1; i + 1 < literal.size(); ++i) {
    char c = literal[i];
    if (c == '\\' && i + 2 < literal.size()) {
      char n = literal[++i];
      out += n == 'n' ? '\n' : n == 'r' ? '\r' : n == 't' ? '\t' : n;
    } else if ((c == '$' || c == '%') && i + 2 < literal.size() && literal[i + 1] == c && literal[i + 2] == '{') {
      out += c;
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

TEST(AuditChainTest, OneItemPerControlWithTheBenchmarksPattern) {
  auto v3 = chain_items(spec());
  ASSERT_EQ(v3.size(), 15u);
  EXPECT_EQ(v3.front().control, "4.1");
  EXPECT_EQ(v3.back().control, "4.15");
  for (const auto& item : v3) {
    EXPECT_EQ(item.pattern, pack_pattern("cis-v3", item.filter_name)) << item.control;
    EXPECT_EQ(item.alarm_name, item.filter_name + "-alarm");
    EXPECT_FALSE(item.title.empty());
  }
  auto v5 = chain_items(spec(lint::Benchmark::kCisV5));
  ASSERT_EQ(v5.size(), 15u);
  EXPECT_EQ(v5[9].filter_name, "cis-v5-4.10");
  EXPECT_NE(v5[9].pattern.find("ModifySecurityGroupRules"), std::string::npos);
}

TEST(AuditChainTest, CloudFormationTemplateHasEveryResourceWithTheExactPatterns) {
  auto doc = nlohmann::json::parse(export_cloudformation(spec()));
  EXPECT_EQ(doc["AWSTemplateFormatVersion"], "2010-09-09");
  EXPECT_EQ(doc["Parameters"]["LogGroupName"]["Default"], "CloudTrail/management");
  const auto& resources = doc["Resources"];
  EXPECT_EQ(resources.size(), 1u + 2u + 15u + 15u);
  EXPECT_EQ(resources["AlarmTopic"]["Type"], "AWS::SNS::Topic");
  EXPECT_EQ(resources["AlarmSubscription1"]["Properties"]["Endpoint"], "oncall+cis@example.org");
  const auto& filter = resources["MetricFilter4x10"];
  EXPECT_EQ(filter["Type"], "AWS::Logs::MetricFilter");
  EXPECT_EQ(filter["Properties"]["FilterPattern"], pack_pattern("cis-v3", "cis-v3-4.10"));
  EXPECT_EQ(filter["Properties"]["LogGroupName"]["Ref"], "LogGroupName");
  const auto& alarm = resources["Alarm4x10"]["Properties"];
  EXPECT_EQ(alarm["MetricName"], filter["Properties"]["MetricTransformations"][0]["MetricName"]);
  EXPECT_EQ(alarm["Namespace"], "CISBenchmark");
  EXPECT_EQ(alarm["Statistic"], "Sum");
  EXPECT_EQ(alarm["Period"], 300);
  EXPECT_EQ(alarm["Threshold"], 1.0);
  EXPECT_EQ(alarm["ComparisonOperator"], "GreaterThanOrEqualToThreshold");
  EXPECT_EQ(alarm["AlarmActions"][0]["Ref"], "AlarmTopic");
}

TEST(AuditChainTest, TerraformCarriesEveryPatternThroughHclQuoting) {
  std::string tf = export_terraform(spec());
  std::regex pattern_line(R"re(\n  pattern        = (".*")\n)re");
  std::vector<std::string> found;
  for (auto it = std::sregex_iterator(tf.begin(), tf.end(), pattern_line); it != std::sregex_iterator(); ++it) {
    found.push_back(hcl_unquote((*it)[1].str()));
  }
  auto items = chain_items(spec());
  ASSERT_EQ(found.size(), items.size());
  for (std::size_t i = 0; i < items.size(); ++i) EXPECT_EQ(found[i], items[i].pattern) << items[i].control;
  EXPECT_NE(tf.find("resource \"aws_cloudwatch_metric_alarm\" \"cis_v3_4_10\""), std::string::npos);
  EXPECT_NE(tf.find("alarm_actions       = [aws_sns_topic.cis_alarms.arn]"), std::string::npos);
  EXPECT_NE(tf.find("endpoint  = \"oncall+cis@example.org\""), std::string::npos);
}

TEST(AuditChainTest, HclStringEscapesQuotesBackslashesAndTemplateSequences) {
  EXPECT_EQ(hcl_string(R"({ $.a = "x\y" })"), R"("{ $.a = \"x\\y\" }")");
  EXPECT_EQ(hcl_string("${var} %{if} $x %x"), "\"$${var} %%{if} $x %x\"");
  EXPECT_EQ(hcl_unquote(hcl_string("a\nb${c}\"")), "a\nb${c}\"");
}

TEST(AuditChainTest, ShellQuotingRoundTripsThroughARealShell) {
  for (std::string text : {std::string("plain"), std::string("it's"), std::string("{ $.a = \"b\" || $.c != '*' }"),
                           std::string("$(rm -rf /) `x` \\ !"), std::string()}) {
    auto result = testing::run_process({"/bin/sh", "-c", "printf %s " + shell_quote(text)});
    EXPECT_EQ(result.exit_code, 0);
    EXPECT_EQ(result.out, text);
  }
}

TEST(AuditChainTest, AwsCliScriptIsValidShellAndNamesEveryResource) {
  std::string script = export_aws_cli(spec());
  auto syntax = testing::run_process({"/bin/sh", "-n", "/dev/stdin"}, script);
  EXPECT_EQ(syntax.exit_code, 0) << syntax.err;
  for (const auto& item : chain_items(spec())) {
    EXPECT_NE(script.find("--filter-pattern " + shell_quote(item.pattern)), std::string::npos) << item.control;
    EXPECT_NE(script.find("--alarm-name " + shell_quote(item.alarm_name)), std::string::npos) << item.control;
  }
  EXPECT_NE(script.find("--notification-endpoint 'oncall+cis@example.org'"), std::string::npos);
}

}  // namespace
}  // namespace sgwatch::audit
