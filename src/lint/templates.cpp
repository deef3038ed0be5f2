// The shapes of templates.h. Where the spec says "observed", the JSON below copies the structure
// of the named capture (ids and names replaced by this file's own example values); "3rd-party"
// and "model" shapes follow the spec's description and EC2's wire-name conventions (lists as
// {"items": [...]}, newer actions as one "<Action>Request" key with PascalCase members).
#include "lint/templates.h"

namespace sgwatch::lint {
namespace {

constexpr std::string_view kEc2 = "ec2.amazonaws.com";
constexpr std::string_view kEfs = "elasticfilesystem.amazonaws.com";
constexpr std::string_view kRds = "rds.amazonaws.com";
constexpr std::string_view kElb = "elasticloadbalancing.amazonaws.com";
constexpr std::string_view kLambda = "lambda.amazonaws.com";
constexpr std::string_view kCfn = "cloudformation.amazonaws.com";

const std::string kGroup = "sg-0a1b2c3d4e5f60718";
const std::string kPeerGroup = "sg-0f9e8d7c6b5a40312";
const std::string kAccount = "111122223333";

// One ipPermissions item (structured form) with the peer given as the ranges' JSON members.
std::string permission(std::string_view protocol, int from, int to, std::string_view peers) {
  std::string out = "{\"ipProtocol\": \"" + std::string(protocol) + "\"";
  if (protocol != "-1") {
    out += ", \"fromPort\": " + std::to_string(from) + ", \"toPort\": " + std::to_string(to);
  }
  std::string groups = "{}";
  std::string ipv4 = "{}";
  std::string ipv6 = "{}";
  std::string prefix = "{}";
  const std::string p(peers);
  if (p.rfind("ipv4:", 0) == 0) {
    ipv4 = R"({"items": [{"cidrIp": ")" + p.substr(5) + R"(", "description": "managed by sgwatch tests"}]})";
  } else if (p.rfind("ipv6:", 0) == 0) {
    ipv6 = R"({"items": [{"cidrIpv6": ")" + p.substr(5) + R"(", "description": "managed by sgwatch tests"}]})";
  } else if (p.rfind("prefix:", 0) == 0) {
    prefix = R"({"items": [{"prefixListId": ")" + p.substr(7) + R"(", "description": "corporate ranges"}]})";
  } else {
    groups = R"({"items": [{"groupId": ")" + p.substr(6) + R"(", "userId": ")" + kAccount + R"("}]})";
  }
  out += ", \"groups\": " + groups + ", \"ipRanges\": " + ipv4 + ", \"ipv6Ranges\": " + ipv6 +
         ", \"prefixListIds\": " + prefix + "}";
  return out;
}

std::string structured(std::string_view permission_json) {
  return R"({"groupId": ")" + kGroup + R"(", "ipPermissions": {"items": [)" + std::string(permission_json) + "]}}";
}

// responseElements of Authorize* since 2023: the created rule(s).
std::string created_rule(bool egress, std::string_view protocol, int from, int to, std::string_view peer_member) {
  return R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true, "securityGroupRuleSet": {"items": [{"groupOwnerId": ")" +
         kAccount + R"(", "groupId": ")" + kGroup +
         R"(", "securityGroupRuleId": "sgr-0c1d2e3f4a5b6c7d8", "description": "managed by sgwatch tests", "isEgress": )" +
         (egress ? "true" : "false") + R"(, "ipProtocol": ")" + std::string(protocol) + R"(", "fromPort": )" +
         std::to_string(from) + ", \"toPort\": " + std::to_string(to) + ", " + std::string(peer_member) + "}]}}";
}

const std::string kReturnTrue = R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true})";

// Authorize*: the structured form of the invictus capture (…1215Z_YMDRJwtmC82bUwAo.json) with
// every peer kind, the legacy flat form (same file, stratus), all protocols, the 2017-2021
// response (only _return), and for ingress the name-addressed default-VPC form (model).
std::vector<Shape> authorize_shapes(bool egress) {
  std::vector<Shape> shapes;
  shapes.reserve(8);
  shapes.push_back({"success", structured(permission("tcp", 443, 443, "ipv4:0.0.0.0/0")),
                    created_rule(egress, "tcp", 443, 443, R"("cidrIpv4": "0.0.0.0/0")")});
  shapes.push_back({"ipv6", structured(permission("tcp", 22, 22, "ipv6:::/0")),
                    created_rule(egress, "tcp", 22, 22, R"("cidrIpv6": "::/0")")});
  shapes.push_back({"prefix-list", structured(permission("tcp", 5432, 5432, "prefix:pl-0a1b2c3d4e5f60718")),
                    created_rule(egress, "tcp", 5432, 5432, R"("prefixListId": "pl-0a1b2c3d4e5f60718")")});
  shapes.push_back({"referenced-group", structured(permission("tcp", 0, 65535, "group:" + kPeerGroup)),
                    created_rule(egress, "tcp", 0, 65535,
                                 R"("referencedGroupInfo": {"groupId": ")" + kPeerGroup + R"(", "userId": ")" + kAccount + "\"}")});
  shapes.push_back({"all-protocols", structured(permission("-1", -1, -1, "ipv4:0.0.0.0/0")),
                    created_rule(egress, "-1", -1, -1, R"("cidrIpv4": "0.0.0.0/0")")});
  shapes.push_back({"legacy-flat",
                    R"({"groupId": ")" + kGroup + R"(", "ipPermissions": {}, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIp": "0.0.0.0/0"})",
                    created_rule(egress, "tcp", 22, 22, R"("cidrIpv4": "0.0.0.0/0")")});
  shapes.push_back({"legacy-response", structured(permission("tcp", 3389, 3389, "ipv4:10.0.0.0/8")), kReturnTrue});
  if (!egress) {
    shapes.push_back({"by-group-name",
                      R"({"groupName": "default", "ipPermissions": {"items": [)" +
                          permission("tcp", 80, 80, "ipv4:0.0.0.0/0") + "]}}",
                      created_rule(false, "tcp", 80, 80, R"("cidrIpv4": "0.0.0.0/0")")});
  }
  return shapes;
}

