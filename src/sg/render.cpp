// JSON and text renderings of Changes (see render.h).
#include "sg/render.h"

#include <fmt/format.h>

#include "core/text.h"
#include "sg/fields.h"
#include "sg/ports.h"

namespace sgwatch::sg {
namespace {

using Json = nlohmann::ordered_json;

Json text_or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json port_or_null(const std::optional<long long>& port) { return port ? Json(*port) : Json(nullptr); }

// One line of user text: control characters shown escaped, length bounded.
std::string clean(std::string_view text, std::size_t max = 200) { return core::printable(text, max); }

std::string_view colour_of(Severity severity) {
  switch (severity) {
    case Severity::kCritical: return "\x1b[1;31m";
    case Severity::kHigh: return "\x1b[31m";
    case Severity::kMedium: return "\x1b[33m";
    case Severity::kLow: return "\x1b[36m";
    case Severity::kInfo: return "\x1b[2m";
  }
  return "";
}

std::string severity_tag(Severity severity, const std::string& reason, const TextStyle& style) {
  const std::string tag = fmt::format("[{}: {}]", severity_name(severity), clean(reason, 300));
  if (!style.colour) return tag;
  return fmt::format("{}{}\x1b[0m", colour_of(severity), tag);
}

}  // namespace

Json to_json(const Change& change) {
  Json out;
  out["eventId"] = text_or_null(change.event_id);
  out["eventName"] = text_or_null(change.event_name);
  out["eventSource"] = text_or_null(change.event_source);
  out["eventTime"] = text_or_null(change.event_time);
  out["account"] = text_or_null(change.account);
  out["region"] = text_or_null(change.region);
  const Actor& a = change.actor;
  Json actor;
  actor["type"] = text_or_null(a.type);
  actor["arn"] = text_or_null(a.arn);
  actor["principalId"] = text_or_null(a.principal_id);
  actor["accountId"] = text_or_null(a.account_id);
  actor["userName"] = text_or_null(a.user_name);
  actor["accessKeyId"] = text_or_null(a.access_key_id);
  actor["sessionIssuer"] = Json{{"arn", text_or_null(a.session_issuer_arn)}, {"type", text_or_null(a.session_issuer_type)}};
  actor["mfaAuthenticated"] = a.mfa_authenticated ? Json(*a.mfa_authenticated) : Json(nullptr);
  actor["invokedBy"] = text_or_null(a.invoked_by);
  actor["sourceIPAddress"] = text_or_null(a.source_ip);
  actor["userAgent"] = text_or_null(a.user_agent);
  out["actor"] = std::move(actor);
  out["succeeded"] = change.succeeded();
  out["errorCode"] = text_or_null(change.error_code);
  out["errorMessage"] = text_or_null(change.error_message);
  out["dryRun"] = change.dry_run;
  out["kind"] = change_kind_name(change.kind);
  out["group"] = Json{{"id", text_or_null(change.group.id)},
                      {"name", text_or_null(change.group.name)},
                      {"vpcId", text_or_null(change.group.vpc_id)},
                      {"ownerId", text_or_null(change.group.owner_id)},
                      {"description", text_or_null(change.group.description)}};
  out["resources"] = change.resources;
  out["groupSet"] = change.group_set;
  out["targetVpcId"] = text_or_null(change.target_vpc_id);
  Json tags = Json::array();
  for (const Tag& tag : change.tags) {
    tags.push_back(Json{{"key", tag.key}, {"value", tag.value ? Json(*tag.value) : Json(nullptr)}});
  }
  out["tags"] = std::move(tags);
  Json rules = Json::array();
  for (const RuleChange& rc : change.rules) {
    const Rule& r = rc.rule;
    const Protocol protocol = normalize_protocol(r.protocol);
    Json rule;
    rule["action"] = rule_action_name(rc.action);
    rule["direction"] = direction_name(r.direction);
    rule["protocol"] = text_or_null(r.protocol);
    rule["protocolName"] = text_or_null(protocol.name);
    rule["fromPort"] = port_or_null(r.from_port);
    rule["toPort"] = port_or_null(r.to_port);
    rule["peer"] = Json{{"kind", peer_kind_name(r.peer.kind)},
                        {"value", text_or_null(r.peer.value)},
                        {"groupName", text_or_null(r.peer.group_name)},
                        {"ownerId", text_or_null(r.peer.owner_id)},
                        {"vpcId", text_or_null(r.peer.vpc_id)},
                        {"peeringId", text_or_null(r.peer.peering_id)}};
    rule["description"] = r.description ? Json(*r.description) : Json(nullptr);
    rule["ruleId"] = text_or_null(r.rule_id);
    rule["implicit"] = r.implicit;
    rule["legacyServicePort"] = r.legacy_service_port;
    rule["severity"] = severity_name(rc.severity);
    rule["reason"] = rc.reason;
    rules.push_back(std::move(rule));
  }
  out["rules"] = std::move(rules);
  out["severity"] = severity_name(change.severity);
  out["reason"] = change.reason;
  out["unknownShape"] = change.unknown_shape;
  out["unknownReason"] = text_or_null(change.unknown_reason);
  if (change.unknown_shape) {
    // The record as JSON when it is JSON (and shallow enough to print), else as a string.
    Json raw = Json(change.raw);
    if (!detail::nests_deeper_than(change.raw, 256)) {
      Json parsed = Json::parse(change.raw, nullptr, false);
      if (!parsed.is_discarded()) raw = std::move(parsed);
    }
    out["raw"] = std::move(raw);
  } else {
    out["raw"] = nullptr;
  }
  return out;
}

std::string peer_text(const Peer& peer) {
  switch (peer.kind) {
    case Peer::Kind::kIpv4:
    case Peer::Kind::kIpv6: return clean(peer.value, 60);
    case Peer::Kind::kPrefixList: return fmt::format("{} (prefix list)", clean(peer.value, 60));
    case Peer::Kind::kGroup: {
      std::string out = peer.value.empty() ? "group" : clean(peer.value, 60);
      if (!peer.group_name.empty()) out += fmt::format(" ({})", clean(peer.group_name, 60));
      if (!peer.owner_id.empty()) out += fmt::format(" of {}", clean(peer.owner_id, 30));
      if (!peer.peering_id.empty()) out += fmt::format(" via {}", clean(peer.peering_id, 40));
      return out;
    }
    case Peer::Kind::kNone: return "nothing";
  }
  return "nothing";
}

std::string rule_traffic_text(const Rule& rule) {
  if (rule.protocol.empty()) {
    if (rule.legacy_service_port) return "service port";
    return rule.rule_id.empty() ? "rule" : fmt::format("rule {}", clean(rule.rule_id, 40));
  }
  const Protocol protocol = normalize_protocol(rule.protocol);
  if (protocol.kind == ProtocolKind::kAll) return "all traffic";
  if (protocol.kind == ProtocolKind::kInvalid) return fmt::format("protocol '{}'", clean(rule.protocol, 20));
  const std::string ports = port_text(protocol, rule.from_port, rule.to_port);
  if (protocol.kind == ProtocolKind::kOther) return fmt::format("protocol {}", protocol.name);
  return ports.empty() ? protocol.name : fmt::format("{} {}", protocol.name, ports);
}

std::string rule_line(const RuleChange& change) {
  const Rule& r = change.rule;
  const char sign = change.action == RuleAction::kAdded ? '+' : change.action == RuleAction::kRemoved ? '-' : '~';
  std::string out = fmt::format("{} {} {}", sign, direction_name(r.direction), rule_traffic_text(r));
  if (r.peer.kind != Peer::Kind::kNone) {
    const std::string_view word = r.direction == Direction::kEgress ? "to" : r.direction == Direction::kIngress ? "from" : "with";
    out += fmt::format(" {} {}", word, peer_text(r.peer));
  }
  if (!r.rule_id.empty() && !r.protocol.empty()) out += fmt::format(" ({})", clean(r.rule_id, 40));
  if (r.description) out += fmt::format(" \"{}\"", clean(*r.description, 80));
  if (r.implicit) out += " (default)";
  out += fmt::format("  [{}: {}]", severity_name(change.severity), clean(change.reason, 300));
  return out;
}

std::string change_text(const Change& change, const TextStyle& style) {
  std::string out = fmt::format("{}  {}  {}\n", change.event_time.empty() ? "-" : clean(change.event_time, 40),
                                change.event_name.empty() ? "(unknown event)" : clean(change.event_name, 80),
                                severity_tag(change.severity, change.reason, style));
  const Actor& a = change.actor;
  std::string who = a.arn.empty() ? (a.invoked_by.empty() ? std::string("-") : clean(a.invoked_by)) : clean(a.arn);
  if (!a.type.empty()) who += fmt::format(" ({})", clean(a.type, 40));
  if (!a.session_issuer_arn.empty()) who += fmt::format(" issued by {}", clean(a.session_issuer_arn));
  if (a.mfa_authenticated) who += *a.mfa_authenticated ? ", MFA" : ", no MFA";
  if (!a.source_ip.empty()) who += fmt::format(", from {}", clean(a.source_ip, 80));
  if (!a.invoked_by.empty() && !a.arn.empty()) who += fmt::format(", invoked by {}", clean(a.invoked_by, 80));
  out += fmt::format("  actor    {}\n", who);
  if (!a.user_agent.empty()) out += fmt::format("  agent    {}\n", clean(a.user_agent, 120));
  out += fmt::format("  where    account {}, region {}, event {}\n", change.account.empty() ? "-" : clean(change.account, 40),
                     change.region.empty() ? "-" : clean(change.region, 40),
                     change.event_id.empty() ? "-" : clean(change.event_id, 60));
  std::string group = change.group.id.empty() ? std::string("-") : clean(change.group.id, 60);
  if (!change.group.name.empty()) group += fmt::format(" ({})", clean(change.group.name, 80));
  if (!change.group.vpc_id.empty()) group += fmt::format(" in {}", clean(change.group.vpc_id, 40));
  if (!change.group.owner_id.empty()) group += fmt::format(" of {}", clean(change.group.owner_id, 30));
  out += fmt::format("  group    {}  {}\n", group, change_kind_name(change.kind));
  if (change.dry_run) {
    out += "  outcome  dry run (Client.DryRunOperation): nothing changed\n";
  } else if (!change.error_code.empty()) {
    out += fmt::format("  outcome  FAILED {}{}: nothing changed\n", clean(change.error_code, 80),
                       change.error_message.empty() ? "" : " (" + clean(change.error_message, 160) + ")");
  }
  if (!change.resources.empty() || !change.group_set.empty()) {
    std::string resources;
    for (const std::string& r : change.resources) resources += (resources.empty() ? "" : ", ") + clean(r, 80);
    std::string set;
    for (const std::string& g : change.group_set) set += (set.empty() ? "" : ", ") + clean(g, 60);
    out += fmt::format("  applies  to {}; group set now [{}]\n", resources.empty() ? "-" : resources, set);
  }
  if (!change.target_vpc_id.empty()) out += fmt::format("  vpc      {}\n", clean(change.target_vpc_id, 40));
  if (!change.tags.empty()) {
    std::string tags;
    for (const Tag& t : change.tags) {
      tags += (tags.empty() ? "" : ", ") + clean(t.key, 60);
      if (t.value) tags += "=" + clean(*t.value, 80);
    }
    out += fmt::format("  tags     {}\n", tags);
  }
  for (const RuleChange& rule : change.rules) {
    std::string line = rule_line(rule);
    if (style.colour) {
      const std::size_t bracket = line.rfind("  [");
      if (bracket != std::string::npos) {
        line = line.substr(0, bracket) + "  " + severity_tag(rule.severity, rule.reason, style);
      }
    }
    out += fmt::format("  {}\n", line);
  }
  if (change.unknown_shape) out += fmt::format("  unknown  {}\n", clean(change.unknown_reason, 400));
  return out;
}

}  // namespace sgwatch::sg
