// Implementation of state.h: rule identity, apply() per change kind, exposure of a live group,
// and the JSON forms of states, rules and diffs.
#include "sg/state.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/time.h"
#include "sg/ports.h"
#include "sg/render.h"

namespace sgwatch::sg {
namespace {

using OJson = nlohmann::ordered_json;
using Json = nlohmann::json;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The ports part of a rule's identity: (from, to) after EC2's normalisation.
std::pair<long long, long long> port_key(const Protocol& protocol, const Rule& rule) {
  switch (protocol.kind) {
    case ProtocolKind::kAll:
    case ProtocolKind::kOther: return {-1, -1};
    case ProtocolKind::kTcp:
    case ProtocolKind::kUdp:
      if (const auto range = opened_ports(protocol, rule.from_port, rule.to_port)) return {range->from, range->to};
      return {rule.from_port.value_or(-2), rule.to_port.value_or(-2)};
    case ProtocolKind::kIcmp:
    case ProtocolKind::kIcmpv6:
    case ProtocolKind::kInvalid: return {rule.from_port.value_or(-1), rule.to_port.value_or(-1)};
  }
  return {-1, -1};
}

bool same_peer(const Peer& a, const Peer& b) {
  if (a.kind != b.kind) return false;
  if (a.kind == Peer::Kind::kGroup && (a.value.empty() || b.value.empty())) {
    return a.value == b.value && lower(a.group_name) == lower(b.group_name);
  }
  return lower(a.value) == lower(b.value);
}

std::vector<Rule>& rules_of(GroupState& state, Direction direction) {
  return direction == Direction::kEgress ? state.egress : state.ingress;
}

// Where a rule named by id is: (list, index), searching the given direction or both.
struct Found {
  std::vector<Rule>* list = nullptr;
  std::size_t index = 0;
};

Found find_by_id(GroupState& state, const std::string& rule_id, Direction direction) {
  if (rule_id.empty()) return {};
  for (std::vector<Rule>* list : {&state.ingress, &state.egress}) {
    if (direction == Direction::kIngress && list != &state.ingress) continue;
    if (direction == Direction::kEgress && list != &state.egress) continue;
    for (std::size_t i = 0; i < list->size(); ++i) {
      if ((*list)[i].rule_id == rule_id) return {list, i};
    }
  }
  return {};
}

Found find_same(GroupState& state, const Rule& rule) {
  for (std::vector<Rule>* list : {&state.ingress, &state.egress}) {
    if (rule.direction == Direction::kIngress && list != &state.ingress) continue;
    if (rule.direction == Direction::kEgress && list != &state.egress) continue;
    for (std::size_t i = 0; i < list->size(); ++i) {
      Rule candidate = (*list)[i];
      candidate.direction = rule.direction;  // kUnknown matches either list
      if (same_rule(candidate, rule)) return {list, i};
    }
  }
  return {};
}

// A rule named by id only (revoke by id, a description by id): its content is unknown.
bool id_only(const Rule& rule) { return rule.protocol.empty() && !rule.rule_id.empty(); }

std::string rule_name(const Rule& rule) {
  std::string text = fmt::format("{} {}", direction_name(rule.direction), rule_traffic_text(rule));
  if (rule.peer.kind != Peer::Kind::kNone) text += " " + peer_text(rule.peer);
  if (!rule.rule_id.empty() && !rule.protocol.empty()) text += " (" + rule.rule_id + ")";
  return text;
}

void add_rule(GroupState& state, Rule rule, ApplyResult& result) {
  if (rule.direction == Direction::kUnknown) rule.direction = Direction::kIngress;
  const Found found = find_same(state, rule);
  if (found.list != nullptr) {
    Rule& existing = (*found.list)[found.index];
    if (existing.rule_id.empty() && !rule.rule_id.empty()) existing.rule_id = rule.rule_id;  // learnt, not a change
    return;
  }
  std::vector<Rule>& list = rules_of(state, rule.direction);
  list.reserve(list.size() + 1);
  result.diff.added.reserve(result.diff.added.size() + 1);
  result.diff.added.push_back(rule);
  list.push_back(std::move(rule));
}

void remove_rule(GroupState& state, const Rule& rule, ApplyResult& result) {
  Found found = find_by_id(state, rule.rule_id, rule.direction);
  if (found.list == nullptr && !id_only(rule)) found = find_same(state, rule);
  if (found.list == nullptr) {
    result.notes.push_back(fmt::format("revoked rule {} is not in the state", id_only(rule) ? rule.rule_id : rule_name(rule)));
    return;
  }
  result.diff.removed.reserve(result.diff.removed.size() + 1);
  result.diff.removed.push_back((*found.list)[found.index]);
  found.list->erase(found.list->begin() + static_cast<std::ptrdiff_t>(found.index));
}

void modify_rule(GroupState& state, const Rule& rule, ApplyResult& result) {
  const Found found = find_by_id(state, rule.rule_id, rule.direction);
  if (found.list == nullptr) {
    if (rule.rule_id.empty()) {
      result.notes.push_back("a modified rule without a rule id cannot be placed");
      return;
    }
    Rule added = rule;
    if (added.direction == Direction::kUnknown) {
      added.direction = Direction::kIngress;
      result.notes.push_back(fmt::format(
          "modified rule {} is not in the state; recorded as ingress (ModifySecurityGroupRules does not say)", rule.rule_id));
    } else {
      result.notes.push_back(fmt::format("modified rule {} is not in the state; recorded as added", rule.rule_id));
    }
    add_rule(state, std::move(added), result);
    return;
  }
  Rule& existing = (*found.list)[found.index];
  Rule after = rule;
  after.direction = existing.direction;
  if (!after.description && existing.description) after.description = existing.description;
  after.implicit = false;
  if (same_rule(existing, after) && existing.description == after.description && existing.rule_id == after.rule_id) return;
  result.diff.changed.reserve(result.diff.changed.size() + 1);
  result.diff.changed.emplace_back(existing, after);
  existing = std::move(after);
}

void describe_rule(GroupState& state, const Rule& rule, ApplyResult& result) {
  Found found = find_by_id(state, rule.rule_id, rule.direction);
  if (found.list == nullptr && !id_only(rule)) found = find_same(state, rule);
  if (found.list == nullptr) {
    result.notes.push_back(fmt::format("rule {} whose description was updated is not in the state",
                                       id_only(rule) ? rule.rule_id : rule_name(rule)));
    return;
  }
  Rule& existing = (*found.list)[found.index];
  // An empty or absent description removes it, as EC2 does.
  const std::string description = rule.description.value_or(std::string());
  const std::string current = existing.description.value_or(std::string());
  if (current == description) return;
  Rule after = existing;
  if (description.empty()) {
    after.description.reset();
  } else {
    after.description = description;
  }
  result.diff.changed.reserve(result.diff.changed.size() + 1);
  result.diff.changed.emplace_back(existing, after);
  existing = std::move(after);
}

void set_tag(GroupState& state, const Tag& tag, ApplyResult& result) {
  const std::string value = tag.value.value_or(std::string());
  for (Tag& existing : state.tags) {
    if (existing.key != tag.key) continue;
    if (existing.value.value_or(std::string()) != value) {
      existing.value = value;
      result.tags_changed = true;
    }
    return;
  }
  state.tags.reserve(state.tags.size() + 1);
  state.tags.push_back(Tag{tag.key, value});
  result.tags_changed = true;
}

void remove_tag(GroupState& state, const Tag& tag, ApplyResult& result) {
  // EC2's DeleteTags: with a value, only a tag holding that value goes.
  const auto it = std::find_if(state.tags.begin(), state.tags.end(), [&](const Tag& t) {
    return t.key == tag.key && (!tag.value || t.value.value_or(std::string()) == *tag.value);
  });
  if (it == state.tags.end()) return;
  state.tags.erase(it);
  result.tags_changed = true;
}

void fill_identity(GroupState& state, const Group& group) {
  if (!group.name.empty()) state.name = group.name;
  if (!group.vpc_id.empty()) state.vpc_id = group.vpc_id;
  if (!group.owner_id.empty()) state.owner_id = group.owner_id;
  if (!group.description.empty()) state.description = group.description;
}

}  // namespace

bool same_rule(const Rule& a, const Rule& b) {
  if (a.direction != b.direction) return false;
  if (a.legacy_service_port != b.legacy_service_port) return false;
  const Protocol pa = normalize_protocol(a.protocol);
  const Protocol pb = normalize_protocol(b.protocol);
  if (pa.kind != pb.kind) return false;
  if (pa.kind == ProtocolKind::kInvalid) {
    if (lower(a.protocol) != lower(b.protocol)) return false;
  } else if (pa.number != pb.number) {
    return false;
  }
  if (port_key(pa, a) != port_key(pb, b)) return false;
  return same_peer(a.peer, b.peer);
}

bool changes_group_state(const Change& change, std::string* why_not) {
  auto no = [&](std::string why) {
    if (why_not != nullptr) *why_not = std::move(why);
    return false;
  };
  if (change.unknown_shape) return no("the event's shape is not understood: " + change.unknown_reason);
  if (change.dry_run) return no("a dry run changes nothing");
  if (!change.error_code.empty()) return no(fmt::format("the call failed ({}): nothing changed", change.error_code));
  if (change.group.id.empty()) return no("the event names no group id");
  if (change.group.id.rfind("sg-", 0) != 0) return no(fmt::format("{} is not an EC2 security group id", change.group.id));
  switch (change.kind) {
    case ChangeKind::kRulesAdded:
    case ChangeKind::kRulesRemoved:
    case ChangeKind::kRulesModified:
    case ChangeKind::kDescriptionsUpdated:
    case ChangeKind::kGroupCreated:
    case ChangeKind::kGroupDeleted:
    case ChangeKind::kTagsAdded:
    case ChangeKind::kTagsRemoved: return true;
    case ChangeKind::kVpcAssociated:
    case ChangeKind::kVpcDisassociated:
      return no("a VPC association does not change the group's rules");
    case ChangeKind::kGroupsAttached:
    case ChangeKind::kGroupsReplaced:
    case ChangeKind::kGroupsDetached:
      return no("a change of the groups a resource uses does not change the group's rules");
    case ChangeKind::kUnknown: return no("the event's shape is not understood");
  }
  return no("unknown change kind");
}

GroupState unknown_group(const Change& change) {
  GroupState state;
  state.id = change.group.id;
  fill_identity(state, change.group);
  state.unknown_baseline = true;
  return state;
}

ApplyResult apply(const GroupState& before, const Change& change) {
  ApplyResult result;
  result.state = before;
  std::string why;
  if (!changes_group_state(change, &why)) {
    result.notes.push_back(std::move(why));
    return result;
  }
  GroupState& state = result.state;
  if (state.deleted && change.kind != ChangeKind::kGroupCreated) {
    result.notes.push_back("the group was deleted: nothing changed");
    return result;
  }
  result.applied = true;
  const auto event_time = core::parse_iso8601(change.event_time);
  const auto last_time = core::parse_iso8601(state.last_event_time);
  if (event_time && last_time && *event_time < *last_time) {
    result.out_of_order = true;
    ++state.out_of_order_events;
    result.notes.push_back(fmt::format("applied out of order: the group's last event was at {}", state.last_event_time));
  } else {
    state.last_event_id = change.event_id;
    state.last_event_time = change.event_time;
  }
  if (state.id.empty()) state.id = change.group.id;
  fill_identity(state, change.group);

  switch (change.kind) {
    case ChangeKind::kGroupCreated:
      // The group's whole life is in the events from here on.
      state.unknown_baseline = false;
      state.deleted = false;
      for (const RuleChange& rc : change.rules) add_rule(state, rc.rule, result);
      for (const Tag& tag : change.tags) set_tag(state, tag, result);
      break;
    case ChangeKind::kRulesAdded:
      for (const RuleChange& rc : change.rules) add_rule(state, rc.rule, result);
      break;
    case ChangeKind::kRulesRemoved:
      for (const RuleChange& rc : change.rules) remove_rule(state, rc.rule, result);
      break;
    case ChangeKind::kRulesModified:
      for (const RuleChange& rc : change.rules) modify_rule(state, rc.rule, result);
      break;
    case ChangeKind::kDescriptionsUpdated:
      for (const RuleChange& rc : change.rules) describe_rule(state, rc.rule, result);
      break;
    case ChangeKind::kGroupDeleted:
      state.deleted = true;
      result.group_deleted = true;
      result.diff.removed.reserve(state.ingress.size() + state.egress.size());
      for (const Rule& r : state.ingress) result.diff.removed.push_back(r);
      for (const Rule& r : state.egress) result.diff.removed.push_back(r);
      state.ingress.clear();
      state.egress.clear();
      break;
    case ChangeKind::kTagsAdded:
      for (const Tag& tag : change.tags) set_tag(state, tag, result);
      break;
    case ChangeKind::kTagsRemoved:
      for (const Tag& tag : change.tags) remove_tag(state, tag, result);
      break;
    default: break;  // excluded by changes_group_state
  }
  return result;
}

std::vector<RuleChange> exposure_of(const GroupState& state, const ExposurePolicy& policy, Severity min_severity) {
  std::vector<RuleChange> out;
  if (state.deleted) return out;
  out.reserve(state.ingress.size());
  for (const Rule& rule : state.ingress) {
    RuleChange rc;
    rc.action = RuleAction::kAdded;
    rc.rule = rule;
    assess_rule(rc, policy);
    if (rc.severity >= min_severity) out.push_back(std::move(rc));
  }
  std::stable_sort(out.begin(), out.end(), [](const RuleChange& a, const RuleChange& b) { return a.severity > b.severity; });
  return out;
}

// ---- JSON ------------------------------------------------------------------------------------

namespace {

OJson text_or_null(const std::string& text) { return text.empty() ? OJson(nullptr) : OJson(text); }

OJson rules_json(const std::vector<Rule>& rules) {
  OJson out = OJson::array();
  for (const Rule& r : rules) out.push_back(rule_to_json(r));
  return out;
}

// Strict reading of a state document: every problem names its member.
class Reader {
 public:
  std::string error;