// Revoke*: structured form (invictus egress), legacy flat form (invictus ingress), every peer
// kind, and revoke by rule id (model: SecurityGroupRuleId.N, rendering not verified).
std::vector<Shape> revoke_shapes() {
  std::vector<Shape> shapes;
  shapes.reserve(6);
  shapes.push_back({"success", structured(permission("tcp", 443, 443, "ipv4:0.0.0.0/0")), kReturnTrue});
  shapes.push_back({"ipv6", structured(permission("tcp", 22, 22, "ipv6:::/0")), kReturnTrue});
  shapes.push_back({"prefix-list", structured(permission("tcp", 5432, 5432, "prefix:pl-0a1b2c3d4e5f60718")), kReturnTrue});
  shapes.push_back({"referenced-group", structured(permission("-1", -1, -1, "group:" + kPeerGroup)), kReturnTrue});
  shapes.push_back({"legacy-flat",
                    R"({"groupId": ")" + kGroup + R"(", "ipPermissions": {}, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIp": "0.0.0.0/0"})",
                    kReturnTrue});
  shapes.push_back({"by-rule-id",
                    R"({"groupId": ")" + kGroup + R"(", "securityGroupRuleIds": {"items": [{"securityGroupRuleId": "sgr-0c1d2e3f4a5b6c7d8"}]}})",
                    kReturnTrue});
  return shapes;
}

// ModifySecurityGroupRules (3rd-party: the CloudTrail Lake and hunting queries of the spec).
std::string modify_rules(std::string_view rule_members) {
  return R"({"ModifySecurityGroupRulesRequest": {"GroupId": ")" + kGroup +
         R"(", "SecurityGroupRule": {"SecurityGroupRuleId": "sgr-0c1d2e3f4a5b6c7d8", "SecurityGroupRule": {)" +
         std::string(rule_members) + R"(, "Description": "edited in place"}, "tag": 1}}})";
}
const std::string kModifyRulesResponse =
    R"({"ModifySecurityGroupRulesResponse": {"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "return": true, "xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/"}})";

std::vector<Shape> description_shapes() {
  return {
      {"success", structured(permission("tcp", 443, 443, "ipv4:0.0.0.0/0")), kReturnTrue},
      {"by-rule-id",
       R"({"groupId": ")" + kGroup + R"(", "securityGroupRuleDescriptions": {"items": [{"securityGroupRuleId": "sgr-0c1d2e3f4a5b6c7d8", "description": "new text"}]}})",
       kReturnTrue},
  };
}

