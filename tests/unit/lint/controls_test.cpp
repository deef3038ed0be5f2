// The control verdicts of `sgwatch audit` (src/lint/controls.h): for every CIS metric-filter
// control of both benchmarks, the static event sets against their reference patterns, the
// reference and its rewrites (equivalent), the Security Hub spellings, a dropped event name
// (stricter, the API in missed_required), tuned filters (a deployer role, a region, only
// successful calls: stricter, covers_required, the condition named), match-all and other
// controls' patterns, the v3 pattern under v5, errors; then the probes themselves. Every
// expectation is computed by the real engine through the public interface.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "lint/lint.h"
#include "pattern/pattern.h"
#include "rules/rules.h"

namespace sgwatch::lint {
namespace {

using Json = nlohmann::ordered_json;

constexpr Benchmark kBenchmarks[] = {Benchmark::kCisV3, Benchmark::kCisV5};
const std::string kDeployer = "arn:aws:iam::111122223333:role/deployer";

std::string reference_pattern(Benchmark benchmark, const std::string& control) {
  const ControlInfo* info = nullptr;
  for (const auto& c : metric_controls(benchmark)) {
    if (c.id == control) info = &c;
  }
  if (info == nullptr) throw std::runtime_error("no control " + control);
  const rules::Pack* pack = rules::find_pack(benchmark_name(benchmark));
  if (pack == nullptr) throw std::runtime_error("no pack");
  for (const auto& filter : pack->filters) {
    if (filter.name == info->reference_filter) return filter.pattern;
  }
  throw std::runtime_error("no filter " + info->reference_filter);
}

pattern::Matcher compile(const std::string& text) {
  auto m = pattern::Matcher::compile(text);
  if (!m) throw std::runtime_error("bad pattern in test: " + text + ": " + m.error().describe());
  return *m;
}

ControlVerdict verdict_of(Benchmark benchmark, const std::string& control,
                          const std::string& text) {
  auto verdict = evaluate_control(benchmark, control, text);
  if (!verdict) throw std::runtime_error(control + ": " + verdict.error());
  return *verdict;
}

std::string name(Verdict verdict) {
  return std::string(verdict_name(verdict));
}

std::string trace(Benchmark benchmark, const std::string& control, const std::string& text) {
  return std::string(benchmark_name(benchmark)) + " " + control + ": " + text;
}

// ---- test-side rewrites of pattern text ----------------------------------------------------

std::string trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

std::string body_of(const std::string& pattern) {
  const auto open = pattern.find('{');
  const auto close = pattern.rfind('}');
  return trim(std::string_view(pattern).substr(open + 1, close - open - 1));
}

// Operands of `op` ("||" or "&&") at parenthesis depth 0, outside quotes.
std::vector<std::string> split_top(std::string_view s, std::string_view op) {
  std::vector<std::string> parts;
  int depth = 0;
  bool quoted = false;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"' && (i == 0 || s[i - 1] != '\\')) quoted = !quoted;
    if (quoted) continue;
    if (c == '(') ++depth;
    if (c == ')') --depth;
    if (depth == 0 && s.substr(i, 2) == op) {
      parts.push_back(trim(s.substr(start, i - start)));
      start = i + 2;
      ++i;
    }
  }
  parts.push_back(trim(s.substr(start)));
  return parts;
}

// Whether `s` is one parenthesised group "( ... )".
bool wrapped(const std::string& s) {
  if (s.size() < 2 || s.front() != '(' || s.back() != ')') return false;
  int depth = 0;
  bool quoted = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '"') quoted = !quoted;
    if (quoted) continue;
    if (s[i] == '(') ++depth;
    if (s[i] == ')' && --depth == 0 && i + 1 != s.size()) return false;
  }
  return true;
}

std::string squeeze(const std::string& s) {
  std::string out;
  for (const char c : s) {
    if (c != ' ' && c != '"') out += c;
  }
  return out;
}

// Rebuilds an expression: `||` and `&&` operands reversed at every level (when `reverse`), and
// conditions for which `drop` holds removed (with the groups they leave empty).
std::string rebuild(const std::string& expr, bool reverse,
                    const std::function<bool(const std::string&)>& drop) {
  std::vector<std::string> terms;
  for (const std::string& term : split_top(expr, "||")) {
    std::vector<std::string> factors;
    for (const std::string& factor : split_top(term, "&&")) {
      if (wrapped(factor)) {
        const std::string inner = rebuild(factor.substr(1, factor.size() - 2), reverse, drop);
        if (!inner.empty()) factors.push_back("(" + inner + ")");
      } else if (!drop(squeeze(factor))) {
        factors.push_back(factor);
      }
    }
    if (factors.empty()) continue;
    if (reverse) std::reverse(factors.begin(), factors.end());
    std::string joined;
    for (const auto& f : factors) joined += (joined.empty() ? "" : " && ") + f;
    terms.push_back(joined);
  }
  if (reverse) std::reverse(terms.begin(), terms.end());
  std::string joined;
  for (const auto& t : terms) joined += (joined.empty() ? "" : " || ") + t;
  return joined;
}

std::string reordered(const std::string& pattern) {
  return "{ " + rebuild(body_of(pattern), true, [](const std::string&) { return false; }) + " }";
}

std::string without_spaces(const std::string& pattern) {
  std::string out;
  bool quoted = false;
  for (const char c : pattern) {
    if (c == '"') quoted = !quoted;
    if (c == ' ' && !quoted) continue;
    out += c;
  }
  // "NOT EXISTS" needs its spaces back.
  for (auto at = out.find("NOTEXISTS"); at != std::string::npos; at = out.find("NOTEXISTS"))
    out.replace(at, 9, " NOT EXISTS");
  return out;
}

