// Implementation of subject.h.
#include "pattern/subject.h"

#include "core/text.h"

namespace sgwatch::pattern {
namespace {

bool is_separator(char c) { return c == ' ' || c == '\t'; }

}  // namespace

void Subject::reset(std::string_view message) {
  message_ = message;
  json_done_ = false;
  json_ok_ = false;
  fields_done_ = false;
}

const JsonTree* Subject::json_object() {
  if (!json_done_) {
    json_done_ = true;
    // Cheap rejection before parsing: an object starts with '{' after optional whitespace.
    std::size_t i = message_.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;
    while (i < message_.size() && (message_[i] == ' ' || message_[i] == '\t' ||
                                   message_[i] == '\r' || message_[i] == '\n')) {
      ++i;
    }
    json_ok_ = i < message_.size() && message_[i] == '{' && json_.parse(message_) &&
               json_[0].type == JsonType::kObject;
  }
  return json_ok_ ? &json_ : nullptr;
}

const std::vector<DelimitedField>& Subject::fields() {
  if (!fields_done_) {
    fields_done_ = true;
    split_fields(message_, fields_);
  }
  return fields_;
}

void split_fields(std::string_view message, std::vector<DelimitedField>& out) {
  out.clear();
  std::size_t i = 0;
  // A line break (or other whitespace) at the end of the event belongs to no field, so that
  // "x y\n" splits like "x y" whether the last entry takes one field or the rest.
  std::size_t n = message.size();
  while (n > 0 && core::is_pattern_space(message[n - 1])) --n;
  while (true) {
    while (i < n && is_separator(message[i])) ++i;
    if (i >= n) return;
    const std::size_t begin = i;
    const char open = message[i];
    if (open == '"' || open == '[') {
      const char close = open == '"' ? '"' : ']';
      const std::size_t end = message.find(close, i + 1);
      if (end != std::string_view::npos) {
        out.push_back(DelimitedField{message.substr(i + 1, end - i - 1), begin});
        i = end + 1;
        continue;
      }
      // No closing character: the opening one is ordinary text (spec 6.2 rule 5).
    }
    while (i < n && !is_separator(message[i])) ++i;
    out.push_back(DelimitedField{message.substr(begin, i - begin), begin});
  }
}

}  // namespace sgwatch::pattern
