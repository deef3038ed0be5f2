// Port-range logic of src/sg/ports.h: protocol names and numbers, and properties checked
// exhaustively over ports and ranges — contains(range, p) iff from <= p <= to, overlaps agrees
// with a brute-force intersection, all traffic contains every port, ICMP and other protocols
// contain none.
#include <gtest/gtest.h>

#include <random>

#include "sg/ports.h"

namespace sgwatch::sg {
namespace {

struct ProtocolCase {
  const char* given;
  ProtocolKind kind;
  int number;
  const char* name;
};

TEST(SgPorts, ProtocolNormalization) {
  const ProtocolCase cases[] = {
      {"tcp", ProtocolKind::kTcp, 6, "tcp"},       {"TCP", ProtocolKind::kTcp, 6, "tcp"},
      {"6", ProtocolKind::kTcp, 6, "tcp"},         {"udp", ProtocolKind::kUdp, 17, "udp"},
      {"17", ProtocolKind::kUdp, 17, "udp"},       {"icmp", ProtocolKind::kIcmp, 1, "icmp"},
      {"1", ProtocolKind::kIcmp, 1, "icmp"},       {"icmpv6", ProtocolKind::kIcmpv6, 58, "icmpv6"},
      {"58", ProtocolKind::kIcmpv6, 58, "icmpv6"}, {"-1", ProtocolKind::kAll, -1, "all"},
      {"all", ProtocolKind::kAll, -1, "all"},      {"50", ProtocolKind::kOther, 50, "50"},
      {"0", ProtocolKind::kOther, 0, "0"},         {"255", ProtocolKind::kOther, 255, "255"},
      {"256", ProtocolKind::kInvalid, -1, ""},     {"", ProtocolKind::kInvalid, -1, ""},
      {" tcp", ProtocolKind::kInvalid, -1, ""},    {"-2", ProtocolKind::kInvalid, -1, ""},
      {"tcpx", ProtocolKind::kInvalid, -1, ""},    {"1000000", ProtocolKind::kInvalid, -1, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.given);
    const Protocol p = normalize_protocol(c.given);
    EXPECT_EQ(p.kind, c.kind);
    EXPECT_EQ(p.number, c.number);
    EXPECT_EQ(p.name, c.name);
  }
}

TEST(SgPorts, ContainsIffWithinBoundsExhaustiveOverSmallRanges) {
  // Every range within 0..40 against every port -1..41, and the edges of the port space.
  for (int from = 0; from <= 40; ++from) {
    for (int to = from; to <= 40; ++to) {
      const PortRange range{from, to};
      for (int p = -1; p <= 41; ++p) {
        ASSERT_EQ(contains(range, p), from <= p && p <= to) << from << "-" << to << " " << p;
      }
    }
  }
  EXPECT_TRUE(contains(all_ports(), 0));
  EXPECT_TRUE(contains(all_ports(), 65535));
  EXPECT_FALSE(contains(all_ports(), 65536));
  EXPECT_FALSE(contains(all_ports(), -1));
}

TEST(SgPorts, OverlapsAgreesWithBruteForce) {
  for (int a1 = 0; a1 <= 12; ++a1) {
    for (int a2 = a1; a2 <= 12; ++a2) {
      for (int b1 = 0; b1 <= 12; ++b1) {
        for (int b2 = b1; b2 <= 12; ++b2) {
          bool shared = false;
          for (int p = 0; p <= 12; ++p) shared = shared || (contains({a1, a2}, p) && contains({b1, b2}, p));
          ASSERT_EQ(overlaps({a1, a2}, {b1, b2}), shared);
          ASSERT_EQ(overlaps({a1, a2}, {b1, b2}), overlaps({b1, b2}, {a1, a2}));
        }
      }
    }
  }
}

TEST(SgPorts, RandomRangesOverTheWholePortSpace) {
  std::mt19937 random(20240710);
  std::uniform_int_distribution<int> port(kMinPort, kMaxPort);
  const Protocol tcp = normalize_protocol("tcp");
  const Protocol udp = normalize_protocol("udp");
  for (int k = 0; k < 20000; ++k) {
    int from = port(random);
    int to = port(random);
    if (from > to) std::swap(from, to);
    const int p = port(random);
    const auto range = opened_ports(tcp, from, to);
    ASSERT_TRUE(range.has_value());
    ASSERT_EQ(*range, (PortRange{from, to}));
    ASSERT_EQ(rule_contains_port(tcp, from, to, p, true), from <= p && p <= to);
    ASSERT_FALSE(rule_contains_port(tcp, from, to, p, false)) << "tcp never contains a udp port";
    ASSERT_EQ(rule_contains_port(udp, from, to, p, false), from <= p && p <= to);
    ASSERT_EQ(is_all_ports(*range), from == 0 && to == 65535);
  }
}

TEST(SgPorts, AllTrafficContainsEveryPortWhateverItsPortsSay) {
  const Protocol all = normalize_protocol("-1");
  const std::optional<long long> given[][2] = {{std::nullopt, std::nullopt}, {0, 0}, {-1, -1}, {22, 22}};
  for (const auto& ports : given) {
    for (int p = kMinPort; p <= kMaxPort; ++p) {
      ASSERT_TRUE(rule_contains_port(all, ports[0], ports[1], p, true));
      ASSERT_TRUE(rule_contains_port(all, ports[0], ports[1], p, false));
    }
  }
}

TEST(SgPorts, IcmpAndOtherProtocolsContainNoPort) {
  for (const char* name : {"icmp", "1", "icmpv6", "58", "50", "47", "bogus", ""}) {
    const Protocol protocol = normalize_protocol(name);
    EXPECT_FALSE(opened_ports(protocol, 8, 0).has_value()) << name;
    for (int p = kMinPort; p <= kMaxPort; ++p) {
      ASSERT_FALSE(rule_contains_port(protocol, 0, 65535, p, true)) << name;
      ASSERT_FALSE(rule_contains_port(protocol, -1, -1, p, false)) << name;
    }
  }
}

TEST(SgPorts, TcpPortsAsEc2StoresThem) {
  const Protocol tcp = normalize_protocol("tcp");
  EXPECT_EQ(opened_ports(tcp, std::nullopt, std::nullopt), all_ports());
  EXPECT_EQ(opened_ports(tcp, -1, -1), all_ports());
  EXPECT_EQ(opened_ports(tcp, 0, 65535), all_ports());
  EXPECT_FALSE(opened_ports(tcp, 30, 20).has_value());      // reversed
  EXPECT_FALSE(opened_ports(tcp, 22, std::nullopt).has_value());
  EXPECT_FALSE(opened_ports(tcp, 0, 65536).has_value());
  EXPECT_FALSE(opened_ports(tcp, -5, 10).has_value());
}

TEST(SgPorts, PortText) {
  const Protocol tcp = normalize_protocol("tcp");
  const Protocol icmp = normalize_protocol("icmp");
  EXPECT_EQ(port_text(tcp, 22, 22), "22");
  EXPECT_EQ(port_text(tcp, 1024, 2048), "1024-2048");
  EXPECT_EQ(port_text(tcp, 0, 65535), "all ports");
  EXPECT_EQ(port_text(tcp, std::nullopt, std::nullopt), "all ports");
  EXPECT_EQ(port_text(icmp, 8, 0), "type 8 code 0");
  EXPECT_EQ(port_text(icmp, 3, -1), "type 3");
  EXPECT_EQ(port_text(icmp, -1, -1), "all types");
  EXPECT_EQ(port_text(normalize_protocol("-1"), 0, 0), "");
}

}  // namespace
}  // namespace sgwatch::sg
