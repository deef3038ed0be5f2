// Implementation of crypto.h over libcrypto's one-shot EVP_Digest and HMAC.
#include "aws/crypto.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cassert>

namespace sgwatch::aws {

Sha256Digest sha256(std::string_view data) {
  Sha256Digest out{};
  unsigned int size = 0;
  const int ok = EVP_Digest(data.data(), data.size(), out.data(), &size, EVP_sha256(), nullptr);
  assert(ok == 1 && size == out.size());
  (void)ok;
  return out;
}

std::string sha256_hex(std::string_view data) {
  return hex_encode(sha256(data));
}

Sha256Digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view data) {
  Sha256Digest out{};
  unsigned int size = 0;
  // HMAC() takes a null key pointer for "reuse the previous key"; an empty span may hold one.
  static constexpr unsigned char kEmptyKey = 0;
  const void* key_bytes = key.empty() ? static_cast<const void*>(&kEmptyKey) : key.data();
  const unsigned char* result =
      HMAC(EVP_sha256(), key_bytes, static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size);
  assert(result != nullptr && size == out.size());
  (void)result;
  return out;
}

Sha256Digest hmac_sha256(std::string_view key, std::string_view data) {
  return hmac_sha256(
      std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()),
      data);
}

std::string hex_encode(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return out;
}

std::string hex_encode(std::string_view bytes) {
  return hex_encode(std::span<const std::uint8_t>(
      reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sgwatch::aws
