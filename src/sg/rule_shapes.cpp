// Readers of rule changes and group lifecycle calls (see shapes.h): Authorize/Revoke in their
// structured (ipPermissions.items[]) and legacy flat forms, by rule id, and the rule sets of
// their responses; ModifySecurityGroupRules; UpdateSecurityGroupRuleDescriptions*; the legacy
// RDS/ElastiCache/Redshift security groups; CreateSecurityGroup, DeleteSecurityGroup,
// Associate/DisassociateSecurityGroupVpc, and tags on sg- resources.
#include <fmt/format.h>

#include "sg/shapes.h"

namespace sgwatch::sg::detail {
namespace {

Group group_of_request(const Event& event) {
  Fields& f = *event.fields;
  Group group;
  group.id = f.text(Fields::member(event.request, "groupId"), "requestParameters.groupId");
  group.name = f.text(Fields::member(event.request, "groupName"), "requestParameters.groupName");
  return group;
}

// The peers of one ipPermissions item, each a rule with the item's protocol and ports.
void read_permission(const Event& event, const Json& permission, Direction direction,
                     std::string_view path, std::vector<Rule>& rules) {
  Fields& f = *event.fields;
  if (!permission.is_object()) {
    f.problem(fmt::format("{} is not an object", path));
    return;
  }
  Rule base;
  base.direction = direction;
  base.protocol = f.text(Fields::member(&permission, "ipProtocol"), fmt::format("{}.ipProtocol", path));
  base.from_port = f.integer(Fields::member(&permission, "fromPort"), fmt::format("{}.fromPort", path));
  base.to_port = f.integer(Fields::member(&permission, "toPort"), fmt::format("{}.toPort", path));
  const std::size_t before = rules.size();
  auto add = [&](const Json& range, Peer::Kind kind, std::string_view key, std::string_view list) {
    const std::string at = fmt::format("{}.{}.items[]", path, list);
    if (!range.is_object()) {
      f.problem(fmt::format("{} is not an object", at));
      return;
    }
    Rule rule = base;
    rule.peer.kind = kind;
    rule.peer.value = f.text(Fields::member(&range, key), fmt::format("{}.{}", at, key));
    if (const Json* description = Fields::member(&range, "description")) {
      rule.description = f.text(description, fmt::format("{}.description", at));
    }
    if (kind == Peer::Kind::kGroup) {
      rule.peer.group_name = f.text(Fields::member(&range, "groupName"), fmt::format("{}.groupName", at));
      rule.peer.owner_id = f.text(Fields::member(&range, "userId"), fmt::format("{}.userId", at));
      rule.peer.vpc_id = f.text(Fields::member(&range, "vpcId"), fmt::format("{}.vpcId", at));
      rule.peer.peering_id =
          f.text(Fields::member(&range, "vpcPeeringConnectionId"), fmt::format("{}.vpcPeeringConnectionId", at));
    }
    rules.push_back(std::move(rule));
  };
  const std::string p = std::string(path);
  for (const Json* r : f.items(Fields::member(&permission, "ipRanges"), p + ".ipRanges")) {
    add(*r, Peer::Kind::kIpv4, "cidrIp", "ipRanges");
  }
  for (const Json* r : f.items(Fields::member(&permission, "ipv6Ranges"), p + ".ipv6Ranges")) {
    add(*r, Peer::Kind::kIpv6, "cidrIpv6", "ipv6Ranges");
  }
  for (const Json* r : f.items(Fields::member(&permission, "prefixListIds"), p + ".prefixListIds")) {
    add(*r, Peer::Kind::kPrefixList, "prefixListId", "prefixListIds");
  }
  for (const Json* r : f.items(Fields::member(&permission, "groups"), p + ".groups")) {
    add(*r, Peer::Kind::kGroup, "groupId", "groups");
  }
  if (rules.size() == before) rules.push_back(base);  // no peer in the event
}

void read_permissions(const Event& event, Direction direction, std::vector<Rule>& rules) {
  Fields& f = *event.fields;
  const std::vector<const Json*> items =
      f.items(Fields::member(event.request, "ipPermissions"), "requestParameters.ipPermissions");
  rules.reserve(rules.size() + items.size());
  for (std::size_t k = 0; k < items.size(); ++k) {
    read_permission(event, *items[k], direction, fmt::format("requestParameters.ipPermissions.items[{}]", k), rules);
  }
}

// The legacy flat form: ipProtocol/fromPort/toPort/cidrIp or sourceSecurityGroupName/OwnerId at
// the top of requestParameters.
void read_flat(const Event& event, Direction direction, std::vector<Rule>& rules) {
  Fields& f = *event.fields;
  const Json* request = event.request;
  const Json* protocol = Fields::member(request, "ipProtocol");
  const Json* cidr = Fields::member(request, "cidrIp");
  const Json* source_name = Fields::member(request, "sourceSecurityGroupName");
  const Json* source_owner = Fields::member(request, "sourceSecurityGroupOwnerId");
  const Json* from = Fields::member(request, "fromPort");
  const Json* to = Fields::member(request, "toPort");
  if (protocol == nullptr && cidr == nullptr && source_name == nullptr && source_owner == nullptr &&
      from == nullptr && to == nullptr) {
    return;
  }
  Rule rule;
  rule.direction = direction;
  rule.protocol = f.text(protocol, "requestParameters.ipProtocol");
  rule.from_port = f.integer(from, "requestParameters.fromPort");
  rule.to_port = f.integer(to, "requestParameters.toPort");
  if (cidr != nullptr) {
    rule.peer.kind = Peer::Kind::kIpv4;
    rule.peer.value = f.text(cidr, "requestParameters.cidrIp");
  } else if (source_name != nullptr || source_owner != nullptr) {
    rule.peer.kind = Peer::Kind::kGroup;
    rule.peer.group_name = f.text(source_name, "requestParameters.sourceSecurityGroupName");
    rule.peer.owner_id = f.text(source_owner, "requestParameters.sourceSecurityGroupOwnerId");
  }
  rules.push_back(std::move(rule));
}

// securityGroupRuleIds of a revoke by rule id, in whichever rendering.
void read_rule_ids(const Event& event, Direction direction, std::vector<Rule>& rules) {
  Fields& f = *event.fields;
  for (const std::string_view key : {"securityGroupRuleIds", "securityGroupRuleIdSet", "securityGroupRuleId"}) {
    const Json* list = Fields::member(event.request, key);
    if (list == nullptr) continue;
    for (std::string& id : f.strings(list, "securityGroupRuleId", fmt::format("requestParameters.{}", key))) {
      Rule rule;
      rule.direction = direction;
      rule.rule_id = std::move(id);
      rules.push_back(std::move(rule));
    }
  }
}

// One rule of a response's securityGroupRuleSet / revokedSecurityGroupRuleSet.
Rule read_response_rule(const Event& event, const Json& item, Direction direction, std::string_view path,
                        Group& group) {
  Fields& f = *event.fields;
  Rule rule;
  rule.direction = direction;
  auto at = [&](std::string_view key) { return fmt::format("{}.{}", path, key); };
  if (auto egress = f.boolean(Fields::member(&item, "isEgress"), at("isEgress"))) {
    rule.direction = *egress ? Direction::kEgress : Direction::kIngress;
  }
  rule.rule_id = f.text(Fields::member(&item, "securityGroupRuleId"), at("securityGroupRuleId"));
  rule.protocol = f.text(Fields::member(&item, "ipProtocol"), at("ipProtocol"));
  rule.from_port = f.integer(Fields::member(&item, "fromPort"), at("fromPort"));
  rule.to_port = f.integer(Fields::member(&item, "toPort"), at("toPort"));
  if (const Json* description = Fields::member(&item, "description")) {
    rule.description = f.text(description, at("description"));
  }
  if (const Json* v4 = Fields::member(&item, "cidrIpv4")) {
    rule.peer.kind = Peer::Kind::kIpv4;
    rule.peer.value = f.text(v4, at("cidrIpv4"));
  } else if (const Json* v6 = Fields::member(&item, "cidrIpv6")) {
    rule.peer.kind = Peer::Kind::kIpv6;
    rule.peer.value = f.text(v6, at("cidrIpv6"));
  } else if (const Json* list = Fields::member(&item, "prefixListId")) {
    rule.peer.kind = Peer::Kind::kPrefixList;
    rule.peer.value = f.text(list, at("prefixListId"));
  } else if (const Json* referenced = Fields::member(&item, "referencedGroupInfo")) {
    rule.peer.kind = Peer::Kind::kGroup;
    rule.peer.value = f.text(Fields::member(referenced, "groupId"), at("referencedGroupInfo.groupId"));
    rule.peer.owner_id = f.text(Fields::member(referenced, "userId"), at("referencedGroupInfo.userId"));
    rule.peer.vpc_id = f.text(Fields::member(referenced, "vpcId"), at("referencedGroupInfo.vpcId"));
    rule.peer.peering_id =
        f.text(Fields::member(referenced, "vpcPeeringConnectionId"), at("referencedGroupInfo.vpcPeeringConnectionId"));
  } else if (const Json* referenced_id = Fields::member(&item, "referencedGroupId")) {
    rule.peer.kind = Peer::Kind::kGroup;
    rule.peer.value = f.text(referenced_id, at("referencedGroupId"));
  }
  const std::string group_id = f.text(Fields::member(&item, "groupId"), at("groupId"));
  if (group.id.empty()) group.id = group_id;
  if (group.owner_id.empty()) {
    group.owner_id = f.text(Fields::member(&item, "groupOwnerId"), at("groupOwnerId"));
  }
  return rule;
}

std::vector<Rule> read_response_rules(const Event& event, std::string_view key, Direction direction,
                                      Group& group) {
  Fields& f = *event.fields;
  std::vector<Rule> rules;
  const std::vector<const Json*> items =
      f.items(Fields::member(event.response, key), fmt::format("responseElements.{}", key));
  rules.reserve(items.size());
  for (std::size_t k = 0; k < items.size(); ++k) {
    const std::string path = fmt::format("responseElements.{}.items[{}]", key, k);
    if (!items[k]->is_object()) {
      f.problem(path + " is not an object");
      continue;
    }
    rules.push_back(read_response_rule(event, *items[k], direction, path, group));
  }
  return rules;
}

Change with_rules(const Change& base, ChangeKind kind, Group group, RuleAction action, std::vector<Rule> rules) {
  Change change = base;
  change.kind = kind;
  change.group = std::move(group);
  change.rules.reserve(rules.size());
  for (Rule& rule : rules) {
    RuleChange rule_change;
    rule_change.action = action;
    rule_change.rule = std::move(rule);
    change.rules.push_back(std::move(rule_change));
  }
  return change;
}

void flag_if_no_rules(Change& change, std::string_view what) {
  if (!change.rules.empty()) return;
  change.unknown_shape = true;
  change.unknown_reason = fmt::format("no {} found in the event", what);
}

// A member that is an object, a list of objects, or a list wrapper: its objects.
std::vector<const Json*> objects_of(Fields& f, const Json* value, std::string_view path) {
  if (value != nullptr && value->is_object() && Fields::member(value, "items") == nullptr &&
      Fields::member(value, "item") == nullptr) {
    return {value};
  }
  return f.items(value, path);
}

}  // namespace

void read_rule_call(const Event& event, const Change& base, Direction direction, RuleAction action,
                    std::vector<Change>& out) {
  Group group = group_of_request(event);
  const ChangeKind kind = action == RuleAction::kAdded ? ChangeKind::kRulesAdded : ChangeKind::kRulesRemoved;
  // The response lists what the call did, one rule per peer and with rule ids: the uniform place
  // to read it (spec: "the response is the uniform place to read what was opened").
  std::vector<Rule> rules = read_response_rules(
      event, action == RuleAction::kAdded ? "securityGroupRuleSet" : "revokedSecurityGroupRuleSet", direction,
      group);
  if (rules.empty()) {
    read_permissions(event, direction, rules);
    read_flat(event, direction, rules);
    read_rule_ids(event, direction, rules);
  }
  Change change = with_rules(base, kind, std::move(group), action, std::move(rules));
  flag_if_no_rules(change, "rule");
  out.push_back(std::move(change));
}

void read_modify_rules(const Event& event, const Change& base, std::vector<Change>& out) {
  Fields& f = *event.fields;
  Group group = group_of_request(event);
  std::vector<Rule> rules;
  for (const std::string_view key : {"securityGroupRule", "securityGroupRules", "securityGroupRuleSet"}) {
    const Json* value = Fields::member(event.request, key);
    if (value == nullptr) continue;
    const std::string path = fmt::format("requestParameters.{}", key);
    const std::vector<const Json*> items = objects_of(f, value, path);
    rules.reserve(rules.size() + items.size());
    for (const Json* item : items) {
      if (!item->is_object()) {
        f.problem(path + " holds an element that is not an object");
        continue;
      }
      Rule rule;
      rule.direction = Direction::kUnknown;
      rule.rule_id = f.text(Fields::member(item, "securityGroupRuleId"), path + ".securityGroupRuleId");
      const Json* content = Fields::member(item, "securityGroupRule");
      if (content != nullptr && !content->is_object()) {
        f.problem(path + ".securityGroupRule is not an object");
        content = nullptr;
      }
      const std::string at = path + ".securityGroupRule";
      rule.protocol = f.text(Fields::member(content, "ipProtocol"), at + ".ipProtocol");
      rule.from_port = f.integer(Fields::member(content, "fromPort"), at + ".fromPort");
      rule.to_port = f.integer(Fields::member(content, "toPort"), at + ".toPort");
      if (const Json* description = Fields::member(content, "description")) {
        rule.description = f.text(description, at + ".description");
      }
      if (const Json* v4 = Fields::member(content, "cidrIpv4")) {
        rule.peer.kind = Peer::Kind::kIpv4;
        rule.peer.value = f.text(v4, at + ".cidrIpv4");
      } else if (const Json* v6 = Fields::member(content, "cidrIpv6")) {
        rule.peer.kind = Peer::Kind::kIpv6;
        rule.peer.value = f.text(v6, at + ".cidrIpv6");
      } else if (const Json* list = Fields::member(content, "prefixListId")) {
        rule.peer.kind = Peer::Kind::kPrefixList;
        rule.peer.value = f.text(list, at + ".prefixListId");
      } else if (const Json* referenced = Fields::member(content, "referencedGroupId")) {
        rule.peer.kind = Peer::Kind::kGroup;
        rule.peer.value = f.text(referenced, at + ".referencedGroupId");
      }
      rules.push_back(std::move(rule));
    }
  }
  Change change = with_rules(base, ChangeKind::kRulesModified, std::move(group), RuleAction::kModified,
                             std::move(rules));
  flag_if_no_rules(change, "rule");
  out.push_back(std::move(change));
}

void read_description_update(const Event& event, const Change& base, Direction direction,
                             std::vector<Change>& out) {
  Fields& f = *event.fields;
  Group group = group_of_request(event);
  std::vector<Rule> rules;
  read_permissions(event, direction, rules);
  for (const std::string_view key : {"securityGroupRuleDescriptions", "securityGroupRuleDescriptionSet"}) {
    const std::string path = fmt::format("requestParameters.{}", key);
    for (const Json* item : objects_of(f, Fields::member(event.request, key), path)) {
      if (!item->is_object()) {
        f.problem(path + " holds an element that is not an object");
        continue;
      }
      Rule rule;
      rule.direction = direction;
      rule.rule_id = f.text(Fields::member(item, "securityGroupRuleId"), path + ".securityGroupRuleId");
      rule.description = f.text(Fields::member(item, "description"), path + ".description");
      rules.push_back(std::move(rule));
    }
  }
  Change change = with_rules(base, ChangeKind::kDescriptionsUpdated, std::move(group), RuleAction::kModified,
                             std::move(rules));
  flag_if_no_rules(change, "rule description");
  out.push_back(std::move(change));
}

void read_legacy_rule_call(const Event& event, const Change& base, RuleAction action,
                           std::vector<Change>& out) {
  Fields& f = *event.fields;
  Group group;
  for (const std::string_view key : {"dBSecurityGroupName", "cacheSecurityGroupName", "clusterSecurityGroupName"}) {
    if (const Json* name = Fields::member(event.request, key)) {
      group.name = f.text(name, fmt::format("requestParameters.{}", key));
    }
  }
  Rule rule;
  rule.direction = Direction::kIngress;
  rule.legacy_service_port = true;
  if (const Json* cidr = Fields::member(event.request, "cIDRIP")) {
    rule.peer.kind = Peer::Kind::kIpv4;
    rule.peer.value = f.text(cidr, "requestParameters.cIDRIP");
  } else {
    const Json* id = Fields::member(event.request, "eC2SecurityGroupId");
    const Json* name = Fields::member(event.request, "eC2SecurityGroupName");
    if (id != nullptr || name != nullptr) {
      rule.peer.kind = Peer::Kind::kGroup;
      rule.peer.value = f.text(id, "requestParameters.eC2SecurityGroupId");
      rule.peer.group_name = f.text(name, "requestParameters.eC2SecurityGroupName");
      rule.peer.owner_id =
          f.text(Fields::member(event.request, "eC2SecurityGroupOwnerId"), "requestParameters.eC2SecurityGroupOwnerId");
    }
  }
  std::vector<Rule> rules;
  if (rule.peer.kind != Peer::Kind::kNone) rules.push_back(std::move(rule));
  const ChangeKind kind = action == RuleAction::kAdded ? ChangeKind::kRulesAdded : ChangeKind::kRulesRemoved;
  Change change = with_rules(base, kind, std::move(group), action, std::move(rules));
  flag_if_no_rules(change, "rule");
  out.push_back(std::move(change));
}

void read_create_group(const Event& event, const Change& base, std::vector<Change>& out) {
  Fields& f = *event.fields;
  Change change = base;
  change.kind = ChangeKind::kGroupCreated;
  change.group.name = f.text(Fields::member(event.request, "groupName"), "requestParameters.groupName");
  change.group.description =
      f.text(Fields::member(event.request, "groupDescription"), "requestParameters.groupDescription");
  change.group.vpc_id = f.text(Fields::member(event.request, "vpcId"), "requestParameters.vpcId");
  change.group.id = f.text(Fields::member(event.response, "groupId"), "responseElements.groupId");
  const std::vector<const Json*> specs =
      f.items(Fields::member(event.request, "tagSpecificationSet"), "requestParameters.tagSpecificationSet");
  for (const Json* spec : specs) {
    for (const Json* tag : f.items(Fields::member(spec, "tags"), "requestParameters.tagSpecificationSet.tags")) {
      Tag t;
      t.key = f.text(Fields::member(tag, "key"), "requestParameters.tagSpecificationSet.tags[].key");
      if (const Json* value = Fields::member(tag, "value")) {
        t.value = f.text(value, "requestParameters.tagSpecificationSet.tags[].value");
      }
      change.tags.push_back(std::move(t));
    }
  }
  // EC2 gives every new (VPC) group an allow-all egress rule, and logs no Authorize for it.
  RuleChange implicit;
  implicit.action = RuleAction::kAdded;
  implicit.rule.direction = Direction::kEgress;
  implicit.rule.protocol = "-1";
  implicit.rule.peer.kind = Peer::Kind::kIpv4;
  implicit.rule.peer.value = "0.0.0.0/0";
  implicit.rule.implicit = true;
  change.rules.push_back(std::move(implicit));
  out.push_back(std::move(change));
}

void read_delete_group(const Event& event, const Change& base, std::vector<Change>& out) {
  Fields& f = *event.fields;
  Change change = base;
  change.kind = ChangeKind::kGroupDeleted;
  change.group = group_of_request(event);
  if (change.group.id.empty()) {
    change.group.id = f.text(Fields::member(event.response, "groupId"), "responseElements.groupId");
  }
  if (change.group.id.empty() && change.group.name.empty()) {
    change.unknown_shape = true;
    change.unknown_reason = "no group id or name in the event";
  }
  out.push_back(std::move(change));
}

void read_vpc_association(const Event& event, const Change& base, bool associate, std::vector<Change>& out) {
  Fields& f = *event.fields;
  Change change = base;
  change.kind = associate ? ChangeKind::kVpcAssociated : ChangeKind::kVpcDisassociated;
  change.group = group_of_request(event);
  change.target_vpc_id = f.text(Fields::member(event.request, "vpcId"), "requestParameters.vpcId");
  if (change.group.id.empty() || change.target_vpc_id.empty()) {
    change.unknown_shape = true;
    change.unknown_reason = "no group id or VPC id in the event";
  }
  out.push_back(std::move(change));
}

bool read_tags(const Event& event, const Change& base, bool add, std::vector<Change>& out) {
  Fields& f = *event.fields;
  const std::vector<std::string> resources =
      f.strings(Fields::member(event.request, "resourcesSet"), "resourceId", "requestParameters.resourcesSet");
  std::vector<Tag> tags;
  for (const Json* tag : f.items(Fields::member(event.request, "tagSet"), "requestParameters.tagSet")) {
    Tag t;
    t.key = f.text(Fields::member(tag, "key"), "requestParameters.tagSet.items[].key");
    if (const Json* value = Fields::member(tag, "value")) t.value = f.text(value, "requestParameters.tagSet.items[].value");
    tags.push_back(std::move(t));
  }
  bool any = false;
  for (const std::string& resource : resources) {
    if (resource.rfind("sg-", 0) != 0) continue;
    any = true;
    Change change = base;
    change.kind = add ? ChangeKind::kTagsAdded : ChangeKind::kTagsRemoved;
    change.group.id = resource;
    change.tags = tags;
    out.push_back(std::move(change));
  }
  return any;
}

}  // namespace sgwatch::sg::detail