// Quoted values without spaces lose their quotes; bare values gain them.
std::string quotes_toggled(const std::string& pattern) {
  std::string out;
  std::size_t i = 0;
  while (i < pattern.size()) {
    const char c = pattern[i];
    out += c;
    ++i;
    if (c != '=') continue;
    while (i < pattern.size() && pattern[i] == ' ') out += pattern[i++];
    if (i < pattern.size() && pattern[i] == '"') {
      const auto close = pattern.find('"', i + 1);
      const std::string value = pattern.substr(i + 1, close - i - 1);
      out += value.find(' ') == std::string::npos ? value : "\"" + value + "\"";
      i = close + 1;
    } else {
      std::size_t end = i;
      while (end < pattern.size() &&
             std::string_view(" )&|}").find(pattern[end]) == std::string_view::npos)
        ++end;
      out += "\"" + pattern.substr(i, end - i) + "\"";
      i = end;
    }
  }
  return out;
}

std::string extra_parentheses(const std::string& pattern) {
  return "{ ((" + rebuild(body_of(pattern), false, [](const std::string&) { return false; }) +
         ")) }";
}

std::string with_condition(const std::string& pattern, const std::string& condition) {
  return "{ (" + body_of(pattern) + ") && (" + condition + ") }";
}

// The event names a reference tests with `=` ("$.eventName = X" leaves).
std::vector<std::string> event_names(const std::string& pattern) {
  std::vector<std::string> names;
  const pattern::Matcher m = compile(pattern);
  for (const auto& c : m.ast().conditions) {
    if (c.selector.text == "$.eventName" && c.kind == pattern::ConditionKind::kCompare &&
        c.op == pattern::CompareOp::kEq) {
      names.push_back(c.value.text);
    }
  }
  return names;
}

