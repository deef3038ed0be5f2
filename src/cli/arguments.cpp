// Implementation of arguments.h.
#include "cli/arguments.h"

#include <algorithm>

namespace sgwatch::cli {

ArgumentLists extract_list_options(int argc, const char* const* argv,
                                   const std::vector<std::string>& list_options) {
  ArgumentLists out;
  auto is_list = [&](const std::string& name) {
    return std::find(list_options.begin(), list_options.end(), name) != list_options.end();
  };
  for (int i = 0; i < argc; ++i) {
    std::string arg = argv[i];
    if (i == 0 || arg.rfind("--", 0) != 0) {
      out.remaining.push_back(std::move(arg));
      continue;
    }
    const std::size_t eq = arg.find('=');
    const std::string name = arg.substr(0, eq);
    if (is_list(name)) {
      auto& values = out.lists[name];
      if (eq != std::string::npos) {
        values.push_back(arg.substr(eq + 1));
      } else {
        while (i + 1 < argc && std::string_view(argv[i + 1]).rfind("--", 0) != 0) {
          values.emplace_back(argv[++i]);
        }
      }
      continue;
    }
    if (eq != std::string::npos && eq + 1 == arg.size()) {
      out.remaining.push_back(name);
      out.remaining.emplace_back();
      continue;
    }
    out.remaining.push_back(std::move(arg));
  }
  return out;
}

}  // namespace sgwatch::cli
