// Operation shapes: a small model of an AWS operation's input and output (structures, lists,
// maps, scalars; botocore's model in miniature) so that one handler serves every protocol. The
// input of a query request (Name.member.N, Name.entry.N.key) or of a JSON request is read into
// one JSON value of the model's member names, with types checked and timestamps as Unix seconds;
// the handler's output (a JSON value with timestamps in Unix milliseconds) is written as the
// awsQuery XML envelope (<OpResult>, <member>, ISO-8601 times) or as JSON (epoch seconds).
// Neighbours: aws/query_params.h and aws/xml_writer.h (the encodings), the service APIs (their
// shapes and handlers), dispatch (RequestContext).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "api/dispatch.h"
#include "aws/errors.h"
#include "aws/wire_request.h"
#include "aws/wire_response.h"
#include "aws/xml_writer.h"
#include "core/result.h"

namespace sgwatch::api {

enum class ShapeKind { kString, kInteger, kDouble, kBoolean, kTimestamp, kList, kStructure, kMap };

struct Shape;

struct Member {
  std::string_view name;  // the model's member name: "AlarmName", "Dimensions"
  const Shape* shape;
};

struct Shape {
  ShapeKind kind = ShapeKind::kString;
  std::span<const Member> members = {};  // kStructure, in model order (the output's order)
  const Shape* element = nullptr;        // kList: the element shape; kMap: the value shape
  // kTimestamp in XML output: "2026-11-27T20:00:00.000Z" (kMillis) or "...:00Z" (kSeconds).
  aws::TimestampFormat xml_format = aws::TimestampFormat::kMillis;
};

// The scalar shapes and the lists every service uses.
inline constexpr Shape kStringShape{ShapeKind::kString};
inline constexpr Shape kIntegerShape{ShapeKind::kInteger};
inline constexpr Shape kDoubleShape{ShapeKind::kDouble};
inline constexpr Shape kBooleanShape{ShapeKind::kBoolean};
inline constexpr Shape kTimestampShape{ShapeKind::kTimestamp};
inline constexpr Shape kTimestampSecondsShape{
    ShapeKind::kTimestamp, {}, nullptr, aws::TimestampFormat::kSeconds};
inline constexpr Shape kStringListShape{ShapeKind::kList, {}, &kStringShape};
inline constexpr Shape kDoubleListShape{ShapeKind::kList, {}, &kDoubleShape};
inline constexpr Shape kTimestampListShape{ShapeKind::kList, {}, &kTimestampShape};
inline constexpr Shape kStringMapShape{ShapeKind::kMap, {}, &kStringShape};

// An operation's input as one JSON object of the model's member names, whatever the protocol:
//   strings, booleans        as JSON strings and booleans
//   integers, doubles        as JSON numbers (integers are whole numbers)
//   timestamps               as Unix seconds (a JSON number, fraction kept from JSON input)
//   lists, structures, maps  as arrays and objects
// Members the shape does not name are dropped; absent members stay absent (a query list sent as
// "Name=" is an empty array). Failures: the query readers' WireErrors (InvalidParameterValue,
// MalformedQueryString), and for JSON input a SerializationException naming the member.
core::Result<nlohmann::json, aws::WireError> read_input(const aws::WireRequest& request,
                                                        const Shape& input);

// The success answer of `request`'s operation in its protocol. `output` is the operation's
// output structure, nullptr for operations without one (then `value` is ignored): awsQuery gets
// the <{Op}Response> envelope without a Result element, JSON gets "{}". In `value` timestamps
// are Unix milliseconds (integers); members the shape does not name are not written.
aws::HttpResponse success(const aws::WireRequest& request, const RequestContext& context,
                          const Shape* output, const nlohmann::ordered_json& value);

// The error answer of `request` in its protocol (aws::error_response with its service).
aws::HttpResponse failure(const aws::WireRequest& request, const RequestContext& context,
                          const aws::WireError& error);

// The writers success() uses, for tests and for services with other envelopes.
void write_xml_members(aws::XmlWriter& xml, const nlohmann::ordered_json& value,
                       const Shape& structure);
nlohmann::ordered_json to_output_json(const nlohmann::ordered_json& value, const Shape& shape);

// Unix milliseconds as a JSON timestamp: whole seconds as an integer, else seconds with the
// fraction (botocore reads both).
nlohmann::ordered_json epoch_seconds_json(std::int64_t unix_millis);

}  // namespace sgwatch::api
