// Implementation of report.h. The table reads matched records with nlohmann::json (only hits
// are rendered, so its speed does not matter); JSON lines copy the record's bytes.
#include "scan/report.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

namespace sgwatch::scan {
namespace {

using nlohmann::json;

const json* at(const json& j, std::initializer_list<const char*> path) {
  const json* node = &j;
  for (const char* key : path) {
    if (!node->is_object()) return nullptr;
    auto it = node->find(key);
    if (it == node->end()) return nullptr;
    node = &*it;
  }
  return node;
}

std::string text_of(const json* node) {
  if (node == nullptr || node->is_null()) return {};
  if (node->is_string()) return node->get<std::string>();
  return node->dump();
}

std::string actor_of(const json& event) {
  const json* identity = at(event, {"userIdentity"});
  if (identity == nullptr) return {};
  const std::string type = text_of(at(*identity, {"type"}));
  const std::string arn = text_of(at(*identity, {"arn"}));
  if (type == "Root") return "root";
  if (type == "AWSService") return text_of(at(*identity, {"invokedBy"}));
  if (type == "IAMUser") {
    const std::string name = text_of(at(*identity, {"userName"}));
    if (!name.empty()) return "user/" + name;
  }
  if (!arn.empty()) {
    // arn:aws:sts::123456789012:assumed-role/Role/session -> assumed-role/Role/session
    const auto colon = arn.find(':', arn.find("::") == std::string::npos ? 0 : arn.find("::") + 2);
    std::string tail = colon != std::string::npos ? arn.substr(colon + 1) : arn;
    if (tail.rfind("assumed-role/", 0) == 0) tail = "role/" + tail.substr(13);
    return tail;
  }
  const std::string principal = text_of(at(*identity, {"principalId"}));
  return principal.empty() ? type : type + " " + principal;
}

std::string port_range(const json& permission, const char* from_key, const char* to_key) {
  const std::string from = text_of(at(permission, {from_key}));
  const std::string to = text_of(at(permission, {to_key}));
  if (from.empty() && to.empty()) return {};
  if (from == to || to.empty()) return from;
  return from + "-" + to;
}

std::string protocol_name(std::string protocol) {
  if (protocol == "-1") return "all";
  return protocol;
}

std::vector<std::string> items_of(const json* set, const char* key) {
  std::vector<std::string> out;
  if (set == nullptr) return out;
  const json* items = set->is_object() ? at(*set, {"items"}) : set;
  if (items == nullptr || !items->is_array()) return out;
  for (const auto& item : *items) {
    const std::string value = item.is_object() ? text_of(at(item, {key})) : text_of(&item);
    if (!value.empty()) out.push_back(value);
  }
  return out;
}

// "tcp/22 from 0.0.0.0/0, ::/0" for one EC2 IpPermission (items form).
std::string describe_permission(const json& p, bool egress) {
  std::string protocol = protocol_name(text_of(at(p, {"ipProtocol"})));
  const std::string ports = port_range(p, "fromPort", "toPort");
  std::vector<std::string> peers;
  for (auto& v : items_of(at(p, {"ipRanges"}), "cidrIp")) peers.push_back(v);
  for (auto& v : items_of(at(p, {"ipv6Ranges"}), "cidrIpv6")) peers.push_back(v);
  for (auto& v : items_of(at(p, {"prefixListIds"}), "prefixListId")) peers.push_back(v);
  for (auto& v : items_of(at(p, {"groups"}), "groupId")) peers.push_back(v);
  std::string out = protocol.empty() ? "?" : protocol;
  if (!ports.empty() && protocol != "all") out += "/" + ports;
  if (!peers.empty()) {
    out += egress ? " to " : " from ";
    for (std::size_t i = 0; i < peers.size(); ++i) out += (i ? "," : "") + peers[i];
  }
  return out;
}

std::string details_of(const json& event) {
  const json* request = at(event, {"requestParameters"});
  if (request == nullptr || !request->is_object()) return {};
  const std::string name = text_of(at(event, {"eventName"}));
  const bool egress = name.find("Egress") != std::string::npos;
  std::vector<std::string> parts;
  std::string group = text_of(at(*request, {"groupId"}));
  if (group.empty()) group = text_of(at(*request, {"groupName"}));
  if (const json* modify = at(*request, {"ModifySecurityGroupRulesRequest"})) {
    group = text_of(at(*modify, {"GroupId"}));
    if (const json* rule = at(*modify, {"SecurityGroupRule"})) {
      const std::string id = text_of(at(*rule, {"SecurityGroupRuleId"}));
      if (const json* r = at(*rule, {"SecurityGroupRule"})) {
        std::string protocol = protocol_name(text_of(at(*r, {"IpProtocol"})));
        std::string ports = port_range(*r, "FromPort", "ToPort");
        std::string peer = text_of(at(*r, {"CidrIpv4"}));
        if (peer.empty()) peer = text_of(at(*r, {"CidrIpv6"}));
        if (peer.empty()) peer = text_of(at(*r, {"PrefixListId"}));
        if (peer.empty()) peer = text_of(at(*r, {"ReferencedGroupId"}));
        std::string text = id + " -> " + (protocol.empty() ? "?" : protocol);
        if (!ports.empty() && protocol != "all") text += "/" + ports;
        if (!peer.empty()) text += " " + peer;
        parts.push_back(text);
      } else if (!id.empty()) {
        parts.push_back(id);
      }
    }
  }
  if (!group.empty()) parts.insert(parts.begin(), group);
  if (const json* permissions = at(*request, {"ipPermissions", "items"})) {
    if (permissions->is_array()) {
      for (const auto& p : *permissions) parts.push_back(describe_permission(p, egress));
    }
  } else if (at(*request, {"ipProtocol"}) != nullptr || at(*request, {"cidrIp"}) != nullptr) {
    // The legacy flat form: ipProtocol/fromPort/toPort/cidrIp at the top of the request.
    std::string text = protocol_name(text_of(at(*request, {"ipProtocol"})));
    const std::string ports = port_range(*request, "fromPort", "toPort");
    if (!ports.empty()) text += "/" + ports;
    const std::string cidr = text_of(at(*request, {"cidrIp"}));
    if (!cidr.empty()) text += (egress ? " to " : " from ") + cidr;
    parts.push_back(text);
  }
  for (auto& id : items_of(at(*request, {"securityGroupRuleIds"}), "securityGroupRuleId")) {
    parts.push_back(id);
  }
  if (parts.empty()) {
    // Anything else: the first few scalar parameters.
    for (const auto& [key, value] : request->items()) {
      if (parts.size() >= 3) break;
      if (value.is_primitive() && !value.is_null()) parts.push_back(key + "=" + text_of(&value));
    }
  }
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? " " : "") + parts[i];
  return out;
}

std::string clip(std::string text, std::size_t width) {
  if (text.size() <= width) return text;
  std::size_t cut = width - 1;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  return text.substr(0, cut) + "~";
}

std::string column(const std::string& text, std::size_t width) {
  std::string out = clip(text, width);
  if (out.size() < width) out.append(width - out.size(), ' ');
  return out;
}

}  // namespace

