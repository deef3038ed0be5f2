// Typed, tolerant reads of CloudTrail members (see fields.h).
#include "sg/fields.h"

#include <fmt/format.h>

#include <limits>

#include "core/text.h"

namespace sgwatch::sg::detail {
namespace {

std::string_view type_of(const Json& value) {
  switch (value.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float: return "a number";
    case Json::value_t::null: return "null";
    default: return "not a JSON value";
  }
}

std::optional<long long> parse_decimal(std::string_view text) {
  std::size_t k = 0;
  bool negative = false;
  if (!text.empty() && text[0] == '-') {
    negative = true;
    k = 1;
  }
  if (k == text.size() || text.size() - k > 12) return std::nullopt;
  long long value = 0;
  for (; k < text.size(); ++k) {
    if (!core::is_ascii_digit(text[k])) return std::nullopt;
    value = value * 10 + (text[k] - '0');
  }
  return negative ? -value : value;
}

char lower_ascii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

const Json* Fields::member(const Json* object, std::string_view name) {
  if (object == nullptr || !object->is_object() || name.empty()) return nullptr;
  auto found = object->find(std::string(name));
  if (found == object->end()) {
    // The PascalCase twin and other spellings (Panther's "vPCSecurityGroupIds"): a key equal
    // but for ASCII case.
    auto equal_but_case = [&](const std::string& key) {
      if (key.size() != name.size()) return false;
      for (std::size_t k = 0; k < key.size(); ++k) {
        if (lower_ascii(key[k]) != lower_ascii(name[k])) return false;
      }
      return true;
    };
    for (found = object->begin(); found != object->end(); ++found) {
      if (equal_but_case(found.key())) break;
    }
    if (found == object->end()) return nullptr;
  }
  if (found->is_null()) return nullptr;
  return &*found;
}

std::string Fields::text(const Json* value, std::string_view path) {
  if (value == nullptr || value->is_null()) return {};
  if (value->is_string()) return value->get_ref<const std::string&>();
  problem(fmt::format("{} is {}, not a string", path, type_of(*value)));
  return {};
}

std::optional<long long> Fields::integer(const Json* value, std::string_view path) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_number_integer() && !value->is_number_unsigned()) return value->get<long long>();
  if (value->is_number_unsigned()) {
    const auto u = value->get<unsigned long long>();
    if (u <= static_cast<unsigned long long>(std::numeric_limits<long long>::max())) {
      return static_cast<long long>(u);
    }
  }
  if (value->is_string()) {
    if (auto parsed = parse_decimal(value->get_ref<const std::string&>())) return parsed;
    problem(fmt::format("{} is the string '{}', not a number", path,
                        core::printable(value->get_ref<const std::string&>(), 20)));
    return std::nullopt;
  }
  problem(fmt::format("{} is {}, not an integer", path, type_of(*value)));
  return std::nullopt;
}

std::optional<bool> Fields::boolean(const Json* value, std::string_view path) {
  if (value == nullptr || value->is_null()) return std::nullopt;
  if (value->is_boolean()) return value->get<bool>();
  if (value->is_string()) {
    const std::string& s = value->get_ref<const std::string&>();
    if (s == "true") return true;
    if (s == "false") return false;
  }
  problem(fmt::format("{} is {}, not a boolean", path, type_of(*value)));
  return std::nullopt;
}

std::vector<const Json*> Fields::items(const Json* list, std::string_view path) {
  std::vector<const Json*> out;
  if (list == nullptr || list->is_null()) return out;
  const Json* array = list;
  if (list->is_object()) {
    array = member(list, "items");
    if (array == nullptr) array = member(list, "item");
    if (array == nullptr) {
      if (!list->empty()) problem(fmt::format("{} is an object without items", path));
      return out;
    }
  }
  if (!array->is_array()) {
    problem(fmt::format("{} holds {}, not a list", path, type_of(*array)));
    return out;
  }
  out.reserve(array->size());
  for (const Json& element : *array) out.push_back(&element);
  return out;
}

std::vector<std::string> Fields::strings(const Json* list, std::string_view key, std::string_view path) {
  std::vector<std::string> out;
  if (list != nullptr && list->is_string()) {
    out.push_back(list->get_ref<const std::string&>());
    return out;
  }
  const std::vector<const Json*> elements = items(list, path);
  out.reserve(elements.size());
  for (const Json* element : elements) {
    if (element->is_string()) {
      out.push_back(element->get_ref<const std::string&>());
    } else if (element->is_object()) {
      std::string value = text(member(element, key), fmt::format("{}[].{}", path, key));
      if (!value.empty()) out.push_back(std::move(value));
    } else {
      problem(fmt::format("{} has {} element", path, type_of(*element)));
    }
  }
  return out;
}

void Fields::problem(std::string text) {
  if (problems_.size() < 20) problems_.push_back(std::move(text));
}

bool nests_deeper_than(std::string_view text, std::size_t limit) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t k = 0; k < text.size(); ++k) {
    const char c = text[k];
    if (in_string) {
      if (c == '\\') {
        ++k;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > limit) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

}  // namespace sgwatch::sg::detail
