// `sgwatch lint-pattern` through the binary (CONTRACTS.md "sgwatch lint-pattern", docs/lint.md):
// the seed's CIS v3.0.0 4.10 pattern exits 1 listing exactly the APIs it misses, each with a
// counter-example record that the pattern really does not match (checked again with the
// engine); v5.0.0 is equivalent to cis-v5-4.10; --filters with describe-metric-filters output
// (union of filters; the whole sg-all pack exits 0); formats; usage and invalid-pattern errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "pattern/pattern.h"
#include "rules/rules.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace sgwatch::testing {
namespace {

using Json = nlohmann::json;

const std::string kV3 =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";
const std::string kV5 =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || "
    "($.eventName = ModifySecurityGroupRules) }";
const std::set<std::string> kSix = {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
                                    "RevokeSecurityGroupIngress",    "RevokeSecurityGroupEgress",
                                    "CreateSecurityGroup",           "DeleteSecurityGroup"};

ProcessResult lint(std::vector<std::string> args) {
  args.insert(args.begin(), {sgwatch_binary(), "lint-pattern"});
  return run_process(args);
}

std::vector<std::string> sg_all_apis() {
  std::vector<std::string> apis;
  for (const auto& f : rules::find_pack("sg-all")->filters) apis.push_back(f.name.substr(3));
  return apis;
}

std::string write_file(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = (dir.path() / name).string();
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

Json described(const std::vector<std::pair<std::string, std::string>>& filters) {
  Json list = Json::array();
  for (const auto& [name, pattern] : filters) {
    list.push_back({{"filterName", name},
                    {"filterPattern", pattern},
                    {"metricTransformations", Json::array({{{"metricName", name}, {"metricNamespace", "CISBenchmark"}, {"metricValue", "1"}}})},
                    {"creationTime", 1715677200000},
                    {"logGroupName", "CloudTrail/DefaultLogGroup"}});
  }
  return {{"metricFilters", list}};
}

TEST(CliLintPattern, CisV3ExitsOneAndListsEveryMissedApiWithACounterExample) {
  const auto r = lint({kV3});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_EQ(r.err, "");
  const Json doc = Json::parse(r.out);
  ASSERT_TRUE(doc.is_object());
  EXPECT_EQ(doc.size(), 2U);
  const auto v3 = pattern::Matcher::compile(kV3);
  ASSERT_TRUE(v3.ok());
  std::vector<std::string> listed;
  std::set<std::string> missed;
  for (const Json& api : doc["apis"]) {
    ASSERT_EQ(api.size(), 3U) << api.dump();
    listed.push_back(api["api"].get<std::string>());
    const std::string name = api["api"];
    if (api["covered"].get<bool>()) {
      EXPECT_TRUE(kSix.count(name)) << name;
      EXPECT_TRUE(api["example"].is_null());
      continue;
    }
    missed.insert(name);
    ASSERT_TRUE(api["example"].is_object()) << name;
    EXPECT_FALSE(v3->matches(api["example"].dump())) << "counter-example for " << name << " is matched";
    EXPECT_FALSE(api["example"].contains("errorCode")) << "the counter-example is the successful call";
  }
  EXPECT_EQ(listed, sg_all_apis());
  std::set<std::string> expected;
  for (const auto& api : sg_all_apis()) {
    if (!kSix.count(api)) expected.insert(api);
  }
  EXPECT_EQ(missed, expected);
  for (const char* api : {"ModifySecurityGroupRules", "UpdateSecurityGroupRuleDescriptionsIngress", "AssociateSecurityGroupVpc",
                          "ModifyInstanceAttribute", "ModifyNetworkInterfaceAttribute", "RunInstances", "CreateNetworkInterface",
                          "ModifyMountTargetSecurityGroups", "CreateDBInstance", "UpdateFunctionConfiguration"}) {
    EXPECT_TRUE(missed.count(api)) << api;
  }
  EXPECT_EQ(doc["profiles"], (Json{{"cis-v3-4.10", "equivalent"}, {"cis-v5-4.10", "stricter"}}));
  EXPECT_EQ(r.out.find("\"apis\""), 6U) << "printed as the AWS CLI prints JSON (4-space indent)";
}

TEST(CliLintPattern, CisV5IsEquivalentForItsProfile) {
  const auto r = lint({"--format", "json", kV5});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const Json doc = Json::parse(r.out);
  EXPECT_EQ(doc["profiles"]["cis-v5-4.10"], "equivalent");
  EXPECT_EQ(doc["profiles"]["cis-v3-4.10"], "broader");
  for (const Json& api : doc["apis"]) {
    if (api["api"] == "ModifySecurityGroupRules") {
      EXPECT_TRUE(api["covered"].get<bool>());
    }
  }
}

TEST(CliLintPattern, ARewriteIsEquivalentAndStricterNamesVariantGaps) {
  const auto rewrite = lint({"{ ($.eventName = \"CreateSecurityGroup\") || (($.eventName = DeleteSecurityGroup)) || "
                             "($.eventName = RevokeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || "
                             "($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = \"AuthorizeSecurityGroupIngress\") }"});
  ASSERT_EQ(rewrite.exit_code, 1) << rewrite.err;
  EXPECT_EQ(Json::parse(rewrite.out)["profiles"]["cis-v3-4.10"], "equivalent");

  const std::string inner = kV3.substr(1, kV3.size() - 2);
  const auto strict = lint({"--format", "jsonl", "{ (" + inner + ") && $.errorCode NOT EXISTS }"});
  ASSERT_EQ(strict.exit_code, 1) << strict.err;
  std::istringstream lines(strict.out);
  std::string line;
  std::vector<Json> docs;
  while (std::getline(lines, line)) docs.push_back(Json::parse(line));
  ASSERT_EQ(docs.size(), sg_all_apis().size() + 1);
  EXPECT_EQ(docs.back(), (Json{{"profiles", {{"cis-v3-4.10", "stricter"}, {"cis-v5-4.10", "stricter"}}}}));
  const Json& ingress = docs[0];
  EXPECT_EQ(ingress["api"], "AuthorizeSecurityGroupIngress");
  EXPECT_TRUE(ingress["covered"].get<bool>());
  EXPECT_TRUE(ingress["example"].is_null());
  std::set<std::string> variants;
  for (const Json& gap : ingress["missedVariants"]) {
    variants.insert(gap["variant"].get<std::string>());
    EXPECT_TRUE(gap["example"].contains("errorCode"));
  }
  EXPECT_EQ(variants, (std::set<std::string>{"failed", "dry-run"}));
}

TEST(CliLintPattern, BroaderAndNeverMatching) {
  const auto broad = lint({"{ $.eventSource = ec2.amazonaws.com }"});
  ASSERT_EQ(broad.exit_code, 1) << broad.err;
  EXPECT_EQ(Json::parse(broad.out)["profiles"], (Json{{"cis-v3-4.10", "broader"}, {"cis-v5-4.10", "broader"}}));
  const auto never = lint({"{ $.eventName = \"NoSuchEvent\" }"});
  ASSERT_EQ(never.exit_code, 1) << never.err;
  const Json doc = Json::parse(never.out);
  EXPECT_EQ(doc["profiles"], (Json{{"cis-v3-4.10", "never-matches"}, {"cis-v5-4.10", "never-matches"}}));
  for (const Json& api : doc["apis"]) EXPECT_FALSE(api["covered"].get<bool>());
}

TEST(CliLintPattern, FiltersFileCoversAnApiWhenAnyFilterMatches) {
  const TempDir dir("sgwatch-lint");
  const std::string two = write_file(dir, "two.json",
                                     described({{"SecurityGroupChanges", kV3},
                                                {"SecurityGroupRuleEdits", "{ $.eventName = ModifySecurityGroupRules }"}})
                                         .dump(4));
  const auto r = lint({"--filters", two});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  const Json doc = Json::parse(r.out);
  std::set<std::string> covered;
  for (const Json& api : doc["apis"]) {
    if (api["covered"].get<bool>()) covered.insert(api["api"].get<std::string>());
  }
  std::set<std::string> expected = kSix;
  expected.insert("ModifySecurityGroupRules");
  EXPECT_EQ(covered, expected);
  EXPECT_EQ(doc["profiles"]["cis-v5-4.10"], "equivalent");
  EXPECT_EQ(doc["profiles"]["cis-v3-4.10"], "broader");

  std::vector<std::pair<std::string, std::string>> all;
  for (const auto& f : rules::find_pack("sg-all")->filters) all.emplace_back(f.name, f.pattern);
  const std::string every = write_file(dir, "sg-all.json", described(all).dump());
  const auto ok = lint({"--filters", every, "--format", "json"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const Json answer = Json::parse(ok.out);  // named: a range-for over a temporary's member dangles
  for (const Json& api : answer["apis"]) EXPECT_TRUE(api["covered"].get<bool>()) << api["api"];
}

TEST(CliLintPattern, TableFormat) {
  const auto r = lint({"--format", "table", kV5});
  ASSERT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.out.find("✓ ModifySecurityGroupRules"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("✗ RunInstances"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cis-v5-4.10  equivalent"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("25 of 32 APIs not covered"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\x1b["), std::string::npos) << "no colour off a terminal";
}

TEST(CliLintPattern, Errors) {
  const auto invalid = lint({"{ $.eventName = "});
  EXPECT_EQ(invalid.exit_code, 2);
  EXPECT_EQ(invalid.out, "");
  EXPECT_EQ(invalid.err.rfind("sgwatch: invalid filter pattern: ", 0), 0U) << invalid.err;
  EXPECT_EQ(std::count(invalid.err.begin(), invalid.err.end(), '\n'), 1);

  const auto neither = lint({});
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_EQ(neither.out, "");
  const auto both = lint({kV3, "--filters", "/nonexistent.json"});
  EXPECT_EQ(both.exit_code, 2);
  EXPECT_EQ(both.out, "");
  const auto missing = lint({"--filters", "/nonexistent/filters.json"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.out, "");
  EXPECT_NE(missing.err.find("cannot read /nonexistent/filters.json"), std::string::npos) << missing.err;

  const TempDir dir("sgwatch-lint");
  const std::string bad = write_file(dir, "bad.json", described({{"broken", "{ $.x = "}}).dump());
  const auto invalid_filter = lint({"--filters", bad});
  EXPECT_EQ(invalid_filter.exit_code, 2);
  EXPECT_EQ(invalid_filter.out, "");
  EXPECT_EQ(invalid_filter.err.rfind("sgwatch: invalid filter: ", 0), 0U) << invalid_filter.err;
  const std::string not_json = write_file(dir, "not.json", "not json");
  EXPECT_EQ(lint({"--filters", not_json}).exit_code, 2);
  EXPECT_EQ(lint({"--format", "xml", kV3}).exit_code, 2);
}

}  // namespace
}  // namespace sgwatch::testing
