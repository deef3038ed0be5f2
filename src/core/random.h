// Unpredictable identifiers from the kernel's random source (getrandom): UUIDs for SNS
// MessageIds, subscription ARNs and request ids, and hex tokens for subscription confirmation.
// Neighbours: notify (topics), api (request ids).
#pragma once

#include <cstddef>
#include <string>

namespace sgwatch::core {

// `count` random bytes. getrandom() blocks only until the kernel's pool is first initialised.
void random_bytes(void* out, std::size_t count);

// A version 4 UUID in lower-case hex: "0f8e7d6c-5b4a-4f3e-9d2c-1b0a9f8e7d6c".
std::string uuid_v4();

// 2 * `bytes` lower-case hex digits.
std::string random_hex(std::size_t bytes);

}  // namespace sgwatch::core
