// Implementation of logs_api.h.
#include "api/logs_api.h"

#include <fmt/format.h>

#include "api/shapes.h"
#include "aws/errors.h"
#include "aws/wire_response.h"

namespace sgwatch::api {

namespace {

using Json = nlohmann::json;
template <typename T>
using Read = core::Result<T, aws::WireError>;

aws::WireError missing(std::string_view name) {
  return aws::WireError{"InvalidParameterException",
                        fmt::format("1 validation error detected: Value null at '{}' failed to satisfy constraint: "
                                    "Member must not be null",
                                    name),
                        400,
                        {}};
}

aws::WireError wrong_type(std::string_view name, std::string_view expected) {
  return aws::serialization_exception(fmt::format("Unexpected value for {}: expected {}", name, expected));
}

// Typed access to the members of a JSON 1.1 input object.
class Input {
 public:
  explicit Input(const Json& json) : json_(json) {}

  const Json* find(std::string_view name) const {
    if (!json_.is_object()) return nullptr;
    const auto it = json_.find(std::string(name));
    return it == json_.end() || it->is_null() ? nullptr : &*it;
  }
  Read<std::optional<std::string>> string(std::string_view name) const {
    const Json* value = find(name);
    if (value == nullptr) return std::optional<std::string>();
    if (!value->is_string()) return core::unexpected(wrong_type(name, "a string"));
    return std::optional<std::string>(value->get<std::string>());
  }
  Read<std::string> required_string(std::string_view name) const {
    auto value = string(name);
    if (!value) return core::unexpected(value.error());
    if (!*value) return core::unexpected(missing(name));
    return std::move(**value);
  }
  Read<std::optional<std::int64_t>> integer(std::string_view name) const {
    const Json* value = find(name);
    if (value == nullptr) return std::optional<std::int64_t>();
    if (!value->is_number_integer()) return core::unexpected(wrong_type(name, "an integer"));
    return std::optional<std::int64_t>(value->get<std::int64_t>());
  }
  Read<std::optional<int>> small_integer(std::string_view name) const {
    auto value = integer(name);
    if (!value) return core::unexpected(value.error());
    if (!*value) return std::optional<int>();
    if (**value < INT32_MIN || **value > INT32_MAX) return core::unexpected(wrong_type(name, "a 32-bit integer"));
    return std::optional<int>(static_cast<int>(**value));
  }
  Read<std::optional<bool>> boolean(std::string_view name) const {
    const Json* value = find(name);
    if (value == nullptr) return std::optional<bool>();
    if (!value->is_boolean()) return core::unexpected(wrong_type(name, "true or false"));
    return std::optional<bool>(value->get<bool>());
  }
  Read<std::optional<std::vector<std::string>>> string_list(std::string_view name) const {
    const Json* value = find(name);
    if (value == nullptr) return std::optional<std::vector<std::string>>();
    if (!value->is_array()) return core::unexpected(wrong_type(name, "a list of strings"));
    std::vector<std::string> out;
    for (const auto& item : *value) {
      if (!item.is_string()) return core::unexpected(wrong_type(name, "a list of strings"));
      out.push_back(item.get<std::string>());
    }
    return std::optional<std::vector<std::string>>(std::move(out));
  }
  Read<std::map<std::string, std::string>> string_map(std::string_view name) const {
    const Json* value = find(name);
    std::map<std::string, std::string> out;
    if (value == nullptr) return out;
    if (!value->is_object()) return core::unexpected(wrong_type(name, "a map of strings"));
    for (const auto& [key, item] : value->items()) {
      if (!item.is_string()) return core::unexpected(wrong_type(name, "a map of strings"));
      out[key] = item.get<std::string>();
    }
    return out;
  }

