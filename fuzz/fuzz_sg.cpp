// libFuzzer target: sg::normalize over arbitrary record text. Any broken invariant of
// fuzz/sg_harness.h aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "sg_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto violation = sgwatch::fuzz::run_sg(input)) {
    std::fprintf(stderr, "fuzz_sg: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
