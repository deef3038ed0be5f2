// The evaluation of `sgwatch lint-pattern`: one or more compiled filters (a pattern, or every
// filter of a describe-metric-filters file) run with the real matcher over the corpus of
// corpus.h. Coverage per API (the filters match its "success" variant), the variants each API
// loses, and a verdict per CIS profile from the match sets over the whole corpus (a semantic
// comparison relative to the corpus, never a comparison of text). Neighbours: corpus.h, the
// pattern module's Matcher, scan/filters.h (the --filters reader); docs/lint.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "lint/corpus.h"
#include "pattern/pattern.h"
#include "scan/filters.h"

namespace sgwatch::lint {

enum class Verdict { kEquivalent, kStricter, kBroader, kPartial, kNeverMatches };
std::string_view verdict_name(Verdict verdict);

// The verdict for two match sets over the same events (`user[i]`: the user's filters match event i).
// never-matches: the user's set is empty; equivalent: equal; stricter: a strict subset;
// broader: a strict superset; partial: neither contains the other (overlapping or disjoint).
Verdict compare(const std::vector<bool>& user, const std::vector<bool>& profile);

// The built-in profiles a lint compares with, in report order.
inline constexpr std::string_view kProfiles[] = {"cis-v3-4.10", "cis-v5-4.10"};

struct VariantGap {
  std::string variant;
  const CorpusEvent* event = nullptr;  // the missed record (owned by corpus())
};

struct ApiCoverage {
  std::string api;
  bool covered = false;                  // the filters match the API's "success" variant
  const CorpusEvent* example = nullptr;  // when not covered: that success variant (the counter-example)
  std::vector<VariantGap> missed;        // every variant of the API the filters do not match
};

struct ProfileVerdict {
  std::string profile;
  Verdict verdict = Verdict::kNeverMatches;
  std::size_t user_matches = 0;     // corpus records the user's filters match
  std::size_t profile_matches = 0;  // ... the profile's filter matches
  std::size_t common = 0;           // ... both match
};

struct Report {
  std::vector<ApiCoverage> apis;         // in sg-all's order
  std::vector<ProfileVerdict> profiles;  // in kProfiles' order
  bool all_covered() const;
};

// Evaluates `filters` (the set matches a record when any filter does). An empty set is allowed
// (it covers nothing). Fails only when the corpus or a built-in profile cannot be built.
core::Result<Report, std::string> lint(const std::vector<pattern::Matcher>& filters);
// The same for every filter of a scan FilterSet (e.g. read by FilterSet::add_described).
core::Result<Report, std::string> lint(const scan::FilterSet& filters);

// Whether any of `filters` matches `text` (one Subject shared by the filters).
bool any_matches(const std::vector<pattern::Matcher>& filters, std::string_view text);

}  // namespace sgwatch::lint
