// How hits are written: JSON lines (CONTRACTS.md: {"event": <record>, "filters": [...],
// "source": {"path": ..., "offset": ...}}) and the human table (time, account, region, event,
// actor, source IP, group and key request parameters, error code, severity, filters, reason). Pure functions,
// safe to call from several threads.
#pragma once

#include <string>
#include <string_view>

#include "core/json_string.h"
#include "scan/filters.h"
#include "scan/scanner.h"

namespace sgwatch::scan {

// Appends `text` as a JSON string literal (valid JSON whatever the bytes: core/json_string.h).
using core::append_json_string;
// Appends JSON text without the whitespace outside its strings (one line for JSON lines).
void append_compact_json(std::string& out, std::string_view json);

// One JSON line (with its newline). `extra_members`, when not empty, is appended after "source"
// as is: `,"sg":[...]` (scan --explain).
void format_jsonl(std::string& out, const Hit& hit, const FilterSet& filters,
                  std::string_view extra_members = {});

struct TableStyle {
  bool colour = false;
};
std::string table_header(const TableStyle& style);
// What the table shows of a security-group event's normalized change (src/sg): the worst
// severity and its reason; empty for other events.
struct RowExposure {
  std::string severity;
  std::string reason;
};
// One table row (with its newline).
void format_table_row(std::string& out, const Hit& hit, const FilterSet& filters,
                      const TableStyle& style, const RowExposure& exposure = {});

// The fields the table shows, for tests and other renderers.
struct EventSummary {
  std::string time, account, region, event, actor, source_ip, details, error;
};
EventSummary summarize_event(std::string_view record);

}  // namespace sgwatch::scan
