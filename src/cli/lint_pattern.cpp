// `sgwatch lint-pattern (PATTERN | --filters FILE)` (CONTRACTS.md, docs/cli.md, docs/lint.md):
// runs a filter pattern — or every filter of an `aws logs describe-metric-filters` output, read
// as `sgwatch scan --filters` reads it — with the real matcher over the lint corpus of
// representative security-group events, and prints which APIs it covers (a counter-example
// record per gap) and its verdict against CIS v3.0.0 and v5.0.0 4.10. Output: a table on a tty,
// else JSON (--format json|jsonl|table). Exit 0 every API covered, 1 some API missed, 2 error.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/shorthand.h"
#include "core/text.h"
#include "lint/lint.h"
#include "scan/filters.h"

namespace sgwatch::cli {
namespace {

struct LintOptions {
  std::string pattern;
  std::string filters_file;
  std::string format;
  bool has_pattern = false;  // given, even if empty (the empty pattern matches every event)
  bool has_file = false;
};

Json event_json(const lint::CorpusEvent* event) {
  if (event == nullptr) return Json();
  return Json::parse(event->text, nullptr, false);
}

Json profiles_json(const lint::Report& report) {
  Json profiles = Json::object();
  for (const auto& p : report.profiles) profiles[p.profile] = std::string(lint::verdict_name(p.verdict));
  return profiles;
}

std::string json_document(const lint::Report& report) {
  Json doc;
  Json apis = Json::array();
  for (const auto& api : report.apis) {
    Json item;
    item["api"] = api.api;
    item["covered"] = api.covered;
    item["example"] = event_json(api.example);
    apis.push_back(std::move(item));
  }
  doc["apis"] = std::move(apis);
  doc["profiles"] = profiles_json(report);
  return aws_cli_json(doc);
}

std::string compact(const Json& value) { return value.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n"; }

std::string json_lines(const lint::Report& report) {
  std::string out;
  for (const auto& api : report.apis) {
    Json line;
    line["api"] = api.api;
    line["covered"] = api.covered;
    line["example"] = event_json(api.example);
    Json missed = Json::array();
    for (const auto& gap : api.missed) {
      Json item;
      item["variant"] = gap.variant;
      item["example"] = event_json(gap.event);
      missed.push_back(std::move(item));
    }
    line["missedVariants"] = std::move(missed);
    out += compact(line);
  }
  Json last;
  last["profiles"] = profiles_json(report);
  out += compact(last);
  return out;
}

std::string table(const lint::Report& report, bool colour) {
  const auto paint = [colour](std::string_view text, std::string_view code) {
    return colour ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
  };
  std::size_t width = 3;
  for (const auto& api : report.apis) width = std::max(width, api.api.size());
  std::string out = fmt::format("  {:<{}}  {}\n", "API", width, "VARIANTS MISSED");
  std::size_t missed_apis = 0;
  for (const auto& api : report.apis) {
    std::string note;
    if (!api.covered) {
      ++missed_apis;
      note = "not covered (counter-example: --format json)";
    } else if (!api.missed.empty()) {
      for (const auto& gap : api.missed) note += (note.empty() ? "" : ", ") + gap.variant;
    }
    std::string line = fmt::format("{} {:<{}}  {}", api.covered ? paint("✓", "32") : paint("✗", "31"), api.api, width, note);
    line.erase(line.find_last_not_of(' ') + 1);
    out += line + "\n";
  }
  out += "\nverdicts (over the lint corpus: every variant of every API above plus near misses)\n";
  for (const auto& p : report.profiles) {
    out += fmt::format("  {:<12} {}  (pattern matches {}, profile {}, both {})\n", p.profile,
                       paint(lint::verdict_name(p.verdict), "1"), p.user_matches, p.profile_matches, p.common);
  }
  out += missed_apis == 0 ? fmt::format("\nall {} APIs covered\n", report.apis.size())
                          : fmt::format("\n{} of {} APIs not covered\n", missed_apis, report.apis.size());
  return out;
}

int run_lint(const LintOptions& options) {
  std::string format = options.format;
  if (format.empty()) format = ::isatty(STDOUT_FILENO) != 0 ? "table" : "json";
  if (format != "table" && format != "jsonl" && format != "json") {
    print_error("usage", "--format", fmt::format("'{}' is not one of table, json, jsonl", format));
    return kExitError;
  }
  const bool has_pattern = options.has_pattern;
  const bool has_file = options.has_file;
  if (has_pattern == has_file) {
    print_error("usage", "lint-pattern", "give either a PATTERN or --filters FILE (exactly one)");
    return kExitError;
  }

  core::Result<lint::Report, std::string> report = core::unexpected(std::string("no filters"));
  if (has_pattern) {
    auto text = read_cli_argument(options.pattern);
    if (!text) {
      print_error("lint-pattern", "PATTERN", text.error());
      return kExitError;
    }
    auto matcher = pattern::Matcher::compile(*text);
    if (!matcher) {
      print_error("invalid filter pattern", fmt::format("byte {}", matcher.error().position),
                  fmt::format("{} ({}; near '{}')", matcher.error().aws_message, matcher.error().why,
                              core::printable(matcher.error().fragment, 60)));
      return kExitError;
    }
    const std::vector<pattern::Matcher> filters{std::move(*matcher)};
    report = lint::lint(filters);
  } else {
    auto text = read_cli_argument("file://" + options.filters_file);
    if (!text) {
      print_error("lint-pattern", "--filters", text.error());
      return kExitError;
    }
    scan::FilterSet filters;
    if (auto added = filters.add_described(*text, options.filters_file); !added) {
      print_error("invalid filter", added.error().where, added.error().reason);
      return kExitError;
    }
    if (filters.empty()) {
      std::fprintf(stderr, "sgwatch: note: %s: no metric filters: nothing is covered\n", options.filters_file.c_str());
    }
    report = lint::lint(filters);
  }
  if (!report) {
    print_error("internal error", "lint-pattern", report.error());
    return kExitError;
  }

  std::string out;
  if (format == "json") {
    out = json_document(*report);
  } else if (format == "jsonl") {
    out = json_lines(*report);
  } else {
    out = table(*report, ::isatty(STDOUT_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  return report->all_covered() ? kExitOk : kExitNothing;
}

}  // namespace

Runner add_lint_pattern(CLI::App& app) {
  auto options = std::make_shared<LintOptions>();
  CLI::App* sub = app.add_subcommand(
      "lint-pattern",
      "Check which security-group APIs a filter pattern (or a describe-metric-filters file) catches, "
      "with a counter-example event per gap, and how it compares with CIS v3.0.0 / v5.0.0 4.10.\n"
      "Exit status: 0 every API covered, 1 some API missed, 2 error.");
  CLI::Option* pattern_option =
      sub->add_option("pattern", options->pattern, "The filter pattern (or file://PATH holding it)");
  CLI::Option* filters_option = sub->add_option("--filters", options->filters_file,
                  "The output of `aws logs describe-metric-filters`: covered when any filter matches");
  sub->add_option("--format", options->format, "table, json or jsonl (default: table on a tty, else json)");
  return [options, sub, pattern_option, filters_option]() -> int {
    if (!sub->parsed()) return -1;
    options->has_pattern = pattern_option->count() > 0;
    options->has_file = filters_option->count() > 0;
    return run_lint(*options);
  };
}

}  // namespace sgwatch::cli
