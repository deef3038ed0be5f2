// Pattern-engine benchmarks: ns/event of the CIS 4.10 filter pattern on real CloudTrail records
// (matching, non-matching, mixed), side by side in the same run with peers that make the same
// decision (nlohmann::json, simdjson DOM and On-Demand, an RE2 regex over the raw text), plus
// term, space-delimited, regex and unfiltered JSON patterns for context. Every implementation is
// checked against an independent ground truth before it is timed (house style, habit 9).
// Neighbours: src/pattern (the engine), scripts/run-bench (runs it), docs/PERFORMANCE.md.
#include <benchmark/benchmark.h>
#include <re2/re2.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pattern/pattern.h"

namespace {

namespace fs = std::filesystem;
using OrderedJson = nlohmann::ordered_json;  // keeps member order when re-serializing a record

constexpr std::string_view kCis410Pattern =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) "
    "|| ($.eventName = AuthorizeSecurityGroupEgress) "
    "|| ($.eventName = RevokeSecurityGroupIngress) "
    "|| ($.eventName = RevokeSecurityGroupEgress) "
    "|| ($.eventName = CreateSecurityGroup) "
    "|| ($.eventName = DeleteSecurityGroup) }";

constexpr std::array<std::string_view, 6> kSgEventNames = {
    "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
    "RevokeSecurityGroupEgress",     "CreateSecurityGroup",          "DeleteSecurityGroup"};

// How grep-style detection rules spot the same events: a regex over the raw text. Not exact: it
// also fires on a nested "eventName" member and misses names written with JSON escapes.
constexpr std::string_view kCis410Regex =
    R"re("eventName"\s*:\s*"(?:AuthorizeSecurityGroupIngress|AuthorizeSecurityGroupEgress|)re"
    R"re(RevokeSecurityGroupIngress|RevokeSecurityGroupEgress|CreateSecurityGroup|)re"
    R"re(DeleteSecurityGroup)")re";

// Context patterns.
constexpr std::string_view kTermPattern = "?AccessDenied ?UnauthorizedOperation";
constexpr std::array<std::string_view, 2> kTermNeedles = {"AccessDenied", "UnauthorizedOperation"};
constexpr std::string_view kRegexPattern = R"(%0\.0\.0\.0/0|::/0%)";
constexpr std::string_view kRegexPeer = R"(0\.0\.0\.0/0|::/0)";
constexpr std::array<std::string_view, 2> kRegexNeedles = {"0.0.0.0/0", "::/0"};
constexpr std::string_view kJsonUnfilteredPattern = R"({ $.userIdentity.type != "AssumedRole" })";
constexpr std::string_view kApachePattern =
    "[ip, id, user, timestamp, request, status_code = 4*, bytes]";
constexpr std::string_view kApacheRegex =
    R"re(^[^ ]+ [^ ]+ [^ ]+ \[[^\]]*\] "[^"]*" 4[^ ]* [^ ]+$)re";

bool is_sg_event_name(std::string_view name) {
  return std::find(kSgEventNames.begin(), kSgEventNames.end(), name) != kSgEventNames.end();
}

template <std::size_t N>
bool contains_any(std::string_view text, const std::array<std::string_view, N>& needles) {
  return std::any_of(needles.begin(), needles.end(), [&](std::string_view needle) {
    return text.find(needle) != std::string_view::npos;
  });
}

[[noreturn]] void fail(const std::string& what) {
  std::fprintf(stderr, "sgwatch_pattern_bench: %s\n", what.c_str());
  std::exit(2);
}

// ---------------------------------------------------------------------------------------------
// Loading the real CloudTrail records.

// One CloudTrail record as a CloudWatch Logs metric filter would see it.
struct Record {
  std::string text;
  std::string source;  // file, relative to the data directory
};

struct LoadStats {
  std::size_t files = 0;
  std::size_t skipped_files = 0;
  std::size_t non_records = 0;
};

