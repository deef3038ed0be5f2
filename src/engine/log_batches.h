// How the feeds (the CloudTrail folder feed, the HTTP push endpoints) cut their events into
// PutLogEvents calls: events sorted by stream then time, batches of one stream with at most
// 10,000 events, 1 MB (message bytes plus 26 per event) and 24 hours; an event over 256 KB can
// never be stored and is marked instead, to be refused as the API refuses it.
// Neighbours: logs_engine.h (the limits), cloudtrail_feed.cpp and push_ingest.cpp.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/logs_engine.h"

namespace sgwatch::engine {

inline constexpr std::int64_t kMaxBatchSpanMs = 24LL * 3600 * 1000;

struct LogBatch {
  std::size_t begin = 0;  // events[begin, end) minus the oversized ones, which never sit inside
  std::size_t end = 0;
};

// Sorts `events` (each with .stream, .timestamp_ms and .message) by stream, then time, stably.
template <class Event>
void sort_for_batches(std::vector<Event>& events) {
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    if (a.stream != b.stream) return a.stream < b.stream;
    return a.timestamp_ms < b.timestamp_ms;
  });
}

// The batches of sorted `events`; `oversized[i]` is set (and the event left out) for an event
// PutLogEvents could never take.
template <class Event>
std::vector<LogBatch> plan_log_batches(const std::vector<Event>& events, std::vector<char>& oversized) {
  std::vector<LogBatch> batches;
  oversized.assign(events.size(), 0);
  std::size_t bytes = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::size_t size = events[i].message.size() + kEventOverheadBytes;
    if (size > kMaxEventBytes) {
      oversized[i] = 1;
      continue;
    }
    const bool fresh = batches.empty() || batches.back().end != i ||
                       events[batches.back().begin].stream != events[i].stream ||
                       batches.back().end - batches.back().begin >= kMaxBatchEvents || bytes + size > kMaxBatchBytes ||
                       events[i].timestamp_ms - events[batches.back().begin].timestamp_ms > kMaxBatchSpanMs;
    if (fresh) {
      batches.push_back(LogBatch{i, i + 1});
      bytes = size;
    } else {
      batches.back().end = i + 1;
      bytes += size;
    }
  }
  return batches;
}

}  // namespace sgwatch::engine
