#include "core/random.h"

#include <sys/random.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <vector>

namespace sgwatch::core {

void random_bytes(void* out, std::size_t count) {
  auto* p = static_cast<unsigned char*>(out);
  while (count > 0) {
    const ssize_t n = ::getrandom(p, count, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      // No kernel randomness means no safe identifiers: stop rather than issue guessable ones.
      std::abort();
    }
    p += n;
    count -= static_cast<std::size_t>(n);
  }
}

namespace {
constexpr char kHex[] = "0123456789abcdef";
}

std::string uuid_v4() {
  std::uint8_t b[16];
  random_bytes(b, sizeof b);
  b[6] = static_cast<std::uint8_t>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<std::uint8_t>((b[8] & 0x3F) | 0x80);
  std::string out;
  out.reserve(36);
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[b[i] >> 4];
    out += kHex[b[i] & 0x0F];
  }
  return out;
}

std::string random_hex(std::size_t bytes) {
  std::vector<std::uint8_t> b(bytes);
  random_bytes(b.data(), b.size());
  std::string out;
  out.reserve(bytes * 2);
  for (const auto byte : b) {
    out += kHex[byte >> 4];
    out += kHex[byte & 0x0F];
  }
  return out;
}

}  // namespace sgwatch::core
