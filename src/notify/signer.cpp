// Implementation of signer.h over OpenSSL 3's EVP interfaces. OpenSSL's own errors are drained
// from its thread-local queue into the returned Error, so no failure leaks into a later call.
#include "notify/signer.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <climits>
#include <ctime>
#include <vector>

#include "notify/json_text.h"

namespace sgwatch::notify {
namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* pointer) const {
    Free(pointer);
  }
};
using BioPtr = std::unique_ptr<BIO, Deleter<&BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<&X509_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<&EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<&EVP_MD_CTX_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, Deleter<&BN_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, Deleter<&X509_EXTENSION_free>>;

// An Error with OpenSSL's queued reasons appended; the queue is left empty.
Error openssl_error(std::string_view code, std::string_view what) {
  std::string message(what);
  bool first = true;
  while (const unsigned long e = ERR_get_error()) {
    std::array<char, 256> text{};
    ERR_error_string_n(e, text.data(), text.size());
    message += first ? ": " : "; ";
    message += text.data();
    first = false;
  }
  return Error{std::string(code), std::move(message)};
}

const EVP_MD* digest_for(SignatureVersion version) {
  return version == SignatureVersion::kV1 ? EVP_sha1() : EVP_sha256();
}

core::Result<BioPtr, Error> memory_bio(std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    return core::unexpected(Error{"InvalidParameter", "PEM text too large"});
  }
  BioPtr bio(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
  if (!bio) return core::unexpected(openssl_error("InternalError", "cannot allocate a BIO"));
  return bio;
}

std::string drain(BIO* bio) {
  std::string out(BIO_ctrl_pending(bio), '\0');
  const int read = BIO_read(bio, out.data(), static_cast<int>(out.size()));
  out.resize(read > 0 ? static_cast<std::size_t>(read) : 0);
  return out;
}

core::Result<X509Ptr, Error> read_certificate(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return core::unexpected(std::move(bio).error());
  X509Ptr certificate(PEM_read_bio_X509(bio->get(), nullptr, nullptr, nullptr));
  if (!certificate) {
    return core::unexpected(openssl_error("InvalidCertificate", "cannot read the PEM certificate"));
  }
  return certificate;
}

bool is_rsa(const EVP_PKEY* key) {
  return key != nullptr && EVP_PKEY_is_a(key, "RSA") == 1;
}

core::Result<bool, Error> add_extension(X509* certificate, int nid, const char* value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, certificate, certificate, nullptr, nullptr, 0);
  ExtensionPtr extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value));
  if (!extension || X509_add_ext(certificate, extension.get(), -1) != 1) {
    return core::unexpected(openssl_error("SigningFailed", "cannot add a certificate extension"));
  }
  return true;
}

}  // namespace

std::string_view signature_version_text(SignatureVersion version) {
  return version == SignatureVersion::kV1 ? "1" : "2";
}

std::optional<SignatureVersion> parse_signature_version(std::string_view text) {
  if (text == "1") return SignatureVersion::kV1;
  if (text == "2") return SignatureVersion::kV2;
  return std::nullopt;
}

void PrivateKeyDeleter::operator()(EVP_PKEY* key) const {
  EVP_PKEY_free(key);
}

core::Result<PrivateKey, Error> generate_rsa_key(unsigned bits) {
  if (bits < 1024 || bits > 16384) {
    return core::unexpected(Error{"InvalidParameter", "RSA key size must be 1024..16384 bits"});
  }
  PkeyCtxPtr context(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* key = nullptr;
  if (!context || EVP_PKEY_keygen_init(context.get()) <= 0 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(context.get(), static_cast<int>(bits)) <= 0 ||
      EVP_PKEY_generate(context.get(), &key) <= 0) {
    return core::unexpected(openssl_error("SigningFailed", "cannot generate an RSA key"));
  }
  return PrivateKey(key);
}

core::Result<PrivateKey, Error> read_private_key_pem(std::string_view pem) {
  auto bio = memory_bio(pem);
  if (!bio) return core::unexpected(std::move(bio).error());
  PrivateKey key(PEM_read_bio_PrivateKey(bio->get(), nullptr, nullptr, nullptr));
  if (!key) return core::unexpected(openssl_error("InvalidKey", "cannot read the PEM private key"));
  return key;
}

core::Result<std::string, Error> private_key_pem(EVP_PKEY* key) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || key == nullptr ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return core::unexpected(openssl_error("InvalidKey", "cannot write the private key"));
  }
  return drain(bio.get());
}

