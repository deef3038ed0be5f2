// `sgwatch state` through the binary (docs/cli.md "sgwatch state"): a realistic
// describe-security-groups baseline imported into a state dir, a scripted CloudTrail sequence
// (create, authorize, modify, revoke, delete, and an authorize on a group without baseline)
// applied with the exact before/after diff of each change, persistence across invocations (a
// second apply of the same events changes nothing), the exposure listing and its exit statuses,
// show, and bad input (malformed JSON, wrong shapes: one error line with where and why, exit 2).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "support/subprocess.h"
#include "support/temp_dir.h"

namespace sgwatch::testing {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

void write_text(const fs::path& path, std::string_view text) { std::ofstream(path, std::ios::binary) << text; }

std::vector<Json> lines_of(const std::string& out) {
  std::vector<Json> result;
  std::istringstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) result.push_back(Json::parse(line));
  }
  return result;
}

// What `aws ec2 describe-security-groups --output json` prints for a small VPC: a web group open
// to the world on 443 (and on 22 by mistake), a database group reachable from the web group, and
// the VPC's default group.
const char* kDescribeSecurityGroups = R"({
    "SecurityGroups": [
        {
            "Description": "default VPC security group",
            "GroupName": "default",
            "IpPermissions": [
                {
                    "IpProtocol": "-1",
                    "IpRanges": [],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": [
                        {
                            "GroupId": "sg-0d1e2f3a4b5c6d7e8",
                            "UserId": "111122223333"
                        }
                    ]
                }
            ],
            "OwnerId": "111122223333",
            "GroupId": "sg-0d1e2f3a4b5c6d7e8",
            "IpPermissionsEgress": [
                {
                    "IpProtocol": "-1",
                    "IpRanges": [
                        {
                            "CidrIp": "0.0.0.0/0"
                        }
                    ],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": []
                }
            ],
            "VpcId": "vpc-0a1b2c3d4e5f60718"
        },
        {
            "Description": "web tier",
            "GroupName": "web",
            "IpPermissions": [
                {
                    "FromPort": 443,
                    "IpProtocol": "tcp",
                    "IpRanges": [
                        {
                            "CidrIp": "0.0.0.0/0",
                            "Description": "HTTPS"
                        }
                    ],
                    "Ipv6Ranges": [
                        {
                            "CidrIpv6": "::/0",
                            "Description": "HTTPS"
                        }
                    ],
                    "PrefixListIds": [],
                    "ToPort": 443,
                    "UserIdGroupPairs": []
                },
                {
                    "FromPort": 22,
                    "IpProtocol": "tcp",
                    "IpRanges": [
                        {
                            "CidrIp": "0.0.0.0/0",
                            "Description": "temporary"
                        }
                    ],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "ToPort": 22,
                    "UserIdGroupPairs": []
                }
            ],
            "OwnerId": "111122223333",
            "GroupId": "sg-0aaa1111bbbb2222c",
            "IpPermissionsEgress": [
                {
                    "IpProtocol": "-1",
                    "IpRanges": [
                        {
                            "CidrIp": "0.0.0.0/0"
                        }
                    ],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "UserIdGroupPairs": []
                }
            ],
            "Tags": [
                {
                    "Key": "Name",
                    "Value": "web"
                },
                {
                    "Key": "team",
                    "Value": "platform"
                }
            ],
            "VpcId": "vpc-0a1b2c3d4e5f60718"
        },
        {
            "Description": "postgres",
            "GroupName": "db",
            "IpPermissions": [
                {
                    "FromPort": 5432,
                    "IpProtocol": "tcp",
                    "IpRanges": [],
                    "Ipv6Ranges": [],
                    "PrefixListIds": [],
                    "ToPort": 5432,
                    "UserIdGroupPairs": [
                        {
                            "Description": "from web",
                            "GroupId": "sg-0aaa1111bbbb2222c",
                            "UserId": "111122223333"
                        }
                    ]
                }
            ],
            "OwnerId": "111122223333",
            "GroupId": "sg-0ccc3333dddd4444e",
            "IpPermissionsEgress": [],
            "VpcId": "vpc-0a1b2c3d4e5f60718"
        }
    ]
}
)";

