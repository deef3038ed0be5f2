// The judgement of `sgwatch audit`: for each CIS section-4 control, whether the account holds a
// working chain — a multi-region trail that is logging and captures all management events ->
// its CloudWatch Logs group -> a metric filter that implements the control (decided by the
// real engine, lint/controls.h) -> its metric (name and namespace) -> an alarm with actions
// enabled that one event fires -> an SNS topic -> a confirmed subscription. PASS when one chain
// holds; MANUAL when a read that would decide it was refused (naming the IAM actions); FAIL
// otherwise, with the step where the most complete chain breaks; facts AWS did not return are
// "unknown", never a FAIL. Pure logic over a Snapshot. Neighbours: model.h, render.h;
// docs/audit.md explains every verdict.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "audit/model.h"
#include "core/result.h"
#include "lint/lint.h"

namespace sgwatch::audit {

enum class Status { kPass, kFail, kManual, kNotApplicable };
std::string_view status_name(Status status);  // "PASS", "FAIL", "MANUAL", "NOT_APPLICABLE"

struct Finding {
  std::string control;    // "4.10"
  std::string benchmark;  // "cis-v3"
  std::string title;
  Status status = Status::kFail;
  std::string reason;                        // one sentence: why this status
  std::vector<std::string> permissions;      // MANUAL: the IAM actions that were refused
  nlohmann::ordered_json evidence = nlohmann::ordered_json::object();  // the chain, step by step
};

struct Report {
  std::string account;
  std::string region;
  std::string benchmark;
  std::int64_t taken_at = 0;
  std::vector<Finding> findings;  // 4.1 ... 4.16 in order
  bool any(Status status) const;
};

std::optional<lint::Benchmark> parse_benchmark(std::string_view name);

// How long after the last delivery to CloudWatch Logs a trail counts as not delivering.
inline constexpr std::int64_t kDeliveryStaleSeconds = 24 * 3600;

// Judges every control of `benchmark` (4.1–4.16). Fails only when a built-in reference filter
// cannot be evaluated (a programming error the unit tests rule out).
core::Result<Report, std::string> evaluate(const Snapshot& snapshot, lint::Benchmark benchmark);

// Whether one event in a period puts `alarm` into ALARM when its metric's value per event is
// `value` (nullopt: the value comes from the event, so unknown). Explains itself in `why`.
enum class Fires { kYes, kNo, kUnknown };
Fires fires_on_one_event(const Alarm& alarm, std::optional<double> value, std::string& why);

}  // namespace sgwatch::audit
