// Implementation of baseline.h: describe-security-groups and describe-security-group-rules output
// into GroupStates and rules, every shape problem an error with its path.
#include "sg/baseline.h"

#include <fmt/format.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "core/text.h"
#include "sg/fields.h"

namespace sgwatch::sg {
namespace {

using Json = nlohmann::json;

// Thrown inside this file only, caught by parse_baseline: the first problem ends the parse.
struct Problem {
  BaselineError error;
};

[[noreturn]] void fail(std::string where, std::string why) { throw Problem{{std::move(where), std::move(why)}}; }

std::string type_of(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::string: return fmt::format("the string \"{}\"", core::printable(value.get<std::string>(), 40));
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return fmt::format("the number {}", value.dump());
    case Json::value_t::array: return "a list";
    case Json::value_t::object: return "an object";
    default: return "a value of another type";
  }
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

// The member by its PascalCase name, or one equal but for case; nullptr when absent or null.
const Json* member(const Json& object, std::string_view name) {
  const auto it = object.find(std::string(name));
  if (it != object.end()) return it->is_null() ? nullptr : &*it;
  for (auto i = object.begin(); i != object.end(); ++i) {
    if (equal_ignoring_case(i.key(), name)) return i->is_null() ? nullptr : &*i;
  }
  return nullptr;
}

std::string text(const Json& object, std::string_view name, const std::string& path, bool required = false) {
  const Json* value = member(object, name);
  if (value == nullptr) {
    if (required) fail(fmt::format("{}.{}", path, name), "missing");
    return {};
  }
  if (!value->is_string()) fail(fmt::format("{}.{}", path, name), fmt::format("a string expected, not {}", type_of(*value)));
  return value->get<std::string>();
}

std::optional<std::string> optional_text(const Json& object, std::string_view name, const std::string& path) {
  if (member(object, name) == nullptr) return std::nullopt;
  return text(object, name, path);
}

std::optional<long long> integer(const Json& object, std::string_view name, const std::string& path) {
  const Json* value = member(object, name);
  if (value == nullptr) return std::nullopt;
  if (value->is_number_integer()) return value->get<long long>();
  fail(fmt::format("{}.{}", path, name), fmt::format("an integer expected, not {}", type_of(*value)));
}

bool boolean(const Json& object, std::string_view name, const std::string& path) {
  const Json* value = member(object, name);
  if (value == nullptr) fail(fmt::format("{}.{}", path, name), "missing");
  if (!value->is_boolean()) fail(fmt::format("{}.{}", path, name), fmt::format("true or false expected, not {}", type_of(*value)));
  return value->get<bool>();
}

// A list member: absent is empty; anything else but a list is an error.
const Json& list(const Json& object, std::string_view name, const std::string& path) {
  static const Json kEmpty = Json::array();
  const Json* value = member(object, name);
  if (value == nullptr) return kEmpty;
  if (!value->is_array()) fail(fmt::format("{}.{}", path, name), fmt::format("a list expected, not {}", type_of(*value)));
  return *value;
}

const Json& object_at(const Json& list, std::size_t i, const std::string& path) {
  const Json& value = list[i];
  if (!value.is_object()) fail(path, fmt::format("an object expected, not {}", type_of(value)));
  return value;
}

// One IpPermission: one rule per peer (EC2 stores them so; describe-security-group-rules agrees).
void read_permission(const Json& p, const std::string& path, Direction direction, std::vector<Rule>& out) {
  Rule base;
  base.direction = direction;
  base.protocol = text(p, "IpProtocol", path, true);
  base.from_port = integer(p, "FromPort", path);
  base.to_port = integer(p, "ToPort", path);
  auto add = [&](Peer peer, std::optional<std::string> description) {
    Rule rule = base;
    rule.peer = std::move(peer);
    rule.description = std::move(description);
    out.reserve(out.size() + 1);
    out.push_back(std::move(rule));
  };
  const Json& ipv4 = list(p, "IpRanges", path);
  for (std::size_t i = 0; i < ipv4.size(); ++i) {
    const std::string at = fmt::format("{}.IpRanges[{}]", path, i);
    const Json& range = object_at(ipv4, i, at);
    add(Peer{Peer::Kind::kIpv4, text(range, "CidrIp", at, true), {}, {}, {}, {}}, optional_text(range, "Description", at));
  }
  const Json& ipv6 = list(p, "Ipv6Ranges", path);
  for (std::size_t i = 0; i < ipv6.size(); ++i) {
    const std::string at = fmt::format("{}.Ipv6Ranges[{}]", path, i);
    const Json& range = object_at(ipv6, i, at);
    add(Peer{Peer::Kind::kIpv6, text(range, "CidrIpv6", at, true), {}, {}, {}, {}}, optional_text(range, "Description", at));
  }
  const Json& prefixes = list(p, "PrefixListIds", path);
  for (std::size_t i = 0; i < prefixes.size(); ++i) {
    const std::string at = fmt::format("{}.PrefixListIds[{}]", path, i);
    const Json& prefix = object_at(prefixes, i, at);
    add(Peer{Peer::Kind::kPrefixList, text(prefix, "PrefixListId", at, true), {}, {}, {}, {}},
        optional_text(prefix, "Description", at));
  }
  const Json& pairs = list(p, "UserIdGroupPairs", path);
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    const std::string at = fmt::format("{}.UserIdGroupPairs[{}]", path, i);
    const Json& pair = object_at(pairs, i, at);
    Peer peer;
    peer.kind = Peer::Kind::kGroup;
    peer.value = text(pair, "GroupId", at);
    peer.group_name = text(pair, "GroupName", at);
    peer.owner_id = text(pair, "UserId", at);
    peer.vpc_id = text(pair, "VpcId", at);
    peer.peering_id = text(pair, "VpcPeeringConnectionId", at);
    if (peer.value.empty() && peer.group_name.empty()) fail(at, "neither GroupId nor GroupName");
    add(std::move(peer), optional_text(pair, "Description", at));
  }
}

GroupState read_group(const Json& g, const std::string& path, const BaselineOptions& options) {
  GroupState state;
  state.id = text(g, "GroupId", path, true);
  if (state.id.rfind("sg-", 0) != 0) fail(path + ".GroupId", fmt::format("\"{}\" is not a security group id (sg-...)", core::printable(state.id, 40)));
  state.name = text(g, "GroupName", path);
  state.description = text(g, "Description", path);
  state.vpc_id = text(g, "VpcId", path);
  state.owner_id = text(g, "OwnerId", path);
  state.baseline_time = options.imported_at;
  for (const auto& [name, direction] : {std::pair<const char*, Direction>{"IpPermissions", Direction::kIngress},
                                        std::pair<const char*, Direction>{"IpPermissionsEgress", Direction::kEgress}}) {
    const Json& permissions = list(g, name, path);
    for (std::size_t i = 0; i < permissions.size(); ++i) {
      const std::string at = fmt::format("{}.{}[{}]", path, name, i);
      read_permission(object_at(permissions, i, at), at,
                      direction, direction == Direction::kEgress ? state.egress : state.ingress);
    }
  }
  const Json& tags = list(g, "Tags", path);
  state.tags.reserve(tags.size());
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::string at = fmt::format("{}.Tags[{}]", path, i);
    const Json& tag = object_at(tags, i, at);
    Tag t;
    t.key = text(tag, "Key", at, true);
    t.value = optional_text(tag, "Value", at);
    state.tags.push_back(std::move(t));
  }
  return state;
}

