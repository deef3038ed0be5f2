// PutLogEvents throughput: realistic CloudTrail records (../shared/tools/gen-cloudtrail, JSON
// lines, --seed 1) ingested by engine::LogsEngine into a log group carrying the cis-v3 metric
// filters, with the CIS default alarm on each filter's metric, in batches as an agent sends them
// (up to 1,048,576 bytes or 10,000 events), every batch one state-store transaction (events,
// datapoints, alarm transitions). Before timing, one pass over the corpus must publish exactly
// the per-filter match counts of the generator's manifest (habit 9). Peers in the same run: the
// same ingestion without filters (storage alone), and the filters alone without storage (the
// engine's literal-index pass beside every filter run on its own).
// Neighbours: src/engine/logs_engine.h (measured), docs/logs.md (the figures).
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <system_error>
#include <vector>

#include "engine/engine.h"
#include "pattern/pattern.h"
#include "rules/rules.h"
#include "scan/literal_index.h"

namespace {

namespace fs = std::filesystem;
using sgwatch::engine::AlarmEngine;
using sgwatch::engine::InputLogEvent;
using sgwatch::engine::LogsEngine;
using sgwatch::engine::PutLogEventsRequest;

constexpr double kCorpusMb = 24;  // about 19,000 records
constexpr std::int64_t kStartMs = 1795000000000;  // 2026-11-18T09:06:40Z

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "sgwatch_logs_bench: %s\n", what.c_str());
  std::exit(2);
}

class TempDir {
 public:
  TempDir() {
    std::string name = "/tmp/sgwatch-logs-bench-XXXXXX";
    if (mkdtemp(name.data()) == nullptr) fail("mkdtemp failed");
    path_ = name;
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

struct Corpus {
  std::vector<std::string> records;
  std::vector<std::vector<InputLogEvent>> batches;  // views into `records`
  std::size_t bytes = 0;
  nlohmann::json manifest;
};

Corpus& corpus() {
  static Corpus c;
  return c;
}

void load_corpus(const fs::path& dir) {
  const fs::path out = dir / "events.jsonl";
  const std::string command = std::string("python3 '") + SGWATCH_SHARED_DIR + "/tools/gen-cloudtrail' --out '" +
                              out.string() + "' --format jsonl --seed 1 --size-mb " + std::to_string(kCorpusMb) +
                              " > /dev/null";
  if (std::system(command.c_str()) != 0) fail("gen-cloudtrail failed: " + command);
  Corpus& c = corpus();
  std::ifstream in(out);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    c.bytes += line.size();
    c.records.push_back(std::move(line));
  }
  std::ifstream manifest(out.string() + ".manifest.json");
  c.manifest = nlohmann::json::parse(manifest, nullptr, false);
  if (c.manifest.is_discarded() || c.manifest["events"] != c.records.size()) fail("the manifest does not match");
  // Batches as an agent fills them: up to 1 MB (26 bytes per event included) or 10,000 events.
  std::vector<InputLogEvent> batch;
  std::size_t batch_bytes = 0;
  for (const std::string& record : c.records) {
    const std::size_t bytes = record.size() + sgwatch::engine::kEventOverheadBytes;
    if (batch_bytes + bytes > sgwatch::engine::kMaxBatchBytes || batch.size() == sgwatch::engine::kMaxBatchEvents) {
      c.batches.push_back(std::move(batch));
      batch.clear();
      batch_bytes = 0;
    }
    batch.push_back(InputLogEvent{0, record});
    batch_bytes += bytes;
  }
  if (!batch.empty()) c.batches.push_back(std::move(batch));
}

// One state directory with a log group, its stream, and (optionally) the cis-v3 filters and
// their default alarms.
struct Setup {
  TempDir dir;
  sgwatch::core::ManualClock clock{kStartMs};
  std::unique_ptr<sgwatch::store::Store> store;
  std::unique_ptr<AlarmEngine> alarms;
  std::unique_ptr<LogsEngine> logs;