bool any_description_starts(const std::vector<ControlEvent>& events, const std::string& prefix) {
  for (const auto& e : events) {
    if (e.description.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

// ---- the controls ---------------------------------------------------------------------------

TEST(Controls, FifteenMetricControlsWithTheirReferenceFilters) {
  for (const Benchmark b : kBenchmarks) {
    const auto& controls = metric_controls(b);
    ASSERT_EQ(controls.size(), 15U);
    for (std::size_t i = 0; i < controls.size(); ++i) {
      EXPECT_EQ(controls[i].id, "4." + std::to_string(i + 1));
      EXPECT_FALSE(controls[i].title.empty());
      EXPECT_NO_THROW(compile(reference_pattern(b, controls[i].id)))
          << controls[i].reference_filter;
    }
  }
  EXPECT_EQ(metric_controls(Benchmark::kCisV3)[9].reference_filter, "cis-v3-4.10");
  EXPECT_EQ(metric_controls(Benchmark::kCisV5)[9].reference_filter, "cis-v5-4.10");
  EXPECT_EQ(metric_controls(Benchmark::kCisV3)[0].reference_filter, "cis-v3-4.1");
  EXPECT_EQ(metric_controls(Benchmark::kCisV3)[9].title,
            "Ensure security group changes are monitored");
}

// The static sets: realistic records, the reference matches every required and optional one
// and no near miss, and the variants are spread.
TEST(ControlEvents, ReferenceAgreesWithTheTableAndRecordsAreCloudTrailShaped) {
  const std::vector<std::string> order = {"eventVersion",
                                          "userIdentity",
                                          "eventTime",
                                          "eventSource",
                                          "eventName",
                                          "awsRegion",
                                          "sourceIPAddress",
                                          "userAgent",
                                          "errorCode",
                                          "errorMessage",
                                          "requestParameters",
                                          "responseElements",
                                          "additionalEventData",
                                          "requestID",
                                          "eventID",
                                          "readOnly",
                                          "resources",
                                          "eventType",
                                          "managementEvent",
                                          "recipientAccountId",
                                          "eventCategory",
                                          "tlsDetails",
                                          "sessionCredentialFromConsole"};
  for (const Benchmark b : kBenchmarks) {
    for (const auto& control : metric_controls(b)) {
      SCOPED_TRACE(trace(b, control.id, ""));
      auto events = control_events(b, control.id);
      ASSERT_TRUE(events.ok()) << events.error();
      const pattern::Matcher reference = compile(reference_pattern(b, control.id));
      std::set<std::string> identities, versions, regions;
      std::size_t required = 0, optional = 0, near = 0;
      for (std::size_t i = 0; i < events->size(); ++i) {
        const TableEvent& e = (*events)[i];
        SCOPED_TRACE(e.event.description);
        EXPECT_FALSE(e.event.description.empty());
        EXPECT_FALSE(e.group.empty());
        const bool hit = reference.matches(e.event.text);
        if (e.intended == EventClass::kNearMiss) {
          ++near;
          EXPECT_FALSE(hit) << "the reference matches a near miss";
        } else {
          EXPECT_TRUE(hit) << "the reference misses a " << event_class_name(e.intended) << " event";
        }
        ASSERT_LE(e.base, i);
        if (e.base != i) {
          EXPECT_EQ((*events)[e.base].intended, EventClass::kRequired);
        }
        const Json record = Json::parse(e.event.text);
        ASSERT_TRUE(record.is_object());
        std::size_t at = 0;
        for (auto it = record.begin(); it != record.end(); ++it) {
          const auto found =
              std::find(order.begin() + static_cast<std::ptrdiff_t>(at), order.end(), it.key());
          ASSERT_NE(found, order.end()) << "key " << it.key() << " out of CloudTrail's order";
          at = static_cast<std::size_t>(found - order.begin());
        }
        for (const char* key :
             {"eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
              "sourceIPAddress", "userAgent", "requestParameters", "responseElements", "eventID",
              "readOnly", "eventType", "recipientAccountId"}) {
          EXPECT_TRUE(record.contains(key)) << key;
        }
        const bool modern = record["eventVersion"] != "1.05";
        EXPECT_EQ(record.contains("managementEvent"), modern);
        EXPECT_EQ(record.contains("eventCategory"), modern);
        if (e.intended == EventClass::kRequired) {
          ++required;
          identities.insert(record["userIdentity"].value("type", ""));
          versions.insert(record["eventVersion"].get<std::string>());
          regions.insert(record["awsRegion"].get<std::string>());
        } else if (e.intended == EventClass::kOptional) {
          ++optional;
        }
      }
      EXPECT_GE(required, 3U);
      EXPECT_GE(near, 3U);
      // 4.2: only IAM users' sign-ins are required (SSO sessions and root are optional: CIS's
      // SSO-friendly pattern leaves them out); 4.3: only the root user.
      EXPECT_GE(identities.size(), control.id == "4.2" || control.id == "4.3" ? 1U : 2U);
      EXPECT_GE(versions.size(), 3U);
      const bool global = control.id == "4.4" || control.id == "4.15";
      EXPECT_GE(regions.size(), global ? 1U : 2U);
      if (control.id != "4.6") {
        EXPECT_GE(optional, 1U);
      }
    }
  }
}

TEST(ControlEvents, TheSecurityGroupControlReusesTheLintCorpus) {
  const auto& c = corpus();
  ASSERT_TRUE(c.ok());
  std::set<std::string> texts;
  for (const auto& e : c->events) texts.insert(e.text);
  for (const Benchmark b : kBenchmarks) {
    auto events = control_events(b, "4.10");
    ASSERT_TRUE(events.ok());
    std::set<std::string> required_names;
    for (const auto& e : *events) {
      EXPECT_EQ(texts.count(e.event.text), 1U) << e.event.description;
      if (e.intended == EventClass::kRequired) required_names.insert(e.group);
    }
    EXPECT_EQ(required_names.size(), b == Benchmark::kCisV3 ? 6U : 7U);
    EXPECT_EQ(required_names.count("ModifySecurityGroupRules"), b == Benchmark::kCisV3 ? 0U : 1U);
  }
}

TEST(Controls, TheReferenceIsEquivalent) {
  for (const Benchmark b : kBenchmarks) {
    for (const auto& control : metric_controls(b)) {
      const std::string reference = reference_pattern(b, control.id);
      SCOPED_TRACE(trace(b, control.id, reference));
      const ControlVerdict v = verdict_of(b, control.id, reference);
      EXPECT_EQ(v.control, control.id);
      EXPECT_EQ(name(v.verdict), "equivalent");
      EXPECT_TRUE(v.covers_required);
      EXPECT_TRUE(v.missed_required.empty());
      EXPECT_TRUE(v.extra_conditions.empty());
      EXPECT_TRUE(v.extra_matches.empty());
      EXPECT_TRUE(v.skipped_probes.empty());
      EXPECT_EQ(v.user_matches, v.reference_matches);
      EXPECT_GT(v.evaluated, v.reference_matches);  // near misses are evaluated too
    }
  }
}

TEST(Controls, RewritesOfTheReferenceAreEquivalent) {
  for (const Benchmark b : kBenchmarks) {
    for (const auto& control : metric_controls(b)) {
      const std::string reference = reference_pattern(b, control.id);
      const std::vector<std::string> rewrites = {
          without_spaces(reference),
          reordered(reference),
          quotes_toggled(reference),
          extra_parentheses(reference),
          quotes_toggled(without_spaces(reordered(reference))),
      };
      for (const std::string& rewrite : rewrites) {
        SCOPED_TRACE(trace(b, control.id, rewrite));
        if (rewrite == reference) continue;  // 4.4 has no spaces to remove
        const ControlVerdict v = verdict_of(b, control.id, rewrite);
        EXPECT_EQ(name(v.verdict), "equivalent");
        EXPECT_TRUE(v.covers_required);
        EXPECT_TRUE(v.extra_conditions.empty());
      }
    }
  }
}

// AWS Security Hub's CloudWatch.1-14 spellings (../shared/spec/cis-section4.md).
struct SecurityHubCase {
  std::string control;
  std::string pattern;
};

std::vector<SecurityHubCase> security_hub() {
  return {
      {"4.3",
       R"({$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"})"},
      {"4.4",
       "{($.eventName=DeleteGroupPolicy) || ($.eventName=DeleteRolePolicy) || "
       "($.eventName=DeleteUserPolicy) || "
       "($.eventName=PutGroupPolicy) || ($.eventName=PutRolePolicy) || ($.eventName=PutUserPolicy) "
       "|| "
       "($.eventName=CreatePolicy) || ($.eventName=DeletePolicy) || "
       "($.eventName=CreatePolicyVersion) || "
       "($.eventName=DeletePolicyVersion) || ($.eventName=AttachRolePolicy) || "
       "($.eventName=DetachRolePolicy) || "
       "($.eventName=AttachUserPolicy) || ($.eventName=DetachUserPolicy) || "
       "($.eventName=AttachGroupPolicy) || "
       "($.eventName=DetachGroupPolicy)}"},
      {"4.5",
       "{($.eventName=CreateTrail) || ($.eventName=UpdateTrail) || ($.eventName=DeleteTrail) || "
       "($.eventName=StartLogging) || ($.eventName=StopLogging)}"},
      {"4.6", R"({($.eventName=ConsoleLogin) && ($.errorMessage="Failed authentication")})"},
      {"4.7",
       "{($.eventSource=kms.amazonaws.com) && (($.eventName=DisableKey) || "
       "($.eventName=ScheduleKeyDeletion))}"},
      {"4.8",
       "{($.eventSource=s3.amazonaws.com) && (($.eventName=PutBucketAcl) || "
       "($.eventName=PutBucketPolicy) || "
       "($.eventName=PutBucketCors) || ($.eventName=PutBucketLifecycle) || "
       "($.eventName=PutBucketReplication) || "
       "($.eventName=DeleteBucketPolicy) || ($.eventName=DeleteBucketCors) || "
       "($.eventName=DeleteBucketLifecycle) || "
       "($.eventName=DeleteBucketReplication))}"},
      {"4.9",
       "{($.eventSource=config.amazonaws.com) && (($.eventName=StopConfigurationRecorder) || "
       "($.eventName=DeleteDeliveryChannel) || ($.eventName=PutDeliveryChannel) || "
       "($.eventName=PutConfigurationRecorder))}"},
      {"4.10",
       "{($.eventName=AuthorizeSecurityGroupIngress) || ($.eventName=AuthorizeSecurityGroupEgress) "
       "|| "
       "($.eventName=RevokeSecurityGroupIngress) || ($.eventName=RevokeSecurityGroupEgress) || "
       "($.eventName=CreateSecurityGroup) || ($.eventName=DeleteSecurityGroup)}"},
      {"4.11",
       "{($.eventName=CreateNetworkAcl) || ($.eventName=CreateNetworkAclEntry) || "
       "($.eventName=DeleteNetworkAcl) || "
       "($.eventName=DeleteNetworkAclEntry) || ($.eventName=ReplaceNetworkAclEntry) || "
       "($.eventName=ReplaceNetworkAclAssociation)}"},
      {"4.12",
       "{($.eventName=CreateCustomerGateway) || ($.eventName=DeleteCustomerGateway) || "
       "($.eventName=AttachInternetGateway) || ($.eventName=CreateInternetGateway) || "
       "($.eventName=DeleteInternetGateway) || ($.eventName=DetachInternetGateway)}"},
      {"4.13",
       "{($.eventName=CreateRoute) || ($.eventName=CreateRouteTable) || ($.eventName=ReplaceRoute) "
       "|| "
       "($.eventName=ReplaceRouteTableAssociation) || ($.eventName=DeleteRouteTable) || "
       "($.eventName=DeleteRoute) || "
       "($.eventName=DisassociateRouteTable)}"},
      {"4.14",
       "{($.eventName=CreateVpc) || ($.eventName=DeleteVpc) || ($.eventName=ModifyVpcAttribute) || "
       "($.eventName=AcceptVpcPeeringConnection) || ($.eventName=CreateVpcPeeringConnection) || "
       "($.eventName=DeleteVpcPeeringConnection) || ($.eventName=RejectVpcPeeringConnection) || "
       "($.eventName=AttachClassicLinkVpc) || ($.eventName=DetachClassicLinkVpc) || "
       "($.eventName=DisableVpcClassicLink) || ($.eventName=EnableVpcClassicLink)}"},
  };
}

TEST(Controls, SecurityHubSpellingsWithTheSameSemanticsAreEquivalent) {
  for (const Benchmark b : kBenchmarks) {
    for (const auto& sh : security_hub()) {
      SCOPED_TRACE(trace(b, sh.control, sh.pattern));
      const ControlVerdict v = verdict_of(b, sh.control, sh.pattern);
      if (b == Benchmark::kCisV5 && sh.control == "4.10") {
        // CloudWatch.10 is the six-name list: v5.0.0 adds ModifySecurityGroupRules.
        EXPECT_EQ(name(v.verdict), "stricter");
        EXPECT_FALSE(v.covers_required);
        EXPECT_TRUE(any_description_starts(v.missed_required, "ModifySecurityGroupRules "));
        continue;
      }
      EXPECT_EQ(name(v.verdict), "equivalent");
      EXPECT_TRUE(v.covers_required);
    }
  }
}

TEST(Controls, TheV12UnauthorizedCallsPatternIsBroader) {
  const std::string cloudwatch2 =
      R"({($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")})";
  for (const Benchmark b : kBenchmarks) {
    const ControlVerdict v = verdict_of(b, "4.1", cloudwatch2);
    EXPECT_EQ(name(v.verdict), "broader");
    EXPECT_TRUE(v.covers_required);
    EXPECT_TRUE(any_description_starts(v.extra_matches, "HeadBucket denied"));
    EXPECT_TRUE(any_description_starts(v.extra_matches,
                                       "GetBucketAcl denied (AccessDenied) to delivery.logs"));
  }
}

