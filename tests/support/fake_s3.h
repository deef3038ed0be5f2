// FakeS3: an in-memory S3 bucket store and SQS queue behind aws::Transport, for unit tests of the
// S3 source and feed without a network: ListObjectsV2 (prefix, delimiter, start-after,
// continuation-token, max-keys, paged as S3 pages), HeadObject, GetObject (path-style URLs, as
// the client sends them when an endpoint URL is set), SQS ReceiveMessage / DeleteMessage in the
// awsQuery protocol with in-flight messages made visible again by release(). Every request is
// logged. Neighbours: aws/s3.h (the client side), tests/unit/sources/, tests/unit/engine/.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "aws/transport.h"

namespace sgwatch::testing {

struct FakeS3State {
  struct Object {
    std::string bytes;
    std::int64_t last_modified = 0;  // Unix seconds
  };
  struct Message {
    std::string id;
    std::string body;
    int receives = 0;
  };
  struct Request {
    std::string method;
    std::string action;  // ListObjectsV2, GetObject, HeadObject, ReceiveMessage, DeleteMessage
    std::string target;  // the key, or the listing's query string, or the receipt handle
  };
  std::map<std::string, std::map<std::string, Object>> buckets;
  std::deque<Message> visible;
  std::map<std::string, Message> in_flight;  // receipt handle -> message
  std::vector<Request> requests;
  std::vector<std::string> deleted;  // message ids, in order
  std::map<std::string, int> fail_gets;  // key -> GetObject answers of 500 still to give
  int next_handle = 0;

  void put(const std::string& bucket, const std::string& key, std::string bytes, std::int64_t last_modified) {
    buckets[bucket][key] = Object{std::move(bytes), last_modified};
  }
  void send(const std::string& id, const std::string& body) { visible.push_back(Message{id, body, 0}); }
  // In-flight messages become visible again (their visibility timeout ran out).
  void release();
  std::size_t count(const std::string& action) const;
};

// A transport over `state` (shared with the test).
std::unique_ptr<aws::Transport> make_fake_s3(std::shared_ptr<FakeS3State> state);

}  // namespace sgwatch::testing
