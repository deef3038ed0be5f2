// LiteralIndex: which filters of a set could match a record, found in one pass over the record.
// Every filter's compiled matcher exposes a literal prefilter (pattern::Prefilter: the record can
// only match if it contains one of these strings). With several filters, a Hyperscan database of
// all their literals answers for all of them at once (Hyperscan's multi-literal matchers run at
// GB/s and stop as soon as every filter is a candidate); with one filter its own prefilter is
// used. The answer only narrows which matchers run: a candidate may still not match, and a filter
// is never skipped for a record it matches. Neighbours: scanner.cpp uses it per record.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "scan/filters.h"

namespace sgwatch::scan {

class LiteralIndex {
 public:
  explicit LiteralIndex(const std::vector<NamedFilter>& filters);
  ~LiteralIndex();
  LiteralIndex(const LiteralIndex&) = delete;
  LiteralIndex& operator=(const LiteralIndex&) = delete;

  // Per-thread working memory.
  class Scratch {
   public:
    explicit Scratch(const LiteralIndex& index);
    ~Scratch();
    Scratch(const Scratch&) = delete;
    Scratch& operator=(const Scratch&) = delete;

   private:
    friend class LiteralIndex;
    void* hs_scratch_ = nullptr;
  };

  // Sets candidates[k] (sized to the filter count) to 1 for each filter that could match
  // `record`, 0 for the others. Returns whether any filter is a candidate.
  // `may_have_escapes` false: the record is known to hold no JSON escape (event::Record).
  bool candidates(std::string_view record, Scratch& scratch, std::vector<char>& candidates,
                  bool may_have_escapes = true, bool may_have_anchor = true) const;

  // Whether the Hyperscan database is in use (false: per-filter prefilters).
  bool multi_literal() const { return database_ != nullptr; }

  // With one filter: its prefilter's core, which the record splitter can look for while it reads
  // (event::Reader::Options::anchor); empty when that does not apply.
  std::string anchor() const;

 private:
  struct Database;
  const std::vector<NamedFilter>& filters_;
  std::vector<std::vector<std::size_t>> literal_filters_;  // literal id -> filters
  std::vector<std::size_t> always_;      // filters without a literal prefilter
  std::vector<std::size_t> with_literals_;
  std::unique_ptr<Database> database_;
};

}  // namespace sgwatch::scan
