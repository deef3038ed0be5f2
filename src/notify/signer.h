// RSA signatures of SNS messages (spec 4.5) with OpenSSL: SignatureVersion 1 is PKCS#1 v1.5 over
// SHA-1, version 2 over SHA-256, base64 in the document. Also the key and the self-signed X.509
// certificate sgwatch serves at its SigningCertURL, and verification against a PEM certificate.
// Neighbours: http_envelope builds the string to sign; the caller owns keys and their storage.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "notify/error.h"

namespace sgwatch::notify {

enum class SignatureVersion { kV1 = 1, kV2 = 2 };
std::string_view signature_version_text(SignatureVersion version);  // "1", "2"
std::optional<SignatureVersion> parse_signature_version(std::string_view text);

struct PrivateKeyDeleter {
  void operator()(EVP_PKEY* key) const;
};
using PrivateKey = std::unique_ptr<EVP_PKEY, PrivateKeyDeleter>;

core::Result<PrivateKey, Error> generate_rsa_key(unsigned bits = 2048);
core::Result<PrivateKey, Error> read_private_key_pem(std::string_view pem);
// PKCS#8, unencrypted.
core::Result<std::string, Error> private_key_pem(EVP_PKEY* key);

struct CertificateOptions {
  std::string common_name = "sgwatch";
  std::int64_t not_before_unix = 0;  // seconds
  std::int64_t not_after_unix = 0;   // seconds
};
// A self-signed X.509 v3 certificate for `key` (SHA-256 signature, random serial), in PEM.
core::Result<std::string, Error> self_signed_certificate_pem(EVP_PKEY* key,
                                                             const CertificateOptions& options);

// A fresh RSA-2048 key with its self-signed certificate, both in PEM.
struct SigningIdentity {
  PrivateKey key;
  std::string key_pem;
  std::string certificate_pem;
};
core::Result<SigningIdentity, Error> generate_signing_identity(const CertificateOptions& options);

// An id for the certificate file name (SimpleNotificationService-<id>.pem): the first 32 hex
// digits of the SHA-256 of its DER form.
core::Result<std::string, Error> certificate_id(std::string_view certificate_pem);

// base64(RSA-PKCS#1-v1.5(digest(data))), digest SHA-1 for version 1 and SHA-256 for version 2.
core::Result<std::string, Error> sign_base64(std::string_view data, EVP_PKEY* key,
                                             SignatureVersion version);

// Whether `signature_base64` signs `data` with the public key of `certificate_pem`. An unreadable
// certificate is an error; a signature that is not base64 or does not match is false.
core::Result<bool, Error> verify_base64(std::string_view data, std::string_view signature_base64,
                                        std::string_view certificate_pem, SignatureVersion version);

}  // namespace sgwatch::notify
