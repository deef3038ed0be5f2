// Fuzz harness for the awsQuery/ec2 form parser and the request classifier (src/aws), shared by
// fuzz_query and the regression replay in tests/regress/fuzz_regress_test.cpp. The input is a
// form body. Invariants: parsing fails only with MalformedQueryString (404) or
// RequestEntityTooLarge (413) and a message; a parsed body has non-empty, unique, valid UTF-8
// names and valid UTF-8 values, re-encodes to a body that parses to the same parameters, and finds
// every name; every reader (scalars, lists, structures, maps, both list styles) on every name and
// name prefix either succeeds or fails with a query error code and a message; the classifier,
// given the input as a form body and as a JSON body, either succeeds or fails with a 4xx answer
// that can be written.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "aws/errors.h"
#include "aws/query_params.h"
#include "aws/utf8.h"
#include "aws/wire_request.h"

namespace sgwatch::fuzz {

namespace detail {

inline std::optional<std::string> check_reader_error(const aws::WireError& error) {
  if (error.message.empty()) return std::string("a reader error without a message");
  if (error.code == "MalformedQueryString" && error.http_status == 404) return std::nullopt;
  if (error.code == "InvalidParameterValue" && error.http_status == 400) return std::nullopt;
  if (error.code == "MissingParameter" && error.http_status == 400) return std::nullopt;
  return "a reader failed with " + error.code;
}

template <class R>
std::optional<std::string> check_field(const R& result) {
  if (result.ok()) return std::nullopt;
  return check_reader_error(result.error());
}

// Every reader on `name` within `view`.
inline std::optional<std::string> check_readers(const aws::QueryView& view, std::string_view name) {
  using aws::ListStyle;
  for (const ListStyle style : {ListStyle::kMember, ListStyle::kFlattened}) {
    if (auto v = check_field(view.string_list(name, style))) return v;
    const auto list = view.struct_list(name, style);
    if (auto v = check_field(list)) return v;
    if (list.ok()) {
      for (const aws::QueryView& element : *list) {
        if (element.prefix().empty()) return std::string("a list element without a prefix");
        if (auto v = check_field(element.required_string("Name"))) return v;
      }
    }
    if (auto v = check_field(view.string_map(name, {}, style))) return v;
    if (auto v = check_field(view.struct_map(name, {"Name", "Value"}, style))) return v;
  }
  if (auto v = check_field(view.integer(name))) return v;
  if (auto v = check_field(view.number(name))) return v;
  if (auto v = check_field(view.boolean(name))) return v;
  if (auto v = check_field(view.timestamp(name))) return v;
  return std::nullopt;
}

inline std::optional<std::string> check_parsed(const aws::QueryParams& params) {
  std::set<std::string_view> names;
  for (const aws::QueryParam& param : params.in_order()) {
    if (param.name.empty()) return std::string("a parameter without a name");
    if (!aws::is_valid_utf8(param.name) || !aws::is_valid_utf8(param.value)) {
      return std::string("a name or value that is not valid UTF-8");
    }
    if (!names.insert(param.name).second) return "the name " + param.name + " twice";
    const std::string* found = params.find(param.name);
    if (found == nullptr || *found != param.value) return "find() misses " + param.name;
  }
  // Encoded again (with room for the encoding's growth), the body parses to the same parameters.
  aws::QueryBuilder again;
  for (const aws::QueryParam& param : params.in_order()) again.add(param.name, param.value);
  aws::QueryLimits roomy;
  roomy.max_bytes = again.body().size() + 1;
  const auto reparsed = aws::QueryParams::parse(again.body(), roomy);
  if (!reparsed.ok()) return "the re-encoded body does not parse: " + reparsed.error().message;
  if (reparsed->in_order() != params.in_order()) {
    return std::string("the re-encoded body parses to other parameters");
  }
  // The readers on the first parameters' names and on each of their dotted prefixes.
  const aws::QueryView root = params.view();
  std::size_t checked = 0;
  for (const aws::QueryParam& param : params.in_order()) {
    if (++checked > 32) break;
    for (std::size_t dot = param.name.find('.'); dot != std::string::npos;
         dot = param.name.find('.', dot + 1)) {
      if (auto v = check_readers(root, std::string_view(param.name).substr(0, dot))) return v;
    }
    if (auto v = check_readers(root, param.name)) return v;
  }
  return std::nullopt;
}

inline std::optional<std::string> check_classified(const aws::HttpRequest& request) {
  const auto classified = aws::classify_request(request);
  if (classified.ok()) {
    if (classified->operation.empty()) return std::string("classified without an operation");
    return std::nullopt;
  }
  const aws::WireFailure& failure = classified.error();
  if (failure.error.message.empty() || failure.error.code.empty()) {
    return std::string("a classification failure without a code or message");
  }
  if (failure.error.http_status < 400 || failure.error.http_status > 499) {
    return "a classification failure with status " + std::to_string(failure.error.http_status);
  }
  const aws::HttpResponse answer = aws::error_response(failure, "request-id");
  if (answer.body.empty() || answer.status != failure.error.http_status) {
    return std::string("a classification failure that cannot be answered");
  }
  return std::nullopt;
}

}  // namespace detail

inline std::optional<std::string> run_query(std::string_view input) {
  aws::QueryLimits limits;
  limits.max_bytes = 1 << 16;
  limits.max_parameters = 4096;
  limits.max_index = 1000;
  const auto parsed = aws::QueryParams::parse(input, limits);
  if (!parsed.ok()) {
    const aws::WireError& error = parsed.error();
    const bool known = (error.code == "MalformedQueryString" && error.http_status == 404) ||
                       (error.code == "RequestEntityTooLarge" && error.http_status == 413);
    if (!known) return "the parser failed with " + error.code;
    if (error.message.empty()) return std::string("a parse error without a message");
  } else if (auto violation = detail::check_parsed(*parsed)) {
    return violation;
  }
  aws::HttpRequest form;
  form.method = "POST";
  form.path = "/";
  form.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
  form.body = std::string(input);
  if (auto violation = detail::check_classified(form)) return violation;
  aws::HttpRequest json = form;
  json.headers = {{"X-Amz-Target", "Logs_20140328.PutLogEvents"},
                  {"Content-Type", "application/x-amz-json-1.1"}};
  return detail::check_classified(json);
}

}  // namespace sgwatch::fuzz
