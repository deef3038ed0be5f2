// Implementation of query_params.h.
#include "aws/query_params.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "aws/utf8.h"
#include "core/text.h"
#include "core/time.h"

namespace sgwatch::aws {

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Decodes one form component into `out`. Returns the offset (in `text`) of a '%' that is not
// followed by two hex digits, or nullopt when the whole component decoded.
std::optional<std::size_t> form_decode(std::string_view text, std::string& out) {
  out.clear();
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+') {
      out += ' ';
    } else if (c == '%') {
      const int high = i + 1 < text.size() ? hex_value(text[i + 1]) : -1;
      const int low = i + 2 < text.size() ? hex_value(text[i + 2]) : -1;
      if (high < 0 || low < 0) return i;
      out += static_cast<char>(high * 16 + low);
      i += 2;
    } else {
      out += c;
    }
  }
  return std::nullopt;
}

std::string quote_value(std::string_view value) {
  return "'" + core::printable(value) + "'";
}

WireError bad_value(std::string_view name, std::string_view value, std::string_view expected) {
  return invalid_parameter_value(fmt::format("Invalid value {} for parameter {}: expected {}.",
                                             quote_value(value), name, expected));
}

// "12" -> 12; nullopt for anything but a plain decimal without leading zeros, or above `max`.
std::optional<std::uint32_t> parse_index(std::string_view text, std::uint32_t max) {
  if (text.empty() || text.size() > 10 || text[0] == '0') return std::nullopt;
  std::uint64_t value = 0;
  for (const char c : text) {
    if (!core::is_ascii_digit(c)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > max) return std::nullopt;
  return static_cast<std::uint32_t>(value);
}

std::string index_name(std::string_view list_prefix, std::uint32_t index) {
  return fmt::format("{}{}", list_prefix, index);
}

}  // namespace

// --- QueryParams ---

core::Result<QueryParams, WireError> QueryParams::parse(std::string_view body,
                                                        const QueryLimits& limits) {
  if (body.size() > limits.max_bytes) {
    return core::unexpected(request_entity_too_large(fmt::format(
        "The request body has {} bytes; at most {} are accepted.", body.size(), limits.max_bytes)));
  }
  QueryParams out;
  out.max_index_ = limits.max_index;
  std::string name;
  std::string value;
  std::size_t start = 0;
  while (start <= body.size()) {
    std::size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    const std::string_view piece = body.substr(start, end - start);
    const std::size_t piece_start = start;
    start = end + 1;
    if (piece.empty()) continue;
    const std::size_t equals = piece.find('=');
    const std::string_view raw_name = piece.substr(0, equals);
    const std::string_view raw_value =
        equals == std::string_view::npos ? std::string_view() : piece.substr(equals + 1);
    if (const auto bad = form_decode(raw_name, name)) {
      return core::unexpected(malformed_query_string(fmt::format(
          "Invalid percent escape {} at byte {} of the request body (a parameter name).",
          quote_value(raw_name.substr(*bad, 3)), piece_start + *bad)));
    }
    if (name.empty()) {
      return core::unexpected(malformed_query_string(
          fmt::format("A parameter without a name at byte {} of the request body.", piece_start)));
    }
    if (name.size() > limits.max_name_bytes) {
      return core::unexpected(
          malformed_query_string(fmt::format("The parameter name {} is longer than {} bytes.",
                                             quote_value(name), limits.max_name_bytes)));
    }
    if (!is_valid_utf8(name)) {
      return core::unexpected(malformed_query_string(
          fmt::format("The parameter name {} is not valid UTF-8.", quote_value(name))));
    }
    if (const auto bad = form_decode(raw_value, value)) {
      return core::unexpected(malformed_query_string(fmt::format(
          "Invalid percent escape {} at byte {} of the request body (the value of parameter {}).",
          quote_value(raw_value.substr(*bad, 3)), piece_start + equals + 1 + *bad, name)));
    }
    if (!is_valid_utf8(value)) {
      return core::unexpected(malformed_query_string(
          fmt::format("The value of parameter {} is not valid UTF-8.", name)));
    }
    if (out.params_.size() >= limits.max_parameters) {
      return core::unexpected(request_entity_too_large(
          fmt::format("The request has more than {} parameters.", limits.max_parameters)));
    }
    out.params_.push_back(QueryParam{name, value});
  }
  out.sorted_.resize(out.params_.size());
  for (std::size_t i = 0; i < out.sorted_.size(); ++i) {
    out.sorted_[i] = static_cast<std::uint32_t>(i);
  }
  const auto& params = out.params_;
  std::sort(out.sorted_.begin(), out.sorted_.end(),
            [&](std::uint32_t a, std::uint32_t b) { return params[a].name < params[b].name; });
  const auto repeat = std::adjacent_find(
      out.sorted_.begin(), out.sorted_.end(),
      [&](std::uint32_t a, std::uint32_t b) { return params[a].name == params[b].name; });
  if (repeat != out.sorted_.end()) {
    return core::unexpected(malformed_query_string(
        fmt::format("The parameter {} appears more than once.", params[*repeat].name)));
  }
  return out;
}

