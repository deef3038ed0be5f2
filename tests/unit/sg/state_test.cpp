// The live group state (sg/state.h, sg/baseline.h): a scripted sequence of CloudTrail events
// (create, authorize, modify, duplicate, failed and dry-run calls, description update, revoke by
// permission and by id, tags, delete), each normalized by sg::normalize and applied, with the
// exact before/after rule diff of every step; rule identity; out-of-order events; partial states
// for groups without a baseline; exposure of a live group; the JSON round trip; and
// describe-security-groups / describe-security-group-rules baselines, good and bad.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sg/sg.h"

namespace sgwatch::sg {
namespace {

using Json = nlohmann::json;

std::string record(const std::string& name, const Json& request, const Json& response, const std::string& time,
                   const std::string& id, const Json& extra = Json::object()) {
  Json r = {{"eventVersion", "1.09"},
            {"userIdentity", {{"type", "IAMUser"}, {"arn", "arn:aws:iam::111122223333:user/alice"}, {"accountId", "111122223333"}}},
            {"eventTime", time},
            {"eventSource", "ec2.amazonaws.com"},
            {"eventName", name},
            {"awsRegion", "eu-west-1"},
            {"sourceIPAddress", "198.51.100.23"},
            {"requestParameters", request},
            {"responseElements", response},
            {"eventID", id},
            {"recipientAccountId", "111122223333"}};
  for (auto it = extra.begin(); it != extra.end(); ++it) r[it.key()] = it.value();
  return r.dump();
}

Change one_change(const std::string& text) {
  auto result = normalize(text);
  EXPECT_TRUE(result.ok());
  if (!result.ok() || result->size() != 1) {
    ADD_FAILURE() << "expected one change";
    return {};
  }
  return (*result)[0];
}

Json permission(const std::string& protocol, int from, int to, const std::string& cidr) {
  return {{"ipProtocol", protocol}, {"fromPort", from}, {"toPort", to}, {"groups", Json::object()},
          {"ipRanges", {{"items", {{{"cidrIp", cidr}}}}}}, {"ipv6Ranges", Json::object()}, {"prefixListIds", Json::object()}};
}

// "ingress tcp 22 0.0.0.0/0 sgr-1 "desc"" — a compact text of a rule for exact comparisons.
std::string text(const Rule& r) {
  std::string out = std::string(direction_name(r.direction)) + " " + rule_traffic_text(r) + " " + peer_text(r.peer);
  if (!r.rule_id.empty()) out += " " + r.rule_id;
  if (r.description) out += " \"" + *r.description + "\"";
  return out;
}

std::vector<std::string> texts(const std::vector<Rule>& rules) {
  std::vector<std::string> out;
  for (const Rule& r : rules) out.push_back(text(r));
  return out;
}

std::vector<std::string> changed_texts(const RuleDiff& diff) {
  std::vector<std::string> out;
  for (const auto& [before, after] : diff.changed) out.push_back(text(before) + " => " + text(after));
  return out;
}

using Lines = std::vector<std::string>;

TEST(GroupStateSequence, CreateAuthorizeModifyRevokeDeleteGiveExactDiffs) {
  const std::string group = "sg-0123456789abcdef0";
  GroupState state;
  state.id = group;

  // 1. CreateSecurityGroup: the group and EC2's implicit allow-all egress rule.
  Change create = one_change(record("CreateSecurityGroup",
                                    {{"groupName", "web"}, {"groupDescription", "web servers"}, {"vpcId", "vpc-0a1b2c3d"}},
                                    {{"_return", true}, {"groupId", group}}, "2026-03-01T10:00:00Z", "e1"));
  ApplyResult r = apply(state, create);
  ASSERT_TRUE(r.applied);
  EXPECT_EQ(texts(r.diff.added), Lines{"egress all traffic 0.0.0.0/0"});
  EXPECT_TRUE(r.diff.removed.empty());
  EXPECT_TRUE(r.diff.changed.empty());
  EXPECT_EQ(r.state.name, "web");
  EXPECT_EQ(r.state.vpc_id, "vpc-0a1b2c3d");
  EXPECT_EQ(r.state.description, "web servers");
  EXPECT_FALSE(r.state.unknown_baseline);
  EXPECT_EQ(r.state.last_event_id, "e1");
  state = r.state;

  // 2. AuthorizeSecurityGroupIngress: two rules, ids from the response.
  Json rule_set = {{"items",
                    {{{"groupId", group}, {"securityGroupRuleId", "sgr-0aaa"}, {"isEgress", false}, {"ipProtocol", "tcp"},
                      {"fromPort", 22}, {"toPort", 22}, {"cidrIpv4", "0.0.0.0/0"}},
                     {{"groupId", group}, {"securityGroupRuleId", "sgr-0bbb"}, {"isEgress", false}, {"ipProtocol", "tcp"},
                      {"fromPort", 443}, {"toPort", 443}, {"cidrIpv4", "0.0.0.0/0"}}}}};
  Change authorize = one_change(record(
      "AuthorizeSecurityGroupIngress",
      {{"groupId", group}, {"ipPermissions", {{"items", {permission("tcp", 22, 22, "0.0.0.0/0"), permission("tcp", 443, 443, "0.0.0.0/0")}}}}},
      {{"_return", true}, {"securityGroupRuleSet", rule_set}}, "2026-03-01T10:01:00Z", "e2"));
  r = apply(state, authorize);
  ASSERT_TRUE(r.applied);
  EXPECT_EQ(texts(r.diff.added), (Lines{"ingress tcp 22 0.0.0.0/0 sgr-0aaa", "ingress tcp 443 0.0.0.0/0 sgr-0bbb"}));
  EXPECT_TRUE(r.diff.removed.empty());
  EXPECT_EQ(texts(r.state.ingress), (Lines{"ingress tcp 22 0.0.0.0/0 sgr-0aaa", "ingress tcp 443 0.0.0.0/0 sgr-0bbb"}));
  state = r.state;
  ASSERT_EQ(exposure_of(state, ExposurePolicy{}, Severity::kCritical).size(), 1U);
  EXPECT_EQ(exposure_of(state, ExposurePolicy{}, Severity::kCritical)[0].reason, "SSH (22) open to the world");

  // 3. ModifySecurityGroupRules: sgr-0aaa narrowed to 10.0.0.0/16 with a description.
  Change modify = one_change(record(
      "ModifySecurityGroupRules",
      {{"ModifySecurityGroupRulesRequest",
        {{"GroupId", group},
         {"SecurityGroupRule",
          {{"SecurityGroupRuleId", "sgr-0aaa"},
           {"SecurityGroupRule", {{"IpProtocol", "tcp"}, {"FromPort", 22}, {"ToPort", 22}, {"CidrIpv4", "10.0.0.0/16"}, {"Description", "office"}}}}}}}},
      {{"ModifySecurityGroupRulesResponse", {{"return", true}}}}, "2026-03-01T10:02:00Z", "e3"));
  r = apply(state, modify);
  ASSERT_TRUE(r.applied);
  EXPECT_TRUE(r.diff.added.empty());
  EXPECT_TRUE(r.diff.removed.empty());
  EXPECT_EQ(changed_texts(r.diff), Lines{"ingress tcp 22 0.0.0.0/0 sgr-0aaa => ingress tcp 22 10.0.0.0/16 sgr-0aaa \"office\""});
  state = r.state;
  EXPECT_TRUE(exposure_of(state, ExposurePolicy{}, Severity::kCritical).empty());

  // 4. A duplicate Authorize (protocol "6" is tcp) and a failed and a dry-run call change nothing.
  Change duplicate = one_change(record("AuthorizeSecurityGroupIngress",
                                       {{"groupId", group}, {"ipPermissions", {{"items", {permission("6", 22, 22, "10.0.0.0/16")}}}}},
                                       {{"_return", true}}, "2026-03-01T10:03:00Z", "e4"));
  r = apply(state, duplicate);
  EXPECT_TRUE(r.applied);
  EXPECT_TRUE(r.diff.empty());
  EXPECT_EQ(texts(r.state.ingress), texts(state.ingress));
  Change failed = one_change(record("AuthorizeSecurityGroupIngress",
                                    {{"groupId", group}, {"ipPermissions", {{"items", {permission("tcp", 3389, 3389, "0.0.0.0/0")}}}}},
                                    nullptr, "2026-03-01T10:04:00Z", "e5", {{"errorCode", "Client.UnauthorizedOperation"}}));
  r = apply(state, failed);
  EXPECT_FALSE(r.applied);
  EXPECT_TRUE(r.diff.empty());
  ASSERT_EQ(r.notes.size(), 1U);
  EXPECT_EQ(r.notes[0], "the call failed (Client.UnauthorizedOperation): nothing changed");
  Change dry = one_change(record("AuthorizeSecurityGroupIngress",
                                 {{"groupId", group}, {"ipPermissions", {{"items", {permission("tcp", 3389, 3389, "0.0.0.0/0")}}}}},
                                 nullptr, "2026-03-01T10:04:30Z", "e5b", {{"errorCode", "Client.DryRunOperation"}}));
  r = apply(state, dry);
  EXPECT_FALSE(r.applied);
  EXPECT_EQ(texts(r.state.ingress), texts(state.ingress));

  // 5. UpdateSecurityGroupRuleDescriptionsIngress by rule id.
  Change describe = one_change(record(
      "UpdateSecurityGroupRuleDescriptionsIngress",
      {{"groupId", group}, {"securityGroupRuleDescriptions", {{"items", {{{"securityGroupRuleId", "sgr-0bbb"}, {"description", "public web"}}}}}}},
      {{"_return", true}}, "2026-03-01T10:05:00Z", "e6"));
  r = apply(state, describe);
  ASSERT_TRUE(r.applied);
  EXPECT_EQ(changed_texts(r.diff), Lines{"ingress tcp 443 0.0.0.0/0 sgr-0bbb => ingress tcp 443 0.0.0.0/0 sgr-0bbb \"public web\""});
  state = r.state;

  // 6. RevokeSecurityGroupIngress by permission (no rule id in the event) and by rule id.
  Change revoke = one_change(record("RevokeSecurityGroupIngress",
                                    {{"groupId", group}, {"ipPermissions", {{"items", {permission("tcp", 443, 443, "0.0.0.0/0")}}}}},
                                    {{"_return", true}}, "2026-03-01T10:06:00Z", "e7"));
  r = apply(state, revoke);
  ASSERT_TRUE(r.applied);
  EXPECT_EQ(texts(r.diff.removed), Lines{"ingress tcp 443 0.0.0.0/0 sgr-0bbb \"public web\""});
  EXPECT_EQ(texts(r.state.ingress), Lines{"ingress tcp 22 10.0.0.0/16 sgr-0aaa \"office\""});
  state = r.state;
  Change revoke_id = one_change(record("RevokeSecurityGroupIngress",
                                       {{"groupId", group}, {"securityGroupRuleIds", {{"items", {{{"securityGroupRuleId", "sgr-0aaa"}}}}}}},
                                       {{"_return", true}}, "2026-03-01T10:07:00Z", "e8"));
  r = apply(state, revoke_id);
  ASSERT_TRUE(r.applied);
  EXPECT_EQ(texts(r.diff.removed), Lines{"ingress tcp 22 10.0.0.0/16 sgr-0aaa \"office\""});
  EXPECT_TRUE(r.state.ingress.empty());
  state = r.state;
  // Revoking what is not there: a note, no diff.
  r = apply(state, revoke_id);
  EXPECT_TRUE(r.diff.empty());
  ASSERT_EQ(r.notes.size(), 1U);
  EXPECT_EQ(r.notes[0], "revoked rule sgr-0aaa is not in the state");

  // 7. Tags.
  Change tag = one_change(record("CreateTags",
                                 {{"resourcesSet", {{"items", {{{"resourceId", group}}}}}},
                                  {"tagSet", {{"items", {{{"key", "env"}, {"value", "prod"}}}}}}},
                                 {{"_return", true}}, "2026-03-01T10:08:00Z", "e9"));
  r = apply(state, tag);
  ASSERT_TRUE(r.applied);
  EXPECT_TRUE(r.tags_changed);
  ASSERT_EQ(r.state.tags.size(), 1U);
  EXPECT_EQ(r.state.tags[0].key, "env");
  state = r.state;

  // 8. DeleteSecurityGroup: every remaining rule removed, the group deleted; later changes ignored.
  Change remove = one_change(record("DeleteSecurityGroup", {{"groupId", group}}, {{"_return", true}}, "2026-03-01T10:09:00Z", "e10"));
  r = apply(state, remove);
  ASSERT_TRUE(r.applied);
  EXPECT_TRUE(r.group_deleted);
  EXPECT_EQ(texts(r.diff.removed), Lines{"egress all traffic 0.0.0.0/0"});
  EXPECT_TRUE(r.state.deleted);
  EXPECT_TRUE(r.state.ingress.empty() && r.state.egress.empty());
  state = r.state;
  r = apply(state, authorize);
  EXPECT_FALSE(r.applied);
  EXPECT_TRUE(exposure_of(state, ExposurePolicy{}, Severity::kInfo).empty());
}

TEST(GroupState, RuleIdentityFollowsEc2) {
  Rule a;
  a.protocol = "tcp";
  a.from_port = 22;
  a.to_port = 22;
  a.peer = Peer{Peer::Kind::kIpv4, "0.0.0.0/0", {}, {}, {}, {}};
  Rule b = a;
  b.protocol = "6";
  b.description = "other";
  b.rule_id = "sgr-1";
  EXPECT_TRUE(same_rule(a, b));
  b.to_port = 23;
  EXPECT_FALSE(same_rule(a, b));
  Rule all1;
  all1.protocol = "-1";
  all1.peer = a.peer;
  Rule all2 = all1;
  all2.protocol = "all";
  all2.from_port = 0;
  all2.to_port = 0;
  EXPECT_TRUE(same_rule(all1, all2));
  Rule tcp_all = a;
  tcp_all.from_port.reset();
  tcp_all.to_port.reset();
  Rule tcp_minus = a;
  tcp_minus.from_port = -1;
  tcp_minus.to_port = -1;
  EXPECT_TRUE(same_rule(tcp_all, tcp_minus));
  Rule v6 = a;
  v6.peer = Peer{Peer::Kind::kIpv6, "2001:DB8::/32", {}, {}, {}, {}};
  Rule v6_lower = v6;
  v6_lower.peer.value = "2001:db8::/32";
  EXPECT_TRUE(same_rule(v6, v6_lower));
  Rule egress = a;
  egress.direction = Direction::kEgress;
  EXPECT_FALSE(same_rule(a, egress));
}

TEST(GroupState, EventsForAGroupWithoutBaselineBuildAPartialState) {
  Change authorize = one_change(record("AuthorizeSecurityGroupIngress",
                                       {{"groupId", "sg-0ffff"}, {"ipPermissions", {{"items", {permission("tcp", 3389, 3389, "0.0.0.0/0")}}}}},
                                       {{"_return", true}}, "2026-03-01T10:00:00Z", "x1"));
  GroupState state = unknown_group(authorize);
  EXPECT_TRUE(state.unknown_baseline);
  ApplyResult r = apply(state, authorize);
  ASSERT_TRUE(r.applied);
  EXPECT_TRUE(r.state.unknown_baseline);
  EXPECT_EQ(texts(r.diff.added), Lines{"ingress tcp 3389 0.0.0.0/0"});
  const auto exposed = exposure_of(r.state, ExposurePolicy{}, Severity::kCritical);
  ASSERT_EQ(exposed.size(), 1U);
  EXPECT_EQ(exposed[0].reason, "RDP (3389) open to the world");
  // ModifySecurityGroupRules on a rule the state does not know: recorded as ingress, with a note.
  Change modify = one_change(record(
      "ModifySecurityGroupRules",
      {{"ModifySecurityGroupRulesRequest",
        {{"GroupId", "sg-0ffff"},
         {"SecurityGroupRule",
          {{"SecurityGroupRuleId", "sgr-9"}, {"SecurityGroupRule", {{"IpProtocol", "tcp"}, {"FromPort", 5432}, {"ToPort", 5432}, {"CidrIpv4", "0.0.0.0/0"}}}}}}}},
      nullptr, "2026-03-01T10:01:00Z", "x2"));
  r = apply(r.state, modify);
  EXPECT_EQ(texts(r.diff.added), Lines{"ingress tcp 5432 0.0.0.0/0 sgr-9"});
  ASSERT_EQ(r.notes.size(), 1U);
  EXPECT_NE(r.notes[0].find("recorded as ingress"), std::string::npos);
}

TEST(GroupState, OlderEventsApplyInArrivalOrderAndAreRecorded) {
  GroupState state;
  state.id = "sg-1";
  Change late = one_change(record("AuthorizeSecurityGroupIngress",
                                  {{"groupId", "sg-1"}, {"ipPermissions", {{"items", {permission("tcp", 80, 80, "0.0.0.0/0")}}}}},
                                  {{"_return", true}}, "2026-03-01T12:00:00Z", "late"));
  Change early = one_change(record("RevokeSecurityGroupIngress",
                                   {{"groupId", "sg-1"}, {"ipPermissions", {{"items", {permission("tcp", 80, 80, "0.0.0.0/0")}}}}},
                                   {{"_return", true}}, "2026-03-01T11:00:00Z", "early"));
  ApplyResult r = apply(state, late);
  EXPECT_FALSE(r.out_of_order);
  r = apply(r.state, early);
  EXPECT_TRUE(r.applied);
  EXPECT_TRUE(r.out_of_order);
  EXPECT_EQ(texts(r.diff.removed), Lines{"ingress tcp 80 0.0.0.0/0"});
  EXPECT_EQ(r.state.out_of_order_events, 1);
  EXPECT_EQ(r.state.last_event_id, "late");  // the latest event in time stays the last one
  EXPECT_EQ(r.state.last_event_time, "2026-03-01T12:00:00Z");
}

TEST(GroupState, GroupSetChangesAndFlaggedShapesDoNotChangeState) {
  Change attach = one_change(record("ModifyInstanceAttribute",
                                    {{"instanceId", "i-1"}, {"groupSet", {{"items", {{{"groupId", "sg-1"}}}}}}},
                                    {{"_return", true}}, "2026-03-01T10:00:00Z", "g1"));
  std::string why;
  EXPECT_FALSE(changes_group_state(attach, &why));
  EXPECT_EQ(why, "a change of the groups a resource uses does not change the group's rules");
  Change flagged;
  flagged.unknown_shape = true;
  flagged.unknown_reason = "x";
  flagged.group.id = "sg-1";
  EXPECT_FALSE(changes_group_state(flagged));
}

TEST(GroupState, JsonRoundTripAndErrors) {
  GroupState s;
  s.id = "sg-1";
  s.name = "web";
  s.vpc_id = "vpc-1";
  Rule r;
  r.protocol = "tcp";
  r.from_port = 22;
  r.to_port = 22;
  r.peer = Peer{Peer::Kind::kGroup, "sg-2", "db", "111122223333", "vpc-2", "pcx-1"};
  r.description = "";
  r.rule_id = "sgr-1";
  s.ingress.push_back(r);
  Rule e;
  e.direction = Direction::kEgress;
  e.protocol = "-1";
  e.peer = Peer{Peer::Kind::kIpv6, "::/0", {}, {}, {}, {}};
  e.implicit = true;
  s.egress.push_back(e);
  s.tags.push_back(Tag{"Name", std::nullopt});
  s.unknown_baseline = true;
  s.last_event_time = "2026-03-01T10:00:00Z";
  s.out_of_order_events = 2;
  const auto json = state_to_json(s);
  auto back = state_from_json(Json::parse(json.dump()));
  ASSERT_TRUE(back.ok()) << back.error();
  EXPECT_EQ(state_to_json(*back), json);
  EXPECT_EQ(back->ingress[0].description, std::optional<std::string>(""));

  Json bad = Json::parse(json.dump());
  bad["ingress"][0]["fromPort"] = "x";
  auto error = state_from_json(bad);
  ASSERT_FALSE(error.ok());
  EXPECT_EQ(error.error(), "state.ingress[0].fromPort: an integer or null expected");
  bad = Json::parse(json.dump());
  bad["egress"][0]["direction"] = "ingress";
  EXPECT_FALSE(state_from_json(bad).ok());
  EXPECT_FALSE(state_from_json(Json::array()).ok());
  EXPECT_FALSE(state_from_json(Json::object()).ok());  // no group id
}

// ---- baselines ---------------------------------------------------------------------------------

const char* kDescribe = R"({
    "SecurityGroups": [
        {
            "Description": "web servers",
            "GroupName": "web",
            "IpPermissions": [
                {"FromPort": 22, "IpProtocol": "tcp", "IpRanges": [{"CidrIp": "0.0.0.0/0", "Description": "ssh"}],
                 "Ipv6Ranges": [{"CidrIpv6": "::/0"}], "PrefixListIds": [], "ToPort": 22, "UserIdGroupPairs": []},
                {"FromPort": 443, "IpProtocol": "tcp", "IpRanges": [], "Ipv6Ranges": [],
                 "PrefixListIds": [{"PrefixListId": "pl-0123", "Description": "cdn"}], "ToPort": 443,
                 "UserIdGroupPairs": [{"GroupId": "sg-0lb", "UserId": "111122223333", "Description": "lb"}]}
            ],
            "OwnerId": "111122223333",
            "GroupId": "sg-0web",
            "IpPermissionsEgress": [
                {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}
            ],
            "Tags": [{"Key": "Name", "Value": "web"}],
            "VpcId": "vpc-0a1b2c3d"
        },
        {"Description": "default VPC security group", "GroupName": "default", "IpPermissions": [], "OwnerId": "111122223333",
         "GroupId": "sg-0def", "IpPermissionsEgress": [], "VpcId": "vpc-0a1b2c3d"}
    ]
})";

