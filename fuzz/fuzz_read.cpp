// libFuzzer target: the CloudTrail input reader (src/event: gzip, format detection, unwrapping
// of containers, UTF-8 checks) over arbitrary bytes. Any broken invariant of fuzz/read_harness.h
// aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "read_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto violation = sgwatch::fuzz::run_read(input)) {
    std::fprintf(stderr, "fuzz_read: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