  bool ok() const { return error.empty(); }

  const Json* member(const Json& object, const char* name, const std::string& path) {
    if (!object.is_object()) {
      fail(path, "an object expected");
      return nullptr;
    }
    const auto it = object.find(name);
    if (it == object.end() || it->is_null()) return nullptr;
    return &*it;
  }

  std::string text(const Json& object, const char* name, const std::string& path) {
    const Json* value = member(object, name, path);
    if (value == nullptr) return {};
    if (!value->is_string()) {
      fail(path + "." + name, "a string or null expected");
      return {};
    }
    return value->get<std::string>();
  }

  std::optional<std::string> optional_text(const Json& object, const char* name, const std::string& path) {
    const Json* value = member(object, name, path);
    if (value == nullptr) return std::nullopt;
    if (!value->is_string()) {
      fail(path + "." + name, "a string or null expected");
      return std::nullopt;
    }
    return value->get<std::string>();
  }

  std::optional<long long> integer(const Json& object, const char* name, const std::string& path) {
    const Json* value = member(object, name, path);
    if (value == nullptr) return std::nullopt;
    if (!value->is_number_integer()) {
      fail(path + "." + name, "an integer or null expected");
      return std::nullopt;
    }
    return value->get<long long>();
  }

  bool boolean(const Json& object, const char* name, const std::string& path) {
    const Json* value = member(object, name, path);
    if (value == nullptr) return false;
    if (!value->is_boolean()) {
      fail(path + "." + name, "true or false expected");
      return false;
    }
    return value->get<bool>();
  }

