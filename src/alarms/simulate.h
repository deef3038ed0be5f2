// The scenario driver of `sgwatch alarm simulate` (CONTRACTS.md): one scenario in the format of
// ../shared/conformance/alarm-scenarios.jsonl in, one result line out:
//   {"id": ..., "states": [...], "reasons": [...], "actions": [[...], ...]}
// or {"id": ..., "error": {"code": ..., "message": ...}} for a rejected definition or scenario.
// One evaluation closes each period; periods start at first_period_start (default
// 2026-01-01T00:00:00Z) + i * Period.
#pragma once

#include <nlohmann/json.hpp>

namespace sgwatch::alarms {

nlohmann::ordered_json simulate_scenario(const nlohmann::json& scenario);

}  // namespace sgwatch::alarms
