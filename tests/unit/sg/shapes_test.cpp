// normalize() on hand-written events (written for these tests, in the shapes CloudTrail uses and
// ../shared/spec/security-group-events.md describes) for the APIs and forms no public capture
// shows: ModifySecurityGroupRules, UpdateSecurityGroupRuleDescriptions*,
// Associate/DisassociateSecurityGroupVpc, ModifyInstanceAttribute / ModifyNetworkInterfaceAttribute
// group sets, IPv6 ::/0, prefix lists, referenced groups, revoke by rule id, tags on groups, and
// the other services' group lists.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sg/sg.h"

namespace sgwatch::sg {
namespace {

using Json = nlohmann::json;

// A CloudTrail record as EC2 logs one for an assumed-role session with MFA.
std::string record(const std::string& name, const Json& request, const Json& response = nullptr,
                   const std::string& source = "ec2.amazonaws.com", const Json& extra = Json::object()) {
  Json r = {
      {"eventVersion", "1.09"},
      {"userIdentity",
       {{"type", "AssumedRole"},
        {"principalId", "AROAEXAMPLEROLEID:alice"},
        {"arn", "arn:aws:sts::111122223333:assumed-role/NetworkAdmin/alice"},
        {"accountId", "111122223333"},
        {"accessKeyId", "ASIAEXAMPLEKEY"},
        {"sessionContext",
         {{"sessionIssuer",
           {{"type", "Role"},
            {"principalId", "AROAEXAMPLEROLEID"},
            {"arn", "arn:aws:iam::111122223333:role/NetworkAdmin"},
            {"accountId", "111122223333"},
            {"userName", "NetworkAdmin"}}},
          {"attributes", {{"creationDate", "2025-03-04T09:00:00Z"}, {"mfaAuthenticated", "true"}}}}}}},
      {"eventTime", "2025-03-04T09:15:27Z"},
      {"eventSource", source},
      {"eventName", name},
      {"awsRegion", "eu-west-1"},
      {"sourceIPAddress", "198.51.100.23"},
      {"userAgent", "aws-cli/2.15.30 Python/3.11.8 Linux/6.1 exe/x86_64.debian.12"},
      {"requestParameters", request},
      {"responseElements", response},
      {"requestID", "5f1b7a2e-1c9d-4c55-9f57-2d0f6b6e8a11"},
      {"eventID", "0b6f7a0e-43f4-4d1c-9a4e-4c7f7b1d2e3f"},
      {"readOnly", false},
      {"eventType", "AwsApiCall"},
      {"managementEvent", true},
      {"recipientAccountId", "111122223333"},
      {"eventCategory", "Management"}};
  for (auto it = extra.begin(); it != extra.end(); ++it) r[it.key()] = it.value();
  return r.dump();
}

std::vector<Change> ok(const std::string& text) {
  auto result = normalize(text);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().reason);
  if (!result.ok()) return {};
  return *result;
}

std::vector<std::string> lines_of(const Change& change) {
  std::vector<std::string> out;
  for (const RuleChange& r : change.rules) out.push_back(rule_line(r));
  return out;
}

TEST(SgShapes, ActorOfAnAssumedRoleWithMfa) {
  const auto changes = ok(record("DeleteSecurityGroup", {{"groupId", "sg-0a1b2c3d4e5f60718"}}, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 1U);
  const Actor& a = changes[0].actor;
  EXPECT_EQ(a.type, "AssumedRole");
  EXPECT_EQ(a.arn, "arn:aws:sts::111122223333:assumed-role/NetworkAdmin/alice");
  EXPECT_EQ(a.principal_id, "AROAEXAMPLEROLEID:alice");
  EXPECT_EQ(a.session_issuer_arn, "arn:aws:iam::111122223333:role/NetworkAdmin");
  EXPECT_EQ(a.session_issuer_type, "Role");
  EXPECT_EQ(a.mfa_authenticated, true);
  EXPECT_EQ(a.source_ip, "198.51.100.23");
  EXPECT_EQ(changes[0].account, "111122223333");
  EXPECT_EQ(changes[0].region, "eu-west-1");
  EXPECT_EQ(changes[0].event_id, "0b6f7a0e-43f4-4d1c-9a4e-4c7f7b1d2e3f");
}

TEST(SgShapes, AuthorizeIngressIpv6PrefixListAndReferencedGroupInOnePermission) {
  const Json request = {
      {"groupId", "sg-0a1b2c3d4e5f60718"},
      {"ipPermissions",
       {{"items",
         {{{"ipProtocol", "tcp"},
           {"fromPort", 5432},
           {"toPort", 5432},
           {"groups", {{"items", {{{"groupId", "sg-0fedcba9876543210"}, {"userId", "444455556666"},
                                   {"vpcPeeringConnectionId", "pcx-0123abcd"}, {"description", "app tier"}}}}}},
           {"ipRanges", Json::object()},
           {"ipv6Ranges", {{"items", {{{"cidrIpv6", "::/0"}, {"description", "anyone"}}}}}},
           {"prefixListIds", {{"items", {{{"prefixListId", "pl-0a1b2c3d"}}}}}}}}}}}};
  const auto changes = ok(record("AuthorizeSecurityGroupIngress", request, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(lines_of(changes[0]),
            (std::vector<std::string>{
                "+ ingress tcp 5432 from ::/0 \"anyone\"  [critical: PostgreSQL (5432) open to the world]",
                "+ ingress tcp 5432 from pl-0a1b2c3d (prefix list)  [low: tcp 5432 opened to a prefix list]",
                "+ ingress tcp 5432 from sg-0fedcba9876543210 of 444455556666 via pcx-0123abcd \"app tier\"  [low: tcp "
                "5432 opened to a referenced group]"}));
  EXPECT_EQ(changes[0].severity, Severity::kCritical);
  EXPECT_EQ(changes[0].rules[2].rule.peer.owner_id, "444455556666");
}

TEST(SgShapes, AuthorizeResponseWithReferencedGroupInfoAndPrefixList) {
  const Json request = {{"groupId", "sg-0a1b2c3d4e5f60718"}, {"ipPermissions", {{"items", Json::array()}}}};
  const Json response = {
      {"requestId", "r"},
      {"_return", true},
      {"securityGroupRuleSet",
       {{"items",
         {{{"groupOwnerId", "111122223333"}, {"groupId", "sg-0a1b2c3d4e5f60718"}, {"securityGroupRuleId", "sgr-01"},
           {"isEgress", false}, {"ipProtocol", "udp"}, {"fromPort", 53}, {"toPort", 53},
           {"referencedGroupInfo", {{"groupId", "sg-0fedcba9876543210"}, {"userId", "111122223333"}}}},
          {{"groupOwnerId", "111122223333"}, {"groupId", "sg-0a1b2c3d4e5f60718"}, {"securityGroupRuleId", "sgr-02"},
           {"isEgress", false}, {"ipProtocol", "icmpv6"}, {"fromPort", -1}, {"toPort", -1}, {"cidrIpv6", "::/0"}},
          {{"groupOwnerId", "111122223333"}, {"groupId", "sg-0a1b2c3d4e5f60718"}, {"securityGroupRuleId", "sgr-03"},
           {"isEgress", false}, {"ipProtocol", "tcp"}, {"fromPort", 443}, {"toPort", 443},
           {"prefixListId", "pl-0a1b2c3d"}}}}}}};
  const auto changes = ok(record("AuthorizeSecurityGroupIngress", request, response));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(lines_of(changes[0]),
            (std::vector<std::string>{
                "+ ingress udp 53 from sg-0fedcba9876543210 of 111122223333 (sgr-01)  [low: udp 53 opened to a "
                "referenced group]",
                "+ ingress icmpv6 all types from ::/0 (sgr-02)  [medium: icmpv6 all types open to the world]",
                "+ ingress tcp 443 from pl-0a1b2c3d (prefix list) (sgr-03)  [low: tcp 443 opened to a prefix list]"}));
}

TEST(SgShapes, LegacyFlatFormWithASourceGroup) {
  const Json request = {{"groupName", "web"}, {"ipPermissions", Json::object()},
                        {"sourceSecurityGroupName", "lb"}, {"sourceSecurityGroupOwnerId", "111122223333"}};
  const auto changes = ok(record("AuthorizeSecurityGroupIngress", request, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.name, "web");
  ASSERT_EQ(changes[0].rules.size(), 1U);
  EXPECT_EQ(changes[0].rules[0].rule.peer.kind, Peer::Kind::kGroup);
  EXPECT_EQ(changes[0].rules[0].rule.peer.group_name, "lb");
  EXPECT_EQ(changes[0].rules[0].rule.peer.owner_id, "111122223333");
}

TEST(SgShapes, RevokeByRuleIdInEachRendering) {
  for (const Json& ids : {Json{{"items", {{{"securityGroupRuleId", "sgr-0aaa"}}, {{"securityGroupRuleId", "sgr-0bbb"}}}}},
                          Json{{"items", {"sgr-0aaa", "sgr-0bbb"}}}, Json{"sgr-0aaa", "sgr-0bbb"}}) {
    SCOPED_TRACE(ids.dump());
    const auto changes = ok(record("RevokeSecurityGroupIngress",
                                   {{"groupId", "sg-0a1b2c3d4e5f60718"}, {"securityGroupRuleIds", ids}},
                                   {{"_return", true}}));
    ASSERT_EQ(changes.size(), 1U);
    EXPECT_FALSE(changes[0].unknown_shape) << changes[0].unknown_reason;
    EXPECT_EQ(lines_of(changes[0]),
              (std::vector<std::string>{"- ingress rule sgr-0aaa  [info: removal reduces exposure]",
                                        "- ingress rule sgr-0bbb  [info: removal reduces exposure]"}));
  }
}

TEST(SgShapes, RevokeWithTheModelsRevokedRuleSet) {
  const Json response = {{"_return", true},
                         {"revokedSecurityGroupRuleSet",
                          {{"items",
                            {{{"securityGroupRuleId", "sgr-0aaa"}, {"groupId", "sg-0a1b2c3d4e5f60718"},
                              {"isEgress", true}, {"ipProtocol", "-1"}, {"fromPort", -1}, {"toPort", -1},
                              {"cidrIpv4", "0.0.0.0/0"}}}}}}};
  const auto changes = ok(record("RevokeSecurityGroupEgress",
                                 {{"groupId", "sg-0a1b2c3d4e5f60718"},
                                  {"securityGroupRuleIds", {{"items", {{{"securityGroupRuleId", "sgr-0aaa"}}}}}}},
                                 response));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(lines_of(changes[0]),
            std::vector<std::string>{"- egress all traffic to 0.0.0.0/0 (sgr-0aaa)  [info: removal reduces exposure]"});
}

TEST(SgShapes, ModifySecurityGroupRulesWrapperOneRule) {
  const Json request = {
      {"ModifySecurityGroupRulesRequest",
       {{"GroupId", "sg-0a1b2c3d4e5f60718"},
        {"SecurityGroupRule",
         {{"SecurityGroupRuleId", "sgr-0123456789abcdef0"},
          {"SecurityGroupRule",
           {{"IpProtocol", "tcp"}, {"FromPort", 3389}, {"ToPort", 3389}, {"CidrIpv4", "0.0.0.0/0"},
            {"Description", "temporary"}}}}}}}};
  const auto changes = ok(record("ModifySecurityGroupRules", request, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 1U);
  const Change& c = changes[0];
  EXPECT_EQ(c.kind, ChangeKind::kRulesModified);
  EXPECT_EQ(c.group.id, "sg-0a1b2c3d4e5f60718");
  EXPECT_EQ(lines_of(c),
            std::vector<std::string>{"~ unknown tcp 3389 with 0.0.0.0/0 (sgr-0123456789abcdef0) \"temporary\"  "
                                     "[critical: RDP (3389) open to the world (direction not in the event; rated as "
                                     "ingress)]"});
  EXPECT_EQ(c.severity, Severity::kCritical);
}

TEST(SgShapes, ModifySecurityGroupRulesSeveralRulesAndReferencedGroup) {
  const Json request = {
      {"ModifySecurityGroupRulesRequest",
       {{"GroupId", "sg-0a1b2c3d4e5f60718"},
        {"SecurityGroupRule",
         {{{"SecurityGroupRuleId", "sgr-01"},
           {"SecurityGroupRule", {{"IpProtocol", "-1"}, {"ReferencedGroupId", "sg-0fedcba9876543210"}}}},
          {{"SecurityGroupRuleId", "sgr-02"},
           {"SecurityGroupRule", {{"IpProtocol", "tcp"}, {"FromPort", 80}, {"ToPort", 80}, {"PrefixListId", "pl-1"}}}}}}}}};
  const auto changes = ok(record("ModifySecurityGroupRules", request, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 1U);
  ASSERT_EQ(changes[0].rules.size(), 2U);
  EXPECT_EQ(changes[0].rules[0].rule.peer.kind, Peer::Kind::kGroup);
  EXPECT_EQ(changes[0].rules[0].rule.peer.value, "sg-0fedcba9876543210");
  EXPECT_EQ(changes[0].rules[1].rule.peer.kind, Peer::Kind::kPrefixList);
  EXPECT_EQ(changes[0].severity, Severity::kLow);
}

TEST(SgShapes, UpdateDescriptionsByPermissionAndByRuleId) {
  const Json by_permission = {
      {"groupId", "sg-0a1b2c3d4e5f60718"},
      {"ipPermissions",
       {{"items", {{{"ipProtocol", "tcp"}, {"fromPort", 22}, {"toPort", 22},
                    {"ipRanges", {{"items", {{{"cidrIp", "0.0.0.0/0"}, {"description", "bastion (to be removed)"}}}}}}}}}}}};
  auto changes = ok(record("UpdateSecurityGroupRuleDescriptionsIngress", by_permission, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kDescriptionsUpdated);
  EXPECT_EQ(changes[0].severity, Severity::kInfo);
  EXPECT_EQ(lines_of(changes[0]), std::vector<std::string>{"~ ingress tcp 22 from 0.0.0.0/0 \"bastion (to be "
                                                           "removed)\"  [info: description only]"});
  const Json by_id = {{"groupId", "sg-0a1b2c3d4e5f60718"},
                      {"securityGroupRuleDescriptions",
                       {{"items", {{{"securityGroupRuleId", "sgr-0aaa"}, {"description", "db replication"}}}}}}};
  changes = ok(record("UpdateSecurityGroupRuleDescriptionsEgress", by_id, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(lines_of(changes[0]),
            std::vector<std::string>{"~ egress rule sgr-0aaa \"db replication\"  [info: description only]"});
}

TEST(SgShapes, AssociateAndDisassociateSecurityGroupVpc) {
  for (const bool wrapped : {false, true}) {
    Json request = {{"groupId", "sg-0a1b2c3d4e5f60718"}, {"vpcId", "vpc-0b1c2d3e4f5061728"}};
    if (wrapped) request = {{"AssociateSecurityGroupVpcRequest", {{"GroupId", "sg-0a1b2c3d4e5f60718"}, {"VpcId", "vpc-0b1c2d3e4f5061728"}}}};
    const auto changes = ok(record("AssociateSecurityGroupVpc", request, {{"state", "associating"}}));
    ASSERT_EQ(changes.size(), 1U);
    EXPECT_EQ(changes[0].kind, ChangeKind::kVpcAssociated);
    EXPECT_EQ(changes[0].group.id, "sg-0a1b2c3d4e5f60718");
    EXPECT_EQ(changes[0].target_vpc_id, "vpc-0b1c2d3e4f5061728");
    EXPECT_EQ(changes[0].severity, Severity::kLow);
    EXPECT_FALSE(changes[0].unknown_shape);
  }
  const auto changes = ok(record("DisassociateSecurityGroupVpc",
                                 {{"groupId", "sg-0a1b2c3d4e5f60718"}, {"vpcId", "vpc-0b1c2d3e4f5061728"}}));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kVpcDisassociated);
  EXPECT_EQ(changes[0].severity, Severity::kInfo);
}

TEST(SgShapes, ModifyInstanceAttributeGroupSetGivesOneChangePerGroup) {
  const Json request = {{"instanceId", "i-0123456789abcdef0"},
                        {"groupSet", {{"items", {{{"groupId", "sg-0aaa"}}, {{"groupId", "sg-0bbb"}}}}}}};
  const auto changes = ok(record("ModifyInstanceAttribute", request, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 2U);
  for (const Change& c : changes) {
    EXPECT_EQ(c.kind, ChangeKind::kGroupsReplaced);
    EXPECT_EQ(c.resources, std::vector<std::string>{"i-0123456789abcdef0"});
    EXPECT_EQ(c.group_set, (std::vector<std::string>{"sg-0aaa", "sg-0bbb"}));
    EXPECT_EQ(c.severity, Severity::kLow);
  }
  EXPECT_EQ(changes[0].group.id, "sg-0aaa");
  EXPECT_EQ(changes[1].group.id, "sg-0bbb");
  // Another attribute is not a security-group change.
  EXPECT_FALSE(normalize(record("ModifyInstanceAttribute",
                                {{"instanceId", "i-0123456789abcdef0"}, {"disableApiTermination", {{"value", false}}}}))
                   .ok());
}

TEST(SgShapes, ModifyNetworkInterfaceAttributeGroupSet) {
  const Json request = {{"networkInterfaceId", "eni-0123456789abcdef0"},
                        {"groupSet", {{"items", {{{"groupId", "sg-0ccc"}}}}}}};
  const auto changes = ok(record("ModifyNetworkInterfaceAttribute", request, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-0ccc");
  EXPECT_EQ(changes[0].resources, std::vector<std::string>{"eni-0123456789abcdef0"});
}

TEST(SgShapes, CreateAndDeleteTagsOnGroupsOnly) {
  const Json request = {{"resourcesSet", {{"items", {{{"resourceId", "sg-0aaa"}}, {{"resourceId", "i-0123"}},
                                                     {{"resourceId", "sg-0bbb"}}}}}},
                        {"tagSet", {{"items", {{{"key", "exposure"}, {"value", "public"}}}}}}};
  auto changes = ok(record("CreateTags", request, {{"_return", true}}));
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kTagsAdded);
  EXPECT_EQ(changes[1].group.id, "sg-0bbb");
  EXPECT_EQ(changes[1].tags[0].value, "public");
  changes = ok(record("DeleteTags", {{"resourcesSet", {{"items", {{{"resourceId", "sg-0aaa"}}}}}},
                                     {"tagSet", {{"items", {{{"key", "exposure"}}}}}}}));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kTagsRemoved);
  EXPECT_FALSE(changes[0].tags[0].value.has_value());
}

TEST(SgShapes, DryRunAuthorize) {
  const Json request = {{"groupId", "sg-0aaa"},
                        {"ipPermissions", {{"items", {{{"ipProtocol", "-1"}, {"ipRanges", {{"items", {{{"cidrIp", "0.0.0.0/0"}}}}}}}}}}}};
  const auto changes = ok(record("AuthorizeSecurityGroupIngress", request, nullptr, "ec2.amazonaws.com",
                                 {{"errorCode", "Client.DryRunOperation"},
                                  {"errorMessage", "Request would have succeeded, but DryRun flag is set."}}));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_TRUE(changes[0].dry_run);
  EXPECT_TRUE(changes[0].error_code.empty());
  EXPECT_EQ(changes[0].severity, Severity::kInfo);
  EXPECT_EQ(changes[0].reason, "dry run: nothing changed; would have been critical: all traffic open to the world");
}

TEST(SgShapes, OtherServicesGroupLists) {
  auto changes = ok(record("SetSecurityGroups",
                           {{"loadBalancerArn", "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1"},
                            {"securityGroups", {"sg-0aaa", "sg-0bbb"}}},
                           nullptr, "elasticloadbalancing.amazonaws.com"));
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kGroupsReplaced);
  EXPECT_EQ(changes[0].resources[0], "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/1");

  changes = ok(record("ModifyDBInstance", {{"dBInstanceIdentifier", "orders"}, {"vpcSecurityGroupIds", {"sg-0ccc"}}},
                      nullptr, "rds.amazonaws.com"));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kGroupsReplaced);
  EXPECT_EQ(changes[0].resources[0], "orders");
  EXPECT_FALSE(normalize(record("ModifyDBInstance", {{"dBInstanceIdentifier", "orders"}, {"allocatedStorage", 50}},
                                nullptr, "rds.amazonaws.com"))
                   .ok());

  changes = ok(record("UpdateFunctionConfiguration20150331v2",
                      {{"functionName", "resize"}, {"vpcConfig", {{"subnetIds", {"subnet-1"}}, {"securityGroupIds", {"sg-0ddd"}}}}},
                      nullptr, "lambda.amazonaws.com"));
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-0ddd");
  EXPECT_EQ(changes[0].resources[0], "resize");

  changes = ok(record("ModifyVpcEndpoint",
                      {{"vpcEndpointId", "vpce-0123"}, {"addSecurityGroupId", {{"items", {"sg-0eee"}}}},
                       {"removeSecurityGroupId", {{"items", {"sg-0fff"}}}}}));
  ASSERT_EQ(changes.size(), 2U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kGroupsAttached);
  EXPECT_EQ(changes[0].group.id, "sg-0eee");
  EXPECT_EQ(changes[1].kind, ChangeKind::kGroupsDetached);
  EXPECT_EQ(changes[1].group.id, "sg-0fff");
}

TEST(SgShapes, NotSecurityGroupEvents) {
  auto result = normalize(record("CreateBucket", {{"bucketName", "b"}}, nullptr, "s3.amazonaws.com"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().event_name, "CreateBucket");
  EXPECT_EQ(result.error().reason, "CreateBucket is not a security-group event");
  // The same name from another service is not EC2's.
  EXPECT_FALSE(normalize(record("CreateTags", {{"resourceId", "sg-1"}}, nullptr, "workspaces.amazonaws.com")).ok());
  result = normalize(R"({"eventVersion":"1.08","insightDetails":{}})");
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().reason, "the record has no eventName");
  EXPECT_TRUE(is_security_group_api("", "AuthorizeSecurityGroupIngress"));
  EXPECT_TRUE(is_security_group_api("lambda.amazonaws.com", "CreateFunction20150331"));
  EXPECT_FALSE(is_security_group_api("s3.amazonaws.com", "RunInstances"));
}

TEST(SgShapes, JsonRendering) {
  const auto changes = ok(record("AuthorizeSecurityGroupIngress",
                                 {{"groupId", "sg-0aaa"}, {"ipPermissions", Json::object()}, {"ipProtocol", "tcp"},
                                  {"fromPort", 22}, {"toPort", 22}, {"cidrIp", "0.0.0.0/0"}},
                                 {{"_return", true}}));
  ASSERT_EQ(changes.size(), 1U);
  const auto json = to_json(changes[0]);
  EXPECT_EQ(json["eventName"], "AuthorizeSecurityGroupIngress");
  EXPECT_EQ(json["actor"]["sessionIssuer"]["arn"], "arn:aws:iam::111122223333:role/NetworkAdmin");
  EXPECT_EQ(json["actor"]["mfaAuthenticated"], true);
  EXPECT_EQ(json["succeeded"], true);
  EXPECT_TRUE(json["errorCode"].is_null());
  EXPECT_EQ(json["kind"], "rules-added");
  EXPECT_EQ(json["group"]["id"], "sg-0aaa");
  EXPECT_EQ(json["rules"][0]["action"], "added");
  EXPECT_EQ(json["rules"][0]["direction"], "ingress");
  EXPECT_EQ(json["rules"][0]["protocolName"], "tcp");
  EXPECT_EQ(json["rules"][0]["fromPort"], 22);
  EXPECT_EQ(json["rules"][0]["peer"]["kind"], "ipv4");
  EXPECT_EQ(json["rules"][0]["peer"]["value"], "0.0.0.0/0");
  EXPECT_EQ(json["rules"][0]["severity"], "critical");
  EXPECT_EQ(json["severity"], "critical");
  EXPECT_EQ(json["unknownShape"], false);
  EXPECT_TRUE(json["raw"].is_null());
}

}  // namespace
}  // namespace sgwatch::sg
