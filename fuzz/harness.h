// The checks behind the libFuzzer targets (fuzz_parse.cpp, fuzz_match.cpp), shared with their
// replay in the ordinary unit tests (tests/regress/fuzz_regress_test.cpp): one input in, every
// invariant checked, the first broken one returned as a sentence. Header-only, so the clang fuzz
// build and the g++ test build each compile it. Input formats: fuzz_parse takes pattern text;
// fuzz_match takes the pattern up to the first '\n' and the event after it.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pattern/pattern.h"

namespace sgwatch::fuzz {

// Empty when every invariant holds; otherwise what went wrong.
using Violation = std::optional<std::string>;

struct MatchInput {
  std::string_view pattern;
  std::string_view event;
};

// fuzz_match's input: the pattern is the first line, the event is everything after it.
inline MatchInput split_match_input(std::string_view input) {
  const std::size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return {input, std::string_view()};
  return {input.substr(0, newline), input.substr(newline + 1)};
}

namespace detail {

inline std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// True when `part` lies inside `whole` (both are views of the same bytes).
inline bool is_view_into(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  const auto begin = reinterpret_cast<std::uintptr_t>(whole.data());
  const auto first = reinterpret_cast<std::uintptr_t>(part.data());
  return first >= begin && first + part.size() <= begin + whole.size();
}

// Feeds arbitrary text to the metric-reference parser of MetricFilter::create, as a metric
// value and as a dimension; only a crash or a sanitizer report can fail here.
inline void exercise_references(std::string_view text) {
  static const auto json = pattern::Matcher::compile("{ $.a = * }");
  if (!json) return;
  pattern::MetricTransformation t;
  t.metric_name = "m";
  t.metric_namespace = "ns";
  t.metric_value = std::string(text);
  t.dimensions = {{"d", std::string(text)}};
  auto filter = pattern::MetricFilter::create(*json, {t});
  if (!filter) (void)filter.error().describe();
}

// The event on its own: its fields are views into it and its JSON tree is well nested.
inline Violation check_subject(std::string_view event) {
  pattern::Subject subject(event);
  for (const pattern::DelimitedField& field : subject.fields()) {
    if (!is_view_into(field.value, event) || field.raw_begin >= event.size()) {
      return "a delimited field lies outside the event";
    }
  }
  if (const pattern::JsonTree* tree = subject.json_object()) {
    if (tree->empty() || (*tree)[0].type != pattern::JsonType::kObject) {
      return "json_object() returned a tree whose root is not an object";
    }
    if ((*tree)[0].end != tree->size()) return "the JSON root does not span the whole tree";
    for (std::uint32_t i = 0; i < tree->size(); ++i) {
      const pattern::JsonNode& node = (*tree)[i];
      if (node.end <= i || node.end > tree->size()) return "a JSON node's end is out of range";
    }
  }
  return std::nullopt;
}

// Value references a metric filter on this pattern could use: the pattern's own selectors and
// field names first, then fixed ones.
inline std::vector<std::string> references_for(const pattern::Matcher& matcher) {
  std::vector<std::string> refs;
  const pattern::Ast& ast = matcher.ast();
  for (const pattern::JsonCondition& condition : ast.conditions) {
    if (refs.size() >= 2) break;
    if (condition.selector.wildcard_count() == 0) refs.push_back(condition.selector.text);
  }
  for (const pattern::DelimitedEntry& entry : ast.entries) {
    if (refs.size() >= 2) break;
    if (!entry.ellipsis) refs.push_back("$" + entry.name);
  }
  for (const char* fixed : {"$.eventName", "$1", "$3", "$.requestParameters.groupId"}) {
    refs.emplace_back(fixed);
  }
  return refs;
}

inline std::vector<pattern::MetricTransformation> transformations_for(
    const pattern::Matcher& matcher) {
  const std::vector<std::string> refs = references_for(matcher);
  std::vector<pattern::MetricTransformation> out;
  auto base = [] {
    pattern::MetricTransformation t;
    t.metric_name = "SecurityGroupEventCount";
    t.metric_namespace = "CISBenchmark";
    return t;
  };
  // A constant with a default: every kind of pattern accepts it.
  pattern::MetricTransformation constant = base();
  constant.metric_value = "1";
  constant.default_value = 0;
  out.push_back(constant);
  // A value read from the event, with two dimensions (JSON and delimited patterns only).
  pattern::MetricTransformation with_dimensions = base();
  with_dimensions.metric_value = refs[0];
  with_dimensions.dimensions = {{"first", refs[0]}, {"second", refs[1]}};
  with_dimensions.unit = "Count";
  out.push_back(with_dimensions);
  // A positional value with a default and no dimensions.
  pattern::MetricTransformation positional = base();
  positional.metric_value = refs[refs.size() - 2];
  positional.default_value = 3.5;
  out.push_back(positional);
  return out;
}

// A JSON pattern's twin without a prefilter: `{ (X) || ($.k = 1 && $.k != 1) }` means what
// `{ X }` means (one value is never both = 1 and != 1), but the contradictory alternative has no
// literal, so the twin's prefilter is unknown and its match() parses every JSON event. Since
// Matcher::match skips JSON parsing when the prefilter rejects, comparing the two is how an
// unsound JSON prefilter shows. Nullopt when the twin does not compile (e.g. too long).
inline std::optional<pattern::Matcher> unfiltered_twin(const pattern::Matcher& matcher) {
  if (matcher.kind() != pattern::PatternKind::kJson) return std::nullopt;
  std::string_view text = matcher.text();
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t' || text.front() == '\r' ||
                           text.front() == '\n')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  if (text.size() < 2 || text.front() != '{' || text.back() != '}') return std::nullopt;
  const std::string twin_text = "{ (" + std::string(text.substr(1, text.size() - 2)) +
                                ") || ($.sgwatch_fuzz = 1 && $.sgwatch_fuzz != 1) }";
  auto twin = pattern::Matcher::compile(twin_text);
  if (!twin || twin->prefilter().any_of) return std::nullopt;
  return std::move(twin).value();
}

// One event against a compiled pattern; `reused` is a Subject that has seen other events.
inline Violation check_event(const pattern::Matcher& matcher,
                             const std::optional<pattern::Matcher>& twin,
                             const std::vector<pattern::MetricFilter>& filters,
                             std::string_view event, pattern::Subject& reused) {
  pattern::Subject subject(event);
  pattern::ExtractedValues extracted;
  const bool hit = matcher.match(subject, &extracted);
  if (hit && !matcher.prefilter().may_match(event)) {
    return "unsound prefilter: the pattern matches an event that prefilter().may_match rejects";
  }
  if (twin) {
    pattern::Subject twin_subject(event);
    const bool twin_hit = twin->match(twin_subject, nullptr);
    if (twin_hit && !matcher.prefilter().may_match(event)) {
      return "unsound JSON prefilter: the unfiltered twin matches an event that "
             "prefilter().may_match rejects";
    }
    if (twin_hit != hit) return "the JSON pattern and its unfiltered twin disagree";
  }
  if (matcher.match(subject, nullptr) != hit) return "a second match on the same Subject differs";
  if (matcher.matches(event) != hit) return "matches(string_view) differs from match(Subject&)";
  const pattern::Matcher copy = matcher;  // NOLINT(performance-unnecessary-copy-initialization)
  pattern::Subject other(event);
  if (copy.matches(other) != hit) return "a copy of the Matcher answers differently";
  reused.reset(event);
  pattern::ExtractedValues again;
  if (matcher.match(reused, &again) != hit) return "a reused Subject answers differently";
  if (again != extracted) return "a reused Subject extracts different values";
  if (!extracted.empty() && (!hit || matcher.kind() != pattern::PatternKind::kDelimited)) {
    return "extracted values from a non-matching or non-delimited pattern";
  }
  if (matcher.kind() == pattern::PatternKind::kMatchAll && !hit) {
    return "a match-all pattern rejected an event";
  }
  if (matcher.kind() == pattern::PatternKind::kJson && hit && subject.json_object() == nullptr) {
    return "a JSON pattern matched an event that is not a JSON object";
  }
  for (const pattern::MetricFilter& filter : filters) {
    pattern::Subject fresh(event);
    pattern::ExtractedValues values;
    const pattern::MetricFilter::Emission emission = filter.evaluate(fresh, &values);
    const pattern::MetricTransformation& t = filter.transformation();
    if (emission.matched != hit) return "MetricFilter::evaluate disagrees with match";
    if (values != extracted) return "MetricFilter::evaluate extracts different values";
    if (emission.dimensions.size() > t.dimensions.size()) return "more dimensions than declared";
    if (emission.value && !std::isfinite(*emission.value)) return "a non-finite metric value";
    if (!hit) {
      if (emission.value != t.default_value) return "a non-matching event did not give defaultValue";
      if (!emission.dimensions.empty()) return "dimensions on a non-matching event";
    } else if (t.metric_value == "1" && emission.value != 1.0) {
      return "the constant metric value 1 was not published for a matching event";
    }
  }
  return std::nullopt;
}

}  // namespace detail

