// Baselines for the live group state: the JSON the AWS CLI prints for
// `aws ec2 describe-security-groups` ({"SecurityGroups": [...]}: one GroupState per group, one Rule
// per peer of each IpPermission) and for `aws ec2 describe-security-group-rules`
// ({"SecurityGroupRules": [...]}: rules with their sgr- ids, which describe-security-groups does
// not give). A document may hold both keys. Members are read by their PascalCase names (or the
// lowerCamelCase of EC2's wire format); anything of the wrong shape is an error naming the member
// and the problem. Pure: text in, values out.
// Neighbours: state.h (GroupState, merge of rules), src/cli/state.cpp (`sgwatch state import`).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "sg/state.h"

namespace sgwatch::sg {

struct BaselineError {
  std::string where;  // "SecurityGroups[2].IpPermissions[0].FromPort", or "byte 120" for JSON syntax
  std::string why;    // "an integer expected, not the string \"x\""
};

struct Baseline {
  std::vector<GroupState> groups;                    // from SecurityGroups
  std::vector<std::pair<std::string, Rule>> rules;   // from SecurityGroupRules: (group id, rule)
};

struct BaselineOptions {
  std::string imported_at;     // ISO-8601, stored as each group's baseline_time
  std::size_t max_depth = 64;  // deeper documents are refused before parsing
};

core::Result<Baseline, BaselineError> parse_baseline(std::string_view text, const BaselineOptions& options = {});

// Puts a rule known with its id (describe-security-group-rules) into a state: the same rule
// already there gets the id and the description; otherwise it is added.
void merge_rule(GroupState& state, const Rule& rule);

}  // namespace sgwatch::sg
