// Runs a program with arguments and captures its exit status, stdout and stderr (for exact-output
// CLI tests). Neighbours: tests/conformance, tests that drive the sgwatch binary.
#pragma once

#include <string>
#include <vector>

namespace sgwatch::testing {

struct ProcessResult {
  int exit_code = -1;  // -1 when the process did not exit normally
  std::string out;
  std::string err;
};

// Runs `argv[0]` (a path) with `argv`, feeding `input` on stdin.
ProcessResult run_process(const std::vector<std::string>& argv, const std::string& input = "");

// The same with `environment` ("NAME=value" entries) as the child's whole environment.
ProcessResult run_process_with_environment(const std::vector<std::string>& argv,
                                           const std::vector<std::string>& environment,
                                           const std::string& input = "");

// Path of the sgwatch binary under test, and of the shared folder.
std::string sgwatch_binary();
std::string shared_dir();

}  // namespace sgwatch::testing
