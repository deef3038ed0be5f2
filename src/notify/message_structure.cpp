// Implementation of message_structure.h.
#include "notify/message_structure.h"

#include <array>
#include <nlohmann/json.hpp>

#include "notify/json_text.h"

namespace sgwatch::notify {
namespace {

// A structured message is one object of strings; deeper nesting only costs parser stack.
constexpr std::size_t kMaxDepth = 64;

constexpr std::array<std::string_view, 9> kProtocols = {
    "email", "email-json", "http", "https", "sms", "sqs", "lambda", "firehose", "application"};

Error invalid(std::string_view what) {
  return Error{"InvalidParameter", "Invalid parameter: Message Structure - " + std::string(what)};
}

}  // namespace

bool is_message_protocol(std::string_view key) {
  for (const std::string_view protocol : kProtocols) {
    if (protocol == key) return true;
  }
  return false;
}

const std::string& StructuredMessage::for_protocol(std::string_view protocol) const {
  for (const auto& [key, text] : overrides) {
    if (key == protocol) return text;
  }
  return default_message;
}

core::Result<StructuredMessage, Error> parse_message_structure(std::string_view message) {
  const auto depth = json_depth(message);
  if (!depth || *depth > kMaxDepth) {
    return core::unexpected(invalid("JSON message body failed to parse"));
  }
  // The parser stores a repeated key once, with its last value.
  const auto parsed = nlohmann::ordered_json::parse(message, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return core::unexpected(invalid("JSON message body failed to parse"));
  if (!parsed.is_object()) return core::unexpected(invalid("JSON message body failed to parse"));
  StructuredMessage result;
  bool has_default = false;
  for (const auto& [key, value] : parsed.items()) {
    if (!value.is_string()) continue;
    const auto& text = value.get_ref<const std::string&>();
    if (key == "default") {
      result.default_message = text;
      has_default = true;
    } else if (is_message_protocol(key)) {
      result.overrides.emplace_back(key, text);
    }
  }
  if (!has_default) return core::unexpected(invalid("No default entry in JSON message body"));
  return result;
}

}  // namespace sgwatch::notify
