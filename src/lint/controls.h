// The semantic verdict `sgwatch audit` uses to decide whether a metric filter configured in an
// AWS account implements a CIS section-4 control (4.1-4.15): the user's pattern and the
// control's reference pattern (the rules packs cis-v3 / cis-v5) run with the real matcher over
// the control's event set — static records of what the control means to catch (required), what
// a tuned filter may drop (optional) and what the reference does not match (near misses; see
// control_events.h) — plus probes derived from both patterns' conditions (probes.h). Never a
// comparison of text. Neighbours: coverage.h (Verdict, compare), docs/lint.md.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "lint/coverage.h"
#include "pattern/matcher.h"

namespace sgwatch::lint {

enum class Benchmark { kCisV3, kCisV5 };
// "cis-v3" / "cis-v5" (the rules packs of the same names).
std::string_view benchmark_name(Benchmark benchmark);

struct ControlInfo {
  std::string id;     // "4.1" .. "4.15"
  std::string title;  // the benchmark's, e.g. "Ensure security group changes are monitored"
  // The rules pack filter with the control's CIS pattern, e.g. "cis-v3-4.10".
  std::string reference_filter;
};

// The metric-filter controls 4.1-4.15 in order (4.16, Security Hub enabled, has no filter).
const std::vector<ControlInfo>& metric_controls(Benchmark benchmark);

struct ControlEvent {
  std::string description;  // "AuthorizeSecurityGroupIngress by an assumed role in eu-west-1"
  std::string text;         // the compact CloudTrail JSON record
};

struct ExtraCondition {
  // The user's condition(s) that exclude events the reference matches, as the pattern writes
  // them: "$.userIdentity.arn != \"arn:aws:iam::111122223333:role/deployer\"" (several joined
  // with " && "); for a pattern that is not JSON, the whole pattern.
  std::string condition;
  // An event the reference matches that the user's filter misses because of it (preferably the
  // record with just that condition's field changed).
  ControlEvent example;
};

struct ControlVerdict {
  std::string control;  // "4.10"
  // Over every evaluated event (static records and probes): equivalent / stricter / broader /
  // partial / never-matches, as lint::compare decides.
  Verdict verdict = Verdict::kNeverMatches;
  bool covers_required = false;  // every REQUIRED event is matched
  // Required events the user's filter misses (the counter-examples), at most three per event name.
  std::vector<ControlEvent> missed_required;
  // For stricter / partial: the user's conditions that exclude events the reference matches.
  std::vector<ExtraCondition> extra_conditions;
  // For broader / partial: examples the user matches that the reference does not.
  std::vector<ControlEvent> extra_matches;
  // "<selector>: <reason>" for conditions no probe could fully exercise.
  std::vector<std::string> skipped_probes;
  std::size_t evaluated = 0;
  std::size_t user_matches = 0;
  std::size_t reference_matches = 0;
};

// Evaluates the user's pattern text for `control` ("4.10") of `benchmark`. Errors: an unknown
// control, a pattern that does not compile (the engine's message), or built-in data that cannot
// be built (a programming error the unit tests rule out).
core::Result<ControlVerdict, std::string> evaluate_control(Benchmark benchmark,
                                                           std::string_view control,
                                                           std::string_view user_pattern);
// The same for an already compiled pattern.
core::Result<ControlVerdict, std::string> evaluate_control(Benchmark benchmark,
                                                           std::string_view control,
                                                           const pattern::Matcher& user);

// The verdict of one pattern for every control 4.1-4.15, in order.
core::Result<std::vector<ControlVerdict>, std::string> evaluate_controls(
    Benchmark benchmark, std::string_view user_pattern);
core::Result<std::vector<ControlVerdict>, std::string> evaluate_controls(
    Benchmark benchmark, const pattern::Matcher& user);

// Which controls a pattern implements: the ids of the controls for which covers_required holds,
// in control order (used to find "the filter for 4.x" among all filters of a log group; a
// match-all pattern covers every control, so callers that want the closest filter prefer
// equivalent and stricter verdicts over broader ones).
core::Result<std::vector<std::string>, std::string> controls_covered(Benchmark benchmark,
                                                                     std::string_view user_pattern);

}  // namespace sgwatch::lint
