// libFuzzer target: AWS answer bodies (src/aws, src/audit) through the error readers, the XML
// helpers, a Client over a transport that answers with the input, and the audit's
// GetEventSelectors reader. Any broken invariant of fuzz/aws_harness.h aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "aws_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto violation = sgwatch::fuzz::run_aws(input)) {
    std::fprintf(stderr, "fuzz_aws: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
