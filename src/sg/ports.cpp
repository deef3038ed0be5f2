// Protocol names and numbers, port ranges (see ports.h).
#include "sg/ports.h"

#include <fmt/format.h>

#include "core/text.h"

namespace sgwatch::sg {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

Protocol from_number(int number) {
  switch (number) {
    case 6: return {ProtocolKind::kTcp, 6, "tcp"};
    case 17: return {ProtocolKind::kUdp, 17, "udp"};
    case 1: return {ProtocolKind::kIcmp, 1, "icmp"};
    case 58: return {ProtocolKind::kIcmpv6, 58, "icmpv6"};
    default: return {ProtocolKind::kOther, number, std::to_string(number)};
  }
}

bool valid_port(long long port) { return port >= kMinPort && port <= kMaxPort; }

}  // namespace

Protocol normalize_protocol(std::string_view given) {
  const std::string name = lower(given);
  if (name == "-1" || name == "all") return {ProtocolKind::kAll, -1, "all"};
  if (name == "tcp") return from_number(6);
  if (name == "udp") return from_number(17);
  if (name == "icmp") return from_number(1);
  if (name == "icmpv6") return from_number(58);
  if (name.empty() || name.size() > 3) return {};
  int number = 0;
  for (const char c : name) {
    if (!core::is_ascii_digit(c)) return {};
    number = number * 10 + (c - '0');
  }
  if (number > 255) return {};
  return from_number(number);
}

PortRange all_ports() { return PortRange{kMinPort, kMaxPort}; }

bool is_all_ports(const PortRange& range) { return range.from <= kMinPort && range.to >= kMaxPort; }

bool contains(const PortRange& range, int port) { return range.from <= port && port <= range.to; }

bool overlaps(const PortRange& a, const PortRange& b) { return a.from <= b.to && b.from <= a.to; }

std::optional<PortRange> opened_ports(const Protocol& protocol, std::optional<long long> from_port,
                                      std::optional<long long> to_port) {
  if (protocol.kind == ProtocolKind::kAll) return all_ports();
  if (protocol.kind != ProtocolKind::kTcp && protocol.kind != ProtocolKind::kUdp) return std::nullopt;
  if (!from_port && !to_port) return all_ports();
  if (!from_port || !to_port) return std::nullopt;
  const long long from = *from_port;
  const long long to = *to_port;
  if (from == -1 && to == -1) return all_ports();
  if (!valid_port(from) || !valid_port(to) || from > to) return std::nullopt;
  return PortRange{static_cast<int>(from), static_cast<int>(to)};
}

bool rule_contains_port(const Protocol& protocol, std::optional<long long> from_port,
                        std::optional<long long> to_port, int port, bool tcp) {
  if (protocol.kind == ProtocolKind::kTcp && !tcp) return false;
  if (protocol.kind == ProtocolKind::kUdp && tcp) return false;
  const std::optional<PortRange> range = opened_ports(protocol, from_port, to_port);
  return range.has_value() && contains(*range, port);
}

std::string port_text(const Protocol& protocol, std::optional<long long> from_port,
                      std::optional<long long> to_port) {
  switch (protocol.kind) {
    case ProtocolKind::kTcp:
    case ProtocolKind::kUdp: {
      if (!from_port && !to_port) return "all ports";
      if (from_port && to_port && *from_port == -1 && *to_port == -1) return "all ports";
      if (from_port && to_port && *from_port == 0 && *to_port == 65535) return "all ports";
      if (from_port && to_port && *from_port == *to_port) return std::to_string(*from_port);
      return fmt::format("{}-{}", from_port ? std::to_string(*from_port) : "?",
                         to_port ? std::to_string(*to_port) : "?");
    }
    case ProtocolKind::kIcmp:
    case ProtocolKind::kIcmpv6: {
      // For ICMP, fromPort is the type and toPort the code; -1 means all.
      if (!from_port || *from_port == -1) return "all types";
      if (!to_port || *to_port == -1) return fmt::format("type {}", *from_port);
      return fmt::format("type {} code {}", *from_port, *to_port);
    }
    default:
      return "";
  }
}

}  // namespace sgwatch::sg
