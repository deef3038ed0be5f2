// Implementation of shapes.h.
#include "api/shapes.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <optional>
#include <utility>
#include <vector>

#include "core/time.h"

namespace sgwatch::api {

namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

template <typename T>
using Result = core::Result<T, aws::WireError>;

// ---- query input ----------------------------------------------------------------------------

// One scalar of a query request, read by the QueryView reader of its kind; nullopt when absent.
Result<std::optional<Json>> query_scalar(const aws::QueryView& view, std::string_view name,
                                         const Shape& shape) {
  switch (shape.kind) {
    case ShapeKind::kString: {
      std::optional<std::string> value = view.string(name);
      if (!value) return std::optional<Json>();
      return std::optional<Json>(Json(std::move(*value)));
    }
    case ShapeKind::kInteger: {
      auto value = view.integer(name);
      if (!value) return core::unexpected(std::move(value).error());
      if (!*value) return std::optional<Json>();
      return std::optional<Json>(Json(**value));
    }
    case ShapeKind::kDouble: {
      auto value = view.number(name);
      if (!value) return core::unexpected(std::move(value).error());
      if (!*value) return std::optional<Json>();
      return std::optional<Json>(Json(**value));
    }
    case ShapeKind::kBoolean: {
      auto value = view.boolean(name);
      if (!value) return core::unexpected(std::move(value).error());
      if (!*value) return std::optional<Json>();
      return std::optional<Json>(Json(**value));
    }
    case ShapeKind::kTimestamp: {
      auto value = view.timestamp(name);
      if (!value) return core::unexpected(std::move(value).error());
      if (!*value) return std::optional<Json>();
      return std::optional<Json>(Json(**value));
    }
    case ShapeKind::kList:
    case ShapeKind::kStructure:
    case ShapeKind::kMap:
      break;
  }
  return std::optional<Json>();
}

Result<Json> query_structure(const aws::QueryParams& params, const aws::QueryView& view,
                             const Shape& shape);

Result<std::optional<Json>> query_member(const aws::QueryParams& params, const aws::QueryView& view,
                                         const Member& member) {
  const Shape& shape = *member.shape;
  const std::string_view name = member.name;
  switch (shape.kind) {
    case ShapeKind::kList: {
      if (!view.has(name)) return std::optional<Json>();
      Json out = Json::array();
      const Shape& element = *shape.element;
      if (element.kind == ShapeKind::kStructure) {
        auto views = view.struct_list(name);
        if (!views) return core::unexpected(std::move(views).error());
        for (const aws::QueryView& item : *views) {
          auto value = query_structure(params, item, element);
          if (!value) return core::unexpected(std::move(value).error());
          out.push_back(std::move(*value));
        }
        return std::optional<Json>(std::move(out));
      }
      auto items = view.string_list(name);  // checks the numbering 1..N
      if (!items) return core::unexpected(std::move(items).error());
      if (element.kind == ShapeKind::kString) {
        for (std::string& item : *items) out.push_back(std::move(item));
        return std::optional<Json>(std::move(out));
      }
      for (std::size_t i = 1; i <= items->size(); ++i) {
        auto value = query_scalar(view, fmt::format("{}.member.{}", name, i), element);
        if (!value) return core::unexpected(std::move(value).error());
        if (*value) out.push_back(std::move(**value));
      }
      return std::optional<Json>(std::move(out));
    }
    case ShapeKind::kMap: {
      if (!view.has(name)) return std::optional<Json>();
      auto entries = view.string_map(name);
      if (!entries) return core::unexpected(std::move(entries).error());
      Json out = Json::object();
      for (auto& [key, value] : *entries) out[key] = std::move(value);
      return std::optional<Json>(std::move(out));
    }
    case ShapeKind::kStructure: {
      if (!view.has(name)) return std::optional<Json>();
      const aws::QueryView inner(params, fmt::format("{}{}.", view.prefix(), name));
      auto value = query_structure(params, inner, shape);
      if (!value) return core::unexpected(std::move(value).error());
      return std::optional<Json>(std::move(*value));
    }
    case ShapeKind::kString:
    case ShapeKind::kInteger:
    case ShapeKind::kDouble:
    case ShapeKind::kBoolean:
    case ShapeKind::kTimestamp:
      break;
  }
  return query_scalar(view, name, shape);
}

Result<Json> query_structure(const aws::QueryParams& params, const aws::QueryView& view,
                             const Shape& shape) {
  Json out = Json::object();
  for (const Member& member : shape.members) {
    auto value = query_member(params, view, member);
    if (!value) return core::unexpected(std::move(value).error());
    if (*value) out[std::string(member.name)] = std::move(**value);
  }
  return out;
}

// ---- JSON input -----------------------------------------------------------------------------

aws::WireError wrong_type(const std::string& path, std::string_view expected) {
  return aws::serialization_exception(fmt::format("{} must be {}.", path, expected));
}

Result<Json> json_value(const Json& value, const Shape& shape, const std::string& path) {
  switch (shape.kind) {
    case ShapeKind::kString:
      if (!value.is_string()) return core::unexpected(wrong_type(path, "a string"));
      return value;
    case ShapeKind::kInteger:
      if (value.is_number_integer()) return value;
      if (value.is_number_float()) {
        const double number = value.get<double>();
        if (std::isfinite(number) && std::floor(number) == number && std::fabs(number) < 9.0e15) {
          return Json(static_cast<std::int64_t>(number));
        }
      }
      return core::unexpected(wrong_type(path, "an integer"));
    case ShapeKind::kDouble:
      if (!value.is_number()) return core::unexpected(wrong_type(path, "a number"));
      return Json(value.get<double>());
    case ShapeKind::kBoolean:
      if (!value.is_boolean()) return core::unexpected(wrong_type(path, "a boolean"));
      return value;
    case ShapeKind::kTimestamp:
      // botocore sends epoch seconds; ISO-8601 strings are accepted as well.
      if (value.is_number()) return value;
      if (value.is_string()) {
        const std::optional<std::int64_t> seconds = core::parse_iso8601(value.get<std::string>());
        if (seconds) return Json(*seconds);
      }
      return core::unexpected(wrong_type(path, "a timestamp (epoch seconds)"));
    case ShapeKind::kList: {
      if (!value.is_array()) return core::unexpected(wrong_type(path, "a list"));
      Json out = Json::array();
      std::size_t index = 0;
      for (const Json& item : value) {
        ++index;
        if (item.is_null()) continue;
        auto converted = json_value(item, *shape.element, fmt::format("{}.member.{}", path, index));
        if (!converted) return core::unexpected(std::move(converted).error());
        out.push_back(std::move(*converted));
      }
      return out;
    }
    case ShapeKind::kMap: {
      if (!value.is_object()) return core::unexpected(wrong_type(path, "a map"));
      Json out = Json::object();
      for (const auto& [key, item] : value.items()) {
        if (item.is_null()) continue;
        auto converted = json_value(item, *shape.element, fmt::format("{}.{}", path, key));
        if (!converted) return core::unexpected(std::move(converted).error());
        out[key] = std::move(*converted);
      }
      return out;
    }
    case ShapeKind::kStructure: {
      if (!value.is_object()) return core::unexpected(wrong_type(path, "a structure"));
      Json out = Json::object();
      for (const Member& member : shape.members) {
        const auto it = value.find(std::string(member.name));
        if (it == value.end() || it->is_null()) continue;
        const std::string inner =
            path.empty() ? std::string(member.name) : fmt::format("{}.{}", path, member.name);
        auto converted = json_value(*it, *member.shape, inner);
        if (!converted) return core::unexpected(std::move(converted).error());
        out[std::string(member.name)] = std::move(*converted);
      }
      return out;
    }
  }
  return value;
}

// ---- output ---------------------------------------------------------------------------------

std::int64_t millis_of(const OrderedJson& value) {
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_float()) return std::llround(value.get<double>());
  return 0;
}

