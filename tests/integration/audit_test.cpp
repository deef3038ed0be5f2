// `sgwatch audit` against moto_server on 127.0.0.1: fixture accounts built through the AWS APIs
// by boto3 (tests/tools/aws_account.py, an implementation independent of sgwatch's client), then
// audited by the sgwatch binary with --endpoint-url. One account per test, reset in between.
// moto auto-confirms subscriptions and reports no CloudWatch Logs delivery time: the audit must
// say "unknown" for the latter, never FAIL.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "rules/rules.h"
#include "support/aws_cli.h"
#include "support/servers.h"
#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace sgwatch::testing {
namespace {

using nlohmann::json;

constexpr const char* kRegion = "us-east-1";

// A python3 on PATH (not Debian's) that imports boto3.
std::optional<std::string> boto3_python() {
  const char* path = std::getenv("PATH");
  std::string entries = path != nullptr ? path : "";
  for (std::size_t start = 0; start <= entries.size();) {
    std::size_t end = entries.find(':', start);
    if (end == std::string::npos) end = entries.size();
    const std::string dir = entries.substr(start, end - start);
    start = end + 1;
    if (dir.empty()) continue;
    const std::string python = dir + "/python3";
    if (!is_executable(python)) continue;
    if (run_process({python, "-c", "import boto3"}).exit_code == 0) return python;
  }
  return std::nullopt;
}

std::string control_of(const std::string& filter_name) { return filter_name.substr(filter_name.rfind('-') + 1); }

// The seed's chain for every control of `pack`: filter, metric, alarm per control; one topic with
// a subscriber; Security Hub on.
json seed(const std::string& pack = "cis-v3") {
  json spec;
  spec["region"] = kRegion;
  spec["trail"] = {{"name", "management"}, {"multi_region", true}, {"logging", true},
                   {"log_group", "CloudTrail/management"}};
  spec["topic"] = {{"name", "cis-alarms"}, {"subscribe", json::array({"email:sec@example.com"})}};
  spec["filters"] = json::array();
  spec["alarms"] = json::array();
  for (const auto& f : rules::find_pack(pack)->filters) {
    if (f.name.ends_with("-sso")) continue;
    std::string metric = "CIS-" + control_of(f.name);
    spec["filters"].push_back({{"name", f.name}, {"pattern", f.pattern}, {"metric", metric},
                               {"namespace", "CISBenchmark"}});
    spec["alarms"].push_back({{"name", "alarm-" + control_of(f.name)}, {"metric", metric},
                              {"namespace", "CISBenchmark"}});
  }
  spec["security_hub"] = true;
  return spec;
}

json& item(json& list, const std::string& key, const std::string& value) {
  for (auto& entry : list) {
    if (entry[key] == value) return entry;
  }
  throw std::runtime_error("no " + key + " = " + value);
}

class AuditTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    python_ = new std::optional<std::string>(boto3_python());
    if (*python_) moto_ = new MotoServer();
  }
  static void TearDownTestSuite() {
    delete moto_;
    moto_ = nullptr;
    delete python_;
    python_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(python_->has_value()) << "no python3 with boto3 on PATH (scripts/install-deps installs it)";
  }

  void build(const json& spec) {
    const auto file = dir_.path() / "spec.json";
    std::ofstream(file) << spec.dump();
    ProcessResult result = run_process({**python_, std::string(SGWATCH_SOURCE_DIR) + "/tests/tools/aws_account.py",
                                        moto_->endpoint_url(), file.string()});
    ASSERT_EQ(result.exit_code, 0) << result.err;
  }

  ProcessResult audit(std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {sgwatch_binary(), "audit", "--endpoint-url", moto_->endpoint_url(),
                                     "--region", kRegion};
    argv.insert(argv.end(), extra.begin(), extra.end());
    std::vector<std::string> env = {"PATH=/usr/bin:/bin",
                                    "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
                                    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                    "AWS_CONFIG_FILE=/dev/null",
                                    "AWS_SHARED_CREDENTIALS_FILE=/dev/null",
                                    "AWS_EC2_METADATA_DISABLED=true"};
    return run_process_with_environment(argv, env);
  }

  json audit_json(int expected_exit, std::vector<std::string> extra = {}) {
    extra.push_back("--format");
    extra.push_back("json");
    ProcessResult result = audit(extra);
    EXPECT_EQ(result.exit_code, expected_exit) << result.err << result.out.substr(0, 4000);
    json doc = json::parse(result.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << result.out;
    return doc;
  }

  static json finding(const json& doc, const std::string& control) {
    for (const auto& f : doc["findings"]) {
      if (f["control"] == control) return f;
    }
    ADD_FAILURE() << "no finding " << control;
    return json::object();
  }

  static std::optional<std::string>* python_;
  static MotoServer* moto_;
  TempDir dir_{"sgwatch-audit"};
};

