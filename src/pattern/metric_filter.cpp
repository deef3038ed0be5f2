// Implementation of metric_filter.h.
#include "pattern/metric_filter.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/text.h"
#include "pattern/lexer.h"
#include "pattern/program.h"

namespace sgwatch::pattern {
namespace {

Error config_error(std::string_view field, std::string_view fragment, std::string aws,
                   std::string why) {
  return Error{ErrorCode::kInvalidTransformation, 0,
               fragment.empty() ? std::string(field) : fmt::format("{}: {}", field, fragment),
               std::move(aws), std::move(why)};
}

std::size_t count_code_points(std::string_view text) {
  std::size_t count = 0;
  for (char c : text) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  }
  return count;
}

// Parses "$.path", "$name", "$N"; for metric values also a number.
core::Result<MetricFilter::Reference, std::string> parse_reference(std::string_view text,
                                                                   bool allow_constant) {
  MetricFilter::Reference ref;
  if (text.size() >= 2 && text[0] == '$' && (text[1] == '.' || text[1] == '[')) {
    Lexer lexer(LexerMode::kJson, text, 0);
    auto token = lexer.next();
    if (!token || token->kind != TokenKind::kSelector || token->raw.size() != text.size()) {
      return core::unexpected(std::string("not a valid JSON selector"));
    }
    if (token->selector.wildcard_count() > 0) {
      return core::unexpected(std::string("a selector with a wildcard names more than one value"));
    }
    ref.kind = MetricFilter::Reference::Kind::kJsonPath;
    ref.path = token->selector.segments;
    return ref;
  }
  if (text.size() >= 2 && text[0] == '$') {
    const std::string_view rest = text.substr(1);
    bool digits = true;
    bool name = true;
    for (char c : rest) {
      digits = digits && core::is_ascii_digit(c);
      name = name && (core::is_ascii_alnum(c) || c == '_' || c == '-');
    }
    if (digits) {
      std::size_t position = 0;
      for (char c : rest) position = std::min<std::size_t>(position * 10 + static_cast<std::size_t>(c - '0'), 1u << 30);
      if (position == 0) return core::unexpected(std::string("field positions start at $1"));
      ref.kind = MetricFilter::Reference::Kind::kPosition;
      ref.position = position;
      return ref;
    }
    if (name) {
      ref.kind = MetricFilter::Reference::Kind::kField;
      ref.name = std::string(rest);
      return ref;
    }
    return core::unexpected(std::string("not a valid field reference"));
  }
  if (allow_constant) {
    if (auto number = core::parse_pattern_number(text)) {
      ref.kind = MetricFilter::Reference::Kind::kConstant;
      ref.constant = *number;
      return ref;
    }
  }
  return core::unexpected(std::string(allow_constant
                                          ? "a metric value is a number or starts with $"
                                          : "a dimension value is $.selector or $field"));
}

std::optional<std::string_view> resolve_text(const MetricFilter::Reference& ref, Subject& subject,
                                             const ExtractedValues& extracted, PatternKind kind,
                                             bool for_number, std::string& scratch) {
  using Kind = MetricFilter::Reference::Kind;
  switch (ref.kind) {
    case Kind::kConstant:
      return std::nullopt;
    case Kind::kJsonPath: {
      const JsonTree* tree = subject.json_object();
      if (tree == nullptr) return std::nullopt;
      const auto node = resolve_single(*tree, ref.path);
      if (!node) return std::nullopt;
      const JsonNode& n = (*tree)[*node];
      if (n.type == JsonType::kString || n.type == JsonType::kNumber) return n.text;
      if (!for_number && (n.type == JsonType::kTrue || n.type == JsonType::kFalse)) {
        scratch = n.type == JsonType::kTrue ? "true" : "false";
        return std::string_view(scratch);
      }
      return std::nullopt;
    }
    case Kind::kField: {
      const std::string key = "$" + ref.name;
      for (const auto& [name, value] : extracted) {
        if (name == key) return std::string_view(value);
      }
      return std::nullopt;
    }
    case Kind::kPosition: {
      if (kind != PatternKind::kDelimited) return std::nullopt;
      const auto& fields = subject.fields();
      if (ref.position > fields.size()) return std::nullopt;
      return fields[ref.position - 1].value;
    }
  }
  return std::nullopt;
}

}  // namespace

bool is_metric_unit(std::string_view unit) {
  static constexpr std::array<std::string_view, 27> kUnits = {
      "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes",
      "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count",
      "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second",
      "Terabytes/Second", "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
      "Terabits/Second", "Count/Second", "None"};
  for (std::string_view known : kUnits) {
    if (known == unit) return true;
  }
  return false;
}

