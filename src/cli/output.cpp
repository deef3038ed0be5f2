// Implementation of output.h.
#include "cli/output.h"

#include <cmath>
#include <cstdio>

namespace sgwatch::cli {

std::string aws_cli_json(const Json& value) {
  return value.dump(4, ' ', false, Json::error_handler_t::replace) + "\n";
}

void print_error(std::string_view what, std::string_view where, std::string_view why) {
  std::string line = "sgwatch: ";
  line += what;
  if (!where.empty()) {
    line += ": ";
    line += where;
  }
  if (!why.empty()) {
    line += ": ";
    line += why;
  }
  line += '\n';
  std::fputs(line.c_str(), stderr);
}

Json json_number(double value) {
  if (std::isfinite(value) && std::trunc(value) == value && std::fabs(value) < 9.007199254740992e15) {
    return Json(static_cast<std::int64_t>(value));
  }
  return Json(value);
}

}  // namespace sgwatch::cli
