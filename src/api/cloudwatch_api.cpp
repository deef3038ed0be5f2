// CloudWatchApi: the operation table and the alarm operations. The metric operations are in
// cloudwatch_metrics.cpp.
#include "api/cloudwatch_api.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>
#include <string_view>

#include "alarms/history.h"
#include "api/cloudwatch_input.h"
#include "api/cloudwatch_shapes.h"
#include "api/page_token.h"
#include "api/shapes.h"

namespace sgwatch::api {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;
using namespace cloudwatch;

// The alarm as DescribeAlarms shows it (spec section 7), timestamps in Unix ms.
OrderedJson metric_alarm_json(const store::AlarmRecord& record) {
  const alarms::AlarmDefinition& d = record.definition;
  OrderedJson out;
  out["AlarmName"] = d.name;
  out["AlarmArn"] = record.arn;
  if (d.description) out["AlarmDescription"] = *d.description;
  out["AlarmConfigurationUpdatedTimestamp"] = record.configuration_updated_ms;
  out["ActionsEnabled"] = record.actions_enabled;
  out["OKActions"] = d.ok_actions;
  out["AlarmActions"] = d.alarm_actions;
  out["InsufficientDataActions"] = d.insufficient_data_actions;
  out["StateValue"] = alarms::state_name(record.state);
  out["StateReason"] = record.reason;
  if (!record.reason_data.empty()) out["StateReasonData"] = record.reason_data;
  out["StateUpdatedTimestamp"] = record.state_updated_ms;
  out["MetricName"] = d.metric_name;
  out["Namespace"] = d.metric_namespace;
  out[d.extended_statistic ? "ExtendedStatistic" : "Statistic"] = d.statistic.name;
  OrderedJson dimensions = OrderedJson::array();
  for (const auto& [name, value] : d.dimensions) {
    OrderedJson dimension;
    dimension["Name"] = name;
    dimension["Value"] = value;
    dimensions.push_back(std::move(dimension));
  }
  out["Dimensions"] = std::move(dimensions);
  out["Period"] = d.period;
  if (d.unit) out["Unit"] = *d.unit;
  out["EvaluationPeriods"] = d.evaluation_periods;
  if (d.datapoints_to_alarm) out["DatapointsToAlarm"] = *d.datapoints_to_alarm;
  out["Threshold"] = d.threshold;
  out["ComparisonOperator"] = alarms::comparison_name(d.comparison);
  if (d.treat_missing_data)
    out["TreatMissingData"] = alarms::missing_data_name(*d.treat_missing_data);
  if (d.evaluate_low_sample_count_percentile) {
    out["EvaluateLowSampleCountPercentile"] = *d.evaluate_low_sample_count_percentile;
  }
  out["StateTransitionedTimestamp"] = record.state_transitioned_ms;
  return out;
}

bool has_action_with_prefix(const alarms::AlarmDefinition& d, std::string_view prefix) {
  for (const auto* actions : {&d.ok_actions, &d.alarm_actions, &d.insufficient_data_actions}) {
    for (const std::string& action : *actions) {
      if (action.starts_with(prefix)) return true;
    }
  }
  return false;
}

// AlarmTypes: absent means metric alarms only; composite alarms never exist here.
Checked<bool> wants_metric_alarms(const Json& input) {
  auto types = bounded_list(input, "AlarmTypes", 2);
  if (!types) return core::unexpected(std::move(types).error());
  for (const std::string& type : *types) {
    if (type != "MetricAlarm" && type != "CompositeAlarm") {
      return core::unexpected(coral(
          type, "AlarmTypes", "Member must satisfy enum value set: [CompositeAlarm, MetricAlarm]"));
    }
  }
  return types->empty() || std::find(types->begin(), types->end(), "MetricAlarm") != types->end();
}

// AlarmNames of DeleteAlarms and Enable/DisableAlarmActions: required, at most 100.
Checked<std::vector<std::string>> alarm_names(const Json& input) {
  if (find_member(input, "AlarmNames") == nullptr) return core::unexpected(missing("AlarmNames"));
  auto names = bounded_list(input, "AlarmNames", 100);
  if (!names) return core::unexpected(std::move(names).error());
  for (const std::string& name : *names) {
    const std::size_t length = characters(name);
    if (length < 1 || length > 255) {
      return core::unexpected(
          coral(name, "AlarmNames",
                "Member must satisfy constraint: [Member must have length less than "
                "or equal to 255, Member must have length greater than or equal to 1]"));
    }
  }
  return names;
}

// Tags are validated as AWS does; sgwatch does not keep them (docs/api.md).
Checked<bool> check_tags(const Json& input) {
  const Json* tags = find_member(input, "Tags");
  if (tags == nullptr) return true;
  if (tags->size() > 50) {
    return core::unexpected(
        coral(tags->dump(), "Tags", "Member must have length less than or equal to 50"));
  }
  std::size_t index = 0;
  for (const Json& tag : *tags) {
    ++index;
    auto key = required_string(tag, "Key", 1, 128);
    if (!key) {
      if (key.error().code == "MissingParameter") {
        return core::unexpected(missing(fmt::format("Tags.member.{}.Key", index)));
      }
      return core::unexpected(std::move(key).error());
    }
    auto value = required_string(tag, "Value", 0, 256);
    if (!value) {
      if (value.error().code == "MissingParameter") {
        return core::unexpected(missing(fmt::format("Tags.member.{}.Value", index)));
      }
      return core::unexpected(std::move(value).error());
    }
  }
  return true;
}

}  // namespace

