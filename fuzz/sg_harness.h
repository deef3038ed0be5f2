// Fuzz harness for sg::normalize, shared by fuzz_sg and the regression replay in
// tests/regress/fuzz_regress_test.cpp. The input is one CloudTrail record's text. Invariants:
// normalize never throws or crashes; a security-group result holds at least one change; a
// flagged change has a reason and keeps the input as raw; a failed or dry-run call is info;
// every change renders to JSON and text; the same input gives the same JSON twice.
#pragma once

#include <exception>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "sg/sg.h"

namespace sgwatch::fuzz {

using Violation = std::optional<std::string>;

namespace detail {

inline std::string rendered(const sg::NormalizeResult& result) {
  if (!result.ok()) return "not-sg: " + result.error().reason;
  std::string out;
  for (const sg::Change& change : *result) {
    out += sg::to_json(change).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    out += '\n';
  }
  return out;
}

}  // namespace detail

inline Violation run_sg(std::string_view data) {
  try {
    const sg::NormalizeResult result = sg::normalize(data);
    if (!result.ok()) {
      if (result.error().reason.empty()) return std::string("not a security-group event without a reason");
      return std::nullopt;
    }
    if (result->empty()) return std::string("a security-group result without changes");
    for (const sg::Change& change : *result) {
      if (change.unknown_shape && change.unknown_reason.empty()) return std::string("flagged without a reason");
      if (change.unknown_shape && change.raw != data) return std::string("flagged without the record kept raw");
      if (!change.succeeded() && change.severity != sg::Severity::kInfo) {
        return std::string("a failed or dry-run call rated above info");
      }
      if (change.reason.empty()) return std::string("a change without a reason");
      for (const sg::RuleChange& rule : change.rules) {
        if (rule.reason.empty()) return std::string("a rule change without a reason");
        if (rule.severity > change.severity) return std::string("a rule rated above its change");
      }
      if (sg::change_text(change).empty()) return std::string("empty text rendering");
    }
    if (detail::rendered(result) != detail::rendered(sg::normalize(data))) {
      return std::string("two runs on the same input disagree");
    }
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace sgwatch::fuzz
