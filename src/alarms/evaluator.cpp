// Implementation of evaluator.h: spec 4.4 (algorithm), 4.5 (premature ALARM), 4.8 (low-sample
// percentiles) and the reason forms of 5.2.
#include "alarms/evaluator.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "alarms/reason.h"
#include "core/time.h"

namespace sgwatch::alarms {
namespace {

std::string_view phrase(Comparison comparison) {
  switch (comparison) {
    case Comparison::kGreaterOrEqual: return "greater than or equal to";
    case Comparison::kGreater: return "greater than";
    case Comparison::kLess: return "less than";
    case Comparison::kLessOrEqual: return "less than or equal to";
  }
  return "";
}

std::string count_noun(std::size_t n, std::string_view singular, std::string_view plural) {
  return fmt::format("{} {}", n, n == 1 ? singular : plural);
}

enum class Fill { kNone, kBreaching, kNonBreaching };

// The reason texts of spec 5.2: forms 3 and 4 (points listed), 6 (only filled points decide).
struct ReasonInput {
  const AlarmDefinition& alarm;
  AlarmState outcome;                     // kAlarm or kOk
  std::vector<const PeriodValue*> listed; // supporting real points, newest first
  std::size_t real = 0;                   // real points considered
  std::size_t filled = 0;                 // missing points filled (K)
  Fill fill = Fill::kNone;
  bool listed_breach;                     // the listed points breach (else they do not)
  bool long_form = false;                 // the long form even without DatapointsToAlarm
};

std::string threshold_crossed(const ReasonInput& in) {
  const AlarmDefinition& a = in.alarm;
  const auto n = static_cast<std::size_t>(a.evaluation_periods);
  const std::string fill_kind = in.fill == Fill::kBreaching ? "Breaching" : "NonBreaching";
  std::string fill_text;
  if (in.fill != Fill::kNone && in.filled > 0) {
    fill_text = fmt::format(" and {} missing {} treated as [{}]", in.filled,
                            in.filled == 1 ? "datapoint was" : "datapoints were", fill_kind);
  }
  if (in.listed.empty()) {
    // Form 6: real points exist but none supports the outcome; the filled points decide.
    return fmt::format("Threshold Crossed: {} received for {} periods{}.",
                       count_noun(in.real, "datapoint was", "datapoints were"), n, fill_text);
  }
  std::string list;
  for (std::size_t i = 0; i < in.listed.size(); ++i) {
    if (i > 0) list += ", ";
    list += fmt::format("{} ({})", java_double(*in.listed[i]->value), reason_time(in.listed[i]->start));
  }
  const std::size_t k = in.listed.size();
  const std::string verb = k == 1 ? "was" : "were";
  const std::string relation =
      fmt::format("{}{} the threshold ({})", in.listed_breach ? "" : "not ", phrase(a.comparison),
                  java_double(a.threshold));
  if (!a.datapoints_to_alarm && !in.long_form) {
    // Form 4, the short form (DatapointsToAlarm not given).
    return fmt::format("Threshold Crossed: {} [{}] {} {}{}.", count_noun(k, "datapoint", "datapoints"),
                       list, verb, relation, fill_text);
  }
  // Form 3, the long form, with the minimum for the transition to the outcome.
  const auto m = static_cast<std::size_t>(a.required_breaching());
  const std::size_t minimum = in.outcome == AlarmState::kAlarm ? m : n - m + 1;
  return fmt::format("Threshold Crossed: {} out of the last {} datapoints [{}] {} {}{} (minimum {} for {} transition).",
                     k, n, list, verb, relation, fill_text, count_noun(minimum, "datapoint", "datapoints"),
                     in.outcome == AlarmState::kAlarm ? "OK -> ALARM" : "ALARM -> OK");
}

}  // namespace

int default_evaluation_range(int evaluation_periods) {
  return evaluation_periods + std::max(2, evaluation_periods / 3);
}

namespace {

Evaluation evaluate_state(const AlarmDefinition& alarm, std::span<const PeriodValue> window,
                          AlarmState current) {
  const auto n = static_cast<std::size_t>(alarm.evaluation_periods);
  const auto m = static_cast<std::size_t>(alarm.required_breaching());
  const MissingData mode = alarm.missing_data();

  std::vector<const PeriodValue*> real;  // oldest first
  for (const auto& period : window) {
    if (period.value) real.push_back(&period);
  }

  // Percentiles with too few samples (spec 4.8): with "ignore", keep the state while any of the
  // N most recent periods with data has fewer values than the rule asks for.
  if (alarm.evaluate_low_sample_count_percentile == std::string("ignore")) {
    const double needed = alarm.statistic.low_sample_threshold();
    const std::size_t from = real.size() > n ? real.size() - n : 0;
    for (std::size_t i = from; i < real.size(); ++i) {
      if (needed > 0 && real[i]->sample_count && *real[i]->sample_count < needed) {
        return Evaluation{current, true, {}, {}};
      }
    }
  }

  // 1. No data point in the range.
  if (real.empty()) {
    const std::string periods = count_noun(n, "period", "periods");
    const std::string points = count_noun(n, "missing datapoint was", "missing datapoints were");
    switch (mode) {
      case MissingData::kMissing:
        return Evaluation{AlarmState::kInsufficientData, false,
                          fmt::format("Insufficient Data: {} unknown.",
                                      count_noun(n, "datapoint was", "datapoints were")), {}};
      case MissingData::kIgnore:
        return Evaluation{current, true, {}, {}};
      case MissingData::kBreaching:
        return Evaluation{AlarmState::kAlarm, false,
                          fmt::format("Threshold Crossed: no datapoints were received for {} and {} treated as [Breaching].",
                                      periods, points), {}};
      case MissingData::kNotBreaching:
        return Evaluation{AlarmState::kOk, false,
                          fmt::format("Threshold Crossed: no datapoints were received for {} and {} treated as [NonBreaching].",
                                      periods, points), {}};
    }
  }

  // The real points considered: the N most recent when there are enough, else all of them.
  std::vector<const PeriodValue*> considered(real.size() > n ? real.end() - static_cast<std::ptrdiff_t>(n) : real.begin(),
                                             real.end());
  std::size_t breaching = 0;
  for (const auto* p : considered) breaching += alarm.breaches(*p->value) ? 1U : 0U;
  const std::size_t filled = considered.size() < n ? n - considered.size() : 0;

  auto explain = [&](AlarmState outcome, Fill fill) {
    ReasonInput in{alarm, outcome, {}, considered.size(), filled, fill, outcome == AlarmState::kAlarm};
    for (auto it = considered.rbegin(); it != considered.rend(); ++it) {
      if (alarm.breaches(*(*it)->value) == in.listed_breach) in.listed.push_back(*it);
    }
    return Evaluation{outcome, false, threshold_crossed(in), {}};
  };

  // 2. At least N real points: M of the N most recent decide; missing data plays no part.
  if (filled == 0) {
    return explain(breaching >= m ? AlarmState::kAlarm : AlarmState::kOk, Fill::kNone);
  }

  // 3. Fewer than N real points: K = N - |real| are missing.
  switch (mode) {
    case MissingData::kBreaching:
      return explain(breaching + filled >= m ? AlarmState::kAlarm : AlarmState::kOk, Fill::kBreaching);
    case MissingData::kNotBreaching:
      return explain(breaching >= m ? AlarmState::kAlarm : AlarmState::kOk, Fill::kNonBreaching);
    case MissingData::kMissing:
    case MissingData::kIgnore:
      break;
  }
  if (breaching >= m) return explain(AlarmState::kAlarm, Fill::kNone);
  // Premature ALARM (spec 4.5): every real point in the range breaches, and the oldest of them lies
  // within the last N periods at an age >= M (the newest period has age 1).
  const bool all_breaching = std::all_of(real.begin(), real.end(),
                                         [&](const PeriodValue* p) { return alarm.breaches(*p->value); });
  if (all_breaching) {
    const auto oldest_index = static_cast<std::size_t>(real.front() - window.data());
    const std::size_t age = window.size() - oldest_index;
    if (age <= n && age >= m) {
      if (mode == MissingData::kIgnore) return Evaluation{current, true, {}, {}};
      return explain(AlarmState::kAlarm, Fill::kNone);
    }
  }
  // Otherwise OK (spec 4.7, undocumented): explained by the non-breaching points, or, when every
  // real point breaches, by the breaching ones that fall short of M.
  Evaluation ok = explain(AlarmState::kOk, Fill::kNone);
  if (breaching == considered.size()) {
    ReasonInput in{alarm, AlarmState::kAlarm, {}, considered.size(), 0, Fill::kNone, true, true};
    for (auto it = considered.rbegin(); it != considered.rend(); ++it) in.listed.push_back(*it);
    ok.reason = threshold_crossed(in);
  }
  return ok;
}

// "2025-11-27T20:15:00.000+0000"
std::string data_time(std::int64_t unix_seconds) {
  std::string iso = core::format_iso8601(unix_seconds);  // ...T20:15:00Z
  iso.pop_back();
  return iso + ".000+0000";
}

}  // namespace

std::string reason_data(const AlarmDefinition& alarm, std::span<const PeriodValue> window,
                        std::int64_t query_time) {
  const auto n = static_cast<std::size_t>(alarm.evaluation_periods);
  std::vector<std::size_t> real;
  for (std::size_t i = 0; i < window.size(); ++i) {
    if (window[i].value) real.push_back(i);
  }
  if (real.size() > n) real.erase(real.begin(), real.end() - static_cast<std::ptrdiff_t>(n));
  // Evaluated: from the oldest point used (or the last N periods) to the newest period.
  std::size_t first = window.size() > n ? window.size() - n : 0;
  if (!real.empty()) first = std::min(first, real.front());
  std::string out = fmt::format(R"({{"version":"1.0","queryDate":"{}")", data_time(query_time));
  if (!real.empty()) out += fmt::format(R"(,"startDate":"{}")", data_time(window[first].start));
  if (alarm.unit) out += fmt::format(R"(,"unit":"{}")", *alarm.unit);
  out += fmt::format(R"(,"statistic":"{}","period":{},"recentDatapoints":[)", alarm.statistic.name, alarm.period);
  for (std::size_t k = 0; k < real.size(); ++k) {
    out += (k > 0 ? "," : "") + java_double(*window[real[k]].value);
  }
  out += fmt::format(R"(],"threshold":{},"evaluatedDatapoints":[)", java_double(alarm.threshold));
  for (std::size_t i = window.size(); i-- > first;) {
    const PeriodValue& p = window[i];
    out += fmt::format(R"({{"timestamp":"{}")", data_time(p.start));
    if (p.value) {
      if (p.sample_count) out += fmt::format(R"(,"sampleCount":{})", java_double(*p.sample_count));
      out += fmt::format(R"(,"value":{})", java_double(*p.value));
    }
    out += i > first ? "}," : "}";
  }
  out += "]}";
  return out;
}

Evaluation evaluate(const AlarmDefinition& alarm, std::span<const PeriodValue> window,
                    AlarmState current) {
  Evaluation evaluation = evaluate_state(alarm, window, current);
  if (!evaluation.retained && !window.empty()) {
    evaluation.reason_data = reason_data(alarm, window, window.back().start + alarm.period);
  }
  return evaluation;
}

}  // namespace sgwatch::alarms
