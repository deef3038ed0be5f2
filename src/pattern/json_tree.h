// A parsed JSON event as a flat array of nodes in document order, built with simdjson's
// On-Demand API and an explicit stack (no recursion over the event's nesting). Unlike a DOM it
// keeps each number's lexeme as written, which string comparisons need ("1" is not "1.0").
// Strings and keys are unescaped views into the parser's buffers: valid until the next parse().
// Neighbours: subject.h owns one; matcher.cpp and metric_filter.cpp walk it.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace sgwatch::pattern {

enum class JsonType : std::uint8_t { kNull, kTrue, kFalse, kNumber, kString, kArray, kObject };

struct JsonNode {
  JsonType type = JsonType::kNull;
  std::uint32_t end = 0;   // index one past this node's last descendant
  std::string_view key;    // the member name when the parent is an object
  std::string_view text;   // kString: unescaped value; kNumber: lexeme as written
  double number = 0;       // kNumber: the value
};

class JsonTree {
 public:
  // Deepest nesting accepted; deeper documents are treated as not JSON.
  static constexpr std::size_t kMaxDepth = 1024;

  JsonTree();
  ~JsonTree();
  JsonTree(const JsonTree&) = delete;
  JsonTree& operator=(const JsonTree&) = delete;

  // Parses `json`. True when it is one valid JSON value (surrounding whitespace allowed);
  // false leaves the tree empty.
  bool parse(std::string_view json);

  bool empty() const { return nodes_.empty(); }
  std::uint32_t size() const { return static_cast<std::uint32_t>(nodes_.size()); }
  const JsonNode& operator[](std::uint32_t index) const { return nodes_[index]; }
  // Children of node i are i+1, then each child's `end`, until node i's `end`.
  std::uint32_t first_child(std::uint32_t index) const { return index + 1; }

  // Name of the simdjson kernel in use ("haswell" or "fallback").
  static std::string_view kernel();

 private:
  struct Parsers;
  std::unique_ptr<Parsers> parsers_;
  std::vector<char> buffer_;  // the event copied with simdjson's padding
  std::vector<JsonNode> nodes_;
};

}  // namespace sgwatch::pattern
