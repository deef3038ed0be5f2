// Implementation of request_id.h.
#include "api/request_id.h"

#include <openssl/rand.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <random>

namespace sgwatch::api {

namespace {

// OpenSSL's CSPRNG; should it ever fail, a per-thread Mersenne twister seeded from the OS and the
// clock (ids must be unique, not secret).
void random_bytes(std::array<std::uint8_t, 16>& bytes) {
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) == 1) return;
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    const auto now =
        static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
    std::seed_seq seed{device(), device(), static_cast<unsigned>(now),
                       static_cast<unsigned>(now >> 32)};
    return std::mt19937_64(seed);
  }();
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    std::uint64_t word = generator();
    for (std::size_t j = 0; j < 8; ++j) {
      bytes[i + j] = static_cast<std::uint8_t>(word & 0xFF);
      word >>= 8;
    }
  }
}

}  // namespace

std::string new_request_id() {
  std::array<std::uint8_t, 16> bytes{};
  random_bytes(bytes);
  bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[bytes[i] >> 4];
    out += kHex[bytes[i] & 0x0F];
  }
  return out;
}

}  // namespace sgwatch::api
