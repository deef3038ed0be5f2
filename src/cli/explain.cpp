// `sgwatch explain [FILE ...|-]`: the normalized security-group changes of CloudTrail records
// (docs/cli.md, docs/sg.md). Inputs are read as `sgwatch scan` reads them (files, folders, stdin;
// gzip, Records files, JSON lines, EventBridge, lookup-events, ...); each record goes through
// sg::normalize. Output: readable blocks on a tty, else JSON lines, or one JSON array with
// --format json. Records that are not security-group events are skipped with a note.
// Exit 0 when a change was printed, 1 when none was, 2 on any error (bad input, usage).
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "event/reader.h"
#include "scan/inputs.h"
#include "sg/sg.h"

namespace sgwatch::cli {
namespace {

struct ExplainOptions {
  std::vector<std::string> paths;
  std::string format;
  std::string min_severity = "info";
  std::size_t max_record_size = std::size_t{16} << 20;
};

struct ExplainTotals {
  std::uint64_t records = 0;
  std::uint64_t not_sg = 0;
  std::uint64_t below = 0;
  std::uint64_t printed = 0;
  std::uint64_t errors = 0;
};

std::string where_of(const std::string& path, const event::ReadError& error) {
  if (error.compressed) return fmt::format("{} at byte {} of the gzip file", path, error.offset);
  return fmt::format("{} at byte {}", path, error.offset);
}

void write_out(const std::string& text) { std::fwrite(text.data(), 1, text.size(), stdout); }

int run_explain(const ExplainOptions& options) {
  std::string format = options.format;
  if (format.empty()) format = ::isatty(STDOUT_FILENO) != 0 ? "table" : "jsonl";
  if (format != "table" && format != "jsonl" && format != "json") {
    print_error("usage", "--format", fmt::format("'{}' is not one of table, jsonl, json", format));
    return kExitError;
  }
  const std::optional<sg::Severity> min_severity = sg::parse_severity(options.min_severity);
  if (!min_severity) {
    print_error("usage", "--min-severity",
                fmt::format("'{}' is not one of info, low, medium, high, critical", options.min_severity));
    return kExitError;
  }
  const sg::TextStyle style{::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr};

  std::vector<scan::InputProblem> problems;
  const std::vector<scan::Input> inputs = scan::expand_inputs(options.paths, problems);
  ExplainTotals totals;
  for (const auto& problem : problems) {
    print_error("cannot read", problem.path, problem.reason);
    ++totals.errors;
  }

  const sg::NormalizeOptions normalize_options;
  Json array = Json::array();
  for (const scan::Input& input : inputs) {
    int fd = STDIN_FILENO;
    if (!input.is_stdin) {
      fd = ::open(input.path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0) {
        print_error("cannot read", input.path, std::strerror(errno));
        ++totals.errors;
        continue;
      }
    }
    event::Reader::Options reader_options;
    reader_options.max_record_size = options.max_record_size;
    reader_options.sniff_json = input.walked;
    const event::Reader reader(reader_options);
    event::FdSource source(fd);
    const event::ReadResult read = reader.read(source, [&](const event::Record& record) {
      ++totals.records;
      sg::NormalizeResult result = sg::normalize(record.text, normalize_options);
      if (!result) {
        ++totals.not_sg;
        return;
      }
      for (const sg::Change& change : *result) {
        if (change.severity < *min_severity) {
          ++totals.below;
          continue;
        }
        ++totals.printed;
        if (format == "table") {
          write_out((totals.printed > 1 ? "\n" : "") + sg::change_text(change, style));
        } else if (format == "jsonl") {
          write_out(sg::to_json(change).dump(-1, ' ', false, Json::error_handler_t::replace) + "\n");
        } else {
          array.push_back(sg::to_json(change));
        }
      }
    });
    if (!input.is_stdin) ::close(fd);
    for (const auto& error : read.errors) print_error("bad input", where_of(input.path, error), error.reason);
    if (read.error_count > read.errors.size()) {
      print_error("bad input", input.path,
                  fmt::format("{} more errors not shown", read.error_count - read.errors.size()));
    }
    totals.errors += read.error_count;
    if (read.skipped) {
      std::fprintf(stderr, "sgwatch: note: %s: skipped: %s\n", input.path.c_str(), read.skipped->c_str());
    }
  }
  if (format == "json") write_out(aws_cli_json(array));
  std::fflush(stdout);
  if (totals.not_sg > 0) {
    std::fprintf(stderr, "sgwatch: note: %llu of %llu records are not security-group events (skipped)\n",
                 static_cast<unsigned long long>(totals.not_sg), static_cast<unsigned long long>(totals.records));
  }
  if (totals.below > 0) {
    std::fprintf(stderr, "sgwatch: note: %llu changes below --min-severity %s (not shown)\n",
                 static_cast<unsigned long long>(totals.below), std::string(sg::severity_name(*min_severity)).c_str());
  }
  if (totals.errors > 0) return kExitError;
  return totals.printed > 0 ? kExitOk : kExitNothing;
}

}  // namespace

Runner add_explain(CLI::App& app) {
  auto options = std::make_shared<ExplainOptions>();
  CLI::App* sub = app.add_subcommand(
      "explain",
      "Explain the security-group changes in CloudTrail records: who changed which group, which "
      "rules, and how exposed it is now.\nExit status: 0 a change was printed, 1 none, 2 any error.");
  sub->add_option("paths", options->paths, "Files or folders (walked recursively); none or '-' reads stdin");
  sub->add_option("--format", options->format, "table, jsonl or json (default: table on a tty, else jsonl)");
  sub->add_option("--min-severity", options->min_severity,
                  "Only changes at or above: info (default), low, medium, high, critical");
  sub->add_option("--max-record-size", options->max_record_size,
                  "Largest record accepted, in bytes (default 16777216)")
      ->check(CLI::Range(std::size_t{1024}, std::size_t{1} << 30));
  return [options, sub]() -> int {
    if (!sub->parsed()) return -1;
    return run_explain(*options);
  };
}

}  // namespace sgwatch::cli
