// Inputs of a scan: the PATH arguments expanded in a stable order. No PATH or "-" is stdin; a
// folder is walked recursively (entries sorted by name, symbolic links to folders not followed,
// as grep -r does); files met in a walk are sniffed and skipped with a note when they are not
// JSON, while files named on the command line are always read.
#pragma once

#include <string>
#include <vector>

namespace sgwatch::scan {

struct Input {
  std::string path;      // as given or found; "-" for stdin
  bool is_stdin = false;
  bool walked = false;   // found by walking a folder
};

struct InputProblem {
  std::string path;
  std::string reason;
};

std::vector<Input> expand_inputs(const std::vector<std::string>& arguments,
                                 std::vector<InputProblem>& problems);

}  // namespace sgwatch::scan
