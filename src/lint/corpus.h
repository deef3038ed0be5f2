// The corpus of `sgwatch lint-pattern`: representative CloudTrail records for every API in scope
// (the APIs of the sg-all pack, which lists ../shared/spec/security-group-events.md) in many
// variants — outcome, identity, region, event version, request shape — followed by near misses
// (records no security-group monitor should need: reads, look-alike names, other CIS areas,
// in-scope API names that change no group). Built from templates.h; nothing is read at run
// time. Neighbours: coverage.h evaluates filters over it; docs/lint.md describes it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace sgwatch::lint {

enum class Outcome { kSuccess, kFailed, kDryRun };
std::string_view outcome_name(Outcome outcome);

struct CorpusEvent {
  std::string api;           // the in-scope API (as sg-all names it); empty for a near miss
  std::string variant;       // "success", "failed", "dry-run", "root", "ipv6", ... (near miss: what it is)
  std::string event_source;  // as logged
  std::string event_name;    // as logged
  Outcome outcome = Outcome::kSuccess;
  std::string text;          // the record as a metric filter sees it: compact JSON, CloudTrail key order
};

struct Corpus {
  std::vector<std::string> apis;    // in scope, in sg-all's order
  std::vector<CorpusEvent> events;  // each API's variants ("success" first), API by API; then near misses
  // Index into `events` of each API's "success" variant (parallel to `apis`).
  std::vector<std::size_t> success_index;
};

// The API of an sg-all filter name ("sg-RunInstances" -> "RunInstances").
std::string api_of_filter(std::string_view filter_name);

// The APIs in scope: the sg-all pack's filters, in order.
std::vector<std::string> apis_in_scope();

// Builds the corpus. Fails (naming the API) only when an API of sg-all has no template — a
// programming error that the unit tests rule out.
core::Result<Corpus, std::string> build_corpus();

// The corpus built once per process (thread-safe), or the reason it cannot be built.
const core::Result<Corpus, std::string>& corpus();

}  // namespace sgwatch::lint
