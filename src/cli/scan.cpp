// `sgwatch scan` and `sgwatch rules list` (CONTRACTS.md "sgwatch scan"): applies filters to
// CloudTrail inputs and prints the matching records (table on a tty, JSON lines otherwise, or
// JSON), or with --count one "NAME<TAB>COUNT" line per filter. Exit 0 when something matched,
// 1 when nothing did, 2 on any error (bad input is reported and the scan goes on).
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <thread>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/shorthand.h"
#include "alarms/alarms.h"
#include "core/text.h"
#include "core/time.h"
#include "rules/rules.h"
#include "scan/report.h"
#include "scan/scan.h"
#include "sg/sg.h"

namespace sgwatch::cli {
namespace {

// One source of filters, in the order given on the command line ("definition order").
struct FilterSource {
  enum class Kind { kPattern, kPack, kFile } kind;
  std::string value;
};

struct ScanOptions {
  std::vector<FilterSource> sources;
  std::vector<std::string> paths;
  std::vector<std::string> patterns;
  std::vector<std::string> packs;
  std::vector<std::string> filter_files;
  bool count = false;
  std::string format;
  unsigned jobs = 0;
  std::size_t max_record_size = std::size_t{16} << 20;
  bool no_progress = false;
  std::string alarms;  // "", "default" or a file
  bool explain = false;       // jsonl/json: the normalized changes under "sg"
  std::string min_severity;   // "": every match
};

// The worst severity of a record's security-group changes; nullopt when it is not one.
std::optional<sg::Severity> worst_severity(const std::vector<sg::Change>& changes) {
  std::optional<sg::Severity> worst;
  for (const sg::Change& change : changes) {
    if (!worst || change.severity > *worst) worst = change.severity;
  }
  return worst;
}

std::string transition_line(const scan::AlarmTransition& t) {
  nlohmann::ordered_json line;
  line["alarm"] = t.alarm;
  line["time"] = core::format_iso8601(t.time);
  line["from"] = alarms::state_name(t.from);
  line["to"] = alarms::state_name(t.to);
  line["reason"] = t.reason;
  line["reasonData"] = t.reason_data;
  line["actions"] = t.actions;
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string timeline_table(const std::vector<scan::AlarmTransition>& timeline, std::size_t alarm_count,
                           bool colour) {
  std::string out = fmt::format("\n{}ALARM TIMELINE: {} alarms, {} transitions{}\n", colour ? "\x1b[1m" : "",
                                alarm_count, timeline.size(), colour ? "\x1b[0m" : "");
  std::size_t width = 5;
  for (const auto& t : timeline) width = std::max(width, t.alarm.size());
  out += fmt::format("{:<20}  {:<{}}  {:<30}  {}\n", "TIME", "ALARM", width, "CHANGE", "REASON");
  for (const auto& t : timeline) {
    std::string change = fmt::format("{} -> {}", alarms::state_name(t.from), alarms::state_name(t.to));
    if (colour && t.to == alarms::AlarmState::kAlarm) change = "\x1b[31m" + change + "\x1b[0m" + std::string(30 - std::min<std::size_t>(30, change.size()), ' ');
    out += fmt::format("{:<20}  {:<{}}  {:<30}  {}\n", core::format_iso8601(t.time), t.alarm, width, change, t.reason);
  }
  return out;
}

bool colour_allowed(int fd) { return ::isatty(fd) != 0 && std::getenv("NO_COLOR") == nullptr; }

std::string where_of(const std::string& path, const event::ReadError& error) {
  if (error.compressed) return fmt::format("{} at byte {} of the gzip file", path, error.offset);
  return fmt::format("{} at byte {}", path, error.offset);
}

class TerminalOutput : public scan::ScanOutput {
 public:
  TerminalOutput(bool json_array, bool progress) : json_array_(json_array), progress_(progress) {}

  void write(std::string_view text) override {
    clear_progress();
    if (!json_array_) {
      std::fwrite(text.data(), 1, text.size(), stdout);
      return;
    }
    // JSON: the JSON lines become the elements of one array.
    std::size_t start = 0;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string_view::npos) end = text.size();
      std::fputs(first_ ? "[\n" : ",\n", stdout);
      first_ = false;
      std::fwrite(text.data() + start, 1, end - start, stdout);
      start = end + 1;
    }
  }

