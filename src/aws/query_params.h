// The parameters of an awsQuery or ec2 request: a form body parsed into names and values, typed
// readers for botocore's query serialisation (scalars, .member.N lists, lists of structures,
// .entry.N maps, ec2's flattened lists), and QueryBuilder, the matching encoder (for clients and
// tests). Failures are WireErrors naming the parameter. Neighbours: errors (WireError),
// wire_request (which parses the body of every query request).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/errors.h"
#include "core/result.h"

namespace sgwatch::aws {

struct QueryLimits {
  std::size_t max_bytes = 2 * 1024 * 1024;  // the encoded body
  std::size_t max_parameters = 100000;
  std::size_t max_name_bytes = 1024;  // a decoded name
  std::uint32_t max_index = 100000;   // the largest N of Name.member.N
};

struct QueryParam {
  std::string name;
  std::string value;

  bool operator==(const QueryParam&) const = default;
};

// awsQuery lists and maps have a ".member" / ".entry" step ("Tags.member.1.Key"); ec2 and
// flattened awsQuery members do not ("GroupId.1", "Filter.1.Value.2").
enum class ListStyle { kMember, kFlattened };

// The element names of a map's entries: "key"/"value" unless the model names them (SNS
// MessageAttributes: "Name"/"Value").
struct MapNames {
  std::string_view key = "key";
  std::string_view value = "value";
};

// The conventions (what botocore writes): the body is application/x-www-form-urlencoded (percent
// escapes decoded, '+' a space; names and values valid UTF-8, no name twice), and
//   scalars      Name=value                     (booleans true/false, doubles "1.0",
//                                                 timestamps ISO-8601 "2026-11-27T00:00:00Z")
//   lists        Name.member.N=..                (1-based, contiguous; "Name=" is an empty list)
//   structures   Name.member.N.Field=..          (read through a QueryView of each element)
//   maps         Name.entry.N.key / .value       (or model names: .entry.N.Name / .Value.*)
//   ec2 / flat   Name.N=..  Filter.N.Name  Filter.N.Value.M
// Every failure is a WireError that names the parameter: MalformedQueryString for an unreadable
// body or list/map numbering, InvalidParameterValue for a value of the wrong type,
// MissingParameter for an absent required one.
class QueryView;

class QueryParams {
 public:
  QueryParams() = default;

  // Parses a form body (or a URL's query string). Pieces are separated by '&' (empty pieces are
  // skipped); a piece without '=' has an empty value.
  static core::Result<QueryParams, WireError> parse(std::string_view body,
                                                    const QueryLimits& limits = {});

  std::size_t size() const { return params_.size(); }
  bool empty() const { return params_.empty(); }
  // In the order they were sent.
  const std::vector<QueryParam>& in_order() const { return params_; }
  // The value of `name`; nullptr when it was not sent.
  const std::string* find(std::string_view name) const;
  // Readers at the top level. The view refers to this object, which must outlive it.
  QueryView view() const;
  std::uint32_t max_index() const { return max_index_; }

  // The positions (into in_order()) of the parameters whose names start with `prefix`, in name
  // order.
  std::span<const std::uint32_t> with_prefix(std::string_view prefix) const;

 private:
  std::vector<QueryParam> params_;
  std::vector<std::uint32_t> sorted_;  // positions into params_, by name
  std::uint32_t max_index_ = QueryLimits{}.max_index;
};

// The parameters under one prefix: the top level (""), or one element of a list of structures
// ("Dimensions.member.1."), or a map value ("MessageAttributes.entry.1.Value."). Names passed to
// the readers are relative to the prefix; errors name the full parameter. Cheap to copy.
class QueryView {
 public:
  QueryView(const QueryParams& params, std::string prefix)
      : params_(&params), prefix_(std::move(prefix)) {}

  const std::string& prefix() const { return prefix_; }
  std::string full_name(std::string_view name) const;

  const std::string* find(std::string_view name) const;
  // True when `name` itself or anything under "name." was sent.
  bool has(std::string_view name) const;

