// Renderers of Changes: the JSON object `sgwatch explain --format json|jsonl` prints (and alert
// context can carry), and readable text — one line per rule change
// ("+ ingress tcp 22 from 0.0.0.0/0  [critical: SSH (22) open to the world]") and a block per
// change. Strings are returned, never printed. JSON strings may hold the input's invalid UTF-8:
// dump with nlohmann::json::error_handler_t::replace.
// Neighbours: change.h (what is rendered); src/cli/explain.cpp prints these.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "sg/change.h"

namespace sgwatch::sg {

// The change as one JSON object; docs/sg.md lists its members. Absent texts are null.
nlohmann::ordered_json to_json(const Change& change);

// "0.0.0.0/0", "pl-0123 (prefix list)", "sg-0123 (web) of 123456789012", "nothing".
std::string peer_text(const Peer& peer);

// "tcp 22", "all traffic", "icmp type 8 code 0", "udp 1024-2048", or "rule sgr-..." when only
// the rule id is known.
std::string rule_traffic_text(const Rule& rule);

// "+ ingress tcp 22 from 0.0.0.0/0 (sgr-0a1) \"SSH\"  [critical: SSH (22) open to the world]";
// '+' added, '-' removed, '~' modified.
std::string rule_line(const RuleChange& change);

struct TextStyle {
  bool colour = false;  // ANSI colours for severities
};

// A readable block: a heading line (time, event, severity and reason) then indented lines for
// the actor, account and region, the group, the outcome, resources, tags and each rule change.
// Ends with a newline.
std::string change_text(const Change& change, const TextStyle& style = {});

}  // namespace sgwatch::sg