// fuzz_parse: compile the pattern; on success dump it and look at its prefilter.
inline Violation run_parse(std::string_view input) {
  auto compiled = pattern::Matcher::compile(input);
  auto parsed = pattern::parse(input);
  detail::exercise_references(input);
  if (!compiled) {
    const pattern::Error& error = compiled.error();
    if (error.position > input.size()) return "an error position lies past the end of the pattern";
    if (pattern::error_code_name(error.code).empty()) return "an error code without a name";
    (void)error.describe();
    if (parsed) {
      if (auto checked = pattern::check(*parsed)) (void)checked->describe();
      (void)pattern::dump(*parsed);
    }
    return std::nullopt;
  }
  const pattern::Matcher& matcher = *compiled;
  if (!parsed) return "compile accepted a pattern that parse rejects";
  if (pattern::check(*parsed)) return "compile accepted a pattern that check rejects";
  if (parsed->kind != matcher.kind()) return "parse and compile disagree on the pattern kind";
  if (detail::count_code_points(input) > pattern::kMaxPatternLength) {
    return "a pattern longer than 1024 characters was accepted";
  }
  const std::string text = pattern::dump(matcher.ast());
  if (text.empty()) return "dump of a valid pattern is empty";
  if (text != pattern::dump(*parsed)) return "two parses of one pattern dump differently";
  for (const pattern::JsonCondition& condition : matcher.ast().conditions) {
    if (pattern::dump(condition.selector).empty()) return "dump of a selector is empty";
  }
  const pattern::Prefilter& prefilter = matcher.prefilter();
  (void)prefilter.may_match(input);
  (void)prefilter.may_match(text);
  return std::nullopt;
}

