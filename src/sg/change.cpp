// Names of the Change model's enumerations (see change.h).
#include "sg/change.h"

namespace sgwatch::sg {

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::kInfo: return "info";
    case Severity::kLow: return "low";
    case Severity::kMedium: return "medium";
    case Severity::kHigh: return "high";
    case Severity::kCritical: return "critical";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view name) {
  std::string lower(name);
  for (char& c : lower) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const Severity s : {Severity::kInfo, Severity::kLow, Severity::kMedium, Severity::kHigh,
                           Severity::kCritical}) {
    if (severity_name(s) == lower) return s;
  }
  return std::nullopt;
}

std::string_view direction_name(Direction direction) {
  switch (direction) {
    case Direction::kIngress: return "ingress";
    case Direction::kEgress: return "egress";
    case Direction::kUnknown: return "unknown";
  }
  return "unknown";
}

std::string_view peer_kind_name(Peer::Kind kind) {
  switch (kind) {
    case Peer::Kind::kNone: return "none";
    case Peer::Kind::kIpv4: return "ipv4";
    case Peer::Kind::kIpv6: return "ipv6";
    case Peer::Kind::kPrefixList: return "prefix-list";
    case Peer::Kind::kGroup: return "group";
  }
  return "none";
}

std::string_view rule_action_name(RuleAction action) {
  switch (action) {
    case RuleAction::kAdded: return "added";
    case RuleAction::kRemoved: return "removed";
    case RuleAction::kModified: return "modified";
  }
  return "added";
}

std::string_view change_kind_name(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kRulesAdded: return "rules-added";
    case ChangeKind::kRulesRemoved: return "rules-removed";
    case ChangeKind::kRulesModified: return "rules-modified";
    case ChangeKind::kDescriptionsUpdated: return "descriptions-updated";
    case ChangeKind::kGroupCreated: return "group-created";
    case ChangeKind::kGroupDeleted: return "group-deleted";
    case ChangeKind::kVpcAssociated: return "vpc-associated";
    case ChangeKind::kVpcDisassociated: return "vpc-disassociated";
    case ChangeKind::kGroupsAttached: return "groups-attached";
    case ChangeKind::kGroupsReplaced: return "groups-replaced";
    case ChangeKind::kGroupsDetached: return "groups-detached";
    case ChangeKind::kTagsAdded: return "tags-added";
    case ChangeKind::kTagsRemoved: return "tags-removed";
    case ChangeKind::kUnknown: return "unknown";
  }
  return "unknown";
}

}  // namespace sgwatch::sg
