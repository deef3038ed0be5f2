// Implementation of json_tree.h. simdjson's On-Demand API runs the kernel chosen at compile time
// (haswell when the build targets x86-64-v3, see SGWATCH_ARCH in CMakeLists.txt; else fallback).
// Where simdjson is stricter than the Jackson parser AWS runs on, the builder falls back so that
// such events stay visible to JSON patterns: a number beyond the double range reads as +-inf,
// and a string or key with a lone UTF-16 surrogate escape is unescaped here with U+FFFD.
#include "pattern/json_tree.h"

#include "core/json_string.h"

#include <simdjson.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <string>
#include <type_traits>

#include "core/text.h"

namespace sgwatch::pattern {
namespace {

namespace od = simdjson::ondemand;

struct Frame {
  bool is_object = false;
  bool started = false;
  std::uint32_t node = 0;
  od::object_iterator object_it{};
  od::object_iterator object_end{};
  od::array_iterator array_it{};
  od::array_iterator array_end{};
};

std::string_view trim_token(std::string_view raw) {
  while (!raw.empty() && core::is_pattern_space(raw.back())) raw.remove_suffix(1);
  return raw;
}

// RFC 8259 number grammar: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n) return false;
  if (s[i] == '0') {
    ++i;
  } else if (s[i] >= '1' && s[i] <= '9') {
    while (i < n && core::is_ascii_digit(s[i])) ++i;
  } else {
    return false;
  }
  if (i < n && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < n && core::is_ascii_digit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    const std::size_t start = i;
    while (i < n && core::is_ascii_digit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == n;
}

// The value of a valid JSON number lexeme. Beyond the double range it is +-inf (or 0 for
// underflow), as Jackson reads it.
double lexeme_value(std::string_view lexeme) {
  double value = 0;
  const auto [end, ec] = std::from_chars(lexeme.data(), lexeme.data() + lexeme.size(), value);
  if (ec == std::errc::result_out_of_range) {
    const std::string copy(lexeme);
    return std::strtod(copy.c_str(), nullptr);
  }
  return value;
}

// Unescapes a raw JSON string token (with its quotes), replacing unpaired surrogate escapes with
// U+FFFD as Jackson-based readers do. False when the token is malformed otherwise.
bool unescape_lenient(std::string_view raw, std::string& out) {
  return core::decode_json_string(trim_token(raw), out);
}

class Builder {
 public:
  // simdjson's own depth limit sits above ours (kMaxDepth containers, the document level and
  // one more), so that the stack guard in visit() is what stops a deep document: simdjson's
  // development checks, on in unoptimized builds, assert when its limit is reached first.
  Builder() : parser_(simdjson::SIMDJSON_MAXSIZE_BYTES) {
    [[maybe_unused]] const auto allocated = parser_.allocate(4096, JsonTree::kMaxDepth + 2);
  }

  bool run(const char* data, std::size_t length, std::size_t capacity,
           std::vector<JsonNode>& nodes) {
    nodes.clear();
    stack_.clear();
    arena_.clear();
    const bool ok = build(data, length, capacity, nodes);
    if (!ok) nodes.clear();
    return ok;
  }

 private:
  // Text that simdjson could not hand out itself; a deque keeps views into it valid.
  std::string_view keep(std::string text) {
    arena_.push_back(std::move(text));
    return arena_.back();
  }

  template <class Source>
  bool read_string(Source& source, std::string_view& out) {
    // Without escapes the value is the raw text between the quotes: a view, no copy. (The raw
    // token runs to the next structural character, so it holds the whole string.) Only inside a
    // container: there the iterator skips the unread value, while a scalar document must be read.
    const std::string_view raw = trim_token(source.raw_json_token());
    if (!std::is_same_v<Source, od::document> && raw.size() >= 2 && raw.back() == '"' &&
        std::memchr(raw.data(), '\\', raw.size()) == nullptr) {
      out = raw.substr(1, raw.size() - 2);
      return true;
    }
    if (source.get_string().get(out) == simdjson::SUCCESS) return true;
    std::string text;
    if (!unescape_lenient(source.raw_json_token(), text)) return false;
    out = keep(std::move(text));
    return true;
  }

  template <class Source>
  bool read_number(Source& source, JsonNode& node) {
    node.text = trim_token(source.raw_json_token());
    if (!is_json_number(node.text)) return false;
    node.number = lexeme_value(node.text);
    // A scalar document must be consumed to reach its end; an out-of-range number cannot be
    // (such a document is not an object, so no JSON pattern would match it anyway).
    double consumed = 0;
    return source.get_double().get(consumed) == simdjson::SUCCESS ||
           !std::is_same_v<Source, od::document>;
  }

  // Reads a scalar (value or scalar document) into `node`; false on a JSON error.
  template <class Source>
  bool read_scalar(Source& source, od::json_type type, JsonNode& node) {
    switch (type) {
      case od::json_type::number:
        node.type = JsonType::kNumber;
        return read_number(source, node);
      case od::json_type::string:
        node.type = JsonType::kString;
        return read_string(source, node.text);
      case od::json_type::boolean: {
        bool flag = false;
        if (source.get_bool().get(flag) != simdjson::SUCCESS) return false;
        node.type = flag ? JsonType::kTrue : JsonType::kFalse;
        return true;
      }
      case od::json_type::null: {
        bool is_null = false;
        if (source.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return false;
        node.type = JsonType::kNull;
        return true;
      }
      default:
        return false;
    }
  }

  // Appends `value` to `nodes`; containers push a frame. Returns false on any JSON error.
  // Scalars are classified by the first byte of their raw token and validated here, so that the
  // container iterator can skip them without a second look (cheaper than type() + get_*()).
  bool visit(od::value value, std::string_view key, std::vector<JsonNode>& nodes) {
    const std::string_view raw = trim_token(value.raw_json_token());
    if (raw.empty()) return false;
    JsonNode node;
    node.key = key;
    const auto index = static_cast<std::uint32_t>(nodes.size());
    switch (raw.front()) {
      case '{':
      case '[': {
        if (stack_.size() >= JsonTree::kMaxDepth) return false;
        Frame frame;
        frame.node = index;
        if (raw.front() == '{') {
          od::object object;
          if (value.get_object().get(object) != simdjson::SUCCESS) return false;
          frame.is_object = true;
          if (object.begin().get(frame.object_it) != simdjson::SUCCESS) return false;
          if (object.end().get(frame.object_end) != simdjson::SUCCESS) return false;
          node.type = JsonType::kObject;
        } else {
          od::array array;
          if (value.get_array().get(array) != simdjson::SUCCESS) return false;
          if (array.begin().get(frame.array_it) != simdjson::SUCCESS) return false;
          if (array.end().get(frame.array_end) != simdjson::SUCCESS) return false;
          node.type = JsonType::kArray;
        }
        nodes.push_back(node);
        stack_.push_back(frame);
        return true;
      }
      case '"':
        node.type = JsonType::kString;
        if (!read_string(value, node.text)) return false;
        break;
      case 't':
        if (raw != "true") return false;
        node.type = JsonType::kTrue;
        break;
      case 'f':
        if (raw != "false") return false;
        node.type = JsonType::kFalse;
        break;
      case 'n':
        if (raw != "null") return false;
        node.type = JsonType::kNull;
        break;
      default:
        if (!is_json_number(raw)) return false;
        node.type = JsonType::kNumber;
        node.text = raw;
        node.number = lexeme_value(raw);
        break;
    }
    node.end = index + 1;
    nodes.push_back(node);
    return true;
  }

  bool build(const char* data, std::size_t length, std::size_t capacity,
             std::vector<JsonNode>& nodes) {
    od::document doc;
    if (parser_.iterate(data, length, capacity).get(doc) != simdjson::SUCCESS) return false;
    od::json_type root_type;
    if (doc.type().get(root_type) != simdjson::SUCCESS) return false;
    if (root_type != od::json_type::object && root_type != od::json_type::array) {
      JsonNode node;
      if (!read_scalar(doc, root_type, node)) return false;
      node.end = 1;
      nodes.push_back(node);
      return at_end(doc);
    }
    od::value root;
    if (doc.get_value().get(root) != simdjson::SUCCESS) return false;
    if (!visit(root, {}, nodes)) return false;
    while (!stack_.empty()) {
      Frame& frame = stack_.back();
      const bool done = frame.is_object ? advance(frame, frame.object_it, frame.object_end)
                                        : advance(frame, frame.array_it, frame.array_end);
      if (done) {
        nodes[frame.node].end = static_cast<std::uint32_t>(nodes.size());
        stack_.pop_back();
        continue;
      }
      if (frame.is_object) {
        od::field field;
        if ((*frame.object_it).get(field) != simdjson::SUCCESS) return false;
        std::string_view key;
        if (!read_key(field, key)) return false;
        if (!visit(field.value(), key, nodes)) return false;
      } else {
        od::value element;
        if ((*frame.array_it).get(element) != simdjson::SUCCESS) return false;
        if (!visit(element, {}, nodes)) return false;
      }
    }
    return at_end(doc);
  }

  // Moves a frame to its next child (the first on the first call); true when there is none.
  template <class Iterator>
  static bool advance(Frame& frame, Iterator& it, const Iterator& end) {
    if (frame.started) ++it;
    frame.started = true;
    return it == end;
  }

  // A member name. Without escapes it is a view of the input itself (no copy); with escapes it
  // is unescaped here, leniently (simdjson 3.0's unescaped_key() mishandles a lone surrogate).
  // The structural pass guarantees the closing quote.
  bool read_key(od::field& field, std::string_view& key) {
    const char* content = field.key().raw();
    const char* p = content;
    bool escaped = false;
    while (*p != '"') {
      if (*p == '\\') {
        escaped = true;
        ++p;
      }
      ++p;
    }
    const auto length = static_cast<std::size_t>(p - content);
    if (!escaped) {
      key = std::string_view(content, length);
      return true;
    }
    std::string text;
    if (!unescape_lenient(std::string_view(content - 1, length + 2), text)) return false;
    key = keep(std::move(text));
    return true;
  }

  // Anything after the root value makes the text something other than one JSON value.
  static bool at_end(od::document& doc) {
    const char* location = nullptr;
    return doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
  }

  od::parser parser_;
  std::vector<Frame> stack_;
  std::deque<std::string> arena_;
};

}  // namespace

struct JsonTree::Parsers {
  Builder builder;
};

JsonTree::JsonTree() : parsers_(std::make_unique<Parsers>()) {}
JsonTree::~JsonTree() = default;

std::string_view JsonTree::kernel() {
  // The kernel this file was compiled for (builtin_implementation() would name the library's).
#define SGWATCH_STRINGIFY2(x) #x
#define SGWATCH_STRINGIFY(x) SGWATCH_STRINGIFY2(x)
  return SGWATCH_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION);
#undef SGWATCH_STRINGIFY
#undef SGWATCH_STRINGIFY2
}

bool JsonTree::parse(std::string_view json) {
  // A UTF-8 byte-order mark is not part of the JSON text (RFC 8259 section 8.1; Jackson skips it).
  if (json.substr(0, 3) == "\xEF\xBB\xBF") json.remove_prefix(3);
  const std::size_t capacity = json.size() + simdjson::SIMDJSON_PADDING;
  if (buffer_.size() < capacity) buffer_.resize(capacity);
  std::memcpy(buffer_.data(), json.data(), json.size());
  std::memset(buffer_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  return parsers_->builder.run(buffer_.data(), json.size(), capacity, nodes_);
}

}  // namespace sgwatch::pattern