void CloudWatchApi::notify(const std::vector<alarms::Transition>& transitions) const {
  if (!transitions.empty() && options_.on_transitions) options_.on_transitions(transitions);
}

aws::HttpResponse CloudWatchApi::handle(const aws::WireRequest& request,
                                        const RequestContext& context) {
  using Handler = Output (CloudWatchApi::*)(const Json&, const RequestContext&);
  struct Operation {
    std::string_view name;
    const Shape* input;
    const Shape* output;  // nullptr: the operation has no output
    Handler handler;
  };
  static constexpr Operation kOperations[] = {
      {"DeleteAlarms", &kAlarmNamesInput, nullptr, &CloudWatchApi::delete_alarms},
      {"DescribeAlarmHistory", &kDescribeAlarmHistoryInput, &kDescribeAlarmHistoryOutput,
       &CloudWatchApi::describe_alarm_history},
      {"DescribeAlarms", &kDescribeAlarmsInput, &kDescribeAlarmsOutput,
       &CloudWatchApi::describe_alarms},
      {"DescribeAlarmsForMetric", &kDescribeAlarmsForMetricInput, &kDescribeAlarmsForMetricOutput,
       &CloudWatchApi::describe_alarms_for_metric},
      {"DisableAlarmActions", &kAlarmNamesInput, nullptr, &CloudWatchApi::disable_alarm_actions},
      {"EnableAlarmActions", &kAlarmNamesInput, nullptr, &CloudWatchApi::enable_alarm_actions},
      {"GetMetricData", &kGetMetricDataInput, &kGetMetricDataOutput,
       &CloudWatchApi::get_metric_data},
      {"GetMetricStatistics", &kGetMetricStatisticsInput, &kGetMetricStatisticsOutput,
       &CloudWatchApi::get_metric_statistics},
      {"ListMetrics", &kListMetricsInput, &kListMetricsOutput, &CloudWatchApi::list_metrics},
      {"PutMetricAlarm", &kPutMetricAlarmInput, nullptr, &CloudWatchApi::put_metric_alarm},
      {"PutMetricData", &kPutMetricDataInput, nullptr, &CloudWatchApi::put_metric_data},
      {"SetAlarmState", &kSetAlarmStateInput, nullptr, &CloudWatchApi::set_alarm_state},
  };
  for (const Operation& operation : kOperations) {
    if (operation.name != request.operation) continue;
    auto input = read_input(request, *operation.input);
    if (!input) return failure(request, context, input.error());
    const Output output = (this->*operation.handler)(*input, context);
    if (!output) return failure(request, context, output.error());
    return success(request, context, operation.output, *output);
  }
  // TagResource, UntagResource, ListTagsForResource (docs/api.md).
  return unsupported_operation(request, context);
}

CloudWatchApi::Output CloudWatchApi::put_metric_alarm(const Json& input, const RequestContext&) {
  auto tags = check_tags(input);
  if (!tags) return core::unexpected(std::move(tags).error());
  Json alarm = input;
  alarm.erase("Tags");
  auto definition = alarms::parse_put_metric_alarm(alarm);
  if (!definition) return core::unexpected(from_api_error(definition.error()));
  auto transitions = engine_.put_alarm(std::move(*definition));
  if (!transitions) return core::unexpected(from_api_error(transitions.error()));
  notify(*transitions);
  return OrderedJson();
}

