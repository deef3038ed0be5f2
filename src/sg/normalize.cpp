// normalize(): parsing, the fields every change carries (call, actor, outcome), and the dispatch
// on eventSource/eventName to the readers of shapes.h. See normalize.h.
#include "sg/normalize.h"

#include <fmt/format.h>

#include <array>

#include "core/text.h"
#include "sg/shapes.h"

namespace sgwatch::sg {
namespace {

using detail::Event;
using detail::Fields;
using detail::Json;

enum class Reader {
  kAuthorizeIngress, kAuthorizeEgress, kRevokeIngress, kRevokeEgress, kModifyRules,
  kDescriptionsIngress, kDescriptionsEgress, kCreateGroup, kDeleteGroup, kAssociateVpc,
  kDisassociateVpc, kCreateTags, kDeleteTags, kModifyInstanceAttribute, kModifyEniAttribute,
  kRunInstances, kCreateEni, kLegacyAuthorize, kLegacyRevoke, kMountTargetModify,
  kMountTargetCreate, kDbCreate, kDbModify, kElbSet, kElbClassicApply, kElbCreate,
  kAnyAttach, kAnyReplace,
};

struct Api {
  std::string_view source;  // "" for the EC2 security-group APIs: any source
  std::string_view name;
  Reader reader;
  bool prefix = false;      // Lambda's versioned names
};

constexpr std::string_view kEc2 = "ec2.amazonaws.com";

constexpr std::array kApis{
    Api{"", "AuthorizeSecurityGroupIngress", Reader::kAuthorizeIngress},
    Api{"", "AuthorizeSecurityGroupEgress", Reader::kAuthorizeEgress},
    Api{"", "RevokeSecurityGroupIngress", Reader::kRevokeIngress},
    Api{"", "RevokeSecurityGroupEgress", Reader::kRevokeEgress},
    Api{"", "CreateSecurityGroup", Reader::kCreateGroup},
    Api{"", "DeleteSecurityGroup", Reader::kDeleteGroup},
    Api{"", "ModifySecurityGroupRules", Reader::kModifyRules},
    Api{"", "UpdateSecurityGroupRuleDescriptionsIngress", Reader::kDescriptionsIngress},
    Api{"", "UpdateSecurityGroupRuleDescriptionsEgress", Reader::kDescriptionsEgress},
    Api{"", "AssociateSecurityGroupVpc", Reader::kAssociateVpc},
    Api{"", "DisassociateSecurityGroupVpc", Reader::kDisassociateVpc},
    Api{kEc2, "CreateTags", Reader::kCreateTags},
    Api{kEc2, "DeleteTags", Reader::kDeleteTags},
    Api{kEc2, "ModifyInstanceAttribute", Reader::kModifyInstanceAttribute},
    Api{kEc2, "ModifyNetworkInterfaceAttribute", Reader::kModifyEniAttribute},
    Api{kEc2, "RunInstances", Reader::kRunInstances},
    Api{kEc2, "CreateNetworkInterface", Reader::kCreateEni},
    Api{kEc2, "CreateLaunchTemplate", Reader::kAnyAttach},
    Api{kEc2, "CreateLaunchTemplateVersion", Reader::kAnyAttach},
    Api{kEc2, "CreateVpcEndpoint", Reader::kAnyAttach},
    Api{kEc2, "ModifyVpcEndpoint", Reader::kAnyAttach},
    Api{kEc2, "ApplySecurityGroupsToClientVpnTargetNetwork", Reader::kAnyReplace},
    Api{kEc2, "ModifyClientVpnEndpoint", Reader::kAnyReplace},
    Api{"elasticfilesystem.amazonaws.com", "ModifyMountTargetSecurityGroups", Reader::kMountTargetModify},
    Api{"elasticfilesystem.amazonaws.com", "CreateMountTarget", Reader::kMountTargetCreate},
    Api{"rds.amazonaws.com", "CreateDBInstance", Reader::kDbCreate},
    Api{"rds.amazonaws.com", "CreateDBCluster", Reader::kDbCreate},
    Api{"rds.amazonaws.com", "RestoreDBInstanceFromDBSnapshot", Reader::kDbCreate},
    Api{"rds.amazonaws.com", "ModifyDBInstance", Reader::kDbModify},
    Api{"rds.amazonaws.com", "ModifyDBCluster", Reader::kDbModify},
    Api{"rds.amazonaws.com", "AuthorizeDBSecurityGroupIngress", Reader::kLegacyAuthorize},
    Api{"rds.amazonaws.com", "RevokeDBSecurityGroupIngress", Reader::kLegacyRevoke},
    Api{"elasticache.amazonaws.com", "AuthorizeCacheSecurityGroupIngress", Reader::kLegacyAuthorize},
    Api{"elasticache.amazonaws.com", "RevokeCacheSecurityGroupIngress", Reader::kLegacyRevoke},
    Api{"redshift.amazonaws.com", "AuthorizeClusterSecurityGroupIngress", Reader::kLegacyAuthorize},
    Api{"redshift.amazonaws.com", "RevokeClusterSecurityGroupIngress", Reader::kLegacyRevoke},
    Api{"elasticloadbalancing.amazonaws.com", "SetSecurityGroups", Reader::kElbSet},
    Api{"elasticloadbalancing.amazonaws.com", "ApplySecurityGroupsToLoadBalancer", Reader::kElbClassicApply},
    Api{"elasticloadbalancing.amazonaws.com", "CreateLoadBalancer", Reader::kElbCreate},
    Api{"lambda.amazonaws.com", "CreateFunction", Reader::kAnyAttach, true},
    Api{"lambda.amazonaws.com", "UpdateFunctionConfiguration", Reader::kAnyReplace, true},
    Api{"elasticache.amazonaws.com", "CreateCacheCluster", Reader::kAnyAttach},
    Api{"elasticache.amazonaws.com", "CreateReplicationGroup", Reader::kAnyAttach},
    Api{"elasticache.amazonaws.com", "ModifyCacheCluster", Reader::kAnyReplace},
    Api{"elasticache.amazonaws.com", "ModifyReplicationGroup", Reader::kAnyReplace},
    Api{"redshift.amazonaws.com", "CreateCluster", Reader::kAnyAttach},
    Api{"redshift.amazonaws.com", "ModifyCluster", Reader::kAnyReplace},
    Api{"eks.amazonaws.com", "CreateCluster", Reader::kAnyAttach},
    Api{"eks.amazonaws.com", "UpdateClusterConfig", Reader::kAnyReplace},
};

const Api* find_api(std::string_view source, std::string_view name) {
  for (const Api& api : kApis) {
    const bool name_matches = api.prefix ? name.substr(0, api.name.size()) == api.name : name == api.name;
    if (!name_matches) continue;
    if (api.source.empty() || api.source == source) return &api;
  }
  return nullptr;
}

// The names a resource goes by in the generic readers, most specific first.
const std::vector<std::string_view> kAnyResourceKeys{
    "launchTemplateId", "launchTemplateName", "vpcEndpointId", "clientVpnEndpointId",
    "functionName", "cacheClusterId", "replicationGroupId", "clusterIdentifier", "name"};

Change flagged_record(std::string_view text, std::string reason) {
  Change change;
  change.kind = ChangeKind::kUnknown;
  change.unknown_shape = true;
  change.unknown_reason = std::move(reason);
  change.raw = std::string(text);
  return change;
}

void read_actor(const Json& record, Fields& f, Actor& actor) {
  const Json* identity = Fields::member(&record, "userIdentity");
  if (identity != nullptr && !identity->is_object()) {
    f.problem("userIdentity is not an object");
    identity = nullptr;
  }
  actor.type = f.text(Fields::member(identity, "type"), "userIdentity.type");
  actor.arn = f.text(Fields::member(identity, "arn"), "userIdentity.arn");
  actor.principal_id = f.text(Fields::member(identity, "principalId"), "userIdentity.principalId");
  actor.account_id = f.text(Fields::member(identity, "accountId"), "userIdentity.accountId");
  actor.user_name = f.text(Fields::member(identity, "userName"), "userIdentity.userName");
  actor.access_key_id = f.text(Fields::member(identity, "accessKeyId"), "userIdentity.accessKeyId");
  actor.invoked_by = f.text(Fields::member(identity, "invokedBy"), "userIdentity.invokedBy");
  const Json* session = Fields::member(identity, "sessionContext");
  const Json* issuer = Fields::member(session, "sessionIssuer");
  actor.session_issuer_arn = f.text(Fields::member(issuer, "arn"), "userIdentity.sessionContext.sessionIssuer.arn");
  actor.session_issuer_type =
      f.text(Fields::member(issuer, "type"), "userIdentity.sessionContext.sessionIssuer.type");
  actor.mfa_authenticated = f.boolean(Fields::member(Fields::member(session, "attributes"), "mfaAuthenticated"),
                                      "userIdentity.sessionContext.attributes.mfaAuthenticated");
  actor.source_ip = f.text(Fields::member(&record, "sourceIPAddress"), "sourceIPAddress");
  actor.user_agent = f.text(Fields::member(&record, "userAgent"), "userAgent");
}

Change read_base(const Json& record, Fields& f) {
  Change base;
  base.event_id = f.text(Fields::member(&record, "eventID"), "eventID");
  base.event_name = f.text(Fields::member(&record, "eventName"), "eventName");
  base.event_source = f.text(Fields::member(&record, "eventSource"), "eventSource");
  base.event_time = f.text(Fields::member(&record, "eventTime"), "eventTime");
  base.region = f.text(Fields::member(&record, "awsRegion"), "awsRegion");
  read_actor(record, f, base.actor);
  base.account = f.text(Fields::member(&record, "recipientAccountId"), "recipientAccountId");
  if (base.account.empty()) base.account = base.actor.account_id;
  base.error_code = f.text(Fields::member(&record, "errorCode"), "errorCode");
  base.error_message = f.text(Fields::member(&record, "errorMessage"), "errorMessage");
  if (base.error_code == "Client.DryRunOperation" || base.error_code == "DryRunOperation") {
    base.dry_run = true;
    base.error_code.clear();
  }
  return base;
}

// requestParameters, unwrapped from a single `<eventName>Request` member when it is one.
const Json* request_of(const Json& record, std::string_view event_name, Fields& f) {
  const Json* request = Fields::member(&record, "requestParameters");
  if (request == nullptr) return nullptr;
  if (!request->is_object()) {
    f.problem("requestParameters is not an object");
    return nullptr;
  }
  if (request->size() == 1) {
    const std::string wrapper = fmt::format("{}Request", event_name);
    if (const Json* inner = Fields::member(request, wrapper)) {
      if (inner->is_object()) return inner;
      f.problem(fmt::format("requestParameters.{} is not an object", wrapper));
      return nullptr;
    }
  }
  return request;
}

bool dispatch(const Api& api, const Event& event, const Change& base, std::vector<Change>& out) {
  switch (api.reader) {
    case Reader::kAuthorizeIngress:
      detail::read_rule_call(event, base, Direction::kIngress, RuleAction::kAdded, out);
      return true;
    case Reader::kAuthorizeEgress:
      detail::read_rule_call(event, base, Direction::kEgress, RuleAction::kAdded, out);
      return true;
    case Reader::kRevokeIngress:
      detail::read_rule_call(event, base, Direction::kIngress, RuleAction::kRemoved, out);
      return true;
    case Reader::kRevokeEgress:
      detail::read_rule_call(event, base, Direction::kEgress, RuleAction::kRemoved, out);
      return true;
    case Reader::kModifyRules: detail::read_modify_rules(event, base, out); return true;
    case Reader::kDescriptionsIngress:
      detail::read_description_update(event, base, Direction::kIngress, out);
      return true;
    case Reader::kDescriptionsEgress:
      detail::read_description_update(event, base, Direction::kEgress, out);
      return true;
    case Reader::kCreateGroup: detail::read_create_group(event, base, out); return true;
    case Reader::kDeleteGroup: detail::read_delete_group(event, base, out); return true;
    case Reader::kAssociateVpc: detail::read_vpc_association(event, base, true, out); return true;
    case Reader::kDisassociateVpc: detail::read_vpc_association(event, base, false, out); return true;
    case Reader::kCreateTags: return detail::read_tags(event, base, true, out);
    case Reader::kDeleteTags: return detail::read_tags(event, base, false, out);
    case Reader::kModifyInstanceAttribute:
      return detail::read_group_set_modify(event, base, "instanceId", out);
    case Reader::kModifyEniAttribute:
      return detail::read_group_set_modify(event, base, "networkInterfaceId", out);
    case Reader::kRunInstances: return detail::read_instance_launch(event, base, out);
    case Reader::kCreateEni: return detail::read_network_interface_create(event, base, out);
    case Reader::kLegacyAuthorize:
      detail::read_legacy_rule_call(event, base, RuleAction::kAdded, out);
      return true;
    case Reader::kLegacyRevoke:
      detail::read_legacy_rule_call(event, base, RuleAction::kRemoved, out);
      return true;
    case Reader::kMountTargetModify:
      return detail::read_id_list(event, base, ChangeKind::kGroupsReplaced, "securityGroups",
                                  {"mountTargetId"}, out);
    case Reader::kMountTargetCreate:
      return detail::read_id_list(event, base, ChangeKind::kGroupsAttached, "securityGroups",
                                  {"fileSystemId"}, out);
    case Reader::kDbCreate: return detail::read_db_groups(event, base, true, out);
    case Reader::kDbModify: return detail::read_db_groups(event, base, false, out);
    case Reader::kElbSet:
      return detail::read_id_list(event, base, ChangeKind::kGroupsReplaced, "securityGroups",
                                  {"loadBalancerArn", "loadBalancerName"}, out);
    case Reader::kElbClassicApply:
      return detail::read_id_list(event, base, ChangeKind::kGroupsReplaced, "securityGroups",
                                  {"loadBalancerName"}, out);
    case Reader::kElbCreate:
      return detail::read_id_list(event, base, ChangeKind::kGroupsAttached, "securityGroups",
                                  {"name", "loadBalancerName"}, out);
    case Reader::kAnyAttach:
      return detail::read_any_group_ids(event, base, ChangeKind::kGroupsAttached, kAnyResourceKeys, out);
    case Reader::kAnyReplace:
      return detail::read_any_group_ids(event, base, ChangeKind::kGroupsReplaced, kAnyResourceKeys, out);
  }
  return false;
}

}  // namespace

bool is_security_group_api(std::string_view event_source, std::string_view event_name) {
  return find_api(event_source, event_name) != nullptr;
}

NormalizeResult normalize(std::string_view record_json) { return normalize(record_json, NormalizeOptions{}); }

NormalizeResult normalize(std::string_view record_json, const NormalizeOptions& options) {
  std::vector<Change> out;
  auto flag = [&](std::string reason) -> NormalizeResult {
    out.push_back(flagged_record(record_json, std::move(reason)));
    assess(out.back(), options.policy);
    return out;
  };
  if (detail::nests_deeper_than(record_json, options.max_depth)) {
    return flag(fmt::format("the record nests deeper than {} levels", options.max_depth));
  }
  Json record;
  try {
    record = Json::parse(record_json);
  } catch (const Json::exception& e) {
    return flag(fmt::format("not valid JSON: {}", e.what()));
  }
  if (!record.is_object()) return flag("the record is not a JSON object");

  Fields fields;
  const Json* name_value = Fields::member(&record, "eventName");
  if (name_value == nullptr) return core::unexpected(NotSecurityGroupEvent{"", "the record has no eventName"});
  if (!name_value->is_string()) {
    return core::unexpected(NotSecurityGroupEvent{"", "the record's eventName is not a string"});
  }
  const std::string& event_name = name_value->get_ref<const std::string&>();
  const Json* source_value = Fields::member(&record, "eventSource");
  const std::string source =
      source_value != nullptr && source_value->is_string() ? source_value->get<std::string>() : "";
  const Api* api = find_api(source, event_name);
  if (api == nullptr) {
    return core::unexpected(NotSecurityGroupEvent{
        event_name, fmt::format("{} is not a security-group event", core::printable(event_name, 80))});
  }

  Change base = read_base(record, fields);
  Event event;
  event.record = &record;
  event.fields = &fields;
  event.request = request_of(record, event_name, fields);
  event.response = Fields::member(&record, "responseElements");
  if (event.response != nullptr && !event.response->is_object()) {
    fields.problem("responseElements is not an object");
    event.response = nullptr;
  }
  if (!dispatch(*api, event, base, out)) {
    return core::unexpected(NotSecurityGroupEvent{
        event_name, fmt::format("{} names no security group", core::printable(event_name, 80))});
  }
  if (out.empty()) {
    Change change = base;
    change.unknown_shape = true;
    change.unknown_reason = "no security group found in the event";
    out.push_back(std::move(change));
  }
  if (!fields.problems().empty()) {
    std::string reason;
    for (const std::string& problem : fields.problems()) {
      if (!reason.empty()) reason += "; ";
      reason += problem;
    }
    for (Change& change : out) {
      change.unknown_shape = true;
      change.unknown_reason = change.unknown_reason.empty() ? reason : reason + "; " + change.unknown_reason;
    }
  }
  for (Change& change : out) {
    if (change.unknown_shape) change.raw = std::string(record_json);
    assess(change, options.policy);
  }
  return out;
}

}  // namespace sgwatch::sg