  Setup(bool with_filters, bool synchronous_full) {
    auto s = sgwatch::store::Store::open(dir.path(), sgwatch::store::Options{synchronous_full});
    if (!s) fail(s.error());
    store = std::move(*s);
    auto a = AlarmEngine::open(*store, clock);
    if (!a) fail(a.error());
    alarms = std::move(*a);
    auto l = LogsEngine::open(*store, *alarms, clock);
    if (!l) fail(l.error());
    logs = std::move(*l);
    sgwatch::engine::CreateLogGroupRequest group;
    group.log_group_name = "aws-cloudtrail-logs";
    if (!logs->create_log_group(group)) fail("create_log_group");
    if (!logs->create_log_stream("aws-cloudtrail-logs", "123456789012_CloudTrail_us-east-1")) fail("create_log_stream");
    if (!with_filters) return;
    for (const auto& filter : sgwatch::rules::find_pack("cis-v3")->filters) {
      sgwatch::pattern::MetricTransformation t;
      t.metric_name = filter.name;
      t.metric_namespace = std::string(sgwatch::rules::kNamespace);
      t.metric_value = "1";
      auto put = logs->put_metric_filter({"aws-cloudtrail-logs", filter.name, filter.pattern, {t}});
      if (!put) fail("put_metric_filter " + filter.name + ": " + put.error().message);
      auto alarm = sgwatch::alarms::parse_put_metric_alarm(nlohmann::json{
          {"AlarmName", filter.name}, {"MetricName", filter.name}, {"Namespace", t.metric_namespace},
          {"Statistic", "Sum"}, {"Period", 300}, {"EvaluationPeriods", 1}, {"Threshold", 1.0},
          {"ComparisonOperator", "GreaterThanOrEqualToThreshold"}});
      if (!alarm || !alarms->put_alarm(*alarm)) fail("put_alarm " + filter.name);
    }
  }