CloudWatchApi::Output CloudWatchApi::describe_alarms(const Json& input, const RequestContext&) {
  auto names = bounded_list(input, "AlarmNames", 100);
  if (!names) return core::unexpected(std::move(names).error());
  auto prefix = bounded_string(input, "AlarmNamePrefix", 1, 255);
  if (!prefix) return core::unexpected(std::move(prefix).error());
  if (!names->empty() && *prefix) {
    return core::unexpected(
        invalid_combination("Specify either AlarmNames or AlarmNamePrefix, not both."));
  }
  auto state = enum_string(input, "StateValue", {"OK", "ALARM", "INSUFFICIENT_DATA"});
  if (!state) return core::unexpected(std::move(state).error());
  auto action_prefix = bounded_string(input, "ActionPrefix", 1, 1024);
  if (!action_prefix) return core::unexpected(std::move(action_prefix).error());
  auto metric = wants_metric_alarms(input);
  if (!metric) return core::unexpected(std::move(metric).error());
  auto children = bounded_string(input, "ChildrenOfAlarmName", 1, 255);
  if (!children) return core::unexpected(std::move(children).error());
  auto parents = bounded_string(input, "ParentsOfAlarmName", 1, 255);
  if (!parents) return core::unexpected(std::move(parents).error());
  auto max_records = bounded_integer(input, "MaxRecords", 1, 100);
  if (!max_records) return core::unexpected(std::move(max_records).error());
  const std::size_t page =
      static_cast<std::size_t>(max_records->value_or(options_.describe_alarms_page));
  std::optional<std::string> after;
  if (const std::optional<std::string> token = string_member(input, "NextToken")) {
    after = decode_page_token("DescribeAlarms", *token);
    if (!after) return core::unexpected(invalid_next_token());
  }

  OrderedJson out;
  OrderedJson metric_alarms = OrderedJson::array();
  std::optional<std::string> next;
  // Composite alarms do not exist here: they have no children, and no alarm has parents.
  if (*metric && !*children && !*parents) {
    const std::set<std::string> wanted(names->begin(), names->end());
    for (const store::AlarmRecord& record : engine_.describe_alarms()) {  // sorted by name
      const std::string& name = record.definition.name;
      if (after && name <= *after) continue;
      if (!wanted.empty() && !wanted.contains(name)) continue;
      if (*prefix && !name.starts_with(**prefix)) continue;
      if (*state && alarms::state_name(record.state) != **state) continue;
      if (*action_prefix && !has_action_with_prefix(record.definition, **action_prefix)) continue;
      if (metric_alarms.size() == page) {
        next = metric_alarms.back().at("AlarmName").get<std::string>();
        break;
      }
      metric_alarms.push_back(metric_alarm_json(record));
    }
  }
  out["MetricAlarms"] = std::move(metric_alarms);
  out["CompositeAlarms"] = OrderedJson::array();
  if (next) out["NextToken"] = encode_page_token("DescribeAlarms", *next);
  return out;
}

CloudWatchApi::Output CloudWatchApi::describe_alarms_for_metric(const Json& input,
                                                                const RequestContext&) {
  auto metric_name = required_string(input, "MetricName", 1, 255);
  if (!metric_name) return core::unexpected(std::move(metric_name).error());
  auto metric_namespace = required_string(input, "Namespace", 1, 255);
  if (!metric_namespace) return core::unexpected(std::move(metric_namespace).error());
  auto statistic =
      enum_string(input, "Statistic", {"SampleCount", "Average", "Sum", "Minimum", "Maximum"});
  if (!statistic) return core::unexpected(std::move(statistic).error());
  const std::optional<std::string> extended = string_member(input, "ExtendedStatistic");
  auto period = bounded_integer(input, "Period", 1, std::numeric_limits<int>::max());
  if (!period) return core::unexpected(std::move(period).error());
  auto unit = checked_unit(input, "");
  if (!unit) return core::unexpected(std::move(unit).error());
  auto dimensions = checked_dimensions(input, "");
  if (!dimensions) return core::unexpected(std::move(dimensions).error());

  OrderedJson alarms_out = OrderedJson::array();
  for (const store::AlarmRecord& record : engine_.describe_alarms()) {
    const alarms::AlarmDefinition& d = record.definition;
    if (d.metric_name != *metric_name || d.metric_namespace != *metric_namespace) continue;
    if (*statistic && (d.extended_statistic || d.statistic.name != **statistic)) continue;
    if (extended && (!d.extended_statistic || d.statistic.name != *extended)) continue;
    if (*period && d.period != **period) continue;
    if (*unit && d.unit != **unit) continue;
    auto alarm_dimensions = d.dimensions;
    std::sort(alarm_dimensions.begin(), alarm_dimensions.end());
    if (alarm_dimensions != *dimensions) continue;
    alarms_out.push_back(metric_alarm_json(record));
  }
  OrderedJson out;
  out["MetricAlarms"] = std::move(alarms_out);
  return out;
}