// Unwraps every container format of the data directory (README.md there) into records:
// {"Records":[...]}, JSON arrays, EventBridge envelopes (detail), LookupEvents items
// (CloudTrailEvent string), CloudWatch Logs subscription messages (logEvents[].message),
// Panther test wrappers (event) and StreamAlert test cases (data). Records taken from inside a
// container are re-serialized compactly in their original member order, as CloudTrail sends
// them to CloudWatch Logs; bare JSON-lines records and records carried as strings keep their
// bytes. Uses a work list, not recursion.
void collect_records(const OrderedJson& root, std::string_view root_text, const std::string& source,
                     std::vector<Record>& out, LoadStats& stats) {
  std::vector<const OrderedJson*> work{&root};
  while (!work.empty()) {
    const OrderedJson* value = work.back();
    work.pop_back();
    auto push_all = [&](const OrderedJson& array) {
      for (auto it = array.rbegin(); it != array.rend(); ++it) work.push_back(&*it);  // keep order
    };
    if (value->is_array()) {
      push_all(*value);
      continue;
    }
    if (!value->is_object()) {
      ++stats.non_records;
      continue;
    }
    const auto records = value->find("Records");
    if (records != value->end() && records->is_array()) {
      push_all(*records);
      continue;
    }
    const auto detail = value->find("detail");
    if (value->contains("detail-type") && detail != value->end() && detail->is_object()) {
      work.push_back(&*detail);
      continue;
    }
    const auto embedded = value->find("CloudTrailEvent");
    if (embedded != value->end() && embedded->is_string()) {
      out.push_back({embedded->get<std::string>(), source});
      continue;
    }
    const auto log_events = value->find("logEvents");
    if (log_events != value->end() && log_events->is_array()) {
      for (const OrderedJson& log_event : *log_events) {
        const auto message = log_event.find("message");
        if (message != log_event.end() && message->is_string()) {
          out.push_back({message->get<std::string>(), source});
        } else {
          ++stats.non_records;
        }
      }
      continue;
    }
    const auto event = value->find("event");
    if (value->contains("_source_rule_file") && event != value->end()) {
      work.push_back(&*event);
      continue;
    }
    const auto data = value->find("data");
    if (data != value->end() && (value->contains("log") || value->contains("service")) &&
        (data->is_object() || data->is_array())) {
      work.push_back(&*data);
      continue;
    }
    if (value->contains("eventVersion") || value->contains("eventName")) {
      out.push_back(
          {value == &root && !root_text.empty() ? std::string(root_text) : value->dump(), source});
      continue;
    }
    ++stats.non_records;
  }
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("cannot read " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return std::move(text).str();
}

std::vector<Record> load_cloudtrail(const fs::path& dir, LoadStats& stats) {
  if (!fs::is_directory(dir)) fail("no CloudTrail data directory at " + dir.string());
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<Record> records;
  for (const fs::path& path : files) {
    const std::string name = path.filename().string();
    const std::string source = fs::relative(path, dir).string();
    if (!name.ends_with(".json") && !name.ends_with(".jsonl")) {
      if (name != "README.md") {
        ++stats.skipped_files;  // the .json.gz trail file: the benchmark links no gzip reader
        std::fprintf(stderr, "corpus: skipped %s (not plain JSON)\n", source.c_str());
      }
      continue;
    }
    const std::string text = read_file(path);
    // Some .json files hold JSON lines (the OTRF Logstash export): read those as .jsonl.
    const bool jsonl = name.ends_with(".jsonl") || !nlohmann::json::accept(text);
    ++stats.files;
    try {
      if (jsonl) {
        std::size_t start = 0;
        while (start < text.size()) {
          std::size_t end = text.find('\n', start);
          if (end == std::string::npos) end = text.size();
          std::string_view line(text.data() + start, end - start);
          if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
          if (!line.empty())
            collect_records(OrderedJson::parse(line), line, source, records, stats);
          start = end + 1;
        }
      } else {
        collect_records(OrderedJson::parse(text), {}, source, records, stats);
      }
    } catch (const nlohmann::json::exception& error) {
      fail(source + ": " + error.what());
    }
  }
  return records;
}

// ---------------------------------------------------------------------------------------------
// Ground truth, computed with nlohmann::json on each record independently of the engine.

bool truth_cis410(const OrderedJson& record) {
  if (!record.is_object()) return false;
  const auto name = record.find("eventName");
  return name != record.end() && name->is_string() &&
         is_sg_event_name(name->get_ref<const std::string&>());
}

// { $.userIdentity.type != "AssumedRole" }: present, a string other than that one, or a number.
bool truth_identity_type(const OrderedJson& record) {
  if (!record.is_object()) return false;
  const auto identity = record.find("userIdentity");
  if (identity == record.end() || !identity->is_object()) return false;
  const auto type = identity->find("type");
  if (type == identity->end()) return false;
  if (type->is_number()) return true;
  return type->is_string() && type->get_ref<const std::string&>() != "AssumedRole";
}

// ---------------------------------------------------------------------------------------------
// A corpus: events stored back to back in one buffer ('\n' between them, simdjson's padding
// after the last), as a reader holding a file in memory has them. Every event is followed by at
// least SIMDJSON_PADDING readable bytes, so simdjson peers can parse them in place.

struct Corpus {
  std::string name;
  std::string buffer;
  std::vector<std::string_view> events;
  std::vector<bool> cis410;  // ground truth per event (CloudTrail corpora)
  std::size_t bytes = 0;     // sum of the event sizes
};

std::unique_ptr<Corpus> make_corpus(std::string name,
                                    const std::vector<const std::string*>& texts) {
  auto corpus = std::make_unique<Corpus>();
  corpus->name = std::move(name);
  std::size_t total = 0;
  for (const std::string* text : texts) total += text->size() + 1;
  corpus->buffer.reserve(total + simdjson::SIMDJSON_PADDING);
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const std::string* text : texts) {
    spans.emplace_back(corpus->buffer.size(), text->size());
    corpus->buffer += *text;
    corpus->buffer += '\n';
    corpus->bytes += text->size();
  }
  corpus->buffer.append(simdjson::SIMDJSON_PADDING, ' ');
  for (const auto& [offset, size] : spans)
    corpus->events.emplace_back(corpus->buffer.data() + offset, size);
  return corpus;
}

