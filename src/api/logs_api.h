// LogsApi: the CloudWatch Logs operations sgwatch answers (JSON 1.1, X-Amz-Target
// Logs_20140328.*), thin over engine::LogsEngine: CreateLogGroup, DeleteLogGroup,
// DescribeLogGroups, PutRetentionPolicy, DeleteRetentionPolicy, CreateLogStream,
// DeleteLogStream, DescribeLogStreams, PutLogEvents (which runs the group's metric filters into
// the alarm engine), GetLogEvents, FilterLogEvents, PutMetricFilter, DescribeMetricFilters,
// DeleteMetricFilter and TestMetricFilter. Input members are checked for their JSON types
// (SerializationException) and presence (InvalidParameterException with AWS's "1 validation
// error detected" text); the engine's errors pass through. Neighbours: dispatch, shapes,
// engine/logs_engine.h.
#pragma once

#include <functional>

#include "api/dispatch.h"
#include "engine/logs_engine.h"

namespace sgwatch::api {

class LogsApi final : public ServiceApi {
 public:
  // `on_transitions` runs (under the dispatcher's lock) after a PutLogEvents that moved alarms.
  explicit LogsApi(engine::LogsEngine& logs, std::function<void()> on_transitions = {})
      : logs_(logs), on_transitions_(std::move(on_transitions)) {}

  aws::HttpResponse handle(const aws::WireRequest& request, const RequestContext& context) override;

 private:
  engine::LogsEngine& logs_;
  std::function<void()> on_transitions_;
};

}  // namespace sgwatch::api