  void fail(const std::string& path, std::string_view why) {
    if (error.empty()) error = fmt::format("{}: {}", path, why);
  }
};

std::optional<Direction> parse_direction(std::string_view name) {
  for (Direction d : {Direction::kIngress, Direction::kEgress, Direction::kUnknown}) {
    if (direction_name(d) == name) return d;
  }
  return std::nullopt;
}

std::optional<Peer::Kind> parse_peer_kind(std::string_view name) {
  for (Peer::Kind k : {Peer::Kind::kNone, Peer::Kind::kIpv4, Peer::Kind::kIpv6, Peer::Kind::kPrefixList, Peer::Kind::kGroup}) {
    if (peer_kind_name(k) == name) return k;
  }
  return std::nullopt;
}

Rule read_rule(Reader& r, const Json& j, const std::string& path, Direction expected) {
  Rule rule;
  if (!j.is_object()) {
    r.fail(path, "a rule object expected");
    return rule;
  }
  const std::string direction = r.text(j, "direction", path);
  const auto parsed = parse_direction(direction);
  if (!parsed || *parsed != expected) {
    r.fail(path + ".direction", fmt::format("'{}' expected", direction_name(expected)));
  }
  rule.direction = expected;
  rule.protocol = r.text(j, "protocol", path);
  rule.from_port = r.integer(j, "fromPort", path);
  rule.to_port = r.integer(j, "toPort", path);
  if (const Json* peer = r.member(j, "peer", path)) {
    const std::string peer_path = path + ".peer";
    const std::string kind = r.text(*peer, "kind", peer_path);
    const auto k = parse_peer_kind(kind);
    if (!k) r.fail(peer_path + ".kind", "one of none, ipv4, ipv6, prefix-list, group expected");
    rule.peer.kind = k.value_or(Peer::Kind::kNone);
    rule.peer.value = r.text(*peer, "value", peer_path);
    rule.peer.group_name = r.text(*peer, "groupName", peer_path);
    rule.peer.owner_id = r.text(*peer, "ownerId", peer_path);
    rule.peer.vpc_id = r.text(*peer, "vpcId", peer_path);
    rule.peer.peering_id = r.text(*peer, "peeringId", peer_path);
  }
  rule.description = r.optional_text(j, "description", path);
  rule.rule_id = r.text(j, "ruleId", path);
  rule.implicit = r.boolean(j, "implicit", path);
  rule.legacy_service_port = r.boolean(j, "legacyServicePort", path);
  return rule;
}

std::vector<Rule> read_rules(Reader& r, const Json& document, const char* name, Direction direction) {
  std::vector<Rule> out;
  const Json* list = r.member(document, name, "state");
  if (list == nullptr) return out;
  if (!list->is_array()) {
    r.fail(fmt::format("state.{}", name), "a list expected");
    return out;
  }
  out.reserve(list->size());
  for (std::size_t i = 0; i < list->size() && r.ok(); ++i) {
    out.push_back(read_rule(r, (*list)[i], fmt::format("state.{}[{}]", name, i), direction));
  }
  return out;
}

}  // namespace

OJson rule_to_json(const Rule& r) {
  OJson rule;
  rule["direction"] = direction_name(r.direction);
  rule["protocol"] = text_or_null(r.protocol);
  rule["fromPort"] = r.from_port ? OJson(*r.from_port) : OJson(nullptr);
  rule["toPort"] = r.to_port ? OJson(*r.to_port) : OJson(nullptr);
  rule["peer"] = OJson{{"kind", peer_kind_name(r.peer.kind)},
                       {"value", text_or_null(r.peer.value)},
                       {"groupName", text_or_null(r.peer.group_name)},
                       {"ownerId", text_or_null(r.peer.owner_id)},
                       {"vpcId", text_or_null(r.peer.vpc_id)},
                       {"peeringId", text_or_null(r.peer.peering_id)}};
  rule["description"] = r.description ? OJson(*r.description) : OJson(nullptr);
  rule["ruleId"] = text_or_null(r.rule_id);
  rule["implicit"] = r.implicit;
  rule["legacyServicePort"] = r.legacy_service_port;
  return rule;
}

OJson state_to_json(const GroupState& s) {
  OJson out;
  out["groupId"] = s.id;
  out["groupName"] = text_or_null(s.name);
  out["vpcId"] = text_or_null(s.vpc_id);
  out["ownerId"] = text_or_null(s.owner_id);
  out["description"] = text_or_null(s.description);
  out["deleted"] = s.deleted;
  out["unknownBaseline"] = s.unknown_baseline;
  out["ingress"] = rules_json(s.ingress);
  out["egress"] = rules_json(s.egress);
  OJson tags = OJson::array();
  for (const Tag& tag : s.tags) tags.push_back(OJson{{"key", tag.key}, {"value", tag.value ? OJson(*tag.value) : OJson(nullptr)}});
  out["tags"] = std::move(tags);
  out["lastEventId"] = text_or_null(s.last_event_id);
  out["lastEventTime"] = text_or_null(s.last_event_time);
  out["baselineTime"] = text_or_null(s.baseline_time);
  out["outOfOrderEvents"] = s.out_of_order_events;
  return out;
}

OJson diff_to_json(const RuleDiff& diff) {
  OJson out;
  out["added"] = rules_json(diff.added);
  out["removed"] = rules_json(diff.removed);
  OJson changed = OJson::array();
  for (const auto& [before, after] : diff.changed) {
    changed.push_back(OJson{{"before", rule_to_json(before)}, {"after", rule_to_json(after)}});
  }
  out["changed"] = std::move(changed);
  return out;
}

core::Result<GroupState, std::string> state_from_json(const Json& document) {
  Reader r;
  GroupState s;
  if (!document.is_object()) return core::unexpected(std::string("state: an object expected"));
  s.id = r.text(document, "groupId", "state");
  if (r.ok() && s.id.empty()) r.fail("state.groupId", "a group id expected");
  s.name = r.text(document, "groupName", "state");
  s.vpc_id = r.text(document, "vpcId", "state");
  s.owner_id = r.text(document, "ownerId", "state");
  s.description = r.text(document, "description", "state");
  s.deleted = r.boolean(document, "deleted", "state");
  s.unknown_baseline = r.boolean(document, "unknownBaseline", "state");
  s.ingress = read_rules(r, document, "ingress", Direction::kIngress);
  s.egress = read_rules(r, document, "egress", Direction::kEgress);
  if (const Json* tags = r.member(document, "tags", "state")) {
    if (!tags->is_array()) {
      r.fail("state.tags", "a list expected");
    } else {
      s.tags.reserve(tags->size());
      for (std::size_t i = 0; i < tags->size() && r.ok(); ++i) {
        const std::string path = fmt::format("state.tags[{}]", i);
        Tag tag;
        tag.key = r.text((*tags)[i], "key", path);
        tag.value = r.optional_text((*tags)[i], "value", path);
        s.tags.push_back(std::move(tag));
      }
    }
  }
  s.last_event_id = r.text(document, "lastEventId", "state");
  s.last_event_time = r.text(document, "lastEventTime", "state");
  s.baseline_time = r.text(document, "baselineTime", "state");
  s.out_of_order_events = r.integer(document, "outOfOrderEvents", "state").value_or(0);
  if (!r.ok()) return core::unexpected(r.error);
  return s;
}

}  // namespace sgwatch::sg