// Synthetic Apache access-log lines (the log format of the AWS docs' space-delimited examples);
// there is no real access log in the shared data. Deterministic. `status_4xx` gets the truth.
std::vector<std::string> make_apache_lines(std::size_t count, std::vector<bool>& status_4xx) {
  static constexpr std::array<const char*, 6> kUsers = {"-",     "-",     "-",
                                                        "frank", "alice", "svc-deploy"};
  static constexpr std::array<const char*, 4> kMethods = {"GET", "GET", "POST", "HEAD"};
  static constexpr std::array<const char*, 8> kPaths = {"/index.html",
                                                        "/api/v1/orders?id=1834",
                                                        "/static/app.3f9c1e.js",
                                                        "/login",
                                                        "/images/logo.png",
                                                        "/api/v1/users/42/settings",
                                                        "/wp-admin/setup-config.php",
                                                        "/favicon.ico"};
  static constexpr std::array<int, 20> kStatus = {200, 200, 200, 200, 200, 200, 200, 200, 200, 200,
                                                  200, 200, 301, 304, 304, 400, 403, 404, 404, 500};
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  auto next = [&state](std::uint64_t bound) {  // xorshift64
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return static_cast<std::size_t>(state % bound);
  };
  std::vector<std::string> lines;
  status_4xx.clear();
  for (std::size_t i = 0; i < count; ++i) {
    const int status = kStatus[next(kStatus.size())];
    const bool no_body = status == 304 || next(10) == 0;
    char line[256];
    const int n = std::snprintf(
        line, sizeof line,
        "10.%zu.%zu.%zu - %s [%02zu/%s/2024:%02zu:%02zu:%02zu -0700] \"%s %s HTTP/1.1\" %d %s",
        next(256), next(256), next(256), kUsers[next(kUsers.size())], 1 + next(28),
        kMonths[next(kMonths.size())], next(24), next(60), next(60),
        kMethods[next(kMethods.size())], kPaths[next(kPaths.size())], status,
        no_body ? "-" : std::to_string(100 + next(50000)).c_str());
    lines.emplace_back(line, static_cast<std::size_t>(n));
    status_4xx.push_back(status / 100 == 4);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The implementations. Each is a small object with mutable scratch state, made fresh for each
// benchmark run, whose call operator decides one event.

using sgwatch::pattern::Matcher;

struct SgwatchMatcher {
  const Matcher* matcher;
  sgwatch::pattern::Subject subject;
  explicit SgwatchMatcher(const Matcher* m) : matcher(m) {}
  bool operator()(std::string_view event) {
    subject.reset(event);
    return matcher->matches(subject);
  }
};

struct SgwatchPrefilterOnly {
  const Matcher* matcher;
  bool operator()(std::string_view event) const { return matcher->prefilter().may_match(event); }
};

// Not sgwatch code: what the CIS 4.10 prefilter could cost if "\u" were found with memchr (glibc's
// memmem walks a 2-byte needle one byte at a time) and the six names, which all contain
// "SecurityGroup", with one search instead of six. A sketch for docs/PERFORMANCE.md.
struct PrefilterSketch {
  bool operator()(std::string_view event) const {
    for (std::size_t pos = event.find('\\'); pos != std::string_view::npos;
         pos = event.find('\\', pos + 1)) {
      if (pos + 1 < event.size() && event[pos + 1] == 'u') return true;
    }
    return event.find("SecurityGroup") != std::string_view::npos;
  }
};

struct NlohmannCis410 {  // what a typical script does: parse the record, look at eventName
  bool operator()(std::string_view event) const {
    const nlohmann::json record = nlohmann::json::parse(event, nullptr, /*allow_exceptions=*/false);
    if (record.is_discarded() || !record.is_object()) return false;
    const auto name = record.find("eventName");
    return name != record.end() && name->is_string() &&
           is_sg_event_name(name->get_ref<const std::string&>());
  }
};

struct SimdjsonDomCis410 {  // the fastest straightforward parse-then-check: a full DOM parse
  simdjson::dom::parser parser;
  bool operator()(std::string_view event) {
    simdjson::dom::element root;
    if (parser.parse(event.data(), event.size(), /*realloc_if_needed=*/false).get(root))
      return false;
    simdjson::dom::object object;
    if (root.get_object().get(object)) return false;
    std::string_view name;
    if (object["eventName"].get_string().get(name)) return false;
    return is_sg_event_name(name);
  }
};

// simdjson On-Demand, stopping at the first eventName: the least work a parser can do, but it
// does not validate the rest of the document (a metric filter must reject invalid JSON).
struct SimdjsonOnDemandCis410 {
  simdjson::ondemand::parser parser;
  bool operator()(std::string_view event) {
    simdjson::ondemand::document doc;
    if (parser.iterate(event.data(), event.size(), event.size() + simdjson::SIMDJSON_PADDING)
            .get(doc)) {
      return false;
    }
    simdjson::ondemand::object object;
    if (doc.get_object().get(object)) return false;
    std::string_view name;
    if (object.find_field_unordered("eventName").get_string().get(name)) return false;
    return is_sg_event_name(name);
  }
};

struct Re2Search {
  const RE2* regex;
  bool operator()(std::string_view event) const {
    return RE2::PartialMatch(re2::StringPiece(event.data(), event.size()), *regex);
  }
};

template <std::size_t N>
struct StringFindAny {
  const std::array<std::string_view, N>* needles;
  bool operator()(std::string_view event) const { return contains_any(event, *needles); }
};

struct SimdjsonDomIdentityType {
  simdjson::dom::parser parser;
  bool operator()(std::string_view event) {
    simdjson::dom::element root;
    if (parser.parse(event.data(), event.size(), false).get(root)) return false;
    simdjson::dom::element type;
    if (root.at_pointer("/userIdentity/type").get(type)) return false;
    if (type.is_number()) return true;
    std::string_view text;
    return type.get_string().get(text) == simdjson::SUCCESS && text != "AssumedRole";
  }
};

// ---------------------------------------------------------------------------------------------
// Checking, then registering.

enum class Role {
  kEngine,     // sgwatch: any disagreement with the ground truth aborts the run
  kPeer,       // disagreements are reported (and shown in the `wrong` counter), not fatal
  kPrefilter,  // may pass non-matching events; must never reject a matching one
};

struct Verdict {
  std::size_t hits = 0;
  std::size_t wrong = 0;
};

std::vector<std::string> g_notes;  // printed again after the benchmark table

template <class Make>
Verdict check(const std::string& name, const Corpus& corpus, const std::vector<bool>& truth,
              Role role, const Make& make) {
  auto decide = make();
  Verdict verdict;
  std::vector<std::size_t> false_positives;
  std::vector<std::size_t> false_negatives;
  for (std::size_t i = 0; i < corpus.events.size(); ++i) {
    const bool got = (*decide)(corpus.events[i]);
    if (got) ++verdict.hits;
    if (got && !truth[i]) false_positives.push_back(i);
    if (!got && truth[i]) false_negatives.push_back(i);
  }
  if (role == Role::kPrefilter) {
    if (!false_negatives.empty()) {
      fail(name + ": the prefilter rejects " + std::to_string(false_negatives.size()) +
           " matching event(s)");
    }
    g_notes.push_back(name + ": lets " + std::to_string(verdict.hits) + " of " +
                      std::to_string(corpus.events.size()) + " events through (" +
                      std::to_string(verdict.hits - static_cast<std::size_t>(std::count(
                                                        truth.begin(), truth.end(), true))) +
                      " of them do not match)");
    return verdict;
  }
  verdict.wrong = false_positives.size() + false_negatives.size();
  if (verdict.wrong == 0) return verdict;
  std::string detail =
      name + ": disagrees with the ground truth on " + std::to_string(verdict.wrong) + " of " +
      std::to_string(corpus.events.size()) + " events (" + std::to_string(false_positives.size()) +
      " false positives, " + std::to_string(false_negatives.size()) + " false negatives)";
  const std::size_t first =
      false_positives.empty() ? false_negatives.front() : false_positives.front();
  detail += "; first: " + std::string(corpus.events[first].substr(0, 160));
  if (role == Role::kEngine) fail("ENGINE DISAGREES, not timing it. " + detail);
  g_notes.push_back(detail);
  return verdict;
}

template <class Make>
void add(const std::string& name, const Corpus& corpus, const std::vector<bool>& truth, Role role,
         Make make) {
  const Verdict verdict = check(name, corpus, truth, role, make);
  benchmark::RegisterBenchmark(name.c_str(), [&corpus, verdict, make](benchmark::State& state) {
    auto decide = make();
    const auto events = static_cast<std::int64_t>(corpus.events.size());
    for (auto _ : state) {
      std::size_t hits = 0;
      for (std::string_view event : corpus.events) {
        if ((*decide)(event)) ++hits;
      }
      benchmark::DoNotOptimize(hits);
      if (hits != verdict.hits) {
        state.SkipWithError("the answer changed while timing");
        break;
      }
    }
    state.SetItemsProcessed(state.iterations() * events);
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(corpus.bytes));
    state.counters["events"] = static_cast<double>(events);
    state.counters["hits"] = static_cast<double>(verdict.hits);
    state.counters["wrong"] = static_cast<double>(verdict.wrong);
  })->Unit(benchmark::kMicrosecond);
}

Matcher compile_or_die(std::string_view text) {
  auto matcher = Matcher::compile(text);
  if (!matcher) fail("cannot compile " + std::string(text) + ": " + matcher.error().describe());
  return std::move(matcher).value();
}

std::vector<bool> truth_by(const Corpus& corpus, bool (*predicate)(std::string_view)) {
  std::vector<bool> truth;
  for (std::string_view event : corpus.events) truth.push_back(predicate(event));
  return truth;
}

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 2;

  // Corpus: every real record, split by the ground truth.
  const fs::path data_dir = fs::path(SGWATCH_SHARED_DIR) / "data" / "cloudtrail";
  LoadStats stats;
  const std::vector<Record> records = load_cloudtrail(data_dir, stats);
  std::vector<const std::string*> all;
  std::vector<const std::string*> matching;
  std::vector<const std::string*> nonmatching;
  std::vector<bool> all_truth;
  std::vector<bool> identity_truth;
  for (const Record& record : records) {
    const OrderedJson parsed = OrderedJson::parse(record.text, nullptr, false);
    const bool hit = !parsed.is_discarded() && truth_cis410(parsed);
    all.push_back(&record.text);
    all_truth.push_back(hit);
    identity_truth.push_back(!parsed.is_discarded() && truth_identity_type(parsed));
    (hit ? matching : nonmatching).push_back(&record.text);
  }
  static const auto mixed_corpus = make_corpus("mixed", all);
  static const auto matching_corpus = make_corpus("matching", matching);
  static const auto nonmatching_corpus = make_corpus("nonmatching", nonmatching);
  std::vector<bool> apache_truth;
  const std::vector<std::string> apache_lines = make_apache_lines(4096, apache_truth);
  std::vector<const std::string*> apache_texts;
  for (const std::string& line : apache_lines) apache_texts.push_back(&line);
  static const auto apache_corpus = make_corpus("apache-synthetic", apache_texts);
  const std::vector<bool> matching_truth(matching.size(), true);
  const std::vector<bool> nonmatching_truth(nonmatching.size(), false);

  std::fprintf(stderr,
               "corpus: %zu files, %zu records (%zu bytes): %zu match CIS 4.10, %zu do not; "
               "%zu skipped file(s), %zu non-record value(s)\n",
               stats.files, records.size(), mixed_corpus->bytes, matching.size(),
               nonmatching.size(), stats.skipped_files, stats.non_records);
  if (matching.empty() || nonmatching.empty())
    fail("the corpus needs matching and non-matching records");

  benchmark::AddCustomContext("corpus_records", std::to_string(records.size()));
  benchmark::AddCustomContext("corpus_matching", std::to_string(matching.size()));
  benchmark::AddCustomContext("corpus_bytes", std::to_string(mixed_corpus->bytes));
  // On-Demand runs the kernel this file (and src/pattern, same flags) was compiled for; the DOM
  // parser of the shared library picks one at run time. JsonTree::kernel() asks the library,
  // which always answers with its own (fallback) build, so it is not used here.
  benchmark::AddCustomContext("ondemand_kernel_compiled_in",
                              SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION));
  benchmark::AddCustomContext("dom_kernel_at_run_time",
                              simdjson::get_active_implementation()->name());

  static const Matcher cis410 = compile_or_die(kCis410Pattern);
  static const RE2 cis410_regex{re2::StringPiece(kCis410Regex.data(), kCis410Regex.size())};
  if (!cis410_regex.ok()) fail("bad peer regex: " + cis410_regex.error());
  std::string literals = "(none)";
  if (cis410.prefilter().any_of) {
    literals.clear();
    for (const std::string& literal : *cis410.prefilter().any_of)
      literals += (literals.empty() ? "" : " ") + literal;
  }
  benchmark::AddCustomContext("cis410_prefilter_any_of", literals);

  // CIS 4.10 on each corpus, sgwatch first, then its peers.
  struct Split {
    const Corpus* corpus;
    const std::vector<bool>* truth;
  };
  const std::array<Split, 3> splits = {Split{nonmatching_corpus.get(), &nonmatching_truth},
                                       Split{matching_corpus.get(), &matching_truth},
                                       Split{mixed_corpus.get(), &all_truth}};
  for (const Split& split : splits) {
    const Corpus& corpus = *split.corpus;
    const std::vector<bool>& truth = *split.truth;
    const std::string prefix = "cis4.10/" + corpus.name + "/";
    add(prefix + "sgwatch", corpus, truth, Role::kEngine,
        [] { return std::make_unique<SgwatchMatcher>(&cis410); });
    add(prefix + "nlohmann", corpus, truth, Role::kPeer,
        [] { return std::make_unique<NlohmannCis410>(); });
    add(prefix + "simdjson_dom", corpus, truth, Role::kPeer,
        [] { return std::make_unique<SimdjsonDomCis410>(); });
    add(prefix + "simdjson_ondemand", corpus, truth, Role::kPeer,
        [] { return std::make_unique<SimdjsonOnDemandCis410>(); });
    add(prefix + "re2_raw_text", corpus, truth, Role::kPeer,
        [] { return std::make_unique<Re2Search>(Re2Search{&cis410_regex}); });
    // Not a peer: the first step of sgwatch alone, to show where its time goes.
    add(prefix + "sgwatch_prefilter_only", corpus, truth, Role::kPrefilter,
        [] { return std::make_unique<SgwatchPrefilterOnly>(SgwatchPrefilterOnly{&cis410}); });
    add(prefix + "prefilter_sketch", corpus, truth, Role::kPrefilter,
        [] { return std::make_unique<PrefilterSketch>(); });
  }

  // Context: other pattern kinds, each beside a peer.
  static const Matcher term = compile_or_die(kTermPattern);
  const std::vector<bool> term_truth = truth_by(
      *mixed_corpus, [](std::string_view event) { return contains_any(event, kTermNeedles); });
  add("term/mixed/sgwatch", *mixed_corpus, term_truth, Role::kEngine,
      [] { return std::make_unique<SgwatchMatcher>(&term); });
  add("term/mixed/string_find", *mixed_corpus, term_truth, Role::kPeer,
      [] { return std::make_unique<StringFindAny<2>>(StringFindAny<2>{&kTermNeedles}); });

  static const Matcher regex = compile_or_die(kRegexPattern);
  static const RE2 regex_peer{re2::StringPiece(kRegexPeer.data(), kRegexPeer.size())};
  const std::vector<bool> regex_truth = truth_by(
      *mixed_corpus, [](std::string_view event) { return contains_any(event, kRegexNeedles); });
  add("regex/mixed/sgwatch", *mixed_corpus, regex_truth, Role::kEngine,
      [] { return std::make_unique<SgwatchMatcher>(&regex); });
  add("regex/mixed/re2", *mixed_corpus, regex_truth, Role::kPeer,
      [] { return std::make_unique<Re2Search>(Re2Search{&regex_peer}); });

  static const Matcher unfiltered = compile_or_die(kJsonUnfilteredPattern);
  if (unfiltered.prefilter().any_of)
    fail("the unfiltered JSON pattern unexpectedly has a prefilter");
  add("json_no_prefilter/mixed/sgwatch", *mixed_corpus, identity_truth, Role::kEngine,
      [] { return std::make_unique<SgwatchMatcher>(&unfiltered); });
  add("json_no_prefilter/mixed/simdjson_dom", *mixed_corpus, identity_truth, Role::kPeer,
      [] { return std::make_unique<SimdjsonDomIdentityType>(); });

  static const Matcher apache = compile_or_die(kApachePattern);
  static const RE2 apache_regex{re2::StringPiece(kApacheRegex.data(), kApacheRegex.size())};
  add("delimited/apache-synthetic/sgwatch", *apache_corpus, apache_truth, Role::kEngine,
      [] { return std::make_unique<SgwatchMatcher>(&apache); });
  add("delimited/apache-synthetic/re2", *apache_corpus, apache_truth, Role::kPeer,
      [] { return std::make_unique<Re2Search>(Re2Search{&apache_regex}); });

  for (const std::string& note : g_notes) std::fprintf(stderr, "check: %s\n", note.c_str());
  std::fprintf(stderr, "check: every sgwatch answer agrees with the ground truth; timing now\n");
  std::fflush(stderr);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (const std::string& note : g_notes) std::fprintf(stderr, "check: %s\n", note.c_str());
  return 0;
}
