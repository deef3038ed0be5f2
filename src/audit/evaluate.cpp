#include "audit/evaluate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "core/time.h"
#include "lint/control_events.h"
#include "pattern/pattern.h"

namespace sgwatch::audit {
namespace {

using json = nlohmann::ordered_json;

// The event source whose management events a control is about; empty when any source counts.
// Only KMS and RDS Data can be excluded from management events by an advanced selector.
std::string_view control_source(std::string_view control) {
  if (control == "4.7") return "kms.amazonaws.com";
  return {};
}

// How far a chain got: each step that holds adds one.
enum Depth : int {
  kNone = 0,
  kTrailHolds = 1,
  kFilterHolds = 2,
  kAlarmFound = 3,
  kAlarmHolds = 4,
  kTopicHolds = 5,
  kSubscribed = 6,
};

struct Attempt {
  int depth = kNone;
  Status status = Status::kFail;
  std::string reason;
  std::vector<std::string> permissions;
  json chain = json::object();
  json unknown = json::array();  // facts AWS did not return
  bool trail_unconfirmed = false;  // a trail fact could not be read (refused)
};

json failure_json(const ReadFailure& failure) {
  return {{"iam_action", failure.iam_action},
          {"access_denied", failure.access_denied},
          {"message", failure.message}};
}

json trail_json(const Trail& trail, const Snapshot& snapshot) {
  json out = {{"name", trail.name},
              {"arn", trail.arn},
              {"home_region", trail.home_region},
              {"multi_region", trail.multi_region},
              {"organization_trail", trail.organization_trail},
              {"log_group_arn", trail.log_group_arn}};
  out["logging"] = trail.logging ? json(*trail.logging) : json("unknown");
  if (trail.capture) {
    out["management_events"] = {{"read", trail.capture->read},
                                {"write", trail.capture->write},
                                {"excluded_sources", trail.capture->excluded_sources},
                                {"selectors", trail.capture->selectors}};
  } else {
    out["management_events"] = "unknown";
  }
  if (trail.latest_delivery_time) {
    out["latest_delivery_time"] = core::format_iso8601(*trail.latest_delivery_time);
    out["delivery_age_seconds"] = snapshot.taken_at - *trail.latest_delivery_time;
  } else {
    out["latest_delivery_time"] = "unknown";
  }
  if (!trail.latest_delivery_error.empty()) out["latest_delivery_error"] = trail.latest_delivery_error;
  if (trail.status_failure) out["status_failure"] = failure_json(*trail.status_failure);
  if (trail.selectors_failure) out["selectors_failure"] = failure_json(*trail.selectors_failure);
  return out;
}

json event_json(const lint::ControlEvent& event) {
  json parsed = json::parse(event.text, nullptr, /*allow_exceptions=*/false);
  return {{"description", event.description}, {"event", parsed.is_discarded() ? json(event.text) : parsed}};
}

json filter_json(const MetricFilter& filter, const lint::ControlVerdict& verdict) {
  json out = {{"name", filter.name},
              {"pattern", filter.pattern},
              {"verdict", lint::verdict_name(verdict.verdict)},
              {"covers_required", verdict.covers_required}};
  json missed = json::array();
  for (const auto& event : verdict.missed_required) missed.push_back(event_json(event));
  if (!missed.empty()) out["missed_required"] = std::move(missed);
  json extra = json::array();
  for (const auto& condition : verdict.extra_conditions) {
    extra.push_back({{"condition", condition.condition}, {"example", event_json(condition.example)}});
  }
  if (!extra.empty()) out["extra_conditions"] = std::move(extra);
  json broader = json::array();
  for (const auto& event : verdict.extra_matches) broader.push_back(event_json(event));
  if (!broader.empty()) out["extra_matches"] = std::move(broader);
  json transformations = json::array();
  for (const auto& t : filter.transformations) {
    json one = {{"metric_name", t.metric_name}, {"metric_namespace", t.metric_namespace},
                {"metric_value", t.metric_value}};
    if (t.default_value) one["default_value"] = *t.default_value;
    transformations.push_back(std::move(one));
  }
  out["metric_transformations"] = std::move(transformations);
  return out;
}

json alarm_json(const Alarm& alarm) {
  json out = {{"name", alarm.name},
              {"arn", alarm.arn},
              {"metric_name", alarm.metric_name},
              {"metric_namespace", alarm.metric_namespace},
              {"period", alarm.period},
              {"evaluation_periods", alarm.evaluation_periods},
              {"comparison_operator", alarm.comparison_operator},
              {"actions_enabled", alarm.actions_enabled},
              {"alarm_actions", alarm.alarm_actions}};
  out["statistic"] = alarm.extended_statistic.empty() ? alarm.statistic : alarm.extended_statistic;
  if (alarm.threshold) out["threshold"] = *alarm.threshold;
  if (alarm.datapoints_to_alarm) out["datapoints_to_alarm"] = *alarm.datapoints_to_alarm;
  if (!alarm.treat_missing_data.empty()) out["treat_missing_data"] = alarm.treat_missing_data;
  if (!alarm.state.empty()) out["state"] = alarm.state;
  return out;
}

json topic_json(const Topic& topic) {
  json subscriptions = json::array();
  for (const auto& s : topic.subscriptions) {
    subscriptions.push_back({{"protocol", s.protocol},
                             {"endpoint", s.endpoint},
                             {"subscription_arn", s.arn},
                             {"confirmed", s.confirmed()}});
  }
  json out = {{"arn", topic.arn}, {"exists", topic.exists}, {"subscriptions", std::move(subscriptions)}};
  if (topic.failure) out["failure"] = failure_json(*topic.failure);
  return out;
}

std::string describe_failure(const ReadFailure& failure) {
  if (failure.access_denied) {
    return fmt::format("{} was refused ({})", failure.iam_action, failure.message);
  }
  return fmt::format("{} failed ({})", failure.iam_action, failure.message);
}

// A refused or failed read stops the chain with MANUAL: the fact that would decide is unknown.
Attempt manual(Attempt attempt, const ReadFailure& failure, std::string_view what) {
  attempt.status = Status::kManual;
  attempt.reason = fmt::format("cannot read {}: {}", what, describe_failure(failure));
  attempt.permissions.push_back(failure.iam_action);
  return attempt;
}

Attempt fail(Attempt attempt, std::string reason) {
  attempt.status = Status::kFail;
  attempt.reason = std::move(reason);
  return attempt;
}

// The value one event adds to the filter's metric: a number, or nullopt when taken from the event.
std::optional<double> metric_value(const MetricTransformation& t) {
  if (t.metric_value.empty() || t.metric_value.front() == '$') return std::nullopt;
  try {
    std::size_t used = 0;
    double value = std::stod(t.metric_value, &used);
    if (used != t.metric_value.size()) return std::nullopt;
    return value;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

bool same_dimensions(const Alarm& alarm, const MetricTransformation& t) {
  // A filter without dimensions publishes a metric without dimensions: the alarm must name none.
  // A filter with dimensions publishes one metric per value; an alarm on any one of them (with
  // every dimension name) watches only part of the events, so only a dimensionless alarm on a
  // dimensionless metric counts.
  return alarm.dimensions.empty() && t.dimensions.empty();
}

std::vector<std::string> sns_topics(const Alarm& alarm) {
  std::vector<std::string> topics;
  for (const auto& action : alarm.alarm_actions) {
    if (action.rfind("arn:", 0) == 0 && action.find(":sns:") != std::string::npos) topics.push_back(action);
  }
  return topics;
}

// The trail step. Returns true when the chain may go on; `attempt` carries the failure otherwise.
bool check_trail(const Trail& trail, std::string_view control, const Snapshot& snapshot, Attempt& attempt) {
  attempt.chain["trail"] = trail_json(trail, snapshot);
  if (!trail.multi_region) {
    attempt = fail(std::move(attempt), fmt::format("trail {} is not multi-region", trail.name));
    return false;
  }
  if (trail.logging && !*trail.logging) {
    attempt = fail(std::move(attempt), fmt::format("trail {} is not logging", trail.name));
    return false;
  }
  if (!trail.logging) {
    if (trail.status_failure) {
      attempt.trail_unconfirmed = true;
      attempt.permissions.push_back(trail.status_failure->iam_action);
    }
    attempt.unknown.push_back("IsLogging");
  }
  if (trail.capture) {
    const auto& c = *trail.capture;
    if (!c.read && !c.write) {
      attempt = fail(std::move(attempt), fmt::format("trail {} captures no management events", trail.name));
      return false;
    }
    if (!c.read || !c.write) {
      attempt = fail(std::move(attempt),
                     fmt::format("trail {} captures only {} management events (CIS asks for read and write)",
                                 trail.name, c.write ? "write" : "read-only"));
      return false;
    }
    std::string_view source = control_source(control);
    if (!source.empty() &&
        std::find(c.excluded_sources.begin(), c.excluded_sources.end(), source) != c.excluded_sources.end()) {
      attempt = fail(std::move(attempt),
                     fmt::format("trail {} excludes {} management events, which {} is about", trail.name,
                                 source, control));
      return false;
    }
  } else {
    if (trail.selectors_failure) {
      attempt.trail_unconfirmed = true;
      attempt.permissions.push_back(trail.selectors_failure->iam_action);
    }
    attempt.unknown.push_back("EventSelectors");
  }
  if (trail.log_group_arn.empty()) {
    attempt = fail(std::move(attempt),
                   fmt::format("trail {} does not send its events to CloudWatch Logs", trail.name));
    return false;
  }
  if (!trail.latest_delivery_error.empty()) {
    attempt = fail(std::move(attempt), fmt::format("trail {} cannot deliver to CloudWatch Logs: {}", trail.name,
                                                   trail.latest_delivery_error));
    return false;
  }
  if (trail.latest_delivery_time) {
    std::int64_t age = snapshot.taken_at - *trail.latest_delivery_time;
    if (age > kDeliveryStaleSeconds) {
      attempt = fail(std::move(attempt),
                     fmt::format("trail {} last delivered to CloudWatch Logs at {} ({} hours before the audit)",
                                 trail.name, core::format_iso8601(*trail.latest_delivery_time), age / 3600));
      return false;
    }
  } else {
    attempt.unknown.push_back("LatestCloudWatchLogsDeliveryTime");
  }
  attempt.depth = kTrailHolds;
  return true;
}

// The topic and subscription steps of one alarm action.
Attempt check_topic(Attempt attempt, const std::string& arn, const Snapshot& snapshot) {
  auto found = snapshot.topics.find(arn);
  if (found == snapshot.topics.end()) {
    attempt.chain["topic"] = {{"arn", arn}};
    return fail(std::move(attempt), fmt::format("topic {} was not read", arn));
  }
  const Topic& topic = found->second;
  attempt.chain["topic"] = topic_json(topic);
  if (!topic.exists) return fail(std::move(attempt), fmt::format("alarm action topic {} does not exist", arn));
  if (topic.failure) return manual(std::move(attempt), *topic.failure, fmt::format("the subscriptions of {}", arn));
  attempt.depth = kTopicHolds;
  std::size_t pending = 0;
  for (const auto& s : topic.subscriptions) {
    if (s.confirmed()) {
      attempt.depth = kSubscribed;
      attempt.status = Status::kPass;
      return attempt;
    }
    ++pending;
  }
  if (pending > 0) {
    return fail(std::move(attempt),
                fmt::format("topic {} has no confirmed subscription ({} pending confirmation)", arn, pending));
  }
  return fail(std::move(attempt), fmt::format("topic {} has no subscriptions", arn));
}

// The alarm steps for one metric of a filter; appends one attempt per alarm (or one failure).
void check_alarms(const Attempt& base, const MetricTransformation& t, const std::string& region,
                  const Snapshot& snapshot, std::vector<Attempt>& attempts) {
  Attempt attempt = base;
  attempt.chain["metric"] = {{"name", t.metric_name}, {"namespace", t.metric_namespace}};
  if (snapshot.alarms_failure) {
    attempts.push_back(manual(std::move(attempt), *snapshot.alarms_failure, "the CloudWatch alarms"));
    return;
  }
  std::vector<const Alarm*> watching;
  std::vector<const Alarm*> other_namespace;
  std::vector<const Alarm*> with_dimensions;
  for (const auto& alarm : snapshot.alarms) {
    if (alarm.metric_math || alarm.metric_name != t.metric_name) continue;
    if (!alarm.region.empty() && alarm.region != region) continue;  // metrics are regional
    if (alarm.metric_namespace != t.metric_namespace) {
      other_namespace.push_back(&alarm);
    } else if (!same_dimensions(alarm, t)) {
      with_dimensions.push_back(&alarm);
    } else {
      watching.push_back(&alarm);
    }
  }
  if (watching.empty()) {
    if (!other_namespace.empty()) {
      attempt.chain["alarm"] = alarm_json(*other_namespace.front());
      attempts.push_back(fail(std::move(attempt),
                              fmt::format("namespace mismatch: the filter publishes {} in namespace {}, but alarm {} "
                                          "watches {} in namespace {}",
                                          t.metric_name, t.metric_namespace, other_namespace.front()->name,
                                          t.metric_name, other_namespace.front()->metric_namespace)));
    } else if (!with_dimensions.empty()) {
      attempt.chain["alarm"] = alarm_json(*with_dimensions.front());
      attempts.push_back(fail(std::move(attempt),
                              fmt::format("alarm {} watches {}/{} with dimensions the metric does not have",
                                          with_dimensions.front()->name, t.metric_namespace, t.metric_name)));
    } else {
      attempts.push_back(fail(std::move(attempt), fmt::format("no alarm watches metric {} in namespace {}",
                                                              t.metric_name, t.metric_namespace)));
    }
    return;
  }
  for (const Alarm* alarm : watching) {
    Attempt one = attempt;
    one.depth = kAlarmFound;
    one.chain["alarm"] = alarm_json(*alarm);
    std::string why;
    Fires fires = fires_on_one_event(*alarm, metric_value(t), why);
    one.chain["alarm"]["fires_on_one_event"] = why;
    if (fires == Fires::kNo) {
      attempts.push_back(fail(std::move(one), fmt::format("alarm {} does not fire on one event: {}", alarm->name, why)));
      continue;
    }
    if (fires == Fires::kUnknown) {
      one.status = Status::kManual;
      one.reason = fmt::format("whether alarm {} fires on one event cannot be decided: {}", alarm->name, why);
      attempts.push_back(std::move(one));
      continue;
    }
    if (!alarm->actions_enabled) {
      attempts.push_back(fail(std::move(one), fmt::format("alarm {} has its actions disabled", alarm->name)));
      continue;
    }
    std::vector<std::string> topics = sns_topics(*alarm);
    if (topics.empty()) {
      attempts.push_back(fail(std::move(one), alarm->alarm_actions.empty()
                                                  ? fmt::format("alarm {} has no ALARM action", alarm->name)
                                                  : fmt::format("alarm {} notifies no SNS topic", alarm->name)));
      continue;
    }
    one.depth = kAlarmHolds;
    for (const auto& arn : topics) attempts.push_back(check_topic(one, arn, snapshot));
  }
}

int verdict_rank(lint::Verdict verdict) {
  switch (verdict) {
    case lint::Verdict::kEquivalent: return 0;
    case lint::Verdict::kStricter: return 1;
    case lint::Verdict::kBroader: return 2;
    case lint::Verdict::kPartial: return 3;
    case lint::Verdict::kNeverMatches: return 4;
  }
  return 5;
}

// What one evaluate() call computes once: each distinct pattern compiled, each control's
// required events. A filter that matches none of a control's required events cannot implement
// it, so the full verdict (with its probes) is computed only for the filters that match some.
class Context {
 public:
  explicit Context(lint::Benchmark benchmark) : benchmark_(benchmark) {}

  // Whether `pattern` matches at least one required event of `control`; true when that cannot be
  // decided cheaply (the full evaluation then reports what is wrong).
  bool may_implement(const std::string& pattern, const std::string& control) {
    auto compiled = matchers_.find(pattern);
    if (compiled == matchers_.end()) {
      auto matcher = pattern::Matcher::compile(pattern);
      compiled = matchers_.emplace(pattern, matcher ? std::optional<pattern::Matcher>(std::move(matcher).value())
                                                    : std::nullopt).first;
    }
    if (!compiled->second) return true;
    auto events = required_.find(control);
    if (events == required_.end()) {
      std::vector<std::string> texts;
      auto table = lint::control_events(benchmark_, control);
      if (!table) return true;
      for (const auto& e : *table) {
        if (e.intended == lint::EventClass::kRequired) texts.push_back(e.event.text);
      }
      events = required_.emplace(control, std::move(texts)).first;
    }
    for (const auto& text : events->second) {
      if (compiled->second->matches(std::string_view(text))) return true;
    }
    return false;
  }

 private:
  lint::Benchmark benchmark_;
  std::map<std::string, std::optional<pattern::Matcher>> matchers_;
  std::map<std::string, std::vector<std::string>> required_;
};

std::string filter_summary(const MetricFilter& filter, const lint::ControlVerdict& verdict) {
  std::string text = fmt::format("filter {} is {}", filter.name, lint::verdict_name(verdict.verdict));
  if (!verdict.extra_conditions.empty()) {
    text += " (its extra condition";
    text += verdict.extra_conditions.size() > 1 ? "s " : " ";
    for (std::size_t i = 0; i < verdict.extra_conditions.size(); ++i) {
      if (i > 0) text += ", ";
      text += verdict.extra_conditions[i].condition;
    }
    text += ")";
  }
  return text;
}

core::Result<Finding, std::string> evaluate_metric_control(const Snapshot& snapshot, lint::Benchmark benchmark,
                                                           const lint::ControlInfo& control, Context& context) {
  Finding finding;
  finding.control = control.id;
  finding.benchmark = std::string(lint::benchmark_name(benchmark));
  finding.title = control.title;

  if (snapshot.trails_failure) {
    finding.status = Status::kManual;
    finding.reason = fmt::format("cannot list the trails: {}", describe_failure(*snapshot.trails_failure));
    finding.permissions.push_back(snapshot.trails_failure->iam_action);
    return finding;
  }
  if (snapshot.trails.empty()) {
    finding.status = Status::kFail;
    finding.reason = "no CloudTrail trail applies to this region";
    return finding;
  }

  std::vector<Attempt> attempts;
  for (const auto& trail : snapshot.trails) {
    Attempt attempt;
    if (!check_trail(trail, control.id, snapshot, attempt)) {
      attempts.push_back(std::move(attempt));
      continue;
    }
    auto arn = parse_log_group_arn(trail.log_group_arn);
    if (!arn) {
      attempts.push_back(fail(std::move(attempt),
                              fmt::format("trail {} names a log group ARN that cannot be read: {}", trail.name,
                                          trail.log_group_arn)));
      continue;
    }
    attempt.chain["log_group"] = {{"name", arn->name}, {"region", arn->region}, {"account", arn->account}};
    if (!snapshot.account.empty() && arn->account != snapshot.account) {
      attempt.status = Status::kManual;
      attempt.reason = fmt::format("trail {} sends to log group {} in account {}; audit that account", trail.name,
                                   arn->name, arn->account);
      attempts.push_back(std::move(attempt));
      continue;
    }
    auto group = snapshot.log_groups.find(arn->name);
    if (group == snapshot.log_groups.end()) {
      attempts.push_back(fail(std::move(attempt), fmt::format("log group {} was not read", arn->name)));
      continue;
    }
    if (group->second.failure) {
      attempts.push_back(manual(std::move(attempt), *group->second.failure,
                                fmt::format("the metric filters of {}", arn->name)));
      continue;
    }
    const auto& filters = group->second.filters;
    if (filters.empty()) {
      attempts.push_back(fail(std::move(attempt), fmt::format("log group {} has no metric filters", arn->name)));
      continue;
    }
    // Every filter of the group, judged by the engine; the ones that catch every required event
    // are the candidates, best verdict first.
    struct Judged {
      const MetricFilter* filter;
      lint::ControlVerdict verdict;
    };
    std::vector<Judged> judged;
    judged.reserve(filters.size());
    json considered = json::array();
    std::size_t unrelated = 0;
    for (const auto& filter : filters) {
      if (!context.may_implement(filter.pattern, control.id)) {
        ++unrelated;
        continue;
      }
      auto verdict = lint::evaluate_control(benchmark, control.id, filter.pattern);
      if (!verdict) {
        considered.push_back({{"name", filter.name}, {"pattern", filter.pattern}, {"error", verdict.error()}});
        continue;
      }
      judged.push_back({&filter, std::move(verdict).value()});
    }
    std::stable_sort(judged.begin(), judged.end(), [](const Judged& a, const Judged& b) {
      if (a.verdict.covers_required != b.verdict.covers_required) return a.verdict.covers_required;
      if (a.verdict.covers_required) return verdict_rank(a.verdict.verdict) < verdict_rank(b.verdict.verdict);
      return a.verdict.missed_required.size() < b.verdict.missed_required.size();
    });
    bool any_candidate = false;
    for (const auto& j : judged) {
      if (!j.verdict.covers_required) continue;
      any_candidate = true;
      Attempt with_filter = attempt;
      with_filter.depth = kFilterHolds;
      with_filter.chain["filter"] = filter_json(*j.filter, j.verdict);
      with_filter.chain["filter_summary"] = filter_summary(*j.filter, j.verdict);
      if (j.filter->transformations.empty()) {
        attempts.push_back(fail(std::move(with_filter), fmt::format("filter {} publishes no metric", j.filter->name)));
        continue;
      }
      for (const auto& t : j.filter->transformations) check_alarms(with_filter, t, arn->region, snapshot, attempts);
    }
    if (!any_candidate) {
      if (judged.empty()) {
        const bool none_compiled = !considered.empty();
        attempt.chain["filters_considered"] = std::move(considered);
        attempt.chain["filters_matching_nothing_required"] = unrelated;
        attempts.push_back(fail(std::move(attempt),
                                !none_compiled
                                    ? fmt::format("none of the {} metric filters of log group {} matches any event "
                                                  "{} requires",
                                                  filters.size(), arn->name, control.id)
                                    : fmt::format("no metric filter of log group {} could be evaluated", arn->name)));
        continue;
      }
      const Judged& best = judged.front();
      for (const auto& j : judged) considered.push_back(filter_json(*j.filter, j.verdict));
      attempt.chain["filters_considered"] = std::move(considered);
      std::string missed;
      for (std::size_t i = 0; i < best.verdict.missed_required.size() && i < 3; ++i) {
        if (i > 0) missed += "; ";
        missed += best.verdict.missed_required[i].description;
      }
      if (best.verdict.missed_required.size() > 3) {
        missed += fmt::format("; and {} more", best.verdict.missed_required.size() - 3);
      }
      attempts.push_back(fail(std::move(attempt),
                              best.verdict.verdict == lint::Verdict::kNeverMatches
                                  ? fmt::format("no metric filter of log group {} matches any event of {}",
                                                arn->name, control.id)
                                  : fmt::format("no metric filter of log group {} catches every event {} requires: "
                                                "the closest, {}, misses {}",
                                                arn->name, control.id, best.filter->name, missed)));
    }
  }

  // PASS when a chain holds (MANUAL when it holds but a trail fact was refused); else MANUAL
  // when a refused read stopped a chain; else FAIL where the most complete chain broke.
  const Attempt* chosen = nullptr;
  for (const auto& a : attempts) {
    if (a.status == Status::kPass && !a.trail_unconfirmed) { chosen = &a; break; }
  }
  if (!chosen) {
    for (const auto& a : attempts) {
      if (a.status == Status::kPass) { chosen = &a; break; }
    }
  }
  if (!chosen) {
    for (const auto& a : attempts) {
      if (a.status == Status::kManual && (!chosen || a.depth > chosen->depth)) chosen = &a;
    }
  }
  if (!chosen) {
    for (const auto& a : attempts) {
      if (!chosen || a.depth > chosen->depth) chosen = &a;
    }
  }
  if (!chosen) {
    finding.status = Status::kFail;
    finding.reason = "no trail was evaluated";
    return finding;
  }
  finding.evidence = chosen->chain;
  finding.evidence["unknown"] = chosen->unknown;
  finding.permissions = chosen->permissions;
  if (chosen->status == Status::kPass) {
    const json& alarm = chosen->chain["alarm"];
    const json& topic = chosen->chain["topic"];
    std::string chain = fmt::format("trail {} -> log group {} -> {} -> metric {}/{} -> alarm {} -> topic {}",
                                    chosen->chain["trail"]["name"].get<std::string>(),
                                    chosen->chain["log_group"]["name"].get<std::string>(),
                                    chosen->chain["filter_summary"].get<std::string>(),
                                    chosen->chain["metric"]["namespace"].get<std::string>(),
                                    chosen->chain["metric"]["name"].get<std::string>(),
                                    alarm["name"].get<std::string>(), topic["arn"].get<std::string>());
    if (chosen->trail_unconfirmed) {
      finding.status = Status::kManual;
      finding.reason = "the chain holds, but the trail's status or event selectors could not be read: " + chain;
    } else {
      finding.status = Status::kPass;
      finding.reason = chain;
    }
  } else {
    finding.status = chosen->status;
    finding.reason = chosen->reason;
  }
  std::sort(finding.permissions.begin(), finding.permissions.end());
  finding.permissions.erase(std::unique(finding.permissions.begin(), finding.permissions.end()),
                            finding.permissions.end());
  if (finding.status != Status::kManual && finding.status != Status::kPass) finding.permissions.clear();
  return finding;
}

Finding evaluate_security_hub(const Snapshot& snapshot, lint::Benchmark benchmark) {
  Finding finding;
  finding.control = "4.16";
  finding.benchmark = std::string(lint::benchmark_name(benchmark));
  finding.title = "Ensure AWS Security Hub is enabled";
  if (snapshot.security_hub_failure) {
    finding.status = Status::kManual;
    finding.reason = fmt::format("cannot read Security Hub: {}", describe_failure(*snapshot.security_hub_failure));
    finding.permissions.push_back(snapshot.security_hub_failure->iam_action);
    finding.evidence = {{"failure", failure_json(*snapshot.security_hub_failure)}};
  } else if (!snapshot.security_hub_enabled) {
    finding.status = Status::kManual;
    finding.reason = "Security Hub was not read";
  } else if (*snapshot.security_hub_enabled) {
    finding.status = Status::kPass;
    finding.reason = fmt::format("Security Hub is enabled in {} ({})", snapshot.region, snapshot.security_hub_arn);
    finding.evidence = {{"hub_arn", snapshot.security_hub_arn}, {"region", snapshot.region}};
  } else {
    finding.status = Status::kFail;
    finding.reason = fmt::format("Security Hub is not enabled in {}", snapshot.region);
    finding.evidence = {{"region", snapshot.region}};
  }
  return finding;
}

}  // namespace

std::string_view status_name(Status status) {
  switch (status) {
    case Status::kPass: return "PASS";
    case Status::kFail: return "FAIL";
    case Status::kManual: return "MANUAL";
    case Status::kNotApplicable: return "NOT_APPLICABLE";
  }
  return "FAIL";
}

std::optional<lint::Benchmark> parse_benchmark(std::string_view name) {
  if (name == "cis-v3") return lint::Benchmark::kCisV3;
  if (name == "cis-v5") return lint::Benchmark::kCisV5;
  return std::nullopt;
}

bool Report::any(Status status) const {
  return std::any_of(findings.begin(), findings.end(), [status](const Finding& f) { return f.status == status; });
}

Fires fires_on_one_event(const Alarm& alarm, std::optional<double> value, std::string& why) {
  if (alarm.metric_math) {
    why = "the alarm watches a metric-math expression";
    return Fires::kUnknown;
  }
  if (!alarm.threshold) {
    why = "the alarm has no static threshold (anomaly detection)";
    return Fires::kUnknown;
  }
  const std::string& op = alarm.comparison_operator;
  bool greater_equal = op == "GreaterThanOrEqualToThreshold";
  bool greater = op == "GreaterThanThreshold";
  if (!greater_equal && !greater) {
    why = fmt::format("{} fires on a low count, not on an event", op.empty() ? "(no operator)" : op);
    return Fires::kNo;
  }
  // The datapoint one event makes in its period, by statistic.
  std::string statistic = alarm.extended_statistic.empty() ? alarm.statistic : alarm.extended_statistic;
  std::optional<double> point;
  if (statistic == "SampleCount") {
    point = 1.0;
  } else if (statistic == "Sum" || statistic == "Average" || statistic == "Minimum" || statistic == "Maximum" ||
             !alarm.extended_statistic.empty()) {
    point = value;  // one sample: every statistic of it is the sample
  } else {
    why = fmt::format("unknown statistic {}", statistic.empty() ? "(none)" : statistic);
    return Fires::kUnknown;
  }
  if (!point) {
    why = "the metric's value comes from a field of the event";
    return Fires::kUnknown;
  }
  double threshold = *alarm.threshold;
  bool breaches = greater_equal ? *point >= threshold : *point > threshold;
  std::int64_t datapoints = alarm.datapoints_to_alarm.value_or(alarm.evaluation_periods);
  if (!breaches) {
    why = fmt::format("one event makes {} {} in its period, which is not {} {}", statistic, *point,
                      greater_equal ? ">=" : ">", threshold);
    return Fires::kNo;
  }
  if (datapoints > 1 && alarm.treat_missing_data != "breaching") {
    why = fmt::format("it needs {} breaching periods of {}, and one event makes one", datapoints,
                      alarm.evaluation_periods);
    return Fires::kNo;
  }
  why = fmt::format("{} of one event is {} {} {} within {} s", statistic, *point, greater_equal ? ">=" : ">",
                    threshold, alarm.period);
  return Fires::kYes;
}

core::Result<Report, std::string> evaluate(const Snapshot& snapshot, lint::Benchmark benchmark) {
  Report report;
  report.account = snapshot.account;
  report.region = snapshot.region;
  report.benchmark = std::string(lint::benchmark_name(benchmark));
  report.taken_at = snapshot.taken_at;
  Context context(benchmark);
  for (const auto& control : lint::metric_controls(benchmark)) {
    auto finding = evaluate_metric_control(snapshot, benchmark, control, context);
    if (!finding) return core::unexpected(finding.error());
    report.findings.push_back(std::move(finding).value());
  }
  report.findings.push_back(evaluate_security_hub(snapshot, benchmark));
  return report;
}

std::optional<LogGroupArn> parse_log_group_arn(const std::string& arn) {
  // arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME[:*]
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (int i = 0; i < 6; ++i) {
    std::size_t colon = arn.find(':', start);
    if (colon == std::string::npos) return std::nullopt;
    parts.push_back(arn.substr(start, colon - start));
    start = colon + 1;
  }
  if (parts[0] != "arn" || parts[2] != "logs" || parts[5] != "log-group") return std::nullopt;
  std::string name = arn.substr(start);
  if (name.size() >= 2 && name.compare(name.size() - 2, 2, ":*") == 0) name.resize(name.size() - 2);
  if (name.empty() || parts[3].empty()) return std::nullopt;
  return LogGroupArn{parts[1], parts[3], parts[4], name};
}

}  // namespace sgwatch::audit
