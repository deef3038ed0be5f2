// The regular-expression dialect of filter patterns (spec section 4): validation against AWS's
// character whitelist and grammar, translation to RE2 syntax, and a linear-time compiled form.
// Neighbours: checker.cpp validates with it, matcher.cpp searches with it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "pattern/error.h"

namespace re2 {
class RE2;
}

namespace sgwatch::pattern {

// Largest repetition count accepted in {m,n}; RE2's own limit, and enough for real patterns.
inline constexpr int kMaxRegexRepeat = 1000;

// Checks `body` (the text between the two '%') and returns the equivalent RE2 expression.
// `position` is the byte offset of the opening '%' in the pattern, for error reports.
core::Result<std::string, Error> translate_regex(std::string_view body, std::size_t position);

// An immutable compiled regex; search() is an unanchored search, safe from any thread.
class Regex {
 public:
  static core::Result<Regex, Error> compile(std::string_view body, std::size_t position);
  bool search(std::string_view text) const;
  const std::string& body() const { return body_; }

 private:
  std::string body_;
  std::shared_ptr<const re2::RE2> re_;  // immutable; shared between copies of a Matcher
};

}  // namespace sgwatch::pattern