void write_xml_value(aws::XmlWriter& xml, std::string_view name, const OrderedJson& value,
                     const Shape& shape) {
  switch (shape.kind) {
    case ShapeKind::kString:
      if (value.is_string()) {
        xml.element(name, value.get_ref<const std::string&>());
      } else {
        xml.element(name, value.dump());
      }
      return;
    case ShapeKind::kInteger:
      xml.integer(name, value.is_number() ? value.get<std::int64_t>() : 0);
      return;
    case ShapeKind::kDouble:
      xml.number(name, value.is_number() ? value.get<double>() : 0.0);
      return;
    case ShapeKind::kBoolean:
      xml.boolean(name, value.is_boolean() && value.get<bool>());
      return;
    case ShapeKind::kTimestamp:
      xml.timestamp(name, millis_of(value), shape.xml_format);
      return;
    case ShapeKind::kList:
      if (!value.is_array() || value.empty()) {
        xml.empty(name);
        return;
      }
      xml.open(name);
      for (const OrderedJson& item : value) write_xml_value(xml, "member", item, *shape.element);
      xml.close();
      return;
    case ShapeKind::kMap:
      if (!value.is_object() || value.empty()) {
        xml.empty(name);
        return;
      }
      xml.open(name);
      for (const auto& [key, item] : value.items()) {
        xml.open("entry").element("key", key);
        write_xml_value(xml, "value", item, *shape.element);
        xml.close();
      }
      xml.close();
      return;
    case ShapeKind::kStructure:
      xml.open(name);
      write_xml_members(xml, value, shape);
      xml.close();
      return;
  }
}

}  // namespace

