#include "audit/apply.h"

#include <algorithm>

#include <fmt/format.h>

#include "audit/evaluate.h"

namespace sgwatch::audit {
namespace {

using nlohmann::json;

constexpr std::string_view kLogsPrefix = "Logs_20140328.";

std::string numeric_text(double value) { return fmt::format("{}", value); }

// A metric filter of the group that implements the control (every required event caught), best
// verdict first; nullptr when none does.
struct Covering {
  const MetricFilter* filter = nullptr;
  const MetricTransformation* metric = nullptr;
  std::string verdict;
};

Covering covering_filter(const std::vector<MetricFilter>& filters, lint::Benchmark benchmark,
                         const std::string& control) {
  Covering best;
  int best_rank = 99;
  for (const auto& filter : filters) {
    auto verdict = lint::evaluate_control(benchmark, control, filter.pattern);
    if (!verdict || !verdict->covers_required) continue;
    const MetricTransformation* metric = nullptr;
    for (const auto& t : filter.transformations) {
      if (!t.metric_value.empty() && t.metric_value.front() != '$' && t.dimensions.empty()) {
        metric = &t;
        break;
      }
    }
    if (metric == nullptr) continue;
    int rank = verdict->verdict == lint::Verdict::kEquivalent ? 0 : verdict->verdict == lint::Verdict::kStricter ? 1 : 2;
    if (rank < best_rank) {
      best_rank = rank;
      best = Covering{&filter, metric, std::string(lint::verdict_name(verdict->verdict))};
    }
  }
  return best;
}

// An alarm on (namespace, name) that one event fires, with actions enabled and an SNS action
// whose topic exists and has a confirmed subscription — or is `our_topic` (its e-mail
// subscriptions may still await confirmation: that is the recipient's step).
const Alarm* working_alarm(const Snapshot& snapshot, const MetricTransformation& metric, const std::string& our_topic) {
  std::optional<double> value;
  try {
    value = std::stod(metric.metric_value);
  } catch (const std::exception&) {
    value.reset();
  }
  for (const auto& alarm : snapshot.alarms) {
    if (alarm.metric_math || alarm.metric_name != metric.metric_name ||
        alarm.metric_namespace != metric.metric_namespace || !alarm.dimensions.empty()) {
      continue;
    }
    if (!alarm.region.empty() && alarm.region != snapshot.region) continue;
    std::string why;
    if (fires_on_one_event(alarm, value, why) != Fires::kYes || !alarm.actions_enabled) continue;
    for (const auto& action : alarm.alarm_actions) {
      if (!our_topic.empty() && action == our_topic) return &alarm;
      auto topic = snapshot.topics.find(action);
      if (topic == snapshot.topics.end() || !topic->second.exists) continue;
      for (const auto& s : topic->second.subscriptions) {
        if (s.confirmed()) return &alarm;
      }
    }
  }
  return nullptr;
}

const MetricFilter* named_filter(const std::vector<MetricFilter>& filters, const std::string& name) {
  for (const auto& f : filters) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

const Alarm* named_alarm(const Snapshot& snapshot, const std::string& name) {
  for (const auto& a : snapshot.alarms) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

std::string status_for(bool exists_already, bool dry_run) {
  if (dry_run) return exists_already ? "would replace" : "would create";
  return exists_already ? "replaced" : "created";
}

std::string write_error(std::string_view what, const aws::AwsError& error) {
  return fmt::format("{}: {}", what, error.describe());
}

}  // namespace

int ApplyReport::changes() const {
  return static_cast<int>(std::count_if(actions.begin(), actions.end(),
                                        [](const ApplyAction& a) { return a.status != "exists"; }));
}

bool ApplyReport::prerequisites_ok() const {
  return std::all_of(prerequisites.begin(), prerequisites.end(), [](const Prerequisite& p) { return p.ok; });
}

core::Result<ApplyReport, std::string> apply(const ApplyOptions& options, const ClientForRegion& clients) {
  const ChainSpec& spec = options.spec;
  if (spec.log_group.empty()) return core::unexpected(std::string("no log group given"));
  ApplyReport report;
  report.region = options.region;
  aws::Client& client = clients(options.region);

  // 1. The log group must exist: apply puts filters on it but does not create it.
  auto groups = client.json_all("logs", std::string(kLogsPrefix) + "DescribeLogGroups",
                                json{{"logGroupNamePrefix", spec.log_group}}, "nextToken", "logGroups");
  if (!groups) return core::unexpected(write_error("cannot check the log group", groups.error()));
  bool group_exists = false;
  if (auto listed = groups->find("logGroups"); listed != groups->end() && listed->is_array()) {
    for (const json& g : *listed) {
      const json* name = g.is_object() && g.contains("logGroupName") ? &g["logGroupName"] : nullptr;
      if (name != nullptr && *name == spec.log_group) group_exists = true;
    }
  }
  report.prerequisites.push_back({"log group", group_exists,
                                  group_exists ? fmt::format("{} exists", spec.log_group)
                                               : fmt::format("{} does not exist in {}; create it and point the "
                                                             "multi-region trail at it (apply does not create either)",
                                                             spec.log_group, options.region)});
  if (!group_exists) return report;

  // 2. What exists, read as the audit reads it.
  CollectOptions collect_options;
  collect_options.region = options.region;
  collect_options.log_groups = {spec.log_group};
  auto snapshot = collect(collect_options, clients);
  if (!snapshot) return core::unexpected(snapshot.error());
  report.account = snapshot->account;

  // Prerequisites apply does not create: a trail delivering here, Security Hub.
  {
    Prerequisite trail{"trail", false, ""};
    std::string problems;
    for (const auto& t : snapshot->trails) {
      auto arn = parse_log_group_arn(t.log_group_arn);
      if (!arn || arn->name != spec.log_group) continue;
      std::vector<std::string> wrong;
      if (!t.multi_region) wrong.push_back("not multi-region");
      if (t.logging && !*t.logging) wrong.push_back("not logging");
      if (t.capture && !(t.capture->read && t.capture->write)) wrong.push_back("not all management events");
      if (wrong.empty()) {
        trail.ok = true;
        trail.detail = fmt::format("trail {} delivers to {}", t.name, spec.log_group);
        break;
      }
      problems += fmt::format("{}trail {} is {}", problems.empty() ? "" : "; ", t.name, fmt::join(wrong, ", "));
    }
    if (!trail.ok) {
      trail.detail = problems.empty()
                         ? fmt::format("no trail delivers to {}: create a multi-region trail with "
                                       "--cloud-watch-logs-log-group-arn for it",
                                       spec.log_group)
                         : problems;
    }
    report.prerequisites.push_back(std::move(trail));
    bool hub = snapshot->security_hub_enabled.value_or(false);
    report.prerequisites.push_back(
        {"security hub", hub,
         hub ? "Security Hub is enabled"
             : (snapshot->security_hub_failure ? "Security Hub could not be read: " + snapshot->security_hub_failure->message
                                               : "Security Hub is not enabled (4.16): aws securityhub enable-security-hub")});
  }

  const auto& group = snapshot->log_groups[spec.log_group];
  if (group.failure) return core::unexpected("cannot read the metric filters: " + group.failure->message);
  if (snapshot->alarms_failure) return core::unexpected("cannot read the alarms: " + snapshot->alarms_failure->message);

  // 3. The topic (CreateTopic answers with the existing topic's ARN when it exists).
  std::string topic_arn;
  bool topic_exists = false;
  {
    auto pages = client.query_all("sns", "ListTopics", "2010-03-31", {});
    if (!pages) return core::unexpected(write_error("cannot list the SNS topics", pages.error()));
    const std::string suffix = ":" + spec.topic_name;
    for (const auto& page : *pages) {
      for (const auto& member : aws::xml_children(aws::xml_child(aws::query_result(*page, "ListTopics"), "Topics"), "member")) {
        std::string arn = aws::xml_text(member, "TopicArn");
        if (arn.size() > suffix.size() && arn.compare(arn.size() - suffix.size(), suffix.size(), suffix) == 0) {
          topic_arn = arn;
          topic_exists = true;
        }
      }
    }
  }
  bool topic_needed = false;

  // 4. Per control: the filter, then the alarm.
  struct PlannedAlarm {
    ChainItem item;
    std::string metric_name;
    std::string metric_namespace;
    bool replaces = false;
  };
  std::vector<PlannedAlarm> alarms;
  for (const auto& item : chain_items(spec)) {
    Covering covering = covering_filter(group.filters, spec.benchmark, item.control);
    std::string metric_name = item.metric_name;
    std::string metric_namespace = spec.metric_namespace;
    if (covering.filter != nullptr) {
      report.actions.push_back({item.control, "metric-filter", covering.filter->name, "exists",
                                fmt::format("filter {} is {}", covering.filter->name, covering.verdict)});
      metric_name = covering.metric->metric_name;
      metric_namespace = covering.metric->metric_namespace;
      if (working_alarm(*snapshot, *covering.metric, topic_arn) != nullptr) {
        const Alarm* alarm = working_alarm(*snapshot, *covering.metric, topic_arn);
        report.actions.push_back({item.control, "alarm", alarm->name, "exists",
                                  fmt::format("alarm {} watches {}/{} and notifies", alarm->name, metric_namespace,
                                              metric_name)});
        continue;
      }
    } else {
      bool replaces = named_filter(group.filters, item.filter_name) != nullptr;
      if (!options.dry_run) {
        json body = {{"logGroupName", spec.log_group},
                     {"filterName", item.filter_name},
                     {"filterPattern", item.pattern},
                     {"metricTransformations",
                      json::array({{{"metricName", item.metric_name},
                                    {"metricNamespace", spec.metric_namespace},
                                    {"metricValue", "1"}}})}};
        auto put = client.json("logs", std::string(kLogsPrefix) + "PutMetricFilter", body);
        if (!put) return core::unexpected(write_error(fmt::format("PutMetricFilter {}", item.filter_name), put.error()));
      }
      report.actions.push_back({item.control, "metric-filter", item.filter_name, status_for(replaces, options.dry_run),
                                replaces ? "the filter of that name does not implement the control"
                                         : "no filter of the log group implements the control"});
    }
    alarms.push_back({item, metric_name, metric_namespace, named_alarm(*snapshot, item.alarm_name) != nullptr});
    topic_needed = true;
  }

  // 5. The topic and subscriptions, when an alarm will notify it (or they were asked for).
  if (topic_needed || !spec.emails.empty()) {
    if (!topic_exists) {
      if (!options.dry_run) {
        auto created = client.query("sns", "CreateTopic", "2010-03-31", {{"Name", spec.topic_name}});
        if (!created) return core::unexpected(write_error("CreateTopic", created.error()));
        topic_arn = aws::xml_text((*created)->document_element(), "TopicArn");
      } else {
        topic_arn = fmt::format("arn:{}:sns:{}:{}:{}", snapshot->partition, options.region, snapshot->account,
                                spec.topic_name);
      }
      report.actions.push_back({"", "topic", spec.topic_name, options.dry_run ? "would create" : "created", topic_arn});
    } else {
      report.actions.push_back({"", "topic", spec.topic_name, "exists", topic_arn});
    }
    std::vector<Subscription> subscriptions;
    if (topic_exists) {
      auto pages = client.query_all("sns", "ListSubscriptionsByTopic", "2010-03-31", {{"TopicArn", topic_arn}});
      if (!pages) return core::unexpected(write_error("cannot list the topic's subscriptions", pages.error()));
      for (const auto& page : *pages) {
        pugi::xml_node result = aws::query_result(*page, "ListSubscriptionsByTopic");
        for (const auto& member : aws::xml_children(aws::xml_child(result, "Subscriptions"), "member")) {
          subscriptions.push_back({aws::xml_text(member, "SubscriptionArn"), aws::xml_text(member, "Protocol"),
                                   aws::xml_text(member, "Endpoint")});
        }
      }
    }
    for (const auto& email : spec.emails) {
      auto found = std::find_if(subscriptions.begin(), subscriptions.end(), [&](const Subscription& s) {
        return s.protocol == "email" && s.endpoint == email;
      });
      if (found != subscriptions.end()) {
        report.actions.push_back({"", "subscription", email, "exists",
                                  found->confirmed() ? "confirmed" : "pending confirmation by the recipient"});
        continue;
      }
      if (!options.dry_run) {
        auto subscribed = client.query("sns", "Subscribe", "2010-03-31",
                                       {{"TopicArn", topic_arn}, {"Protocol", "email"}, {"Endpoint", email}});
        if (!subscribed) return core::unexpected(write_error("Subscribe " + email, subscribed.error()));
      }
      report.actions.push_back({"", "subscription", email, options.dry_run ? "would create" : "created",
                                "the recipient confirms it from the mail AWS sends"});
    }
  }

  for (const auto& planned : alarms) {
    if (!options.dry_run) {
      std::vector<std::pair<std::string, std::string>> params = {
          {"AlarmName", planned.item.alarm_name},
          {"AlarmDescription", fmt::format("CIS {}: {}", planned.item.control, planned.item.title)},
          {"MetricName", planned.metric_name},
          {"Namespace", planned.metric_namespace},
          {"Statistic", "Sum"},
          {"Period", std::to_string(kAlarmPeriod)},
          {"EvaluationPeriods", std::to_string(kAlarmEvaluationPeriods)},
          {"Threshold", numeric_text(kAlarmThreshold)},
          {"ComparisonOperator", "GreaterThanOrEqualToThreshold"},
          {"TreatMissingData", "notBreaching"},
          {"ActionsEnabled", "true"},
          {"AlarmActions.member.1", topic_arn}};
      auto put = client.query("monitoring", "PutMetricAlarm", "2010-08-01", params);
      if (!put) return core::unexpected(write_error("PutMetricAlarm " + planned.item.alarm_name, put.error()));
    }
    report.actions.push_back({planned.item.control, "alarm", planned.item.alarm_name,
                              status_for(planned.replaces, options.dry_run),
                              fmt::format("on {}/{} -> {}", planned.metric_namespace, planned.metric_name,
                                          spec.topic_name)});
  }
  return report;
}

}  // namespace sgwatch::audit
