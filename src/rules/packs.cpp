// The built-in packs. CIS strings are those of ../shared/spec/cis-section4.md ("Exact strings",
// v3.0.0), whitespace included; v5.0.0 differs from v3.0.0 only in 4.10, which adds
// ModifySecurityGroupRules. sg-all has one filter per API of
// ../shared/spec/security-group-events.md that changes a security group or which groups apply
// to a resource.
#include "rules/rules.h"

namespace sgwatch::rules {
namespace {

std::vector<BuiltinFilter> cis_v3() {
  return {
      {"cis-v3-4.1", "Unauthorized API calls",
       R"({ ($.errorCode ="*UnauthorizedOperation") || ($.errorCode ="AccessDenied*") && ($.sourceIPAddress!="delivery.logs.amazonaws.com") && ($.eventName!="HeadBucket") })"},
      {"cis-v3-4.2", "Management console sign-in without MFA",
       R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") })"},
      {"cis-v3-4.2-sso", "Console sign-in without MFA (IAM users, successful; for SSO organisations)",
       R"({ ($.eventName = "ConsoleLogin") && ($.additionalEventData.MFAUsed != "Yes") && ($.userIdentity.type = "IAMUser") && ($.responseElements.ConsoleLogin = "Success") })"},
      {"cis-v3-4.3", "Usage of the root account",
       R"({ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" })"},
      {"cis-v3-4.4", "IAM policy changes",
       R"({($.eventName=DeleteGroupPolicy)||($.eventName=DeleteRolePolicy)||($.eventName=DeleteUserPolicy)||($.eventName=PutGroupPolicy)||($.eventName=PutRolePolicy)||($.eventName=PutUserPolicy)||($.eventName=CreatePolicy)||($.eventName=DeletePolicy)||($.eventName=CreatePolicyVersion)||($.eventName=DeletePolicyVersion)||($.eventName=AttachRolePolicy)||($.eventName=DetachRolePolicy)||($.eventName=AttachUserPolicy)||($.eventName=DetachUserPolicy)||($.eventName=AttachGroupPolicy)||($.eventName=DetachGroupPolicy)})"},
      {"cis-v3-4.5", "CloudTrail configuration changes",
       R"({ ($.eventName = CreateTrail) || ($.eventName = UpdateTrail) || ($.eventName = DeleteTrail) || ($.eventName = StartLogging) || ($.eventName = StopLogging) })"},
      {"cis-v3-4.6", "Console authentication failures",
       R"({ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") })"},
      {"cis-v3-4.7", "Disabling or scheduled deletion of customer-managed KMS keys",
       R"({($.eventSource = kms.amazonaws.com) && (($.eventName=DisableKey)||($.eventName=ScheduleKeyDeletion)) })"},
      {"cis-v3-4.8", "S3 bucket policy changes",
       R"({ ($.eventSource = s3.amazonaws.com) && (($.eventName = PutBucketAcl) || ($.eventName = PutBucketPolicy) || ($.eventName = PutBucketCors) || ($.eventName = PutBucketLifecycle) || ($.eventName = PutBucketReplication) || ($.eventName = DeleteBucketPolicy) || ($.eventName = DeleteBucketCors) || ($.eventName = DeleteBucketLifecycle) || ($.eventName = DeleteBucketReplication)) })"},
      {"cis-v3-4.9", "AWS Config configuration changes",
       R"({ ($.eventSource = config.amazonaws.com) && (($.eventName=StopConfigurationRecorder)||($.eventName=DeleteDeliveryChannel) ||($.eventName=PutDeliveryChannel)||($.eventName=PutConfigurationRecorder)) })"},
      {"cis-v3-4.10", "Security group changes",
       R"({ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) })"},
      {"cis-v3-4.11", "Network ACL changes",
       R"({ ($.eventName = CreateNetworkAcl) || ($.eventName = CreateNetworkAclEntry) || ($.eventName = DeleteNetworkAcl) || ($.eventName = DeleteNetworkAclEntry) || ($.eventName = ReplaceNetworkAclEntry) || ($.eventName = ReplaceNetworkAclAssociation) })"},
      {"cis-v3-4.12", "Network gateway changes",
       R"({ ($.eventName = CreateCustomerGateway) || ($.eventName = DeleteCustomerGateway) || ($.eventName = AttachInternetGateway) || ($.eventName = CreateInternetGateway) || ($.eventName = DeleteInternetGateway) || ($.eventName = DetachInternetGateway) })"},
      {"cis-v3-4.13", "Route table changes",
       R"({ ($.eventName = CreateRoute) || ($.eventName = CreateRouteTable) || ($.eventName = ReplaceRoute) || ($.eventName = ReplaceRouteTableAssociation) || ($.eventName = DeleteRouteTable) || ($.eventName = DeleteRoute) || ($.eventName = DisassociateRouteTable) })"},
      {"cis-v3-4.14", "VPC changes",
       R"({ ($.eventName = CreateVpc) || ($.eventName = DeleteVpc) || ($.eventName = ModifyVpcAttribute) || ($.eventName = AcceptVpcPeeringConnection) || ($.eventName = CreateVpcPeeringConnection) || ($.eventName = DeleteVpcPeeringConnection) || ($.eventName = RejectVpcPeeringConnection) || ($.eventName = AttachClassicLinkVpc) || ($.eventName = DetachClassicLinkVpc) || ($.eventName = DisableVpcClassicLink) || ($.eventName = EnableVpcClassicLink) })"},
      {"cis-v3-4.15", "AWS Organizations changes",
       R"({ ($.eventSource = organizations.amazonaws.com) && (($.eventName = "AcceptHandshake") || ($.eventName = "AttachPolicy") || ($.eventName = "CreateAccount") || ($.eventName = "CreateOrganizationalUnit") || ($.eventName = "CreatePolicy") || ($.eventName = "DeclineHandshake") || ($.eventName = "DeleteOrganization") || ($.eventName = "DeleteOrganizationalUnit") || ($.eventName = "DeletePolicy") || ($.eventName = "DetachPolicy") || ($.eventName = "DisablePolicyType") || ($.eventName = "EnablePolicyType") || ($.eventName = "InviteAccountToOrganization") || ($.eventName = "LeaveOrganization") || ($.eventName = "MoveAccount") || ($.eventName = "RemoveAccountFromOrganization") || ($.eventName = "UpdatePolicy") || ($.eventName = "UpdateOrganizationalUnit")) })"},
  };
}

