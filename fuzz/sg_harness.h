// Fuzz harness for sg::normalize, the live state and the baseline reader, shared by fuzz_sg and
// the regression replay in tests/regress/fuzz_regress_test.cpp. The input is one CloudTrail
// record's text, and the same bytes as a describe-security-groups document. Invariants:
// normalize never throws or crashes; a security-group result holds at least one change; a
// flagged change has a reason and keeps the input as raw; a failed or dry-run call is info;
// every change renders to JSON and text; the same input gives the same JSON twice; applying a
// change to a new group's state changes it only when changes_group_state() says so, and the
// state it gives survives its own JSON; parse_baseline either gives groups whose JSON reads back, or an
// error with where and why.
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
    if (result.ok()) {
      for (const sg::Change& change : *result) {
        const sg::ApplyResult applied = sg::apply(sg::unknown_group(change), change);
        if (applied.applied != sg::changes_group_state(change)) {
          return std::string("apply() and changes_group_state() disagree");
        }
        if (!applied.applied && !applied.diff.empty()) return std::string("a diff from a change not applied");
        if (!applied.applied) continue;
        const auto round = sg::state_from_json(nlohmann::json::parse(sg::state_to_json(applied.state).dump()));
        if (!round) return std::string("a state that does not read back: ") + round.error();
      }
    }
    const auto baseline = sg::parse_baseline(data);
    if (!baseline) {
      if (baseline.error().why.empty()) return std::string("a baseline error without a reason");
    } else {
      for (const sg::GroupState& group : baseline->groups) {
        const auto round = sg::state_from_json(nlohmann::json::parse(sg::state_to_json(group).dump()));
        if (!round) return std::string("an imported group that does not read back: ") + round.error();
      }
    }
  } catch (const std::exception& e) {
    return std::string("exception: ") + e.what();
  }
  return std::nullopt;
}

}  // namespace sgwatch::fuzz