TEST(Controls, TheSsoSignInPatternIsStricterButCoversTheControl) {
  const std::string cloudwatch3 =
      R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") })";
  const pattern::Matcher sso = compile(cloudwatch3);
  for (const Benchmark b : kBenchmarks) {
    const ControlVerdict v = verdict_of(b, "4.2", cloudwatch3);
    EXPECT_EQ(name(v.verdict), "stricter");
    EXPECT_TRUE(v.covers_required);
    std::set<std::string> conditions;
    for (const auto& extra : v.extra_conditions) {
      conditions.insert(extra.condition);
      EXPECT_FALSE(sso.matches(extra.example.text)) << extra.example.description;
      EXPECT_TRUE(compile(reference_pattern(b, "4.2")).matches(extra.example.text))
          << extra.example.description;
    }
    EXPECT_EQ(conditions,
              (std::set<std::string>{R"($.userIdentity.type = "IAMUser")",
                                     R"($.responseElements.ConsoleLogin = "Success")"}));
  }
}

TEST(Controls, DroppingAnEventNameIsStricterAndNamesTheMissedApi) {
  for (const Benchmark b : kBenchmarks) {
    for (const auto& control : metric_controls(b)) {
      const std::string reference = reference_pattern(b, control.id);
      const std::vector<std::string> names = event_names(reference);
      if (names.size() < 2) continue;  // 4.1-4.3, 4.6 are not lists of names (see below)
      const std::string dropped = names.back();
      const std::string pattern =
          "{ " +
          rebuild(body_of(reference), false,
                  [&](const std::string& c) { return c == "$.eventName=" + dropped; }) +
          " }";
      SCOPED_TRACE(trace(b, control.id, pattern));
      ASSERT_EQ(event_names(pattern).size(), names.size() - 1);
      const ControlVerdict v = verdict_of(b, control.id, pattern);
      EXPECT_EQ(name(v.verdict), "stricter");
      EXPECT_FALSE(v.covers_required);
      ASSERT_FALSE(v.missed_required.empty());
      const pattern::Matcher user = compile(pattern);
      const pattern::Matcher ref = compile(reference);
      for (const auto& missed : v.missed_required) {
        EXPECT_EQ(missed.description.rfind(dropped + " ", 0), 0U) << missed.description;
        EXPECT_NE(missed.text.find("\"eventName\":\"" + dropped + "\""), std::string::npos);
        EXPECT_FALSE(user.matches(missed.text));
        EXPECT_TRUE(ref.matches(missed.text));
      }
      EXPECT_LE(v.missed_required.size(), 3U);  // a few per API
      EXPECT_TRUE(v.extra_conditions.empty()) << v.extra_conditions.front().condition;
    }
  }
}