  // Ingests batch `index`, stamped one second after the previous one.
  std::size_t put(std::size_t index) {
    clock.advance(1000);
    PutLogEventsRequest request{"aws-cloudtrail-logs", "123456789012_CloudTrail_us-east-1", corpus().batches[index],
                                std::nullopt};
    for (auto& e : request.log_events) e.timestamp = clock.now_ms() - 500;
    auto result = logs->put_log_events(request);
    if (!result) fail("put_log_events: " + result.error().message);
    if (result->accepted_events != request.log_events.size()) fail("events were rejected");
    return result->datapoints;
  }
};

// The ground truth: one pass publishes the manifest's count for every CIS item it has.
void check() {
  Setup setup(true, false);
  std::size_t datapoints = 0;
  for (std::size_t i = 0; i < corpus().batches.size(); ++i) datapoints += setup.put(i);
  std::map<std::string, double> sums;
  for (const auto& [key, buckets] : setup.alarms->series().series()) {
    for (const auto& [time, set] : buckets) sums[key.name] += set.sum;
  }
  std::size_t compared = 0;
  double total = 0;
  for (const auto& [item, count] : corpus().manifest["cis_v3_matches"].items()) {
    const std::string name = "cis-v3-" + item;
    const double got = sums.count(name) ? sums[name] : 0;
    if (got != count.get<double>()) {
      fail("filter " + name + " published " + std::to_string(got) + ", the manifest says " + count.dump());
    }
    total += got;
    ++compared;
  }
  if (compared != 15) fail("the manifest has " + std::to_string(compared) + " CIS items, expected 15");
  std::fprintf(stderr, "check: %zu records in %zu batches; %zu datapoints; the 15 CIS items agree with the manifest "
               "(%.0f matches)\n", corpus().records.size(), corpus().batches.size(), datapoints, total);
}

void BM_PutLogEvents(benchmark::State& state) {
  const bool with_filters = state.range(0) != 0;
  const bool synchronous_full = state.range(1) != 0;
  Setup setup(with_filters, synchronous_full);
  std::size_t index = 0;
  std::int64_t events = 0;
  std::int64_t bytes = 0;
  for (auto _ : state) {
    const auto& batch = corpus().batches[index];
    benchmark::DoNotOptimize(setup.put(index));
    events += static_cast<std::int64_t>(batch.size());
    for (const auto& e : batch) bytes += static_cast<std::int64_t>(e.message.size());
    index = (index + 1) % corpus().batches.size();
  }
  state.SetItemsProcessed(events);
  state.SetBytesProcessed(bytes);
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_PutLogEvents)
    ->ArgNames({"cis_v3_filters", "sync_full"})
    ->Args({1, 1})
    ->Args({1, 0})
    ->Args({0, 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// The filters alone, without storage: what PutLogEvents spends before its transaction. The
// engine's way (one literal-index pass, then only the candidate filters, one shared Subject)
// beside the plain way (every filter with its own prefilter).
struct FilterPass {
  std::vector<sgwatch::scan::NamedFilter> filters;
  std::unique_ptr<sgwatch::scan::LiteralIndex> index;
  std::unique_ptr<sgwatch::scan::LiteralIndex::Scratch> scratch;
  sgwatch::pattern::Subject subject;
  std::vector<char> candidates;

  FilterPass() {
    for (const auto& filter : sgwatch::rules::find_pack("cis-v3")->filters) {
      sgwatch::pattern::MetricTransformation t;
      t.metric_name = filter.name;
      t.metric_namespace = "CISBenchmark";
      t.metric_value = "1";
      auto matcher = sgwatch::pattern::Matcher::compile(filter.pattern);
      if (!matcher) fail("compile " + filter.name);
      auto created = sgwatch::pattern::MetricFilter::create(*matcher, {t});
      if (!created) fail("create " + filter.name);
      filters.push_back(sgwatch::scan::NamedFilter{filter.name, *matcher, std::move(created).value()});
    }
    index = std::make_unique<sgwatch::scan::LiteralIndex>(filters);
    scratch = std::make_unique<sgwatch::scan::LiteralIndex::Scratch>(*index);
  }
  // Adds each filter's matches for `record` to `counts`.
  void run(const std::string& record, bool use_index, std::vector<std::int64_t>& counts) {
    subject.reset(record);
    if (use_index) {
      index->candidates(record, *scratch, candidates, record.find('\\') != std::string::npos);
    } else {
      candidates.assign(filters.size(), 1);
    }
    for (std::size_t k = 0; k < filters.size(); ++k) {
      if (candidates[k] != 0 && filters[k].metric.evaluate(subject).matched) ++counts[k];
    }
  }
};

// Both ways count exactly the manifest's matches.
void check_filter_pass() {
  for (bool use_index : {true, false}) {
    FilterPass pass;
    std::vector<std::int64_t> counts(pass.filters.size(), 0);
    for (const std::string& record : corpus().records) pass.run(record, use_index, counts);
    for (std::size_t k = 0; k < pass.filters.size(); ++k) {
      const std::string item = pass.filters[k].name.substr(std::string("cis-v3-").size());
      if (!corpus().manifest["cis_v3_matches"].contains(item)) continue;  // 4.2-sso
      if (counts[k] != corpus().manifest["cis_v3_matches"][item].get<std::int64_t>()) {
        fail("filter pass (" + std::string(use_index ? "index" : "per filter") + "): " + pass.filters[k].name +
             " counted " + std::to_string(counts[k]));
      }
    }
  }
  std::fprintf(stderr, "check: the filter passes (literal index, per filter) agree with the manifest\n");
}

void BM_FiltersOnly(benchmark::State& state) {
  const bool use_index = state.range(0) != 0;
  FilterPass pass;
  std::vector<std::int64_t> counts(pass.filters.size(), 0);
  std::size_t index = 0;
  std::int64_t events = 0;
  for (auto _ : state) {
    pass.run(corpus().records[index], use_index, counts);
    ++events;
    index = (index + 1) % corpus().records.size();
  }
  benchmark::DoNotOptimize(counts.data());
  state.SetItemsProcessed(events);
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FiltersOnly)->ArgName("literal_index")->Arg(1)->Arg(0);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;
  TempDir corpus_dir;
  load_corpus(corpus_dir.path());
  benchmark::AddCustomContext("corpus_records", std::to_string(corpus().records.size()));
  benchmark::AddCustomContext("corpus_bytes", std::to_string(corpus().bytes));
  benchmark::AddCustomContext("corpus_batches", std::to_string(corpus().batches.size()));
  check();
  check_filter_pass();
  std::fflush(stderr);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