Json record(const std::string& name, const Json& request, const Json& response, const std::string& time, const std::string& id) {
  return {{"eventVersion", "1.09"},
          {"userIdentity", {{"type", "IAMUser"}, {"arn", "arn:aws:iam::111122223333:user/alice"}, {"accountId", "111122223333"}, {"userName", "alice"}}},
          {"eventTime", time},
          {"eventSource", "ec2.amazonaws.com"},
          {"eventName", name},
          {"awsRegion", "eu-west-1"},
          {"sourceIPAddress", "198.51.100.23"},
          {"requestParameters", request},
          {"responseElements", response},
          {"eventID", id},
          {"recipientAccountId", "111122223333"}};
}

Json permission(const std::string& protocol, int from, int to, const std::string& cidr) {
  return {{"ipProtocol", protocol}, {"fromPort", from}, {"toPort", to}, {"groups", Json::object()},
          {"ipRanges", {{"items", {{{"cidrIp", cidr}}}}}}, {"ipv6Ranges", Json::object()}, {"prefixListIds", Json::object()}};
}

// The scripted sequence, as a CloudTrail Records file.
std::string sequence() {
  const std::string group = "sg-0new0000000000001";
  Json records = Json::array();
  records.push_back(record("CreateSecurityGroup", {{"groupName", "api"}, {"groupDescription", "api tier"}, {"vpcId", "vpc-0a1b2c3d4e5f60718"}},
                           {{"_return", true}, {"groupId", group}}, "2026-03-01T10:00:00Z", "ev-1"));
  records.push_back(record(
      "AuthorizeSecurityGroupIngress", {{"groupId", group}, {"ipPermissions", {{"items", {permission("tcp", 5432, 5432, "0.0.0.0/0")}}}}},
      {{"_return", true},
       {"securityGroupRuleSet",
        {{"items", {{{"groupId", group}, {"securityGroupRuleId", "sgr-0001"}, {"isEgress", false}, {"ipProtocol", "tcp"},
                     {"fromPort", 5432}, {"toPort", 5432}, {"cidrIpv4", "0.0.0.0/0"}}}}}}},
      "2026-03-01T10:01:00Z", "ev-2"));
  records.push_back(record(
      "ModifySecurityGroupRules",
      {{"ModifySecurityGroupRulesRequest",
        {{"GroupId", group},
         {"SecurityGroupRule",
          {{"SecurityGroupRuleId", "sgr-0001"},
           {"SecurityGroupRule", {{"IpProtocol", "tcp"}, {"FromPort", 5432}, {"ToPort", 5432}, {"CidrIpv4", "10.0.0.0/16"}}}}}}}},
      nullptr, "2026-03-01T10:02:00Z", "ev-3"));
  // On a baseline group: close the world-open SSH rule (by permission; the baseline has no ids).
  records.push_back(record("RevokeSecurityGroupIngress",
                           {{"groupId", "sg-0aaa1111bbbb2222c"}, {"ipPermissions", {{"items", {permission("tcp", 22, 22, "0.0.0.0/0")}}}}},
                           {{"_return", true}}, "2026-03-01T10:03:00Z", "ev-4"));
  records.push_back(record("DeleteSecurityGroup", {{"groupId", group}}, {{"_return", true}}, "2026-03-01T10:04:00Z", "ev-5"));
  // A group the baseline does not hold: a partial state.
  records.push_back(record("AuthorizeSecurityGroupIngress",
                           {{"groupId", "sg-0ext0000000000009"}, {"ipPermissions", {{"items", {permission("tcp", 3389, 3389, "0.0.0.0/0")}}}}},
                           {{"_return", true}}, "2026-03-01T10:05:00Z", "ev-6"));
  // A failed call: no line, nothing changed.
  Json failed = record("AuthorizeSecurityGroupIngress",
                       {{"groupId", "sg-0ccc3333dddd4444e"}, {"ipPermissions", {{"items", {permission("tcp", 5432, 5432, "0.0.0.0/0")}}}}},
                       nullptr, "2026-03-01T10:06:00Z", "ev-7");
  failed["errorCode"] = "Client.UnauthorizedOperation";
  records.push_back(failed);
  return Json{{"Records", records}}.dump();
}

