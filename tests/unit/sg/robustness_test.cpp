// normalize() on hostile input never crashes and never drops a record: text that is not JSON,
// JSON that is not an object, nesting a million levels deep, invalid UTF-8, and every member of
// real security-group events replaced by values of every other type. What cannot be read is a
// Change flagged unknown_shape with its reason and the record kept raw.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "sg/sg.h"

namespace sgwatch::sg {
namespace {

using Json = nlohmann::json;

// Every check a result must pass, whatever the input.
void check_invariants(std::string_view input, const NormalizeResult& result) {
  if (!result.ok()) {
    EXPECT_FALSE(result.error().reason.empty());
    return;
  }
  ASSERT_FALSE(result->empty());
  for (const Change& c : *result) {
    if (c.unknown_shape) {
      EXPECT_FALSE(c.unknown_reason.empty());
      EXPECT_EQ(c.raw, input);
    }
    EXPECT_FALSE(c.reason.empty());
    if (!c.succeeded()) {
      EXPECT_EQ(c.severity, Severity::kInfo);
    }
    // Renderable, whatever the bytes.
    EXPECT_FALSE(to_json(c).dump(-1, ' ', false, Json::error_handler_t::replace).empty());
    EXPECT_FALSE(change_text(c).empty());
  }
}

Change flagged(std::string_view input) {
  const auto result = normalize(input);
  check_invariants(input, result);
  EXPECT_TRUE(result.ok());
  if (!result.ok() || result->empty()) return {};
  EXPECT_TRUE((*result)[0].unknown_shape);
  return (*result)[0];
}

TEST(SgRobustness, TextThatIsNotARecord) {
  EXPECT_EQ(flagged("").unknown_reason.substr(0, 15), "not valid JSON:");
  EXPECT_EQ(flagged("{\"eventName\": ").unknown_reason.substr(0, 15), "not valid JSON:");
  EXPECT_EQ(flagged("{\"a\" 1}").kind, ChangeKind::kUnknown);
  EXPECT_EQ(flagged("[1, 2, 3]").unknown_reason, "the record is not a JSON object");
  EXPECT_EQ(flagged("\"AuthorizeSecurityGroupIngress\"").unknown_reason, "the record is not a JSON object");
  EXPECT_EQ(flagged("42").unknown_reason, "the record is not a JSON object");
  EXPECT_EQ(flagged("null").unknown_reason, "the record is not a JSON object");
  const Change bad_utf8 = flagged("{\"eventName\":\"AuthorizeSecurityGroupIngress\",\"x\":\"\xff\xfe\"}");
  EXPECT_EQ(bad_utf8.raw, "{\"eventName\":\"AuthorizeSecurityGroupIngress\",\"x\":\"\xff\xfe\"}");
}

TEST(SgRobustness, HugeNesting) {
  const std::string deep(1'000'000, '[');
  EXPECT_EQ(flagged(deep).unknown_reason, "the record nests deeper than 256 levels");
  std::string nested = R"({"eventName":"AuthorizeSecurityGroupIngress","requestParameters":)";
  for (int k = 0; k < 300; ++k) nested += "{\"a\":";
  nested += "1";
  nested += std::string(300, '}');
  nested += "}";
  EXPECT_EQ(flagged(nested).unknown_reason, "the record nests deeper than 256 levels");
  // Strings that hold brackets do not count.
  const std::string quoted =
      R"({"eventName":"DeleteSecurityGroup","requestParameters":{"groupId":"sg-1"},"x":")" + std::string(5000, '[') + "\"}";
  const auto result = normalize(quoted);
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE((*result)[0].unknown_shape);
}

TEST(SgRobustness, SpecificWrongTypesAreFlaggedWithTheirPath) {
  struct Case {
    const char* record;
    const char* reason;
  };
  const Case cases[] = {
      {R"({"eventName":"AuthorizeSecurityGroupIngress","requestParameters":"groupId=sg-1"})",
       "requestParameters is not an object; no rule found in the event"},
      {R"({"eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"groupId":12,"ipProtocol":"tcp","fromPort":22,"toPort":22,"cidrIp":"0.0.0.0/0"}})",
       "requestParameters.groupId is a number, not a string"},
      {R"({"eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"groupId":"sg-1","ipProtocol":"tcp","fromPort":"twenty-two","toPort":22,"cidrIp":"0.0.0.0/0"}})",
       "requestParameters.fromPort is the string 'twenty-two', not a number"},
      {R"({"eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"groupId":"sg-1","ipPermissions":{"items":{"ipProtocol":"tcp"}}}})",
       "requestParameters.ipPermissions holds an object, not a list; no rule found in the event"},
      {R"({"eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":["0.0.0.0/0"]}]}}]}}})",
       "requestParameters.ipPermissions.items[0].ipRanges.items[].cidrIp is an array, not a string"},
      {R"({"eventName":"DeleteSecurityGroup","userIdentity":{"arn":7},"requestParameters":{"groupId":"sg-1"}})",
       "userIdentity.arn is a number, not a string"},
      {R"({"eventName":"DeleteSecurityGroup","userIdentity":"root","requestParameters":{"groupId":"sg-1"}})",
       "userIdentity is not an object"},
      {R"({"eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"groupId":"sg-1"}})",
       "no rule found in the event"},
      {R"({"eventName":"AuthorizeSecurityGroupEgress","requestParameters":{"groupId":"sg-1"},"responseElements":{"securityGroupRuleSet":{"items":[{"isEgress":"maybe","ipProtocol":"-1","cidrIpv4":"0.0.0.0/0"}]}}})",
       "responseElements.securityGroupRuleSet.items[0].isEgress is a string, not a boolean"},
      {R"({"eventName":"DeleteSecurityGroup","requestParameters":{}})", "no group id or name in the event"},
      {R"({"eventName":"ModifySecurityGroupRules","requestParameters":{"ModifySecurityGroupRulesRequest":{"GroupId":"sg-1","SecurityGroupRule":5}}})",
       "requestParameters.securityGroupRule holds a number, not a list; no rule found in the event"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.record);
    const auto result = normalize(c.record);
    check_invariants(c.record, result);
    ASSERT_TRUE(result.ok());
    ASSERT_EQ(result->size(), 1U);
    EXPECT_TRUE((*result)[0].unknown_shape);
    EXPECT_EQ((*result)[0].unknown_reason, c.reason);
    EXPECT_EQ((*result)[0].raw, c.record);
  }
}