TEST(Controls, DroppingTheAccessDeniedBranchOfTheUnauthorizedCallsPattern) {
  const ControlVerdict v =
      verdict_of(Benchmark::kCisV3, "4.1", R"({ $.errorCode = "*UnauthorizedOperation" })");
  EXPECT_EQ(name(v.verdict), "stricter");
  EXPECT_FALSE(v.covers_required);
  EXPECT_TRUE(any_description_starts(v.missed_required, "PutBucketPolicy denied (AccessDenied)"));
  EXPECT_TRUE(any_description_starts(v.missed_required, "Decrypt denied (AccessDeniedException)"));
  for (const auto& missed : v.missed_required)
    EXPECT_EQ(missed.text.find("UnauthorizedOperation\""), std::string::npos);
}

void expect_named_tuning(Benchmark b, const std::string& control, const std::string& pattern,
                         const std::string& condition, const std::string& example_fragment) {
  SCOPED_TRACE(trace(b, control, pattern));
  const ControlVerdict v = verdict_of(b, control, pattern);
  EXPECT_EQ(name(v.verdict), "stricter");
  EXPECT_TRUE(v.covers_required);
  EXPECT_TRUE(v.missed_required.empty());
  ASSERT_EQ(v.extra_conditions.size(), 1U);
  EXPECT_EQ(v.extra_conditions[0].condition, condition);
  const ControlEvent& example = v.extra_conditions[0].example;
  if (!example_fragment.empty()) {
    EXPECT_NE(example.text.find(example_fragment), std::string::npos) << example.text;
  }
  EXPECT_FALSE(compile(pattern).matches(example.text));
  EXPECT_TRUE(compile(reference_pattern(b, control)).matches(example.text));
}

bool has_arn(const std::string& text) {
  return Json::parse(text)["userIdentity"].contains("arn");
}

TEST(Controls, ADeployerRoleExclusionIsStricterCoversTheControlAndIsNamed) {
  const std::string condition = "$.userIdentity.arn != \"" + kDeployer + "\"";
  for (const Benchmark b : kBenchmarks) {
    for (const auto& control : metric_controls(b)) {
      // A failed console sign-in logs no userIdentity.arn, and `!=` on an absent field is false:
      // such a filter also drops them. Where they are required (4.6) the control is not covered.
      auto events = control_events(b, control.id);
      ASSERT_TRUE(events.ok());
      bool required_without_arn = false;
      for (const auto& e : *events)
        required_without_arn =
            required_without_arn || (e.intended == EventClass::kRequired && !has_arn(e.event.text));
      const std::string pattern = with_condition(reference_pattern(b, control.id), condition);
      if (!required_without_arn) {
        expect_named_tuning(b, control.id, pattern, condition, "\"arn\":\"" + kDeployer + "\"");
        continue;
      }
      SCOPED_TRACE(trace(b, control.id, pattern));
      EXPECT_EQ(control.id, "4.6");
      const ControlVerdict v = verdict_of(b, control.id, pattern);
      EXPECT_EQ(name(v.verdict), "stricter");
      EXPECT_FALSE(v.covers_required);
      ASSERT_FALSE(v.missed_required.empty());
      for (const auto& missed : v.missed_required)
        EXPECT_FALSE(has_arn(missed.text)) << missed.description;
      ASSERT_EQ(v.extra_conditions.size(), 1U);
      EXPECT_EQ(v.extra_conditions[0].condition, condition);
      EXPECT_NE(v.extra_conditions[0].example.text.find("\"arn\":\"" + kDeployer + "\""),
                std::string::npos);
    }
  }
}

