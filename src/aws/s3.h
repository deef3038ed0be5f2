// The S3 and SQS calls a CloudTrail bucket source needs, over Client (client.h): ListObjectsV2
// (one page or every page, with Prefix, Delimiter, StartAfter and continuation-token), HeadObject
// and GetObject (the object's bytes), keys URI-encoded as S3 wants them ('/' kept), and SQS's
// ReceiveMessage / DeleteMessage in the awsQuery protocol (accepted by AWS and by emulators).
// The answers' XML is read here (xml_reader.h), so it is testable without a network.
// Neighbours: client.h (signing, retries, transport), sources/s3_prefix.h (the consumer).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_error.h"
#include "aws/client.h"
#include "core/result.h"

namespace sgwatch::aws {

// A key as it goes into an S3 path: every byte but A-Z a-z 0-9 - . _ ~ and '/' as %XX (so
// "a b/c+d" -> "a%20b/c%2Bd"); signed as sent (S3 does not encode the path twice).
std::string s3_encode_key(std::string_view key);

struct S3Object {
  std::string key;
  std::uint64_t size = 0;
  std::int64_t last_modified = 0;  // Unix seconds
  std::string etag;                // as S3 writes it, quotes included
};

struct S3ListPage {
  std::vector<S3Object> objects;        // in key order
  std::vector<std::string> prefixes;    // CommonPrefixes (with a delimiter)
  std::string next_continuation_token;  // empty: the last page
};

struct S3ListRequest {
  std::string bucket;
  std::string prefix;
  std::string delimiter;
  std::string start_after;
  std::string continuation_token;
  int max_keys = 1000;
};

// Reads one ListObjectsV2 answer (<ListBucketResult>). Errors: not that document, a Contents
// without Key, a Size or LastModified that is not a number or a time, truncated without a token.
core::Result<S3ListPage, std::string> parse_list_objects_v2(std::string_view xml);

// One page.
core::Result<S3ListPage, AwsError> s3_list_objects_v2(Client& client, const S3ListRequest& request);
// Every page, following NextContinuationToken (a token repeated is a kResponse error); at most
// `max_pages` pages (0: no limit), then the listing stops with the pages so far.
core::Result<S3ListPage, AwsError> s3_list_all(Client& client, S3ListRequest request, std::size_t max_pages = 0);

// HeadObject: the object's size, Last-Modified and ETag (key filled in).
core::Result<S3Object, AwsError> s3_head_object(Client& client, const std::string& bucket, const std::string& key);
// GetObject: the object's bytes as stored (a gzip object stays gzip'd).
core::Result<std::string, AwsError> s3_get_object(Client& client, const std::string& bucket, const std::string& key);

// An RFC 7231 date ("Sun, 06 Nov 1994 08:49:37 GMT") to Unix seconds.
std::optional<std::int64_t> parse_http_date(std::string_view text);

struct SqsMessage {
  std::string message_id;
  std::string receipt_handle;
  std::string body;
};

// Reads a ReceiveMessage answer. Errors: not a ReceiveMessageResponse, a message without a
// ReceiptHandle.
core::Result<std::vector<SqsMessage>, std::string> parse_receive_message(std::string_view xml);

// ReceiveMessage (long polling for `wait_seconds`, 0 to 20; up to `max_messages`, 1 to 10).
core::Result<std::vector<SqsMessage>, AwsError> sqs_receive_messages(Client& client, const std::string& queue_url,
                                                                     int max_messages, int wait_seconds);
core::Result<void, AwsError> sqs_delete_message(Client& client, const std::string& queue_url,
                                                const std::string& receipt_handle);

}  // namespace sgwatch::aws
