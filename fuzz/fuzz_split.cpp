// libFuzzer target: the CloudTrail record splitter (src/event) over arbitrary byte streams fed
// in arbitrary chunk sizes. Any broken invariant of fuzz/split_harness.h aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "split_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto violation = sgwatch::fuzz::run_split(input)) {
    std::fprintf(stderr, "fuzz_split: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
