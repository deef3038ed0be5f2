// Implementation of verifier.h. AWS's messages are copied as its services send them; where only
// their gist could be confirmed, the comment at the message says so.
#include "aws/verifier.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <iterator>

#include "aws/amz_date.h"
#include "aws/crypto.h"
#include "aws/sigv4.h"

namespace sgwatch::aws {

namespace {

constexpr std::string_view kSignatureDoesNotMatch =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";
// Sent as InvalidClientTokenId (awsQuery) and as UnrecognizedClientException (awsJson).
constexpr std::string_view kUnknownKey = "The security token included in the request is invalid.";

// A header value without the optional whitespace HTTP allows around it.
std::string_view trim_ows(std::string_view value) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  return value;
}

bool is_separator(char c) {
  return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

std::vector<std::string> split_signed_headers(std::string_view text) {
  std::vector<std::string> names;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(';', start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) names.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

const std::string* find_parameter(const std::vector<std::pair<std::string, std::string>>& params,
                                  std::string_view name) {
  for (const auto& [key, value] : params) {
    if (key == name) return &value;
  }
  return nullptr;
}

// What one request claims, from its Authorization header or from its query string.
struct Claim {
  std::string algorithm;
  std::string credential;
  std::string signed_headers;
  std::string signature;
  std::string amz_date;
  std::string security_token;
  std::optional<std::int64_t> expires;  // presigned only
  bool presigned = false;
};

core::Result<Claim, AuthError> claim_from_header(const HttpRequest& request,
                                                 std::string_view authorization,
                                                 ErrorProtocol protocol) {
  // AWS takes X-Amz-Date first and falls back to Date (General Reference, "Handling dates in
  // Signature Version 4").
  const std::string* date = request.find_header("x-amz-date");
  if (date == nullptr) date = request.find_header("date");
  auto parsed = parse_authorization_header(trim_ows(authorization), date != nullptr, protocol);
  if (!parsed.ok()) return core::unexpected(std::move(parsed).error());
  Claim claim;
  claim.algorithm = std::move(parsed->algorithm);
  claim.credential = std::move(parsed->credential);
  claim.signed_headers = std::move(parsed->signed_headers);
  claim.signature = std::move(parsed->signature);
  claim.amz_date = date != nullptr ? std::string(trim_ows(*date)) : std::string();
  if (const std::string* token = request.find_header("x-amz-security-token")) {
    claim.security_token = std::string(trim_ows(*token));
  }
  return claim;
}

core::Result<Claim, AuthError> claim_from_query(
    const std::vector<std::pair<std::string, std::string>>& params, ErrorProtocol protocol) {
  // Not confirmed against a live service: the wording of S3's and API Gateway's replies to
  // query-string authentication with a parameter missing.
  static constexpr std::string_view kRequired[] = {"X-Amz-Algorithm", "X-Amz-Credential",
                                                   "X-Amz-Signature", "X-Amz-Date",
                                                   "X-Amz-SignedHeaders"};
  std::array<std::string, std::size(kRequired)> values;
  std::string missing;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (const std::string* value = find_parameter(params, kRequired[i])) {
      values[i] = *value;
    } else {
      missing += fmt::format("AWS query-string parameters must include '{}'. ", kRequired[i]);
    }
  }
  if (!missing.empty()) {
    return core::unexpected(make_auth_error(AuthFailure::kIncompleteSignature,
                                            missing + "Re-examine the query-string parameters.",
                                            protocol));
  }
  Claim claim;
  claim.presigned = true;
  claim.algorithm = std::move(values[0]);
  claim.credential = std::move(values[1]);
  claim.signature = std::move(values[2]);
  claim.amz_date = std::move(values[3]);
  claim.signed_headers = std::move(values[4]);
  if (const std::string* token = find_parameter(params, "X-Amz-Security-Token")) {
    claim.security_token = *token;
  }
  if (const std::string* expires = find_parameter(params, "X-Amz-Expires")) {
    // S3's AuthorizationQueryParametersError texts (not confirmed for other services).
    std::int64_t seconds = 0;
    const auto [end, ec] =
        std::from_chars(expires->data(), expires->data() + expires->size(), seconds);
    if (ec != std::errc() || end != expires->data() + expires->size()) {
      return core::unexpected(make_auth_error(AuthFailure::kIncompleteSignature,
                                              "X-Amz-Expires should be a number", protocol));
    }
    if (seconds < 0) {
      return core::unexpected(make_auth_error(AuthFailure::kIncompleteSignature,
                                              "X-Amz-Expires must be non-negative", protocol));
    }
    if (seconds > kMaxPresignExpiry) {
      return core::unexpected(make_auth_error(
          AuthFailure::kIncompleteSignature,
          "X-Amz-Expires must be less than a week (in seconds) that is 604800", protocol));
    }
    claim.expires = seconds;
  }
  return claim;
}

std::string payload_hash(const HttpRequest& request, bool presigned, const VerifyOptions& options) {
  if (options.allow_unsigned_payload) {
    if (presigned) return std::string(kUnsignedPayload);
    const std::string* declared = request.find_header("x-amz-content-sha256");
    if (declared != nullptr && *declared == kUnsignedPayload) return *declared;
  }
  return sha256_hex(request.body);
}

}  // namespace

std::string_view auth_error_code(AuthFailure failure, ErrorProtocol protocol) {
  const bool json = protocol == ErrorProtocol::kJson;
  switch (failure) {
    case AuthFailure::kMissingAuthenticationToken:
      return json ? "MissingAuthenticationTokenException" : "MissingAuthenticationToken";
    case AuthFailure::kIncompleteSignature:
      return json ? "IncompleteSignatureException" : "IncompleteSignature";
    case AuthFailure::kUnknownAccessKey:
      return json ? "UnrecognizedClientException" : "InvalidClientTokenId";
    case AuthFailure::kSignatureDoesNotMatch:
      return json ? "InvalidSignatureException" : "SignatureDoesNotMatch";
    case AuthFailure::kRequestExpired:
      return json ? "AccessDeniedException" : "AccessDenied";
  }
  return "InternalFailure";
}

int auth_error_status(AuthFailure failure, ErrorProtocol protocol) {
  // awsQuery: the services' Common Errors pages (IncompleteSignature 400, the others 403). awsJson:
  // 400 for the client-error exceptions, as CloudWatch Logs and DynamoDB send them (from their
  // replies as SDK users report them; not confirmed in AWS documentation).
  switch (failure) {
    case AuthFailure::kMissingAuthenticationToken:
    case AuthFailure::kRequestExpired:
      return 403;
    case AuthFailure::kIncompleteSignature:
      return 400;
    case AuthFailure::kUnknownAccessKey:
    case AuthFailure::kSignatureDoesNotMatch:
      return protocol == ErrorProtocol::kJson ? 400 : 403;
  }
  return 500;
}

AuthError make_auth_error(AuthFailure failure, std::string message, ErrorProtocol protocol) {
  AuthError error;
  error.failure = failure;
  error.code = std::string(auth_error_code(failure, protocol));
  error.message = std::move(message);
  error.http_status = auth_error_status(failure, protocol);
  return error;
}

core::Result<ParsedAuthorization, AuthError> parse_authorization_header(std::string_view value,
                                                                        bool has_date_header,
                                                                        ErrorProtocol protocol) {
  ParsedAuthorization out;
  const std::size_t space = value.find(' ');
  out.algorithm = std::string(value.substr(0, space));
  const std::string_view rest =
      space == std::string_view::npos ? std::string_view() : value.substr(space + 1);

  bool have_credential = false, have_signed_headers = false, have_signature = false;
  std::size_t i = 0;
  while (i < rest.size()) {
    if (is_separator(rest[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < rest.size() && !is_separator(rest[end])) ++end;
    const std::string_view pair = rest.substr(i, end - i);
    i = end;
    const std::size_t equals = pair.find('=');
    if (equals == std::string_view::npos) {
      // Confirmed wording (IncompleteSignature from CloudFormation, STS, DynamoDB).
      return core::unexpected(make_auth_error(
          AuthFailure::kIncompleteSignature,
          fmt::format("'{}' not a valid key=value pair (missing equal-sign) in Authorization "
                      "header: '{}'.",
                      pair, value),
          protocol));
    }
    const std::string_view key = pair.substr(0, equals);
    const std::string_view field = pair.substr(equals + 1);
    if (key == "Credential" && !have_credential) {
      out.credential = std::string(field);
      have_credential = true;
    } else if (key == "SignedHeaders" && !have_signed_headers) {
      out.signed_headers = std::string(field);
      have_signed_headers = true;
    } else if (key == "Signature" && !have_signature) {
      out.signature = std::string(field);
      have_signature = true;
    }
  }

  // Confirmed wording and order (IncompleteSignature from SES, CloudFront and API Gateway).
  std::string missing;
  if (!have_credential) missing += "Authorization header requires 'Credential' parameter. ";
  if (!have_signature) missing += "Authorization header requires 'Signature' parameter. ";
  if (!have_signed_headers) missing += "Authorization header requires 'SignedHeaders' parameter. ";
  if (!has_date_header) {
    missing +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ";
  }
  if (!missing.empty()) {
    missing += "Authorization=";
    missing += value;
    return core::unexpected(
        make_auth_error(AuthFailure::kIncompleteSignature, std::move(missing), protocol));
  }
  return out;
}

std::optional<CredentialScope> parse_credential(std::string_view credential) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= credential.size()) {
    std::size_t end = credential.find('/', start);
    if (end == std::string_view::npos) end = credential.size();
    parts.emplace_back(credential.substr(start, end - start));
    if (parts.back().empty() || parts.size() > 5) return std::nullopt;
    start = end + 1;
  }
  if (parts.size() != 5) return std::nullopt;
  return CredentialScope{std::move(parts[0]), std::move(parts[1]), std::move(parts[2]),
                         std::move(parts[3]), std::move(parts[4])};
}

void StaticSecrets::add(std::string access_key_id, std::string secret_access_key) {
  secrets_.insert_or_assign(std::move(access_key_id), std::move(secret_access_key));
}

std::optional<std::string> StaticSecrets::secret_access_key(std::string_view access_key_id) const {
  const auto it = secrets_.find(access_key_id);
  if (it == secrets_.end()) return std::nullopt;
  return it->second;
}

VerifyOptions VerifyOptions::s3() {
  VerifyOptions options;
  options.service = "s3";
  options.normalize_path = false;
  options.double_encode_path = false;
  options.allow_unsigned_payload = true;
  return options;
}

core::Result<VerifiedRequest, AuthError> verify_request(const HttpRequest& request,
                                                        const SecretLookup& secrets,
                                                        std::int64_t now_unix_seconds,
                                                        const VerifyOptions& options) {
  const ErrorProtocol protocol = options.protocol;
  auto fail = [&](AuthFailure failure, std::string message) {
    return core::unexpected(make_auth_error(failure, std::move(message), protocol));
  };

  const std::string* authorization = request.find_header("authorization");
  const std::vector<std::pair<std::string, std::string>> params = parse_query(request.query);
  const bool query_signed =
      options.allow_presigned && find_parameter(params, "X-Amz-Algorithm") != nullptr;
  if (authorization == nullptr && !query_signed) {
    // The awsQuery text is what CloudWatch and SNS send; awsJson services (and API Gateway) send
    // the shorter one. Both texts are confirmed; which service sends which is from memory.
    return fail(AuthFailure::kMissingAuthenticationToken,
                protocol == ErrorProtocol::kJson ? "Missing Authentication Token"
                                                 : "Request is missing Authentication Token");
  }
  auto claimed = authorization != nullptr ? claim_from_header(request, *authorization, protocol)
                                          : claim_from_query(params, protocol);
  if (!claimed.ok()) return core::unexpected(std::move(claimed).error());
  const Claim& claim = *claimed;

  if (claim.algorithm != kAlgorithm) {
    // Not confirmed: AWS's text for a well-formed header with another algorithm.
    return fail(AuthFailure::kIncompleteSignature,
                fmt::format("Unsupported AWS 'algorithm': '{}'", claim.algorithm));
  }
  const std::optional<std::int64_t> signed_at = parse_amz_date(claim.amz_date);
  if (!signed_at) {
    // Not confirmed against a live service (remembered wording).
    return fail(AuthFailure::kIncompleteSignature,
                fmt::format("Date must be in ISO-8601 'basic format'. Got '{}'. See "
                            "http://en.wikipedia.org/wiki/ISO_8601",
                            claim.amz_date));
  }
  const std::optional<CredentialScope> scope = parse_credential(claim.credential);
  if (!scope) {
    // Not confirmed: AWS's text for a Credential without five parts (S3's wording is used).
    return fail(AuthFailure::kIncompleteSignature,
                "Credential is mal-formed; expecting "
                "\"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".");
  }
  if (scope->terminator != kScopeTerminator) {
    // Not confirmed against a live service (remembered wording).
    return fail(AuthFailure::kSignatureDoesNotMatch,
                fmt::format("Credential should be scoped with a valid terminator: 'aws4_request', "
                            "not '{}'. ",
                            scope->terminator));
  }
  const std::string_view request_date = std::string_view(claim.amz_date).substr(0, 8);
  if (scope->date != request_date) {
    // The first sentence is confirmed (IAM User Guide, "Troubleshoot signed requests"); the
    // details after the colon are remembered wording.
    return fail(AuthFailure::kSignatureDoesNotMatch,
                fmt::format("Date in Credential scope does not match YYYYMMDD from ISO-8601 "
                            "version of date from HTTP: '{}' != '{}', from '{}'.",
                            scope->date, request_date, claim.amz_date));
  }
  if (!options.region.empty() && scope->region != options.region) {
    // Confirmed wording, trailing space included (SQS, IAM, OpenSearch).
    return fail(
        AuthFailure::kSignatureDoesNotMatch,
        fmt::format("Credential should be scoped to a valid region, not '{}'. ", scope->region));
  }
  if (!options.service.empty() && scope->service != options.service) {
    // Confirmed wording: the service named is the one the server expected.
    return fail(
        AuthFailure::kSignatureDoesNotMatch,
        fmt::format("Credential should be scoped to correct service: '{}'. ", options.service));
  }

  // Confirmed formats: "Signature expired: X is now earlier than Y (NOW - 15 min.)" and
  // "Signature not yet current: X is still later than Y (NOW + 15 min.)".
  const std::int64_t skew = std::int64_t{options.max_skew_minutes} * 60;
  if (*signed_at > now_unix_seconds + skew) {
    return fail(AuthFailure::kSignatureDoesNotMatch,
                fmt::format("Signature not yet current: {} is still later than {} ({} + {} min.)",
                            claim.amz_date, format_amz_date(now_unix_seconds + skew),
                            format_amz_date(now_unix_seconds), options.max_skew_minutes));
  }
  if (claim.expires) {
    if (now_unix_seconds > *signed_at + *claim.expires) {
      // S3's reply to an expired presigned URL (AccessDenied, "Request has expired").
      return fail(AuthFailure::kRequestExpired, "Request has expired");
    }
  } else if (*signed_at < now_unix_seconds - skew) {
    return fail(AuthFailure::kSignatureDoesNotMatch,
                fmt::format("Signature expired: {} is now earlier than {} ({} - {} min.)",
                            claim.amz_date, format_amz_date(now_unix_seconds - skew),
                            format_amz_date(now_unix_seconds), options.max_skew_minutes));
  }

  const std::optional<std::string> secret = secrets.secret_access_key(scope->access_key_id);
  if (!secret) return fail(AuthFailure::kUnknownAccessKey, std::string(kUnknownKey));

  const std::vector<std::string> signed_headers = split_signed_headers(claim.signed_headers);
  const CanonicalHeaders headers = canonical_headers(request.headers, signed_headers);
  const std::string canonical = canonical_request(
      request.method,
      canonical_uri(request.path, options.normalize_path, options.double_encode_path),
      canonical_query_string(request.query, claim.presigned ? "X-Amz-Signature" : ""), headers,
      payload_hash(request, claim.presigned, options));
  const std::string to_sign = string_to_sign(
      claim.amz_date, credential_scope(scope->date, scope->region, scope->service), canonical);
  const std::string expected =
      signature(signing_key(*secret, scope->date, scope->region, scope->service), to_sign);
  if (!constant_time_equal(expected, claim.signature)) {
    AuthError error = make_auth_error(AuthFailure::kSignatureDoesNotMatch,
                                      std::string(kSignatureDoesNotMatch), protocol);
    error.canonical_request = canonical;
    error.string_to_sign = to_sign;
    return core::unexpected(std::move(error));
  }

  VerifiedRequest verified;
  verified.access_key_id = scope->access_key_id;
  verified.region = scope->region;
  verified.service = scope->service;
  verified.signed_at = *signed_at;
  verified.security_token = claim.security_token;
  verified.signed_headers = signed_headers;
  verified.presigned = claim.presigned;
  return verified;
}

core::Result<VerifiedRequest, AuthError> Verifier::verify(const HttpRequest& request) const {
  const std::int64_t now_ms = clock_.now_ms();
  const std::int64_t now = now_ms >= 0 ? now_ms / 1000 : -((-now_ms + 999) / 1000);
  return verify_request(request, secrets_, now, options_);
}

}  // namespace sgwatch::aws
