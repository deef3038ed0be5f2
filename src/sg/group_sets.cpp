// Readers of the calls that change which groups apply to a resource (see shapes.h): instance
// launches and new network interfaces (request and response), group sets replaced on an
// instance or an interface, other services' lists of group ids (EFS, RDS, ELB), and a generic
// reader for the calls that only carry group ids somewhere in their request.
#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "sg/shapes.h"

namespace sgwatch::sg::detail {
namespace {

// Groups in first-seen order, keyed by id (else name), each with the resources it applies to.
class GroupUses {
 public:
  void add(Group group, const std::string& resource) {
    if (group.id.empty() && group.name.empty()) return;
    auto found = std::find_if(uses_.begin(), uses_.end(), [&](const GroupUse& use) {
      return group.id.empty() ? use.group.id.empty() && use.group.name == group.name : use.group.id == group.id;
    });
    if (found == uses_.end()) {
      GroupUse use;
      use.group = std::move(group);
      uses_.push_back(std::move(use));
      found = uses_.end() - 1;
    } else {
      if (found->group.name.empty()) found->group.name = group.name;
      if (found->group.vpc_id.empty()) found->group.vpc_id = group.vpc_id;
    }
    if (!resource.empty() &&
        std::find(found->resources.begin(), found->resources.end(), resource) == found->resources.end()) {
      found->resources.push_back(resource);
    }
  }
  const std::vector<GroupUse>& uses() const { return uses_; }
  bool empty() const { return uses_.empty(); }
  std::vector<std::string> set() const {
    std::vector<std::string> out;
    out.reserve(uses_.size());
    for (const GroupUse& use : uses_) out.push_back(use.group.id.empty() ? use.group.name : use.group.id);
    return out;
  }

 private:
  std::vector<GroupUse> uses_;
};

// groupSet-style lists: {"items": [{"groupId": ..., "groupName": ...}]}.
void read_group_items(Fields& f, const Json* list, std::string_view path, const std::string& vpc_id,
                      const std::string& resource, GroupUses& uses) {
  for (const Json* item : f.items(list, path)) {
    if (!item->is_object()) {
      f.problem(fmt::format("{} holds an element that is not an object", path));
      continue;
    }
    Group group;
    group.id = f.text(Fields::member(item, "groupId"), fmt::format("{}.groupId", path));
    group.name = f.text(Fields::member(item, "groupName"), fmt::format("{}.groupName", path));
    group.vpc_id = vpc_id;
    uses.add(std::move(group), resource);
  }
}

bool lower_starts_with(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k) {
    char c = text[k];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != prefix[k]) return false;
  }
  return true;
}

std::string resource_of(Fields& f, const Json* request, const std::vector<std::string_view>& keys) {
  for (const std::string_view key : keys) {
    const Json* value = Fields::member(request, key);
    if (value != nullptr && value->is_string()) return f.text(value, key);
  }
  return {};
}

}  // namespace

void emit_group_changes(const Change& base, ChangeKind kind, const std::vector<GroupUse>& uses,
                        const std::vector<std::string>& group_set, std::vector<Change>& out) {
  out.reserve(out.size() + uses.size());
  for (const GroupUse& use : uses) {
    Change change = base;
    change.kind = kind;
    change.group = use.group;
    change.resources = use.resources;
    change.group_set = group_set;
    out.push_back(std::move(change));
  }
}

bool read_instance_launch(const Event& event, const Change& base, std::vector<Change>& out) {
  Fields& f = *event.fields;
  GroupUses uses;
  // The response says which groups each instance got (ids and names, and the VPC).
  const std::vector<const Json*> instances =
      f.items(Fields::member(event.response, "instancesSet"), "responseElements.instancesSet");
  for (const Json* instance : instances) {
    const std::string id = f.text(Fields::member(instance, "instanceId"), "responseElements.instancesSet.items[].instanceId");
    const std::string vpc = f.text(Fields::member(instance, "vpcId"), "responseElements.instancesSet.items[].vpcId");
    read_group_items(f, Fields::member(instance, "groupSet"), "responseElements.instancesSet.items[].groupSet", vpc, id,
                     uses);
    for (const Json* eni : f.items(Fields::member(instance, "networkInterfaceSet"),
                                   "responseElements.instancesSet.items[].networkInterfaceSet")) {
      read_group_items(f, Fields::member(eni, "groupSet"),
                       "responseElements.instancesSet.items[].networkInterfaceSet.items[].groupSet", vpc, id, uses);
    }
  }
  if (uses.empty()) {
    // A failed call has no response: what was asked for.
    read_group_items(f, Fields::member(event.request, "groupSet"), "requestParameters.groupSet", "", "", uses);
    for (const Json* eni : f.items(Fields::member(event.request, "networkInterfaceSet"),
                                   "requestParameters.networkInterfaceSet")) {
      read_group_items(f, Fields::member(eni, "groupSet"), "requestParameters.networkInterfaceSet.items[].groupSet",
                       "", "", uses);
    }
  }
  if (uses.empty()) return false;
  emit_group_changes(base, ChangeKind::kGroupsAttached, uses.uses(), uses.set(), out);
  return true;
}

