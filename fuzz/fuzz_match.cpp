// libFuzzer target: the input's first line is a filter pattern, the rest is one log event.
// Matches the event (and each of its lines) directly, through copies and reused Subjects and
// through metric filters; a matching event the prefilter rejects is a soundness bug and aborts,
// like every other broken invariant of fuzz/harness.h.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto violation = sgwatch::fuzz::run_match(input)) {
    std::fprintf(stderr, "fuzz_match: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
