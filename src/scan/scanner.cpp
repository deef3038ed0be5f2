// Implementation of scanner.h.
#include "scan/scanner.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>

#include <fmt/format.h>

#include "core/time.h"
#include "event/json_scan.h"

namespace sgwatch::scan {

namespace {

// The record's top-level eventTime, in Unix seconds.
std::optional<std::int64_t> event_time(std::string_view record) {
  const auto member = event::json::find_member(record, "eventTime");
  if (!member) return std::nullopt;
  const auto text = event::json::decode_string(member->value);
  if (!text) return std::nullopt;
  return core::parse_iso8601(*text);
}

}  // namespace

InputOutcome Scanner::scan_input(const Input& input, const HitFormatter& format,
                                 const std::function<void(std::string&)>& emit,
                                 ScanProgress* progress) const {
  InputOutcome outcome;
  const auto& filters = filters_.filters();
  outcome.counts.assign(filters.size(), 0);

  int fd = STDIN_FILENO;
  if (!input.is_stdin) {
    fd = ::open(input.path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      outcome.open_error = std::strerror(errno);
      return outcome;
    }
  }
  event::Reader::Options reader_options = options_.reader;
  reader_options.sniff_json = input.walked;
  reader_options.anchor = literal_index_.anchor();
  const event::Reader reader(reader_options);

  LiteralIndex::Scratch scratch(literal_index_);
  std::vector<char> candidates;

  pattern::Subject subject;
  std::vector<std::size_t> matched;
  // A backtest: which filters publish a default value when they do not match (those need the
  // time of every record, not only of matches).
  std::vector<std::size_t> with_default;
  if (options_.backtest) {
    outcome.series = std::make_unique<metrics::SeriesStore>(*options_.backtest);
    for (std::size_t k = 0; k < filters.size(); ++k) {
      if (filters[k].metric.transformation().default_value) with_default.push_back(k);
    }
  }
  metrics::SeriesKey key;
  std::string out;
  event::FdSource source(fd);
  outcome.read = reader.read(source, [&](const event::Record& record) {
    matched.clear();
    bool examined = false;
    if (!literal_index_.candidates(record.text, scratch, candidates, record.has_escapes,
                                   record.may_have_anchor) &&
        with_default.empty()) {
      return;
    }
    for (std::size_t k = 0; k < filters.size(); ++k) {
      if (candidates[k] == 0) continue;
      if (!examined) {
        subject.reset(record.text);
        examined = true;
      }
      if (filters[k].matcher.matches(subject)) matched.push_back(k);
    }
    if (outcome.series && (!matched.empty() || !with_default.empty())) {
      if (publish(record, matched, with_default, examined, subject, key, outcome)) examined = true;
    }
    if (examined && !record.text.empty() && record.text.front() == '{' &&
        subject.json_object() == nullptr) {
      outcome.record_errors.push_back(event::ReadError{
          record.offset, false,
          "the record is not valid JSON (filters saw it as plain text, as CloudWatch Logs would)"});
    }
    if (matched.empty()) return;
    if (options_.keep && !options_.keep(record)) return;
    for (const std::size_t k : matched) ++outcome.counts[k];
    ++outcome.hits;
    if (progress != nullptr) progress->hits.fetch_add(1, std::memory_order_relaxed);
    format(out, Hit{input, record, matched, subject});
    if (out.size() >= options_.pending_output_limit) emit(out);
  });
  if (!input.is_stdin) ::close(fd);
  if (!out.empty()) emit(out);
  if (progress != nullptr) {
    progress->bytes_in.fetch_add(outcome.read.bytes_in, std::memory_order_relaxed);
    progress->inputs_done.fetch_add(1, std::memory_order_relaxed);
  }
  return outcome;
}

bool Scanner::publish(const event::Record& record, const std::vector<std::size_t>& matched,
                      const std::vector<std::size_t>& with_default, bool examined,
                      pattern::Subject& subject, metrics::SeriesKey& key, InputOutcome& outcome) const {
  const auto time = event_time(record.text);
  if (!time) {
    if (!matched.empty()) ++outcome.untimed;
    return false;
  }
  if (!examined) subject.reset(record.text);
  const auto& filters = filters_.filters();
  auto emit = [&](std::size_t k) {
    const auto emission = filters[k].metric.evaluate(subject);
    if (!emission.value) return;
    const auto& t = filters[k].metric.transformation();
    key.metric_namespace = t.metric_namespace;
    key.name = t.metric_name;
    key.dimensions = emission.dimensions;
    std::sort(key.dimensions.begin(), key.dimensions.end());
    outcome.series->add(key, *time, *emission.value);
  };
  // Filters in definition order: matched ones, and those that publish a default value.
  std::size_t m = 0;
  std::size_t d = 0;
  while (m < matched.size() || d < with_default.size()) {
    const std::size_t next = d >= with_default.size() || (m < matched.size() && matched[m] <= with_default[d])
                                 ? matched[m]
                                 : with_default[d];
    emit(next);
    if (m < matched.size() && matched[m] == next) ++m;
    if (d < with_default.size() && with_default[d] == next) ++d;
  }
  return true;
}

namespace {

void add_to(ScanTotals& totals, const InputOutcome& outcome) {
  ++totals.inputs;
  totals.bytes_in += outcome.read.bytes_in;
  totals.bytes_json += outcome.read.bytes_json;
  totals.records += outcome.read.records;
  totals.hits += outcome.hits;
  totals.errors += outcome.read.error_count + outcome.record_errors.size() +
                   (outcome.open_error.empty() ? 0 : 1);
  if (outcome.read.skipped) ++totals.skipped;
  if (outcome.series) totals.series.merge(*outcome.series);
  totals.untimed += outcome.untimed;
  for (std::size_t k = 0; k < outcome.counts.size() && k < totals.counts.size(); ++k) {
    totals.counts[k] += outcome.counts[k];
  }
}

}  // namespace

ScanTotals Scanner::run(const std::vector<Input>& inputs, const HitFormatter& format,
                        ScanOutput& output, ScanProgress* progress,
                        const std::function<void()>& tick) const {
  ScanTotals totals;
  totals.counts.assign(filters_.filters().size(), 0);
  if (options_.backtest) totals.series = *options_.backtest;
  const unsigned jobs = std::max(1U, std::min<unsigned>(options_.jobs, static_cast<unsigned>(inputs.size())));
  if (jobs <= 1 && !tick) {
    for (const auto& input : inputs) {
      InputOutcome outcome = scan_input(
          input, format,
          [&](std::string& text) {
            output.write(text);
            text.clear();
          },
          progress);
      add_to(totals, outcome);
      output.finished(input, outcome);
    }
    return totals;
  }

  // Parallel: workers take inputs in order; results are released strictly in input order.
  struct Slot {
    std::string pending;
    InputOutcome outcome;
    bool done = false;
  };
  std::vector<Slot> slots(inputs.size());
  std::mutex mutex;
  std::condition_variable turn;
  std::size_t head = 0;  // the first input whose results are not released yet
  std::atomic<std::size_t> next{0};

  // Releases finished inputs from the head on. Holds `mutex`.
  auto release = [&]() {
    while (head < inputs.size() && slots[head].done) {
      Slot& slot = slots[head];
      if (!slot.pending.empty()) output.write(slot.pending);
      add_to(totals, slot.outcome);
      output.finished(inputs[head], slot.outcome);
      slot = Slot{};
      slot.done = true;
      ++head;
    }
    turn.notify_all();
  };

  auto worker = [&]() {
    for (;;) {
      const std::size_t i = next.fetch_add(1);
      if (i >= inputs.size()) return;
      Slot& slot = slots[i];
      bool streaming = false;  // once this input is the head, output goes straight out
      InputOutcome outcome = scan_input(
          inputs[i], format,
          [&](std::string& text) {
            if (!streaming) {
              slot.pending.append(text);
              text.clear();
              if (slot.pending.size() < options_.pending_output_limit) return;
              // Too much to hold: wait until every earlier input is released, then stream.
              std::unique_lock lock(mutex);
              turn.wait(lock, [&] { return head == i; });
              output.write(slot.pending);
              slot.pending.clear();
              streaming = true;
              return;
            }
            std::lock_guard lock(mutex);
            output.write(text);
            text.clear();
          },
          progress);
      std::lock_guard lock(mutex);
      slot.outcome = std::move(outcome);
      slot.done = true;
      release();
    }
  };

  std::vector<std::thread> threads;
  threads.reserve(jobs);
  for (unsigned t = 0; t < jobs; ++t) threads.emplace_back(worker);
  if (tick) {
    std::unique_lock lock(mutex);
    while (head < inputs.size()) {
      turn.wait_for(lock, std::chrono::milliseconds(200));
      lock.unlock();
      tick();
      lock.lock();
    }
  }
  for (auto& thread : threads) thread.join();
  return totals;
}

}  // namespace sgwatch::scan