const std::string kGroupSet = R"({"items": [{"groupId": ")" + kGroup + R"("}, {"groupId": ")" + kPeerGroup + R"("}]})";

// A wrapped newer EC2 action's request: {"<Action>Request": {members}}.
std::string wrapped(std::string_view action, std::string_view members) {
  return "{\"" + std::string(action) + "Request\": {" + std::string(members) + "}}";
}
std::string wrapped_response(std::string_view action, std::string_view members) {
  return "{\"" + std::string(action) + "Response\": {" + std::string(members) +
         R"(, "requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/"}})";
}

std::vector<ApiTemplate> build() {
  std::vector<ApiTemplate> all;
  all.reserve(40);
  all.push_back({"AuthorizeSecurityGroupIngress", kEc2, "AuthorizeSecurityGroupIngress",
                 "observed (invictus, stratus, elastic)", kCfn, authorize_shapes(false)});
  all.push_back({"AuthorizeSecurityGroupEgress", kEc2, "AuthorizeSecurityGroupEgress",
                 "observed (invictus, elastic)", kCfn, authorize_shapes(true)});
  all.push_back({"RevokeSecurityGroupIngress", kEc2, "RevokeSecurityGroupIngress",
                 "observed (invictus, legacy flat form)", kCfn, revoke_shapes()});
  all.push_back({"RevokeSecurityGroupEgress", kEc2, "RevokeSecurityGroupEgress",
                 "observed (invictus)", kCfn, revoke_shapes()});
  all.push_back({"CreateSecurityGroup", kEc2, "CreateSecurityGroup", "observed (invictus, plaso, panther)", kCfn,
                 {{"success",
                   R"({"groupName": "web-tier", "groupDescription": "Web tier", "vpcId": "vpc-0e568b18707c87afa", "tagSpecificationSet": {"items": [{"resourceType": "security-group", "tags": [{"key": "Name", "value": "web-tier"}]}]}})",
                   R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true, "groupId": ")" + kGroup +
                       R"(", "tagSet": {"items": [{"key": "Name", "value": "web-tier"}]}})"},
                  {"no-tags", R"({"groupName": "no-access", "groupDescription": "Nothing open", "vpcId": "vpc-0e568b18707c87afa"})",
                   R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true, "groupId": ")" + kGroup + "\"}"},
                  {"default-vpc", R"({"groupName": "launch-wizard-1", "groupDescription": "launch-wizard-1 created 2024-05-14"})",
                   R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true, "groupId": ")" + kGroup + "\"}"}}});
  all.push_back({"DeleteSecurityGroup", kEc2, "DeleteSecurityGroup", "observed (invictus)", kCfn,
                 {{"success", R"({"groupId": ")" + kGroup + "\"}", kReturnTrue},
                  {"by-group-name", R"({"groupName": "launch-wizard-1"})", kReturnTrue}}});
  all.push_back({"ModifySecurityGroupRules", kEc2, "ModifySecurityGroupRules", "3rd-party (CloudTrail Lake samples)", kCfn,
                 {{"success", modify_rules(R"("IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "0.0.0.0/0")"), kModifyRulesResponse},
                  {"ipv6", modify_rules(R"("IpProtocol": "tcp", "FromPort": 3389, "ToPort": 3389, "CidrIpv6": "::/0")"), kModifyRulesResponse},
                  {"prefix-list", modify_rules(R"("IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "PrefixListId": "pl-0a1b2c3d4e5f60718")"), kModifyRulesResponse},
                  {"referenced-group", modify_rules(R"("IpProtocol": "-1", "ReferencedGroupId": ")" + kPeerGroup + "\""), kModifyRulesResponse}}});
  all.push_back({"UpdateSecurityGroupRuleDescriptionsIngress", kEc2, "UpdateSecurityGroupRuleDescriptionsIngress", "model", kCfn,
                 description_shapes()});
  all.push_back({"UpdateSecurityGroupRuleDescriptionsEgress", kEc2, "UpdateSecurityGroupRuleDescriptionsEgress", "model", kCfn,
                 description_shapes()});
  all.push_back({"AssociateSecurityGroupVpc", kEc2, "AssociateSecurityGroupVpc", "model", kCfn,
                 {{"success", R"({"groupId": ")" + kGroup + R"(", "vpcId": "vpc-0b1c2d3e4f5a6b7c8"})",
                   R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "state": "associating"})"},
                  {"request-wrapper", wrapped("AssociateSecurityGroupVpc", R"("GroupId": ")" + kGroup + R"(", "VpcId": "vpc-0b1c2d3e4f5a6b7c8")"),
                   wrapped_response("AssociateSecurityGroupVpc", R"("state": "associating")")}}});
  all.push_back({"DisassociateSecurityGroupVpc", kEc2, "DisassociateSecurityGroupVpc", "model", kCfn,
                 {{"success", R"({"groupId": ")" + kGroup + R"(", "vpcId": "vpc-0b1c2d3e4f5a6b7c8"})",
                   R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "state": "disassociating"})"},
                  {"request-wrapper", wrapped("DisassociateSecurityGroupVpc", R"("GroupId": ")" + kGroup + R"(", "VpcId": "vpc-0b1c2d3e4f5a6b7c8")"),
                   wrapped_response("DisassociateSecurityGroupVpc", R"("state": "disassociating")")}}});
  all.push_back({"ModifyInstanceAttribute", kEc2, "ModifyInstanceAttribute",
                 "model (groupSet by EC2's convention; other attributes observed in invictus, stratus)", kCfn,
                 {{"success", R"({"instanceId": "i-0123456789abcdef0", "groupSet": )" + kGroupSet + "}", kReturnTrue},
                  {"attribute-form", R"({"instanceId": "i-0123456789abcdef0", "attribute": "groupSet", "value": ")" + kGroup + "\"}",
                   kReturnTrue}}});
  all.push_back({"ModifyNetworkInterfaceAttribute", kEc2, "ModifyNetworkInterfaceAttribute", "3rd-party (a public test fixture)", kCfn,
                 {{"success", R"({"networkInterfaceId": "eni-076fa9fb98a2500a7", "groupSet": )" + kGroupSet + "}", kReturnTrue},
                  {"attribute-form", R"({"networkInterfaceId": "eni-076fa9fb98a2500a7", "attribute": "groupSet", "value": ")" + kGroup + "\"}",
                   kReturnTrue}}});
  const std::string run_response =
      R"({"requestId": "25e584a8-c452-4d73-bf06-99f951583043", "reservationId": "r-01234567890123456", "ownerId": ")" + kAccount +
      R"(", "groupSet": {}, "instancesSet": {"items": [{"instanceId": "i-0123456789abcdef0", "imageId": "ami-01234567890123456", "instanceState": {"code": 0, "name": "pending"}, "instanceType": "t3.micro", "subnetId": "subnet-01234567890123456", "vpcId": "vpc-0e568b18707c87afa", "groupSet": {"items": [{"groupId": ")" +
      kGroup + R"(", "groupName": "web-tier"}]}, "networkInterfaceSet": {"items": [{"networkInterfaceId": "eni-076fa9fb98a2500a7", "groupSet": {"items": [{"groupId": ")" +
      kGroup + R"(", "groupName": "web-tier"}]}}]}}]}})";
  all.push_back({"RunInstances", kEc2, "RunInstances", "observed (plaso, panther, cloud-custodian)", "autoscaling.amazonaws.com",
                 {{"success",
                   R"({"instancesSet": {"items": [{"imageId": "ami-01234567890123456", "minCount": 1, "maxCount": 1}]}, "instanceType": "t3.micro", "blockDeviceMapping": {}, "monitoring": {"enabled": false}, "disableApiTermination": false, "disableApiStop": false, "networkInterfaceSet": {"items": [{"deviceIndex": 0, "subnetId": "subnet-01234567890123456", "deleteOnTermination": true, "groupSet": {"items": [{"groupId": ")" +
                       kGroup + R"("}]}}]}})",
                   run_response},
                  {"group-set",
                   R"({"instancesSet": {"items": [{"imageId": "ami-2d39803a", "minCount": 1, "maxCount": 1, "keyName": "deploy"}]}, "groupSet": {"items": [{"groupId": ")" +
                       kGroup + R"("}]}, "instanceType": "m3.medium", "blockDeviceMapping": {}, "monitoring": {"enabled": false}, "disableApiTermination": false})",
                   run_response},
                  {"launch-template",
                   R"({"instancesSet": {"items": [{"maxCount": 1, "minCount": 1}]}, "launchTemplate": {"launchTemplateId": "lt-0622a7ff26539376a", "version": "4"}, "blockDeviceMapping": {}, "monitoring": {"enabled": false}, "subnetId": "subnet-01234567890123456"})",
                   run_response}}});
  const std::string eni_response =
      R"({"requestId": "18b3084b-7025-4894-aa0c-8a9e953e4038", "networkInterface": {"networkInterfaceId": "eni-076fa9fb98a2500a7", "subnetId": "subnet-01234567890123456", "vpcId": "vpc-0e568b18707c87afa", "ownerId": ")" +
      kAccount + R"(", "status": "pending", "privateIpAddress": "10.0.1.10", "interfaceType": "interface", "groupSet": {"items": [{"groupId": ")" + kGroup +
      R"(", "groupName": "web-tier"}]}, "privateIpAddressesSet": {"item": [{"privateIpAddress": "10.0.1.10", "primary": true}]}, "ipv6AddressesSet": {}, "tagSet": {}}})";
  all.push_back({"CreateNetworkInterface", kEc2, "CreateNetworkInterface", "observed (invictus, incl. userAgent rds.amazonaws.com)",
                 kRds,
                 {{"success", R"({"subnetId": "subnet-01234567890123456", "groupSet": {"items": [{"groupId": ")" + kGroup + R"("}]}, "clientToken": "C265B64D-B8B2-4C8F-912B-A346F34FC63A"})",
                   eni_response},
                  {"default-group",
                   R"({"subnetId": "subnet-01234567890123456", "groupSet": {}, "privateIpAddressesSet": {"items": [{"privateIpAddress": "10.0.1.10", "primary": true}]}})",
                   eni_response}}});
  const std::string tags_request =
      R"({"resourcesSet": {"items": [{"resourceId": ")" + kGroup + R"("}]}, "tagSet": {"items": [{"key": "Environment", "value": "production"}]}})";
  const std::string tags_mixed = R"({"resourcesSet": {"items": [{"resourceId": "i-0123456789abcdef0"}, {"resourceId": ")" + kGroup +
                                 R"("}]}, "tagSet": {"items": [{"key": "Owner", "value": "platform"}]}})";
  all.push_back({"CreateTags", kEc2, "CreateTags", "observed for an AMI (invictus); the shape is resource-independent", kCfn,
                 {{"success", tags_request, kReturnTrue}, {"mixed-resources", tags_mixed, kReturnTrue}}});
  all.push_back({"DeleteTags", kEc2, "DeleteTags", "model (CreateTags' shape)", kCfn,
                 {{"success", tags_request, kReturnTrue}, {"mixed-resources", tags_mixed, kReturnTrue}}});
  all.push_back({"CreateLaunchTemplate", kEc2, "CreateLaunchTemplate", "model", kCfn,
                 {{"success",
                   wrapped("CreateLaunchTemplate", R"("LaunchTemplateName": "web", "LaunchTemplateData": {"ImageId": "ami-01234567890123456", "InstanceType": "t3.micro", "SecurityGroupId": {"content": ")" +
                                                       kGroup + R"(", "tag": 1}}, "ClientToken": "b1c2d3e4")"),
                   wrapped_response("CreateLaunchTemplate", R"("launchTemplate": {"launchTemplateId": "lt-0abc1234def567890", "launchTemplateName": "web", "defaultVersionNumber": 1, "latestVersionNumber": 1})")}}});
  all.push_back({"CreateLaunchTemplateVersion", kEc2, "CreateLaunchTemplateVersion", "model", kCfn,
                 {{"success",
                   wrapped("CreateLaunchTemplateVersion", R"("LaunchTemplateId": "lt-0abc1234def567890", "SourceVersion": "1", "LaunchTemplateData": {"NetworkInterface": {"DeviceIndex": 0, "SecurityGroupId": {"content": ")" +
                                                              kGroup + R"(", "tag": 1}, "tag": 1}})"),
                   wrapped_response("CreateLaunchTemplateVersion", R"("launchTemplateVersion": {"launchTemplateId": "lt-0abc1234def567890", "versionNumber": 2})")}}});
  all.push_back({"CreateVpcEndpoint", kEc2, "CreateVpcEndpoint", "model", kCfn,
                 {{"success",
                   wrapped("CreateVpcEndpoint", R"("VpcId": "vpc-0e568b18707c87afa", "ServiceName": "com.amazonaws.us-east-1.s3", "VpcEndpointType": "Interface", "SubnetId": {"content": "subnet-01234567890123456", "tag": 1}, "SecurityGroupId": {"content": ")" +
                                                    kGroup + R"(", "tag": 1})"),
                   wrapped_response("CreateVpcEndpoint", R"("vpcEndpoint": {"vpcEndpointId": "vpce-0a1b2c3d4e5f60718", "groupSet": {"item": {"groupId": ")" + kGroup + R"("}}})")}}});
  all.push_back({"ModifyVpcEndpoint", kEc2, "ModifyVpcEndpoint", "model", kCfn,
                 {{"success",
                   wrapped("ModifyVpcEndpoint", R"("VpcEndpointId": "vpce-0a1b2c3d4e5f60718", "AddSecurityGroupId": {"content": ")" + kGroup + R"(", "tag": 1})"),
                   wrapped_response("ModifyVpcEndpoint", R"("return": true)")},
                  {"remove-groups",
                   wrapped("ModifyVpcEndpoint", R"("VpcEndpointId": "vpce-0a1b2c3d4e5f60718", "RemoveSecurityGroupId": {"content": ")" + kPeerGroup + R"(", "tag": 1})"),
                   wrapped_response("ModifyVpcEndpoint", R"("return": true)")}}});
  all.push_back({"ApplySecurityGroupsToClientVpnTargetNetwork", kEc2, "ApplySecurityGroupsToClientVpnTargetNetwork", "model", kCfn,
                 {{"success",
                   wrapped("ApplySecurityGroupsToClientVpnTargetNetwork", R"("ClientVpnEndpointId": "cvpn-endpoint-0a1b2c3d4e5f60718", "VpcId": "vpc-0e568b18707c87afa", "SecurityGroupId": {"content": ")" +
                                                                              kGroup + R"(", "tag": 1})"),
                   wrapped_response("ApplySecurityGroupsToClientVpnTargetNetwork", R"("securityGroupIds": {"item": ")" + kGroup + R"("})")}}});
  all.push_back({"ModifyClientVpnEndpoint", kEc2, "ModifyClientVpnEndpoint", "model", kCfn,
                 {{"success",
                   wrapped("ModifyClientVpnEndpoint", R"("ClientVpnEndpointId": "cvpn-endpoint-0a1b2c3d4e5f60718", "VpcId": "vpc-0e568b18707c87afa", "SecurityGroupId": {"content": ")" +
                                                          kGroup + R"(", "tag": 1})"),
                   wrapped_response("ModifyClientVpnEndpoint", R"("return": true)")}}});
  all.push_back({"ModifyMountTargetSecurityGroups", kEfs, "ModifyMountTargetSecurityGroups", "observed (cloud-custodian, 2023)", kCfn,
                 {{"success", R"({"mountTargetId": "fsmt-07e238762319765b9", "securityGroups": [")" + kGroup + R"("]})", "null"}}});
  all.push_back({"CreateDBInstance", kRds, "CreateDBInstance", "observed (cloud-custodian 2015, invictus, panther)", kCfn,
                 {{"success",
                   R"({"dBInstanceIdentifier": "orders", "dBInstanceClass": "db.t3.micro", "engine": "mysql", "allocatedStorage": 20, "masterUsername": "admin", "masterUserPassword": "****", "vpcSecurityGroupIds": [")" +
                       kGroup + R"("], "dBSubnetGroupName": "private", "publiclyAccessible": false})",
                   R"({"dBInstanceIdentifier": "orders", "dBInstanceClass": "db.t3.micro", "engine": "mysql", "dBInstanceStatus": "creating", "dBSecurityGroups": [], "vpcSecurityGroups": [{"vpcSecurityGroupId": ")" +
                       kGroup + R"(", "status": "active"}], "dBInstanceArn": "arn:aws:rds:us-east-1:111122223333:db:orders"})"}}});
  all.push_back({"ModifyDBInstance", kRds, "ModifyDBInstance", "model (the request shape of CreateDBInstance; other ModifyDBInstance fields observed in panther)", kCfn,
                 {{"success", R"({"dBInstanceIdentifier": "orders", "vpcSecurityGroupIds": [")" + kGroup + R"("], "applyImmediately": true})",
                   R"({"dBInstanceIdentifier": "orders", "dBInstanceStatus": "available", "vpcSecurityGroups": [{"vpcSecurityGroupId": ")" +
                       kGroup + R"(", "status": "adding"}]})"}}});
  all.push_back({"SetSecurityGroups", kElb, "SetSecurityGroups", "model", kCfn,
                 {{"success",
                   R"({"loadBalancerArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188", "securityGroups": [")" +
                       kGroup + R"("]})",
                   R"({"securityGroupIds": [")" + kGroup + R"("]})"}}});
  all.push_back({"ApplySecurityGroupsToLoadBalancer", kElb, "ApplySecurityGroupsToLoadBalancer", "model", kCfn,
                 {{"success", R"({"loadBalancerName": "web-classic", "securityGroups": [")" + kGroup + R"("]})",
                   R"({"securityGroups": [")" + kGroup + R"("]})"}}});
  all.push_back({"UpdateFunctionConfiguration", kLambda, "UpdateFunctionConfiguration20150331v2",
                 "observed eventName and envelope (stratus, panther); vpcConfig by the Lambda API model", kCfn,
                 {{"success",
                   R"({"functionName": "orders-api", "vpcConfig": {"subnetIds": ["subnet-01234567890123456"], "securityGroupIds": [")" + kGroup +
                       R"("]}})",
                   R"({"functionName": "orders-api", "functionArn": "arn:aws:lambda:us-east-1:111122223333:function:orders-api", "runtime": "python3.12", "vpcConfig": {"subnetIds": ["subnet-01234567890123456"], "securityGroupIds": [")" +
                       kGroup + R"("], "vpcId": "vpc-0e568b18707c87afa"}, "lastUpdateStatus": "InProgress"})"}}});
  all.push_back({"AuthorizeDBSecurityGroupIngress", kRds, "AuthorizeDBSecurityGroupIngress", "observed (panther fixtures)", kCfn,
                 {{"success", R"({"dBSecurityGroupName": "production-db-sg", "cIDRIP": "203.0.113.0/24"})",
                   R"({"dBSecurityGroupName": "production-db-sg", "iPRanges": [{"cIDRIP": "203.0.113.0/24", "status": "authorizing"}]})"},
                  {"ec2-group", R"({"dBSecurityGroupName": "production-db-sg", "eC2SecurityGroupName": "web-tier", "eC2SecurityGroupOwnerId": "111122223333"})",
                   R"({"dBSecurityGroupName": "production-db-sg", "eC2SecurityGroups": [{"eC2SecurityGroupName": "web-tier", "status": "authorizing"}]})"}}});
  all.push_back({"AuthorizeCacheSecurityGroupIngress", "elasticache.amazonaws.com", "AuthorizeCacheSecurityGroupIngress", "model", kCfn,
                 {{"success", R"({"cacheSecurityGroupName": "legacy-cache", "eC2SecurityGroupName": "web-tier", "eC2SecurityGroupOwnerId": "111122223333"})",
                   R"({"cacheSecurityGroupName": "legacy-cache", "eC2SecurityGroups": [{"eC2SecurityGroupName": "web-tier", "status": "authorizing"}]})"}}});
  all.push_back({"AuthorizeClusterSecurityGroupIngress", "redshift.amazonaws.com", "AuthorizeClusterSecurityGroupIngress", "model", kCfn,
                 {{"success", R"({"clusterSecurityGroupName": "legacy-warehouse", "cIDRIP": "0.0.0.0/0"})",
                   R"({"clusterSecurityGroupName": "legacy-warehouse", "iPRanges": [{"cIDRIP": "0.0.0.0/0", "status": "authorizing"}]})"}}});
  return all;
}

}  // namespace

const std::vector<ApiTemplate>& api_templates() {
  static const std::vector<ApiTemplate> all = build();
  return all;
}

}  // namespace sgwatch::lint
