// Publish with MessageStructure=json (spec 3): the Message is a JSON object of strings with a
// "default" key; other keys name protocols and override "default" for them. This reads such a
// message and picks the text each protocol is sent. Neighbours: alarm_message (which writes
// one), http_envelope and email_message (which deliver the chosen text).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "notify/error.h"

namespace sgwatch::notify {

// The protocols a structured message may address (spec 3); other keys are ignored.
bool is_message_protocol(std::string_view key);

struct StructuredMessage {
  std::string default_message;
  std::vector<std::pair<std::string, std::string>> overrides;  // protocol -> text, in input order

  // The text for `protocol`: its override when present, else the default.
  const std::string& for_protocol(std::string_view protocol) const;
};

// InvalidParameter errors with SNS's messages: not JSON (or nested deeper than a flat message
// could need), not an object, no string "default". Non-string values and unknown keys are
// ignored; a repeated key keeps its last value.
core::Result<StructuredMessage, Error> parse_message_structure(std::string_view message);

}  // namespace sgwatch::notify
