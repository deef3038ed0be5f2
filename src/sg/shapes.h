// The normalizer's readers per API family, shared by normalize.cpp (dispatch and the fields
// every change has), rule_shapes.cpp (rules: Authorize/Revoke, ModifySecurityGroupRules,
// description updates, legacy service groups; group create/delete, VPC association, tags) and
// group_sets.cpp (which groups apply to a resource). Internal to the sg module.
#pragma once

#include <string_view>
#include <vector>

#include "sg/change.h"
#include "sg/fields.h"

namespace sgwatch::sg::detail {

// One record being normalized: its request and response (either may be nullptr) and the
// problems met so far.
struct Event {
  const Json* record = nullptr;
  const Json* request = nullptr;
  const Json* response = nullptr;
  Fields* fields = nullptr;
};

// Authorize*/Revoke* (rules added or removed in `direction`).
void read_rule_call(const Event& event, const Change& base, Direction direction, RuleAction action,
                    std::vector<Change>& out);
void read_modify_rules(const Event& event, const Change& base, std::vector<Change>& out);
void read_description_update(const Event& event, const Change& base, Direction direction,
                             std::vector<Change>& out);
// AuthorizeDBSecurityGroupIngress and its ElastiCache / Redshift twins.
void read_legacy_rule_call(const Event& event, const Change& base, RuleAction action,
                           std::vector<Change>& out);
void read_create_group(const Event& event, const Change& base, std::vector<Change>& out);
void read_delete_group(const Event& event, const Change& base, std::vector<Change>& out);
void read_vpc_association(const Event& event, const Change& base, bool associate,
                          std::vector<Change>& out);
// CreateTags/DeleteTags: false when no sg- resource is tagged.
bool read_tags(const Event& event, const Change& base, bool add, std::vector<Change>& out);

// Group sets. Each returns false when the call names no security group (then it is not a
// security-group event).
bool read_instance_launch(const Event& event, const Change& base, std::vector<Change>& out);
bool read_network_interface_create(const Event& event, const Change& base, std::vector<Change>& out);
bool read_group_set_modify(const Event& event, const Change& base, std::string_view resource_key,
                           std::vector<Change>& out);
// A list of group ids under `list_key` for the resource named by `resource_key` (EFS, RDS, ELB).
bool read_id_list(const Event& event, const Change& base, ChangeKind kind, std::string_view list_key,
                  std::vector<std::string_view> resource_keys, std::vector<Change>& out);
bool read_db_groups(const Event& event, const Change& base, bool create, std::vector<Change>& out);
// Every "sg-..." string in the request (launch templates, VPC endpoints, Client VPN, Lambda,
// ElastiCache, Redshift, EKS): under a member named remove... it is detached, else `kind`.
bool read_any_group_ids(const Event& event, const Change& base, ChangeKind kind,
                        std::vector<std::string_view> resource_keys, std::vector<Change>& out);

// One Change per group: `base` with the group, the resources it now applies to and the set.
struct GroupUse {
  Group group;
  std::vector<std::string> resources;
};
void emit_group_changes(const Change& base, ChangeKind kind, const std::vector<GroupUse>& uses,
                        const std::vector<std::string>& group_set, std::vector<Change>& out);

}  // namespace sgwatch::sg::detail
