// AwsError: why a call of sgwatch's AWS client failed — AWS said no, AWS could not be reached, or
// its answer could not be read — and the readers of AWS's error answers in each protocol (query
// and ec2 XML, JSON's __type, REST's x-amzn-ErrorType), with botocore's code lists for throttling
// and the codes of denied access. Neighbours: client.h (returns these), transport.h (the response
// read here); errors.h is the server side's WireError, not this.
#pragma once

#include <string>
#include <string_view>

#include "aws/transport.h"

namespace sgwatch::aws {

struct AwsError {
  // kService: AWS (or whatever answered) said no with an HTTP error status; `code` is its error
  //           code, empty when the answer carried none.
  // kNetwork: no answer: the request could not be built, signed or sent, or the connection failed
  //           or timed out (retried as a transient failure when it happened on the wire).
  // kResponse: a success status whose body is not the XML or JSON the protocol promises.
  enum class Kind { kService, kNetwork, kResponse };
  Kind kind = Kind::kService;
  int http_status = 0;    // 0 when nothing was answered
  std::string code;       // "AccessDenied", "ThrottlingException", "ResourceNotFoundException", ...
  std::string message;    // AWS's message, or what went wrong and why
  std::string service;    // as the caller named it: "logs"
  std::string operation;  // "DescribeMetricFilters"
  std::string request_id;  // x-amzn-RequestId / x-amz-request-id / <RequestId>; may be empty
  int attempts = 1;        // how many times the request was sent

  // The caller may not do this: AccessDenied, AccessDeniedException, UnauthorizedOperation,
  // Client.UnauthorizedOperation, AuthorizationError (SNS), UnauthorizedAccess, ...
  bool access_denied() const;
  // AWS asked us to slow down: botocore's throttling codes (Throttling, ThrottlingException,
  // RequestLimitExceeded, TooManyRequestsException, ...).
  bool throttled() const;
  // The credentials themselves were refused: InvalidClientTokenId, UnrecognizedClientException,
  // AuthFailure, SignatureDoesNotMatch, InvalidSignatureException, ExpiredToken, ...
  bool credentials_rejected() const;
  // "logs DescribeMetricFilters: AccessDeniedException (HTTP 400): User ... is not authorized"
  // (with " (after N attempts)" when the request was retried).
  std::string describe() const;
};

bool is_access_denied_code(std::string_view code);
bool is_throttling_code(std::string_view code);
bool is_credentials_rejected_code(std::string_view code);
// botocore's transient error codes: RequestTimeout, RequestTimeoutException,
// PriorRequestNotComplete.
bool is_transient_code(std::string_view code);
// Whether an answer with this status and code is worth another attempt (botocore's standard
// mode, plus 429 and every 5xx): throttling and transient codes, HTTP 429 and 500-599.
bool is_retryable_answer(int http_status, std::string_view code);

// How a protocol spells its errors.
enum class ErrorFormat {
  kXml,       // awsQuery <ErrorResponse><Error><Code>, ec2 <Response><Errors><Error><Code>
  kJson,      // awsJson __type ("prefix#Code"), code/Code; x-amzn-query-error first
  kRestJson,  // x-amzn-ErrorType header first, then the body as for kJson
};

// The kService error of a response with an error status: code, message and request id as the
// protocol spells them. An answer without a readable code (an HTML 503 page, an empty body) keeps
// `code` empty and says what came instead in `message`.
AwsError error_from_response(ErrorFormat format, std::string_view service,
                             std::string_view operation, const TransportResponse& response);

// The request id of a response: x-amzn-RequestId or x-amz-request-id; empty when neither.
std::string request_id_header(const TransportResponse& response);

}  // namespace sgwatch::aws