std::span<const std::uint32_t> QueryParams::with_prefix(std::string_view prefix) const {
  const auto first = std::lower_bound(
      sorted_.begin(), sorted_.end(), prefix,
      [&](std::uint32_t i, std::string_view p) { return std::string_view(params_[i].name) < p; });
  const auto last = std::partition_point(first, sorted_.end(), [&](std::uint32_t i) {
    return std::string_view(params_[i].name).starts_with(prefix);
  });
  return {first, last};
}

const std::string* QueryParams::find(std::string_view name) const {
  const auto range = with_prefix(name);
  if (range.empty() || params_[range.front()].name != name) return nullptr;
  return &params_[range.front()].value;
}

QueryView QueryParams::view() const {
  return QueryView(*this, std::string());
}

// --- QueryView: scalars ---

std::string QueryView::full_name(std::string_view name) const {
  std::string full = prefix_;
  full += name;
  return full;
}

const std::string* QueryView::find(std::string_view name) const {
  return params_->find(full_name(name));
}

bool QueryView::has(std::string_view name) const {
  const std::string full = full_name(name);
  if (params_->find(full) != nullptr) return true;
  return !params_->with_prefix(full + ".").empty();
}

std::optional<std::string> QueryView::string(std::string_view name) const {
  const std::string* value = find(name);
  if (value == nullptr) return std::nullopt;
  return *value;
}

core::Result<std::optional<std::int64_t>, WireError> QueryView::integer(
    std::string_view name) const {
  const std::string* text = find(name);
  if (text == nullptr) return std::optional<std::int64_t>();
  const bool plain = !text->empty() &&
                     std::all_of(text->begin() + ((*text)[0] == '-' ? 1 : 0), text->end(),
                                 [](char c) { return core::is_ascii_digit(c); }) &&
                     *text != "-";
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (!plain || ec != std::errc() || end != text->data() + text->size()) {
    return core::unexpected(bad_value(full_name(name), *text, "an integer"));
  }
  return std::optional<std::int64_t>(value);
}

core::Result<std::optional<double>, WireError> QueryView::number(std::string_view name) const {
  const std::string* text = find(name);
  if (text == nullptr) return std::optional<double>();
  const std::optional<double> value = core::parse_pattern_number(*text);
  if (!value) return core::unexpected(bad_value(full_name(name), *text, "a finite number"));
  return value;
}

core::Result<std::optional<bool>, WireError> QueryView::boolean(std::string_view name) const {
  const std::string* text = find(name);
  if (text == nullptr) return std::optional<bool>();
  const auto equals_lower = [&](std::string_view word) {
    return text->size() == word.size() &&
           std::equal(text->begin(), text->end(), word.begin(), [](char a, char b) {
             return (a >= 'A' && a <= 'Z' ? static_cast<char>(a - 'A' + 'a') : a) == b;
           });
  };
  if (equals_lower("true")) return std::optional<bool>(true);
  if (equals_lower("false")) return std::optional<bool>(false);
  return core::unexpected(bad_value(full_name(name), *text, "true or false"));
}

core::Result<std::optional<std::int64_t>, WireError> QueryView::timestamp(
    std::string_view name) const {
  const std::string* text = find(name);
  if (text == nullptr) return std::optional<std::int64_t>();
  const std::optional<std::int64_t> seconds = core::parse_iso8601(*text);
  if (!seconds) {
    return core::unexpected(
        bad_value(full_name(name), *text, "an ISO-8601 time such as 2026-11-27T00:00:00Z"));
  }
  return seconds;
}

namespace {

template <class T>
core::Result<T, WireError> require(core::Result<std::optional<T>, WireError> field,
                                   const std::string& full_name) {
  if (!field.ok()) return core::unexpected(std::move(field).error());
  if (!field->has_value()) return core::unexpected(missing_parameter(full_name));
  return std::move(**field);
}

}  // namespace

core::Result<std::string, WireError> QueryView::required_string(std::string_view name) const {
  const std::string* value = find(name);
  if (value == nullptr) return core::unexpected(missing_parameter(full_name(name)));
  return *value;
}