BuiltinFilter cis_v5_4_10() {
  return {"cis-v5-4.10", "Security group changes (v5.0.0: with ModifySecurityGroupRules)",
          R"({ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || ($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || ($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) || ($.eventName = ModifySecurityGroupRules) })"};
}

BuiltinFilter api(std::string_view source, std::string_view name, std::string_view title,
                  std::string_view extra = {}) {
  std::string pattern = "{ ($.eventSource = " + std::string(source) + ") && ($.eventName = \"" +
                        std::string(name) + "\")";
  if (!extra.empty()) pattern += " && (" + std::string(extra) + ")";
  pattern += " }";
  std::string filter_name = "sg-" + std::string(name);
  if (!filter_name.empty() && filter_name.back() == '*') filter_name.pop_back();
  return {filter_name, std::string(title), pattern};
}

std::vector<BuiltinFilter> sg_all() {
  constexpr std::string_view ec2 = "ec2.amazonaws.com";
  constexpr std::string_view group_set =
      R"($.requestParameters.groupSet.items[*].groupId = "*") || ($.requestParameters.attribute = "groupSet")";
  constexpr std::string_view tags_sg = R"($.requestParameters.resourcesSet.items[*].resourceId = "sg-*")";
  return {
      api(ec2, "AuthorizeSecurityGroupIngress", "adds inbound rules"),
      api(ec2, "AuthorizeSecurityGroupEgress", "adds outbound rules"),
      api(ec2, "RevokeSecurityGroupIngress", "removes inbound rules"),
      api(ec2, "RevokeSecurityGroupEgress", "removes outbound rules"),
      api(ec2, "CreateSecurityGroup", "creates a group (with EC2's allow-all egress rule)"),
      api(ec2, "DeleteSecurityGroup", "deletes a group"),
      api(ec2, "ModifySecurityGroupRules", "edits existing rules in place"),
      api(ec2, "UpdateSecurityGroupRuleDescriptionsIngress", "changes inbound rule descriptions"),
      api(ec2, "UpdateSecurityGroupRuleDescriptionsEgress", "changes outbound rule descriptions"),
      api(ec2, "AssociateSecurityGroupVpc", "makes a group usable in another VPC"),
      api(ec2, "DisassociateSecurityGroupVpc", "undoes AssociateSecurityGroupVpc"),
      api(ec2, "ModifyInstanceAttribute", "replaces the groups of an instance", group_set),
      api(ec2, "ModifyNetworkInterfaceAttribute", "replaces the groups of a network interface",
          group_set),
      api(ec2, "RunInstances", "attaches groups to new instances"),
      api(ec2, "CreateNetworkInterface", "attaches groups to a new network interface"),
      api(ec2, "CreateTags", "tags a security group", tags_sg),
      api(ec2, "DeleteTags", "untags a security group", tags_sg),
      api(ec2, "CreateLaunchTemplate", "names groups for instances launched later"),
      api(ec2, "CreateLaunchTemplateVersion", "names groups for instances launched later"),
      api(ec2, "CreateVpcEndpoint", "attaches groups to a VPC endpoint"),
      api(ec2, "ModifyVpcEndpoint", "changes the groups of a VPC endpoint"),
      api(ec2, "ApplySecurityGroupsToClientVpnTargetNetwork", "sets the groups of a Client VPN network"),
      api(ec2, "ModifyClientVpnEndpoint", "changes a Client VPN endpoint (its groups among others)"),
      api("elasticfilesystem.amazonaws.com", "ModifyMountTargetSecurityGroups",
          "replaces the groups of an EFS mount target"),
      api("rds.amazonaws.com", "CreateDBInstance", "attaches groups to a new DB instance"),
      api("rds.amazonaws.com", "ModifyDBInstance", "changes the groups of a DB instance",
          R"($.requestParameters.vpcSecurityGroupIds[*] = "*")"),
      api("elasticloadbalancing.amazonaws.com", "SetSecurityGroups",
          "replaces the groups of an Application/Network Load Balancer"),
      api("elasticloadbalancing.amazonaws.com", "ApplySecurityGroupsToLoadBalancer",
          "replaces the groups of a Classic Load Balancer"),
      api("lambda.amazonaws.com", "UpdateFunctionConfiguration*",
          "changes a Lambda function's VPC groups",
          R"($.requestParameters.vpcConfig.securityGroupIds[*] = "*")"),
      api("rds.amazonaws.com", "AuthorizeDBSecurityGroupIngress",
          "opens a legacy (EC2-Classic) DB security group"),
      api("elasticache.amazonaws.com", "AuthorizeCacheSecurityGroupIngress",
          "opens a legacy ElastiCache security group"),
      api("redshift.amazonaws.com", "AuthorizeClusterSecurityGroupIngress",
          "opens a legacy Redshift cluster security group"),
  };
}

std::vector<Pack> build() {
  std::vector<Pack> all;
  all.push_back({"cis-v3",
                 "CIS AWS Foundations Benchmark v3.0.0, section 4 (4.1-4.15 metric filters)",
                 cis_v3()});
  Pack v5{"cis-v5",
          "CIS AWS Foundations Benchmark v5.0.0, section 4: v3.0.0's filters with 4.10 "
          "extended by ModifySecurityGroupRules",
          {}};
  for (auto& filter : cis_v3()) {
    v5.filters.push_back(filter.name == "cis-v3-4.10" ? cis_v5_4_10() : filter);
  }
  all.push_back(std::move(v5));
  all.push_back({"sg-all",
                 "Every API call that changes a security group or which groups apply to a resource",
                 sg_all()});
  return all;
}

}  // namespace

const std::vector<Pack>& packs() {
  static const std::vector<Pack> all = build();
  return all;
}

const Pack* find_pack(std::string_view name) {
  for (const auto& pack : packs()) {
    if (pack.name == name) return &pack;
  }
  return nullptr;
}

}  // namespace sgwatch::rules
