// Implementation of literal_index.h over Hyperscan's literal API (hs_compile_lit_multi, block mode).
#include "scan/literal_index.h"

#include <hs/hs.h>

#include <algorithm>
#include <map>
#include <string>

namespace sgwatch::scan {

struct LiteralIndex::Database {
  hs_database_t* db = nullptr;
  ~Database() {
    if (db != nullptr) hs_free_database(db);
  }
};

LiteralIndex::LiteralIndex(const std::vector<NamedFilter>& filters) : filters_(filters) {
  std::map<std::string, std::size_t> ids;  // literal -> id
  for (std::size_t k = 0; k < filters.size(); ++k) {
    const auto& any_of = filters[k].matcher.prefilter().any_of;
    if (!any_of) {
      always_.push_back(k);
      continue;
    }
    with_literals_.push_back(k);
    for (const std::string& literal : *any_of) {
      auto [it, added] = ids.emplace(literal, ids.size());
      if (added) literal_filters_.emplace_back();
      auto& owners = literal_filters_[it->second];
      if (owners.empty() || owners.back() != k) owners.push_back(k);
    }
  }
  // One filter with literals: its own prefilter (a SIMD search for the literals' shared core) is
  // faster than a database. Hyperscan also needs SSSE3 at run time.
  if (with_literals_.size() < 2 || ids.empty() || hs_valid_platform() != HS_SUCCESS) return;
  std::vector<const char*> expressions(ids.size());
  std::vector<std::size_t> lengths(ids.size());
  std::vector<unsigned> flags(ids.size(), HS_FLAG_SINGLEMATCH);
  std::vector<unsigned> id_list(ids.size());
  for (const auto& [literal, id] : ids) {
    expressions[id] = literal.data();
    lengths[id] = literal.size();
    id_list[id] = static_cast<unsigned>(id);
  }
  auto database = std::make_unique<Database>();
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), id_list.data(), lengths.data(),
                           static_cast<unsigned>(ids.size()), HS_MODE_BLOCK, nullptr, &database->db,
                           &error) != HS_SUCCESS) {
    // Not fatal: the per-filter prefilters give the same answers, more slowly.
    if (error != nullptr) hs_free_compile_error(error);
    return;
  }
  database_ = std::move(database);
}

LiteralIndex::~LiteralIndex() = default;

std::string LiteralIndex::anchor() const {
  if (database_ != nullptr || !always_.empty() || with_literals_.size() != 1) return {};
  return filters_[with_literals_.front()].matcher.prefilter().core;
}

LiteralIndex::Scratch::Scratch(const LiteralIndex& index) {
  if (index.database_ == nullptr) return;
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(index.database_->db, &scratch) != HS_SUCCESS) {
    throw std::bad_alloc();
  }
  hs_scratch_ = scratch;
}

LiteralIndex::Scratch::~Scratch() {
  if (hs_scratch_ != nullptr) hs_free_scratch(static_cast<hs_scratch_t*>(hs_scratch_));
}

namespace {

struct ScanState {
  const std::vector<std::vector<std::size_t>>* literal_filters;
  std::vector<char>* candidates;
  std::size_t remaining;  // filters with literals not yet candidates
};

int on_literal(unsigned int id, unsigned long long /*from*/, unsigned long long /*to*/,
               unsigned int /*flags*/, void* context) {
  auto* state = static_cast<ScanState*>(context);
  for (const std::size_t k : (*state->literal_filters)[id]) {
    char& flag = (*state->candidates)[k];
    if (flag == 0) {
      flag = 1;
      --state->remaining;
    }
  }
  return state->remaining == 0 ? 1 : 0;  // non-zero stops the scan: nothing more to learn
}

}  // namespace

bool LiteralIndex::candidates(std::string_view record, Scratch& scratch,
                              std::vector<char>& candidates, bool may_have_escapes,
                              bool may_have_anchor) const {
  if (candidates.size() != filters_.size()) candidates.resize(filters_.size());
  std::fill(candidates.begin(), candidates.end(), 0);
  if (database_ == nullptr && always_.empty() && with_literals_.size() == 1) {
    // The common single-filter scan: one prefilter call, nothing else.
    const std::size_t k = with_literals_.front();
    // Every literal holds the core; without an escape, a record without the core cannot match.
    if (!may_have_anchor && !may_have_escapes) return false;
    candidates[k] = filters_[k].matcher.prefilter().may_match(record, may_have_escapes) ? 1 : 0;
    return candidates[k] != 0;
  }
  bool any = false;
  for (const std::size_t k : always_) {
    candidates[k] = 1;
    any = true;
  }
  if (database_ == nullptr) {
    for (const std::size_t k : with_literals_) {
      if (filters_[k].matcher.prefilter().may_match(record, may_have_escapes)) {
        candidates[k] = 1;
        any = true;
      }
    }
    return any;
  }
  ScanState state{&literal_filters_, &candidates, with_literals_.size()};
  const hs_error_t rc = hs_scan(database_->db, record.data(), static_cast<unsigned>(record.size()),
                                0, static_cast<hs_scratch_t*>(scratch.hs_scratch_), on_literal,
                                &state);
  if (rc != HS_SUCCESS && rc != HS_SCAN_TERMINATED) {
    // Should not happen; never skip a filter because of it.
    for (const std::size_t k : with_literals_) candidates[k] = 1;
    return true;
  }
  return any || state.remaining < with_literals_.size();
}

}  // namespace sgwatch::scan
