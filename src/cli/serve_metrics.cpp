#include "cli/serve_metrics.h"

#include "core/prometheus.h"

namespace sgwatch::cli {

void ServeMetrics::on_request(const api::RequestRecord& record) {
  std::lock_guard lock(mutex_);
  ++requests_[{record.service.empty() ? "unknown" : record.service,
               record.operation.empty() ? "unknown" : record.operation, record.status}];
}

void ServeMetrics::on_attempt(const store::OutboxEntry& entry, const notify::SinkOutcome& outcome) {
  std::string result = "delivered";
  if (outcome.status == notify::SinkStatus::kRetry) result = "retry";
  if (outcome.status == notify::SinkStatus::kFailed) result = "failed";
  std::lock_guard lock(mutex_);
  ++attempts_[{entry.protocol, result}];
}

ServeMetrics::Feed& ServeMetrics::add_feed(const std::string& log_group, const std::string& folder) {
  auto feed = std::make_unique<Feed>();
  feed->log_group = log_group;
  feed->folder = folder;
  std::lock_guard lock(mutex_);
  feeds_.push_back(std::move(feed));
  return *feeds_.back();
}

void ServeMetrics::on_poll(Feed& feed, const engine::FeedReport* report, std::int64_t now_ms) {
  feed.polls += 1;
  if (report == nullptr) {
    feed.failed_polls += 1;
    return;
  }
  feed.files += report->files_read;
  feed.records += report->records;
  feed.stored += report->events_accepted;
  feed.refused += report->events_refused;
  feed.problems += report->problems.size();
  feed.last_success_ms = now_ms;
}

std::string ServeMetrics::render(const engine::LogsTelemetry& logs, const std::vector<store::AlarmRecord>& alarms,
                                 const std::vector<Push>& pushes, const api::ApiServer::Load& load,
                                 std::int64_t now_ms) const {
  using Labels = core::PrometheusLabels;
  core::PrometheusText out;
  out.family("sgwatch_up", "gauge", "1 while sgwatch serve answers.");
  out.sample("sgwatch_up", 1);
  out.family("sgwatch_start_time_seconds", "gauge", "When the process started (unix seconds).");
  out.sample("sgwatch_start_time_seconds", static_cast<double>(start_ms_) / 1000.0);

  {
    std::lock_guard lock(mutex_);
    out.family("sgwatch_api_requests_total", "counter", "AWS API requests answered, by service, operation and HTTP status.");
    for (const auto& [key, count] : requests_) {
      const auto& [service, operation, status] = key;
      out.sample("sgwatch_api_requests_total",
                 Labels{{"service", service}, {"operation", operation}, {"status", std::to_string(status)}},
                 static_cast<double>(count));
    }
    out.family("sgwatch_notification_attempts_total", "counter",
               "Notification delivery attempts, by protocol and result (delivered, retry, failed).");
    for (const auto& [key, count] : attempts_) {
      out.sample("sgwatch_notification_attempts_total", Labels{{"protocol", key.first}, {"result", key.second}},
                 static_cast<double>(count));
    }
  }

  out.family("sgwatch_http_refused_total", "counter",
             "Requests answered 503 with Retry-After and not served, by reason: busy (as many connections "
             "waiting as there are server threads) or body_budget (the request bodies held at their limit).");
  out.sample("sgwatch_http_refused_total", Labels{{"reason", "busy"}}, static_cast<double>(load.refused_busy));
  out.sample("sgwatch_http_refused_total", Labels{{"reason", "body_budget"}},
             static_cast<double>(load.refused_body_budget));
  out.family("sgwatch_http_waiting_connections", "gauge", "Accepted connections waiting for a server thread.");
  out.sample("sgwatch_http_waiting_connections", static_cast<double>(load.waiting_connections));
  out.family("sgwatch_http_body_bytes_held", "gauge", "Request-body bytes held by requests in progress.");
  out.sample("sgwatch_http_body_bytes_held", static_cast<double>(load.body_bytes_held));
  out.family("sgwatch_http_body_bytes_held_max", "gauge", "The most request-body bytes ever held at once.");
  out.sample("sgwatch_http_body_bytes_held_max", static_cast<double>(load.body_bytes_peak));
  out.family("sgwatch_http_body_bytes_limit", "gauge", "The request-body bytes that may be held at once.");
  out.sample("sgwatch_http_body_bytes_limit", static_cast<double>(load.body_bytes_limit));

  out.family("sgwatch_log_events_total", "counter", "Log events stored, by log group (PutLogEvents and feeds).");
  for (const auto& g : logs.groups) {
    out.sample("sgwatch_log_events_total", Labels{{"log_group", g.log_group}}, static_cast<double>(g.events));
  }
  out.family("sgwatch_log_event_bytes_total", "counter", "Bytes of log event messages stored, by log group.");
  for (const auto& g : logs.groups) {
    out.sample("sgwatch_log_event_bytes_total", Labels{{"log_group", g.log_group}}, static_cast<double>(g.bytes));
  }
  out.family("sgwatch_log_newest_event_age_seconds", "gauge",
             "Age of the newest event stored in the log group (its source's lag), since start.");
  for (const auto& g : logs.groups) {
    if (!g.newest_event_ms) continue;
    out.sample("sgwatch_log_newest_event_age_seconds", Labels{{"log_group", g.log_group}},
               static_cast<double>(now_ms - *g.newest_event_ms) / 1000.0);
  }
  out.family("sgwatch_metric_filter_matches_total", "counter", "Events matched, by log group and metric filter.");
  for (const auto& f : logs.filters) {
    out.sample("sgwatch_metric_filter_matches_total",
               Labels{{"log_group", f.log_group}, {"filter", f.filter}, {"metric_namespace", f.metric_namespace},
                      {"metric_name", f.metric_name}},
               static_cast<double>(f.matches));
  }

  out.family("sgwatch_alarm_state", "gauge", "1 for each alarm's current state (OK, ALARM, INSUFFICIENT_DATA).");
  std::map<std::string, int> by_state{{"OK", 0}, {"ALARM", 0}, {"INSUFFICIENT_DATA", 0}};
  for (const auto& a : alarms) {
    const std::string state(alarms::state_name(a.state));
    ++by_state[state];
    out.sample("sgwatch_alarm_state", Labels{{"alarm", a.definition.name}, {"state", state}}, 1);
  }
  out.family("sgwatch_alarms", "gauge", "Alarms by state.");
  for (const auto& [state, count] : by_state) out.sample("sgwatch_alarms", Labels{{"state", state}}, count);

  if (!pushes.empty()) {
    auto counter = [&](const char* name, const char* help, std::uint64_t engine::PushStats::*member) {
      out.family(name, "counter", help);
      for (const auto& push : pushes) {
        out.sample(name, Labels{{"log_group", push.log_group}, {"path", push.path}, {"format", push.format}},
                   static_cast<double>(push.stats.*member));
      }
    };
    counter("sgwatch_push_requests_total", "Requests to a push endpoint.", &engine::PushStats::requests);
    counter("sgwatch_push_rejected_total", "Push requests answered with an error (bad key, bad input, too large).",
            &engine::PushStats::rejected);
    counter("sgwatch_push_records_total", "CloudTrail records pushed.", &engine::PushStats::records);
    counter("sgwatch_push_events_stored_total", "Pushed records stored as log events.", &engine::PushStats::stored);
    counter("sgwatch_push_events_refused_total", "Pushed records the log group refused (too old, too new, too large).",
            &engine::PushStats::refused);
    counter("sgwatch_push_ignored_total", "Pushed values that held no CloudTrail record (e.g. other EventBridge events).",
            &engine::PushStats::ignored);
    counter("sgwatch_push_repeated_total",
            "Firehose records not stored again: an earlier attempt of the same request id stored them.",
            &engine::PushStats::repeated);
  }

  std::lock_guard lock(mutex_);
  if (!feeds_.empty()) {
    auto counter = [&](const char* name, const char* help, auto member) {
      out.family(name, "counter", help);
      for (const auto& feed : feeds_) {
        out.sample(name, Labels{{"log_group", feed->log_group}, {"folder", feed->folder}},
                   static_cast<double>(((*feed).*member).load()));
      }
    };
    counter("sgwatch_source_polls_total", "Polls of a CloudTrail folder feed.", &Feed::polls);
    counter("sgwatch_source_failed_polls_total", "Polls that could not read the folder.", &Feed::failed_polls);
    counter("sgwatch_source_files_total", "Files read to their end.", &Feed::files);
    counter("sgwatch_source_records_total", "CloudTrail records read.", &Feed::records);
    counter("sgwatch_source_events_stored_total", "Records stored as log events.", &Feed::stored);
    counter("sgwatch_source_events_refused_total", "Records the log group refused (too old, too new, too large).",
            &Feed::refused);
    counter("sgwatch_source_problems_total", "Bad input and unreadable files met.", &Feed::problems);
    out.family("sgwatch_source_last_success_age_seconds", "gauge", "Seconds since the feed's last successful poll.");
    for (const auto& feed : feeds_) {
      const std::int64_t last = feed->last_success_ms.load();
      if (last == 0) continue;
      out.sample("sgwatch_source_last_success_age_seconds",
                 Labels{{"log_group", feed->log_group}, {"folder", feed->folder}},
                 static_cast<double>(now_ms - last) / 1000.0);
    }
  }
  return out.text();
}

}  // namespace sgwatch::cli
