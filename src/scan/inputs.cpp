// Implementation of inputs.h with std::filesystem; errors never throw out of it.
#include "scan/inputs.h"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace sgwatch::scan {
namespace fs = std::filesystem;

namespace {

// Sorted entries of one folder, files and subfolders together.
std::vector<fs::directory_entry> list_folder(const fs::path& folder,
                                             std::vector<InputProblem>& problems) {
  std::vector<fs::directory_entry> entries;
  std::error_code ec;
  fs::directory_iterator it(folder, ec);
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) entries.push_back(*it);
  if (ec) problems.push_back({folder.string(), ec.message()});
  std::sort(entries.begin(), entries.end(),
            [](const auto& a, const auto& b) { return a.path().filename() < b.path().filename(); });
  return entries;
}

// Depth-first in name order (the order of `find | sort`), with an explicit stack.
void walk(const fs::path& root, std::vector<Input>& out, std::vector<InputProblem>& problems) {
  struct Frame {
    std::vector<fs::directory_entry> entries;
    std::size_t next = 0;
  };
  std::vector<Frame> stack;
  stack.push_back(Frame{list_folder(root, problems)});
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.next >= frame.entries.size()) {
      stack.pop_back();
      continue;
    }
    const fs::directory_entry entry = frame.entries[frame.next++];
    std::error_code ec;
    if (entry.is_symlink(ec) && entry.is_directory(ec)) continue;
    if (entry.is_directory(ec)) {
      stack.push_back(Frame{list_folder(entry.path(), problems)});
    } else if (entry.is_regular_file(ec)) {
      out.push_back(Input{entry.path().string(), false, true});
    }
  }
}

}  // namespace

std::vector<Input> expand_inputs(const std::vector<std::string>& arguments,
                                 std::vector<InputProblem>& problems) {
  std::vector<Input> out;
  if (arguments.empty()) {
    out.push_back(Input{"-", true, false});
    return out;
  }
  for (const auto& argument : arguments) {
    if (argument == "-") {
      out.push_back(Input{"-", true, false});
      continue;
    }
    std::error_code ec;
    if (fs::is_directory(argument, ec)) {
      walk(argument, out, problems);
    } else {
      out.push_back(Input{argument, false, false});  // opening it reports what is wrong
    }
  }
  return out;
}

}  // namespace sgwatch::scan