std::optional<std::string>* AuditTest::python_ = nullptr;
MotoServer* AuditTest::moto_ = nullptr;

TEST_F(AuditTest, CompliantSeedAccountPassesEveryControlAndDeliveryTimeIsUnknown) {
  build(seed());
  const auto started = std::chrono::steady_clock::now();
  json doc = audit_json(0);
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(doc["account"], "123456789012");
  ASSERT_EQ(doc["findings"].size(), 16u);
  for (const auto& f : doc["findings"]) {
    EXPECT_EQ(f["status"], "PASS") << f.dump(2);
  }
  json sg = finding(doc, "4.10");
  EXPECT_EQ(sg["evidence"]["trail"]["latest_delivery_time"], "unknown");
  EXPECT_EQ(sg["evidence"]["filter"]["verdict"], "equivalent");
  std::cout << "[ audit ] compliant fixture account: "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";
}

TEST_F(AuditTest, EquivalentFilterWrittenDifferentlyPasses) {
  json spec = seed();
  item(spec["filters"], "name", "cis-v3-4.10")["pattern"] =
      "{($.eventName=\"DeleteSecurityGroup\")||($.eventName=CreateSecurityGroup)||($.eventName=RevokeSecurityGroupEgress)"
      "||(($.eventName=RevokeSecurityGroupIngress)||($.eventName=AuthorizeSecurityGroupEgress))"
      "||($.eventName=AuthorizeSecurityGroupIngress)}";
  build(spec);
  json f = finding(audit_json(0), "4.10");
  EXPECT_EQ(f["status"], "PASS") << f.dump(2);
  EXPECT_EQ(f["evidence"]["filter"]["verdict"], "equivalent");
}

TEST_F(AuditTest, TunedFilterExcludingADeployerRolePassesAsStricterWithTheExclusionNamed) {
  json spec = seed();
  item(spec["filters"], "name", "cis-v3-4.10")["pattern"] =
      "{ (($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
      "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
      "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup)) && "
      "($.userIdentity.arn != \"arn:aws:sts::123456789012:assumed-role/deployer/ci\") }";
  build(spec);
  json f = finding(audit_json(0), "4.10");
  EXPECT_EQ(f["status"], "PASS") << f.dump(2);
  EXPECT_EQ(f["evidence"]["filter"]["verdict"], "stricter");
  EXPECT_NE(f["reason"].get<std::string>().find("assumed-role/deployer/ci"), std::string::npos) << f["reason"];
}

TEST_F(AuditTest, NamespaceMismatchFails) {
  json spec = seed();
  item(spec["alarms"], "name", "alarm-4.10")["namespace"] = "LogMetrics";
  build(spec);
  json f = finding(audit_json(1), "4.10");
  EXPECT_EQ(f["status"], "FAIL");
  EXPECT_NE(f["reason"].get<std::string>().find("namespace mismatch"), std::string::npos) << f["reason"];
}

TEST_F(AuditTest, AlarmActionsDisabledFails) {
  json spec = seed();
  item(spec["alarms"], "name", "alarm-4.10")["actions_enabled"] = false;
  build(spec);
  json f = finding(audit_json(1), "4.10");
  EXPECT_EQ(f["status"], "FAIL");
  EXPECT_NE(f["reason"].get<std::string>().find("actions disabled"), std::string::npos) << f["reason"];
}

