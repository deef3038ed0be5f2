// Fuzz harness for the SigV4 Authorization-header parser and verifier (src/aws), shared by
// fuzz_sigv4 and the regression replay in tests/regress/fuzz_regress_test.cpp. The input is an
// Authorization header value or, when it starts with '?', the query string of a presigned
// request. Invariants: the parser fails only with IncompleteSignature and a message, never
// succeeds without a date header, and what it parsed, printed back in canonical form, parses to
// the same fields; verifying a fixed request that carries the input either fails with the code,
// status and a message that belong together, or succeeds for the one known key.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "aws/sigv4.h"
#include "aws/verifier.h"

namespace sgwatch::fuzz {

namespace detail {

inline std::optional<std::string> check_parse(std::string_view header) {
  for (const bool has_date : {true, false}) {
    auto parsed = aws::parse_authorization_header(header, has_date);
    if (!parsed.ok()) {
      const aws::AuthError& error = parsed.error();
      if (error.failure != aws::AuthFailure::kIncompleteSignature ||
          error.code != "IncompleteSignature" || error.http_status != 400) {
        return std::string("the parser failed with something but IncompleteSignature");
      }
      if (error.message.empty()) return std::string("a parse error without a message");
      continue;
    }
    if (!has_date) return std::string("a header parsed although the request has no date");
    const std::string printed = parsed->algorithm + " Credential=" + parsed->credential +
                                ", SignedHeaders=" + parsed->signed_headers +
                                ", Signature=" + parsed->signature;
    auto again = aws::parse_authorization_header(printed, true);
    if (!again.ok()) return "the canonical form does not parse: " + again.error().message;
    if (again->algorithm != parsed->algorithm || again->credential != parsed->credential ||
        again->signed_headers != parsed->signed_headers || again->signature != parsed->signature) {
      return std::string("the canonical form parses to other fields");
    }
  }
  return std::nullopt;
}

inline std::optional<std::string> check_verify(std::string_view input,
                                               aws::ErrorProtocol protocol) {
  const bool presigned = !input.empty() && input[0] == '?';
  aws::HttpRequest request;
  request.method = "POST";
  request.path = "/";
  request.query = presigned ? std::string(input.substr(1)) : std::string("Action=ListMetrics");
  request.headers = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
  if (!presigned) request.headers.push_back({"Authorization", std::string(input)});
  aws::StaticSecrets secrets;
  secrets.add("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  aws::VerifyOptions options;
  options.region = "us-east-1";
  options.service = "service";
  options.protocol = protocol;
  constexpr std::int64_t kNow = 1440938160;  // 20150830T123600Z
  const auto verified = aws::verify_request(request, secrets, kNow, options);
  if (verified.ok()) {
    if (verified->access_key_id != "AKIDEXAMPLE") {
      return std::string("verified with a key the server does not know");
    }
    return std::nullopt;
  }
  const aws::AuthError& error = verified.error();
  if (error.code != aws::auth_error_code(error.failure, protocol) ||
      error.http_status != aws::auth_error_status(error.failure, protocol)) {
    return std::string("an error whose code or status does not match its failure");
  }
  if (error.message.empty()) return std::string("a verification error without a message");
  return std::nullopt;
}

}  // namespace detail

inline std::optional<std::string> run_sigv4(std::string_view input) {
  if (input.empty() || input[0] != '?') {
    if (auto violation = detail::check_parse(input)) return violation;
  }
  if (auto violation = detail::check_verify(input, aws::ErrorProtocol::kQuery)) return violation;
  return detail::check_verify(input, aws::ErrorProtocol::kJson);
}

}  // namespace sgwatch::fuzz
