// CloudWatchApi: the CloudWatch (monitoring 2010-08-01) operations of `sgwatch serve` over the
// alarm engine, in both protocols the AWS CLIs speak: awsQuery (form in, XML out: CLI 2.9.x) and
// the query-compatible JSON 1.0 of current botocore (JSON in and out, the same member names,
// timestamps as epoch seconds). Alarms: PutMetricAlarm, DescribeAlarms, DescribeAlarmsForMetric,
// DescribeAlarmHistory, DeleteAlarms, SetAlarmState, Enable/DisableAlarmActions. Metrics:
// PutMetricData, GetMetricStatistics, GetMetricData (MetricStat queries), ListMetrics. What each
// accepts and answers is in docs/api.md. Neighbours: engine/alarm_engine.h (state and
// evaluation), cloudwatch_shapes.h (the model), shapes.h (reading and writing), dispatch.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <vector>

#include "alarms/live.h"
#include "api/dispatch.h"
#include "core/result.h"
#include "engine/alarm_engine.h"

namespace sgwatch::api {

struct CloudWatchOptions {
  // Called with the transitions a call caused (the first evaluation of PutMetricAlarm,
  // SetAlarmState, an early ALARM on PutMetricData), still under the dispatcher's lock: where the
  // serve loop hands the actions of each transition to the notifier. Not called when empty.
  std::function<void(const std::vector<alarms::Transition>&)> on_transitions;
  // Page sizes when the request gives no MaxRecords (AWS's defaults).
  int describe_alarms_page = 50;
  int describe_alarm_history_page = 100;
  int list_metrics_page = 500;
};

class CloudWatchApi final : public ServiceApi {
 public:
  // `engine` must outlive the api; it is only touched from handle(), under the dispatcher's lock.
  explicit CloudWatchApi(engine::AlarmEngine& engine, CloudWatchOptions options = {})
      : engine_(engine), options_(std::move(options)) {}

  aws::HttpResponse handle(const aws::WireRequest& request, const RequestContext& context) override;

  // An operation's output (timestamps in Unix ms, see shapes.h) or its error; null for
  // operations without output.
  using Output = core::Result<nlohmann::ordered_json, aws::WireError>;

 private:
  // Every operation: its input as read_input gives it, its output for success().
  Output put_metric_alarm(const nlohmann::json& input, const RequestContext& context);
  Output describe_alarms(const nlohmann::json& input, const RequestContext& context);
  Output describe_alarms_for_metric(const nlohmann::json& input, const RequestContext& context);
  Output describe_alarm_history(const nlohmann::json& input, const RequestContext& context);
  Output delete_alarms(const nlohmann::json& input, const RequestContext& context);
  Output set_alarm_state(const nlohmann::json& input, const RequestContext& context);
  Output enable_alarm_actions(const nlohmann::json& input, const RequestContext& context);
  Output disable_alarm_actions(const nlohmann::json& input, const RequestContext& context);
  Output put_metric_data(const nlohmann::json& input, const RequestContext& context);
  Output get_metric_statistics(const nlohmann::json& input, const RequestContext& context);
  Output get_metric_data(const nlohmann::json& input, const RequestContext& context);
  Output list_metrics(const nlohmann::json& input, const RequestContext& context);

  Output set_actions_enabled(const nlohmann::json& input, bool enabled);
  void notify(const std::vector<alarms::Transition>& transitions) const;

  engine::AlarmEngine& engine_;
  CloudWatchOptions options_;
};

}  // namespace sgwatch::api
