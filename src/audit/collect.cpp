#include "audit/collect.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <optional>
#include <set>

#include <fmt/format.h>

namespace sgwatch::audit {
namespace {

using nlohmann::json;

constexpr std::string_view kCloudTrailPrefix = "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.";
constexpr std::string_view kLogsPrefix = "Logs_20140328.";

ReadFailure failure_of(const aws::AwsError& error, std::string iam_action) {
  return ReadFailure{std::move(iam_action), error.access_denied(), error.describe()};
}

std::string string_at(const json& object, std::string_view key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_string()) return {};
  return found->get<std::string>();
}

bool bool_at(const json& object, std::string_view key, bool fallback) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_boolean()) return fallback;
  return found->get<bool>();
}

// JSON-protocol timestamps are epoch seconds (fractions allowed).
std::optional<std::int64_t> time_at(const json& object, std::string_view key) {
  auto found = object.find(key);
  if (found == object.end() || !found->is_number()) return std::nullopt;
  double seconds = found->get<double>();
  if (!std::isfinite(seconds)) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(seconds));
}

std::string arn_region(const std::string& arn) {
  // arn:partition:service:region:account:resource
  std::size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    pos = arn.find(':', pos);
    if (pos == std::string::npos) return {};
    ++pos;
  }
  std::size_t end = arn.find(':', pos);
  if (end == std::string::npos) return {};
  return arn.substr(pos, end - pos);
}