std::vector<std::string> rule_texts(const Json& rules) {
  std::vector<std::string> out;
  for (const Json& r : rules) {
    std::string text = r["direction"].get<std::string>() + " " + (r["protocol"].is_null() ? "" : r["protocol"].get<std::string>());
    if (!r["fromPort"].is_null()) text += " " + std::to_string(r["fromPort"].get<long long>());
    text += " " + (r["peer"]["value"].is_null() ? std::string("-") : r["peer"]["value"].get<std::string>());
    if (!r["ruleId"].is_null()) text += " " + r["ruleId"].get<std::string>();
    out.push_back(text);
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(StateCli, ImportApplyExposureShowAcrossInvocations) {
  TempDir dir;
  const std::string state_dir = (dir.path() / "state").string();
  write_text(dir.path() / "groups.json", kDescribeSecurityGroups);
  write_text(dir.path() / "events.json", sequence());

  const auto imported = run_process({sgwatch_binary(), "state", "import", (dir.path() / "groups.json").string(), "--state-dir", state_dir});
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_EQ(imported.out, "imported 3 security groups (7 rules) into " + state_dir + "/state.db\n");
  EXPECT_EQ(imported.err, "");

  // Exposure of the baseline: the web group's SSH (critical); 443 is high, below the default.
  auto exposure = run_process({sgwatch_binary(), "state", "exposure", "--state-dir", state_dir});
  ASSERT_EQ(exposure.exit_code, 0) << exposure.err;
  auto groups = lines_of(exposure.out);
  ASSERT_EQ(groups.size(), 1U);
  EXPECT_EQ(groups[0]["groupId"], "sg-0aaa1111bbbb2222c");
  EXPECT_EQ(groups[0]["severity"], "critical");
  EXPECT_EQ(groups[0]["reason"], "SSH (22) open to the world");
  ASSERT_EQ(groups[0]["exposures"].size(), 1U);
  exposure = run_process({sgwatch_binary(), "state", "exposure", "--min-severity", "high", "--state-dir", state_dir});
  ASSERT_EQ(exposure.exit_code, 0);
  EXPECT_EQ(lines_of(exposure.out)[0]["exposures"].size(), 3U);  // SSH, then 443 over IPv4 and IPv6

  // Apply the sequence: one line per change, with its diff.
  const auto applied = run_process({sgwatch_binary(), "state", "apply", "--state-dir", state_dir, (dir.path() / "events.json").string()});
  ASSERT_EQ(applied.exit_code, 0) << applied.err;
  const auto lines = lines_of(applied.out);
  ASSERT_EQ(lines.size(), 6U) << applied.out;
  EXPECT_EQ(lines[0]["eventName"], "CreateSecurityGroup");
  EXPECT_EQ(lines[0]["groupId"], "sg-0new0000000000001");
  EXPECT_EQ(lines[0]["newState"], true);
  EXPECT_EQ(lines[0]["unknownBaseline"], false);
  EXPECT_EQ(rule_texts(lines[0]["diff"]["added"]), Lines{"egress -1 0.0.0.0/0"});
  EXPECT_EQ(rule_texts(lines[1]["diff"]["added"]), Lines{"ingress tcp 5432 0.0.0.0/0 sgr-0001"});
  EXPECT_EQ(lines[1]["severity"], "critical");
  ASSERT_EQ(lines[2]["diff"]["changed"].size(), 1U);
  EXPECT_EQ(rule_texts(Json::array({lines[2]["diff"]["changed"][0]["before"]})), Lines{"ingress tcp 5432 0.0.0.0/0 sgr-0001"});
  EXPECT_EQ(rule_texts(Json::array({lines[2]["diff"]["changed"][0]["after"]})), Lines{"ingress tcp 5432 10.0.0.0/16 sgr-0001"});
  EXPECT_EQ(lines[3]["groupId"], "sg-0aaa1111bbbb2222c");
  EXPECT_EQ(rule_texts(lines[3]["diff"]["removed"]), Lines{"ingress tcp 22 0.0.0.0/0"});
  EXPECT_EQ(lines[4]["eventName"], "DeleteSecurityGroup");
  EXPECT_EQ(lines[4]["deleted"], true);
  EXPECT_EQ(rule_texts(lines[4]["diff"]["removed"]), (Lines{"ingress tcp 5432 10.0.0.0/16 sgr-0001", "egress -1 0.0.0.0/0"}));
  EXPECT_EQ(lines[5]["groupId"], "sg-0ext0000000000009");
  EXPECT_EQ(lines[5]["unknownBaseline"], true);
  EXPECT_EQ(lines[5]["newState"], true);
  for (const Json& line : lines) {
    EXPECT_EQ(line["applied"], true);
    EXPECT_EQ(line["outOfOrder"], false);
  }

  // Persisted: a second run of the same events changes nothing (exit 1, a note).
  const auto again = run_process({sgwatch_binary(), "state", "apply", "--state-dir", state_dir, (dir.path() / "events.json").string()});
  EXPECT_EQ(again.exit_code, 1) << again.err;
  EXPECT_EQ(again.out, "");
  EXPECT_EQ(again.err, "sgwatch: note: 6 changes were applied before (same event and group): skipped\n");

  // Exposure now: the web group's SSH is gone; the group without baseline has RDP open.
  exposure = run_process({sgwatch_binary(), "state", "exposure", "--state-dir", state_dir, "--format", "json"});
  ASSERT_EQ(exposure.exit_code, 0) << exposure.err;
  const Json array = Json::parse(exposure.out);
  ASSERT_EQ(array.size(), 1U);
  EXPECT_EQ(array[0]["groupId"], "sg-0ext0000000000009");
  EXPECT_EQ(array[0]["unknownBaseline"], true);
  EXPECT_EQ(array[0]["reason"], "RDP (3389) open to the world");

  // Show: one group, and all of them.
  const auto web = run_process({sgwatch_binary(), "state", "show", "sg-0aaa1111bbbb2222c", "--state-dir", state_dir});
  ASSERT_EQ(web.exit_code, 0) << web.err;
  const auto shown = lines_of(web.out);
  ASSERT_EQ(shown.size(), 1U);
  EXPECT_EQ(shown[0]["groupName"], "web");
  EXPECT_EQ(rule_texts(shown[0]["ingress"]), (Lines{"ingress tcp 443 0.0.0.0/0", "ingress tcp 443 ::/0"}));
  EXPECT_EQ(shown[0]["tags"].size(), 2U);
  EXPECT_EQ(shown[0]["lastEventId"], "ev-4");
  const auto all = run_process({sgwatch_binary(), "state", "show", "--state-dir", state_dir});
  ASSERT_EQ(all.exit_code, 0);
  const auto every = lines_of(all.out);
  ASSERT_EQ(every.size(), 5U);
  EXPECT_EQ(every[3]["groupId"], "sg-0ext0000000000009");
  EXPECT_EQ(every[4]["groupId"], "sg-0new0000000000001");
  EXPECT_EQ(every[4]["deleted"], true);
  const auto table = run_process({sgwatch_binary(), "state", "show", "sg-0new0000000000001", "--format", "table", "--state-dir", state_dir});
  EXPECT_NE(table.out.find("sg-0new0000000000001 (api) in vpc-0a1b2c3d4e5f60718  DELETED"), std::string::npos) << table.out;
  const auto missing = run_process({sgwatch_binary(), "state", "show", "sg-0nothere", "--state-dir", state_dir});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.out, "");

  // Nothing exposed once the last world-open rule is revoked: exit 1.
  Json revoke = record("RevokeSecurityGroupIngress",
                       {{"groupId", "sg-0ext0000000000009"}, {"ipPermissions", {{"items", {permission("tcp", 3389, 3389, "0.0.0.0/0")}}}}},
                       {{"_return", true}}, "2026-03-01T11:00:00Z", "ev-8");
  const auto revoked = run_process({sgwatch_binary(), "state", "apply", "--state-dir", state_dir, "--format", "table"}, revoke.dump() + "\n");
  ASSERT_EQ(revoked.exit_code, 0) << revoked.err;
  EXPECT_EQ(revoked.out,
            "2026-03-01T11:00:00Z  RevokeSecurityGroupIngress  sg-0ext0000000000009\n"
            "  - ingress tcp 3389 from 0.0.0.0/0  [info: removal reduces exposure]\n");
  exposure = run_process({sgwatch_binary(), "state", "exposure", "--state-dir", state_dir});
  EXPECT_EQ(exposure.exit_code, 1);
  EXPECT_EQ(exposure.out, "");
}

TEST(StateCli, BadInputIsOneErrorLineWithWhereAndWhy) {
  TempDir dir;
  const std::string state_dir = (dir.path() / "state").string();
  struct Case {
    std::string text, error;
  };
  const std::vector<Case> cases{
      {"{\"SecurityGroups\": [", "at byte 21: not valid JSON"},
      {"{\"Groups\": []}", "at document: no SecurityGroups"},
      {R"({"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": "22", "ToPort": 22}]}]})",
       "at SecurityGroups[0].IpPermissions[0].FromPort: an integer expected, not the string \"22\""},
      {R"({"SecurityGroups": [{"GroupId": "sg-1", "Tags": {"Key": "a"}}]})", "at SecurityGroups[0].Tags: a list expected, not an object"},
  };
  for (const Case& c : cases) {
    const fs::path file = dir.path() / "bad.json";
    write_text(file, c.text);
    const auto r = run_process({sgwatch_binary(), "state", "import", file.string(), "--state-dir", state_dir});
    EXPECT_EQ(r.exit_code, 2) << c.text;
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.rfind("sgwatch: bad input: " + file.string() + " " + c.error, 0), 0U) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  }
  const auto missing = run_process({sgwatch_binary(), "state", "import", (dir.path() / "none.json").string(), "--state-dir", state_dir});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "sgwatch: cannot read: " + (dir.path() / "none.json").string() + ": No such file or directory\n");
  // Nothing was stored by the failed imports.
  EXPECT_EQ(run_process({sgwatch_binary(), "state", "show", "--state-dir", state_dir}).exit_code, 1);
  // Bad CloudTrail input to apply: reported with its byte offset, what came before applied, exit 2.
  const std::string good = record("AuthorizeSecurityGroupIngress",
                                  {{"groupId", "sg-0abc"}, {"ipPermissions", {{"items", {permission("tcp", 22, 22, "0.0.0.0/0")}}}}},
                                  {{"_return", true}}, "2026-03-01T10:00:00Z", "g-1").dump();
  write_text(dir.path() / "events.jsonl", good + "\n{\"eventName\": \"x\"]\n");
  const auto r = run_process({sgwatch_binary(), "state", "apply", "--state-dir", state_dir, (dir.path() / "events.jsonl").string()});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(lines_of(r.out).size(), 1U);
  EXPECT_EQ(r.err.rfind("sgwatch: bad input: " + (dir.path() / "events.jsonl").string() + " at byte ", 0), 0U) << r.err;
  // Usage errors.
  EXPECT_EQ(run_process({sgwatch_binary(), "state", "exposure", "--min-severity", "severe", "--state-dir", state_dir}).exit_code, 2);
  EXPECT_EQ(run_process({sgwatch_binary(), "state", "show", "--format", "xml", "--state-dir", state_dir}).exit_code, 2);
  EXPECT_EQ(run_process({sgwatch_binary(), "state"}).exit_code, 2);
}

}  // namespace
}  // namespace sgwatch::testing
