#include "notify/delivery.h"

#include <array>
#include <nlohmann/json.hpp>

#include "notify/json_text.h"

namespace sgwatch::notify {

namespace {

constexpr std::array<std::pair<DeliveryKind, std::string_view>, 6> kKinds{{
    {DeliveryKind::kHttp, "http"},
    {DeliveryKind::kMail, "mail"},
    {DeliveryKind::kSms, "sms"},
    {DeliveryKind::kFile, "file"},
    {DeliveryKind::kStdout, "stdout"},
    {DeliveryKind::kSns, "sns"},
}};

Error bad_payload(std::string_view why) {
  return Error{"InvalidParameter", "outbox payload is not a delivery: " + std::string(why)};
}

// The string member `name`, or an error naming it.
core::Result<std::string, Error> string_member(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end() || !it->is_string()) {
    return core::unexpected(bad_payload(std::string("member \"") + name + "\" is missing or not a string"));
  }
  return it->get<std::string>();
}

}  // namespace

std::string_view delivery_kind_name(DeliveryKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "http";
}

std::optional<DeliveryKind> parse_delivery_kind(std::string_view name) {
  for (const auto& [kind, n] : kKinds) {
    if (n == name) return kind;
  }
  return std::nullopt;
}

std::string encode_delivery(const RenderedDelivery& d) {
  nlohmann::ordered_json out;
  out["kind"] = delivery_kind_name(d.kind);
  out["messageId"] = valid_utf8(d.message_id);
  switch (d.kind) {
    case DeliveryKind::kHttp: {
      out["url"] = valid_utf8(d.url);
      nlohmann::ordered_json headers = nlohmann::ordered_json::array();
      for (const auto& [name, value] : d.headers) {
        headers.push_back(nlohmann::ordered_json::array({valid_utf8(name), valid_utf8(value)}));
      }
      out["headers"] = std::move(headers);
      out["body"] = valid_utf8(d.body);
      break;
    }
    case DeliveryKind::kMail:
      out["mailFrom"] = valid_utf8(d.mail_from);
      out["rcptTo"] = valid_utf8(d.rcpt_to);
      out["data"] = valid_utf8(d.data);
      break;
    case DeliveryKind::kSms:
      out["phone"] = valid_utf8(d.phone);
      out["text"] = valid_utf8(d.text);
      break;
    case DeliveryKind::kFile:
      out["path"] = valid_utf8(d.path);
      out["line"] = valid_utf8(d.line);
      break;
    case DeliveryKind::kStdout:
      out["line"] = valid_utf8(d.line);
      break;
    case DeliveryKind::kSns:
      out["topicArn"] = valid_utf8(d.topic_arn);
      if (d.subject) out["subject"] = valid_utf8(*d.subject);
      out["message"] = valid_utf8(d.message);
      out["messageStructure"] = valid_utf8(d.message_structure);
      break;
  }
  std::string text;
  append_json(text, out);
  return text;
}

core::Result<RenderedDelivery, Error> decode_delivery(std::string_view payload) {
  const auto depth = json_depth(payload);
  if (!depth || *depth > 3) return core::unexpected(bad_payload("not a flat JSON object"));
  const auto json = nlohmann::json::parse(payload, nullptr, false);
  if (json.is_discarded() || !json.is_object()) return core::unexpected(bad_payload("not a JSON object"));
  RenderedDelivery d;
  auto kind_name = string_member(json, "kind");
  if (!kind_name) return core::unexpected(kind_name.error());
  const auto kind = parse_delivery_kind(*kind_name);
  if (!kind) return core::unexpected(bad_payload("unknown kind \"" + *kind_name + "\""));
  d.kind = *kind;
  auto message_id = string_member(json, "messageId");
  if (!message_id) return core::unexpected(message_id.error());
  d.message_id = std::move(*message_id);

  // Reads each named string member into its field; the first missing one is the error.
  const auto read = [&json](std::initializer_list<std::pair<const char*, std::string*>> members)
      -> core::Result<void, Error> {
    for (const auto& [name, field] : members) {
      auto value = string_member(json, name);
      if (!value) return core::unexpected(value.error());
      *field = std::move(*value);
    }
    return {};
  };
  core::Result<void, Error> ok;
  switch (d.kind) {
    case DeliveryKind::kHttp: {
      ok = read({{"url", &d.url}, {"body", &d.body}});
      if (!ok) return core::unexpected(ok.error());
      const auto headers = json.find("headers");
      if (headers == json.end() || !headers->is_array()) {
        return core::unexpected(bad_payload("member \"headers\" is missing or not an array"));
      }
      for (const auto& header : *headers) {
        if (!header.is_array() || header.size() != 2 || !header[0].is_string() || !header[1].is_string()) {
          return core::unexpected(bad_payload("a header is not a [name, value] pair of strings"));
        }
        d.headers.emplace_back(header[0].get<std::string>(), header[1].get<std::string>());
      }
      break;
    }
    case DeliveryKind::kMail:
      ok = read({{"mailFrom", &d.mail_from}, {"rcptTo", &d.rcpt_to}, {"data", &d.data}});
      break;
    case DeliveryKind::kSms:
      ok = read({{"phone", &d.phone}, {"text", &d.text}});
      break;
    case DeliveryKind::kFile:
      ok = read({{"path", &d.path}, {"line", &d.line}});
      break;
    case DeliveryKind::kStdout:
      ok = read({{"line", &d.line}});
      break;
    case DeliveryKind::kSns: {
      ok = read({{"topicArn", &d.topic_arn}, {"message", &d.message}, {"messageStructure", &d.message_structure}});
      const auto subject = json.find("subject");
      if (subject != json.end()) {
        if (!subject->is_string()) return core::unexpected(bad_payload("member \"subject\" is not a string"));
        d.subject = subject->get<std::string>();
      }
      break;
    }
  }
  if (!ok) return core::unexpected(ok.error());
  return d;
}

std::string redact_url(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    // Not a URL: show no more than a scheme-less host could reveal.
    const auto cut = url.find_first_of("/?#");
    return std::string(url.substr(0, cut)) + (cut == std::string_view::npos ? "" : "/…");
  }
  const std::string_view scheme = url.substr(0, scheme_end);
  std::string_view rest = url.substr(scheme_end + 3);
  const auto authority_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, authority_end);
  const std::string_view tail = authority_end == std::string_view::npos ? std::string_view{} : rest.substr(authority_end);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  std::string out(scheme);
  out += "://";
  out += authority;
  // Paths and queries can carry tokens (webhook URLs, signed links): never shown.
  if (!tail.empty() && tail != "/") out += "/…";
  return out;
}

}  // namespace sgwatch::notify
