// Scanner: runs a FilterSet over inputs on N threads and delivers each input's results in input
// order, so that the output of -j N is byte-identical to -j 1. Memory: each thread holds at most
// one input's pending output up to a bound (then it waits its turn and streams), plus the reader's
// chunk and record buffers. Neighbours: filters.h, inputs.h; event::Reader reads the bytes.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event/reader.h"
#include "metrics/store.h"
#include "pattern/subject.h"
#include "scan/filters.h"
#include "scan/inputs.h"
#include "scan/literal_index.h"

namespace sgwatch::scan {

// One record that at least one filter matched.
struct Hit {
  const Input& input;
  const event::Record& record;
  const std::vector<std::size_t>& filters;  // indices into the FilterSet, ascending
  pattern::Subject& subject;                // the record, parsed lazily (reuse it)
};

// Formats a hit into `out`; called concurrently for different inputs, so it must not touch
// shared state.
using HitFormatter = std::function<void(std::string& out, const Hit& hit)>;

struct InputOutcome {
  event::ReadResult read;
  std::string open_error;            // the input could not be opened
  std::vector<std::uint64_t> counts; // per filter
  std::uint64_t hits = 0;            // records matched by at least one filter
  std::vector<event::ReadError> record_errors;  // records that are not valid JSON
  // With a backtest: the metrics this input's records published, placed by eventTime, and how
  // many records that published something had no usable eventTime.
  std::unique_ptr<metrics::SeriesStore> series;
  std::uint64_t untimed = 0;
};

// Receives results in input order, from one thread at a time.
class ScanOutput {
 public:
  virtual ~ScanOutput() = default;
  virtual void write(std::string_view formatted) = 0;
  virtual void finished(const Input& input, const InputOutcome& outcome) = 0;
};

struct ScanTotals {
  std::uint64_t inputs = 0;
  std::uint64_t bytes_in = 0;
  std::uint64_t bytes_json = 0;
  std::uint64_t records = 0;
  std::uint64_t hits = 0;
  std::uint64_t errors = 0;   // bad input, unreadable files, invalid records
  std::uint64_t skipped = 0;  // inputs skipped as not CloudTrail
  std::vector<std::uint64_t> counts;
  metrics::SeriesStore series;  // merged in input order (with a backtest)
  std::uint64_t untimed = 0;
};

// Live counters for a progress line; read from any thread.
struct ScanProgress {
  std::atomic<std::uint64_t> inputs_done{0};
  std::atomic<std::uint64_t> bytes_in{0};
  std::atomic<std::uint64_t> hits{0};
};

class Scanner {
 public:
  struct Options {
    event::Reader::Options reader;
    unsigned jobs = 1;
    std::size_t pending_output_limit = std::size_t{4} << 20;
    // Publish the filters' metrics into a store shaped like this one (see backtest.h).
    std::optional<metrics::SeriesStore> backtest;
    // When set, a matched record is a hit (counted, formatted) only if keep() says so; called
    // concurrently for different inputs, like the formatter. The backtest still sees every match.
    std::function<bool(const event::Record&)> keep;
  };

  Scanner(const FilterSet& filters, Options options)
      : filters_(filters), options_(options), literal_index_(filters.filters()) {}

  // Scans every input; `progress` (optional) is updated as it goes; `tick` (optional) is called
  // on the calling thread about every 200 ms while worker threads run.
  ScanTotals run(const std::vector<Input>& inputs, const HitFormatter& format, ScanOutput& output,
                 ScanProgress* progress = nullptr,
                 const std::function<void()>& tick = nullptr) const;

  // Scans one input; `emit` receives formatted output as it accumulates.
  InputOutcome scan_input(const Input& input, const HitFormatter& format,
                          const std::function<void(std::string&)>& emit,
                          ScanProgress* progress) const;

 private:
  // Publishes the metrics of one record (backtest); true when `subject` now holds the record.
  bool publish(const event::Record& record, const std::vector<std::size_t>& matched,
               const std::vector<std::size_t>& with_default, bool examined,
               pattern::Subject& subject, metrics::SeriesKey& key, InputOutcome& outcome) const;

  const FilterSet& filters_;
  Options options_;
  LiteralIndex literal_index_;
};

}  // namespace sgwatch::scan
