// libFuzzer target: the notify module's parsers (outbox payloads, delivery policies, structured
// messages, HTTP/S documents). Any broken invariant of fuzz/notify_harness.h aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "notify_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto violation = sgwatch::fuzz::run_notify(input)) {
    std::fprintf(stderr, "fuzz_notify: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