  // Scalars: nullopt when absent; InvalidParameterValue when present but unreadable.
  std::optional<std::string> string(std::string_view name) const;
  // A decimal integer ("-12"; no '+', no fraction) that fits 64 bits.
  core::Result<std::optional<std::int64_t>, WireError> integer(std::string_view name) const;
  // A finite decimal number ("1", "1.0", "-2.5e3").
  core::Result<std::optional<double>, WireError> number(std::string_view name) const;
  // "true" or "false", in any case.
  core::Result<std::optional<bool>, WireError> boolean(std::string_view name) const;
  // ISO-8601 UTC ("2026-11-27T00:00:00Z", with an optional fraction, "+00:00" allowed) as Unix
  // seconds; the fraction is dropped.
  core::Result<std::optional<std::int64_t>, WireError> timestamp(std::string_view name) const;

  // The same, MissingParameter when absent.
  core::Result<std::string, WireError> required_string(std::string_view name) const;
  core::Result<std::int64_t, WireError> required_integer(std::string_view name) const;
  core::Result<double, WireError> required_number(std::string_view name) const;
  core::Result<bool, WireError> required_boolean(std::string_view name) const;
  core::Result<std::int64_t, WireError> required_timestamp(std::string_view name) const;

  // Lists (empty when absent or sent as "Name="). Members are numbered 1..N without gaps;
  // MalformedQueryString otherwise, and for an index that is not a plain decimal ("01", "x").
  core::Result<std::vector<std::string>, WireError> string_list(
      std::string_view name, ListStyle style = ListStyle::kMember) const;
  // One view per element ("Dimensions.member.1.", ...), in index order.
  core::Result<std::vector<QueryView>, WireError> struct_list(
      std::string_view name, ListStyle style = ListStyle::kMember) const;

  // Maps, in entry order; every entry needs its key (and, for string maps, its value), and a key
  // may appear once (InvalidParameterValue otherwise).
  core::Result<std::vector<std::pair<std::string, std::string>>, WireError> string_map(
      std::string_view name, MapNames names = {}, ListStyle style = ListStyle::kMember) const;
  // Maps whose values are structures (SNS MessageAttributes): the value is a view of
  // "<entry>.<names.value>.".
  core::Result<std::vector<std::pair<std::string, QueryView>>, WireError> struct_map(
      std::string_view name, MapNames names = {}, ListStyle style = ListStyle::kMember) const;

 private:
  // The indices 1..N of the list or map `name` (".member"/".entry" step per `style`); with
  // `exact`, every index must be a parameter of its own (a list of scalars), otherwise every
  // index must have fields under it.
  core::Result<std::uint32_t, WireError> element_count(std::string_view name, std::string_view step,
                                                       ListStyle style, bool exact) const;

  const QueryParams* params_;
  std::string prefix_;
};

// Form encoding as botocore's query serializer does it (Python's urlencode): A-Z a-z 0-9 - _ . ~
// stay, a space becomes '+', every other byte %XX with upper-case hex.
std::string form_encode(std::string_view text);
void append_form_encoded(std::string& out, std::string_view text);

// Builds a form body in the order of the calls, with the conventions QueryView reads.
class QueryBuilder {
 public:
  QueryBuilder& add(std::string_view name, std::string_view value);
  // "Name.member.1=a&Name.member.2=b" (or "Name.1=.." flattened); an empty list is "Name=" in
  // the member style, as botocore sends it, and nothing when flattened.
  QueryBuilder& add_list(std::string_view name, std::span<const std::string> values,
                         ListStyle style = ListStyle::kMember);
  QueryBuilder& add_map(std::string_view name,
                        std::span<const std::pair<std::string, std::string>> entries,
                        MapNames names = {}, ListStyle style = ListStyle::kMember);

  const std::string& body() const { return body_; }
  std::string take() { return std::move(body_); }

 private:
  std::string body_;
};

}  // namespace sgwatch::aws