TEST(Controls, TheDeployerExampleFromTheBrief) {
  const std::string six =
      "($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = "
      "AuthorizeSecurityGroupEgress) || "
      "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
      "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup)";
  const ControlVerdict v =
      verdict_of(Benchmark::kCisV3, "4.10",
                 "{ (" + six + ") && ($.userIdentity.arn != \"" + kDeployer + "\") }");
  EXPECT_EQ(name(v.verdict), "stricter");
  EXPECT_TRUE(v.covers_required);
  ASSERT_EQ(v.extra_conditions.size(), 1U);
  EXPECT_EQ(v.extra_conditions[0].condition,
            "$.userIdentity.arn != \"arn:aws:iam::111122223333:role/deployer\"");
  const Json example = Json::parse(v.extra_conditions[0].example.text);
  EXPECT_EQ(example["userIdentity"]["arn"], kDeployer);
  EXPECT_NE(v.extra_conditions[0].example.description.find(kDeployer), std::string::npos);
}

TEST(Controls, AnExcludedRegionIsStricterCoversTheControlAndIsNamed) {
  const std::string condition = R"($.awsRegion != "us-west-2")";
  for (const Benchmark b : kBenchmarks) {
    for (const auto& control : metric_controls(b)) {
      expect_named_tuning(b, control.id,
                          with_condition(reference_pattern(b, control.id), condition), condition,
                          R"("awsRegion":"us-west-2")");
    }
  }
}

TEST(Controls, OnlySuccessfulCallsIsStricterCoversTheControlAndIsNamed) {
  for (const Benchmark b : kBenchmarks) {
    for (const auto& control : metric_controls(b)) {
      if (control.id == "4.1")
        continue;  // 4.1 watches failed calls: no successful call is in its set
      expect_named_tuning(
          b, control.id, with_condition(reference_pattern(b, control.id), "$.errorCode NOT EXISTS"),
          "$.errorCode NOT EXISTS", "\"errorCode\":");
    }
  }
  // And for 4.1 it matches nothing at all.
  EXPECT_EQ(name(verdict_of(Benchmark::kCisV3, "4.1",
                            with_condition(reference_pattern(Benchmark::kCisV3, "4.1"),
                                           "$.errorCode NOT EXISTS"))
                     .verdict),
            "never-matches");
}

TEST(Controls, AnExcludedSampledRegionLosesRequiredEvents) {
  // eu-west-1 carries required records of 4.10: excluding it is a gap, not a tuning.
  const std::string pattern =
      with_condition(reference_pattern(Benchmark::kCisV3, "4.10"), R"($.awsRegion != "eu-west-1")");
  const ControlVerdict v = verdict_of(Benchmark::kCisV3, "4.10", pattern);
  EXPECT_EQ(name(v.verdict), "stricter");
  EXPECT_FALSE(v.covers_required);
  ASSERT_FALSE(v.missed_required.empty());
  for (const auto& missed : v.missed_required)
    EXPECT_NE(missed.text.find(R"("awsRegion":"eu-west-1")"), std::string::npos);
}

TEST(Controls, MatchAllPatternsAreBroader) {
  for (const Benchmark b : kBenchmarks) {
    for (const auto& control : metric_controls(b)) {
      for (const std::string pattern :
           {R"({ $.eventName = "*" })", "{ $.eventName = * }", "", R"({ $.eventSource = "*" })"}) {
        SCOPED_TRACE(trace(b, control.id, pattern));
        const ControlVerdict v = verdict_of(b, control.id, pattern);
        EXPECT_EQ(name(v.verdict), "broader");
        EXPECT_TRUE(v.covers_required);
        EXPECT_FALSE(v.extra_matches.empty());
        EXPECT_EQ(v.user_matches, v.evaluated);
      }
    }
  }
}

TEST(Controls, AnotherControlsPatternIsPartialOrNeverMatches) {
  for (const Benchmark b : kBenchmarks) {
    for (const auto& control : metric_controls(b)) {
      const std::string other = control.id == "4.10"  ? "4.11"
                                : control.id == "4.3" ? "4.2"
                                                      : "4.10";
      const std::string pattern = reference_pattern(b, other);
      SCOPED_TRACE(trace(b, control.id, pattern));
      const ControlVerdict v = verdict_of(b, control.id, pattern);
      EXPECT_TRUE(v.verdict == Verdict::kPartial || v.verdict == Verdict::kNeverMatches)
          << name(v.verdict);
      EXPECT_FALSE(v.covers_required);
    }
  }
}