 private:
  const Json& json_;
};

Read<std::vector<pattern::MetricTransformation>> read_transformations(const Input& input) {
  const Json* list = input.find("metricTransformations");
  if (list == nullptr) return core::unexpected(missing("metricTransformations"));
  if (!list->is_array()) return core::unexpected(wrong_type("metricTransformations", "a list"));
  std::vector<pattern::MetricTransformation> out;
  for (const auto& item : *list) {
    if (!item.is_object()) return core::unexpected(wrong_type("metricTransformations", "a list of structures"));
    const Input t(item);
    pattern::MetricTransformation transformation;
    auto name = t.required_string("metricName");
    if (!name) return core::unexpected(name.error());
    auto ns = t.required_string("metricNamespace");
    if (!ns) return core::unexpected(ns.error());
    auto value = t.required_string("metricValue");
    if (!value) return core::unexpected(value.error());
    transformation.metric_name = std::move(*name);
    transformation.metric_namespace = std::move(*ns);
    transformation.metric_value = std::move(*value);
    if (const Json* default_value = t.find("defaultValue")) {
      if (!default_value->is_number()) return core::unexpected(wrong_type("defaultValue", "a number"));
      transformation.default_value = default_value->get<double>();
    }
    auto dimensions = t.string_map("dimensions");
    if (!dimensions) return core::unexpected(dimensions.error());
    for (auto& [key, dimension] : *dimensions) transformation.dimensions.emplace_back(key, dimension);
    auto unit = t.string("unit");
    if (!unit) return core::unexpected(unit.error());
    transformation.unit = unit->value_or(std::string());
    out.push_back(std::move(transformation));
  }
  return out;
}

Json transformation_json(const pattern::MetricTransformation& t) {
  Json out;
  out["metricName"] = t.metric_name;
  out["metricNamespace"] = t.metric_namespace;
  out["metricValue"] = t.metric_value;
  if (t.default_value) out["defaultValue"] = *t.default_value;
  if (!t.dimensions.empty()) {
    Json dimensions = Json::object();
    for (const auto& [key, value] : t.dimensions) dimensions[key] = value;
    out["dimensions"] = std::move(dimensions);
  }
  if (!t.unit.empty()) out["unit"] = t.unit;
  return out;
}

}  // namespace

aws::HttpResponse LogsApi::handle(const aws::WireRequest& request, const RequestContext& context) {
  const Input input(request.json);
  const auto fail = [&](const aws::WireError& error) { return failure(request, context, error); };
  const auto ok = [&](const Json& body) { return aws::json_success_response(request.protocol, body, context.request_id); };
  const auto empty = [&] { return aws::json_success_response(request.protocol, Json(), context.request_id); };
  const std::string& op = request.operation;

#define SGWATCH_READ(var, expr) \
  auto var = (expr);            \
  if (!var) return fail(var.error())

  if (op == "CreateLogGroup") {
    engine::CreateLogGroupRequest r;
    SGWATCH_READ(name, input.required_string("logGroupName"));
    SGWATCH_READ(kms, input.string("kmsKeyId"));
    SGWATCH_READ(tags, input.string_map("tags"));
    SGWATCH_READ(group_class, input.string("logGroupClass"));
    r.log_group_name = std::move(*name);
    r.kms_key_id = std::move(*kms);
    r.tags = std::move(*tags);
    r.log_group_class = std::move(*group_class);
    auto done = logs_.create_log_group(r);
    if (!done) return fail(done.error());
    return empty();
  }
  if (op == "DeleteLogGroup") {
    SGWATCH_READ(name, input.required_string("logGroupName"));
    auto done = logs_.delete_log_group(*name);
    if (!done) return fail(done.error());
    return empty();
  }
  if (op == "DescribeLogGroups") {
    engine::DescribeLogGroupsRequest r;
    SGWATCH_READ(prefix, input.string("logGroupNamePrefix"));
    SGWATCH_READ(pattern, input.string("logGroupNamePattern"));
    SGWATCH_READ(limit, input.small_integer("limit"));
    SGWATCH_READ(token, input.string("nextToken"));
    r.log_group_name_prefix = std::move(*prefix);
    r.log_group_name_pattern = std::move(*pattern);
    r.limit = *limit;
    r.next_token = std::move(*token);
    auto result = logs_.describe_log_groups(r);
    if (!result) return fail(result.error());
    Json groups = Json::array();
    for (const auto& g : result->log_groups) {
      Json item;
      item["logGroupName"] = g.log_group_name;
      item["creationTime"] = g.creation_time;
      if (g.retention_in_days) item["retentionInDays"] = *g.retention_in_days;
      if (g.metric_filter_count) item["metricFilterCount"] = *g.metric_filter_count;
      item["arn"] = g.arn;
      if (g.stored_bytes) item["storedBytes"] = *g.stored_bytes;
      if (g.kms_key_id) item["kmsKeyId"] = *g.kms_key_id;
      if (g.log_group_class) item["logGroupClass"] = *g.log_group_class;
      if (g.log_group_arn) item["logGroupArn"] = *g.log_group_arn;
      groups.push_back(std::move(item));
    }
    Json body;
    body["logGroups"] = std::move(groups);
    if (result->next_token) body["nextToken"] = *result->next_token;
    return ok(body);
  }
  if (op == "PutRetentionPolicy") {
    SGWATCH_READ(name, input.required_string("logGroupName"));
    SGWATCH_READ(days, input.small_integer("retentionInDays"));
    if (!*days) return fail(missing("retentionInDays"));
    auto done = logs_.put_retention_policy(*name, **days);
    if (!done) return fail(done.error());
    return empty();
  }
  if (op == "DeleteRetentionPolicy") {
    SGWATCH_READ(name, input.required_string("logGroupName"));
    auto done = logs_.delete_retention_policy(*name);
    if (!done) return fail(done.error());
    return empty();
  }
  if (op == "CreateLogStream" || op == "DeleteLogStream") {
    SGWATCH_READ(group, input.required_string("logGroupName"));
    SGWATCH_READ(stream, input.required_string("logStreamName"));
    auto done = op == "CreateLogStream" ? logs_.create_log_stream(*group, *stream) : logs_.delete_log_stream(*group, *stream);
    if (!done) return fail(done.error());
    return empty();
  }
  if (op == "DescribeLogStreams") {
    engine::DescribeLogStreamsRequest r;
    SGWATCH_READ(group, input.string("logGroupName"));
    SGWATCH_READ(identifier, input.string("logGroupIdentifier"));
    SGWATCH_READ(prefix, input.string("logStreamNamePrefix"));
    SGWATCH_READ(order, input.string("orderBy"));
    SGWATCH_READ(descending, input.boolean("descending"));
    SGWATCH_READ(limit, input.small_integer("limit"));
    SGWATCH_READ(token, input.string("nextToken"));
    r.log_group_name = std::move(*group);
    r.log_group_identifier = std::move(*identifier);
    r.log_stream_name_prefix = std::move(*prefix);
    r.order_by = std::move(*order);
    r.descending = descending->value_or(false);
    r.limit = *limit;
    r.next_token = std::move(*token);
    auto result = logs_.describe_log_streams(r);
    if (!result) return fail(result.error());
    Json streams = Json::array();
    for (const auto& s : result->log_streams) {
      Json item;
      item["logStreamName"] = s.log_stream_name;
      item["creationTime"] = s.creation_time;
      if (s.first_event_timestamp) item["firstEventTimestamp"] = *s.first_event_timestamp;
      if (s.last_event_timestamp) item["lastEventTimestamp"] = *s.last_event_timestamp;
      if (s.last_ingestion_time) item["lastIngestionTime"] = *s.last_ingestion_time;
      item["uploadSequenceToken"] = s.upload_sequence_token;
      item["arn"] = s.arn;
      item["storedBytes"] = s.stored_bytes;
      streams.push_back(std::move(item));
    }
    Json body;
    body["logStreams"] = std::move(streams);
    if (result->next_token) body["nextToken"] = *result->next_token;
    return ok(body);
  }
  if (op == "PutLogEvents") {
    engine::PutLogEventsRequest r;
    SGWATCH_READ(group, input.required_string("logGroupName"));
    SGWATCH_READ(stream, input.required_string("logStreamName"));
    SGWATCH_READ(token, input.string("sequenceToken"));
    r.log_group_name = std::move(*group);
    r.log_stream_name = std::move(*stream);
    r.sequence_token = std::move(*token);
    const Json* events = input.find("logEvents");
    if (events == nullptr) return fail(missing("logEvents"));
    if (!events->is_array()) return fail(wrong_type("logEvents", "a list"));
    r.log_events.reserve(events->size());
    for (const auto& event : *events) {
      if (!event.is_object()) return fail(wrong_type("logEvents", "a list of structures"));
      const auto timestamp = event.find("timestamp");
      const auto message = event.find("message");
      if (timestamp == event.end() || timestamp->is_null()) return fail(missing("logEvents.member.timestamp"));
      if (message == event.end() || message->is_null()) return fail(missing("logEvents.member.message"));
      if (!timestamp->is_number_integer()) return fail(wrong_type("timestamp", "an integer"));
      if (!message->is_string()) return fail(wrong_type("message", "a string"));
      r.log_events.push_back({timestamp->get<std::int64_t>(), message->get_ref<const std::string&>()});
    }
    auto result = logs_.put_log_events(r);
    if (!result) return fail(result.error());
    if (!result->transitions.empty() && on_transitions_) on_transitions_();
    Json body;
    body["nextSequenceToken"] = result->next_sequence_token;
    if (result->rejected_log_events_info) {
      const auto& info = *result->rejected_log_events_info;
      Json rejected = Json::object();
      if (info.too_new_log_event_start_index) rejected["tooNewLogEventStartIndex"] = *info.too_new_log_event_start_index;
      if (info.too_old_log_event_end_index) rejected["tooOldLogEventEndIndex"] = *info.too_old_log_event_end_index;
      if (info.expired_log_event_end_index) rejected["expiredLogEventEndIndex"] = *info.expired_log_event_end_index;
      body["rejectedLogEventsInfo"] = std::move(rejected);
    }
    return ok(body);
  }
  if (op == "PutMetricFilter") {
    engine::PutMetricFilterRequest r;
    SGWATCH_READ(group, input.required_string("logGroupName"));
    SGWATCH_READ(name, input.required_string("filterName"));
    SGWATCH_READ(pattern, input.required_string("filterPattern"));
    SGWATCH_READ(transformations, read_transformations(input));
    r.log_group_name = std::move(*group);
    r.filter_name = std::move(*name);
    r.filter_pattern = std::move(*pattern);
    r.metric_transformations = std::move(*transformations);
    auto done = logs_.put_metric_filter(r);
    if (!done) return fail(done.error());
    return empty();
  }
  if (op == "DeleteMetricFilter") {
    SGWATCH_READ(group, input.required_string("logGroupName"));
    SGWATCH_READ(name, input.required_string("filterName"));
    auto done = logs_.delete_metric_filter(*group, *name);
    if (!done) return fail(done.error());
    return empty();
  }
  if (op == "DescribeMetricFilters") {
    engine::DescribeMetricFiltersRequest r;
    SGWATCH_READ(group, input.string("logGroupName"));
    SGWATCH_READ(prefix, input.string("filterNamePrefix"));
    SGWATCH_READ(metric, input.string("metricName"));
    SGWATCH_READ(ns, input.string("metricNamespace"));
    SGWATCH_READ(limit, input.small_integer("limit"));
    SGWATCH_READ(token, input.string("nextToken"));
    r.log_group_name = std::move(*group);
    r.filter_name_prefix = std::move(*prefix);
    r.metric_name = std::move(*metric);
    r.metric_namespace = std::move(*ns);
    r.limit = *limit;
    r.next_token = std::move(*token);
    auto result = logs_.describe_metric_filters(r);
    if (!result) return fail(result.error());
    Json filters = Json::array();
    for (const auto& f : result->metric_filters) {
      Json item;
      item["filterName"] = f.filter_name;
      item["filterPattern"] = f.filter_pattern;
      Json transformations = Json::array();
      for (const auto& t : f.metric_transformations) transformations.push_back(transformation_json(t));
      item["metricTransformations"] = std::move(transformations);
      item["creationTime"] = f.creation_time;
      item["logGroupName"] = f.log_group_name;
      item["applyOnTransformedLogs"] = f.apply_on_transformed_logs;
      filters.push_back(std::move(item));
    }
    Json body;
    body["metricFilters"] = std::move(filters);
    if (result->next_token) body["nextToken"] = *result->next_token;
    return ok(body);
  }
  if (op == "TestMetricFilter") {
    SGWATCH_READ(pattern, input.required_string("filterPattern"));
    SGWATCH_READ(messages, input.string_list("logEventMessages"));
    if (!*messages) return fail(missing("logEventMessages"));
    auto result = engine::LogsEngine::test_metric_filter(*pattern, **messages);
    if (!result) return fail(result.error());
    Json matches = Json::array();
    for (const auto& m : *result) {
      Json item;
      item["eventNumber"] = m.event_number;
      item["eventMessage"] = m.event_message;
      Json extracted = Json::object();
      for (const auto& [key, value] : m.extracted_values) extracted[key] = value;
      item["extractedValues"] = std::move(extracted);
      matches.push_back(std::move(item));
    }
    Json body;
    body["matches"] = std::move(matches);
    return ok(body);
  }
  if (op == "FilterLogEvents") {
    engine::FilterLogEventsRequest r;
    SGWATCH_READ(group, input.string("logGroupName"));
    SGWATCH_READ(identifier, input.string("logGroupIdentifier"));
    SGWATCH_READ(streams, input.string_list("logStreamNames"));
    SGWATCH_READ(prefix, input.string("logStreamNamePrefix"));
    SGWATCH_READ(start, input.integer("startTime"));
    SGWATCH_READ(end, input.integer("endTime"));
    SGWATCH_READ(pattern, input.string("filterPattern"));
    SGWATCH_READ(limit, input.small_integer("limit"));
    SGWATCH_READ(token, input.string("nextToken"));
    r.log_group_name = std::move(*group);
    r.log_group_identifier = std::move(*identifier);
    r.log_stream_names = std::move(*streams);
    r.log_stream_name_prefix = std::move(*prefix);
    r.start_time = *start;
    r.end_time = *end;
    r.filter_pattern = std::move(*pattern);
    r.limit = *limit;
    r.next_token = std::move(*token);
    auto result = logs_.filter_log_events(r);
    if (!result) return fail(result.error());
    Json events = Json::array();
    for (const auto& e : result->events) {
      events.push_back(Json{{"logStreamName", e.log_stream_name},
                            {"timestamp", e.timestamp},
                            {"message", e.message},
                            {"ingestionTime", e.ingestion_time},
                            {"eventId", e.event_id}});
    }
    Json searched = Json::array();
    for (const auto& s : result->searched_log_streams) {
      searched.push_back(Json{{"logStreamName", s.log_stream_name}, {"searchedCompletely", s.searched_completely}});
    }
    Json body;
    body["events"] = std::move(events);
    body["searchedLogStreams"] = std::move(searched);
    if (result->next_token) body["nextToken"] = *result->next_token;
    return ok(body);
  }
  if (op == "GetLogEvents") {
    engine::GetLogEventsRequest r;
    SGWATCH_READ(group, input.string("logGroupName"));
    SGWATCH_READ(identifier, input.string("logGroupIdentifier"));
    SGWATCH_READ(stream, input.required_string("logStreamName"));
    SGWATCH_READ(start, input.integer("startTime"));
    SGWATCH_READ(end, input.integer("endTime"));
    SGWATCH_READ(token, input.string("nextToken"));
    SGWATCH_READ(limit, input.small_integer("limit"));
    SGWATCH_READ(from_head, input.boolean("startFromHead"));
    r.log_group_name = std::move(*group);
    r.log_group_identifier = std::move(*identifier);
    r.log_stream_name = std::move(*stream);
    r.start_time = *start;
    r.end_time = *end;
    r.next_token = std::move(*token);
    r.limit = *limit;
    r.start_from_head = from_head->value_or(false);
    auto result = logs_.get_log_events(r);
    if (!result) return fail(result.error());
    Json events = Json::array();
    for (const auto& e : result->events) {
      events.push_back(Json{{"timestamp", e.timestamp}, {"message", e.message}, {"ingestionTime", e.ingestion_time}});
    }
    Json body;
    body["events"] = std::move(events);
    body["nextForwardToken"] = result->next_forward_token;
    body["nextBackwardToken"] = result->next_backward_token;
    return ok(body);
  }
#undef SGWATCH_READ
  return unsupported_operation(request, context);
}

}  // namespace sgwatch::api