core::Result<std::int64_t, WireError> QueryView::required_integer(std::string_view name) const {
  return require(integer(name), full_name(name));
}

core::Result<double, WireError> QueryView::required_number(std::string_view name) const {
  return require(number(name), full_name(name));
}

core::Result<bool, WireError> QueryView::required_boolean(std::string_view name) const {
  return require(boolean(name), full_name(name));
}

core::Result<std::int64_t, WireError> QueryView::required_timestamp(std::string_view name) const {
  return require(timestamp(name), full_name(name));
}

// --- QueryView: lists and maps ---

core::Result<std::uint32_t, WireError> QueryView::element_count(std::string_view name,
                                                                std::string_view step,
                                                                ListStyle style, bool exact) const {
  const std::string full = full_name(name);
  std::string list_prefix = full;
  if (style == ListStyle::kMember) {
    list_prefix += '.';
    list_prefix += step;
  }
  list_prefix += '.';
  const std::span<const std::uint32_t> range = params_->with_prefix(list_prefix);
  const std::string* whole = params_->find(full);
  if (whole != nullptr && !whole->empty()) {
    return core::unexpected(malformed_query_string(
        fmt::format("The parameter {} is a {}: send its members as {}N{}.", full,
                    step == "entry" ? "map" : "list", list_prefix, exact ? "" : ".<Field>")));
  }
  std::vector<std::uint32_t> indices;
  indices.reserve(range.size());
  const auto& all = params_->in_order();
  for (const std::uint32_t position : range) {
    const std::string_view param = all[position].name;
    const std::string_view rest = param.substr(list_prefix.size());
    const std::size_t dot = rest.find('.');
    const std::string_view index_text = rest.substr(0, dot);
    const std::optional<std::uint32_t> index = parse_index(index_text, params_->max_index());
    if (!index) {
      return core::unexpected(malformed_query_string(fmt::format(
          "The parameter {} has an invalid member number {}: members are numbered 1, 2, 3, ... "
          "up to {}.",
          param, quote_value(index_text), params_->max_index())));
    }
    if (exact && dot != std::string_view::npos) {
      return core::unexpected(malformed_query_string(fmt::format(
          "The parameter {} is not expected: the members of {} are strings.", param, full)));
    }
    if (!exact && dot == std::string_view::npos) {
      return core::unexpected(malformed_query_string(fmt::format(
          "The parameter {} is not expected: the members of {} are structures ({}.<Field>).", param,
          full, param)));
    }
    indices.push_back(*index);
  }
  std::sort(indices.begin(), indices.end());
  indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const auto expected = static_cast<std::uint32_t>(i + 1);
    if (indices[i] != expected) {
      return core::unexpected(malformed_query_string(fmt::format(
          "The parameter {} is missing: the members of {} are numbered from 1 without gaps, and "
          "{} was sent.",
          index_name(list_prefix, expected), full, index_name(list_prefix, indices[i]))));
    }
  }
  return static_cast<std::uint32_t>(indices.size());
}

core::Result<std::vector<std::string>, WireError> QueryView::string_list(std::string_view name,
                                                                         ListStyle style) const {
  auto count = element_count(name, "member", style, true);
  if (!count.ok()) return core::unexpected(std::move(count).error());
  std::string list_prefix = full_name(name);
  list_prefix += style == ListStyle::kMember ? ".member." : ".";
  std::vector<std::string> out;
  out.reserve(*count);
  for (std::uint32_t i = 1; i <= *count; ++i) {
    out.push_back(*params_->find(index_name(list_prefix, i)));
  }
  return out;
}

core::Result<std::vector<QueryView>, WireError> QueryView::struct_list(std::string_view name,
                                                                       ListStyle style) const {
  auto count = element_count(name, "member", style, false);
  if (!count.ok()) return core::unexpected(std::move(count).error());
  std::string list_prefix = full_name(name);
  list_prefix += style == ListStyle::kMember ? ".member." : ".";
  std::vector<QueryView> out;
  out.reserve(*count);
  for (std::uint32_t i = 1; i <= *count; ++i) {
    out.emplace_back(*params_, fmt::format("{}{}.", list_prefix, i));
  }
  return out;
}

namespace {

// A repeated key among `keys` (in entry order): the index of its second appearance.
std::optional<std::size_t> repeated_key(const std::vector<std::string_view>& keys) {
  std::vector<std::size_t> order(keys.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return keys[a] < keys[b]; });
  std::optional<std::size_t> first_repeat;
  for (std::size_t i = 1; i < order.size(); ++i) {
    if (keys[order[i]] == keys[order[i - 1]] && (!first_repeat || order[i] < *first_repeat)) {
      first_repeat = order[i];
    }
  }
  return first_repeat;
}

}  // namespace

