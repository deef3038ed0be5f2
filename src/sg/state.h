// Live group state: what a security group looks like now — its identity, ingress and egress rules,
// tags, whether it was deleted — built from a baseline (`aws ec2 describe-security-groups`, see
// baseline.h) and moved forward by normalized Changes. apply() is pure: the state before and one
// Change in, the state after and the rule diff (added, removed, changed) out. What each API does
// to a group, and the choices where EC2's behaviour cannot be seen in the event, are in docs/sg.md
// ("Live group state"). JSON forms round-trip (the state store keeps one document per group).
// Neighbours: change.h (Rule, Change), exposure.h (what a state exposes now), src/store
// (persistence), src/cli/state.cpp (the `sgwatch state` commands).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/result.h"
#include "sg/change.h"
#include "sg/exposure.h"

namespace sgwatch::sg {

struct GroupState {
  std::string id;  // sg-...
  std::string name;
  std::string vpc_id;
  std::string owner_id;
  std::string description;
  std::vector<Rule> ingress;  // direction kIngress
  std::vector<Rule> egress;   // direction kEgress
  std::vector<Tag> tags;
  bool deleted = false;
  // Built from events alone (the group was not in the imported baseline): it holds only what the
  // events said, so rules the events never named may exist in AWS.
  bool unknown_baseline = false;
  std::string last_event_id;
  std::string last_event_time;  // as given (ISO-8601)
  std::string baseline_time;    // when the baseline was imported (ISO-8601), "" when none
  // Events applied whose eventTime was older than last_event_time when they arrived.
  long long out_of_order_events = 0;
};

// Two rules are the same rule when they let the same traffic through from/to the same peer: same
// direction, protocol ("tcp" = "6", "-1" = "all"), ports (all traffic: ports ignored; tcp/udp
// without ports or -1/-1: every port) and peer (CIDRs compared without case). Descriptions and
// rule ids are not part of a rule's identity (EC2 treats such an Authorize as a duplicate).
bool same_rule(const Rule& a, const Rule& b);

struct RuleDiff {
  std::vector<Rule> added;
  std::vector<Rule> removed;
  std::vector<std::pair<Rule, Rule>> changed;  // before, after
  bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
};

struct ApplyResult {
  GroupState state;  // after the change (equal to the state before when nothing was applied)
  RuleDiff diff;
  // False when the change cannot change a group's state: a failed call, a dry run, a shape not
  // understood, a change without a group id, a group-set or VPC-association change.
  bool applied = false;
  bool out_of_order = false;  // applied although older than the group's last applied event
  bool created_state = false; // the group had no state: a partial one (unknown baseline) was begun
  bool tags_changed = false;
  bool group_deleted = false;
  // Why nothing was applied, or what did not match ("revoked rule sgr-1 is not in the state").
  std::vector<std::string> notes;
};

// The state of a group the store does not know yet, for `change`: empty, unknown_baseline.
GroupState unknown_group(const Change& change);

// Applies one Change (for the group `before` describes; before.id == change.group.id).
ApplyResult apply(const GroupState& before, const Change& change);

// True when apply() would change something for this change (see ApplyResult::applied): worth
// loading or creating the group's state.
bool changes_group_state(const Change& change, std::string* why_not = nullptr);

// The ingress rules of a live (not deleted) group rated by exposure.assess_rule as if added now,
// at or above `min_severity`, the worst first (then in rule order).
std::vector<RuleChange> exposure_of(const GroupState& state, const ExposurePolicy& policy, Severity min_severity);

// JSON forms. A rule: direction, protocol, fromPort, toPort, peer {kind, value, groupName,
// ownerId, vpcId, peeringId}, description, ruleId, implicit, legacyServicePort.
nlohmann::ordered_json rule_to_json(const Rule& rule);
nlohmann::ordered_json state_to_json(const GroupState& state);
nlohmann::ordered_json diff_to_json(const RuleDiff& diff);

// A stored or hand-written state document back into a GroupState; the error names the member and
// the problem ("ingress[2].fromPort: a number or null expected").
core::Result<GroupState, std::string> state_from_json(const nlohmann::json& document);

}  // namespace sgwatch::sg
