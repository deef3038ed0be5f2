// The sgwatch binary: parses the command line with CLI11 and runs one subcommand.
// Exit status: 0 success/found, 1 nothing found or a check failed (where a command says so),
// 2 usage error, bad input or internal error.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/output.h"
#include "core/version.h"

namespace sgwatch::cli {

const std::vector<std::string>& list_options() {
  static const std::vector<std::string> options{"--log-event-messages", "--metric-transformations"};
  return options;
}

}  // namespace sgwatch::cli

namespace {

int run_main(int argc, char** argv) {
  using namespace sgwatch::cli;
  CLI::App app{
      "sgwatch: CloudTrail security-group change monitoring with CloudWatch Logs, CloudWatch and "
      "SNS semantics.\nExit status: 0 success (found), 1 nothing found / check failed, 2 error."};
  app.set_version_flag("--version", "sgwatch " + std::string(sgwatch::core::kVersion));
  app.require_subcommand(1);
  const ArgumentLists lists = extract_list_options(argc, argv, list_options());
  std::vector<Runner> runners;
  runners.push_back(add_test_pattern(app, lists));
  runners.push_back(add_scan(app));
  runners.push_back(add_alarm(app));
  runners.push_back(add_serve(app));
  runners.push_back(add_explain(app));
  runners.push_back(add_lint_pattern(app));
  runners.push_back(add_state(app));
  runners.push_back(add_audit(app));
  runners.push_back(add_apply(app));
  runners.push_back(add_export(app));
  runners.push_back(add_config(app));
  try {
    std::vector<std::string> args(lists.remaining.rbegin(), lists.remaining.rend() - 1);
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    print_error("usage", "", e.what());
    return kExitError;
  }
  for (const Runner& runner : runners) {
    const int status = runner();
    if (status >= 0) return status;
  }
  return kExitError;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run_main(argc, argv);
  } catch (const std::exception& e) {
    sgwatch::cli::print_error("internal error", "", e.what());
  } catch (...) {
    sgwatch::cli::print_error("internal error", "", "unknown exception");
  }
  return sgwatch::cli::kExitError;
}
