// Command-line pre-pass for AWS-CLI-style list options: `--name v1 v2 ...` takes every value up
// to the next argument that starts with "--" (so messages may start with '-' or look like
// "[a,b]"; CLI11 would split those). Also turns an empty `--name=` into `--name ""`.
// Neighbours: main.cpp runs it before CLI11; subcommands read the lists it extracted.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace sgwatch::cli {

struct ArgumentLists {
  std::vector<std::string> remaining;  // what CLI11 parses (argv[0] first)
  std::map<std::string, std::vector<std::string>> lists;  // option name -> values, in order
};

ArgumentLists extract_list_options(int argc, const char* const* argv,
                                   const std::vector<std::string>& list_options);

}  // namespace sgwatch::cli
