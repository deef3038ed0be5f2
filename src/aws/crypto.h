// The hashing SigV4 is made of: SHA-256, HMAC-SHA256, lower-case hex, and a comparison whose time
// does not depend on where two strings differ. Thin wrappers over OpenSSL's libcrypto.
// Neighbours: sigv4 (signing keys, payload hashes) and verifier (signature comparison).
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace sgwatch::aws {

using Sha256Digest = std::array<std::uint8_t, 32>;

Sha256Digest sha256(std::string_view data);
// SHA-256 of `data` as 64 lower-case hex digits (the payload hash of a canonical request).
std::string sha256_hex(std::string_view data);

Sha256Digest hmac_sha256(std::span<const std::uint8_t> key, std::string_view data);
Sha256Digest hmac_sha256(std::string_view key, std::string_view data);

// Lower-case hex, two digits a byte.
std::string hex_encode(std::span<const std::uint8_t> bytes);
std::string hex_encode(std::string_view bytes);

// True when `a` and `b` hold the same bytes. When the sizes are equal, the time taken does not
// depend on the contents (OpenSSL's CRYPTO_memcmp); the sizes themselves are not secret.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace sgwatch::aws
