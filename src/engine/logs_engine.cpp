// Implementation of logs_engine.h: request validation with AWS's messages, the in-memory log
// groups and compiled metric filters, PutLogEvents' checks and the metric-filter pass, and the
// readers (FilterLogEvents, GetLogEvents) over store::Store's keyset queries.
#include "engine/logs_engine.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>

#include "core/text.h"
#include "metrics/store.h"
#include "sg/sg.h"

namespace sgwatch::engine {
namespace {

using OrderedJson = nlohmann::ordered_json;

constexpr std::int64_t kHourMs = 3600LL * 1000;
constexpr std::int64_t kDayMs = 24 * kHourMs;
constexpr std::int64_t kMaxPastMs = 14 * kDayMs;   // PutLogEvents: older events are "too old"
constexpr std::int64_t kMaxFutureMs = 2 * kHourMs;  // newer events are "too new"
constexpr std::int64_t kMaxBatchSpanMs = kDayMs;
constexpr std::size_t kMaxResponseBytes = 1048576;  // FilterLogEvents / GetLogEvents pages
constexpr std::int64_t kTokenTimeMin = std::numeric_limits<std::int64_t>::min() / 4;
constexpr std::int64_t kTokenTimeMax = std::numeric_limits<std::int64_t>::max() / 4;

constexpr std::array<int, 22> kRetentionDays = {1,   3,   5,   7,    14,   30,   60,   90,   120,  150,  180,
                                                365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653};

constexpr std::string_view kGroupNotFound = "The specified log group does not exist.";
constexpr std::string_view kStreamNotFound = "The specified log stream does not exist.";
constexpr std::string_view kFilterNotFound = "The specified metric filter does not exist.";
constexpr std::string_view kInvalidToken = "The specified nextToken is invalid.";
constexpr std::string_view kLimitExceeded = "Resource limit exceeded.";

constexpr std::string_view kGroupNameRegex = "[\\.\\-_/#A-Za-z0-9]+";
constexpr std::string_view kGroupPatternRegex = "[\\.\\-_/#A-Za-z0-9]*";
constexpr std::string_view kStreamNameRegex = "[^:*]*";
constexpr std::string_view kMetricNameRegex = "[^:*$]*";
constexpr std::string_view kIdentifierRegex = "[\\w#+=/:,.@-]*";

aws::WireError invalid_parameter(std::string message) {
  return aws::WireError{"InvalidParameterException", std::move(message), 400, {}};
}
aws::WireError not_found(std::string_view message) {
  return aws::WireError{"ResourceNotFoundException", std::string(message), 400, {}};
}
aws::WireError already_exists(std::string message) {
  return aws::WireError{"ResourceAlreadyExistsException", std::move(message), 400, {}};
}
aws::WireError limit_exceeded(std::string message) {
  return aws::WireError{"LimitExceededException", std::move(message), 400, {}};
}
aws::WireError internal(const std::string& message) { return aws::internal_failure(message); }

// AWS's model validation answer: "2 validation errors detected: Value 'x' at 'f' failed to
// satisfy constraint: Member must ...; Value ...", every violated constraint of the request.
class Violations {
 public:
  void add(std::optional<std::string_view> value, std::string_view field, std::string_view constraint) {
    if (value) {
      items_.push_back(fmt::format("Value '{}' at '{}' failed to satisfy constraint: {}", *value, field, constraint));
    } else {
      items_.push_back(fmt::format("Value at '{}' failed to satisfy constraint: {}", field, constraint));
    }
  }
  void pattern(std::string_view value, std::string_view field, std::string_view regex) {
    add(value, field, fmt::format("Member must satisfy regular expression pattern: {}", regex));
  }
  void length(std::string_view value, std::string_view field, std::size_t min, std::size_t max);
  void range(std::optional<int> value, std::string_view field, int min, int max) {
    if (!value) return;
    const std::string text = std::to_string(*value);
    if (*value < min) add(text, field, fmt::format("Member must have value greater than or equal to {}", min));
    if (*value > max) add(text, field, fmt::format("Member must have value less than or equal to {}", max));
  }
  bool empty() const { return items_.empty(); }
  aws::WireError error() const {
    return invalid_parameter(fmt::format("{} validation error{} detected: {}", items_.size(),
                                         items_.size() == 1 ? "" : "s", fmt::join(items_, "; ")));
  }

 private:
  std::vector<std::string> items_;
};

// Lengths count characters (code points), as AWS's Java service does for these ASCII-heavy names.
std::size_t char_count(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

void Violations::length(std::string_view value, std::string_view field, std::size_t min, std::size_t max) {
  const std::size_t n = char_count(value);
  if (n < min) add(value, field, fmt::format("Member must have length greater than or equal to {}", min));
  if (n > max) add(value, field, fmt::format("Member must have length less than or equal to {}", max));
}

bool is_group_name_char(char c) {
  return core::is_ascii_alnum(c) || c == '.' || c == '-' || c == '_' || c == '/' || c == '#';
}

void check_group_name(Violations& v, std::string_view name, std::string_view field = "logGroupName") {
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_group_name_char)) v.pattern(name, field, kGroupNameRegex);
  v.length(name, field, 1, kMaxLogGroupName);
}

// [^:*]* names: log streams, metric filters, their prefixes.
void check_colon_star_name(Violations& v, std::string_view name, std::string_view field) {
  if (name.find_first_of(":*") != std::string_view::npos) v.pattern(name, field, kStreamNameRegex);
  v.length(name, field, 1, 512);
}

void check_metric_name(Violations& v, std::string_view name, std::string_view field) {
  if (name.find_first_of(":*$") != std::string_view::npos) v.pattern(name, field, kMetricNameRegex);
  v.length(name, field, 0, 255);
}

void check_next_token(Violations& v, const std::optional<std::string>& token) {
  if (token) v.length(*token, "nextToken", 1, std::numeric_limits<std::size_t>::max());
}

void check_retention(Violations& v, int days) {
  if (std::find(kRetentionDays.begin(), kRetentionDays.end(), days) != kRetentionDays.end()) return;
  v.add(std::to_string(days), "retentionInDays",
        fmt::format("Member must satisfy enum value set: [{}]", fmt::join(kRetentionDays, ", ")));
}

// ---- tokens --------------------------------------------------------------------------------

std::string hex(std::string_view text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() * 2);
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0xF];
  }
  return out;
}

std::optional<std::string> unhex(std::string_view text) {
  if (text.size() % 2 != 0) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 2);
  for (std::size_t i = 0; i < text.size(); i += 2) {
    unsigned value = 0;
    const auto [end, ec] = std::from_chars(text.data() + i, text.data() + i + 2, value, 16);
    if (ec != std::errc() || end != text.data() + i + 2) return std::nullopt;
    out += static_cast<char>(value);
  }
  return out;
}