bool read_network_interface_create(const Event& event, const Change& base, std::vector<Change>& out) {
  Fields& f = *event.fields;
  GroupUses uses;
  const Json* eni = Fields::member(event.response, "networkInterface");
  const std::string id = f.text(Fields::member(eni, "networkInterfaceId"), "responseElements.networkInterface.networkInterfaceId");
  const std::string vpc = f.text(Fields::member(eni, "vpcId"), "responseElements.networkInterface.vpcId");
  read_group_items(f, Fields::member(eni, "groupSet"), "responseElements.networkInterface.groupSet", vpc, id, uses);
  if (uses.empty()) {
    read_group_items(f, Fields::member(event.request, "groupSet"), "requestParameters.groupSet", "", "", uses);
  }
  if (uses.empty()) return false;
  emit_group_changes(base, ChangeKind::kGroupsAttached, uses.uses(), uses.set(), out);
  return true;
}

bool read_group_set_modify(const Event& event, const Change& base, std::string_view resource_key,
                           std::vector<Change>& out) {
  Fields& f = *event.fields;
  const std::string resource =
      f.text(Fields::member(event.request, resource_key), fmt::format("requestParameters.{}", resource_key));
  const Json* set = Fields::member(event.request, "groupSet");
  if (set == nullptr) set = Fields::member(event.request, "groupId");  // Groups.N rendered as a plain list
  if (set == nullptr) {
    // The Attribute/Value form: {"attribute": "groupSet", "value": ...}.
    const Json* attribute = Fields::member(event.request, "attribute");
    if (attribute == nullptr || !attribute->is_string() || attribute->get_ref<const std::string&>() != "groupSet") {
      return false;
    }
    Change change = base;
    change.kind = ChangeKind::kGroupsReplaced;
    change.resources.push_back(resource);
    const Json* value = Fields::member(event.request, "value");
    if (value != nullptr && value->is_string() && value->get_ref<const std::string&>().rfind("sg-", 0) == 0) {
      change.group.id = value->get<std::string>();
      change.group_set.push_back(change.group.id);
    } else {
      change.unknown_shape = true;
      change.unknown_reason = "the groupSet attribute's value is not a group id";
    }
    out.push_back(std::move(change));
    return true;
  }
  GroupUses uses;
  if (set->is_object() || set->is_array()) {
    const std::vector<const Json*> items = f.items(set, "requestParameters.groupSet");
    for (const Json* item : items) {
      if (item->is_string()) {
        Group group;
        group.id = item->get<std::string>();
        uses.add(std::move(group), resource);
      }
    }
    // Objects ({"groupId": ...}) are read here; strings above.
    for (const Json* item : items) {
      if (!item->is_object()) continue;
      Group group;
      group.id = f.text(Fields::member(item, "groupId"), "requestParameters.groupSet.items[].groupId");
      group.name = f.text(Fields::member(item, "groupName"), "requestParameters.groupSet.items[].groupName");
      uses.add(std::move(group), resource);
    }
  } else {
    f.problem("requestParameters.groupSet is not a list");
  }
  if (uses.empty()) {
    // Replaced by an empty set (or one not understood): still a group-set change.
    Change change = base;
    change.kind = ChangeKind::kGroupsReplaced;
    if (!resource.empty()) change.resources.push_back(resource);
    out.push_back(std::move(change));
    return true;
  }
  emit_group_changes(base, ChangeKind::kGroupsReplaced, uses.uses(), uses.set(), out);
  return true;
}

