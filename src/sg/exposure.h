// Exposure rules: how far a rule opens a group. A peer is world-open (any /0: 0.0.0.0/0, ::/0),
// broad (an IPv4 prefix shorter than /8, an IPv6 prefix shorter than /32; both configurable),
// narrow, or not an address (prefix list, referenced group). A rule contains a sensitive port when
// its range contains it (all traffic contains every port; ICMP has no ports). assess() gives
// every rule change and the change itself a severity and a reason, per the table in docs/sg.md;
// a failed or dry-run call changed nothing and is info, its reason saying what it would have been.
// Neighbours: ports.h (port logic), change.h (what is rated); normalize() calls assess().
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sg/change.h"

namespace sgwatch::sg {

struct SensitivePort {
  int port = 0;
  std::string name;  // "SSH", "RDP", "PostgreSQL", ...
  bool tcp = true;
  bool udp = false;
};

// The default list (docs/sg.md): remote administration, databases and caches, file sharing and
// Windows RPC, container and search-engine APIs.
const std::vector<SensitivePort>& default_sensitive_ports();

struct ExposurePolicy {
  std::vector<SensitivePort> sensitive_ports = default_sensitive_ports();
  // A peer whose prefix is shorter than this (and not /0) is broad.
  int broad_ipv4_prefix = 8;
  int broad_ipv6_prefix = 32;
};

struct Cidr {
  bool ipv6 = false;
  int prefix = 0;  // the prefix length (an address without one is a host: /32 or /128)
};
// "203.0.113.0/24", "::/0", "2001:db8::/32"; nullopt when it is not a CIDR.
std::optional<Cidr> parse_cidr(std::string_view text);

enum class PeerScope { kWorld, kBroad, kNarrow, kNotAnAddress };
PeerScope peer_scope(const Peer& peer, const ExposurePolicy& policy);

// The sensitive ports of `policy` that `rule` lets through (in the policy's order).
std::vector<SensitivePort> sensitive_ports_in(const Rule& rule, const ExposurePolicy& policy);

// Rates one rule change as if its call took effect (severity and reason).
void assess_rule(RuleChange& change, const ExposurePolicy& policy);

// Rates every rule change of `change` and the change itself (see the file comment).
void assess(Change& change, const ExposurePolicy& policy);

}  // namespace sgwatch::sg