TEST(Baseline, DescribeSecurityGroupsGivesOneRulePerPeer) {
  BaselineOptions options;
  options.imported_at = "2026-03-01T09:00:00Z";
  auto baseline = parse_baseline(kDescribe, options);
  ASSERT_TRUE(baseline.ok()) << baseline.error().where << ": " << baseline.error().why;
  ASSERT_EQ(baseline->groups.size(), 2U);
  const GroupState& web = baseline->groups[0];
  EXPECT_EQ(web.id, "sg-0web");
  EXPECT_EQ(web.name, "web");
  EXPECT_EQ(web.owner_id, "111122223333");
  EXPECT_EQ(web.baseline_time, "2026-03-01T09:00:00Z");
  EXPECT_FALSE(web.unknown_baseline);
  EXPECT_EQ(texts(web.ingress), (Lines{"ingress tcp 22 0.0.0.0/0 \"ssh\"", "ingress tcp 22 ::/0",
                                       "ingress tcp 443 pl-0123 (prefix list) \"cdn\"",
                                       "ingress tcp 443 sg-0lb of 111122223333 \"lb\""}));
  EXPECT_EQ(texts(web.egress), Lines{"egress all traffic 0.0.0.0/0"});
  ASSERT_EQ(web.tags.size(), 1U);
  const auto exposed = exposure_of(web, ExposurePolicy{}, Severity::kCritical);
  ASSERT_EQ(exposed.size(), 2U);
  EXPECT_TRUE(exposure_of(baseline->groups[1], ExposurePolicy{}, Severity::kInfo).empty());
}