core::Result<MetricFilter, Error> MetricFilter::create(
    Matcher matcher, std::vector<MetricTransformation> transformations) {
  const std::string aws_invalid = "Invalid metric transformation";
  if (transformations.size() != 1) {
    return core::unexpected(config_error(
        "metricTransformations", std::to_string(transformations.size()),
        fmt::format("1 validation error detected: Value at 'metricTransformations' failed to "
                    "satisfy constraint: Member must have length {} 1",
                    transformations.empty() ? "greater than or equal to" : "less than or equal to"),
        "a metric filter has exactly one metric transformation"));
  }
  MetricTransformation t = std::move(transformations.front());
  for (auto [field, value] : {std::pair{"metricName", &t.metric_name},
                              std::pair{"metricNamespace", &t.metric_namespace}}) {
    if (value->empty()) {
      return core::unexpected(config_error(field, "", fmt::format("{} is required", field),
                                           fmt::format("{} must not be empty", field)));
    }
    if (count_code_points(*value) > kMaxMetricNameLength) {
      return core::unexpected(config_error(field, *value, aws_invalid,
                                           fmt::format("{} is longer than {} characters", field,
                                                       kMaxMetricNameLength)));
    }
    if (value->find_first_of(":*$") != std::string::npos) {
      return core::unexpected(config_error(field, *value, aws_invalid,
                                           fmt::format("{} must not contain ':', '*' or '$'", field)));
    }
  }
  if (t.metric_value.empty()) {
    return core::unexpected(config_error("metricValue", "", "metricValue is required",
                                         "metricValue must not be empty"));
  }
  if (t.metric_value.size() > kMaxMetricValueLength) {
    return core::unexpected(config_error(
        "metricValue", core::printable(t.metric_value, 40),
        fmt::format("1 validation error detected: Value at 'metricTransformations.1.member."
                    "metricValue' failed to satisfy constraint: Member must have length less "
                    "than or equal to {}",
                    kMaxMetricValueLength),
        fmt::format("metricValue is longer than {} characters", kMaxMetricValueLength)));
  }
  auto value = parse_reference(t.metric_value, true);
  if (!value) {
    return core::unexpected(config_error(
        "metricValue", t.metric_value,
        fmt::format("metric value {} must be a valid number", t.metric_value), value.error()));
  }
  if (!t.unit.empty() && !is_metric_unit(t.unit)) {
    return core::unexpected(config_error("unit", t.unit, aws_invalid,
                                         "unit must be a CloudWatch unit such as Count or None"));
  }
  std::vector<Reference> dimension_refs;
  if (!t.dimensions.empty()) {
    if (matcher.kind() != PatternKind::kJson && matcher.kind() != PatternKind::kDelimited) {
      return core::unexpected(config_error(
          "dimensions", t.dimensions.front().first,
          "The specified filter pattern does not support dimensions",
          "only JSON and space-delimited patterns can publish dimensions"));
    }
    if (t.dimensions.size() > kMaxDimensions) {
      return core::unexpected(config_error(
          "dimensions", std::to_string(t.dimensions.size()), aws_invalid,
          fmt::format("a metric transformation has at most {} dimensions", kMaxDimensions)));
    }
    if (t.default_value) {
      return core::unexpected(config_error(
          "defaultValue", core::format_double(*t.default_value),
          "A metric transformation with dimensions cannot have a default value",
          "dimensions and defaultValue cannot be used together"));
    }
    for (const auto& [name, ref_text] : t.dimensions) {
      const bool ascii = std::all_of(name.begin(), name.end(), [](char c) {
        return static_cast<unsigned char>(c) >= 0x20 && static_cast<unsigned char>(c) < 0x7f;
      });
      const bool has_visible = std::any_of(name.begin(), name.end(), [](char c) { return c != ' '; });
      if (name.empty() || !ascii || !has_visible || name.front() == ':' ||
          name.size() > kMaxMetricNameLength || ref_text.size() > kMaxMetricNameLength) {
        return core::unexpected(config_error(
            "dimensions", name, aws_invalid,
            "a dimension name is printable ASCII, up to 255 characters, with a non-space "
            "character, not starting with ':'"));
      }
      auto ref = parse_reference(ref_text, false);
      if (!ref) {
        return core::unexpected(config_error("dimensions", ref_text,
                                             "dimension value must be valid selector", ref.error()));
      }
      dimension_refs.push_back(std::move(ref).value());
    }
  }
  return MetricFilter(std::move(matcher), std::move(t), std::move(value).value(),
                      std::move(dimension_refs));
}

MetricFilter::Emission MetricFilter::evaluate(Subject& subject, ExtractedValues* extracted) const {
  thread_local ExtractedValues local;
  ExtractedValues& values = extracted != nullptr ? *extracted : local;
  Emission emission;
  emission.matched = matcher_.match(subject, &values);
  if (!emission.matched) {
    emission.value = transformation_.default_value;
    return emission;
  }
  const PatternKind kind = matcher_.kind();
  std::string scratch;
  if (value_.kind == Reference::Kind::kConstant) {
    emission.value = value_.constant;
  } else if (auto text = resolve_text(value_, subject, values, kind, true, scratch)) {
    emission.value = core::parse_pattern_number(*text);
  }
  for (std::size_t i = 0; i < dimension_refs_.size(); ++i) {
    if (auto text = resolve_text(dimension_refs_[i], subject, values, kind, false, scratch)) {
      emission.dimensions.emplace_back(transformation_.dimensions[i].first, std::string(*text));
    }
  }
  return emission;
}

}  // namespace sgwatch::pattern