std::vector<std::string> strings_at(const json& object, std::string_view key) {
  std::vector<std::string> out;
  auto found = object.find(key);
  if (found == object.end() || !found->is_array()) return out;
  for (const auto& item : *found) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<double> number_text(const std::string& text) {
  if (text.empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    double value = std::stod(text, &used);
    if (used != text.size()) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::optional<std::int64_t> integer_text(const std::string& text) {
  auto value = number_text(text);
  if (!value) return std::nullopt;
  return static_cast<std::int64_t>(*value);
}

// The text of the direct child element `name` of `node` (query responses nest by name).
std::string child_text(const pugi::xml_node& node, std::string_view name) { return aws::xml_own_text(aws::xml_child(node, name)); }

// The <member> elements of the list element `list` under `node`.
std::vector<pugi::xml_node> members(const pugi::xml_node& node, std::string_view list) {
  return aws::xml_children(aws::xml_child(node, list), "member");
}

Alarm alarm_from_xml(const pugi::xml_node& member, const std::string& region) {
  Alarm alarm;
  alarm.region = region;
  alarm.name = child_text(member, "AlarmName");
  alarm.arn = child_text(member, "AlarmArn");
  alarm.metric_name = child_text(member, "MetricName");
  alarm.metric_namespace = child_text(member, "Namespace");
  alarm.statistic = child_text(member, "Statistic");
  alarm.extended_statistic = child_text(member, "ExtendedStatistic");
  for (const auto& d : members(member, "Dimensions")) {
    alarm.dimensions.emplace_back(child_text(d, "Name"), child_text(d, "Value"));
  }
  alarm.period = integer_text(child_text(member, "Period")).value_or(0);
  alarm.evaluation_periods = integer_text(child_text(member, "EvaluationPeriods")).value_or(0);
  alarm.datapoints_to_alarm = integer_text(child_text(member, "DatapointsToAlarm"));
  alarm.threshold = number_text(child_text(member, "Threshold"));
  alarm.comparison_operator = child_text(member, "ComparisonOperator");
  alarm.treat_missing_data = child_text(member, "TreatMissingData");
  std::string enabled = child_text(member, "ActionsEnabled");
  alarm.actions_enabled = enabled.empty() || enabled == "true";
  for (const auto& action : members(member, "AlarmActions")) {
    alarm.alarm_actions.push_back(aws::xml_own_text(action));
  }
  alarm.metric_math = !members(member, "Metrics").empty();
  alarm.state = child_text(member, "StateValue");
  return alarm;
}

MetricFilter filter_from_json(const json& item, const std::string& log_group) {
  MetricFilter filter;
  filter.log_group = log_group;
  filter.name = string_at(item, "filterName");
  filter.pattern = string_at(item, "filterPattern");
  auto transformations = item.find("metricTransformations");
  if (transformations != item.end() && transformations->is_array()) {
    for (const auto& t : *transformations) {
      MetricTransformation one;
      one.metric_name = string_at(t, "metricName");
      one.metric_namespace = string_at(t, "metricNamespace");
      one.metric_value = string_at(t, "metricValue");
      auto value = t.find("defaultValue");
      if (value != t.end() && value->is_number()) one.default_value = value->get<double>();
      auto dimensions = t.find("dimensions");
      if (dimensions != t.end() && dimensions->is_object()) {
        for (const auto& [name, field] : dimensions->items()) {
          one.dimensions.emplace_back(name, field.is_string() ? field.get<std::string>() : field.dump());
        }
      }
      filter.transformations.push_back(std::move(one));
    }
  }
  return filter;
}

bool not_found(const aws::AwsError& error) {
  return error.code == "NotFound" || error.code == "NotFoundException" || error.code == "ResourceNotFoundException";
}

}  // namespace

ManagementCapture management_capture(const json& response) {
  ManagementCapture capture;
  capture.selectors = response.dump();
  bool first = true;
  std::set<std::string> excluded;
  auto merge = [&](bool read, bool write, const std::vector<std::string>& sources) {
    capture.read = capture.read || read;
    capture.write = capture.write || write;
    std::set<std::string> these(sources.begin(), sources.end());
    if (first) {
      excluded = std::move(these);
      first = false;
    } else {
      std::set<std::string> both;
      std::set_intersection(excluded.begin(), excluded.end(), these.begin(), these.end(),
                            std::inserter(both, both.begin()));
      excluded = std::move(both);
    }
  };
  auto basic = response.find("EventSelectors");
  if (basic != response.end() && basic->is_array()) {
    for (const auto& selector : *basic) {
      if (!bool_at(selector, "IncludeManagementEvents", true)) continue;
      std::string type = string_at(selector, "ReadWriteType");
      if (type.empty()) type = "All";
      merge(type == "All" || type == "ReadOnly", type == "All" || type == "WriteOnly",
            strings_at(selector, "ExcludeManagementEventSources"));
    }
  }
  auto advanced = response.find("AdvancedEventSelectors");
  if (advanced != response.end() && advanced->is_array()) {
    for (const auto& selector : *advanced) {
      auto fields = selector.find("FieldSelectors");
      if (fields == selector.end() || !fields->is_array()) continue;
      bool management = false;
      bool read = true;
      bool write = true;
      std::vector<std::string> sources;
      for (const auto& field : *fields) {
        std::string name = string_at(field, "Field");
        std::vector<std::string> equals = strings_at(field, "Equals");
        if (name == "eventCategory") {
          management = std::find(equals.begin(), equals.end(), "Management") != equals.end();
        } else if (name == "readOnly") {
          if (!equals.empty()) {
            read = std::find(equals.begin(), equals.end(), "true") != equals.end();
            write = std::find(equals.begin(), equals.end(), "false") != equals.end();
          }
          for (const auto& v : strings_at(field, "NotEquals")) {
            if (v == "true") read = false;
            if (v == "false") write = false;
          }
        } else if (name == "eventSource") {
          for (auto& v : strings_at(field, "NotEquals")) sources.push_back(std::move(v));
        }
      }
      if (management) merge(read, write, sources);
    }
  }
  capture.excluded_sources.assign(excluded.begin(), excluded.end());
  return capture;
}

core::Result<Snapshot, std::string> collect(const CollectOptions& options, const ClientForRegion& clients) {
  Snapshot snapshot;
  snapshot.region = options.region;
  snapshot.taken_at = options.now ? options.now()
                                  : std::chrono::duration_cast<std::chrono::seconds>(
                                        std::chrono::system_clock::now().time_since_epoch())
                                        .count();
  aws::Client& home = clients(options.region);

  // Who we are.
  auto identity = home.query("sts", "GetCallerIdentity", "2011-06-15", {});
  if (identity) {
    snapshot.account = aws::xml_text((*identity)->document_element(), "Account");
    std::string arn = aws::xml_text((*identity)->document_element(), "Arn");
    if (arn.rfind("arn:", 0) == 0) {
      std::size_t colon = arn.find(':', 4);
      if (colon != std::string::npos) snapshot.partition = arn.substr(4, colon - 4);
    }
  } else {
    const auto& error = identity.error();
    if (error.kind == aws::AwsError::Kind::kNetwork) {
      return core::unexpected(fmt::format("cannot reach AWS: {}", error.describe()));
    }
    if (error.credentials_rejected()) {
      return core::unexpected(fmt::format("the credentials were rejected: {}", error.describe()));
    }
    snapshot.identity_failure = failure_of(error, "sts:GetCallerIdentity");
  }

  // The trails that apply to this region (shadow copies of other regions' multi-region trails
  // and organization trails included).
  auto trails = home.json("cloudtrail", std::string(kCloudTrailPrefix) + "DescribeTrails",
                          json{{"includeShadowTrails", true}});
  if (!trails) {
    snapshot.trails_failure = failure_of(trails.error(), "cloudtrail:DescribeTrails");
  } else if (auto list = trails->find("trailList"); list != trails->end() && list->is_array()) {
    for (const auto& item : *list) {
      Trail trail;
      trail.name = string_at(item, "Name");
      trail.arn = string_at(item, "TrailARN");
      trail.home_region = string_at(item, "HomeRegion");
      if (trail.home_region.empty()) trail.home_region = options.region;
      trail.multi_region = bool_at(item, "IsMultiRegionTrail", false);
      trail.organization_trail = bool_at(item, "IsOrganizationTrail", false);
      trail.log_group_arn = string_at(item, "CloudWatchLogsLogGroupArn");
      std::string id = trail.arn.empty() ? trail.name : trail.arn;
      aws::Client& at_home = clients(trail.home_region);
      auto status = at_home.json("cloudtrail", std::string(kCloudTrailPrefix) + "GetTrailStatus", json{{"Name", id}});
      if (status) {
        if (auto logging = status->find("IsLogging"); logging != status->end() && logging->is_boolean()) {
          trail.logging = logging->get<bool>();
        }
        trail.latest_delivery_time = time_at(*status, "LatestCloudWatchLogsDeliveryTime");
        trail.latest_delivery_error = string_at(*status, "LatestCloudWatchLogsDeliveryError");
      } else {
        trail.status_failure = failure_of(status.error(), "cloudtrail:GetTrailStatus");
      }
      auto selectors =
          at_home.json("cloudtrail", std::string(kCloudTrailPrefix) + "GetEventSelectors", json{{"TrailName", id}});
      if (selectors) {
        trail.capture = management_capture(*selectors);
      } else {
        trail.selectors_failure = failure_of(selectors.error(), "cloudtrail:GetEventSelectors");
      }
      snapshot.trails.push_back(std::move(trail));
    }
  }

  // The metric filters of the trails' log groups, and the regions whose alarms matter.
  std::set<std::string> alarm_regions;
  std::set<std::pair<std::string, std::string>> published;  // (namespace, name) of the filters' metrics
  std::vector<LogGroupArn> groups;
  for (const auto& trail : snapshot.trails) {
    auto arn = parse_log_group_arn(trail.log_group_arn);
    if (!arn) continue;
    if (!snapshot.account.empty() && arn->account != snapshot.account) continue;
    groups.push_back(*arn);
  }
  for (const auto& name : options.log_groups) {
    groups.push_back(LogGroupArn{snapshot.partition, options.region, snapshot.account, name});
  }
  for (const auto& group_arn : groups) {
    const LogGroupArn* arn = &group_arn;
    if (snapshot.log_groups.count(arn->name) != 0) continue;
    LogGroupFilters group;
    auto filters = clients(arn->region).json_all("logs", std::string(kLogsPrefix) + "DescribeMetricFilters",
                                                 json{{"logGroupName", arn->name}}, "nextToken", "metricFilters");
    if (!filters) {
      group.failure = failure_of(filters.error(), "logs:DescribeMetricFilters");
    } else {
      for (const auto& item : filters->value("metricFilters", json::array())) {
        group.filters.push_back(filter_from_json(item, arn->name));
        for (const auto& t : group.filters.back().transformations) published.emplace(t.metric_namespace, t.metric_name);
      }
    }
    alarm_regions.insert(arn->region);
    snapshot.log_groups.emplace(arn->name, std::move(group));
  }

  // The alarms of those regions; the topics of the alarms on the filters' metrics.
  std::set<std::string> topics;
  for (const auto& region : alarm_regions) {
    auto pages = clients(region).query_all("monitoring", "DescribeAlarms", "2010-08-01", {});
    if (!pages) {
      snapshot.alarms_failure = failure_of(pages.error(), "cloudwatch:DescribeAlarms");
      continue;
    }
    for (const auto& page : *pages) {
      pugi::xml_node result = aws::query_result(*page, "DescribeAlarms");
      for (const auto& member : members(result, "MetricAlarms")) {
        Alarm alarm = alarm_from_xml(member, region);
        if (published.count({alarm.metric_namespace, alarm.metric_name}) == 0 &&
            std::none_of(published.begin(), published.end(),
                         [&](const auto& p) { return p.second == alarm.metric_name; })) {
          continue;  // watches nothing a trail's filter publishes (same-name alarms stay: namespace mismatches)
        }
        for (const auto& action : alarm.alarm_actions) {
          if (action.rfind("arn:", 0) == 0 && action.find(":sns:") != std::string::npos) topics.insert(action);
        }
        snapshot.alarms.push_back(std::move(alarm));
      }
    }
  }
  for (const auto& arn : topics) {
    Topic topic;
    topic.arn = arn;
    std::string region = arn_region(arn);
    aws::Client& client = clients(region.empty() ? options.region : region);
    auto attributes = client.query("sns", "GetTopicAttributes", "2010-03-31", {{"TopicArn", arn}});
    if (!attributes && not_found(attributes.error())) {
      topic.exists = false;
    } else {
      // A refused GetTopicAttributes does not stop the subscriptions from being listed.
      auto pages = client.query_all("sns", "ListSubscriptionsByTopic", "2010-03-31", {{"TopicArn", arn}});
      if (!pages) {
        if (not_found(pages.error())) {
          topic.exists = false;
        } else {
          topic.failure = failure_of(pages.error(), "sns:ListSubscriptionsByTopic");
        }
      } else {
        for (const auto& page : *pages) {
          pugi::xml_node result = aws::query_result(*page, "ListSubscriptionsByTopic");
          for (const auto& member : members(result, "Subscriptions")) {
            topic.subscriptions.push_back(Subscription{child_text(member, "SubscriptionArn"),
                                                       child_text(member, "Protocol"),
                                                       child_text(member, "Endpoint")});
          }
        }
      }
    }
    snapshot.topics.emplace(arn, std::move(topic));
  }

  // Security Hub (4.16).
  auto hub = home.rest_json("securityhub", "DescribeHub", "GET", "/accounts", "", std::nullopt);
  if (hub) {
    snapshot.security_hub_enabled = true;
    snapshot.security_hub_arn = string_at(*hub, "HubArn");
  } else {
    const auto& error = hub.error();
    if (error.code == "InvalidAccessException" || not_found(error)) {
      snapshot.security_hub_enabled = false;
    } else {
      snapshot.security_hub_failure = failure_of(error, "securityhub:DescribeHub");
    }
  }
  return snapshot;
}

}  // namespace sgwatch::audit
