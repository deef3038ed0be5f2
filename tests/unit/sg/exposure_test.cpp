// Exposure rules of src/sg/exposure.h: CIDR parsing, world-open and broad peers, sensitive ports
// contained in ranges, and the severity table of docs/sg.md, rule by rule and for whole changes
// (failed and dry-run calls change nothing and are info).
#include <gtest/gtest.h>

#include "sg/exposure.h"

namespace sgwatch::sg {
namespace {

Rule rule(Direction direction, std::string protocol, std::optional<long long> from, std::optional<long long> to,
          Peer::Kind kind, std::string peer) {
  Rule r;
  r.direction = direction;
  r.protocol = std::move(protocol);
  r.from_port = from;
  r.to_port = to;
  r.peer.kind = kind;
  r.peer.value = std::move(peer);
  return r;
}

TEST(SgExposure, ParseCidr) {
  struct Case {
    const char* text;
    bool ok;
    bool ipv6;
    int prefix;
  };
  const Case cases[] = {
      {"0.0.0.0/0", true, false, 0},       {"10.0.0.0/8", true, false, 8},
      {"203.0.113.7", true, false, 32},    {"208.236.235.254/0", true, false, 0},
      {"::/0", true, true, 0},             {"2001:db8::/32", true, true, 32},
      {"::ffff:10.0.0.1/128", true, true, 128},
      {"10.0.0.0/33", false, false, 0},    {"256.0.0.0/8", false, false, 0},
      {"10.0.0/8", false, false, 0},       {"", false, false, 0},
      {"0.0.0.0/", false, false, 0},       {"::/129", false, false, 0},
      {"abc", false, false, 0},            {"1.2.3.4/08x", false, false, 0},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.text);
    const auto cidr = parse_cidr(c.text);
    ASSERT_EQ(cidr.has_value(), c.ok);
    if (c.ok) {
      EXPECT_EQ(cidr->ipv6, c.ipv6);
      EXPECT_EQ(cidr->prefix, c.prefix);
    }
  }
}

TEST(SgExposure, PeerScopes) {
  const ExposurePolicy policy;
  auto scope = [&](Peer::Kind kind, const char* value) {
    Peer p;
    p.kind = kind;
    p.value = value;
    return peer_scope(p, policy);
  };
  EXPECT_EQ(scope(Peer::Kind::kIpv4, "0.0.0.0/0"), PeerScope::kWorld);
  EXPECT_EQ(scope(Peer::Kind::kIpv6, "::/0"), PeerScope::kWorld);
  EXPECT_EQ(scope(Peer::Kind::kIpv4, "208.236.235.254/0"), PeerScope::kWorld);
  EXPECT_EQ(scope(Peer::Kind::kIpv4, "0.0.0.0/1"), PeerScope::kBroad);
  EXPECT_EQ(scope(Peer::Kind::kIpv4, "0.0.0.0/7"), PeerScope::kBroad);
  EXPECT_EQ(scope(Peer::Kind::kIpv4, "10.0.0.0/8"), PeerScope::kNarrow);
  EXPECT_EQ(scope(Peer::Kind::kIpv6, "2000::/3"), PeerScope::kBroad);
  EXPECT_EQ(scope(Peer::Kind::kIpv6, "2001:db8::/32"), PeerScope::kNarrow);
  EXPECT_EQ(scope(Peer::Kind::kPrefixList, "pl-0123"), PeerScope::kNotAnAddress);
  EXPECT_EQ(scope(Peer::Kind::kGroup, "sg-0123"), PeerScope::kNotAnAddress);
  ExposurePolicy strict;
  strict.broad_ipv4_prefix = 16;
  Peer p;
  p.kind = Peer::Kind::kIpv4;
  p.value = "10.0.0.0/8";
  EXPECT_EQ(peer_scope(p, strict), PeerScope::kBroad);
}

TEST(SgExposure, SensitivePortsContainedInRanges) {
  const ExposurePolicy policy;
  auto names = [&](const Rule& r) {
    std::string out;
    for (const auto& p : sensitive_ports_in(r, policy)) out += (out.empty() ? "" : ",") + std::to_string(p.port);
    return out;
  };
  EXPECT_EQ(names(rule(Direction::kIngress, "tcp", 22, 22, Peer::Kind::kIpv4, "0.0.0.0/0")), "22");
  EXPECT_EQ(names(rule(Direction::kIngress, "tcp", 20, 25, Peer::Kind::kIpv4, "0.0.0.0/0")), "21,22,23");
  EXPECT_EQ(names(rule(Direction::kIngress, "tcp", 443, 443, Peer::Kind::kIpv4, "0.0.0.0/0")), "");
  EXPECT_EQ(names(rule(Direction::kIngress, "udp", 22, 22, Peer::Kind::kIpv4, "0.0.0.0/0")), "");
  EXPECT_EQ(names(rule(Direction::kIngress, "udp", 3389, 3389, Peer::Kind::kIpv4, "0.0.0.0/0")), "3389");
  EXPECT_EQ(names(rule(Direction::kIngress, "icmp", 22, 22, Peer::Kind::kIpv4, "0.0.0.0/0")), "");
  EXPECT_EQ(sensitive_ports_in(rule(Direction::kIngress, "-1", std::nullopt, std::nullopt, Peer::Kind::kIpv4, "0.0.0.0/0"),
                               policy)
                .size(),
            default_sensitive_ports().size());
  ExposurePolicy custom;
  custom.sensitive_ports = {{8080, "HTTP proxy", true, false}};
  EXPECT_EQ(sensitive_ports_in(rule(Direction::kIngress, "tcp", 8000, 9000, Peer::Kind::kIpv4, "0.0.0.0/0"), custom).size(), 1U);
  EXPECT_TRUE(sensitive_ports_in(rule(Direction::kIngress, "tcp", 22, 22, Peer::Kind::kIpv4, "0.0.0.0/0"), custom).empty());
}

struct SeverityCase {
  const char* what;
  RuleAction action;
  Rule rule;
  Severity severity;
  const char* reason;
};

TEST(SgExposure, SeverityTable) {
  const SeverityCase cases[] = {
      {"ssh world", RuleAction::kAdded, rule(Direction::kIngress, "tcp", 22, 22, Peer::Kind::kIpv4, "0.0.0.0/0"),
       Severity::kCritical, "SSH (22) open to the world"},
      {"range containing rdp, ipv6 world", RuleAction::kAdded,
       rule(Direction::kIngress, "tcp", 3000, 4000, Peer::Kind::kIpv6, "::/0"), Severity::kCritical,
       "MySQL (3306) and RDP (3389) open to the world"},
      {"all traffic world", RuleAction::kAdded,
       rule(Direction::kIngress, "-1", std::nullopt, std::nullopt, Peer::Kind::kIpv4, "0.0.0.0/0"),
       Severity::kCritical, "all traffic open to the world"},
      {"https world", RuleAction::kAdded, rule(Direction::kIngress, "tcp", 443, 443, Peer::Kind::kIpv4, "0.0.0.0/0"),
       Severity::kHigh, "tcp 443 open to the world"},
      {"icmp world", RuleAction::kAdded, rule(Direction::kIngress, "icmp", 8, 0, Peer::Kind::kIpv4, "0.0.0.0/0"),
       Severity::kMedium, "icmp type 8 code 0 open to the world"},
      {"ssh broad", RuleAction::kAdded, rule(Direction::kIngress, "6", 22, 22, Peer::Kind::kIpv4, "0.0.0.0/4"),
       Severity::kMedium, "SSH (22) open to a broad range"},
      {"https broad", RuleAction::kAdded, rule(Direction::kIngress, "tcp", 443, 443, Peer::Kind::kIpv4, "0.0.0.0/4"),
       Severity::kLow, "tcp 443 open to a broad range"},
      {"ssh narrow", RuleAction::kAdded, rule(Direction::kIngress, "tcp", 22, 22, Peer::Kind::kIpv4, "203.0.113.0/24"),
       Severity::kLow, "tcp 22 opened to a narrow range"},
      {"referenced group", RuleAction::kAdded, rule(Direction::kIngress, "tcp", 0, 65535, Peer::Kind::kGroup, "sg-1"),
       Severity::kLow, "tcp all ports opened to a referenced group"},
      {"egress world all", RuleAction::kAdded,
       rule(Direction::kEgress, "-1", -1, -1, Peer::Kind::kIpv6, "::/0"), Severity::kMedium,
       "all outbound traffic allowed to the world"},
      {"egress world ssh", RuleAction::kAdded, rule(Direction::kEgress, "tcp", 22, 22, Peer::Kind::kIpv4, "0.0.0.0/0"),
       Severity::kLow, "outbound tcp 22 allowed"},
      {"removal", RuleAction::kRemoved, rule(Direction::kIngress, "tcp", 22, 22, Peer::Kind::kIpv4, "0.0.0.0/0"),
       Severity::kInfo, "removal reduces exposure"},
      {"modified unknown direction", RuleAction::kModified,
       rule(Direction::kUnknown, "tcp", 5432, 5432, Peer::Kind::kIpv4, "0.0.0.0/0"), Severity::kCritical,
       "PostgreSQL (5432) open to the world (direction not in the event; rated as ingress)"},
  };
  const ExposurePolicy policy;
  for (const SeverityCase& c : cases) {
    SCOPED_TRACE(c.what);
    RuleChange change;
    change.action = c.action;
    change.rule = c.rule;
    assess_rule(change, policy);
    EXPECT_EQ(severity_name(change.severity), severity_name(c.severity));
    EXPECT_EQ(change.reason, c.reason);
  }
}

Change ssh_world_change() {
  Change change;
  change.kind = ChangeKind::kRulesAdded;
  RuleChange r;
  r.rule = rule(Direction::kIngress, "tcp", 22, 22, Peer::Kind::kIpv4, "0.0.0.0/0");
  change.rules.push_back(r);
  return change;
}

TEST(SgExposure, ChangeTakesItsHighestRule) {
  Change change = ssh_world_change();
  RuleChange narrow;
  narrow.rule = rule(Direction::kIngress, "tcp", 443, 443, Peer::Kind::kIpv4, "10.0.0.0/16");
  change.rules.insert(change.rules.begin(), narrow);
  assess(change, ExposurePolicy{});
  EXPECT_EQ(change.severity, Severity::kCritical);
  EXPECT_EQ(change.reason, "SSH (22) open to the world");
}

TEST(SgExposure, FailedAndDryRunCallsChangeNothing) {
  Change failed = ssh_world_change();
  failed.error_code = "Client.UnauthorizedOperation";
  assess(failed, ExposurePolicy{});
  EXPECT_EQ(failed.severity, Severity::kInfo);
  EXPECT_EQ(failed.reason,
            "call failed (Client.UnauthorizedOperation): nothing changed; would have been critical: SSH (22) open "
            "to the world");
  EXPECT_EQ(failed.rules[0].severity, Severity::kInfo);

  Change dry = ssh_world_change();
  dry.dry_run = true;
  assess(dry, ExposurePolicy{});
  EXPECT_EQ(dry.severity, Severity::kInfo);
  EXPECT_EQ(dry.reason, "dry run: nothing changed; would have been critical: SSH (22) open to the world");
}

TEST(SgExposure, GroupLevelChanges) {
  struct Case {
    ChangeKind kind;
    Severity severity;
  };
  for (const Case& c : {Case{ChangeKind::kGroupDeleted, Severity::kInfo}, Case{ChangeKind::kVpcAssociated, Severity::kLow},
                        Case{ChangeKind::kVpcDisassociated, Severity::kInfo},
                        Case{ChangeKind::kGroupsAttached, Severity::kLow}, Case{ChangeKind::kGroupsReplaced, Severity::kLow},
                        Case{ChangeKind::kTagsAdded, Severity::kInfo}}) {
    Change change;
    change.kind = c.kind;
    assess(change, ExposurePolicy{});
    EXPECT_EQ(change.severity, c.severity) << change_kind_name(c.kind);
  }
  Change unknown;
  unknown.unknown_shape = true;
  unknown.unknown_reason = "x";
  assess(unknown, ExposurePolicy{});
  EXPECT_EQ(unknown.severity, Severity::kMedium);
  EXPECT_EQ(unknown.reason, "shape not understood: x");
}

TEST(SgExposure, SeverityNames) {
  EXPECT_EQ(parse_severity("CRITICAL"), Severity::kCritical);
  EXPECT_EQ(parse_severity("info"), Severity::kInfo);
  EXPECT_FALSE(parse_severity("severe").has_value());
  EXPECT_LT(Severity::kInfo, Severity::kLow);
  EXPECT_LT(Severity::kHigh, Severity::kCritical);
}

}  // namespace
}  // namespace sgwatch::sg
