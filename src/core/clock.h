// The one clock interface of sgwatch: wall time when live, event time when replaying or testing.
// Alarm evaluation, signature skew checks and retry schedules take a Clock, never the system
// time directly, so the same code runs live and in replay.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace sgwatch::core {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual std::int64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  std::int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that moves only when told to: event time in replay, chosen times in tests.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(std::int64_t now_ms = 0) : now_(now_ms) {}
  std::int64_t now_ms() const override { return now_.load(std::memory_order_relaxed); }
  void set(std::int64_t now_ms) { now_.store(now_ms, std::memory_order_relaxed); }
  void advance(std::int64_t delta_ms) { now_.fetch_add(delta_ms, std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> now_;
};

}  // namespace sgwatch::core
