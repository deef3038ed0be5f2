// Protocols and port ranges of security-group rules, as small pure functions the exposure rules
// are built on (and tested on their own, exhaustively): protocol names and numbers ("6" is tcp,
// "-1" is all traffic), inclusive port ranges, and which ports a rule opens. ICMP rules carry a
// type and a code where other rules carry ports, so they open no port at all.
// Neighbours: exposure.h (uses these), change.h (a Rule keeps the protocol and ports as given).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace sgwatch::sg {

enum class ProtocolKind {
  kAll,      // "-1" / "all": every protocol, every port
  kTcp,      // "tcp" / "6"
  kUdp,      // "udp" / "17"
  kIcmp,     // "icmp" / "1": fromPort/toPort are the ICMP type and code
  kIcmpv6,   // "icmpv6" / "58": the same for ICMPv6
  kOther,    // another IP protocol number (0..255): all of that protocol, no ports
  kInvalid,  // empty, or neither a known name nor a number 0..255
};

struct Protocol {
  ProtocolKind kind = ProtocolKind::kInvalid;
  int number = -1;   // the IP protocol number; -1 for all traffic and for invalid text
  std::string name;  // "all", "tcp", "udp", "icmp", "icmpv6", the number as text, or "" (invalid)
};

// `given` as the EC2 API takes it: a name in any case ("TCP"), a decimal protocol number
// ("6", "17", "1", "58", "50"), or "-1"/"all" for all traffic. Surrounding spaces are an error.
Protocol normalize_protocol(std::string_view given);

// An inclusive range of ports 0..65535, from <= to.
struct PortRange {
  int from = 0;
  int to = 65535;
  friend bool operator==(const PortRange&, const PortRange&) = default;
};

inline constexpr int kMinPort = 0;
inline constexpr int kMaxPort = 65535;

PortRange all_ports();
bool is_all_ports(const PortRange& range);
bool contains(const PortRange& range, int port);
bool overlaps(const PortRange& a, const PortRange& b);

// Which TCP/UDP ports a rule opens, from its protocol and its fromPort/toPort as given:
//   - all traffic: every port (ports ignored, as EC2 ignores them; Terraform sends 0/0, the
//     response -1/-1);
//   - tcp/udp: fromPort..toPort; -1/-1, or both absent, is every port (what EC2 stores for a rule
//     given without ports); a range that is reversed, has one end missing or lies outside
//     0..65535 is nullopt (not a valid range: the caller flags it);
//   - icmp, icmpv6, other protocols, invalid text: nullopt — no TCP/UDP port is opened.
std::optional<PortRange> opened_ports(const Protocol& protocol, std::optional<long long> from_port,
                                      std::optional<long long> to_port);

// True when a rule with this protocol and these ports lets `port` through over TCP (`tcp`) or
// UDP (!tcp). All traffic contains every port of both.
bool rule_contains_port(const Protocol& protocol, std::optional<long long> from_port,
                        std::optional<long long> to_port, int port, bool tcp);

// "22", "1024-2048", "all ports" for tcp/udp; "type 8 code 0", "type 8", "all types" for ICMP;
// "" when the protocol has no ports (all traffic, other protocols).
std::string port_text(const Protocol& protocol, std::optional<long long> from_port,
                      std::optional<long long> to_port);

}  // namespace sgwatch::sg
