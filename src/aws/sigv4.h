// AWS Signature Version 4 signing: the canonical request, the string to sign, the HMAC-SHA256
// signing-key chain, the Authorization header, and sign()/presign() that put them on a request.
// Pure logic, no clock and no I/O. Neighbours: verifier.h recomputes the same values on the
// server side; crypto.h and amz_date.h are the primitives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/crypto.h"
#include "aws/http_request.h"
#include "core/result.h"

namespace sgwatch::aws {

inline constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";
inline constexpr std::string_view kScopeTerminator = "aws4_request";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";
// Presigned URLs live at most seven days.
inline constexpr std::int64_t kMaxPresignExpiry = 604800;

struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty for long-term keys
};

struct SigningOptions {
  // Every service but S3 removes "." and ".." segments and repeated slashes from the path, then
  // URI-encodes the (already encoded) path once more. S3 signs the path exactly as sent.
  bool normalize_path = true;
  bool double_encode_path = true;
  // Adds x-amz-content-sha256 with the payload hash (S3 requires it).
  bool add_content_sha256 = false;
  // X-Amz-Security-Token is signed by default; a few services want it added after signing.
  bool sign_security_token = true;
  // The payload hash to sign instead of SHA-256 of the body (kUnsignedPayload, for S3).
  std::optional<std::string> payload_hash;

  static SigningOptions s3();
};

// The intermediate values of one signature, for diagnostics and tests.
struct SigningResult {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signed_headers;  // "host;x-amz-date"
  std::string signature;       // 64 lower-case hex digits
  std::string authorization;   // the Authorization header value; empty for presigned requests
};

struct SignError {
  std::string message;
};

// --- URI encoding (RFC 3986 unreserved characters A-Z a-z 0-9 - . _ ~ stay; the rest is %XX) ---

std::string uri_encode(std::string_view bytes, bool encode_slash);
// %XX sequences to bytes ('+' to a space when `plus_is_space`); a '%' not followed by two hex
// digits stays as it is.
std::string uri_decode(std::string_view text, bool plus_is_space);

// --- the canonical request, step by step ---

// RFC 3986 dot-segment removal plus collapsing of repeated slashes: "//a/./b/../c/" -> "/a/c/".
// A trailing slash stays when the path ends in one.
std::string normalize_path(std::string_view path);
// The path line of the canonical request.
std::string canonical_uri(std::string_view path, bool normalize, bool double_encode);

// The query's name/value pairs in order, decoded ('+' is a space); empty pieces ("a=1&&b=2") are
// skipped and a piece without '=' has an empty value.
std::vector<std::pair<std::string, std::string>> parse_query(std::string_view query);
// The query line: every pair re-encoded, sorted by name then value. Pairs named `skip_name`
// (X-Amz-Signature, when verifying a presigned request) are left out.
std::string canonical_query_string(std::string_view query, std::string_view skip_name = {});

// A header value as SigV4 signs it: leading and trailing whitespace removed, inner runs of
// whitespace replaced by one space.
std::string canonical_header_value(std::string_view value);
// The lower-case names sign() signs: every header of the request but Authorization, hop-by-hop
// and proxy-rewritten ones (Connection, Expect, User-Agent, X-Amzn-Trace-Id), and
// X-Amz-Security-Token when it is not to be signed. Sorted, without repeats.
std::vector<std::string> headers_to_sign(const std::vector<Header>& headers,
                                         bool sign_security_token);

struct CanonicalHeaders {
  std::string text;            // "host:example.amazonaws.com\nx-amz-date:...\n"
  std::string signed_headers;  // "host;x-amz-date"
};
// One line per name of `names` (lower-case, in that order): the values of every header of that
// name, in request order, joined with ','. A name no header has gets an empty value.
CanonicalHeaders canonical_headers(const std::vector<Header>& headers,
                                   const std::vector<std::string>& names);

std::string canonical_request(std::string_view method, std::string_view canonical_uri,
                              std::string_view canonical_query, const CanonicalHeaders& headers,
                              std::string_view payload_hash);

// "20150830/us-east-1/service/aws4_request"
std::string credential_scope(std::string_view date, std::string_view region,
                             std::string_view service);
std::string string_to_sign(std::string_view amz_date, std::string_view scope,
                           std::string_view canonical_request);
// HMAC chain: "AWS4" + secret -> date -> region -> service -> "aws4_request".
Sha256Digest signing_key(std::string_view secret_access_key, std::string_view date,
                         std::string_view region, std::string_view service);
std::string signature(const Sha256Digest& signing_key, std::string_view string_to_sign);
// "AWS4-HMAC-SHA256 Credential=AKID/scope, SignedHeaders=..., Signature=..."
std::string authorization_header(std::string_view access_key_id, std::string_view scope,
                                 std::string_view signed_headers, std::string_view signature);

// --- whole requests ---

// Signs `request` in place at `unix_seconds`: sets X-Amz-Date, X-Amz-Security-Token (when the
// credentials have a session token), x-amz-content-sha256 (when asked) and Authorization. A header
// already present keeps its place and spelling and gets the new value; new ones are appended.
// Fails when the request has no Host header, or a credential, region or service is unusable.
core::Result<SigningResult, SignError> sign(HttpRequest& request, const Credentials& credentials,
                                            std::string_view region, std::string_view service,
                                            std::int64_t unix_seconds,
                                            const SigningOptions& options = {});

// Signs `request` in its query string (a presigned URL valid for `expires_seconds`, 1 to
// kMaxPresignExpiry): removes X-Amz-Date and Authorization headers and any earlier X-Amz-*
// signing parameters, then appends X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires,
// X-Amz-SignedHeaders, X-Amz-Security-Token (when signed) and X-Amz-Signature to the query.
// An unsigned session token goes after X-Amz-Signature (the IoT WebSocket style); verify_request
// signs every parameter but X-Amz-Signature, so it accepts presigned tokens only when signed.
core::Result<SigningResult, SignError> presign(HttpRequest& request, const Credentials& credentials,
                                               std::string_view region, std::string_view service,
                                               std::int64_t unix_seconds,
                                               std::int64_t expires_seconds,
                                               const SigningOptions& options = {});

}  // namespace sgwatch::aws
