// AWS error answers per protocol (awsQuery, ec2, awsJson, CloudWatch's query-compatible JSON), as
// the AWS CLI accepted them (../shared/fixtures/aws-wire). WireError is the value every parser of
// the module fails with; AWS's common errors are built here. Neighbours: query_params and
// wire_request (produce WireErrors), verifier (AuthError, see from_auth_error), xml_writer and
// wire_response (the envelopes).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "aws/verifier.h"
#include "aws/wire_protocol.h"
#include "aws/wire_response.h"

namespace sgwatch::aws {

struct WireError {
  // The wire code: awsQuery/ec2 <Code>, the awsJson __type's name, the query-compatible
  // x-amzn-query-error code. For query services the model's error.code ("ResourceNotFound",
  // "LimitExceeded"), for JSON services the shape name ("ResourceNotFoundException").
  std::string code;
  std::string message;
  int http_status = 400;
  // The JSON __type when it is not `code`: a shape name that differs from the query code
  // ("LimitExceededFault" for LimitExceeded) or a fully namespaced type
  // ("com.amazon.coral.validate#ValidationException"). A value without '#' is prefixed with the
  // service's JSON type namespace like `code` would be.
  std::string json_type;

  bool operator==(const WireError&) const = default;
};

enum class Fault { kSender, kReceiver };
// Receiver for 5xx statuses (the service failed), Sender otherwise.
Fault fault_of(const WireError& error);
std::string_view fault_name(Fault fault);  // "Sender" / "Receiver"

// --- AWS's common errors (General Reference, "Common errors"; HTTP statuses as listed there) ---

// MalformedQueryString (404, as AWS lists it): the form body cannot be read.
WireError malformed_query_string(std::string message);
// RequestEntityTooLarge (413): a body beyond the configured limit.
WireError request_entity_too_large(std::string message);
// MissingParameter (400): "The request must contain the parameter <name>."
WireError missing_parameter(std::string_view name);
// InvalidParameterValue (400).
WireError invalid_parameter_value(std::string message);
// MissingAction (400): a query request without Action.
WireError missing_action();
// InvalidAction (400): "Could not find operation <action> for version <version>".
WireError invalid_action(std::string_view action, std::string_view version);
// UnknownOperationException (400), the JSON protocols' answer to an unknown X-Amz-Target; its
// __type is Coral's "com.amazon.coral.service#UnknownOperationException".
WireError unknown_operation(std::string message);
// SerializationException (400, __type "com.amazon.coral.service#SerializationException"): a
// JSON body that does not parse or is not an object.
WireError serialization_exception(std::string message);
// ValidationError (400) with the __type Coral's validation sends over JSON
// ("com.amazon.coral.validate#ValidationException").
WireError validation_error(std::string message);
// InternalFailure (500).
WireError internal_failure(std::string message);

// The verifier's error family for answers in `protocol` (ec2 uses the query family).
ErrorProtocol auth_error_protocol(Protocol protocol);
// A SigV4 failure as a WireError. Its code and status stay the verifier's, except in ec2, where
// an unknown key or a wrong signature is AuthFailure (401) as EC2 answers them.
WireError from_auth_error(const AuthError& error, Protocol protocol);

// --- bodies ---

std::string query_error_body(const WireError& error, std::string_view xml_namespace,
                             std::string_view request_id);
std::string ec2_error_body(const WireError& error, std::string_view request_id);
// {"__type":"<json_error_type>","message":".."}
std::string json_error_body(const WireError& error, std::string_view type_namespace);
// The __type: `json_type` or `code`, prefixed with "<type_namespace>#" when it has no '#' and
// the namespace is not empty.
std::string json_error_type(const WireError& error, std::string_view type_namespace);

// The whole answer to send for `error` in `protocol`: status, headers and body.
//   awsQuery   <ErrorResponse xmlns=..><Error><Type>Sender|Receiver</Type><Code/><Message/>
//              </Error><RequestId/></ErrorResponse>, Content-Type text/xml
//   ec2        <?xml ..?><Response><Errors><Error><Code/><Message/></Error></Errors>
//              <RequestID/></Response> (capital ID), on one line
//   awsJson    {"__type":"Code","message":".."} with x-amzn-RequestId and x-amzn-ErrorType;
//              CloudWatch over JSON 1.0 (awsQueryCompatible) adds x-amzn-query-error: Code;Sender
//              and a namespaced __type ("com.amazonaws.cloudwatch#ResourceNotFound").
// `service` gives the query namespace and, for query-compatible JSON, the __type namespace and
// the x-amzn-query-error header; without it (a request that named no known service) the query
// envelope has no xmlns and the JSON __type is the plain code.
HttpResponse error_response(const WireError& error, Protocol protocol, std::string_view request_id,
                            std::optional<Service> service = std::nullopt);

}  // namespace sgwatch::aws