void append_compact_json(std::string& out, std::string_view text) {
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      out += c;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
      out += c;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      out += c;
    }
  }
}

void format_jsonl(std::string& out, const Hit& hit, const FilterSet& filters, std::string_view extra_members) {
  out += "{\"event\":";
  const std::string_view text = hit.record.text;
  const bool json_text = !text.empty() && (text.front() == '{' ? hit.subject.json_object() != nullptr
                                                               : false);
  if (json_text) {
    if (text.find_first_of("\n\r") == std::string_view::npos) {
      // Already one line; only leading and trailing space would need trimming.
      out += text;
    } else {
      append_compact_json(out, text);
    }
  } else {
    append_json_string(out, text);  // not a JSON object: the message as a string
  }
  out += ",\"filters\":[";
  for (std::size_t i = 0; i < hit.filters.size(); ++i) {
    if (i) out += ',';
    append_json_string(out, filters.filters()[hit.filters[i]].name);
  }
  out += "],\"source\":{\"path\":";
  append_json_string(out, hit.input.path);
  out += fmt::format(",\"offset\":{}}}", hit.record.offset);
  out += extra_members;
  out += "}\n";
}

EventSummary summarize_event(std::string_view record) {
  EventSummary s;
  json event = json::parse(record, nullptr, false);
  if (event.is_discarded() || !event.is_object()) {
    s.details = std::string(record.substr(0, 200));
    return s;
  }
  s.time = text_of(at(event, {"eventTime"}));
  s.account = text_of(at(event, {"recipientAccountId"}));
  if (s.account.empty()) s.account = text_of(at(event, {"userIdentity", "accountId"}));
  s.region = text_of(at(event, {"awsRegion"}));
  s.event = text_of(at(event, {"eventName"}));
  s.actor = actor_of(event);
  s.source_ip = text_of(at(event, {"sourceIPAddress"}));
  s.details = details_of(event);
  s.error = text_of(at(event, {"errorCode"}));
  return s;
}

namespace {
constexpr std::size_t kTime = 20, kAccount = 12, kRegion = 14, kEvent = 30, kActor = 40,
                      kIp = 15, kDetails = 60, kError = 24, kSeverity = 8;
}

std::string table_header(const TableStyle& style) {
  std::string line = column("TIME", kTime) + "  " + column("ACCOUNT", kAccount) + "  " +
                     column("REGION", kRegion) + "  " + column("EVENT", kEvent) + "  " +
                     column("ACTOR", kActor) + "  " + column("SOURCE IP", kIp) + "  " +
                     column("DETAILS", kDetails) + "  " + column("ERROR", kError) + "  " +
                     column("SEVERITY", kSeverity) + "  FILTERS  REASON";
  if (style.colour) return "\x1b[1m" + line + "\x1b[0m\n";
  return line + "\n";
}

void format_table_row(std::string& out, const Hit& hit, const FilterSet& filters,
                      const TableStyle& style, const RowExposure& exposure) {
  const EventSummary s = summarize_event(hit.record.text);
  std::string names;
  for (std::size_t i = 0; i < hit.filters.size(); ++i) {
    names += (i ? "," : "") + filters.filters()[hit.filters[i]].name;
  }
  const std::string event = column(s.event, kEvent);
  const std::string error = column(s.error, kError);
  out += column(s.time, kTime) + "  " + column(s.account, kAccount) + "  " +
         column(s.region, kRegion) + "  ";
  out += style.colour ? "\x1b[33m" + event + "\x1b[0m" : event;
  out += "  " + column(s.actor, kActor) + "  " + column(s.source_ip, kIp) + "  " +
         column(s.details, kDetails) + "  ";
  out += style.colour && !s.error.empty() ? "\x1b[31m" + error + "\x1b[0m" : error;
  const std::string severity = column(exposure.severity.empty() ? "-" : exposure.severity, kSeverity);
  const bool loud = exposure.severity == "critical" || exposure.severity == "high";
  out += "  ";
  out += style.colour && loud ? "\x1b[31m" + severity + "\x1b[0m" : severity;
  out += "  " + names;
  if (!exposure.reason.empty()) out += "  " + exposure.reason;
  out += "\n";
}

}  // namespace sgwatch::scan