std::optional<std::int64_t> parse_int(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

// Splits "a<sep>b<sep>c" into exactly `n` parts.
std::optional<std::vector<std::string_view>> split(std::string_view text, char sep, std::size_t n) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (parts.size() + 1 < n) {
    const std::size_t at = text.find(sep, start);
    if (at == std::string_view::npos) return std::nullopt;
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  if (parts.back().find(sep) != std::string_view::npos) return std::nullopt;
  return parts;
}

// A (timestamp, event id) position in "<prefix><ts><sep><id>" form.
std::string position_token(std::string_view prefix, char sep, std::int64_t time, std::int64_t id) {
  return fmt::format("{}{}{}{}", prefix, time, sep, id);
}

std::optional<std::pair<std::int64_t, std::int64_t>> parse_position(std::string_view token, std::string_view prefix,
                                                                    char sep) {
  if (token.substr(0, prefix.size()) != prefix) return std::nullopt;
  auto parts = split(token.substr(prefix.size()), sep, 2);
  if (!parts) return std::nullopt;
  auto time = parse_int((*parts)[0]);
  auto id = parse_int((*parts)[1]);
  if (!time || !id || *time < kTokenTimeMin || *time > kTokenTimeMax || *id < -1 || *id > kTokenTimeMax) {
    return std::nullopt;
  }
  return std::pair{*time, *id};
}

std::string event_id(std::int64_t timestamp_ms, std::int64_t id) {
  return fmt::format("{:020}{:036}", std::max<std::int64_t>(timestamp_ms, 0), std::max<std::int64_t>(id, 0));
}

std::string sequence_token(std::int64_t sequence) { return fmt::format("49{:054}", sequence); }

// ---- metric filters ------------------------------------------------------------------------

bool has_regex(const pattern::Ast& ast) {
  if (ast.kind == pattern::PatternKind::kRegex) return true;
  for (const auto& c : ast.conditions) {
    if (c.kind == pattern::ConditionKind::kCompare && c.value.kind == pattern::ValueKind::kRegex) return true;
  }
  for (const auto& entry : ast.entries) {
    for (const auto& c : entry.conditions) {
      if (c.value.kind == pattern::ValueKind::kRegex) return true;
    }
  }
  return false;
}

std::string transformation_json(const pattern::MetricTransformation& t) {
  OrderedJson j;
  j["metricName"] = t.metric_name;
  j["metricNamespace"] = t.metric_namespace;
  j["metricValue"] = t.metric_value;
  if (t.default_value) j["defaultValue"] = *t.default_value;
  if (!t.dimensions.empty()) {
    OrderedJson dimensions = OrderedJson::object();
    for (const auto& [name, value] : t.dimensions) dimensions[name] = value;
    j["dimensions"] = std::move(dimensions);
  }
  if (!t.unit.empty()) j["unit"] = t.unit;
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<pattern::MetricTransformation> parse_transformation(const std::string& text) {
  const auto j = OrderedJson::parse(text, nullptr, false);
  if (!j.is_object()) return std::nullopt;
  pattern::MetricTransformation t;
  auto string_member = [&](const char* key, std::string& out) {
    auto it = j.find(key);
    if (it == j.end()) return true;
    if (!it->is_string()) return false;
    out = it->get<std::string>();
    return true;
  };
  if (!string_member("metricName", t.metric_name) || !string_member("metricNamespace", t.metric_namespace) ||
      !string_member("metricValue", t.metric_value) || !string_member("unit", t.unit)) {
    return std::nullopt;
  }
  if (auto it = j.find("defaultValue"); it != j.end()) {
    if (!it->is_number()) return std::nullopt;
    t.default_value = it->get<double>();
  }
  if (auto it = j.find("dimensions"); it != j.end()) {
    if (!it->is_object()) return std::nullopt;
    for (const auto& [name, value] : it->items()) {
      if (!value.is_string()) return std::nullopt;
      t.dimensions.emplace_back(name, value.get<std::string>());
    }
  }
  return t;
}

aws::WireError pattern_error(const pattern::Error& error, bool for_filter_log_events) {
  std::string message = error.aws_message.empty() ? std::string(pattern::kAwsInvalidPattern) : error.aws_message;
  // FilterLogEvents words the generic rejection without "metric" (spec section 8).
  if (for_filter_log_events && message == pattern::kAwsInvalidPattern) message = "Invalid filter pattern";
  return invalid_parameter(std::move(message));
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// ---- the cause summary ---------------------------------------------------------------------

// The last member `key` of the object at `object` (duplicate keys: the last wins, as matching does).
std::optional<std::uint32_t> member(const pattern::JsonTree& tree, std::uint32_t object, std::string_view key) {
  if (tree[object].type != pattern::JsonType::kObject) return std::nullopt;
  std::optional<std::uint32_t> found;
  for (std::uint32_t i = tree.first_child(object); i < tree[object].end; i = tree[i].end) {
    if (tree[i].key == key) found = i;
  }
  return found;
}

// A scalar member as text (strings unescaped, numbers as written); nullopt for containers/null.
std::optional<std::string_view> scalar(const pattern::JsonTree& tree, std::optional<std::uint32_t> node) {
  if (!node) return std::nullopt;
  const pattern::JsonNode& n = tree[*node];
  switch (n.type) {
    case pattern::JsonType::kString:
    case pattern::JsonType::kNumber:
      return n.text;
    case pattern::JsonType::kTrue:
      return std::string_view("true");
    case pattern::JsonType::kFalse:
      return std::string_view("false");
    default:
      return std::nullopt;
  }
}

std::string_view cut_utf8(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

namespace {

// The worst of a record's security-group changes: {"severity", "reason", "exposure": ["tcp 22
// from 0.0.0.0/0: SSH (22) open to the world", ...]} — the rules added or modified at medium or
// above, at most kMaxCauseExposures of them, each at most 300 bytes.
constexpr std::size_t kMaxCauseExposures = 5;

OrderedJson sg_summary(const std::vector<sg::Change>& changes) {
  const sg::Change* worst = &changes.front();
  for (const sg::Change& change : changes) {
    if (change.severity > worst->severity) worst = &change;
  }
  OrderedJson exposure = OrderedJson::array();
  for (const sg::Change& change : changes) {
    if (!change.succeeded()) continue;
    for (const sg::RuleChange& rc : change.rules) {
      if (rc.action == sg::RuleAction::kRemoved || rc.severity < sg::Severity::kMedium) continue;
      if (exposure.size() >= kMaxCauseExposures) break;
      const char* word = rc.rule.direction == sg::Direction::kEgress ? "to" : "from";
      exposure.push_back(core::printable(fmt::format("{} {} {}: {}", sg::rule_traffic_text(rc.rule), word,
                                                     sg::peer_text(rc.rule.peer), rc.reason),
                                         300));
    }
  }
  OrderedJson out;
  out["severity"] = sg::severity_name(worst->severity);
  out["reason"] = core::printable(worst->reason, 300);
  out["exposure"] = std::move(exposure);
  return out;
}

}  // namespace

std::string cause_summary(pattern::Subject& subject, std::string_view log_group_name,
                          std::string_view log_stream_name, std::int64_t timestamp_ms) {
  OrderedJson out;
  out["logGroupName"] = log_group_name;
  out["logStreamName"] = log_stream_name;
  out["timestamp"] = timestamp_ms;
  const pattern::JsonTree* tree = subject.json_object();
  const bool cloudtrail = tree != nullptr && member(*tree, 0, "eventName") &&
                          (member(*tree, 0, "eventSource") || member(*tree, 0, "eventVersion"));
  if (cloudtrail) {
    auto put = [&](OrderedJson& into, std::uint32_t object, const char* key) {
      if (auto text = scalar(*tree, member(*tree, object, key))) into[key] = *text;
    };
    for (const char* key : {"eventTime", "eventName", "eventSource", "awsRegion", "recipientAccountId"}) {
      put(out, 0, key);
    }
    if (auto identity = member(*tree, 0, "userIdentity")) {
      OrderedJson who = OrderedJson::object();
      put(who, *identity, "arn");
      put(who, *identity, "type");
      if (!who.empty()) out["userIdentity"] = std::move(who);
    }
    for (const char* key : {"sourceIPAddress", "userAgent", "errorCode"}) put(out, 0, key);
    if (auto parameters = member(*tree, 0, "requestParameters")) {
      OrderedJson request = OrderedJson::object();
      for (const char* key : {"groupId", "groupName", "ipProtocol", "fromPort", "toPort", "cidrIp", "cidrIpv6",
                              "sourceSecurityGroupName", "sourceSecurityGroupOwnerId"}) {
        put(request, *parameters, key);
      }
      if (!request.empty()) out["requestParameters"] = std::move(request);
    }
    put(out, 0, "eventID");
    // The rules a security-group call changes and the MFA flag sit deeper: read from the record
    // itself (only matching events get here), bounded so a cause stays small.
    const auto record = nlohmann::json::parse(subject.message(), nullptr, false);
    if (record.is_object()) {
      const auto mfa = record.find("userIdentity");
      if (mfa != record.end() && mfa->is_object()) {
        const auto context = mfa->find("sessionContext");
        if (context != mfa->end() && context->is_object()) {
          const auto attributes = context->find("attributes");
          if (attributes != context->end() && attributes->is_object()) {
            const auto flag = attributes->find("mfaAuthenticated");
            if (flag != attributes->end() && flag->is_string()) out["userIdentity"]["mfaAuthenticated"] = *flag;
          }
        }
      }
      const auto parameters = record.find("requestParameters");
      if (parameters != record.end() && parameters->is_object()) {
        const auto permissions = parameters->find("ipPermissions");
        if (permissions != parameters->end() && permissions->is_object() && !permissions->empty()) {
          const std::string text = permissions->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
          if (text.size() <= kMaxCauseMessageBytes) {
            out["requestParameters"]["ipPermissions"] = OrderedJson::parse(text, nullptr, false);
          }
        }
      }
    }
    // The normalized security-group change (src/sg): its severity, reason and what it exposes.
    if (auto changes = sg::normalize(subject.message()); changes && !changes->empty()) {
      out["sg"] = sg_summary(*changes);
    }
  } else {
    const std::string_view message = subject.message();
    const std::string_view kept = cut_utf8(message, kMaxCauseMessageBytes);
    out["message"] = kept;
    if (kept.size() < message.size()) out["truncated"] = true;
  }
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// ---- opening ---------------------------------------------------------------------------------

core::Result<std::unique_ptr<LogsEngine>, std::string> LogsEngine::open(store::Store& store, AlarmEngine& alarms,
                                                                        const core::Clock& clock,
                                                                        LogsOptions options) {
  std::unique_ptr<LogsEngine> engine(new LogsEngine(store, alarms, clock, std::move(options)));
  auto ok = engine->load();
  if (!ok) return core::unexpected(ok.error());
  return engine;
}

core::Result<void, std::string> LogsEngine::load() {
  groups_.clear();
  problems_.clear();
  auto groups = store_.log_groups();
  if (!groups) return core::unexpected(groups.error());
  std::map<std::int64_t, Group*> by_id;
  for (auto& record : *groups) {
    const std::string name = record.name;
    auto [it, inserted] = groups_.emplace(name, Group{std::move(record), {}, nullptr, 0, 0, std::nullopt, std::nullopt});
    by_id[it->second.record.id] = &it->second;
  }
  auto filters = store_.metric_filters();
  if (!filters) return core::unexpected(filters.error());
  for (auto& record : *filters) {
    auto group = by_id.find(record.group_id);
    if (group == by_id.end()) {
      problems_.push_back(fmt::format("metric filter {}: its log group (id {}) is gone", record.name, record.group_id));
      continue;
    }
    Group& g = *group->second;
    auto transformation = parse_transformation(record.transformation);
    if (!transformation) {
      problems_.push_back(fmt::format("log group {}, metric filter {}: the stored transformation does not parse",
                                      g.record.name, record.name));
      continue;
    }
    Filter filter{std::move(record), std::move(*transformation), std::nullopt, false};
    auto matcher = pattern::Matcher::compile(filter.record.pattern);
    if (matcher) {
      filter.has_regex = has_regex(matcher->ast());
      auto compiled = pattern::MetricFilter::create(*matcher, {filter.transformation});
      if (compiled) {
        filter.compiled = std::move(compiled).value();
      } else {
        problems_.push_back(fmt::format("log group {}, metric filter {}: {}", g.record.name, filter.record.name,
                                        compiled.error().describe()));
      }
    } else {
      problems_.push_back(fmt::format("log group {}, metric filter {}: {}", g.record.name, filter.record.name,
                                      matcher.error().describe()));
    }
    const std::string name = filter.record.name;
    g.filters.insert_or_assign(name, std::move(filter));
  }
  for (auto& [name, g] : groups_) activate(g);
  return {};
}

void LogsEngine::activate(Group& group) {
  auto active = std::make_unique<Active>();
  for (const auto& [name, filter] : group.filters) {
    if (!filter.compiled) continue;
    active->filters.push_back(scan::NamedFilter{name, filter.compiled->matcher(), *filter.compiled});
    active->sources.push_back(&filter);
  }
  active->index = std::make_unique<scan::LiteralIndex>(active->filters);
  active->scratch = std::make_unique<scan::LiteralIndex::Scratch>(*active->index);
  group.active = std::move(active);
}

template <typename Body>
LogsResult<void> LogsEngine::transaction(Body&& body) {
  auto begun = store_.begin();
  if (!begun) return core::unexpected(internal(begun.error()));
  core::Result<void, std::string> done = body();
  if (done) {
    done = store_.commit();
  } else {
    store_.rollback();
  }
  if (!done) return core::unexpected(internal(done.error()));
  return {};
}

LogsResult<std::optional<std::string>> LogsEngine::checkpoint(const std::string& source) {
  auto position = store_.checkpoint(source);
  if (!position) return core::unexpected(internal(position.error()));
  return *position;
}

LogsResult<std::size_t> LogsEngine::forget_checkpoints(std::string_view prefix,
                                                       const std::function<bool(std::string_view position)>& expired) {
  std::size_t forgotten = 0;
  auto done = transaction([&]() -> core::Result<void, std::string> {
    auto listed = store_.checkpoints(prefix);
    if (!listed) return core::unexpected(listed.error());
    for (const auto& [source, position] : *listed) {
      if (!expired(position)) continue;
      auto deleted = store_.delete_checkpoint(source);
      if (!deleted) return deleted;
      ++forgotten;
    }
    return {};
  });
  if (!done) return core::unexpected(std::move(done).error());
  return forgotten;
}

std::string LogsEngine::log_group_arn(std::string_view name) const {
  return fmt::format("arn:aws:logs:{}:{}:log-group:{}", options_.region, options_.account_id, name);
}

LogsResult<LogsEngine::Group*> LogsEngine::find_group(const std::optional<std::string>& name,
                                                      const std::optional<std::string>& identifier) {
  if (name && identifier) return core::unexpected(invalid_parameter("LogGroup name and LogGroup ARN are mutually exclusive parameters."));
  if (!name && !identifier) {
    return core::unexpected(invalid_parameter("Either logGroupName or logGroupIdentifier must be specified."));
  }
  Violations v;
  std::string wanted;
  if (name) {
    check_group_name(v, *name);
    wanted = *name;
  } else {
    const std::string& id = *identifier;
    const bool valid_chars = std::all_of(id.begin(), id.end(), [](char c) {
      return core::is_ascii_alnum(c) || std::string_view("_#+=/:,.@-").find(c) != std::string_view::npos;
    });
    if (!valid_chars) v.pattern(id, "logGroupIdentifier", kIdentifierRegex);
    v.length(id, "logGroupIdentifier", 1, 2048);
    // An ARN (the logGroupArn form, without ":*") names the group after "log-group:"; the
    // account and region are this server's.
    wanted = id;
    if (id.rfind("arn:", 0) == 0) {
      const std::size_t at = id.find(":log-group:");
      wanted = at == std::string::npos ? std::string() : id.substr(at + 11);
    }
  }
  if (!v.empty()) return core::unexpected(v.error());
  auto it = groups_.find(wanted);
  if (it == groups_.end()) return core::unexpected(not_found(kGroupNotFound));
  return &it->second;
}

// ---- log groups ------------------------------------------------------------------------------

LogsResult<void> LogsEngine::validate_log_group(const CreateLogGroupRequest& r) {
  Violations v;
  check_group_name(v, r.log_group_name);
  if (r.kms_key_id) v.length(*r.kms_key_id, "kmsKeyId", 0, 256);
  if (r.tags.size() > 50) v.add(std::nullopt, "tags", "Member must have length less than or equal to 50");
  for (const auto& [key, value] : r.tags) {
    v.length(key, "tags.key", 1, 128);
    v.length(value, "tags.value", 0, 256);
  }
  if (r.log_group_class && *r.log_group_class != "STANDARD" && *r.log_group_class != "INFREQUENT_ACCESS") {
    v.add(*r.log_group_class, "logGroupClass", "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS]");
  }
  if (r.retention_in_days) check_retention(v, *r.retention_in_days);
  if (!v.empty()) return core::unexpected(v.error());
  if (r.log_group_name.rfind("aws/", 0) == 0) {
    return core::unexpected(invalid_parameter("Log group names starting with 'aws/' are reserved for AWS services."));
  }
  return {};
}

LogsResult<void> LogsEngine::create_log_group(const CreateLogGroupRequest& r) {
  if (auto valid = validate_log_group(r); !valid) return valid;
  if (groups_.contains(r.log_group_name)) {
    return core::unexpected(already_exists("The specified log group already exists"));
  }
  store::LogGroupRecord record;
  record.name = r.log_group_name;
  record.created_ms = clock_.now_ms();
  record.retention_days = r.retention_in_days;
  record.kms_key_id = r.kms_key_id.value_or("");
  nlohmann::json tags = nlohmann::json::object();
  for (const auto& [key, value] : r.tags) tags[key] = value;
  record.tags = tags.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  record.log_group_class = r.log_group_class.value_or("STANDARD");
  auto done = transaction([&]() -> core::Result<void, std::string> {
    auto id = store_.add_log_group(record);
    if (!id) return core::unexpected(id.error());
    record.id = *id;
    return {};
  });
  if (!done) return done;
  const std::string name = record.name;
  auto [it, inserted] = groups_.emplace(name, Group{std::move(record), {}, nullptr, 0, 0, std::nullopt, std::nullopt});
  activate(it->second);
  return {};
}

LogsResult<void> LogsEngine::delete_log_group(const std::string& log_group_name) {
  auto group = find_group(log_group_name, std::nullopt);
  if (!group) return core::unexpected(group.error());
  const std::int64_t id = (*group)->record.id;
  auto done = transaction([&]() -> core::Result<void, std::string> { return store_.delete_log_group(id); });
  if (!done) return done;
  groups_.erase(log_group_name);
  return {};
}

LogsResult<DescribeLogGroupsResult> LogsEngine::describe_log_groups(const DescribeLogGroupsRequest& r) const {
  Violations v;
  if (r.log_group_name_prefix) check_group_name(v, *r.log_group_name_prefix, "logGroupNamePrefix");
  if (r.log_group_name_pattern) {
    const std::string& p = *r.log_group_name_pattern;
    if (!std::all_of(p.begin(), p.end(), is_group_name_char)) v.pattern(p, "logGroupNamePattern", kGroupPatternRegex);
    v.length(p, "logGroupNamePattern", 0, kMaxLogGroupName);
  }
  v.range(r.limit, "limit", 1, 50);
  check_next_token(v, r.next_token);
  if (!v.empty()) return core::unexpected(v.error());
  if (r.log_group_name_prefix && r.log_group_name_pattern) {
    return core::unexpected(invalid_parameter("logGroupNamePrefix and logGroupNamePattern are mutually exclusive."));
  }
  std::optional<std::string> after;
  if (r.next_token) {
    if (r.next_token->rfind("g1.", 0) != 0 || !(after = unhex(std::string_view(*r.next_token).substr(3)))) {
      return core::unexpected(invalid_parameter(std::string(kInvalidToken)));
    }
  }
  const std::size_t limit = static_cast<std::size_t>(r.limit.value_or(50));
  const std::string pattern = lower(r.log_group_name_pattern.value_or(""));
  DescribeLogGroupsResult out;
  auto it = after ? groups_.upper_bound(*after) : groups_.begin();
  for (; it != groups_.end(); ++it) {
    const store::LogGroupRecord& g = it->second.record;
    if (r.log_group_name_prefix && g.name.rfind(*r.log_group_name_prefix, 0) != 0) continue;
    if (r.log_group_name_pattern && lower(g.name).find(pattern) == std::string::npos) continue;
    if (out.log_groups.size() == limit) {
      out.next_token = "g1." + hex(out.log_groups.back().log_group_name);
      break;
    }
    LogGroup d;
    d.log_group_name = g.name;
    d.creation_time = g.created_ms;
    d.arn = log_group_arn(g.name) + ":*";
    if (!r.log_group_name_pattern) {
      d.retention_in_days = g.retention_days;
      d.metric_filter_count = static_cast<int>(it->second.filters.size());
      d.stored_bytes = g.stored_bytes;
      if (!g.kms_key_id.empty()) d.kms_key_id = g.kms_key_id;
      d.log_group_class = g.log_group_class;
      d.log_group_arn = log_group_arn(g.name);
    }
    out.log_groups.push_back(std::move(d));
  }
  return out;
}

LogsResult<void> LogsEngine::put_retention_policy(const std::string& log_group_name, int retention_in_days) {
  Violations v;
  check_group_name(v, log_group_name);
  check_retention(v, retention_in_days);
  if (!v.empty()) return core::unexpected(v.error());
  auto group = find_group(log_group_name, std::nullopt);
  if (!group) return core::unexpected(group.error());
  store::LogGroupRecord record = (*group)->record;
  record.retention_days = retention_in_days;
  auto done = transaction([&]() { return store_.update_log_group(record); });
  if (!done) return done;
  (*group)->record = std::move(record);
  return {};
}

LogsResult<void> LogsEngine::delete_retention_policy(const std::string& log_group_name) {
  auto group = find_group(log_group_name, std::nullopt);
  if (!group) return core::unexpected(group.error());
  store::LogGroupRecord record = (*group)->record;
  record.retention_days.reset();
  auto done = transaction([&]() { return store_.update_log_group(record); });
  if (!done) return done;
  (*group)->record = std::move(record);
  return {};
}

// ---- log streams -----------------------------------------------------------------------------

LogsResult<void> LogsEngine::create_log_stream(const std::string& log_group_name, const std::string& log_stream_name) {
  Violations v;
  check_group_name(v, log_group_name);
  check_colon_star_name(v, log_stream_name, "logStreamName");
  if (!v.empty()) return core::unexpected(v.error());
  auto group = find_group(log_group_name, std::nullopt);
  if (!group) return core::unexpected(group.error());
  const std::int64_t group_id = (*group)->record.id;
  auto existing = store_.log_stream(group_id, log_stream_name);
  if (!existing) return core::unexpected(internal(existing.error()));
  if (*existing) return core::unexpected(already_exists("The specified log stream already exists"));
  store::LogStreamRecord record;
  record.group_id = group_id;
  record.name = log_stream_name;
  record.created_ms = clock_.now_ms();
  return transaction([&]() -> core::Result<void, std::string> {
    auto id = store_.add_log_stream(record);
    if (!id) return core::unexpected(id.error());
    return {};
  });
}

LogsResult<void> LogsEngine::delete_log_stream(const std::string& log_group_name, const std::string& log_stream_name) {
  Violations v;
  check_group_name(v, log_group_name);
  check_colon_star_name(v, log_stream_name, "logStreamName");
  if (!v.empty()) return core::unexpected(v.error());
  auto group = find_group(log_group_name, std::nullopt);
  if (!group) return core::unexpected(group.error());
  Group& g = **group;
  auto stream = store_.log_stream(g.record.id, log_stream_name);
  if (!stream) return core::unexpected(internal(stream.error()));
  if (!*stream) return core::unexpected(not_found(kStreamNotFound));
  store::LogGroupRecord record = g.record;
  auto done = transaction([&]() -> core::Result<void, std::string> {
    auto bytes = store_.delete_log_stream((*stream)->id);
    if (!bytes) return core::unexpected(bytes.error());
    record.stored_bytes = std::max<std::int64_t>(0, record.stored_bytes - *bytes);
    return store_.update_log_group(record);
  });
  if (!done) return done;
  g.record = std::move(record);
  return {};
}

LogStream LogsEngine::describe_stream(const Group& group, const store::LogStreamRecord& s) const {
  LogStream d;
  d.log_stream_name = s.name;
  d.creation_time = s.created_ms;
  d.first_event_timestamp = s.first_event_ms;
  d.last_event_timestamp = s.last_event_ms;
  d.last_ingestion_time = s.last_ingestion_ms;
  d.upload_sequence_token = sequence_token(s.upload_sequence);
  d.arn = fmt::format("{}:log-stream:{}", log_group_arn(group.record.name), s.name);
  return d;
}

LogsResult<DescribeLogStreamsResult> LogsEngine::describe_log_streams(const DescribeLogStreamsRequest& r) {
  Violations v;
  if (r.log_stream_name_prefix) check_colon_star_name(v, *r.log_stream_name_prefix, "logStreamNamePrefix");
  if (r.order_by && *r.order_by != "LogStreamName" && *r.order_by != "LastEventTime") {
    v.add(*r.order_by, "orderBy", "Member must satisfy enum value set: [LogStreamName, LastEventTime]");
  }
  v.range(r.limit, "limit", 1, 50);
  check_next_token(v, r.next_token);
  if (!v.empty()) return core::unexpected(v.error());
  const bool by_last_event = r.order_by == "LastEventTime";
  if (by_last_event && r.log_stream_name_prefix) {
    return core::unexpected(invalid_parameter("Cannot order by LastEventTime with a logStreamNamePrefix."));
  }
  auto group = find_group(r.log_group_name, r.log_group_identifier);
  if (!group) return core::unexpected(group.error());
  store::LogStreamQuery q;
  q.group_id = (*group)->record.id;
  q.prefix = r.log_stream_name_prefix.value_or("");
  q.by_last_event = by_last_event;
  q.descending = r.descending;
  const int limit = r.limit.value_or(50);
  q.limit = limit + 1;  // one more tells whether there is a next page
  if (r.next_token) {
    auto parts = split(*r.next_token, '.', 3);
    std::optional<std::int64_t> time;
    std::optional<std::string> name;
    if (parts && (*parts)[0] == "s1" && (time = parse_int((*parts)[1])) && (name = unhex((*parts)[2]))) {
      q.after_name = std::move(name);
      q.after_last_event_ms = *time;
    } else {
      return core::unexpected(invalid_parameter(std::string(kInvalidToken)));
    }
  }
  auto streams = store_.log_streams(q);
  if (!streams) return core::unexpected(internal(streams.error()));
  DescribeLogStreamsResult out;
  for (const auto& s : *streams) {
    if (out.log_streams.size() == static_cast<std::size_t>(limit)) {
      const auto& last = (*streams)[static_cast<std::size_t>(limit) - 1];
      out.next_token = fmt::format("s1.{}.{}", last.last_event_ms.value_or(0), hex(last.name));
      break;
    }
    out.log_streams.push_back(describe_stream(**group, s));
  }
  return out;
}

// ---- PutLogEvents ----------------------------------------------------------------------------

void LogsEngine::evaluate_filters(const Group& group, std::string_view stream_name, std::int64_t timestamp_ms,
                                  std::string_view message, std::vector<store::Datapoint>& out,
                                  std::vector<std::pair<std::int64_t, std::size_t>>& defaults,
                                  std::vector<std::uint64_t>& matches) {
  const Active& active = *group.active;
  subject_.reset(message);
  // Which filters could match, in one pass; a record without a backslash holds no JSON escape.
  const bool may_have_escapes = message.find('\\') != std::string_view::npos;
  active.index->candidates(message, *active.scratch, candidates_, may_have_escapes);
  const std::int64_t second = metrics::floor_to(timestamp_ms, 1000) / 1000;
  std::string cause;  // built at the event's first match, shared by its other matches
  for (std::size_t k = 0; k < active.filters.size(); ++k) {
    const pattern::MetricTransformation& t = active.sources[k]->transformation;
    pattern::MetricFilter::Emission emission;
    if (candidates_[k] != 0) {
      emission = active.filters[k].metric.evaluate(subject_);
    } else {
      emission.value = t.default_value;  // cannot match: the default, if any
    }
    if (!emission.value) continue;
    if (!emission.matched) {
      // defaultValue points (never with dimensions) of one second are one statistic set.
      auto& [last_second, at] = defaults[k];
      if (at != std::numeric_limits<std::size_t>::max() && last_second == second) {
        out[at].values.add(*emission.value, true);
        continue;
      }
      store::Datapoint d{metrics::SeriesKey{t.metric_namespace, t.metric_name, {}}, second, {}};
      d.values.add(*emission.value, true);
      defaults[k] = {second, out.size()};
      out.push_back(std::move(d));
      continue;
    }
    ++matches[k];
    if (cause.empty()) cause = cause_summary(subject_, group.record.name, stream_name, timestamp_ms);
    std::sort(emission.dimensions.begin(), emission.dimensions.end());
    store::Datapoint d{metrics::SeriesKey{t.metric_namespace, t.metric_name, std::move(emission.dimensions)}, second, {}};
    d.values.add(*emission.value, true);
    d.cause = cause;
    out.push_back(std::move(d));
  }
}

LogsResult<PutLogEventsResult> LogsEngine::put_log_events(const PutLogEventsRequest& r,
                                                          const std::optional<Checkpoint>& checkpoint) {
  Violations v;
  check_group_name(v, r.log_group_name);
  check_colon_star_name(v, r.log_stream_name, "logStreamName");
  if (r.log_events.empty()) v.add("[]", "logEvents", "Member must have length greater than or equal to 1");
  if (r.log_events.size() > kMaxBatchEvents) {
    v.add(std::nullopt, "logEvents", fmt::format("Member must have length less than or equal to {}", kMaxBatchEvents));
  }
  for (std::size_t i = 0; i < r.log_events.size(); ++i) {
    if (r.log_events[i].message.empty()) {
      v.add("", fmt::format("logEvents.{}.member.message", i + 1), "Member must have length greater than or equal to 1");
    }
  }
  if (!v.empty()) return core::unexpected(v.error());
  auto group = find_group(r.log_group_name, std::nullopt);
  if (!group) return core::unexpected(group.error());
  Group& g = **group;
  auto stream = store_.log_stream(g.record.id, r.log_stream_name);
  if (!stream) return core::unexpected(internal(stream.error()));
  if (!*stream) return core::unexpected(not_found(kStreamNotFound));

  const auto& events = r.log_events;
  std::size_t batch_bytes = 0;
  for (const auto& e : events) {
    const std::size_t bytes = e.message.size() + kEventOverheadBytes;
    if (bytes > kMaxEventBytes) {
      return core::unexpected(
          invalid_parameter(fmt::format("Log event too large: {} bytes exceeds limit of {}", bytes, kMaxEventBytes)));
    }
    batch_bytes += bytes;
  }
  if (batch_bytes > kMaxBatchBytes) {
    return core::unexpected(
        invalid_parameter(fmt::format("Upload too large: {} bytes exceeds limit of {}", batch_bytes, kMaxBatchBytes)));
  }
  for (std::size_t i = 1; i < events.size(); ++i) {
    if (events[i].timestamp < events[i - 1].timestamp) {
      return core::unexpected(
          invalid_parameter("Log events in a single PutLogEvents request must be in chronological order."));
    }
  }
  // In order, so the span is not negative; unsigned arithmetic cannot overflow on odd timestamps.
  if (static_cast<std::uint64_t>(events.back().timestamp) - static_cast<std::uint64_t>(events.front().timestamp) >
      static_cast<std::uint64_t>(kMaxBatchSpanMs)) {
    return core::unexpected(
        invalid_parameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours."));
  }

  // Too old, expired and too new events are reported, not stored. The batch is in order, so the
  // first two are a prefix and the last a suffix.
  const std::int64_t now = clock_.now_ms();
  RejectedLogEventsInfo rejected;
  std::size_t begin = 0;
  std::size_t end = events.size();
  for (std::size_t i = 0; i < events.size(); ++i) {
    const std::int64_t t = events[i].timestamp;
    if (t < now - kMaxPastMs) {
      rejected.too_old_log_event_end_index = static_cast<int>(i);
      begin = std::max(begin, i + 1);
    }
    if (g.record.retention_days && t < now - *g.record.retention_days * kDayMs) {
      rejected.expired_log_event_end_index = static_cast<int>(i);
      begin = std::max(begin, i + 1);
    }
    if (t > now + kMaxFutureMs && end == events.size()) {
      rejected.too_new_log_event_start_index = static_cast<int>(i);
      end = i;
    }
  }
  PutLogEventsResult out;
  if (rejected.too_new_log_event_start_index || rejected.too_old_log_event_end_index ||
      rejected.expired_log_event_end_index) {
    out.rejected_log_events_info = rejected;
  }
  store::LogStreamRecord updated = **stream;
  if (begin >= end) {
    out.next_sequence_token = sequence_token(updated.upload_sequence);
    if (checkpoint) {
      auto advanced = alarms_.add_datapoints({}, checkpoint);
      if (!advanced) return core::unexpected(internal(advanced.error().message));
      out.transitions = std::move(*advanced);
    }
    return out;
  }

  // The metric filters, outside the transaction.
  std::vector<store::Datapoint> datapoints;
  std::vector<std::pair<std::int64_t, std::size_t>> defaults(g.active->filters.size(),
                                                             {0, std::numeric_limits<std::size_t>::max()});
  std::int64_t accepted_bytes = 0;
  std::vector<std::uint64_t> matches(g.active->filters.size(), 0);
  for (std::size_t i = begin; i < end; ++i) {
    accepted_bytes += static_cast<std::int64_t>(events[i].message.size());
    if (!g.active->filters.empty()) {
      evaluate_filters(g, r.log_stream_name, events[i].timestamp, events[i].message, datapoints, defaults, matches);
    }
  }
  const std::int64_t first = events[begin].timestamp;
  const std::int64_t last = events[end - 1].timestamp;
  updated.first_event_ms = updated.first_event_ms ? std::min(*updated.first_event_ms, first) : first;
  updated.last_event_ms = updated.last_event_ms ? std::max(*updated.last_event_ms, last) : last;
  updated.last_ingestion_ms = now;
  updated.upload_sequence += 1;
  store::LogGroupRecord group_record = g.record;
  group_record.stored_bytes += accepted_bytes;

  const std::int64_t group_id = g.record.id;
  const std::int64_t stream_id = updated.id;
  auto writes = [&](store::Store& s) -> core::Result<void, std::string> {
    for (std::size_t i = begin; i < end; ++i) {
      auto added = s.add_log_event(group_id, stream_id, events[i].timestamp, now, events[i].message);
      if (!added) return added;
    }
    auto ok = s.update_log_stream(updated);
    if (!ok) return ok;
    return s.update_log_group(group_record);
  };
  auto transitions = alarms_.add_datapoints(datapoints, checkpoint, writes);
  if (!transitions) return core::unexpected(internal(transitions.error().message));
  g.record = std::move(group_record);
  g.events_in += end - begin;
  g.bytes_in += static_cast<std::uint64_t>(accepted_bytes);
  g.newest_event_ms = g.newest_event_ms ? std::max(*g.newest_event_ms, last) : last;
  g.last_ingestion_ms = now;
  for (std::size_t k = 0; k < matches.size(); ++k) {
    if (matches[k] == 0) continue;
    auto filter = g.filters.find(g.active->sources[k]->record.name);
    if (filter != g.filters.end()) filter->second.matches += matches[k];
  }
  out.next_sequence_token = sequence_token(updated.upload_sequence);
  out.accepted_events = end - begin;
  out.datapoints = datapoints.size();
  out.transitions = std::move(*transitions);
  return out;
}

LogsResult<void> LogsEngine::ensure_log_group(const CreateLogGroupRequest& request) {
  auto created = create_log_group(request);
  if (!created && created.error().code != "ResourceAlreadyExistsException") return created;
  return {};
}

LogsTelemetry LogsEngine::telemetry() const {
  LogsTelemetry out;
  for (const auto& [key, g] : groups_) {
    out.groups.push_back({g.record.name, g.events_in, g.bytes_in, g.newest_event_ms, g.last_ingestion_ms});
    for (const auto& [name, f] : g.filters) {
      out.filters.push_back({g.record.name, name, f.transformation.metric_namespace, f.transformation.metric_name,
                             f.matches});
    }
  }
  return out;
}

// ---- metric filters --------------------------------------------------------------------------

LogsResult<void> LogsEngine::put_metric_filter(const PutMetricFilterRequest& r) {
  Violations v;
  check_group_name(v, r.log_group_name);
  check_colon_star_name(v, r.filter_name, "filterName");
  v.length(r.filter_pattern, "filterPattern", 0, 1024);
  if (!v.empty()) return core::unexpected(v.error());
  auto group = find_group(r.log_group_name, std::nullopt);
  if (!group) return core::unexpected(group.error());
  Group& g = **group;
  auto matcher = pattern::Matcher::compile(r.filter_pattern);
  if (!matcher) return core::unexpected(pattern_error(matcher.error(), false));
  auto compiled = pattern::MetricFilter::create(*matcher, r.metric_transformations);
  if (!compiled) return core::unexpected(pattern_error(compiled.error(), false));
  auto existing = g.filters.find(r.filter_name);
  if (existing == g.filters.end() && g.filters.size() >= kMaxMetricFiltersPerGroup) {
    return core::unexpected(limit_exceeded(std::string(kLimitExceeded)));
  }
  const bool regex = has_regex(matcher->ast());
  if (regex) {
    std::size_t with_regex = 0;
    for (const auto& [name, f] : g.filters) {
      if (f.has_regex && name != r.filter_name) ++with_regex;
    }
    if (with_regex >= kMaxRegexFiltersPerGroup) {
      return core::unexpected(limit_exceeded(fmt::format(
          "A log group can have at most {} metric filters whose patterns contain regular expressions.",
          kMaxRegexFiltersPerGroup)));
    }
  }
  Filter filter{store::MetricFilterRecord{g.record.id, r.filter_name, r.filter_pattern,
                                          transformation_json(compiled->transformation()),
                                          existing == g.filters.end() ? clock_.now_ms()
                                                                      : existing->second.record.created_ms},
                compiled->transformation(), std::move(compiled).value(), regex};
  auto done = transaction([&]() { return store_.put_metric_filter(filter.record); });
  if (!done) return done;
  g.filters.insert_or_assign(r.filter_name, std::move(filter));
  activate(g);
  return {};
}

LogsResult<void> LogsEngine::delete_metric_filter(const std::string& log_group_name, const std::string& filter_name) {
  Violations v;
  check_group_name(v, log_group_name);
  check_colon_star_name(v, filter_name, "filterName");
  if (!v.empty()) return core::unexpected(v.error());
  auto group = find_group(log_group_name, std::nullopt);
  if (!group) return core::unexpected(group.error());
  Group& g = **group;
  if (!g.filters.contains(filter_name)) return core::unexpected(not_found(kFilterNotFound));
  auto done = transaction([&]() { return store_.delete_metric_filter(g.record.id, filter_name); });
  if (!done) return done;
  g.filters.erase(filter_name);
  activate(g);
  return {};
}

LogsResult<DescribeMetricFiltersResult> LogsEngine::describe_metric_filters(const DescribeMetricFiltersRequest& r) const {
  Violations v;
  if (r.log_group_name) check_group_name(v, *r.log_group_name);
  if (r.filter_name_prefix) check_colon_star_name(v, *r.filter_name_prefix, "filterNamePrefix");
  if (r.metric_name) check_metric_name(v, *r.metric_name, "metricName");
  if (r.metric_namespace) check_metric_name(v, *r.metric_namespace, "metricNamespace");
  v.range(r.limit, "limit", 1, 50);
  check_next_token(v, r.next_token);
  if (!v.empty()) return core::unexpected(v.error());
  if (r.metric_name.has_value() != r.metric_namespace.has_value()) {
    return core::unexpected(invalid_parameter("metricName and metricNamespace must be specified together."));
  }
  std::optional<std::pair<std::string, std::string>> after;
  if (r.next_token) {
    auto parts = split(*r.next_token, '.', 3);
    std::optional<std::string> group_name;
    std::optional<std::string> filter_name;
    if (!parts || (*parts)[0] != "m1" || !(group_name = unhex((*parts)[1])) || !(filter_name = unhex((*parts)[2]))) {
      return core::unexpected(invalid_parameter(std::string(kInvalidToken)));
    }
    after.emplace(std::move(*group_name), std::move(*filter_name));
  }
  if (r.log_group_name && !groups_.contains(*r.log_group_name)) return core::unexpected(not_found(kGroupNotFound));
  const std::size_t limit = static_cast<std::size_t>(r.limit.value_or(50));
  DescribeMetricFiltersResult out;
  for (const auto& [group_name, g] : groups_) {
    if (r.log_group_name && group_name != *r.log_group_name) continue;
    if (after && group_name < after->first) continue;
    for (const auto& [filter_name, f] : g.filters) {
      if (after && group_name == after->first && filter_name <= after->second) continue;
      if (r.log_group_name && r.filter_name_prefix && filter_name.rfind(*r.filter_name_prefix, 0) != 0) continue;
      if (r.metric_name &&
          (f.transformation.metric_name != *r.metric_name || f.transformation.metric_namespace != *r.metric_namespace)) {
        continue;
      }
      if (out.metric_filters.size() == limit) {
        const auto& back = out.metric_filters.back();
        out.next_token = fmt::format("m1.{}.{}", hex(back.log_group_name), hex(back.filter_name));
        return out;
      }
      out.metric_filters.push_back(MetricFilterDescription{filter_name, f.record.pattern, {f.transformation},
                                                           f.record.created_ms, group_name, false});
    }
  }
  return out;
}

LogsResult<std::vector<MetricFilterMatch>> LogsEngine::test_metric_filter(
    std::string_view filter_pattern, const std::vector<std::string>& log_event_messages) {
  Violations v;
  v.length(filter_pattern, "filterPattern", 0, 1024);
  if (log_event_messages.empty()) {
    v.add("[]", "logEventMessages", "Member must have length greater than or equal to 1");
  }
  if (log_event_messages.size() > 50) {
    v.add(std::nullopt, "logEventMessages", "Member must have length less than or equal to 50");
  }
  for (std::size_t i = 0; i < log_event_messages.size(); ++i) {
    if (log_event_messages[i].empty()) {
      v.add("", fmt::format("logEventMessages.{}.member", i + 1), "Member must have length greater than or equal to 1");
    }
  }
  if (!v.empty()) return core::unexpected(v.error());
  auto matcher = pattern::Matcher::compile(filter_pattern);
  if (!matcher) return core::unexpected(pattern_error(matcher.error(), false));
  std::vector<MetricFilterMatch> out;
  pattern::Subject subject;
  pattern::ExtractedValues extracted;
  for (std::size_t i = 0; i < log_event_messages.size(); ++i) {
    subject.reset(log_event_messages[i]);
    if (!matcher->match(subject, &extracted)) continue;
    out.push_back(MetricFilterMatch{static_cast<int>(i + 1), log_event_messages[i], extracted});
  }
  return out;
}

// ---- reading events --------------------------------------------------------------------------

LogsResult<FilterLogEventsResult> LogsEngine::filter_log_events(const FilterLogEventsRequest& r) {
  Violations v;
  if (r.log_stream_names) {
    const auto& names = *r.log_stream_names;
    if (names.empty()) v.add("[]", "logStreamNames", "Member must have length greater than or equal to 1");
    if (names.size() > 100) v.add(std::nullopt, "logStreamNames", "Member must have length less than or equal to 100");
    for (std::size_t i = 0; i < names.size(); ++i) {
      check_colon_star_name(v, names[i], fmt::format("logStreamNames.{}.member", i + 1));
    }
  }
  if (r.log_stream_name_prefix) check_colon_star_name(v, *r.log_stream_name_prefix, "logStreamNamePrefix");
  if (r.filter_pattern) v.length(*r.filter_pattern, "filterPattern", 0, 1024);
  v.range(r.limit, "limit", 1, 10000);
  check_next_token(v, r.next_token);
  if (!v.empty()) return core::unexpected(v.error());
  if (r.log_stream_names && r.log_stream_name_prefix) {
    return core::unexpected(invalid_parameter("logStreamNames and logStreamNamePrefix are mutually exclusive."));
  }
  auto group = find_group(r.log_group_name, r.log_group_identifier);
  if (!group) return core::unexpected(group.error());
  const Group& g = **group;
  std::optional<pattern::Matcher> matcher;
  if (r.filter_pattern) {
    auto compiled = pattern::Matcher::compile(*r.filter_pattern);
    if (!compiled) return core::unexpected(pattern_error(compiled.error(), true));
    matcher = std::move(compiled).value();
  }
  store::LogEventQuery q;
  q.group_id = g.record.id;
  q.start_ms = r.start_time;
  if (r.end_time && *r.end_time < kTokenTimeMax) q.end_ms = *r.end_time + 1;  // end_time is inclusive
  if (r.next_token) {
    q.from = parse_position(*r.next_token, "e1.", '.');
    if (!q.from) return core::unexpected(invalid_parameter(std::string(kInvalidToken)));
  }

  // The streams searched: the named ones that exist, those with the prefix, or all.
  store::LogStreamQuery streams_query;
  streams_query.group_id = g.record.id;
  streams_query.prefix = r.log_stream_name_prefix.value_or("");
  streams_query.limit = std::numeric_limits<int>::max();
  auto streams = store_.log_streams(streams_query);
  if (!streams) return core::unexpected(internal(streams.error()));
  std::map<std::int64_t, std::string> names;  // stream id -> name, of the streams searched
  if (r.log_stream_names) {
    const std::set<std::string> wanted(r.log_stream_names->begin(), r.log_stream_names->end());
    for (auto& s : *streams) {
      if (wanted.contains(s.name)) names.emplace(s.id, std::move(s.name));
    }
  } else {
    for (auto& s : *streams) names.emplace(s.id, std::move(s.name));
  }
  const bool every_stream = !r.log_stream_names && !r.log_stream_name_prefix;

  const std::size_t limit = static_cast<std::size_t>(r.limit.value_or(10000));
  const std::int64_t budget = std::max<std::int64_t>(1, options_.filter_scan_limit);
  FilterLogEventsResult out;
  std::int64_t examined = 0;
  std::size_t bytes = 0;
  bool page_full = false;
  bool truncated = false;
  std::optional<std::pair<std::int64_t, std::int64_t>> last;  // the last event consumed
  auto scanned = store_.scan_log_events(q, [&](const store::LogEventView& e) {
    if (examined == budget) {
      truncated = true;
      return false;
    }
    ++examined;
    auto stream = names.find(e.stream_id);
    bool include = stream != names.end() || every_stream;
    if (include && matcher) {
      subject_.reset(e.message);
      include = matcher->matches(subject_);
    }
    if (include && page_full) {
      truncated = true;  // this event starts the next page
      return false;
    }
    last = std::pair{e.timestamp_ms, e.id};
    if (!include) return true;
    out.events.push_back(FilteredLogEvent{stream != names.end() ? stream->second : std::string(), e.timestamp_ms,
                                          std::string(e.message), e.ingestion_ms, event_id(e.timestamp_ms, e.id)});
    bytes += e.message.size() + kEventOverheadBytes;
    if (out.events.size() == limit || bytes >= kMaxResponseBytes) page_full = true;
    return true;
  });
  if (!scanned) return core::unexpected(internal(scanned.error()));
  if (truncated && last) out.next_token = position_token("e1.", '.', last->first, last->second);
  for (const auto& [id, name] : names) out.searched_log_streams.push_back(SearchedLogStream{name, !out.next_token});
  std::sort(out.searched_log_streams.begin(), out.searched_log_streams.end(),
            [](const SearchedLogStream& a, const SearchedLogStream& b) { return a.log_stream_name < b.log_stream_name; });
  return out;
}

LogsResult<GetLogEventsResult> LogsEngine::get_log_events(const GetLogEventsRequest& r) {
  Violations v;
  check_colon_star_name(v, r.log_stream_name, "logStreamName");
  v.range(r.limit, "limit", 1, 10000);
  check_next_token(v, r.next_token);
  if (!v.empty()) return core::unexpected(v.error());
  auto group = find_group(r.log_group_name, r.log_group_identifier);
  if (!group) return core::unexpected(group.error());
  auto stream = store_.log_stream((*group)->record.id, r.log_stream_name);
  if (!stream) return core::unexpected(internal(stream.error()));
  if (!*stream) return core::unexpected(not_found(kStreamNotFound));

  store::LogEventQuery q;
  q.group_id = (*group)->record.id;
  q.stream_id = (*stream)->id;
  q.start_ms = r.start_time;
  q.end_ms = r.end_time;
  q.descending = !r.start_from_head;
  if (r.next_token) {
    if (auto forward = parse_position(*r.next_token, "f/", '/')) {
      q.from = forward;
      q.descending = false;
    } else if (auto backward = parse_position(*r.next_token, "b/", '/')) {
      q.from = backward;
      q.descending = true;
    } else {
      return core::unexpected(invalid_parameter(std::string(kInvalidToken)));
    }
  }
  const std::size_t limit = static_cast<std::size_t>(r.limit.value_or(10000));
  GetLogEventsResult out;
  std::vector<std::pair<std::int64_t, std::int64_t>> positions;
  std::size_t bytes = 0;
  auto scanned = store_.scan_log_events(q, [&](const store::LogEventView& e) {
    out.events.push_back(OutputLogEvent{e.timestamp_ms, std::string(e.message), e.ingestion_ms});
    positions.emplace_back(e.timestamp_ms, e.id);
    bytes += e.message.size() + kEventOverheadBytes;
    return out.events.size() < limit && bytes < kMaxResponseBytes;
  });
  if (!scanned) return core::unexpected(internal(scanned.error()));
  if (q.descending) {
    std::reverse(out.events.begin(), out.events.end());
    std::reverse(positions.begin(), positions.end());
  }
  if (!positions.empty()) {
    out.next_forward_token = position_token("f/", '/', positions.back().first, positions.back().second);
    out.next_backward_token = position_token("b/", '/', positions.front().first, positions.front().second);
  } else if (q.from) {
    // Nothing further in this direction: the same token again; the other direction turns at the
    // same position (the event at it included).
    const auto [time, id] = *q.from;
    out.next_forward_token = q.descending ? position_token("f/", '/', time, id - 1) : *r.next_token;
    out.next_backward_token = q.descending ? *r.next_token : position_token("b/", '/', time, id + 1);
  } else {
    out.next_forward_token = position_token("f/", '/', kTokenTimeMin, 0);
    out.next_backward_token = position_token("b/", '/', kTokenTimeMax, 0);
  }
  return out;
}

// ---- retention -------------------------------------------------------------------------------

LogsResult<std::int64_t> LogsEngine::tick() {
  const std::int64_t now = clock_.now_ms();
  if (now < next_prune_ms_) return std::int64_t{0};
  next_prune_ms_ = now + options_.prune_interval_ms;
  std::map<std::string, std::int64_t> stored;  // group name -> bytes after pruning
  std::int64_t total = 0;
  auto done = transaction([&]() -> core::Result<void, std::string> {
    for (const auto& [name, g] : groups_) {
      const int days = g.record.retention_days.value_or(options_.default_retention_days);
      auto bytes = store_.prune_log_events(g.record.id, now - days * kDayMs);
      if (!bytes) return core::unexpected(bytes.error());
      if (*bytes == 0) continue;
      store::LogGroupRecord record = g.record;
      record.stored_bytes = std::max<std::int64_t>(0, record.stored_bytes - *bytes);
      auto ok = store_.update_log_group(record);
      if (!ok) return ok;
      stored[name] = record.stored_bytes;
      total += *bytes;
    }
    return {};
  });
  if (!done) return core::unexpected(done.error());
  for (const auto& [name, bytes] : stored) groups_.at(name).record.stored_bytes = bytes;
  return total;
}

}  // namespace sgwatch::engine
