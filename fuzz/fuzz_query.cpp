// libFuzzer target: awsQuery/ec2 form bodies (src/aws) through the query parser, its readers and
// the request classifier. Any broken invariant of fuzz/query_harness.h aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "query_harness.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (auto violation = sgwatch::fuzz::run_query(input)) {
    std::fprintf(stderr, "fuzz_query: %s\n", violation->c_str());
    std::abort();
  }
  return 0;
}
