// Implementation of json_tree.h. simdjson's On-Demand API runs the kernel chosen at compile time
// (haswell when the build targets x86-64-v3, see SGWATCH_ARCH in CMakeLists.txt; else fallback).
#include "pattern/json_tree.h"

#include <simdjson.h>

#include <cstring>

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
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\n' ||
                          raw.back() == '\r')) {
    raw.remove_suffix(1);
  }
  return raw;
}

// Appends `value` to `nodes`; containers push a frame. Returns false on any JSON error.
bool visit(od::value value, std::string_view key, std::vector<JsonNode>& nodes,
                  std::vector<Frame>& stack) {
  od::json_type type;
  if (value.type().get(type) != simdjson::SUCCESS) return false;
  JsonNode node;
  node.key = key;
  const auto index = static_cast<std::uint32_t>(nodes.size());
  switch (type) {
    case od::json_type::object: {
      od::object object;
      if (value.get_object().get(object) != simdjson::SUCCESS) return false;
      Frame frame;
      frame.is_object = true;
      frame.node = index;
      if (object.begin().get(frame.object_it) != simdjson::SUCCESS) return false;
      if (object.end().get(frame.object_end) != simdjson::SUCCESS) return false;
      node.type = JsonType::kObject;
      nodes.push_back(node);
      stack.push_back(frame);
      return true;
    }
    case od::json_type::array: {
      od::array array;
      if (value.get_array().get(array) != simdjson::SUCCESS) return false;
      Frame frame;
      frame.node = index;
      if (array.begin().get(frame.array_it) != simdjson::SUCCESS) return false;
      if (array.end().get(frame.array_end) != simdjson::SUCCESS) return false;
      node.type = JsonType::kArray;
      nodes.push_back(node);
      stack.push_back(frame);
      return true;
    }
    case od::json_type::number: {
      node.type = JsonType::kNumber;
      node.text = trim_token(value.raw_json_token());
      if (value.get_double().get(node.number) != simdjson::SUCCESS) return false;
      break;
    }
    case od::json_type::string: {
      node.type = JsonType::kString;
      if (value.get_string().get(node.text) != simdjson::SUCCESS) return false;
      break;
    }
    case od::json_type::boolean: {
      bool flag = false;
      if (value.get_bool().get(flag) != simdjson::SUCCESS) return false;
      node.type = flag ? JsonType::kTrue : JsonType::kFalse;
      break;
    }
    case od::json_type::null: {
      bool is_null = false;
      if (value.is_null().get(is_null) != simdjson::SUCCESS || !is_null) return false;
      node.type = JsonType::kNull;
      break;
    }
  }
  node.end = index + 1;
  nodes.push_back(node);
  return true;
}

bool build(od::parser& parser, const char* data, std::size_t length, std::size_t capacity,
                  std::vector<JsonNode>& nodes, std::vector<Frame>& stack) {
  nodes.clear();
  stack.clear();
  od::document doc;
  if (parser.iterate(data, length, capacity).get(doc) != simdjson::SUCCESS) return false;
  od::value root;
  if (doc.get_value().get(root) != simdjson::SUCCESS) return false;
  if (!visit(root, {}, nodes, stack)) return false;
  while (!stack.empty()) {
    Frame& frame = stack.back();
    if (frame.is_object) {
      if (frame.started) ++frame.object_it;
      frame.started = true;
      if (frame.object_it == frame.object_end) {
        nodes[frame.node].end = static_cast<std::uint32_t>(nodes.size());
        stack.pop_back();
        continue;
      }
      od::field field;
      if ((*frame.object_it).get(field) != simdjson::SUCCESS) return false;
      std::string_view key;
      if (field.unescaped_key().get(key) != simdjson::SUCCESS) return false;
      if (!visit(field.value(), key, nodes, stack)) return false;
    } else {
      if (frame.started) ++frame.array_it;
      frame.started = true;
      if (frame.array_it == frame.array_end) {
        nodes[frame.node].end = static_cast<std::uint32_t>(nodes.size());
        stack.pop_back();
        continue;
      }
      od::value element;
      if ((*frame.array_it).get(element) != simdjson::SUCCESS) return false;
      if (!visit(element, {}, nodes, stack)) return false;
    }
  }
  // Anything after the root value makes the text something other than one JSON value.
  const char* location = nullptr;
  return doc.current_location().get(location) == simdjson::OUT_OF_BOUNDS;
}

class Builder {
 public:
  Builder() : parser_(simdjson::SIMDJSON_MAXSIZE_BYTES) {
    static_assert(JsonTree::kMaxDepth == simdjson::DEFAULT_MAX_DEPTH);
  }
  bool run(const char* data, std::size_t length, std::size_t capacity,
           std::vector<JsonNode>& nodes) {
    const bool ok = build(parser_, data, length, capacity, nodes, stack_);
    if (!ok) nodes.clear();
    return ok;
  }

 private:
  od::parser parser_;
  std::vector<Frame> stack_;
};


}  // namespace

struct JsonTree::Parsers {
  Builder builder;
};

JsonTree::JsonTree() : parsers_(std::make_unique<Parsers>()) {}
JsonTree::~JsonTree() = default;

std::string_view JsonTree::kernel() { return simdjson::builtin_implementation()->name(); }

bool JsonTree::parse(std::string_view json) {
  const std::size_t capacity = json.size() + simdjson::SIMDJSON_PADDING;
  if (buffer_.size() < capacity) buffer_.resize(capacity);
  std::memcpy(buffer_.data(), json.data(), json.size());
  std::memset(buffer_.data() + json.size(), 0, simdjson::SIMDJSON_PADDING);
  return parsers_->builder.run(buffer_.data(), json.size(), capacity, nodes_);
}

}  // namespace sgwatch::pattern