std::pair<std::string, Rule> read_group_rule(const Json& r, const std::string& path) {
  const std::string group = text(r, "GroupId", path, true);
  Rule rule;
  rule.direction = boolean(r, "IsEgress", path) ? Direction::kEgress : Direction::kIngress;
  rule.rule_id = text(r, "SecurityGroupRuleId", path, true);
  rule.protocol = text(r, "IpProtocol", path, true);
  rule.from_port = integer(r, "FromPort", path);
  rule.to_port = integer(r, "ToPort", path);
  rule.description = optional_text(r, "Description", path);
  if (const std::string v4 = text(r, "CidrIpv4", path); !v4.empty()) {
    rule.peer = Peer{Peer::Kind::kIpv4, v4, {}, {}, {}, {}};
  } else if (const std::string v6 = text(r, "CidrIpv6", path); !v6.empty()) {
    rule.peer = Peer{Peer::Kind::kIpv6, v6, {}, {}, {}, {}};
  } else if (const std::string pl = text(r, "PrefixListId", path); !pl.empty()) {
    rule.peer = Peer{Peer::Kind::kPrefixList, pl, {}, {}, {}, {}};
  } else if (const Json* info = member(r, "ReferencedGroupInfo")) {
    const std::string at = path + ".ReferencedGroupInfo";
    if (!info->is_object()) fail(at, fmt::format("an object expected, not {}", type_of(*info)));
    rule.peer.kind = Peer::Kind::kGroup;
    rule.peer.value = text(*info, "GroupId", at, true);
    rule.peer.owner_id = text(*info, "UserId", at);
    rule.peer.vpc_id = text(*info, "VpcId", at);
    rule.peer.peering_id = text(*info, "VpcPeeringConnectionId", at);
  } else {
    fail(path, "no peer (CidrIpv4, CidrIpv6, PrefixListId or ReferencedGroupInfo)");
  }
  return {group, std::move(rule)};
}

}  // namespace