bool read_id_list(const Event& event, const Change& base, ChangeKind kind, std::string_view list_key,
                  std::vector<std::string_view> resource_keys, std::vector<Change>& out) {
  Fields& f = *event.fields;
  const Json* list = Fields::member(event.request, list_key);
  if (list == nullptr) return false;
  const std::vector<std::string> ids =
      f.strings(list, "groupId", fmt::format("requestParameters.{}", list_key));
  const std::string resource = resource_of(f, event.request, resource_keys);
  GroupUses uses;
  for (const std::string& id : ids) {
    Group group;
    group.id = id;
    uses.add(std::move(group), resource);
  }
  if (uses.empty()) {
    if (kind == ChangeKind::kGroupsAttached) return false;
    Change change = base;
    change.kind = kind;
    if (!resource.empty()) change.resources.push_back(resource);
    out.push_back(std::move(change));
    return true;
  }
  emit_group_changes(base, kind, uses.uses(), uses.set(), out);
  return true;
}

bool read_db_groups(const Event& event, const Change& base, bool create, std::vector<Change>& out) {
  Fields& f = *event.fields;
  const std::string resource = resource_of(f, event.request, {"dBInstanceIdentifier", "dBClusterIdentifier"});
  const std::string vpc = f.text(Fields::member(Fields::member(event.response, "dBSubnetGroup"), "vpcId"),
                                 "responseElements.dBSubnetGroup.vpcId");
  GroupUses uses;
  const Json* requested = Fields::member(event.request, "vpcSecurityGroupIds");
  for (const std::string& id : f.strings(requested, "vpcSecurityGroupId", "requestParameters.vpcSecurityGroupIds")) {
    Group group;
    group.id = id;
    group.vpc_id = vpc;
    uses.add(std::move(group), resource);
  }
  if (!create && requested == nullptr) return false;  // a ModifyDBInstance of something else
  if (uses.empty() && create) {
    // Without vpcSecurityGroupIds RDS uses the VPC's default group; the response names it.
    for (const Json* item : f.items(Fields::member(event.response, "vpcSecurityGroups"),
                                    "responseElements.vpcSecurityGroups")) {
      Group group;
      group.id = f.text(Fields::member(item, "vpcSecurityGroupId"), "responseElements.vpcSecurityGroups[].vpcSecurityGroupId");
      group.vpc_id = vpc;
      uses.add(std::move(group), resource);
    }
  }
  if (uses.empty()) return false;
  emit_group_changes(base, create ? ChangeKind::kGroupsAttached : ChangeKind::kGroupsReplaced, uses.uses(),
                     uses.set(), out);
  return true;
}

bool read_any_group_ids(const Event& event, const Change& base, ChangeKind kind,
                        std::vector<std::string_view> resource_keys, std::vector<Change>& out) {
  Fields& f = *event.fields;
  if (event.request == nullptr) return false;
  const std::string resource = resource_of(f, event.request, resource_keys);
  GroupUses added;
  GroupUses removed;
  // An explicit stack: the request's nesting is the input's, never our recursion depth.
  std::vector<std::pair<const Json*, bool>> stack;
  stack.emplace_back(event.request, false);
  while (!stack.empty()) {
    const auto [value, removing] = stack.back();
    stack.pop_back();
    if (value->is_string()) {
      const std::string& text = value->get_ref<const std::string&>();
      if (text.size() > 3 && text.rfind("sg-", 0) == 0) {
        Group group;
        group.id = text;
        (removing ? removed : added).add(std::move(group), resource);
      }
    } else if (value->is_object()) {
      // Pushed in reverse, so that groups come out in key and element order.
      std::vector<std::pair<const Json*, bool>> children;
      children.reserve(value->size());
      for (auto it = value->begin(); it != value->end(); ++it) {
        children.emplace_back(&it.value(), removing || lower_starts_with(it.key(), "remove"));
      }
      stack.insert(stack.end(), children.rbegin(), children.rend());
    } else if (value->is_array()) {
      for (auto it = value->rbegin(); it != value->rend(); ++it) stack.emplace_back(&*it, removing);
    }
  }
  if (added.empty() && removed.empty()) return false;
  emit_group_changes(base, kind, added.uses(), added.set(), out);
  emit_group_changes(base, ChangeKind::kGroupsDetached, removed.uses(), removed.set(), out);
  return true;
}

}  // namespace sgwatch::sg::detail
