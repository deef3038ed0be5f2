// `sgwatch alarm simulate [FILE|-]` (CONTRACTS.md): what an alarm would do on given data. Input:
// JSON lines in the format of ../shared/conformance/alarm-scenarios.jsonl; output: one compact
// JSON line per input line. A line that is not JSON gives {"id": null, "error": {"code":
// "InvalidInput", ...}} and processing goes on; exit 2 if any line was not JSON, else 0.
#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>

#include "alarms/alarms.h"
#include "cli/commands.h"
#include "cli/output.h"

namespace sgwatch::cli {
namespace {

int run_simulate(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (!path.empty() && path != "-") {
    file.open(path, std::ios::binary);
    if (!file) {
      print_error("cannot read", path, std::strerror(errno));
      return kExitError;
    }
    in = &file;
  }
  bool bad_line = false;
  std::string line;
  std::size_t number = 0;
  while (std::getline(*in, line)) {
    ++number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::ordered_json out;
    const nlohmann::json scenario = nlohmann::json::parse(line, nullptr, false);
    if (scenario.is_discarded()) {
      bad_line = true;
      out["id"] = nullptr;
      out["error"] = nlohmann::ordered_json{
          {"code", "InvalidInput"},
          {"message", fmt::format("line {} is not valid JSON", number)}};
    } else {
      out = alarms::simulate_scenario(scenario);
    }
    const std::string text = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
  }
  std::fflush(stdout);
  return bad_line ? kExitError : kExitOk;
}

}  // namespace

Runner add_alarm(CLI::App& app) {
  auto path = std::make_shared<std::string>();
  CLI::App* alarm = app.add_subcommand("alarm", "CloudWatch metric alarms");
  alarm->require_subcommand(1);
  CLI::App* simulate = alarm->add_subcommand(
      "simulate",
      "What an alarm would do on given data: scenarios as JSON lines (the format of "
      "alarm-scenarios.jsonl) in, one result line each out.\nExit status: 0, or 2 when a line is "
      "not JSON.");
  simulate->add_option("file", *path, "Scenario file (JSON lines); none or '-' reads stdin");
  return [path, simulate]() -> int {
    if (!simulate->parsed()) return -1;
    return run_simulate(*path);
  };
}

}  // namespace sgwatch::cli