core::Result<Baseline, BaselineError> parse_baseline(std::string_view text_in, const BaselineOptions& options) {
  if (detail::nests_deeper_than(text_in, options.max_depth)) {
    return core::unexpected(BaselineError{"document", fmt::format("nests deeper than {} levels", options.max_depth)});
  }
  Json document;
  try {
    document = Json::parse(text_in);
  } catch (const Json::parse_error& e) {
    return core::unexpected(BaselineError{fmt::format("byte {}", e.byte), "not valid JSON"});
  } catch (const Json::exception&) {
    // out_of_range.406: a number beyond a double ("1e999"), which the parser throws apart from
    // syntax errors and without a position.
    return core::unexpected(BaselineError{"document", "not valid JSON: a number too large for a double"});
  }
  if (!document.is_object()) {
    return core::unexpected(BaselineError{"document", fmt::format("an object with SecurityGroups expected, not {}", type_of(document))});
  }
  Baseline out;
  try {
    const Json* groups = member(document, "SecurityGroups");
    const Json* rules = member(document, "SecurityGroupRules");
    if (groups == nullptr && rules == nullptr) {
      fail("document", "no SecurityGroups (aws ec2 describe-security-groups) or SecurityGroupRules "
                       "(aws ec2 describe-security-group-rules)");
    }
    if (groups != nullptr) {
      const Json& g = list(document, "SecurityGroups", "document");
      out.groups.reserve(g.size());
      for (std::size_t i = 0; i < g.size(); ++i) {
        const std::string at = fmt::format("SecurityGroups[{}]", i);
        out.groups.push_back(read_group(object_at(g, i, at), at, options));
      }
    }
    if (rules != nullptr) {
      const Json& r = list(document, "SecurityGroupRules", "document");
      out.rules.reserve(r.size());
      for (std::size_t i = 0; i < r.size(); ++i) {
        const std::string at = fmt::format("SecurityGroupRules[{}]", i);
        out.rules.push_back(read_group_rule(object_at(r, i, at), at));
      }
    }
  } catch (const Problem& problem) {
    return core::unexpected(problem.error);
  }
  return out;
}

void merge_rule(GroupState& state, const Rule& rule) {
  std::vector<Rule>& list = rule.direction == Direction::kEgress ? state.egress : state.ingress;
  for (Rule& existing : list) {
    if (existing.rule_id == rule.rule_id || (existing.rule_id.empty() && same_rule(existing, rule))) {
      existing = rule;
      return;
    }
  }
  list.reserve(list.size() + 1);
  list.push_back(rule);
}

}  // namespace sgwatch::sg
