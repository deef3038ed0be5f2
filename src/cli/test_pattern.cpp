// `sgwatch test-pattern`: the offline twin of `aws logs test-metric-filter` (CONTRACTS.md).
// Prints the TestMetricFilter response as the AWS CLI prints it; with --metric-transformations
// each match also carries the metric value and dimensions the event would publish.
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/output.h"
#include "cli/shorthand.h"
#include "core/text.h"
#include "pattern/pattern.h"

namespace sgwatch::cli {
namespace {

struct TestPatternOptions {
  std::string filter_pattern;
  std::vector<std::string> messages;
  std::vector<std::string> transformations;
};

core::Result<std::vector<std::string>, std::string> load_messages(
    const std::vector<std::string>& arguments) {
  std::vector<std::string> messages;
  for (const std::string& argument : arguments) {
    if (argument.rfind("file://", 0) != 0) {
      messages.push_back(argument);
      continue;
    }
    auto text = read_cli_argument(argument);
    if (!text) return core::unexpected(text.error());
    Json parsed = Json::parse(*text, nullptr, false);
    if (parsed.is_discarded() || !parsed.is_array()) {
      return core::unexpected(fmt::format("{}: expected a JSON array of strings", argument.substr(7)));
    }
    for (const Json& item : parsed) {
      if (!item.is_string()) {
        return core::unexpected(fmt::format("{}: every element must be a string", argument.substr(7)));
      }
      messages.push_back(item.get<std::string>());
    }
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    if (messages[i].empty()) {
      return core::unexpected(fmt::format("message {} is empty; log events have at least one character",
                                          i + 1));
    }
  }
  return messages;
}

int run(const TestPatternOptions& options) {
  auto messages = load_messages(options.messages);
  if (!messages) {
    print_error("test-pattern", "--log-event-messages", messages.error());
    return kExitError;
  }
  auto pattern_text = read_cli_argument(options.filter_pattern);
  if (!pattern_text) {
    print_error("test-pattern", "--filter-pattern", pattern_text.error());
    return kExitError;
  }
  auto matcher = pattern::Matcher::compile(*pattern_text);
  if (!matcher) {
    print_error("invalid filter pattern", fmt::format("byte {}", matcher.error().position),
                fmt::format("{} ({}; near '{}')", matcher.error().aws_message, matcher.error().why,
                            core::printable(matcher.error().fragment, 60)));
    return kExitError;
  }
  std::optional<pattern::MetricFilter> filter;
  if (!options.transformations.empty()) {
    auto transformations = parse_transformations(options.transformations);
    if (!transformations) {
      print_error("invalid metric transformation", "--metric-transformations",
                  transformations.error());
      return kExitError;
    }
    auto created = pattern::MetricFilter::create(*matcher, std::move(transformations).value());
    if (!created) {
      print_error("invalid metric transformation", created.error().fragment,
                  fmt::format("{} ({})", created.error().aws_message, created.error().why));
      return kExitError;
    }
    filter = std::move(created).value();
  }

  Json matches = Json::array();
  pattern::Subject subject;
  pattern::ExtractedValues extracted;
  for (std::size_t i = 0; i < messages->size(); ++i) {
    const std::string& message = (*messages)[i];
    subject.reset(message);
    Json match;
    if (filter) {
      const auto emission = filter->evaluate(subject, &extracted);
      if (!emission.matched) continue;
      match["eventNumber"] = i + 1;
      match["eventMessage"] = message;
      match["extractedValues"] = Json::object();
      for (const auto& [name, value] : extracted) match["extractedValues"][name] = value;
      match["metricValue"] = emission.value ? json_number(*emission.value) : Json(nullptr);
      match["dimensions"] = Json::object();
      for (const auto& [name, value] : emission.dimensions) match["dimensions"][name] = value;
    } else {
      if (!matcher->match(subject, &extracted)) continue;
      match["eventNumber"] = i + 1;
      match["eventMessage"] = message;
      match["extractedValues"] = Json::object();
      for (const auto& [name, value] : extracted) match["extractedValues"][name] = value;
    }
    matches.push_back(std::move(match));
  }
  Json response;
  response["matches"] = std::move(matches);
  const std::string out = aws_cli_json(response);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return kExitOk;
}

}  // namespace

Runner add_test_pattern(CLI::App& app, const ArgumentLists& lists) {
  auto options = std::make_shared<TestPatternOptions>();
  CLI::App* sub = app.add_subcommand(
      "test-pattern",
      "Test a CloudWatch Logs filter pattern on log event messages, like `aws logs "
      "test-metric-filter`.\nExit status: 0 (whether or not anything matched), 2 for an invalid "
      "pattern, transformation or input.");
  sub->add_option("--filter-pattern", options->filter_pattern,
                  "The filter pattern, or file://PATH holding it (write --filter-pattern=-TERM for a "
                  "pattern starting with '-')")
      ->required();
  // These take AWS-CLI-style lists (every value up to the next --option; see arguments.h), so
  // they are parsed by the pre-pass and only described here.
  sub->footer(
      "List options (values run up to the next --option):\n"
      "  --log-event-messages M [M ...]  REQUIRED: messages to test, or file://PATH holding a\n"
      "                                  JSON array of strings\n"
      "  --metric-transformations T      the transformation as put-metric-filter takes it: JSON,\n"
      "                                  file://PATH, or shorthand metricName=..,metricNamespace=..,\n"
      "                                  metricValue=..[,defaultValue=..][,dimensions={K=$.f}][,unit=..]");
  return [options, sub, &lists]() -> int {
    if (!sub->parsed()) return -1;
    auto find = [&](const std::string& name) {
      auto it = lists.lists.find(name);
      return it == lists.lists.end() ? std::vector<std::string>{} : it->second;
    };
    options->messages = find("--log-event-messages");
    options->transformations = find("--metric-transformations");
    if (options->messages.empty()) {
      print_error("usage", "test-pattern", "--log-event-messages needs at least one message");
      return kExitError;
    }
    return run(*options);
  };
}

}  // namespace sgwatch::cli
