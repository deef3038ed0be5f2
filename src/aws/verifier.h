// Server-side SigV4: parses the Authorization header (or a presigned URL's X-Amz-* parameters),
// looks up the secret of the access key, checks the credential scope and the clock skew, and
// recomputes the signature with sigv4.h's canonical request; failures carry AWS's error codes and
// messages. Neighbours: sigv4.h (the same canonical forms), core/clock.h (the server's now); the
// API server maps an AuthError onto its protocol's error response.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/http_request.h"
#include "core/clock.h"
#include "core/result.h"

namespace sgwatch::aws {

// Which family of AWS error codes a server answers with.
enum class ErrorProtocol {
  kQuery,  // awsQuery and restXml (CloudWatch, SNS): <Code>SignatureDoesNotMatch</Code>
  kJson,   // awsJson (CloudWatch Logs): "__type": "InvalidSignatureException"
};

enum class AuthFailure {
  kMissingAuthenticationToken,  // no Authorization header and no X-Amz-Algorithm parameter
  kIncompleteSignature,         // a malformed header or parameter set, an unreadable date
  kUnknownAccessKey,            // InvalidClientTokenId / UnrecognizedClientException
  kSignatureDoesNotMatch,       // a wrong signature, credential scope or clock
  kRequestExpired,              // a presigned request used after its X-Amz-Expires
};

// AWS's code for `failure` in `protocol`:
//   kQuery: MissingAuthenticationToken, IncompleteSignature, InvalidClientTokenId,
//           SignatureDoesNotMatch, AccessDenied
//   kJson:  MissingAuthenticationTokenException, IncompleteSignatureException,
//           UnrecognizedClientException, InvalidSignatureException, AccessDeniedException
std::string_view auth_error_code(AuthFailure failure, ErrorProtocol protocol);
// The HTTP status AWS sends with it (403 or 400).
int auth_error_status(AuthFailure failure, ErrorProtocol protocol);

struct AuthError {
  AuthFailure failure = AuthFailure::kSignatureDoesNotMatch;
  std::string code;  // auth_error_code(failure, protocol)
  std::string message;
  int http_status = 403;
  // Set when the signature was recomputed and differs: what the server signed (some AWS services
  // print both in the message; callers may log them).
  std::string canonical_request;
  std::string string_to_sign;
};

AuthError make_auth_error(AuthFailure failure, std::string message, ErrorProtocol protocol);

// The parts of "AWS4-HMAC-SHA256 Credential=AKID/20150830/us-east-1/service/aws4_request,
// SignedHeaders=host;x-amz-date, Signature=<hex>".
struct ParsedAuthorization {
  std::string algorithm;
  std::string credential;
  std::string signed_headers;  // as written
  std::string signature;
};

// Reads an Authorization header value the way AWS does: the algorithm runs to the first space;
// the rest splits at commas and whitespace into key=value pairs (the first of a repeated key
// counts, unknown keys are ignored). Credential, Signature and SignedHeaders must be present, and
// so must a date header (`has_date_header`); otherwise kIncompleteSignature with AWS's message.
// The algorithm is not checked here.
core::Result<ParsedAuthorization, AuthError> parse_authorization_header(
    std::string_view value, bool has_date_header, ErrorProtocol protocol = ErrorProtocol::kQuery);

struct CredentialScope {
  std::string access_key_id;
  std::string date;  // YYYYMMDD
  std::string region;
  std::string service;
  std::string terminator;  // "aws4_request"
};
// "AKID/20150830/us-east-1/service/aws4_request" split at its four slashes; nullopt when there are
// not exactly five non-empty parts.
std::optional<CredentialScope> parse_credential(std::string_view credential);

// Where the server finds secrets: by access key id, nullopt for a key it does not know.
class SecretLookup {
 public:
  virtual ~SecretLookup() = default;
  virtual std::optional<std::string> secret_access_key(std::string_view access_key_id) const = 0;
};

// A fixed table of keys (configuration files, tests).
class StaticSecrets final : public SecretLookup {
 public:
  void add(std::string access_key_id, std::string secret_access_key);
  std::optional<std::string> secret_access_key(std::string_view access_key_id) const override;

 private:
  std::map<std::string, std::string, std::less<>> secrets_;
};

struct VerifyOptions {
  // The region and signing name the server answers for; empty accepts any.
  std::string region;
  std::string service;
  ErrorProtocol protocol = ErrorProtocol::kQuery;
  // X-Amz-Date may differ from the server's clock by this much either way (AWS: 15 minutes).
  int max_skew_minutes = 15;
  // As in SigningOptions: every service but S3 normalizes and double-encodes the path.
  bool normalize_path = true;
  bool double_encode_path = true;
  // S3: a payload hash of UNSIGNED-PAYLOAD (x-amz-content-sha256, presigned URLs) is trusted.
  // Otherwise the body's own SHA-256 is signed, whatever x-amz-content-sha256 says.
  bool allow_unsigned_payload = false;
  // Accept signatures in the query string (presigned URLs).
  bool allow_presigned = true;

  static VerifyOptions s3();
};

struct VerifiedRequest {
  std::string access_key_id;
  std::string region;
  std::string service;
  std::int64_t signed_at = 0;  // X-Amz-Date in Unix seconds
  // X-Amz-Security-Token (header or parameter), signed or not; empty when absent. The caller
  // decides whether the session is valid.
  std::string security_token;
  std::vector<std::string> signed_headers;
  bool presigned = false;
};

// Verifies `request` at `now_unix_seconds`. Checks, in order: some authentication is present; the
// header or parameters are complete; the algorithm; the date format; the credential scope
// (terminator, date, region, service); the clock skew (or a presigned request's expiry); the
// access key is known; the signature (compared in constant time).
core::Result<VerifiedRequest, AuthError> verify_request(const HttpRequest& request,
                                                        const SecretLookup& secrets,
                                                        std::int64_t now_unix_seconds,
                                                        const VerifyOptions& options = {});

// verify_request with the server's secrets, clock and options bound once. `secrets` and `clock`
// must outlive the Verifier; verify() is const and safe to call from many threads when they are.
class Verifier {
 public:
  Verifier(const SecretLookup& secrets, const core::Clock& clock, VerifyOptions options = {})
      : secrets_(secrets), clock_(clock), options_(std::move(options)) {}

  core::Result<VerifiedRequest, AuthError> verify(const HttpRequest& request) const;
  const VerifyOptions& options() const { return options_; }

 private:
  const SecretLookup& secrets_;
  const core::Clock& clock_;
  VerifyOptions options_;
};

}  // namespace sgwatch::aws