TEST_F(AuditTest, TopicWithoutSubscriptionsFails) {
  json spec = seed();
  spec["topic"]["subscribe"] = json::array();
  build(spec);
  json doc = audit_json(1);
  for (const auto& f : doc["findings"]) {
    if (f["control"] == "4.16") continue;
    EXPECT_EQ(f["status"], "FAIL") << f.dump(2);
    EXPECT_NE(f["reason"].get<std::string>().find("has no subscriptions"), std::string::npos) << f["reason"];
  }
}

TEST_F(AuditTest, TrailNotMultiRegionFails) {
  json spec = seed();
  spec["trail"]["multi_region"] = false;
  build(spec);
  json f = finding(audit_json(1), "4.10");
  EXPECT_EQ(f["status"], "FAIL");
  EXPECT_NE(f["reason"].get<std::string>().find("not multi-region"), std::string::npos) << f["reason"];
}

TEST_F(AuditTest, TrailNotLoggingFails) {
  json spec = seed();
  spec["trail"]["logging"] = false;
  build(spec);
  json f = finding(audit_json(1), "4.3");
  EXPECT_EQ(f["status"], "FAIL");
  EXPECT_NE(f["reason"].get<std::string>().find("not logging"), std::string::npos) << f["reason"];
}

TEST_F(AuditTest, KmsExcludedFromManagementEventsFailsOnly47) {
  json spec = seed();
  spec["trail"]["exclude_sources"] = json::array({"kms.amazonaws.com"});
  build(spec);
  json doc = audit_json(1);
  EXPECT_EQ(finding(doc, "4.7")["status"], "FAIL");
  EXPECT_EQ(finding(doc, "4.10")["status"], "PASS");
}

TEST_F(AuditTest, CisV5WithoutModifySecurityGroupRulesFailsWithACounterExample) {
  build(seed("cis-v3"));
  json doc = audit_json(1, {"--benchmark", "cis-v5"});
  json f = finding(doc, "4.10");
  EXPECT_EQ(f["status"], "FAIL");
  EXPECT_EQ(f["benchmark"], "cis-v5");
  EXPECT_NE(f["reason"].get<std::string>().find("ModifySecurityGroupRules"), std::string::npos) << f["reason"];
  bool example = false;
  for (const auto& considered : f["evidence"]["filters_considered"]) {
    if (!considered.contains("missed_required")) continue;
    for (const auto& missed : considered["missed_required"]) {
      if (missed["event"].is_object() && missed["event"]["eventName"] == "ModifySecurityGroupRules") example = true;
    }
  }
  EXPECT_TRUE(example) << f["evidence"].dump(2);
}

TEST_F(AuditTest, SecurityHubOffFails416AndOtherFormatsRender) {
  json spec = seed();
  spec["security_hub"] = false;
  build(spec);
  EXPECT_EQ(finding(audit_json(1), "4.16")["status"], "FAIL");
  for (const char* format : {"ocsf", "asff", "sarif"}) {
    ProcessResult result = audit({"--format", format});
    EXPECT_EQ(result.exit_code, 1) << format << ": " << result.err;
    json doc = json::parse(result.out, nullptr, false);
    ASSERT_FALSE(doc.is_discarded()) << format;
  }
  ProcessResult table = audit({"--format", "table"});
  EXPECT_NE(table.out.find("4.16   FAIL"), std::string::npos) << table.out;
}

