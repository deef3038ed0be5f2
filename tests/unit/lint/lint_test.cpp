// The lint module (src/lint): the corpus against the sg-all pack (one source of truth for the
// APIs in scope), coverage and counter-examples checked again with the real matcher, the verdict
// table, verdicts of rewritten / stricter / broader / disjoint / never-matching patterns (never
// by text), and the real captures of ../shared/data/cloudtrail matched exactly as their
// synthetic siblings are.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "event/reader.h"
#include "lint/lint.h"
#include "rules/rules.h"
#include "scan/filters.h"
#include "support/subprocess.h"

namespace sgwatch::lint {
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

pattern::Matcher compile(const std::string& text) {
  auto m = pattern::Matcher::compile(text);
  if (!m) throw std::runtime_error("bad pattern in test: " + text + ": " + m.error().describe());
  return *m;
}

Report lint_pattern(const std::string& text) {
  const std::vector<pattern::Matcher> filters{compile(text)};
  auto report = lint(filters);
  if (!report) throw std::runtime_error(report.error());
  return *report;
}

std::string verdict_of(const Report& report, const std::string& profile) {
  for (const auto& p : report.profiles) {
    if (p.profile == profile) return std::string(verdict_name(p.verdict));
  }
  return "(none)";
}

const ApiCoverage& api_of(const Report& report, const std::string& api) {
  for (const auto& a : report.apis) {
    if (a.api == api) return a;
  }
  throw std::runtime_error("no API " + api);
}

std::set<std::string> missed_variants(const ApiCoverage& api) {
  std::set<std::string> out;
  for (const auto& gap : api.missed) out.insert(gap.variant);
  return out;
}

const Corpus& the_corpus() {
  const auto& c = corpus();
  if (!c) throw std::runtime_error(c.error());
  return *c;
}

// ---- the corpus ---------------------------------------------------------------------------

TEST(LintCorpus, ScopeIsTheSgAllPack) {
  const rules::Pack* pack = rules::find_pack("sg-all");
  ASSERT_NE(pack, nullptr);
  const Corpus& c = the_corpus();
  ASSERT_EQ(c.apis.size(), pack->filters.size());
  for (std::size_t i = 0; i < c.apis.size(); ++i) EXPECT_EQ("sg-" + c.apis[i], pack->filters[i].name);
  ASSERT_EQ(c.success_index.size(), c.apis.size());
  for (std::size_t i = 0; i < c.apis.size(); ++i) {
    const CorpusEvent& e = c.events[c.success_index[i]];
    EXPECT_EQ(e.api, c.apis[i]);
    EXPECT_EQ(e.variant, "success");
    EXPECT_EQ(e.outcome, Outcome::kSuccess);
  }
  // The spec's grouped rows, expanded one API each.
  for (const char* api : {"UpdateSecurityGroupRuleDescriptionsIngress", "UpdateSecurityGroupRuleDescriptionsEgress",
                          "CreateLaunchTemplate", "CreateLaunchTemplateVersion", "ModifyVpcEndpoint", "CreateVpcEndpoint",
                          "ApplySecurityGroupsToClientVpnTargetNetwork", "ModifyClientVpnEndpoint",
                          "ModifyMountTargetSecurityGroups", "CreateDBInstance", "ModifyDBInstance", "SetSecurityGroups",
                          "ApplySecurityGroupsToLoadBalancer", "UpdateFunctionConfiguration",
                          "AuthorizeDBSecurityGroupIngress", "CreateTags", "DeleteTags"}) {
    EXPECT_NE(std::find(c.apis.begin(), c.apis.end(), api), c.apis.end()) << api;
  }
}

TEST(LintCorpus, EveryRecordIsCloudTrailShaped) {
  const Corpus& c = the_corpus();
  std::set<std::string> ids;
  for (const CorpusEvent& e : c.events) {
    const Json r = Json::parse(e.text, nullptr, false);
    ASSERT_FALSE(r.is_discarded()) << e.api << "/" << e.variant;
    EXPECT_EQ(r["eventName"], e.event_name);
    EXPECT_EQ(r["eventSource"], e.event_source);
    EXPECT_TRUE(r.contains("userIdentity") && r["userIdentity"].contains("type"));
    EXPECT_TRUE(r.contains("requestParameters"));
    EXPECT_TRUE(r.contains("responseElements"));
    EXPECT_TRUE(r["readOnly"].is_boolean());
    EXPECT_EQ(r["eventType"], "AwsApiCall");
    EXPECT_TRUE(ids.insert(r["eventID"].get<std::string>()).second) << "eventIDs are unique";
    if (e.outcome == Outcome::kSuccess) {
      EXPECT_FALSE(r.contains("errorCode"));
    } else {
      EXPECT_TRUE(r["responseElements"].is_null());
      ASSERT_TRUE(r.contains("errorCode") && r["errorCode"].is_string());
      EXPECT_EQ(r["errorCode"] == "Client.DryRunOperation", e.outcome == Outcome::kDryRun);
    }
    if (r["eventVersion"] == "1.05") {
      EXPECT_FALSE(r.contains("managementEvent"));
    } else {
      EXPECT_EQ(r["managementEvent"], true);
    }
  }
}

TEST(LintCorpus, VariantsCoverOutcomesIdentitiesRegionsVersionsAndRuleShapes) {
  const Corpus& c = the_corpus();
  std::map<std::string, std::set<std::string>> variants;
  std::set<std::string> identities;
  std::set<std::string> regions;
  std::set<std::string> versions;
  for (const CorpusEvent& e : c.events) {
    if (e.api.empty()) continue;
    variants[e.api].insert(e.variant);
    const Json r = Json::parse(e.text);
    identities.insert(r["userIdentity"]["type"].get<std::string>() +
                      (r["userIdentity"].contains("invokedBy") ? "+invokedBy" : ""));
    regions.insert(r["awsRegion"].get<std::string>());
    versions.insert(r["eventVersion"].get<std::string>());
  }
  for (const auto& api : c.apis) {
    for (const char* v : {"success", "failed", "assumed-role", "root", "aws-service", "region-eu-west-1",
                          "event-version-1.05", "event-version-1.10"}) {
      EXPECT_TRUE(variants[api].count(v)) << api << " lacks " << v;
    }
  }
  EXPECT_TRUE(variants["RunInstances"].count("dry-run"));
  EXPECT_FALSE(variants["ModifyMountTargetSecurityGroups"].count("dry-run")) << "only EC2 has DryRun";
  for (const char* api : {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress"}) {
    for (const char* v : {"ipv6", "prefix-list", "referenced-group", "legacy-flat", "all-protocols"}) {
      EXPECT_TRUE(variants[api].count(v)) << api << " lacks " << v;
    }
  }
  EXPECT_TRUE(variants["RevokeSecurityGroupIngress"].count("legacy-flat"));
  EXPECT_TRUE(variants["RevokeSecurityGroupEgress"].count("by-rule-id"));
  EXPECT_EQ(identities, (std::set<std::string>{"IAMUser", "AssumedRole", "AssumedRole+invokedBy", "Root"}));
  EXPECT_GE(regions.size(), 3U);
  EXPECT_EQ(versions, (std::set<std::string>{"1.05", "1.08", "1.09", "1.10"}));
}

// sg-all and the corpus agree: every variant of every API is caught, no near miss is.
TEST(LintCorpus, SgAllPackMatchesEveryVariantAndNoNearMiss) {
  scan::FilterSet filters;
  ASSERT_TRUE(filters.add_pack("sg-all").ok());
  auto report = lint(filters);
  ASSERT_TRUE(report.ok()) << report.error();
  EXPECT_TRUE(report->all_covered());
  for (const auto& api : report->apis) {
    EXPECT_TRUE(api.covered) << api.api;
    EXPECT_EQ(api.example, nullptr);
    EXPECT_TRUE(api.missed.empty()) << api.api << " misses " << (api.missed.empty() ? "" : api.missed[0].variant);
  }
  std::vector<pattern::Matcher> matchers;
  for (const auto& f : filters.filters()) matchers.push_back(f.matcher);
  std::size_t near_misses = 0;
  for (const CorpusEvent& e : the_corpus().events) {
    if (!e.api.empty()) continue;
    ++near_misses;
    EXPECT_FALSE(any_matches(matchers, e.text)) << e.variant;
  }
  EXPECT_GE(near_misses, 12U);
  EXPECT_EQ(verdict_of(*report, "cis-v3-4.10"), "broader");
  EXPECT_EQ(verdict_of(*report, "cis-v5-4.10"), "broader");
}

// ---- verdicts -----------------------------------------------------------------------------

TEST(LintVerdict, CompareTable) {
  using V = std::vector<bool>;
  EXPECT_EQ(compare(V{false, false}, V{true, false}), Verdict::kNeverMatches);
  EXPECT_EQ(compare(V{false, false}, V{false, false}), Verdict::kNeverMatches);
  EXPECT_EQ(compare(V{true, false}, V{true, false}), Verdict::kEquivalent);
  EXPECT_EQ(compare(V{true, false, false}, V{true, true, false}), Verdict::kStricter);
  EXPECT_EQ(compare(V{true, true, false}, V{true, false, false}), Verdict::kBroader);
  EXPECT_EQ(compare(V{true, true, false}, V{false, true, true}), Verdict::kPartial);
  EXPECT_EQ(compare(V{true, false}, V{false, true}), Verdict::kPartial) << "disjoint sets are partial";
}

TEST(LintPattern, CisV3MissesEveryApiBeyondTheSixWithCounterExamples) {
  const Report report = lint_pattern(kV3);
  EXPECT_FALSE(report.all_covered());
  const pattern::Matcher v3 = compile(kV3);
  std::set<std::string> missed;
  for (const auto& api : report.apis) {
    if (api.covered) {
      EXPECT_TRUE(kSix.count(api.api)) << api.api;
      EXPECT_EQ(api.example, nullptr);
      EXPECT_TRUE(api.missed.empty()) << "eventName only: no variant lost for " << api.api;
      continue;
    }
    missed.insert(api.api);
    ASSERT_NE(api.example, nullptr) << api.api;
    EXPECT_EQ(api.example->api, api.api);
    EXPECT_FALSE(v3.matches(api.example->text)) << "the counter-example really is missed: " << api.api;
  }
  std::set<std::string> expected;
  for (const auto& api : apis_in_scope()) {
    if (!kSix.count(api)) expected.insert(api);
  }
  EXPECT_EQ(missed, expected);
  EXPECT_EQ(missed.size(), 26U);
  EXPECT_TRUE(missed.count("ModifySecurityGroupRules"));
  EXPECT_EQ(verdict_of(report, "cis-v3-4.10"), "equivalent");
  EXPECT_EQ(verdict_of(report, "cis-v5-4.10"), "stricter");
}

TEST(LintPattern, CisV5IsEquivalentToItsProfile) {
  const Report report = lint_pattern(kV5);
  EXPECT_EQ(verdict_of(report, "cis-v5-4.10"), "equivalent");
  EXPECT_EQ(verdict_of(report, "cis-v3-4.10"), "broader");
  EXPECT_TRUE(api_of(report, "ModifySecurityGroupRules").covered);
  EXPECT_FALSE(api_of(report, "RunInstances").covered);
}

TEST(LintPattern, RewritesOfV3AreEquivalentNotComparedAsText) {
  for (const std::string& rewrite : {
           std::string("{ ($.eventName = \"CreateSecurityGroup\") || (($.eventName = DeleteSecurityGroup) || "
                       "($.eventName = RevokeSecurityGroupEgress)) || ($.eventName = RevokeSecurityGroupIngress) || "
                       "(($.eventName = AuthorizeSecurityGroupEgress)) || ($.eventName = \"AuthorizeSecurityGroupIngress\") }"),
           std::string("{$.eventName=AuthorizeSecurityGroupIngress||$.eventName=AuthorizeSecurityGroupEgress||"
                       "$.eventName=RevokeSecurityGroupIngress||$.eventName=RevokeSecurityGroupEgress||"
                       "$.eventName=CreateSecurityGroup||$.eventName=DeleteSecurityGroup}"),
       }) {
    const Report report = lint_pattern(rewrite);
    EXPECT_EQ(verdict_of(report, "cis-v3-4.10"), "equivalent") << rewrite;
    EXPECT_EQ(verdict_of(report, "cis-v5-4.10"), "stricter") << rewrite;
  }
}

TEST(LintPattern, StricterPatternsNameTheVariantsTheyLose) {
  const std::string inner = kV3.substr(1, kV3.size() - 2);
  const Report no_errors = lint_pattern("{ (" + inner + ") && $.errorCode NOT EXISTS }");
  EXPECT_EQ(verdict_of(no_errors, "cis-v3-4.10"), "stricter");
  EXPECT_EQ(verdict_of(no_errors, "cis-v5-4.10"), "stricter");
  for (const auto& api : kSix) {
    const ApiCoverage& a = api_of(no_errors, api);
    EXPECT_TRUE(a.covered) << api;
    EXPECT_EQ(missed_variants(a), (std::set<std::string>{"failed", "dry-run"})) << api;
    for (const auto& gap : a.missed) {
      ASSERT_NE(gap.event, nullptr);
      EXPECT_NE(gap.event->text.find("\"errorCode\""), std::string::npos);
    }
  }
  const Report one_region = lint_pattern("{ (" + inner + ") && $.awsRegion = us-east-1 }");
  EXPECT_EQ(verdict_of(one_region, "cis-v3-4.10"), "stricter");
  EXPECT_EQ(missed_variants(api_of(one_region, "CreateSecurityGroup")),
            (std::set<std::string>{"region-eu-west-1", "region-ap-southeast-2"}));
}

TEST(LintPattern, EventSourceAloneIsBroader) {
  const Report report = lint_pattern("{ $.eventSource = ec2.amazonaws.com }");
  EXPECT_EQ(verdict_of(report, "cis-v3-4.10"), "broader");
  EXPECT_EQ(verdict_of(report, "cis-v5-4.10"), "broader");
  EXPECT_TRUE(api_of(report, "RunInstances").covered);
  EXPECT_FALSE(api_of(report, "ModifyMountTargetSecurityGroups").covered);
  EXPECT_FALSE(api_of(report, "UpdateFunctionConfiguration").covered);
}

TEST(LintPattern, NeverMatchingAndDisjointPatterns) {
  const Report never = lint_pattern("{ $.eventName = \"NoSuchEvent\" }");
  EXPECT_EQ(verdict_of(never, "cis-v3-4.10"), "never-matches");
  EXPECT_EQ(verdict_of(never, "cis-v5-4.10"), "never-matches");
  for (const auto& api : never.apis) EXPECT_FALSE(api.covered);

  const Report other = lint_pattern("{ ($.eventName = RunInstances) || ($.eventName = ModifySecurityGroupRules) }");
  EXPECT_EQ(verdict_of(other, "cis-v3-4.10"), "partial");
  EXPECT_EQ(verdict_of(other, "cis-v5-4.10"), "partial");
  // Look-alike names are near misses: a wildcard prefix catches them, so it is broader.
  const Report prefix = lint_pattern("{ ($.eventName = AuthorizeSecurityGroup*) || ($.eventName = RevokeSecurityGroupIngress) || "
                                     "($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || "
                                     "($.eventName = DeleteSecurityGroup) }");
  EXPECT_EQ(verdict_of(prefix, "cis-v3-4.10"), "broader");
  // A term pattern matches the LookupEvents and PutMetricFilter records that only mention the name.
  const Report term = lint_pattern("AuthorizeSecurityGroupIngress");
  EXPECT_EQ(verdict_of(term, "cis-v3-4.10"), "partial");
}

TEST(LintPattern, UnionOfSeveralFilters) {
  const std::vector<pattern::Matcher> filters{compile(kV3), compile("{ $.eventName = ModifySecurityGroupRules }")};
  auto report = lint(filters);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(verdict_of(*report, "cis-v5-4.10"), "equivalent");
  EXPECT_TRUE(api_of(*report, "ModifySecurityGroupRules").covered);
  const std::vector<pattern::Matcher> none;
  auto empty = lint(none);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(verdict_of(*empty, "cis-v3-4.10"), "never-matches");
  EXPECT_FALSE(empty->all_covered());
}

// ---- the real captures --------------------------------------------------------------------

std::string string_field(const Json& record, const char* key) {
  return record.contains(key) && record[key].is_string() ? record[key].get<std::string>() : std::string();
}

struct Capture {
  std::string file;
  std::string text;
  Json json;
};

std::vector<Capture> real_captures() {
  namespace fs = std::filesystem;
  std::vector<Capture> out;
  const fs::path root = testing::shared_dir() + "/data/cloudtrail";
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (entry.is_regular_file() && entry.path().extension() != ".md") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  const event::Reader reader;
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    const std::string data = bytes.str();
    const event::ReadResult read = reader.read(data, [&](const event::Record& record) {
      Json value = Json::parse(record.text, nullptr, false);
      if (value.is_discarded() || !value.is_object()) return;
      // Panther's fixtures wrap the event: {"_rule_id": ..., "event": {...}}.
      if (!value.contains("eventName") && value.contains("event") && value["event"].is_object()) {
        Json inner = value["event"];
        out.push_back({path.string(), inner.dump(), std::move(inner)});
        return;
      }
      out.push_back({path.string(), std::string(record.text), std::move(value)});
    });
    if (!read.skipped) continue;
    // Panther's fixtures are a test-harness container the reader rightly skips: one
    // {"_rule_id": ..., "event": {...}} per line.
    std::istringstream lines(data);
    std::string line;
    while (std::getline(lines, line)) {
      const Json value = Json::parse(line, nullptr, false);
      if (value.is_discarded() || !value.is_object() || !value.contains("event") || !value["event"].is_object()) continue;
      Json inner = value["event"];
      out.push_back({path.string(), inner.dump(), std::move(inner)});
    }
  }
  return out;
}

TEST(LintCaptures, RealCapturesOfInScopeApisMatchLikeTheirSyntheticSiblings) {
  const Corpus& c = the_corpus();
  const rules::Pack* sg_all = rules::find_pack("sg-all");
  ASSERT_NE(sg_all, nullptr);
  // Patterns over the fields a sibling shares with the capture: eventName, eventSource, errorCode.
  const std::string inner = kV3.substr(1, kV3.size() - 2);
  const std::vector<std::string> patterns = {
      kV3, kV5, "{ $.eventSource = ec2.amazonaws.com }", "{ (" + inner + ") && $.errorCode NOT EXISTS }",
      "{ $.errorCode = * }", "{ ($.eventName = RunInstances) || ($.eventName = ModifyMountTargetSecurityGroups) }",
      "{ $.eventName = UpdateFunctionConfiguration* }", "{ $.eventName = UpdateFunctionConfiguration }"};
  std::vector<pattern::Matcher> matchers;
  for (const auto& p : patterns) matchers.push_back(compile(p));

  std::size_t checked = 0;
  std::set<std::string> apis_seen;
  for (const Capture& capture : real_captures()) {
    const std::string name = string_field(capture.json, "eventName");
    const std::string source = string_field(capture.json, "eventSource");
    for (std::size_t a = 0; a < c.apis.size(); ++a) {
      const CorpusEvent& success = c.events[c.success_index[a]];
      if (success.event_name != name || success.event_source != source) continue;
      // In scope only when it changes a group, i.e. sg-all's filter of the API catches it.
      const pattern::Matcher sg_filter = compile(sg_all->filters[a].pattern);
      if (!sg_filter.matches(capture.text)) continue;
      const std::string code = string_field(capture.json, "errorCode");
      const std::string outcome = code.empty() ? "success" : code == "Client.DryRunOperation" ? "dry-run" : "failed";
      const CorpusEvent* sibling = nullptr;
      for (std::size_t i = c.success_index[a]; i < c.events.size() && c.events[i].api == c.apis[a]; ++i) {
        if (c.events[i].variant == outcome) sibling = &c.events[i];
      }
      ASSERT_NE(sibling, nullptr) << c.apis[a] << " has no " << outcome << " variant (" << capture.file << ")";
      EXPECT_TRUE(sg_filter.matches(sibling->text));
      for (std::size_t p = 0; p < matchers.size(); ++p) {
        EXPECT_EQ(matchers[p].matches(capture.text), matchers[p].matches(sibling->text))
            << patterns[p] << "\n  capture: " << capture.file << " " << name << " " << code << "\n  sibling: "
            << sibling->variant;
      }
      ++checked;
      apis_seen.insert(c.apis[a]);
    }
  }
  EXPECT_GE(checked, 50U);
  for (const char* api : {"AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
                          "RevokeSecurityGroupEgress", "CreateSecurityGroup", "DeleteSecurityGroup", "RunInstances",
                          "CreateNetworkInterface", "ModifyMountTargetSecurityGroups", "CreateDBInstance",
                          "AuthorizeDBSecurityGroupIngress"}) {
    EXPECT_TRUE(apis_seen.count(api)) << "no real capture of " << api << " was checked";
  }
}

}  // namespace
}  // namespace sgwatch::lint