core::Result<std::string, Error> self_signed_certificate_pem(EVP_PKEY* key,
                                                             const CertificateOptions& options) {
  if (!is_rsa(key)) return core::unexpected(Error{"InvalidKey", "the signing key must be RSA"});
  if (options.not_after_unix <= options.not_before_unix) {
    return core::unexpected(
        Error{"InvalidParameter", "certificate validity ends before it starts"});
  }
  X509Ptr certificate(X509_new());
  BignumPtr serial(BN_new());
  if (!certificate || !serial || X509_set_version(certificate.get(), 2) != 1 ||
      BN_rand(serial.get(), 127, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(certificate.get())) == nullptr ||
      ASN1_TIME_set(X509_getm_notBefore(certificate.get()),
                    static_cast<std::time_t>(options.not_before_unix)) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(certificate.get()),
                    static_cast<std::time_t>(options.not_after_unix)) == nullptr ||
      X509_set_pubkey(certificate.get(), key) != 1) {
    return core::unexpected(openssl_error("SigningFailed", "cannot build the certificate"));
  }
  X509_NAME* name = X509_get_subject_name(certificate.get());
  const std::string common_name = options.common_name.empty() ? "sgwatch" : options.common_name;
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                 -1, 0) != 1 ||
      X509_set_issuer_name(certificate.get(), name) != 1) {
    return core::unexpected(openssl_error("SigningFailed", "cannot set the certificate name"));
  }
  for (const auto& [nid, value] : {std::pair{NID_basic_constraints, "critical,CA:FALSE"},
                                   std::pair{NID_key_usage, "critical,digitalSignature"},
                                   std::pair{NID_subject_key_identifier, "hash"}}) {
    auto added = add_extension(certificate.get(), nid, value);
    if (!added) return core::unexpected(std::move(added).error());
  }
  if (X509_sign(certificate.get(), key, EVP_sha256()) <= 0) {
    return core::unexpected(openssl_error("SigningFailed", "cannot sign the certificate"));
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate.get()) != 1) {
    return core::unexpected(openssl_error("SigningFailed", "cannot write the certificate"));
  }
  return drain(bio.get());
}

core::Result<SigningIdentity, Error> generate_signing_identity(const CertificateOptions& options) {
  auto key = generate_rsa_key(2048);
  if (!key) return core::unexpected(std::move(key).error());
  auto key_text = private_key_pem(key->get());
  if (!key_text) return core::unexpected(std::move(key_text).error());
  auto certificate = self_signed_certificate_pem(key->get(), options);
  if (!certificate) return core::unexpected(std::move(certificate).error());
  return SigningIdentity{std::move(key).value(), std::move(key_text).value(),
                         std::move(certificate).value()};
}

core::Result<std::string, Error> certificate_id(std::string_view certificate_pem) {
  auto certificate = read_certificate(certificate_pem);
  if (!certificate) return core::unexpected(std::move(certificate).error());
  unsigned char* der = nullptr;
  const int length = i2d_X509(certificate->get(), &der);
  if (length <= 0) return core::unexpected(openssl_error("InvalidCertificate", "cannot encode"));
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int digest_length = 0;
  const int ok = EVP_Digest(der, static_cast<std::size_t>(length), digest.data(), &digest_length,
                            EVP_sha256(), nullptr);
  OPENSSL_free(der);
  if (ok != 1) return core::unexpected(openssl_error("InternalError", "SHA-256 failed"));
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string id;
  for (std::size_t i = 0; i < 16; ++i) {
    id += kHex[digest[i] >> 4];
    id += kHex[digest[i] & 0xF];
  }
  return id;
}

core::Result<std::string, Error> sign_base64(std::string_view data, EVP_PKEY* key,
                                             SignatureVersion version) {
  if (!is_rsa(key)) return core::unexpected(Error{"InvalidKey", "the signing key must be RSA"});
  MdCtxPtr context(EVP_MD_CTX_new());
  std::size_t length = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data());
  if (!context ||
      EVP_DigestSignInit(context.get(), nullptr, digest_for(version), nullptr, key) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &length, bytes, data.size()) != 1) {
    return core::unexpected(openssl_error("SigningFailed", "cannot start the signature"));
  }
  std::vector<std::uint8_t> signature(length);
  if (EVP_DigestSign(context.get(), signature.data(), &length, bytes, data.size()) != 1) {
    return core::unexpected(openssl_error("SigningFailed", "cannot sign"));
  }
  signature.resize(length);
  return base64_encode(std::span<const std::uint8_t>(signature));
}

core::Result<bool, Error> verify_base64(std::string_view data, std::string_view signature_base64,
                                        std::string_view certificate_pem,
                                        SignatureVersion version) {
  auto certificate = read_certificate(certificate_pem);
  if (!certificate) return core::unexpected(std::move(certificate).error());
  EVP_PKEY* public_key = X509_get0_pubkey(certificate->get());
  if (!is_rsa(public_key)) {
    ERR_clear_error();
    return core::unexpected(Error{"InvalidCertificate", "the certificate's key is not RSA"});
  }
  const auto signature = base64_decode(signature_base64);
  if (!signature || signature->empty()) return false;
  MdCtxPtr context(EVP_MD_CTX_new());
  if (!context ||
      EVP_DigestVerifyInit(context.get(), nullptr, digest_for(version), nullptr, public_key) != 1) {
    return core::unexpected(openssl_error("InternalError", "cannot start the verification"));
  }
  const int verified = EVP_DigestVerify(
      context.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
      reinterpret_cast<const unsigned char*>(data.data()), data.size());
  ERR_clear_error();  // a mismatch queues an error we report as `false`
  return verified == 1;
}

}  // namespace sgwatch::notify
