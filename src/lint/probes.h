// Probes: variants of a control's required records that exercise the conditions of a JSON
// filter pattern. For every condition (selector, operator, value) of a pattern's AST the field
// is set to the value the condition tests (a wildcard '*' filled with nothing and with "X"),
// numbers also to value±1, IS NULL to null, IS TRUE/FALSE to true/false, NOT EXISTS removes
// the field; every selector also gets one unrelated value. Containers on the way ([*], .*,
// [n]) are built as needed. This is what lets a tuned filter's extra condition (an excluded
// role, region or error code) show up as a named difference. Neighbours: controls.cpp applies
// probes of the user's and the reference's patterns to control_events.h's records.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "pattern/ast.h"

namespace sgwatch::lint {

enum class ProbeAction { kSet, kRemove };

struct Probe {
  std::string key;       // equal for probes that make the same change (canonical selector + change)
  std::string selector;  // canonical selector, e.g. "$.userIdentity.arn"
  std::vector<pattern::Segment> path;
  ProbeAction action = ProbeAction::kSet;
  std::string value_json;  // kSet: the JSON value written, e.g.
                           // "\"arn:aws:iam::111122223333:role/deployer\""
  std::string label;       // "$.userIdentity.arn = \"arn:...\"", "$.errorCode removed"
};

struct ProbeSet {
  std::vector<Probe> probes;
  std::vector<std::string> skipped;  // "<selector>: <reason>" for changes no record can carry
};

// The unrelated value every selector is also set to.
inline constexpr std::string_view kOtherValue = "sgwatch-other-value";

// The probes that exercise every condition of a JSON pattern (none for other kinds), in the
// order of the conditions, without duplicates.
ProbeSet probes_for(const pattern::Ast& ast);

// One condition as a filter pattern writes it: `$.a.b != "x"`, `$.c NOT EXISTS`, `$.n > 5`.
std::string condition_text(const pattern::JsonCondition& condition);
// Equal for conditions that mean the same (canonical selector, operator, value; quotes ignored).
std::string condition_key(const pattern::JsonCondition& condition);

// A record parsed once so that many probes can be applied to it.
class ProbeBase {
 public:
  // Fails when `record` is not a JSON object.
  static core::Result<ProbeBase, std::string> parse(std::string_view record);
  ~ProbeBase();
  ProbeBase(ProbeBase&&) noexcept;
  ProbeBase& operator=(ProbeBase&&) noexcept;

  // The record with the probe applied (top-level keys kept in CloudTrail's order) and
  // `event_id` as its eventID; nullopt when the probe changes nothing. Thread-safe (const).
  std::optional<std::string> apply(const Probe& probe, std::string_view event_id) const;

 private:
  struct Impl;
  explicit ProbeBase(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace sgwatch::lint