CloudWatchApi::Output CloudWatchApi::describe_alarm_history(const Json& input,
                                                            const RequestContext&) {
  auto alarm_name = bounded_string(input, "AlarmName", 1, 255);
  if (!alarm_name) return core::unexpected(std::move(alarm_name).error());
  auto metric = wants_metric_alarms(input);
  if (!metric) return core::unexpected(std::move(metric).error());
  auto type =
      enum_string(input, "HistoryItemType", {"ConfigurationUpdate", "StateUpdate", "Action"});
  if (!type) return core::unexpected(std::move(type).error());
  auto max_records = bounded_integer(input, "MaxRecords", 1, 100);
  if (!max_records) return core::unexpected(std::move(max_records).error());
  auto scan_by = enum_string(input, "ScanBy", {"TimestampDescending", "TimestampAscending"});
  if (!scan_by) return core::unexpected(std::move(scan_by).error());

  store::HistoryQuery query;
  query.alarm_name = *alarm_name;
  if (*type) query.type = alarms::parse_history_type(**type);
  query.start_ms = timestamp_ms_member(input, "StartDate");
  query.end_ms = timestamp_ms_member(input, "EndDate");
  query.ascending = *scan_by && **scan_by == "TimestampAscending";
  const int page = static_cast<int>(max_records->value_or(options_.describe_alarm_history_page));
  query.limit = page + 1;  // one more tells whether there is a next page
  if (const std::optional<std::string> token = string_member(input, "NextToken")) {
    const std::optional<std::string> position = decode_page_token("DescribeAlarmHistory", *token);
    std::int64_t id = 0;
    if (!position ||
        std::from_chars(position->data(), position->data() + position->size(), id).ec !=
            std::errc()) {
      return core::unexpected(invalid_next_token());
    }
    query.after_id = id;
  }

  OrderedJson items = OrderedJson::array();
  OrderedJson out;
  if (*metric) {
    auto history = engine_.history(query);
    if (!history) return core::unexpected(from_api_error(history.error()));
    const bool more = history->size() > static_cast<std::size_t>(page);
    if (more) history->resize(static_cast<std::size_t>(page));
    for (const store::StoredHistoryItem& stored : *history) {
      OrderedJson item;
      item["AlarmName"] = stored.item.alarm_name;
      item["AlarmType"] = "MetricAlarm";
      item["Timestamp"] = stored.item.timestamp_ms;
      item["HistoryItemType"] = alarms::history_type_name(stored.item.type);
      item["HistorySummary"] = stored.item.summary;
      item["HistoryData"] = stored.item.data;
      items.push_back(std::move(item));
    }
    out["AlarmHistoryItems"] = std::move(items);
    if (more) {
      out["NextToken"] =
          encode_page_token("DescribeAlarmHistory", std::to_string(history->back().id));
    }
    return out;
  }
  out["AlarmHistoryItems"] = std::move(items);
  return out;
}

CloudWatchApi::Output CloudWatchApi::delete_alarms(const Json& input, const RequestContext&) {
  auto names = alarm_names(input);
  if (!names) return core::unexpected(std::move(names).error());
  auto deleted = engine_.delete_alarms(*names);
  if (!deleted) return core::unexpected(from_api_error(deleted.error()));
  return OrderedJson();
}

CloudWatchApi::Output CloudWatchApi::enable_alarm_actions(const Json& input,
                                                          const RequestContext&) {
  return set_actions_enabled(input, true);
}

CloudWatchApi::Output CloudWatchApi::disable_alarm_actions(const Json& input,
                                                           const RequestContext&) {
  return set_actions_enabled(input, false);
}

CloudWatchApi::Output CloudWatchApi::set_actions_enabled(const Json& input, bool enabled) {
  auto names = alarm_names(input);
  if (!names) return core::unexpected(std::move(names).error());
  auto done = engine_.set_actions_enabled(*names, enabled);
  if (!done) return core::unexpected(from_api_error(done.error()));
  return OrderedJson();
}

CloudWatchApi::Output CloudWatchApi::set_alarm_state(const Json& input, const RequestContext&) {
  auto name = required_string(input, "AlarmName", 1, 255);
  if (!name) return core::unexpected(std::move(name).error());
  if (find_member(input, "StateValue") == nullptr) return core::unexpected(missing("StateValue"));
  auto state = enum_string(input, "StateValue", {"OK", "ALARM", "INSUFFICIENT_DATA"});
  if (!state) return core::unexpected(std::move(state).error());
  auto reason = required_string(input, "StateReason", 0, 1023);
  if (!reason) return core::unexpected(std::move(reason).error());
  auto reason_data = bounded_string(input, "StateReasonData", 0, 4000);
  if (!reason_data) return core::unexpected(std::move(reason_data).error());
  auto transition = engine_.set_alarm_state(*name, *alarms::parse_state(**state),
                                            std::move(*reason), std::move(*reason_data));
  if (!transition) return core::unexpected(from_api_error(transition.error()));
  if (*transition) notify({**transition});
  return OrderedJson();
}

}  // namespace sgwatch::api
