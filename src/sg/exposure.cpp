// Exposure rules and severities (see exposure.h and the table in docs/sg.md).
#include "sg/exposure.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"
#include "sg/ports.h"

namespace sgwatch::sg {
namespace {

bool is_hex(char c) {
  return core::is_ascii_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

std::optional<int> parse_small(std::string_view digits, int max) {
  if (digits.empty() || digits.size() > 3) return std::nullopt;
  int value = 0;
  for (const char c : digits) {
    if (!core::is_ascii_digit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > max) return std::nullopt;
  return value;
}

bool valid_ipv4(std::string_view address) {
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = address.find('.', start);
    const std::string_view part =
        address.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (!parse_small(part, 255)) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

bool valid_ipv6(std::string_view address) {
  if (address.size() < 2 || address.size() > 45) return false;
  int groups = 0;
  int run = 0;
  for (const char c : address) {
    if (c == ':') {
      run = 0;
      ++groups;
    } else if (is_hex(c) || c == '.') {
      if (++run > 15) return false;
    } else {
      return false;
    }
  }
  return groups >= 2 && groups <= 8;
}

std::string names_of(const std::vector<SensitivePort>& ports) {
  std::string out;
  const std::size_t shown = std::min<std::size_t>(ports.size(), 3);
  for (std::size_t k = 0; k < shown; ++k) {
    if (k > 0) out += k + 1 == shown && ports.size() == shown ? " and " : ", ";
    out += fmt::format("{} ({})", ports[k].name, ports[k].port);
  }
  if (ports.size() > shown) out += fmt::format(" and {} more sensitive ports", ports.size() - shown);
  return out;
}

std::string what_of(const Rule& rule) {
  const Protocol protocol = normalize_protocol(rule.protocol);
  if (protocol.kind == ProtocolKind::kAll) return "all traffic";
  if (protocol.kind == ProtocolKind::kInvalid) {
    return rule.protocol.empty() ? "traffic" : fmt::format("protocol '{}'", core::printable(rule.protocol, 20));
  }
  const std::string ports = port_text(protocol, rule.from_port, rule.to_port);
  return ports.empty() ? protocol.name : fmt::format("{} {}", protocol.name, ports);
}

struct Rating {
  Severity severity;
  std::string reason;
};

Rating rate_added(const Rule& rule, const ExposurePolicy& policy) {
  if (rule.implicit) return {Severity::kLow, "EC2's default allow-all egress rule of a new group"};
  const PeerScope scope = peer_scope(rule.peer, policy);
  const Protocol protocol = normalize_protocol(rule.protocol);
  const bool all_traffic = protocol.kind == ProtocolKind::kAll;
  if (rule.direction == Direction::kEgress) {
    if (scope == PeerScope::kWorld && all_traffic) {
      return {Severity::kMedium, "all outbound traffic allowed to the world"};
    }
    return {Severity::kLow, fmt::format("outbound {} allowed", what_of(rule))};
  }
  // Ingress (a rule of unknown direction is rated as ingress: the worse case).
  const std::string suffix =
      rule.direction == Direction::kUnknown ? " (direction not in the event; rated as ingress)" : "";
  if (rule.legacy_service_port) {
    if (scope == PeerScope::kWorld) return {Severity::kCritical, "service port open to the world" + suffix};
    if (scope == PeerScope::kBroad) return {Severity::kMedium, "service port open to a broad range" + suffix};
    return {Severity::kLow, "service port opened to a narrower peer" + suffix};
  }
  const std::vector<SensitivePort> sensitive = sensitive_ports_in(rule, policy);
  const bool icmp = protocol.kind == ProtocolKind::kIcmp || protocol.kind == ProtocolKind::kIcmpv6;
  if (scope == PeerScope::kWorld) {
    if (all_traffic) return {Severity::kCritical, "all traffic open to the world" + suffix};
    if (!sensitive.empty()) return {Severity::kCritical, names_of(sensitive) + " open to the world" + suffix};
    if (icmp) return {Severity::kMedium, fmt::format("{} open to the world", what_of(rule)) + suffix};
    return {Severity::kHigh, fmt::format("{} open to the world", what_of(rule)) + suffix};
  }
  if (scope == PeerScope::kBroad) {
    if (all_traffic) return {Severity::kMedium, "all traffic open to a broad range" + suffix};
    if (!sensitive.empty()) return {Severity::kMedium, names_of(sensitive) + " open to a broad range" + suffix};
    return {Severity::kLow, fmt::format("{} open to a broad range", what_of(rule)) + suffix};
  }
  if (scope == PeerScope::kNotAnAddress) {
    return {Severity::kLow, fmt::format("{} opened to a {}", what_of(rule),
                                        rule.peer.kind == Peer::Kind::kGroup ? "referenced group"
                                        : rule.peer.kind == Peer::Kind::kPrefixList ? "prefix list"
                                                                                    : "peer not in the event")
                                + suffix};
  }
  return {Severity::kLow, fmt::format("{} opened to a narrow range", what_of(rule)) + suffix};
}

// The change's own rating, apart from its rules.
Rating rate_change(const Change& change) {
  switch (change.kind) {
    case ChangeKind::kGroupCreated: return {Severity::kInfo, "group created"};
    case ChangeKind::kGroupDeleted: return {Severity::kInfo, "group deleted"};
    case ChangeKind::kVpcAssociated:
      return {Severity::kLow, "the group's rules now apply in another VPC"};
    case ChangeKind::kVpcDisassociated: return {Severity::kInfo, "the group no longer applies in a VPC"};
    case ChangeKind::kGroupsAttached:
      return {Severity::kLow, "group attached to a resource (its rules are not in the event)"};
    case ChangeKind::kGroupsReplaced:
      return {Severity::kLow, "group set of a resource replaced (the rules are not in the event)"};
    case ChangeKind::kGroupsDetached: return {Severity::kInfo, "group detached from a resource"};
    case ChangeKind::kTagsAdded: return {Severity::kInfo, "tags added"};
    case ChangeKind::kTagsRemoved: return {Severity::kInfo, "tags removed"};
    case ChangeKind::kRulesAdded: return {Severity::kInfo, "rules added"};
    case ChangeKind::kRulesRemoved: return {Severity::kInfo, "rules removed"};
    case ChangeKind::kRulesModified: return {Severity::kInfo, "rules modified"};
    case ChangeKind::kDescriptionsUpdated: return {Severity::kInfo, "descriptions updated"};
    case ChangeKind::kUnknown: return {Severity::kInfo, "not understood"};
  }
  return {Severity::kInfo, ""};
}

std::string not_effective(const Change& change) {
  if (change.dry_run) return "dry run: nothing changed";
  return fmt::format("call failed ({}): nothing changed", change.error_code);
}

}  // namespace

const std::vector<SensitivePort>& default_sensitive_ports() {
  static const std::vector<SensitivePort> ports{
      {21, "FTP", true, false},
      {22, "SSH", true, false},
      {23, "Telnet", true, false},
      {135, "MS RPC", true, false},
      {139, "NetBIOS", true, false},
      {445, "SMB", true, false},
      {1433, "SQL Server", true, false},
      {1521, "Oracle", true, false},
      {2375, "Docker API", true, false},
      {2376, "Docker API (TLS)", true, false},
      {3306, "MySQL", true, false},
      {3389, "RDP", true, true},
      {5432, "PostgreSQL", true, false},
      {5900, "VNC", true, false},
      {5984, "CouchDB", true, false},
      {6379, "Redis", true, false},
      {9200, "Elasticsearch", true, false},
      {9300, "Elasticsearch transport", true, false},
      {11211, "Memcached", true, true},
      {27017, "MongoDB", true, false},
  };
  return ports;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
  const std::size_t slash = text.find('/');
  const std::string_view address = text.substr(0, slash);
  Cidr cidr;
  cidr.ipv6 = address.find(':') != std::string_view::npos;
  if (cidr.ipv6 ? !valid_ipv6(address) : !valid_ipv4(address)) return std::nullopt;
  const int max = cidr.ipv6 ? 128 : 32;
  if (slash == std::string_view::npos) {
    cidr.prefix = max;
    return cidr;
  }
  const std::optional<int> prefix = parse_small(text.substr(slash + 1), max);
  if (!prefix) return std::nullopt;
  cidr.prefix = *prefix;
  return cidr;
}

PeerScope peer_scope(const Peer& peer, const ExposurePolicy& policy) {
  if (peer.kind != Peer::Kind::kIpv4 && peer.kind != Peer::Kind::kIpv6) return PeerScope::kNotAnAddress;
  const std::optional<Cidr> cidr = parse_cidr(peer.value);
  if (!cidr) return PeerScope::kNarrow;
  if (cidr->prefix == 0) return PeerScope::kWorld;
  if (cidr->prefix < (cidr->ipv6 ? policy.broad_ipv6_prefix : policy.broad_ipv4_prefix)) {
    return PeerScope::kBroad;
  }
  return PeerScope::kNarrow;
}

std::vector<SensitivePort> sensitive_ports_in(const Rule& rule, const ExposurePolicy& policy) {
  std::vector<SensitivePort> out;
  const Protocol protocol = normalize_protocol(rule.protocol);
  for (const SensitivePort& port : policy.sensitive_ports) {
    const bool tcp = port.tcp && rule_contains_port(protocol, rule.from_port, rule.to_port, port.port, true);
    const bool udp = port.udp && rule_contains_port(protocol, rule.from_port, rule.to_port, port.port, false);
    if (tcp || udp) out.push_back(port);
  }
  return out;
}

void assess_rule(RuleChange& change, const ExposurePolicy& policy) {
  switch (change.action) {
    case RuleAction::kRemoved:
      change.severity = Severity::kInfo;
      change.reason = "removal reduces exposure";
      return;
    case RuleAction::kModified:
      if (change.rule.protocol.empty() && change.rule.peer.kind == Peer::Kind::kNone) {
        change.severity = Severity::kInfo;
        change.reason = change.rule.description ? "description only" : "rule named, content not in the event";
        return;
      }
      break;
    case RuleAction::kAdded:
      break;
  }
  Rating rating = rate_added(change.rule, policy);
  change.severity = rating.severity;
  change.reason = std::move(rating.reason);
}

void assess(Change& change, const ExposurePolicy& policy) {
  const bool effective = change.succeeded();
  Rating own = rate_change(change);
  if (change.unknown_shape) {
    own = {Severity::kMedium, "shape not understood: " + change.unknown_reason};
  }
  if (change.kind == ChangeKind::kDescriptionsUpdated) {
    for (RuleChange& rule : change.rules) {
      rule.severity = Severity::kInfo;
      rule.reason = "description only";
    }
  } else {
    for (RuleChange& rule : change.rules) assess_rule(rule, policy);
  }
  Severity top = own.severity;
  std::string reason = own.reason;
  for (const RuleChange& rule : change.rules) {
    if (rule.severity > top) {
      top = rule.severity;
      reason = rule.reason;
    }
  }
  if (!effective) {
    const std::string why = not_effective(change);
    for (RuleChange& rule : change.rules) {
      if (rule.severity > Severity::kInfo) {
        rule.reason = fmt::format("{}; would have been {}: {}", why, severity_name(rule.severity), rule.reason);
      } else {
        rule.reason = fmt::format("{}; {}", why, rule.reason);
      }
      rule.severity = Severity::kInfo;
    }
    change.reason = top > Severity::kInfo
                        ? fmt::format("{}; would have been {}: {}", why, severity_name(top), reason)
                        : why;
    change.severity = Severity::kInfo;
    return;
  }
  change.severity = top;
  change.reason = std::move(reason);
}

}  // namespace sgwatch::sg