TEST(SgRobustness, FlaggedChangesStillCarryWhatCouldBeRead) {
  const char* record =
      R"({"eventName":"AuthorizeSecurityGroupIngress","eventID":"e1","requestParameters":{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":22,"toPort":22,"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0"}]},"groups":7}]}}})";
  const auto result = normalize(record);
  ASSERT_TRUE(result.ok());
  const Change& c = (*result)[0];
  EXPECT_TRUE(c.unknown_shape);
  EXPECT_EQ(c.event_id, "e1");
  EXPECT_EQ(c.group.id, "sg-1");
  ASSERT_EQ(c.rules.size(), 1U);
  EXPECT_EQ(c.rules[0].severity, Severity::kCritical);
  EXPECT_EQ(c.severity, Severity::kCritical);
  const auto json = to_json(c);
  EXPECT_EQ(json["raw"]["eventID"], "e1");
}

// Every member (at every depth) of representative events replaced by a value of each type.
TEST(SgRobustness, EveryMemberOfEveryShapeWithEveryWrongType) {
  const char* bases[] = {
      R"({"eventVersion":"1.08","userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::1:assumed-role/r/s","sessionContext":{"sessionIssuer":{"arn":"arn:aws:iam::1:role/r","type":"Role"},"attributes":{"mfaAuthenticated":"false"}}},"eventTime":"2023-07-10T12:10:05Z","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress","awsRegion":"us-east-1","sourceIPAddress":"192.0.2.1","requestParameters":{"groupId":"sg-1","ipPermissions":{"items":[{"ipProtocol":"tcp","fromPort":443,"toPort":443,"groups":{"items":[{"groupId":"sg-2","userId":"1"}]},"ipRanges":{"items":[{"cidrIp":"0.0.0.0/0","description":"d"}]},"ipv6Ranges":{"items":[{"cidrIpv6":"::/0"}]},"prefixListIds":{"items":[{"prefixListId":"pl-1"}]}}]}},"responseElements":{"_return":true,"securityGroupRuleSet":{"items":[{"groupOwnerId":"1","groupId":"sg-1","securityGroupRuleId":"sgr-1","isEgress":false,"ipProtocol":"tcp","fromPort":443,"toPort":443,"cidrIpv4":"0.0.0.0/0"}]}},"eventID":"e","recipientAccountId":"1"})",
      R"({"eventSource":"ec2.amazonaws.com","eventName":"RevokeSecurityGroupIngress","requestParameters":{"groupId":"sg-1","ipPermissions":{},"ipProtocol":"tcp","fromPort":22,"toPort":22,"cidrIp":"0.0.0.0/0","securityGroupRuleIds":{"items":[{"securityGroupRuleId":"sgr-1"}]}},"errorCode":"Client.InvalidPermission.NotFound","responseElements":null})",
      R"({"eventSource":"ec2.amazonaws.com","eventName":"ModifySecurityGroupRules","requestParameters":{"ModifySecurityGroupRulesRequest":{"GroupId":"sg-1","SecurityGroupRule":{"SecurityGroupRuleId":"sgr-1","SecurityGroupRule":{"IpProtocol":"tcp","FromPort":22,"ToPort":22,"CidrIpv4":"0.0.0.0/0","Description":"x"}}}}})",
      R"({"eventSource":"ec2.amazonaws.com","eventName":"CreateSecurityGroup","requestParameters":{"groupName":"g","groupDescription":"d","vpcId":"vpc-1","tagSpecificationSet":{"items":[{"resourceType":"security-group","tags":[{"key":"k","value":"v"}]}]}},"responseElements":{"groupId":"sg-1","tagSet":{"items":[{"key":"k","value":"v"}]}}})",
      R"({"eventSource":"ec2.amazonaws.com","eventName":"RunInstances","requestParameters":{"groupSet":{"items":[{"groupId":"sg-1"}]},"networkInterfaceSet":{"items":[{"groupSet":{"items":[{"groupId":"sg-2"}]}}]}},"responseElements":{"instancesSet":{"items":[{"instanceId":"i-1","vpcId":"vpc-1","groupSet":{"items":[{"groupId":"sg-1","groupName":"a"}]},"networkInterfaceSet":{"items":[{"groupSet":{"items":[{"groupId":"sg-2","groupName":"b"}]}}]}}]}}})",
      R"({"eventSource":"ec2.amazonaws.com","eventName":"CreateNetworkInterface","requestParameters":{"groupSet":{}},"responseElements":{"networkInterface":{"networkInterfaceId":"eni-1","vpcId":"vpc-1","groupSet":{"items":[{"groupId":"sg-1","groupName":"default"}]}}}})",
      R"({"eventSource":"ec2.amazonaws.com","eventName":"ModifyInstanceAttribute","requestParameters":{"instanceId":"i-1","groupSet":{"items":[{"groupId":"sg-1"},{"groupId":"sg-2"}]}}})",
      R"({"eventSource":"ec2.amazonaws.com","eventName":"CreateTags","requestParameters":{"resourcesSet":{"items":[{"resourceId":"sg-1"}]},"tagSet":{"items":[{"key":"k","value":"v"}]}}})",
      R"({"eventSource":"ec2.amazonaws.com","eventName":"UpdateSecurityGroupRuleDescriptionsIngress","requestParameters":{"groupId":"sg-1","securityGroupRuleDescriptions":{"items":[{"securityGroupRuleId":"sgr-1","description":"d"}]}}})",
      R"({"eventSource":"ec2.amazonaws.com","eventName":"AssociateSecurityGroupVpc","requestParameters":{"groupId":"sg-1","vpcId":"vpc-2"}})",
      R"({"eventSource":"elasticfilesystem.amazonaws.com","eventName":"ModifyMountTargetSecurityGroups","requestParameters":{"mountTargetId":"fsmt-1","securityGroups":["sg-1"]}})",
      R"({"eventSource":"rds.amazonaws.com","eventName":"CreateDBInstance","requestParameters":{"dBInstanceIdentifier":"db","vpcSecurityGroupIds":["sg-1"]},"responseElements":{"dBSubnetGroup":{"vpcId":"vpc-1"},"vpcSecurityGroups":[{"vpcSecurityGroupId":"sg-1"}]}})",
      R"({"eventSource":"rds.amazonaws.com","eventName":"AuthorizeDBSecurityGroupIngress","requestParameters":{"dBSecurityGroupName":"d","cIDRIP":"0.0.0.0/0"}})",
      R"({"eventSource":"lambda.amazonaws.com","eventName":"CreateFunction20150331","requestParameters":{"functionName":"f","vpcConfig":{"securityGroupIds":["sg-1"]}}})",
  };
  const Json replacements[] = {Json(42), Json("42"), Json("x"), Json(true), Json(nullptr), Json::array(),
                               Json::object(), Json{1, 2}, Json{{"items", 5}}, Json{{"items", {1, "a", nullptr}}},
                               Json(-1), Json(1e300), Json(18446744073709551615ULL)};
  std::size_t runs = 0;
  for (const char* base : bases) {
    const Json original = Json::parse(base);
    {
      const auto result = normalize(base);
      ASSERT_TRUE(result.ok()) << base;
      for (const Change& c : *result) EXPECT_FALSE(c.unknown_shape) << base << ": " << c.unknown_reason;
    }
    // Every JSON pointer of the document.
    const Json flat = original.flatten();
    std::vector<Json::json_pointer> pointers;
    for (auto it = flat.begin(); it != flat.end(); ++it) {
      Json::json_pointer p(it.key());
      while (!p.empty()) {
        pointers.push_back(p);
        p = p.parent_pointer();
      }
    }
    for (const auto& pointer : pointers) {
      for (const Json& replacement : replacements) {
        Json mutated = original;
        mutated[pointer] = replacement;
        const std::string text = mutated.dump();
        const auto result = normalize(text);
        check_invariants(text, result);
        ++runs;
      }
    }
  }
  EXPECT_GT(runs, 2000U);
}

}  // namespace
}  // namespace sgwatch::sg
