// Matcher: a compiled, immutable, thread-safe filter pattern. Matcher::compile runs every stage
// (parse -> check -> compile); matches() evaluates one event exactly as CloudWatch Logs does.
// Copies share the compiled program. Neighbours: parser.h and checker.h before it; subject.h is
// the event it reads; metric_filter.h builds on it; the CLI, scan and API use it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "pattern/ast.h"
#include "pattern/error.h"
#include "pattern/subject.h"

namespace sgwatch::pattern {

// extractedValues as TestMetricFilter returns them: ("$name" or "$3", value), in field order.
using ExtractedValues = std::vector<std::pair<std::string, std::string>>;

// Literals for a fast pre-check over raw bytes. When `any_of` is set, every message the pattern
// matches contains at least one of its strings (for JSON patterns the set includes "\u", which
// stands for any JSON escape that could hide a literal). When unset, no such set exists.
// `core` is a substring shared by every literal of `any_of` other than "\u" (empty when there is
// none worth using): may_match() looks for it in one pass before trying the literals one by one.
struct Prefilter {
  std::optional<std::vector<std::string>> any_of;
  std::string core;
  bool may_match(std::string_view message) const { return may_match(message, true); }
  // With `may_have_escapes` false the caller knows the message holds no backslash in a JSON
  // string, so the "\u" alternative need not be searched for.
  bool may_match(std::string_view message, bool may_have_escapes) const;
};

class Matcher {
 public:
  static core::Result<Matcher, Error> compile(std::string_view pattern);

  PatternKind kind() const;
  const std::string& text() const;
  const Ast& ast() const;
  const Prefilter& prefilter() const;

  bool matches(Subject& subject) const { return match(subject, nullptr); }
  // Convenience for one-off use; uses a per-thread Subject.
  bool matches(std::string_view message) const;
  // Matches and, when `extracted` is given and the pattern is space-delimited, fills in the
  // extracted values (cleared first; left empty for other kinds).
  bool match(Subject& subject, ExtractedValues* extracted) const;

  struct Program;

 private:
  explicit Matcher(std::shared_ptr<const Program> program) : program_(std::move(program)) {}
  std::shared_ptr<const Program> program_;  // immutable, shared by copies and threads
};

}  // namespace sgwatch::pattern
