// Implementation of alarm_actions.h.
#include "engine/alarm_actions.h"

#include <fmt/format.h>

#include "notify/alert_context.h"

namespace sgwatch::engine {

namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string_view> split_arn(std::string_view arn) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (int i = 0; i < 5; ++i) {
    const auto colon = arn.find(':', start);
    if (colon == std::string_view::npos) break;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  parts.push_back(arn.substr(start));
  return parts;
}

const Json* find_path(const Json& object, std::initializer_list<const char*> path) {
  const Json* at = &object;
  for (const char* key : path) {
    if (!at->is_object()) return nullptr;
    const auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
  }
  return at;
}

std::string string_at(const Json& object, std::initializer_list<const char*> path) {
  const Json* value = find_path(object, path);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

std::string first_of(const Json& object, std::initializer_list<std::initializer_list<const char*>> paths) {
  for (const auto& path : paths) {
    if (auto value = string_at(object, path); !value.empty()) return value;
  }
  return {};
}

// "+ tcp 22 from 0.0.0.0/0" lines for the ipPermissions of an Authorize/Revoke request.
std::vector<std::string> rule_changes(const Json& cause, std::string_view event_name) {
  std::vector<std::string> out;
  const bool revoke = event_name.starts_with("Revoke");
  const bool egress = event_name.find("Egress") != std::string_view::npos;
  const char* sign = revoke ? "-" : "+";
  const char* direction = egress ? "to" : "from";
  const Json* permissions = find_path(cause, {"requestParameters", "ipPermissions", "items"});
  if (permissions == nullptr) permissions = find_path(cause, {"ipPermissions", "items"});
  if (permissions == nullptr || !permissions->is_array() || permissions->empty()) {
    // The older flat form: ipProtocol, fromPort, toPort with cidrIp / cidrIpv6 / a source group.
    const Json* parameters = find_path(cause, {"requestParameters"});
    if (parameters == nullptr || !parameters->is_object()) return out;
    std::string peer = first_of(*parameters, {{"cidrIp"}, {"cidrIpv6"}, {"sourceSecurityGroupName"}});
    if (peer.empty()) return out;
    std::string protocol = string_at(*parameters, {"ipProtocol"});
    if (protocol.empty() || protocol == "-1") protocol = "all";
    std::string ports;
    const auto text_of = [&](const char* key) {
      const auto it = parameters->find(key);
      if (it == parameters->end()) return std::string();
      return it->is_string() ? it->get<std::string>() : it->dump();
    };
    const std::string lo = text_of("fromPort");
    const std::string hi = text_of("toPort");
    if (protocol != "all" && !lo.empty()) ports = " " + (hi.empty() || hi == lo ? lo : lo + "-" + hi);
    out.push_back(fmt::format("{} {}{} {} {}", sign, protocol, ports, direction, peer));
    return out;
  }
  for (const auto& permission : *permissions) {
    if (!permission.is_object()) continue;
    std::string protocol = string_at(permission, {"ipProtocol"});
    if (protocol == "-1") protocol = "all";
    std::string ports;
    const auto from = permission.find("fromPort");
    const auto to = permission.find("toPort");
    if (protocol != "all" && from != permission.end() && from->is_number_integer()) {
      const auto lo = from->get<long long>();
      const auto hi = to != permission.end() && to->is_number_integer() ? to->get<long long>() : lo;
      ports = lo == hi ? fmt::format(" {}", lo) : fmt::format(" {}-{}", lo, hi);
    }
    std::vector<std::string> peers;
    const auto collect = [&](std::initializer_list<const char*> path, const char* key) {
      const Json* items = find_path(permission, path);
      if (items == nullptr || !items->is_array()) return;
      for (const auto& item : *items) {
        if (auto peer = string_at(item, {key}); !peer.empty()) peers.push_back(std::move(peer));
      }
    };
    collect({"ipRanges", "items"}, "cidrIp");
    collect({"ipv6Ranges", "items"}, "cidrIpv6");
    collect({"prefixListIds", "items"}, "prefixListId");
    collect({"groups", "items"}, "groupId");
    if (peers.empty()) peers.emplace_back("(no peer)");
    for (const auto& peer : peers) out.push_back(fmt::format("{} {}{} {} {}", sign, protocol, ports, direction, peer));
  }
  return out;
}

}  // namespace

core::Result<ActionOutcome, std::string> TopicActions::run(std::string_view action_arn,
                                                           const notify::AlarmNotice& notice) {
  const auto parts = split_arn(action_arn);
  if (parts.size() != 6 || parts[0] != "arn" || parts[2] != "sns") {
    return ActionOutcome{std::nullopt,
                         fmt::format("sgwatch runs SNS topic actions only; {} is not an SNS topic", action_arn)};
  }
  if (parts[3] != region_ || parts[4] != account_id_) {
    return ActionOutcome{std::nullopt, fmt::format("the topic {} is not in this sgwatch's region {} and account {}",
                                                   action_arn, region_, account_id_)};
  }
  auto published = topics_.publish_alarm(action_arn, notice);
  if (!published) {
    if (published.error().code == "InternalError") return core::unexpected(published.error().message);
    return ActionOutcome{std::nullopt, published.error().code == "NotFound"
                                           ? fmt::format("Resource not found: topic {} does not exist", action_arn)
                                           : published.error().message};
  }
  return ActionOutcome{published->published_message, std::nullopt};
}

std::optional<nlohmann::ordered_json> causes_context(const std::vector<std::string>& causes) {
  if (causes.empty()) return std::nullopt;
  Json events = Json::array();
  for (const auto& text : causes) {
    if (events.size() >= notify::kMaxListedEvents) break;
    const Json cause = Json::parse(text, nullptr, false);
    if (!cause.is_object()) continue;
    Json event;
    event["eventTime"] = string_at(cause, {"eventTime"});
    const std::string name = string_at(cause, {"eventName"});
    event["eventName"] = name;
    event["actor"] = first_of(cause, {{"actor"}, {"userIdentity", "arn"}, {"userArn"}, {"userIdentity", "principalId"}});
    if (auto type = first_of(cause, {{"actorType"}, {"userIdentity", "type"}, {"userType"}}); !type.empty()) {
      event["actorType"] = type;
    }
    if (auto mfa = first_of(cause, {{"mfaAuthenticated"},
                                    {"userIdentity", "mfaAuthenticated"},
                                    {"userIdentity", "sessionContext", "attributes", "mfaAuthenticated"}});
        !mfa.empty()) {
      event["mfaAuthenticated"] = mfa;
    }
    event["sourceIPAddress"] = string_at(cause, {"sourceIPAddress"});
    if (auto agent = string_at(cause, {"userAgent"}); !agent.empty()) event["userAgent"] = agent;
    if (auto account = first_of(cause, {{"recipientAccountId"}, {"accountId"}}); !account.empty()) {
      event["account"] = account;
    }
    if (auto region = first_of(cause, {{"awsRegion"}, {"region"}}); !region.empty()) event["region"] = region;
    event["groupId"] = first_of(cause, {{"groupId"}, {"requestParameters", "groupId"}, {"groupName"},
                                        {"requestParameters", "groupName"}});
    if (auto error = string_at(cause, {"errorCode"}); !error.empty()) event["errorCode"] = error;
    Json changes = Json::array();
    for (auto& change : rule_changes(cause, name)) changes.push_back(std::move(change));
    if (!changes.empty()) event["ruleChanges"] = std::move(changes);
    // The normalized change (cause_summary's "sg"): severity, reason, what it opened.
    if (const Json* sg = find_path(cause, {"sg"}); sg != nullptr && sg->is_object()) {
      if (auto severity = string_at(*sg, {"severity"}); !severity.empty()) event["severity"] = severity;
      if (auto reason = string_at(*sg, {"reason"}); !reason.empty()) event["reason"] = reason;
      const Json* exposure = find_path(*sg, {"exposure"});
      if (exposure != nullptr && exposure->is_array() && !exposure->empty()) event["exposure"] = *exposure;
    }
    if (auto message = string_at(cause, {"message"}); !message.empty() && name.empty()) event["message"] = message;
    events.push_back(std::move(event));
  }
  Json context;
  context["eventCount"] = causes.size();
  context["events"] = std::move(events);
  return context;
}

}  // namespace sgwatch::engine