void write_xml_members(aws::XmlWriter& xml, const OrderedJson& value, const Shape& structure) {
  if (!value.is_object()) return;
  for (const Member& member : structure.members) {
    const auto it = value.find(member.name);
    if (it == value.end() || it->is_null()) continue;
    write_xml_value(xml, member.name, *it, *member.shape);
  }
}

OrderedJson epoch_seconds_json(std::int64_t unix_millis) {
  if (unix_millis % 1000 == 0) return OrderedJson(unix_millis / 1000);
  return OrderedJson(static_cast<double>(unix_millis) / 1000.0);
}

OrderedJson to_output_json(const OrderedJson& value, const Shape& shape) {
  switch (shape.kind) {
    case ShapeKind::kTimestamp:
      return epoch_seconds_json(millis_of(value));
    case ShapeKind::kList: {
      OrderedJson out = OrderedJson::array();
      if (value.is_array()) {
        for (const OrderedJson& item : value) out.push_back(to_output_json(item, *shape.element));
      }
      return out;
    }
    case ShapeKind::kMap: {
      OrderedJson out = OrderedJson::object();
      if (value.is_object()) {
        for (const auto& [key, item] : value.items()) {
          out[key] = to_output_json(item, *shape.element);
        }
      }
      return out;
    }
    case ShapeKind::kStructure: {
      OrderedJson out = OrderedJson::object();
      if (!value.is_object()) return out;
      for (const Member& member : shape.members) {
        const auto it = value.find(member.name);
        if (it == value.end() || it->is_null()) continue;
        out[std::string(member.name)] = to_output_json(*it, *member.shape);
      }
      return out;
    }
    case ShapeKind::kString:
    case ShapeKind::kInteger:
    case ShapeKind::kDouble:
    case ShapeKind::kBoolean:
      break;
  }
  return value;
}

core::Result<nlohmann::json, aws::WireError> read_input(const aws::WireRequest& request,
                                                        const Shape& input) {
  if (aws::is_json(request.protocol)) return json_value(request.json, input, "");
  return query_structure(request.query, request.query.view(), input);
}

aws::HttpResponse success(const aws::WireRequest& request, const RequestContext& context,
                          const Shape* output, const OrderedJson& value) {
  if (aws::is_json(request.protocol)) {
    const OrderedJson body =
        output != nullptr ? to_output_json(value, *output) : OrderedJson::object();
    return aws::success_response(request.protocol, aws::json_text(body), context.request_id);
  }
  const aws::ServiceInfo& info = aws::service_info(request.service);
  aws::QueryResponseWriter writer(request.operation, info.xml_namespace, output != nullptr);
  if (output != nullptr) write_xml_members(writer.xml(), value, *output);
  return aws::success_response(request.protocol, writer.finish(context.request_id),
                               context.request_id);
}

aws::HttpResponse failure(const aws::WireRequest& request, const RequestContext& context,
                          const aws::WireError& error) {
  return aws::error_response(error, request.protocol, context.request_id, request.service);
}

}  // namespace sgwatch::api