// Regression (fuzz_sg): a number beyond a double made nlohmann's parser throw out_of_range, which
// escaped parse_baseline and ended the process.
TEST(Baseline, ANumberTooLargeForADoubleIsAnErrorNotACrash) {
  auto baseline = parse_baseline(R"({"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"FromPort": 1e999}]}]})");
  ASSERT_FALSE(baseline.ok());
  EXPECT_EQ(baseline.error().where, "document");
  EXPECT_EQ(baseline.error().why, "not valid JSON: a number too large for a double");
}

TEST(Baseline, SecurityGroupRulesGiveRuleIds) {
  auto baseline = parse_baseline(kDescribe);
  ASSERT_TRUE(baseline.ok());
  auto rules = parse_baseline(R"({"SecurityGroupRules": [
      {"SecurityGroupRuleId": "sgr-0a", "GroupId": "sg-0web", "GroupOwnerId": "111122223333", "IsEgress": false,
       "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0", "Description": "ssh"},
      {"SecurityGroupRuleId": "sgr-0b", "GroupId": "sg-0web", "IsEgress": true, "IpProtocol": "-1", "FromPort": -1,
       "ToPort": -1, "CidrIpv4": "0.0.0.0/0"},
      {"SecurityGroupRuleId": "sgr-0c", "GroupId": "sg-0web", "IsEgress": false, "IpProtocol": "tcp", "FromPort": 8080,
       "ToPort": 8080, "ReferencedGroupInfo": {"GroupId": "sg-0lb", "UserId": "111122223333"}}]})");
  ASSERT_TRUE(rules.ok()) << rules.error().where << ": " << rules.error().why;
  ASSERT_EQ(rules->rules.size(), 3U);
  GroupState web = baseline->groups[0];
  for (const auto& [group, rule] : rules->rules) {
    EXPECT_EQ(group, "sg-0web");
    merge_rule(web, rule);
  }
  EXPECT_EQ(texts(web.ingress), (Lines{"ingress tcp 22 0.0.0.0/0 sgr-0a \"ssh\"", "ingress tcp 22 ::/0",
                                       "ingress tcp 443 pl-0123 (prefix list) \"cdn\"",
                                       "ingress tcp 443 sg-0lb of 111122223333 \"lb\"",
                                       "ingress tcp 8080 sg-0lb of 111122223333 sgr-0c"}));
  EXPECT_EQ(texts(web.egress), Lines{"egress all traffic 0.0.0.0/0 sgr-0b"});
}

