// libFuzzer target: SigV4 Authorization headers and presigned query strings (src/aws) through the
// header parser and the verifier. Any broken invariant of fuzz/sigv4_harness.h aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "sigv4_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto violation = sgwatch::fuzz::run_sigv4(input)) {
    std::fprintf(stderr, "fuzz_sigv4: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
