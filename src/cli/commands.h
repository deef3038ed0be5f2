// The subcommands of the sgwatch binary. Each registers its flags on the CLI11 app and returns
// a runner that produces the exit status. Only the cli module prints or decides exit codes.
// Neighbours: main.cpp wires them; one .cpp per subcommand.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>

#include "cli/arguments.h"

namespace sgwatch::cli {

// Exit statuses (CONTRACTS.md, "Common rules").
inline constexpr int kExitOk = 0;
inline constexpr int kExitNothing = 1;
inline constexpr int kExitError = 2;

using Runner = std::function<int()>;

// Options that take AWS-CLI-style value lists (see arguments.h).
const std::vector<std::string>& list_options();

Runner add_test_pattern(CLI::App& app, const ArgumentLists& lists);
Runner add_scan(CLI::App& app);
Runner add_alarm(CLI::App& app);
Runner add_serve(CLI::App& app);
Runner add_explain(CLI::App& app);
Runner add_lint_pattern(CLI::App& app);
Runner add_state(CLI::App& app);
Runner add_audit(CLI::App& app);
Runner add_apply(CLI::App& app);
Runner add_export(CLI::App& app);
Runner add_config(CLI::App& app);

}  // namespace sgwatch::cli
