// What an SQS message about a CloudTrail bucket says: the objects it names, in every shape the
// setups CloudTrail users build deliver: S3 event notifications straight to SQS (Records[] with
// eventName "ObjectCreated:*", the key URL-encoded with '+' for a space), the same inside an SNS
// envelope (its "Message" string; raw message delivery is the first shape), EventBridge's
// "Object Created" event (detail.bucket.name, detail.object.key, not encoded), CloudTrail's own
// SNS notice ({"s3Bucket": ..., "s3ObjectKey": [...]}), and S3's s3:TestEvent. Pure logic.
// Neighbours: sources/s3_prefix.h (reads the objects), engine/s3_feed.h (receives and deletes).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sgwatch::sources {

struct S3ObjectRef {
  std::string bucket;
  std::string key;  // decoded

  bool operator==(const S3ObjectRef&) const = default;
};

struct S3Notification {
  enum class Kind {
    kObjects,    // names objects (maybe none, when every record was another kind of event)
    kTestEvent,  // s3:TestEvent, sent when a notification is configured: nothing to read
    kUnreadable, // none of the shapes above: `error` says why
  };
  Kind kind = Kind::kUnreadable;
  std::vector<S3ObjectRef> objects;
  std::string error;
};

// Reads one SQS message body. Bad input is a kUnreadable value, never a crash: bodies nested more
// than 64 levels deep or larger than 1 MiB are refused before parsing.
S3Notification parse_s3_notification(std::string_view body);

}  // namespace sgwatch::sources