TEST(Controls, TheV3SecurityGroupPatternUnderV5MissesModifySecurityGroupRules) {
  const ControlVerdict v =
      verdict_of(Benchmark::kCisV5, "4.10", reference_pattern(Benchmark::kCisV3, "4.10"));
  EXPECT_EQ(name(v.verdict), "stricter");
  EXPECT_FALSE(v.covers_required);
  ASSERT_FALSE(v.missed_required.empty());
  for (const auto& missed : v.missed_required) {
    EXPECT_EQ(missed.description.rfind("ModifySecurityGroupRules ", 0), 0U) << missed.description;
  }
  // And the v5 pattern under v3 is broader.
  const ControlVerdict w =
      verdict_of(Benchmark::kCisV3, "4.10", reference_pattern(Benchmark::kCisV5, "4.10"));
  EXPECT_EQ(name(w.verdict), "broader");
  EXPECT_TRUE(w.covers_required);
  EXPECT_TRUE(any_description_starts(w.extra_matches, "ModifySecurityGroupRules "));
}

TEST(Controls, TermAndRegexPatternsAreEvaluatedOverTheEvents) {
  const ControlVerdict term =
      verdict_of(Benchmark::kCisV3, "4.10", "AuthorizeSecurityGroupIngress");
  EXPECT_EQ(name(term.verdict), "partial");  // it also matches LookupEvents and a look-alike name
  EXPECT_FALSE(term.covers_required);
  EXPECT_TRUE(any_description_starts(term.missed_required, "CreateSecurityGroup "));
  const ControlVerdict regex = verdict_of(Benchmark::kCisV3, "4.5", "%StopLogging%");
  EXPECT_EQ(name(regex.verdict), "partial");  // LookupEvents for StopLogging names it too
  EXPECT_FALSE(regex.covers_required);
  EXPECT_TRUE(any_description_starts(regex.missed_required, "CreateTrail "));
  EXPECT_FALSE(any_description_starts(regex.missed_required, "StopLogging "));
  EXPECT_TRUE(any_description_starts(regex.extra_matches, "LookupEvents"));
  const ControlVerdict delimited = verdict_of(Benchmark::kCisV3, "4.5", "[version, identity, ...]");
  EXPECT_GT(delimited.evaluated, 0U);
  EXPECT_GT(delimited.reference_matches, 0U);
}

TEST(Controls, Errors) {
  auto bad = evaluate_control(Benchmark::kCisV3, "4.10", "{ $.eventName = ");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().find("does not compile"), std::string::npos) << bad.error();
  auto unknown = evaluate_control(Benchmark::kCisV3, "4.16", "{ $.eventName = CreateTrail }");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.error().find("4.16"), std::string::npos);
  EXPECT_FALSE(evaluate_control(Benchmark::kCisV5, "3.10", "").ok());
  EXPECT_FALSE(evaluate_controls(Benchmark::kCisV5, "{ ").ok());
  EXPECT_FALSE(control_events(Benchmark::kCisV3, "4.0").ok());
}

