// The outputs of `sgwatch audit`: a table for people, the contract's JSON, OCSF Compliance
// Findings (class 2003), AWS Security Finding Format (ASFF, for BatchImportFindings) and SARIF
// 2.1.0 (for code-scanning dashboards). Pure functions of a Report. Neighbours: evaluate.h.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "audit/evaluate.h"

namespace sgwatch::audit {

// {"account", "region", "benchmark", "taken_at", "findings": [{"control", "benchmark", "title",
// "status", "reason", "permissions", "evidence"}], "summary": {"PASS": n, ...}}
nlohmann::ordered_json to_json(const Report& report);
// One OCSF 1.1 Compliance Finding per control, as a JSON array.
nlohmann::ordered_json to_ocsf(const Report& report);
// One ASFF finding per control, as a JSON array (the "Findings" of BatchImportFindings).
nlohmann::ordered_json to_asff(const Report& report);
// One SARIF 2.1.0 log with one run: a rule per control, a result per finding.
nlohmann::ordered_json to_sarif(const Report& report);
// A table: one line per control (status, control, title, reason), with colour when `colour`.
std::string to_table(const Report& report, bool colour);

// The benchmark's full name, e.g. "CIS AWS Foundations Benchmark v3.0.0".
std::string_view benchmark_title(std::string_view benchmark);

}  // namespace sgwatch::audit
