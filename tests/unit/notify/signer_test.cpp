// Signatures of SNS documents (spec 4.5): sign then verify with the generated certificate for
// SignatureVersion 1 (SHA1withRSA) and 2 (SHA256withRSA); tampering, a wrong version or another
// certificate fail; keys round-trip through PEM.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include "unit/notify/seed_notice.h"

namespace sgwatch::notify {
namespace {

using testing::kSubscriptionArn;
using testing::kTopicArn;
using testing::seed_notice;

constexpr std::int64_t kNow = 1764274845;  // 2025-11-27T20:20:45Z

const SigningIdentity& identity() {
  static const SigningIdentity id = [] {
    auto made = generate_signing_identity({"sgwatch test", kNow - 60, kNow + 86400 * 365});
    EXPECT_TRUE(made) << made.error().message;
    return std::move(made).value();
  }();
  return id;
}

SnsDocument notification(SignatureVersion version) {
  const auto notice = seed_notice();
  SnsDocument d;
  d.message_id = "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80";
  d.topic_arn = kTopicArn;
  d.subject = alarm_subject(notice);
  d.message = alarm_json(notice);
  d.timestamp_ms = kNow * 1000 + 631;
  d.signature_version = version;
  d.signing_cert_url = signing_cert_url("https://sgwatch.example", "id");
  d.unsubscribe_url = unsubscribe_url("https://sgwatch.example", kSubscriptionArn);
  return d;
}

class NotifySignature : public ::testing::TestWithParam<SignatureVersion> {};

TEST_P(NotifySignature, SignThenVerify) {
  auto signed_doc = sign_document(notification(GetParam()), identity().key.get());
  ASSERT_TRUE(signed_doc) << signed_doc.error().message;
  EXPECT_EQ(signed_doc->signature.size(), 344u);  // base64 of 256 bytes (RSA-2048)
  auto verified = verify_document(*signed_doc, identity().certificate_pem);
  ASSERT_TRUE(verified) << verified.error().message;
  EXPECT_TRUE(*verified);

  // As a receiver sees it: the rendered body parsed back verifies too.
  auto received = parse_document(render_document(*signed_doc));
  ASSERT_TRUE(received);
  EXPECT_TRUE(*verify_document(*received, identity().certificate_pem));

  // PKCS#1 v1.5 is deterministic.
  EXPECT_EQ(sign_document(notification(GetParam()), identity().key.get())->signature,
            signed_doc->signature);
}

TEST_P(NotifySignature, TamperingFails) {
  const SnsDocument good = *sign_document(notification(GetParam()), identity().key.get());
  const std::string& cert = identity().certificate_pem;
  auto tampered = good;
  tampered.message[10] ^= 1;
  EXPECT_FALSE(*verify_document(tampered, cert));
  tampered = good;
  tampered.subject.reset();
  EXPECT_FALSE(*verify_document(tampered, cert));
  tampered = good;
  tampered.timestamp_ms += 1;
  EXPECT_FALSE(*verify_document(tampered, cert));
  tampered = good;
  tampered.signature_version =
      GetParam() == SignatureVersion::kV1 ? SignatureVersion::kV2 : SignatureVersion::kV1;
  EXPECT_FALSE(*verify_document(tampered, cert));
  tampered = good;
  tampered.signature[5] = tampered.signature[5] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(*verify_document(tampered, cert));
  tampered = good;
  tampered.signature = "not base64!";
  EXPECT_FALSE(*verify_document(tampered, cert));
  // Members outside the string to sign may change.
  tampered = good;
  tampered.unsubscribe_url = "https://elsewhere";
  EXPECT_TRUE(*verify_document(tampered, cert));

  // Another key's certificate does not verify it.
  auto other = generate_signing_identity({"other", kNow, kNow + 3600});
  ASSERT_TRUE(other);
  EXPECT_FALSE(*verify_document(good, other->certificate_pem));
}

TEST_P(NotifySignature, ConfirmationsAreSignedToo) {
  SnsDocument d;
  d.type = MessageType::kSubscriptionConfirmation;
  d.message_id = "m";
  d.token = "abcdef";
  d.topic_arn = kTopicArn;
  d.message = subscription_confirmation_message(kTopicArn);
  d.subscribe_url = subscribe_url("https://sgwatch.example", kTopicArn, d.token);
  d.timestamp_ms = kNow * 1000;
  d.signature_version = GetParam();
  const SnsDocument good = *sign_document(d, identity().key.get());
  EXPECT_TRUE(*verify_document(good, identity().certificate_pem));
  auto tampered = good;
  tampered.token = "abcdeg";
  EXPECT_FALSE(*verify_document(tampered, identity().certificate_pem));
}

INSTANTIATE_TEST_SUITE_P(Versions, NotifySignature,
                         ::testing::Values(SignatureVersion::kV1, SignatureVersion::kV2),
                         [](const auto& param_info) {
                           return std::string("V") +
                                  std::string(signature_version_text(param_info.param));
                         });

TEST(NotifySigner, DigestsDifferByVersion) {
  // Version 1 is SHA-1, version 2 SHA-256: the same bytes give different signatures.
  const auto v1 = sign_base64("text", identity().key.get(), SignatureVersion::kV1);
  const auto v2 = sign_base64("text", identity().key.get(), SignatureVersion::kV2);
  ASSERT_TRUE(v1 && v2);
  EXPECT_NE(*v1, *v2);
  EXPECT_TRUE(*verify_base64("text", *v1, identity().certificate_pem, SignatureVersion::kV1));
  EXPECT_TRUE(*verify_base64("text", *v2, identity().certificate_pem, SignatureVersion::kV2));
  EXPECT_EQ(parse_signature_version("1"), SignatureVersion::kV1);
  EXPECT_EQ(parse_signature_version("2"), SignatureVersion::kV2);
  EXPECT_FALSE(parse_signature_version("3"));
}

TEST(NotifySigner, KeysAndCertificates) {
  EXPECT_EQ(identity().key_pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
  EXPECT_EQ(identity().certificate_pem.rfind("-----BEGIN CERTIFICATE-----\n", 0), 0u);
  auto reread = read_private_key_pem(identity().key_pem);
  ASSERT_TRUE(reread) << reread.error().message;
  EXPECT_EQ(*sign_base64("x", reread->get(), SignatureVersion::kV2),
            *sign_base64("x", identity().key.get(), SignatureVersion::kV2));
  EXPECT_EQ(EVP_PKEY_get_bits(identity().key.get()), 2048);

  auto id = certificate_id(identity().certificate_pem);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->size(), 32u);
  EXPECT_EQ(id->find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(*certificate_id(identity().certificate_pem), *id);

  EXPECT_FALSE(read_private_key_pem("not a key"));
  EXPECT_FALSE(certificate_id("not a certificate"));
  const auto bad_cert = verify_base64("x", "AAAA", "garbage", SignatureVersion::kV1);
  ASSERT_FALSE(bad_cert);
  EXPECT_EQ(bad_cert.error().code, "InvalidCertificate");
  EXPECT_FALSE(self_signed_certificate_pem(identity().key.get(), {"x", kNow, kNow}));
  EXPECT_FALSE(generate_rsa_key(512));

  // Signatures must be RSA: an EC key is refused.
  PrivateKey ec(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  ASSERT_TRUE(ec);
  const auto refused = sign_base64("x", ec.get(), SignatureVersion::kV2);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "InvalidKey");
}

}  // namespace
}  // namespace sgwatch::notify