  void finished(const scan::Input& input, const scan::InputOutcome& outcome) override {
    clear_progress();
    if (!outcome.open_error.empty()) {
      print_error("cannot read", input.path, outcome.open_error);
      return;
    }
    for (const auto& error : outcome.read.errors) {
      print_error("bad input", where_of(input.path, error), error.reason);
    }
    if (outcome.read.error_count > outcome.read.errors.size()) {
      print_error("bad input", input.path,
                  fmt::format("{} more errors not shown",
                              outcome.read.error_count - outcome.read.errors.size()));
    }
    for (const auto& error : outcome.record_errors) {
      print_error("bad input", where_of(input.path, error), error.reason);
    }
    if (outcome.read.skipped) {
      std::fprintf(stderr, "sgwatch: note: %s: skipped: %s\n", input.path.c_str(),
                   outcome.read.skipped->c_str());
    } else if (outcome.read.skipped_values > 0) {
      std::fprintf(stderr, "sgwatch: note: %s: %llu values hold no CloudTrail record (skipped)\n",
                   input.path.c_str(),
                   static_cast<unsigned long long>(outcome.read.skipped_values));
    }
  }

  void end() {
    clear_progress();
    if (json_array_) std::fputs(first_ ? "[]\n" : "\n]\n", stdout);
    std::fflush(stdout);
  }

  void show_progress(const scan::ScanProgress& progress, std::size_t total,
                     std::chrono::steady_clock::time_point started) {
    if (!progress_) return;
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const double mb = static_cast<double>(progress.bytes_in.load()) / 1e6;
    std::fprintf(stderr, "\r\x1b[K%llu/%zu files  %.1f MB  %.1f MB/s  %llu matches",
                 static_cast<unsigned long long>(progress.inputs_done.load()), total, mb,
                 seconds > 0 ? mb / seconds : 0.0,
                 static_cast<unsigned long long>(progress.hits.load()));
    std::fflush(stderr);
    shown_ = true;
  }

 private:
  void clear_progress() {
    if (!shown_) return;
    std::fputs("\r\x1b[K", stderr);
    shown_ = false;
  }