core::Result<std::vector<std::pair<std::string, QueryView>>, WireError> QueryView::struct_map(
    std::string_view name, MapNames names, ListStyle style) const {
  auto count = element_count(name, "entry", style, false);
  if (!count.ok()) return core::unexpected(std::move(count).error());
  std::string map_prefix = full_name(name);
  map_prefix += style == ListStyle::kMember ? ".entry." : ".";
  std::vector<std::pair<std::string, QueryView>> out;
  out.reserve(*count);
  std::vector<std::string_view> keys;
  keys.reserve(*count);
  for (std::uint32_t i = 1; i <= *count; ++i) {
    const std::string key_name = fmt::format("{}{}.{}", map_prefix, i, names.key);
    const std::string* key = params_->find(key_name);
    if (key == nullptr) {
      return core::unexpected(malformed_query_string(
          fmt::format("The parameter {} is missing: every entry of {} needs its key.", key_name,
                      full_name(name))));
    }
    keys.push_back(*key);
    out.emplace_back(*key,
                     QueryView(*params_, fmt::format("{}{}.{}.", map_prefix, i, names.value)));
  }
  if (const auto repeat = repeated_key(keys)) {
    return core::unexpected(invalid_parameter_value(fmt::format(
        "The key {} appears more than once in {} (at {}{}.{}).", quote_value(keys[*repeat]),
        full_name(name), map_prefix, *repeat + 1, names.key)));
  }
  return out;
}

core::Result<std::vector<std::pair<std::string, std::string>>, WireError> QueryView::string_map(
    std::string_view name, MapNames names, ListStyle style) const {
  auto entries = struct_map(name, names, style);
  if (!entries.ok()) return core::unexpected(std::move(entries).error());
  std::vector<std::pair<std::string, std::string>> out;
  out.reserve(entries->size());
  for (auto& [key, value_view] : *entries) {
    // The value view's prefix is "<entry>.<value>."; the value itself is that without the dot.
    const std::string value_name = value_view.prefix().substr(0, value_view.prefix().size() - 1);
    const std::string* value = params_->find(value_name);
    if (value == nullptr) {
      return core::unexpected(malformed_query_string(
          fmt::format("The parameter {} is missing: every entry of {} needs its value.", value_name,
                      full_name(name))));
    }
    const std::span<const std::uint32_t> below = params_->with_prefix(value_view.prefix());
    if (!below.empty()) {
      return core::unexpected(malformed_query_string(
          fmt::format("The parameter {} is not expected: the values of {} are strings.",
                      params_->in_order()[below.front()].name, full_name(name))));
    }
    out.emplace_back(std::move(key), *value);
  }
  return out;
}

// --- encoding ---

void append_form_encoded(std::string& out, std::string_view text) {
  constexpr char kHex[] = "0123456789ABCDEF";
  for (const char c : text) {
    if (core::is_ascii_alnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else if (c == ' ') {
      out += '+';
    } else {
      const auto byte = static_cast<std::uint8_t>(c);
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
}

std::string form_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_form_encoded(out, text);
  return out;
}

QueryBuilder& QueryBuilder::add(std::string_view name, std::string_view value) {
  if (!body_.empty()) body_ += '&';
  append_form_encoded(body_, name);
  body_ += '=';
  append_form_encoded(body_, value);
  return *this;
}

QueryBuilder& QueryBuilder::add_list(std::string_view name, std::span<const std::string> values,
                                     ListStyle style) {
  if (values.empty()) {
    if (style == ListStyle::kMember) add(name, "");
    return *this;
  }
  const std::string_view step = style == ListStyle::kMember ? ".member." : ".";
  for (std::size_t i = 0; i < values.size(); ++i) {
    add(fmt::format("{}{}{}", name, step, i + 1), values[i]);
  }
  return *this;
}

QueryBuilder& QueryBuilder::add_map(std::string_view name,
                                    std::span<const std::pair<std::string, std::string>> entries,
                                    MapNames names, ListStyle style) {
  if (entries.empty()) {
    if (style == ListStyle::kMember) add(name, "");
    return *this;
  }
  const std::string_view step = style == ListStyle::kMember ? ".entry." : ".";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    add(fmt::format("{}{}{}.{}", name, step, i + 1, names.key), entries[i].first);
    add(fmt::format("{}{}{}.{}", name, step, i + 1, names.value), entries[i].second);
  }
  return *this;
}

}  // namespace sgwatch::aws
