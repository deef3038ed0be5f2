// Implementation of s3_notification.h.
#include "sources/s3_notification.h"

#include <nlohmann/json.hpp>

#include "aws/sigv4.h"
#include "aws/wire_request.h"

namespace sgwatch::sources {

namespace {

using Json = nlohmann::json;

constexpr std::size_t kMaxBodyBytes = std::size_t{1} << 20;
constexpr std::size_t kMaxDepth = 64;

// The member `name` of `object`; nullptr when `object` is not an object or has none. (Through
// the object's map: GCC 12 sees false null dereferences in json iterators at -O3.)
const Json* member(const Json& object, const char* name) {
  const Json::object_t* map = object.get_ptr<const Json::object_t*>();
  if (map == nullptr) return nullptr;
  const auto found = map->find(name);
  return found == map->end() ? nullptr : &found->second;
}

const std::string* string_at(const Json& object, const char* name) {
  const Json* value = member(object, name);
  return value == nullptr ? nullptr : value->get_ptr<const std::string*>();
}

const Json* object_at(const Json& object, const char* name) {
  const Json* value = member(object, name);
  return value != nullptr && value->is_object() ? value : nullptr;
}

S3Notification unreadable(std::string why) {
  S3Notification out;
  out.kind = S3Notification::Kind::kUnreadable;
  out.error = std::move(why);
  return out;
}

S3Notification read_value(const Json& value, int envelopes);

S3Notification read_body(std::string_view body, int envelopes) {
  if (body.size() > kMaxBodyBytes) return unreadable("the message is larger than 1 MiB");
  if (!aws::json_nesting_depth(body, kMaxDepth)) return unreadable("the message nests JSON too deeply");
  const Json value = Json::parse(body, nullptr, false);
  if (value.is_discarded()) return unreadable("the message is not JSON");
  return read_value(value, envelopes);
}

// S3's event notification: {"Records": [{"eventName": "ObjectCreated:Put", "s3": {...}}]}.
S3Notification read_s3_records(const Json& records) {
  S3Notification out;
  out.kind = S3Notification::Kind::kObjects;
  for (const Json& record : records) {
    const std::string* name = string_at(record, "eventName");
    if (name == nullptr) return unreadable("a record of the S3 event has no eventName");
    if (!name->starts_with("ObjectCreated:")) continue;  // removals, restores, ...
    const Json* s3 = object_at(record, "s3");
    const Json* bucket = s3 ? object_at(*s3, "bucket") : nullptr;
    const Json* object = s3 ? object_at(*s3, "object") : nullptr;
    const std::string* bucket_name = bucket ? string_at(*bucket, "name") : nullptr;
    const std::string* key = object ? string_at(*object, "key") : nullptr;
    if (bucket_name == nullptr || key == nullptr) {
      return unreadable("an ObjectCreated record has no s3.bucket.name or s3.object.key");
    }
    out.objects.push_back({*bucket_name, aws::uri_decode(*key, true)});
  }
  return out;
}

S3Notification read_value(const Json& value, int envelopes) {
  if (!value.is_object()) return unreadable("the message is not a JSON object");
  // s3:TestEvent.
  if (const std::string* event = string_at(value, "Event"); event != nullptr && *event == "s3:TestEvent") {
    S3Notification out;
    out.kind = S3Notification::Kind::kTestEvent;
    return out;
  }
  // An SNS envelope: the notification is the "Message" string.
  if (const std::string* type = string_at(value, "Type"); type != nullptr && *type == "Notification") {
    const std::string* message = string_at(value, "Message");
    if (message == nullptr) return unreadable("an SNS notification without a Message string");
    if (envelopes > 0) return unreadable("an SNS notification inside an SNS notification");
    return read_body(*message, envelopes + 1);
  }
  // S3 -> SQS (or SNS raw delivery).
  if (const Json* records = member(value, "Records")) {
    if (!records->is_array()) return unreadable("\"Records\" is not a list");
    return read_s3_records(*records);
  }
  // EventBridge.
  if (const std::string* detail_type = string_at(value, "detail-type")) {
    const Json* detail = object_at(value, "detail");
    if (*detail_type != "Object Created") {
      if (detail != nullptr) {
        S3Notification out;  // another S3 event (Object Deleted, ...): nothing to read
        out.kind = S3Notification::Kind::kObjects;
        return out;
      }
      return unreadable("an EventBridge event without detail");
    }
    const Json* bucket = detail ? object_at(*detail, "bucket") : nullptr;
    const Json* object = detail ? object_at(*detail, "object") : nullptr;
    const std::string* bucket_name = bucket ? string_at(*bucket, "name") : nullptr;
    const std::string* key = object ? string_at(*object, "key") : nullptr;
    if (bucket_name == nullptr || key == nullptr) {
      return unreadable("an EventBridge \"Object Created\" event without detail.bucket.name or detail.object.key");
    }
    S3Notification out;
    out.kind = S3Notification::Kind::kObjects;
    out.objects.push_back({*bucket_name, *key});
    return out;
  }
  // CloudTrail's SNS notice of a delivery.
  if (const std::string* bucket = string_at(value, "s3Bucket")) {
    const Json* keys = member(value, "s3ObjectKey");
    if (keys == nullptr || !keys->is_array()) return unreadable("a CloudTrail notice without an s3ObjectKey list");
    S3Notification out;
    out.kind = S3Notification::Kind::kObjects;
    for (const Json& key : *keys) {
      const std::string* text = key.get_ptr<const std::string*>();
      if (text == nullptr) return unreadable("an s3ObjectKey entry is not a string");
      out.objects.push_back({*bucket, *text});
    }
    return out;
  }
  return unreadable("not an S3 event, SNS envelope, EventBridge event or CloudTrail notice");
}

}  // namespace

S3Notification parse_s3_notification(std::string_view body) {
  return read_body(body, 0);
}

}  // namespace sgwatch::sources