// fuzz_match: compile the first line, then match the rest (and each of its lines) as events,
// also through metric filters; a matching event the prefilter would skip is a soundness bug.
inline Violation run_match(std::string_view input) {
  const MatchInput parts = split_match_input(input);
  if (auto violation = detail::check_subject(parts.event)) return violation;
  auto compiled = pattern::Matcher::compile(parts.pattern);
  if (!compiled) return std::nullopt;
  const pattern::Matcher& matcher = *compiled;
  std::vector<pattern::MetricFilter> filters;
  for (pattern::MetricTransformation& t : detail::transformations_for(matcher)) {
    auto filter = pattern::MetricFilter::create(matcher, {std::move(t)});
    if (filter) filters.push_back(std::move(filter).value());
  }
  const std::optional<pattern::Matcher> twin = detail::unfiltered_twin(matcher);
  pattern::Subject reused;
  if (auto violation = detail::check_event(matcher, twin, filters, parts.event, reused)) {
    return violation;
  }
  // Each line of a multi-line event as an event of its own, through the same reused Subject.
  if (parts.event.find('\n') == std::string_view::npos) return std::nullopt;
  std::string_view rest = parts.event;
  for (int lines = 0; lines < 64 && !rest.empty(); ++lines) {
    const std::size_t newline = rest.find('\n');
    const std::string_view line = rest.substr(0, newline);
    if (auto violation = detail::check_event(matcher, twin, filters, line, reused)) {
      return violation;
    }
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  return std::nullopt;
}

}  // namespace sgwatch::fuzz
