// Implementation of probes.h: the changes a pattern's conditions call for, and their application
// to a parsed record (nlohmann's ordered JSON, so that untouched members keep their order).
// Walks are loops over the selector's segments, never recursion.
#include "lint/probes.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <unordered_set>
#include <utility>

#include "pattern/dump.h"

namespace sgwatch::lint {
namespace {

using Json = nlohmann::ordered_json;
using pattern::ConditionKind;
using pattern::SegmentKind;
using pattern::ValueKind;

// The highest array index a probe builds (the selector [n] needs n+1 elements).
constexpr std::uint64_t kMaxIndex = 64;

// CloudTrail's top-level key order; a member a probe adds is put in its place.
constexpr std::string_view kTopLevelOrder[] = {"eventVersion",
                                               "userIdentity",
                                               "eventTime",
                                               "eventSource",
                                               "eventName",
                                               "awsRegion",
                                               "sourceIPAddress",
                                               "userAgent",
                                               "errorCode",
                                               "errorMessage",
                                               "requestParameters",
                                               "responseElements",
                                               "additionalEventData",
                                               "requestID",
                                               "eventID",
                                               "readOnly",
                                               "resources",
                                               "eventType",
                                               "apiVersion",
                                               "managementEvent",
                                               "recipientAccountId",
                                               "sharedEventID",
                                               "vpcEndpointId",
                                               "eventCategory",
                                               "tlsDetails",
                                               "sessionCredentialFromConsole"};

std::string quote(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string json_string(std::string_view text) {
  return Json(std::string(text)).dump();
}

// A number lexeme as JSON: the lexeme itself when JSON reads it as a number, else the value.
std::string json_number(const std::string& lexeme, double value) {
  const Json parsed = Json::parse(lexeme, nullptr, false);
  if (!parsed.is_discarded() && parsed.is_number()) return lexeme;
  return fmt::format("{}", value);
}

std::string_view op_text(pattern::CompareOp op) {
  return pattern::compare_op_text(op);
}

// Applies one change along `path`. False when the change cannot be made.
bool edit(Json& root, const std::vector<pattern::Segment>& path, bool remove, const Json& value) {
  std::vector<Json*> current{&root};
  std::vector<Json*> next;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const pattern::Segment& segment = path[i];
    const bool last = i + 1 == path.size();
    next.clear();
    for (Json* node : current) {
      switch (segment.kind) {
        case SegmentKind::kMember: {
          if (!node->is_object()) {
            if (last && remove) break;
            *node = Json::object();
          }
          if (!last) {
            next.push_back(&(*node)[segment.name]);
          } else if (remove) {
            node->erase(segment.name);
          } else {
            (*node)[segment.name] = value;
          }
          break;
        }
        case SegmentKind::kIndex: {
          if (segment.index > kMaxIndex) return false;
          const auto index = static_cast<std::size_t>(segment.index);
          if (!node->is_array()) {
            if (last && remove) break;
            *node = Json::array();
          }
          if (last && remove) {
            if (index < node->size()) node->erase(index);
            break;
          }
          while (node->size() <= index) node->push_back(Json());
          if (last) {
            (*node)[index] = value;
          } else {
            next.push_back(&(*node)[index]);
          }
          break;
        }
        case SegmentKind::kAnyElement:
        case SegmentKind::kAnyMember: {
          // [*] selects an array's elements or an object's member values; .* member values only.
          const bool elements = segment.kind == SegmentKind::kAnyElement;
          if (last && remove) {
            if (node->is_object() || (elements && node->is_array())) node->clear();
            break;
          }
          const bool has_children =
              !node->empty() && (node->is_object() || (elements && node->is_array()));
          if (!has_children) {
            if (elements) {
              Json one = Json::array();
              one.push_back(Json());
              *node = std::move(one);
            } else {
              Json one = Json::object();
              one["probe"] = Json();
              *node = std::move(one);
            }
          }
          for (auto& child : *node) {
            if (last) {
              child = value;
            } else {
              next.push_back(&child);
            }
          }
          break;
        }
      }
    }
    std::swap(current, next);
  }
  return true;
}

// Puts the top-level members back in CloudTrail's order after a probe added one.
void reorder(Json& record) {
  Json ordered = Json::object();
  for (const std::string_view key : kTopLevelOrder) {
    const std::string name(key);
    const auto found = record.find(name);
    if (found != record.end()) ordered[name] = std::move(*found);
  }
  for (auto it = record.begin(); it != record.end(); ++it) {
    if (!ordered.contains(it.key())) ordered[it.key()] = std::move(it.value());
  }
  record = std::move(ordered);
}

}  // namespace

std::string condition_text(const pattern::JsonCondition& condition) {
  const std::string& selector = condition.selector.text;
  switch (condition.kind) {
    case ConditionKind::kIsNull:
      return selector + " IS NULL";
    case ConditionKind::kIsTrue:
      return selector + " IS TRUE";
    case ConditionKind::kIsFalse:
      return selector + " IS FALSE";
    case ConditionKind::kNotExists:
      return selector + " NOT EXISTS";
    case ConditionKind::kCompare:
      break;
  }
  const pattern::Value& value = condition.value;
  std::string text;
  switch (value.kind) {
    case ValueKind::kString:
      text = value.quoted ? quote(value.text) : value.text;
      break;
    case ValueKind::kNumber:
      text = value.text;
      break;
    case ValueKind::kAny:
      text = value.quoted ? "\"*\"" : "*";
      break;
    case ValueKind::kRegex:
      text = "%" + value.text + "%";
      break;
  }
  return fmt::format("{} {} {}", selector, op_text(condition.op), text);
}

std::string condition_key(const pattern::JsonCondition& condition) {
  std::string key = pattern::dump(condition.selector);
  key += '\x1f';
  key += std::to_string(static_cast<int>(condition.kind));
  if (condition.kind == ConditionKind::kCompare) {
    key += '\x1f';
    key += op_text(condition.op);
    key += '\x1f';
    key += std::to_string(static_cast<int>(condition.value.kind));
    key += '\x1f';
    key += condition.value.text;
  }
  return key;
}

ProbeSet probes_for(const pattern::Ast& ast) {
  ProbeSet out;
  if (ast.kind != pattern::PatternKind::kJson) return out;
  std::unordered_set<std::string> keys;
  std::unordered_set<std::string> skipped;
  auto skip = [&](std::string reason) {
    if (skipped.insert(reason).second) out.skipped.push_back(std::move(reason));
  };
  for (const pattern::JsonCondition& condition : ast.conditions) {
    const std::string selector = pattern::dump(condition.selector);
    if (condition.selector.segments.empty()) {
      skip(selector + ": the selector names the whole record, which a probe cannot replace");
      continue;
    }
    bool buildable = true;
    for (const pattern::Segment& segment : condition.selector.segments) {
      buildable = buildable && !(segment.kind == SegmentKind::kIndex && segment.index > kMaxIndex);
    }
    if (!buildable) {
      skip(
          fmt::format("{}: an array index beyond {} is not built by a probe", selector, kMaxIndex));
      continue;
    }
    auto add = [&](ProbeAction action, std::string value_json) {
      Probe probe;
      probe.selector = selector;
      probe.path = condition.selector.segments;
      probe.action = action;
      probe.label =
          action == ProbeAction::kRemove ? selector + " removed" : selector + " = " + value_json;
      probe.key =
          selector + '\x1f' + (action == ProbeAction::kRemove ? "remove" : "set:" + value_json);
      probe.value_json = std::move(value_json);
      if (keys.insert(probe.key).second) out.probes.push_back(std::move(probe));
    };
    const pattern::Value& value = condition.value;
    switch (condition.kind) {
      case ConditionKind::kIsNull:
        add(ProbeAction::kSet, "null");
        break;
      case ConditionKind::kIsTrue:
        add(ProbeAction::kSet, "true");
        break;
      case ConditionKind::kIsFalse:
        add(ProbeAction::kSet, "false");
        break;
      case ConditionKind::kNotExists:
        add(ProbeAction::kRemove, "");
        break;
      case ConditionKind::kCompare:
        switch (value.kind) {
          case ValueKind::kString: {
            // '*' at either end is a wildcard: fill it with nothing and with "X".
            std::string_view core = value.text;
            const bool leading = !core.empty() && core.front() == '*';
            const bool trailing = !core.empty() && core.back() == '*';
            while (!core.empty() && core.front() == '*') core.remove_prefix(1);
            while (!core.empty() && core.back() == '*') core.remove_suffix(1);
            if (!leading && !trailing) {
              add(ProbeAction::kSet, json_string(value.text));
              break;
            }
            add(ProbeAction::kSet, json_string(core.empty() ? std::string_view("X") : core));
            add(ProbeAction::kSet,
                json_string((leading ? "X" : "") + std::string(core) + (trailing ? "X" : "")));
            break;
          }
          case ValueKind::kNumber:
            add(ProbeAction::kSet, json_number(value.text, value.number));
            add(ProbeAction::kSet, fmt::format("{}", value.number + 1));
            add(ProbeAction::kSet, fmt::format("{}", value.number - 1));
            break;
          case ValueKind::kAny:
            // Any string or number matches: a concrete one (the unrelated value below is another).
            add(ProbeAction::kSet, json_string("X"));
            break;
          case ValueKind::kRegex:
            skip(selector + ": a value matching the regular expression %" + value.text +
                 "% is not synthesized (only the unrelated value is tried)");
            break;
        }
        break;
    }
    add(ProbeAction::kSet, json_string(kOtherValue));
  }
  return out;
}

struct ProbeBase::Impl {
  Json record;
};

ProbeBase::ProbeBase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ProbeBase::~ProbeBase() = default;
ProbeBase::ProbeBase(ProbeBase&&) noexcept = default;
ProbeBase& ProbeBase::operator=(ProbeBase&&) noexcept = default;

core::Result<ProbeBase, std::string> ProbeBase::parse(std::string_view record) {
  auto impl = std::make_unique<Impl>();
  impl->record = Json::parse(record, nullptr, false);
  if (impl->record.is_discarded() || !impl->record.is_object()) {
    return core::unexpected(std::string("a probe base record is not a JSON object"));
  }
  return ProbeBase(std::move(impl));
}

std::optional<std::string> ProbeBase::apply(const Probe& probe, std::string_view event_id) const {
  const bool remove = probe.action == ProbeAction::kRemove;
  const Json value = remove ? Json() : Json::parse(probe.value_json, nullptr, false);
  if (value.is_discarded()) return std::nullopt;
  Json record = impl_->record;
  if (!edit(record, probe.path, remove, value)) return std::nullopt;
  if (record == impl_->record) return std::nullopt;
  if (record.size() > impl_->record.size()) reorder(record);
  if (record.contains("eventID")) record["eventID"] = std::string(event_id);
  return record.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace sgwatch::lint
