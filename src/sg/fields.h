// Fields: typed reads of a parsed CloudTrail record for the normalizer, tolerant of the shapes
// CloudTrail really writes and recording every surprise instead of failing: a member of the
// wrong type is read as absent and named in `problems` (the change is then flagged
// unknown_shape). Lists are read in all their renderings: {"items": [...]}, {"item": [...]},
// {} (empty), a plain array. Members are found by their lowerCamelCase name or, failing that, a name equal
// but for ASCII case (the PascalCase `<Action>Request` wrappers of newer EC2 actions). Internal to the sg module.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sgwatch::sg::detail {

using Json = nlohmann::json;

class Fields {
 public:
  // The member `name` (or one equal to it but for case) of `object`; nullptr when `object` is not an
  // object or has neither. A JSON null member is returned as nullptr too.
  static const Json* member(const Json* object, std::string_view name);

  // A string member; "" when absent or null. Numbers and booleans are a problem at `path`.
  std::string text(const Json* value, std::string_view path);
  // An integer: a JSON integer, or a decimal string ("22", as some fixtures write ports).
  std::optional<long long> integer(const Json* value, std::string_view path);
  // A boolean, or the strings "true"/"false".
  std::optional<bool> boolean(const Json* value, std::string_view path);
  // The elements of a list in any of its renderings; an absent list or {} is empty.
  std::vector<const Json*> items(const Json* list, std::string_view path);
  // Strings of a list of strings, or of a list of objects holding the string in `key`
  // ({"items": [{"groupId": "sg-1"}]}).
  std::vector<std::string> strings(const Json* list, std::string_view key, std::string_view path);

  void problem(std::string text);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// True when `text` nests arrays and objects deeper than `limit` (strings are skipped).
bool nests_deeper_than(std::string_view text, std::size_t limit);

}  // namespace sgwatch::sg::detail