TEST(Baseline, BadDocumentsSayWhereAndWhy) {
  struct Case {
    std::string text, where, why;
  };
  const std::vector<Case> cases{
      {"{\"SecurityGroups\": [", "byte 21", "not valid JSON"},  // the end, after 20 bytes
      {"[]", "document", "an object with SecurityGroups expected, not a list"},
      {"{}", "document", "no SecurityGroups (aws ec2 describe-security-groups) or SecurityGroupRules (aws ec2 describe-security-group-rules)"},
      {R"({"SecurityGroups": {}})", "document.SecurityGroups", "a list expected, not an object"},
      {R"({"SecurityGroups": [1]})", "SecurityGroups[0]", "an object expected, not the number 1"},
      {R"({"SecurityGroups": [{"GroupName": "x"}]})", "SecurityGroups[0].GroupId", "missing"},
      {R"({"SecurityGroups": [{"GroupId": "x-1"}]})", "SecurityGroups[0].GroupId", "\"x-1\" is not a security group id (sg-...)"},
      {R"({"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": "22"}]}]})",
       "SecurityGroups[0].IpPermissions[0].FromPort", "an integer expected, not the string \"22\""},
      {R"({"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "IpRanges": [{"CidrIp": 5}]}]}]})",
       "SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp", "a string expected, not the number 5"},
      {R"({"SecurityGroups": [{"GroupId": "sg-1", "IpPermissionsEgress": [{"FromPort": 1}]}]})",
       "SecurityGroups[0].IpPermissionsEgress[0].IpProtocol", "missing"},
      {R"({"SecurityGroupRules": [{"SecurityGroupRuleId": "sgr-1", "GroupId": "sg-1", "IpProtocol": "tcp"}]})",
       "SecurityGroupRules[0].IsEgress", "missing"},
      {std::string(100000, '[') + std::string(100000, ']'), "document", "nests deeper than 64 levels"},
  };
  for (const Case& c : cases) {
    auto result = parse_baseline(c.text);
    ASSERT_FALSE(result.ok()) << c.text.substr(0, 80);
    EXPECT_EQ(result.error().where, c.where) << c.text.substr(0, 80);
    EXPECT_EQ(result.error().why, c.why) << c.text.substr(0, 80);
  }
}

}  // namespace
}  // namespace sgwatch::sg
