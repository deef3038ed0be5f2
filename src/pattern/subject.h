// Subject: one log event message as the matchers see it, with its JSON tree and its
// space-delimited fields computed lazily, at most once, and shared by every pattern applied to
// the event. A Subject is scratch space for one thread: reuse it across events (reset) so that
// its buffers are reused. Neighbours: matcher.h and metric_filter.h read it.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

#include "pattern/json_tree.h"

namespace sgwatch::pattern {

// One field of a space-delimited event: its value (quotes or brackets removed) and where its raw
// text starts in the message.
struct DelimitedField {
  std::string_view value;
  std::size_t raw_begin = 0;
};

class Subject {
 public:
  Subject() = default;
  explicit Subject(std::string_view message) : message_(message) {}
  Subject(const Subject&) = delete;
  Subject& operator=(const Subject&) = delete;

  // Points the subject at another message; the caller keeps `message` alive while it is used.
  void reset(std::string_view message);

  std::string_view message() const { return message_; }

  // The message as a JSON object tree, or nullptr when the message is not JSON or its top level
  // is not an object (no JSON pattern matches such a message).
  const JsonTree* json_object();

  // The message split into fields by spaces and tabs; "..." and [...] are single fields.
  const std::vector<DelimitedField>& fields();

 private:
  std::string_view message_;
  bool json_done_ = false;
  bool json_ok_ = false;
  bool fields_done_ = false;
  JsonTree json_;
  std::vector<DelimitedField> fields_;
};

// Splits `message` into fields (spec section 6.2); exposed for tests.
void split_fields(std::string_view message, std::vector<DelimitedField>& out);

}  // namespace sgwatch::pattern