TEST_F(AuditTest, BadUsageAndUnreachableEndpointsAreErrors) {
  ProcessResult format = audit({"--format", "xml"});
  EXPECT_EQ(format.exit_code, 2);
  EXPECT_NE(format.err.find("--format"), std::string::npos);
  ProcessResult benchmark = audit({"--benchmark", "cis-v9"});
  EXPECT_EQ(benchmark.exit_code, 2);
  std::vector<std::string> argv = {sgwatch_binary(), "audit", "--endpoint-url", "http://127.0.0.1:1", "--region",
                                   kRegion, "--format", "json"};
  ProcessResult down = run_process_with_environment(
      argv, {"AWS_ACCESS_KEY_ID=AKIDEXAMPLE", "AWS_SECRET_ACCESS_KEY=x", "AWS_CONFIG_FILE=/dev/null",
             "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true", "AWS_MAX_ATTEMPTS=1"});
  EXPECT_EQ(down.exit_code, 2) << down.out;
  EXPECT_NE(down.err.find("cannot audit"), std::string::npos) << down.err;
}

// apply: an account with a trail and its log group but no chain. The first apply creates 15
// filters, 15 alarms, the topic and the subscription; the audit then passes every filter, alarm
// and topic link; a second apply changes nothing.
class ApplyTest : public AuditTest {
 protected:
  ProcessResult run(const std::string& command, std::vector<std::string> extra) {
    std::vector<std::string> argv = {sgwatch_binary(), command, "--endpoint-url", moto_->endpoint_url(), "--region",
                                     kRegion, "--format", "json"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_process_with_environment(
        argv, {"PATH=/usr/bin:/bin", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
               "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "AWS_CONFIG_FILE=/dev/null",
               "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_EC2_METADATA_DISABLED=true"});
  }
  json apply(std::vector<std::string> extra, int expected_exit = 0) {
    std::vector<std::string> args = {"--log-group", "CloudTrail/management", "--email", "sec@example.com"};
    args.insert(args.end(), extra.begin(), extra.end());
    ProcessResult result = run("apply", args);
    EXPECT_EQ(result.exit_code, expected_exit) << result.err << result.out;
    json doc = json::parse(result.out, nullptr, false);
    EXPECT_FALSE(doc.is_discarded()) << result.out;
    return doc;
  }
  static json bare_account() {
    json spec;
    spec["region"] = kRegion;
    spec["trail"] = {{"name", "management"}, {"log_group", "CloudTrail/management"}};
    spec["security_hub"] = true;
    return spec;
  }
  static std::size_t count(const json& doc, const std::string& kind, const std::string& status) {
    std::size_t n = 0;
    for (const auto& a : doc["actions"]) {
      if (a["kind"] == kind && a["status"] == status) ++n;
    }
    return n;
  }
};

TEST_F(ApplyTest, ApplyCreatesTheChainThenTheAuditPassesAndASecondApplyChangesNothing) {
  build(bare_account());
  json dry = apply({"--dry-run"});
  EXPECT_EQ(count(dry, "metric-filter", "would create"), 15u) << dry.dump(2);
  EXPECT_EQ(finding(audit_json(1), "4.10")["status"], "FAIL") << "a dry run changed the account";

  json first = apply({});
  EXPECT_EQ(count(first, "metric-filter", "created"), 15u) << first.dump(2);
  EXPECT_EQ(count(first, "alarm", "created"), 15u);
  EXPECT_EQ(count(first, "topic", "created"), 1u);
  EXPECT_EQ(count(first, "subscription", "created"), 1u);
  EXPECT_EQ(first["changes"], 32);
  for (const auto& p : first["prerequisites"]) EXPECT_TRUE(p["ok"].get<bool>()) << p.dump();

  json doc = audit_json(0);
  for (const auto& f : doc["findings"]) {
    EXPECT_EQ(f["status"], "PASS") << f.dump(2);
  }

  json second = apply({});
  EXPECT_EQ(second["changes"], 0) << second.dump(2);
  EXPECT_EQ(count(second, "metric-filter", "exists"), 15u);
  EXPECT_EQ(count(second, "alarm", "exists"), 15u);
}

TEST_F(ApplyTest, ApplyKeepsATunedFilterAndAddsOnlyWhatIsMissing) {
  json spec = bare_account();
  spec["filters"] = json::array({{{"name", "sg-changes-tuned"},
                                  {"pattern",
                                   "{ ($.eventName = AuthorizeSecurityGroupIngress || $.eventName = "
                                   "AuthorizeSecurityGroupEgress || $.eventName = RevokeSecurityGroupIngress || "
                                   "$.eventName = RevokeSecurityGroupEgress || $.eventName = CreateSecurityGroup || "
                                   "$.eventName = DeleteSecurityGroup) && $.userIdentity.arn != "
                                   "\"arn:aws:sts::123456789012:assumed-role/deployer/ci\" }"},
                                  {"metric", "SecurityGroupChanges"},
                                  {"namespace", "Security"}}});
  build(spec);
  json first = apply({});
  EXPECT_EQ(count(first, "metric-filter", "created"), 14u) << first.dump(2);
  bool kept = false;
  for (const auto& a : first["actions"]) {
    if (a["control"] == "4.10" && a["kind"] == "metric-filter") {
      kept = a["status"] == "exists" && a["name"] == "sg-changes-tuned";
      EXPECT_NE(a["detail"].get<std::string>().find("stricter"), std::string::npos) << a.dump();
    }
  }
  EXPECT_TRUE(kept) << first.dump(2);
  json f = finding(audit_json(0), "4.10");
  EXPECT_EQ(f["status"], "PASS") << f.dump(2);
  EXPECT_EQ(f["evidence"]["metric"]["namespace"], "Security");
  EXPECT_EQ(apply({})["changes"], 0);
}

TEST_F(ApplyTest, ApplyReportsAMissingLogGroupAndTrailAsPrerequisites) {
  json spec;
  spec["region"] = kRegion;
  spec["log_groups"] = json::array({"CloudTrail/management"});
  build(spec);
  json doc = apply({}, 1);
  bool trail_missing = false;
  for (const auto& p : doc["prerequisites"]) {
    if (p["what"] == "trail") trail_missing = !p["ok"].get<bool>();
  }
  EXPECT_TRUE(trail_missing) << doc.dump(2);
  build(json{{"region", kRegion}});
  json none = apply({}, 1);
  ASSERT_FALSE(none["prerequisites"].empty());
  EXPECT_EQ(none["prerequisites"][0]["what"], "log group");
  EXPECT_FALSE(none["prerequisites"][0]["ok"].get<bool>());
  EXPECT_TRUE(none["actions"].empty());
}

// export --format aws-cli, run with the real AWS CLI (a PATH wrapper adds --endpoint-url), builds
// a chain the audit passes.
TEST_F(ApplyTest, ExportedAwsCliScriptBuildsAChainTheAuditPasses) {
  build(bare_account());
  ProcessResult exported = run_process({sgwatch_binary(), "export", "--format", "aws-cli", "--log-group",
                                        "CloudTrail/management", "--email", "sec@example.com"});
  ASSERT_EQ(exported.exit_code, 0) << exported.err;
  const auto bin = dir_.path() / "bin";
  std::filesystem::create_directories(bin);
  {
    std::ofstream wrapper(bin / "aws");
    wrapper << "#!/bin/sh\nexec /usr/bin/aws --endpoint-url " << moto_->endpoint_url() << " \"$@\"\n";
  }
  std::filesystem::permissions(bin / "aws", std::filesystem::perms::owner_all);
  std::ofstream(dir_.path() / "chain.sh") << exported.out;
  ProcessResult ran = run_process_with_environment(
      {"/bin/sh", (dir_.path() / "chain.sh").string()},
      {"PATH=" + bin.string() + ":/usr/bin:/bin", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
       "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "AWS_DEFAULT_REGION=us-east-1",
       "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=",
       "AWS_EC2_METADATA_DISABLED=true", "HOME=" + dir_.path().string()});
  ASSERT_EQ(ran.exit_code, 0) << ran.err;
  json doc = audit_json(0);
  for (const auto& f : doc["findings"]) {
    EXPECT_EQ(f["status"], "PASS") << f.dump(2);
  }
}

}  // namespace
}  // namespace sgwatch::testing