TEST(Controls, CoveredControls) {
  auto sg = controls_covered(Benchmark::kCisV3, reference_pattern(Benchmark::kCisV3, "4.10"));
  ASSERT_TRUE(sg.ok());
  EXPECT_EQ(*sg, std::vector<std::string>{"4.10"});
  auto v3_under_v5 =
      controls_covered(Benchmark::kCisV5, reference_pattern(Benchmark::kCisV3, "4.10"));
  ASSERT_TRUE(v3_under_v5.ok());
  EXPECT_TRUE(v3_under_v5->empty());
  auto all = controls_covered(Benchmark::kCisV5, "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 15U);
  auto verdicts = evaluate_controls(Benchmark::kCisV3, reference_pattern(Benchmark::kCisV3, "4.4"));
  ASSERT_TRUE(verdicts.ok());
  ASSERT_EQ(verdicts->size(), 15U);
  EXPECT_EQ((*verdicts)[3].control, "4.4");
  EXPECT_EQ(name((*verdicts)[3].verdict), "equivalent");
}

// ---- probes ---------------------------------------------------------------------------------

const std::string kRecord =
    R"({"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"},"eventTime":"2024-05-14T09:00:01Z","eventSource":"ec2.amazonaws.com","eventName":"CreateSecurityGroup","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.10","userAgent":"aws-cli/2.15.30","requestParameters":{"groupName":"web"},"responseElements":null,"requestID":"r-1","eventID":"e-1","readOnly":false,"eventType":"AwsApiCall","recipientAccountId":"111122223333"})";

std::vector<std::string> labels(const ProbeSet& set) {
  std::vector<std::string> out;
  for (const auto& p : set.probes) out.push_back(p.label);
  return out;
}

const Probe& probe_labelled(const ProbeSet& set, const std::string& label) {
  for (const auto& p : set.probes) {
    if (p.label == label) return p;
  }
  throw std::runtime_error("no probe " + label);
}

std::string applied(const Probe& probe) {
  auto base = ProbeBase::parse(kRecord);
  if (!base) throw std::runtime_error(base.error());
  auto text = base->apply(probe, "probe-1");
  if (!text) throw std::runtime_error("probe changed nothing: " + probe.label);
  return *text;
}

TEST(Probes, StringsWildcardsAndTheUnrelatedValue) {
  const pattern::Matcher m =
      compile(R"({ $.userIdentity.arn != "arn:x" && $.errorCode = "AccessDenied*" })");
  const ProbeSet set = probes_for(m.ast());
  EXPECT_EQ(labels(set),
            (std::vector<std::string>{
                R"($.userIdentity.arn = "arn:x")", R"($.userIdentity.arn = "sgwatch-other-value")",
                R"($.errorCode = "AccessDenied")", R"($.errorCode = "AccessDeniedX")",
                R"($.errorCode = "sgwatch-other-value")"}));
  EXPECT_TRUE(set.skipped.empty());
  // A new top-level member goes to its place in CloudTrail's order, and gets the new eventID.
  const std::string text = applied(probe_labelled(set, R"($.errorCode = "AccessDeniedX")"));
  EXPECT_NE(
      text.find(R"("userAgent":"aws-cli/2.15.30","errorCode":"AccessDeniedX","requestParameters")"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find(R"("eventID":"probe-1")"), std::string::npos);
  EXPECT_TRUE(compile(R"({ $.errorCode = "AccessDenied*" })").matches(text));
}

TEST(Probes, ContainersAreBuiltForWildcardsAndIndexes) {
  const pattern::Matcher m =
      compile(R"({ $.requestParameters.ipPermissions.items[*].ipRanges[2] = "0.0.0.0/0" })");
  const ProbeSet set = probes_for(m.ast());
  const std::string text = applied(probe_labelled(
      set, R"($.requestParameters.ipPermissions.items[*].ipRanges[2] = "0.0.0.0/0")"));
  EXPECT_TRUE(m.matches(text)) << text;
  EXPECT_NE(text.find(R"("groupName":"web")"), std::string::npos);  // siblings kept
  const pattern::Matcher any = compile(R"({ $.requestParameters.* = "web-*" })");
  const std::string member =
      applied(probe_labelled(probes_for(any.ast()), R"($.requestParameters.* = "web-X")"));
  EXPECT_TRUE(any.matches(member)) << member;
}

TEST(Probes, NumbersNullsBooleansAndAbsence) {
  const pattern::Matcher m = compile(
      R"({ $.requestParameters.fromPort > 21 || $.responseElements IS NULL || $.readOnly IS TRUE || $.requestID NOT EXISTS || $.x = * || $.y NOT EXISTS })");
  const ProbeSet set = probes_for(m.ast());
  EXPECT_EQ(
      labels(set),
      (std::vector<std::string>{
          "$.requestParameters.fromPort = 21", "$.requestParameters.fromPort = 22",
          "$.requestParameters.fromPort = 20",
          R"($.requestParameters.fromPort = "sgwatch-other-value")", "$.responseElements = null",
          R"($.responseElements = "sgwatch-other-value")", "$.readOnly = true",
          R"($.readOnly = "sgwatch-other-value")", "$.requestID removed",
          R"($.requestID = "sgwatch-other-value")", R"($.x = "X")",
          R"($.x = "sgwatch-other-value")", "$.y removed", R"($.y = "sgwatch-other-value")"}));
  EXPECT_TRUE(compile("{ $.requestParameters.fromPort > 21 }")
                  .matches(applied(probe_labelled(set, "$.requestParameters.fromPort = 22"))));
  EXPECT_TRUE(
      compile("{ $.readOnly IS TRUE }").matches(applied(probe_labelled(set, "$.readOnly = true"))));
  EXPECT_TRUE(compile("{ $.requestID NOT EXISTS }")
                  .matches(applied(probe_labelled(set, "$.requestID removed"))));
  // A probe that changes nothing yields no record.
  auto base = ProbeBase::parse(kRecord);
  ASSERT_TRUE(base.ok());
  EXPECT_FALSE(
      base->apply(probe_labelled(set, "$.responseElements = null"), "probe-2").has_value());
  EXPECT_FALSE(base->apply(probe_labelled(set, "$.y removed"), "probe-3").has_value());
}

TEST(Probes, WhatCannotBeProbedIsSaid) {
  const pattern::Matcher regex = compile(R"({ $.eventName = %^Create.*Group$% })");
  const ProbeSet set = probes_for(regex.ast());
  ASSERT_EQ(set.skipped.size(), 1U);
  EXPECT_NE(set.skipped[0].find("regular expression"), std::string::npos);
  EXPECT_EQ(labels(set), std::vector<std::string>{R"($.eventName = "sgwatch-other-value")"});
  const pattern::Matcher far = compile(R"({ $.a[100] = "x" })");
  EXPECT_TRUE(probes_for(far.ast()).probes.empty());
  EXPECT_EQ(probes_for(far.ast()).skipped.size(), 1U);
  EXPECT_TRUE(probes_for(compile("ERROR").ast()).probes.empty());
  EXPECT_FALSE(ProbeBase::parse("[1, 2]").ok());
}

TEST(Probes, ConditionTextCompilesToTheSameCondition) {
  const pattern::Matcher m = compile(
      R"({ $.a = "x y" && $.b != bare && $.c = 5 && $.d IS NULL && $.e NOT EXISTS && $.f IS FALSE && $.g = "*" && $.h = %ab+% && $['i.j'] = "q\"uote" })");
  for (const auto& condition : m.ast().conditions) {
    const std::string text = condition_text(condition);
    const pattern::Matcher one = compile("{ " + text + " }");
    ASSERT_EQ(one.ast().conditions.size(), 1U) << text;
    EXPECT_EQ(condition_key(one.ast().conditions[0]), condition_key(condition)) << text;
  }
  EXPECT_EQ(condition_text(m.ast().conditions[0]), R"($.a = "x y")");
  EXPECT_EQ(condition_text(m.ast().conditions[1]), "$.b != bare");
  EXPECT_EQ(condition_text(m.ast().conditions[4]), "$.e NOT EXISTS");
  // Quotes do not change the key.
  EXPECT_EQ(condition_key(compile(R"({ $.eventName = "CreateTrail" })").ast().conditions[0]),
            condition_key(compile("{ $.eventName=CreateTrail }").ast().conditions[0]));
}

}  // namespace
}  // namespace sgwatch::lint
