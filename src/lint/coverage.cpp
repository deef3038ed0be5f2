// Implementation of coverage.h.
#include "lint/coverage.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "rules/rules.h"

namespace sgwatch::lint {
namespace {

// The match vector of `filters` over every corpus record.
std::vector<bool> match_set(const std::vector<pattern::Matcher>& filters, const Corpus& corpus) {
  std::vector<bool> hits(corpus.events.size(), false);
  pattern::Subject subject;
  for (std::size_t i = 0; i < corpus.events.size(); ++i) {
    subject.reset(corpus.events[i].text);
    for (const auto& filter : filters) {
      if (filter.matches(subject)) {
        hits[i] = true;
        break;
      }
    }
  }
  return hits;
}

core::Result<pattern::Matcher, std::string> profile_matcher(std::string_view profile) {
  for (const auto& pack : rules::packs()) {
    for (const auto& filter : pack.filters) {
      if (filter.name != profile) continue;
      auto matcher = pattern::Matcher::compile(filter.pattern);
      if (!matcher) {
        return core::unexpected(fmt::format("built-in filter {}: {}", profile, matcher.error().describe()));
      }
      return std::move(*matcher);
    }
  }
  return core::unexpected(fmt::format("no built-in filter named {}", profile));
}

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kEquivalent:
      return "equivalent";
    case Verdict::kStricter:
      return "stricter";
    case Verdict::kBroader:
      return "broader";
    case Verdict::kPartial:
      return "partial";
    case Verdict::kNeverMatches:
      return "never-matches";
  }
  return "partial";
}

Verdict compare(const std::vector<bool>& user, const std::vector<bool>& profile) {
  bool user_any = false;
  bool user_only = false;     // some record the user matches and the profile does not
  bool profile_only = false;  // and the other way round
  const std::size_t n = std::min(user.size(), profile.size());
  for (std::size_t i = 0; i < n; ++i) {
    user_any = user_any || user[i];
    user_only = user_only || (user[i] && !profile[i]);
    profile_only = profile_only || (profile[i] && !user[i]);
  }
  if (!user_any) return Verdict::kNeverMatches;
  if (!user_only && !profile_only) return Verdict::kEquivalent;
  if (!user_only) return Verdict::kStricter;
  if (!profile_only) return Verdict::kBroader;
  return Verdict::kPartial;
}

bool Report::all_covered() const {
  for (const auto& api : apis) {
    if (!api.covered) return false;
  }
  return true;
}

bool any_matches(const std::vector<pattern::Matcher>& filters, std::string_view text) {
  pattern::Subject subject(text);
  for (const auto& filter : filters) {
    if (filter.matches(subject)) return true;
  }
  return false;
}

core::Result<Report, std::string> lint(const std::vector<pattern::Matcher>& filters) {
  const auto& built = corpus();
  if (!built) return core::unexpected(built.error());
  const Corpus& c = *built;
  const std::vector<bool> user = match_set(filters, c);

  Report report;
  report.apis.reserve(c.apis.size());
  for (std::size_t a = 0; a < c.apis.size(); ++a) {
    ApiCoverage coverage;
    coverage.api = c.apis[a];
    const std::size_t success = c.success_index[a];
    coverage.covered = user[success];
    if (!coverage.covered) coverage.example = &c.events[success];
    for (std::size_t i = success; i < c.events.size() && c.events[i].api == c.apis[a]; ++i) {
      if (!user[i]) coverage.missed.push_back(VariantGap{c.events[i].variant, &c.events[i]});
    }
    report.apis.push_back(std::move(coverage));
  }

  report.profiles.reserve(std::size(kProfiles));
  for (const std::string_view profile : kProfiles) {
    auto matcher = profile_matcher(profile);
    if (!matcher) return core::unexpected(std::move(matcher).error());
    const std::vector<pattern::Matcher> profile_filters{std::move(*matcher)};
    const std::vector<bool> reference = match_set(profile_filters, c);
    ProfileVerdict verdict;
    verdict.profile = std::string(profile);
    verdict.verdict = compare(user, reference);
    for (std::size_t i = 0; i < user.size(); ++i) {
      verdict.user_matches += user[i] ? 1U : 0U;
      verdict.profile_matches += reference[i] ? 1U : 0U;
      verdict.common += user[i] && reference[i] ? 1U : 0U;
    }
    report.profiles.push_back(std::move(verdict));
  }
  return report;
}

core::Result<Report, std::string> lint(const scan::FilterSet& filters) {
  std::vector<pattern::Matcher> matchers;
  matchers.reserve(filters.filters().size());
  for (const auto& filter : filters.filters()) matchers.push_back(filter.matcher);
  return lint(matchers);
}

}  // namespace sgwatch::lint