  bool json_array_;
  bool progress_;
  bool first_ = true;
  bool shown_ = false;
};

int run_scan(const ScanOptions& options) {
  scan::FilterSet filters;
  auto fail = [](const scan::FilterError& e) {
    print_error("invalid filter", e.where, e.reason);
    return kExitError;
  };
  // --pattern values are named pattern / pattern-N by their rank among all --pattern values.
  std::vector<std::string> patterns;
  for (const auto& source : options.sources) {
    if (source.kind != FilterSource::Kind::kPattern) continue;
    auto text = read_cli_argument(source.value);
    if (!text) {
      print_error("scan", "--pattern", text.error());
      return kExitError;
    }
    patterns.push_back(*text);
  }
  std::size_t next_pattern = 0;
  for (const auto& source : options.sources) {
    if (source.kind == FilterSource::Kind::kPattern) {
      const std::size_t rank = next_pattern++;
      if (auto added = filters.add_pattern(patterns[rank], rank, patterns.size()); !added) {
        return fail(added.error());
      }
    } else if (source.kind == FilterSource::Kind::kPack) {
      if (auto added = filters.add_pack(source.value); !added) return fail(added.error());
    } else {
      auto text = read_cli_argument("file://" + source.value);
      if (!text) {
        print_error("scan", "--filters", text.error());
        return kExitError;
      }
      if (auto added = filters.add_described(*text, source.value); !added) return fail(added.error());
    }
  }
  if (filters.empty()) {
    print_error("usage", "scan", "give at least one of --pattern, --rules or --filters");
    return kExitError;
  }
  std::optional<std::vector<alarms::AlarmDefinition>> alarm_definitions;
  if (!options.alarms.empty()) {
    if (options.alarms == "default") {
      alarm_definitions = scan::default_alarms(filters);
    } else {
      auto text = read_cli_argument("file://" + options.alarms);
      if (!text) {
        print_error("scan", "--alarms", text.error());
        return kExitError;
      }
      auto parsed = scan::parse_alarm_list(*text, options.alarms);
      if (!parsed) {
        print_error("invalid alarm", "--alarms", parsed.error());
        return kExitError;
      }
      alarm_definitions = std::move(*parsed);
    }
  }

  std::string format = options.format;
  if (format.empty()) format = ::isatty(STDOUT_FILENO) != 0 ? "table" : "jsonl";
  if (format != "table" && format != "jsonl" && format != "json") {
    print_error("usage", "--format", fmt::format("'{}' is not one of table, jsonl, json", format));
    return kExitError;
  }

  std::vector<scan::InputProblem> problems;
  const std::vector<scan::Input> inputs = scan::expand_inputs(options.paths, problems);
  for (const auto& problem : problems) print_error("cannot read", problem.path, problem.reason);

  std::optional<sg::Severity> min_severity;
  if (!options.min_severity.empty()) {
    min_severity = sg::parse_severity(options.min_severity);
    if (!min_severity) {
      print_error("usage", "--min-severity",
                  fmt::format("'{}' is not one of info, low, medium, high, critical", options.min_severity));
      return kExitError;
    }
  }

  scan::Scanner::Options scan_options;
  scan_options.reader.max_record_size = options.max_record_size;
  if (min_severity) {
    // Only security-group events whose normalized change reaches the level are hits.
    const sg::Severity floor = *min_severity;
    scan_options.keep = [floor](const event::Record& record) {
      const sg::NormalizeResult changes = sg::normalize(record.text);
      if (!changes) return false;
      const std::optional<sg::Severity> worst = worst_severity(*changes);
      return worst && *worst >= floor;
    };
  }
  if (alarm_definitions) scan_options.backtest = scan::store_for(*alarm_definitions);
  scan_options.jobs = options.jobs == 0 ? std::max(1U, std::thread::hardware_concurrency())
                                        : options.jobs;
  const scan::Scanner scanner(filters, scan_options);

  const scan::TableStyle style{colour_allowed(STDOUT_FILENO)};
  scan::HitFormatter formatter;
  if (options.count) {
    formatter = [](std::string&, const scan::Hit&) {};
  } else if (format == "table") {
    formatter = [&](std::string& out, const scan::Hit& hit) {
      scan::RowExposure exposure;
      if (const sg::NormalizeResult changes = sg::normalize(hit.record.text); changes && !changes->empty()) {
        const sg::Change* worst = &changes->front();
        for (const sg::Change& change : *changes) {
          if (change.severity > worst->severity) worst = &change;
        }
        exposure.severity = std::string(sg::severity_name(worst->severity));
        exposure.reason = core::printable(worst->reason, 200);
      }
      scan::format_table_row(out, hit, filters, style, exposure);
    };
  } else if (options.explain) {
    formatter = [&](std::string& out, const scan::Hit& hit) {
      std::string members;
      if (const sg::NormalizeResult changes = sg::normalize(hit.record.text); changes) {
        Json list = Json::array();
        for (const sg::Change& change : *changes) list.push_back(sg::to_json(change));
        members = ",\"sg\":" + list.dump(-1, ' ', false, Json::error_handler_t::replace);
      }
      scan::format_jsonl(out, hit, filters, members);
    };
  } else {
    formatter = [&](std::string& out, const scan::Hit& hit) {
      scan::format_jsonl(out, hit, filters);
    };
  }

  const bool progress = !options.no_progress && ::isatty(STDERR_FILENO) != 0;
  TerminalOutput output(!options.count && format == "json", progress);
  if (!options.count && format == "table") {
    const std::string header = scan::table_header(style);
    std::fwrite(header.data(), 1, header.size(), stdout);
  }
  scan::ScanProgress live;
  const auto started = std::chrono::steady_clock::now();
  std::function<void()> tick;
  if (progress) tick = [&] { output.show_progress(live, inputs.size(), started); };
  const scan::ScanTotals totals = scanner.run(inputs, formatter, output, &live, tick);
  std::vector<scan::AlarmTransition> timeline;
  if (alarm_definitions) {
    timeline = scan::run_backtest(*alarm_definitions, totals.series);
    if (totals.untimed > 0) {
      std::fprintf(stderr, "sgwatch: note: %llu matching records have no eventTime; the alarm timeline leaves them out\n",
                   static_cast<unsigned long long>(totals.untimed));
    }
    // In JSON (lines), the transitions follow the matches in the same stream.
    if (!options.count && format != "table") {
      std::string lines;
      for (const auto& t : timeline) lines += transition_line(t);
      if (!lines.empty()) output.write(lines);
    }
  }
  output.end();

  if (options.count) {
    std::string out;
    for (std::size_t k = 0; k < filters.filters().size(); ++k) {
      out += fmt::format("{}\t{}\n", filters.filters()[k].name, totals.counts[k]);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }
  if (alarm_definitions && (options.count || format == "table")) {
    std::string out;
    if (format == "table") {
      out = timeline_table(timeline, alarm_definitions->size(), style.colour);
    } else {
      for (const auto& t : timeline) out += transition_line(t);
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fflush(stdout);
  }
  if (::isatty(STDERR_FILENO) != 0) {
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::fprintf(stderr,
                 "sgwatch: %llu matching records of %llu in %llu inputs (%.1f MB, %.2f s); "
                 "%llu skipped, %llu errors\n",
                 static_cast<unsigned long long>(totals.hits),
                 static_cast<unsigned long long>(totals.records),
                 static_cast<unsigned long long>(totals.inputs),
                 static_cast<double>(totals.bytes_in) / 1e6, seconds,
                 static_cast<unsigned long long>(totals.skipped),
                 static_cast<unsigned long long>(totals.errors));
  }
  if (totals.errors > 0 || !problems.empty()) return kExitError;
  return totals.hits > 0 ? kExitOk : kExitNothing;
}

int run_rules_list(bool patterns) {
  std::string out;
  for (const auto& pack : rules::packs()) {
    out += fmt::format("{}: {} ({} filters)\n", pack.name, pack.description, pack.filters.size());
    for (const auto& filter : pack.filters) {
      out += fmt::format("  {:<44} {}\n", filter.name, filter.title);
      if (patterns) out += fmt::format("      {}\n", filter.pattern);
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

Runner add_scan(CLI::App& app) {
  auto options = std::make_shared<ScanOptions>();
  CLI::App* sub = app.add_subcommand(
      "scan",
      "Scan CloudTrail files, folders or stdin with filter patterns and print the matching "
      "records.\nExit status: 0 something matched, 1 nothing matched, 2 any error.");
  sub->add_option("paths", options->paths,
                  "Files or folders (walked recursively); none or '-' reads stdin");
  sub->add_option("--pattern", options->patterns,
                  "A filter pattern, or file://PATH holding one (repeatable: pattern-1, pattern-2, "
                  "...)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false)
      ->delimiter('\0');
  sub->add_option("--rules", options->packs, "A built-in pack: cis-v3, cis-v5, sg-all (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  sub->add_option("--filters", options->filter_files,
                  "The output of `aws logs describe-metric-filters` (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)
      ->allow_extra_args(false);
  sub->add_flag("--count", options->count, "Print NAME<TAB>COUNT per filter instead of records");
  sub->add_option("--format", options->format, "table, jsonl or json (default: table on a tty)");
  sub->add_option("-j,--jobs", options->jobs, "Files scanned in parallel (default: CPU cores)")
      ->check(CLI::Range(1U, 1024U));
  sub->add_option("--max-record-size", options->max_record_size,
                  "Largest record accepted, in bytes (default 16777216)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
  sub->add_flag("--no-progress", options->no_progress, "No progress line on stderr");
  sub->add_option("--alarms", options->alarms,
                  "Replay the matches through alarms and print their timeline: FILE (a JSON list of "
                  "put-metric-alarm inputs) or 'default' (the CIS alarm for every filter: Sum, 300 s, "
                  ">= 1, 1 period)");
  sub->add_flag("--explain", options->explain,
                "JSON lines and JSON: add \"sg\", the normalized security-group changes of each match "
                "(as `sgwatch explain` prints them)");
  sub->add_option("--min-severity", options->min_severity,
                  "Keep only security-group events whose normalized change reaches this severity: info, "
                  "low, medium, high, critical (other events are dropped)");

  CLI::App* rules = app.add_subcommand("rules", "Built-in filter packs");
  rules->require_subcommand(1);
  CLI::App* list = rules->add_subcommand("list", "List the packs and their filters");
  auto show_patterns = std::make_shared<bool>(false);
  list->add_flag("--patterns", *show_patterns, "Also print each filter's pattern");

  return [options, sub, list, show_patterns]() -> int {
    if (list->parsed()) return run_rules_list(*show_patterns);
    if (!sub->parsed()) return -1;
    // Filters keep the order in which their options were given.
    std::size_t patterns = 0, packs = 0, files = 0;
    for (const CLI::Option* option : sub->parse_order()) {
      if (option->get_name() == "--pattern" && patterns < options->patterns.size()) {
        options->sources.push_back({FilterSource::Kind::kPattern, options->patterns[patterns++]});
      } else if (option->get_name() == "--rules" && packs < options->packs.size()) {
        options->sources.push_back({FilterSource::Kind::kPack, options->packs[packs++]});
      } else if (option->get_name() == "--filters" && files < options->filter_files.size()) {
        options->sources.push_back({FilterSource::Kind::kFile, options->filter_files[files++]});
      }
    }
    return run_scan(*options);
  };
}

}  // namespace sgwatch::cli
