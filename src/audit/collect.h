// Reads an AWS account into a Snapshot through the AWS APIs that the audit needs, and nothing
// else (read-only calls): STS GetCallerIdentity; CloudTrail DescribeTrails (shadow and
// organization trails included), GetTrailStatus and GetEventSelectors per trail in its home
// region; Logs DescribeMetricFilters for each trail's log group in its region; CloudWatch
// DescribeAlarms in those regions; SNS GetTopicAttributes and ListSubscriptionsByTopic for
// the topics of the alarms on the filters' metrics; Security Hub DescribeHub. A refused or
// failed read is recorded with the IAM action it needs and the audit goes on. Neighbours:
// aws/client.h (the calls), model.h (what is filled in).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/model.h"
#include "aws/client.h"
#include "core/result.h"

namespace sgwatch::audit {

// A client per region, made on first use (all share the credentials and --endpoint-url).
using ClientForRegion = std::function<aws::Client&(const std::string& region)>;

struct CollectOptions {
  std::string region;                      // the audited region
  std::function<std::int64_t()> now;       // unix seconds; default system clock
  // Log groups of the audited region to read whether or not a trail names them (apply's group).
  std::vector<std::string> log_groups;
};

// Reads the account. Fails only when nothing at all can be read (e.g. the credentials are
// rejected by every service: the first call's error, named).
core::Result<Snapshot, std::string> collect(const CollectOptions& options, const ClientForRegion& clients);

// What GetEventSelectors' answer captures of management events: basic selectors
// (ReadWriteType, IncludeManagementEvents, ExcludeManagementEventSources) or advanced ones
// (eventCategory = Management, readOnly, eventSource NotEquals).
ManagementCapture management_capture(const nlohmann::json& get_event_selectors_response);

}  // namespace sgwatch::audit
