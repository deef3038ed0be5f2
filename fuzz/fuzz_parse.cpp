// libFuzzer target: the input is filter-pattern text. Compiles it (parse -> check -> compile)
// and, when it is valid, dumps the AST and queries the prefilter; also feeds the text to the
// metric-reference parser. Any broken invariant of fuzz/harness.h aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto violation = sgwatch::fuzz::run_parse(input)) {
    std::fprintf(stderr, "fuzz_parse: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
