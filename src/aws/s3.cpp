// Implementation of s3.h: request building for S3's REST-XML and SQS's awsQuery calls, and the
// readers of their answers.
#include "aws/s3.h"

#include <algorithm>
#include <charconv>
#include <ctime>

#include "aws/sigv4.h"
#include "aws/xml_reader.h"
#include "core/text.h"
#include "core/time.h"

namespace sgwatch::aws {

namespace {

constexpr std::string_view kSqsVersion = "2012-11-05";

AwsError response_error(std::string_view service, std::string_view operation, const TransportResponse& response,
                        std::string message) {
  AwsError error;
  error.kind = AwsError::Kind::kResponse;
  error.service = std::string(service);
  error.operation = std::string(operation);
  error.http_status = response.status;
  error.message = std::move(message);
  return error;
}

void add_param(std::string& query, std::string_view name, std::string_view value) {
  if (!query.empty()) query += '&';
  query += name;
  query += '=';
  query += uri_encode(value, true);
}

}  // namespace

std::string s3_encode_key(std::string_view key) {
  return uri_encode(key, false);
}

core::Result<S3ListPage, std::string> parse_list_objects_v2(std::string_view xml) {
  pugi::xml_document document;
  const pugi::xml_parse_result parsed = document.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return core::unexpected("the ListObjectsV2 answer is not readable XML (" + std::string(parsed.description()) +
                            " at byte " + std::to_string(parsed.offset) + ")");
  }
  const pugi::xml_node root = document.document_element();
  if (xml_local_name(root) != "ListBucketResult") {
    return core::unexpected("the ListObjectsV2 answer is not a <ListBucketResult> but <" +
                            core::printable(xml_local_name(root), 40) + ">");
  }
  S3ListPage page;
  for (const pugi::xml_node& contents : xml_children(root, "Contents")) {
    S3Object object;
    const pugi::xml_node key = xml_child(contents, "Key");
    if (!key) return core::unexpected(std::string("a <Contents> of the ListObjectsV2 answer has no <Key>"));
    object.key = xml_own_text(key);
    const std::string size = std::string(core::trim_pattern_space(xml_own_text(xml_child(contents, "Size"))));
    const auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), object.size);
    if (ec != std::errc() || end != size.data() + size.size()) {
      return core::unexpected("the size of " + core::printable(object.key, 200) + " is not a number: \"" +
                              core::printable(size, 40) + "\"");
    }
    const std::string modified = xml_own_text(xml_child(contents, "LastModified"));
    const auto seconds = core::parse_iso8601(core::trim_pattern_space(modified));
    if (!seconds) {
      return core::unexpected("the LastModified of " + core::printable(object.key, 200) + " is not a time: \"" +
                              core::printable(modified, 40) + "\"");
    }
    object.last_modified = *seconds;
    object.etag = xml_own_text(xml_child(contents, "ETag"));
    page.objects.push_back(std::move(object));
  }
  for (const pugi::xml_node& common : xml_children(root, "CommonPrefixes")) {
    page.prefixes.push_back(xml_own_text(xml_child(common, "Prefix")));
  }
  const std::string truncated = std::string(core::trim_pattern_space(xml_own_text(xml_child(root, "IsTruncated"))));
  page.next_continuation_token = xml_own_text(xml_child(root, "NextContinuationToken"));
  if (truncated == "true" && page.next_continuation_token.empty()) {
    return core::unexpected(std::string("the ListObjectsV2 answer is truncated but has no NextContinuationToken"));
  }
  if (truncated != "true") page.next_continuation_token.clear();
  return page;
}

core::Result<S3ListPage, AwsError> s3_list_objects_v2(Client& client, const S3ListRequest& request) {
  // Parameters in the order S3 expects nothing of; sorted names keep the URL stable.
  std::string query;
  if (!request.continuation_token.empty()) add_param(query, "continuation-token", request.continuation_token);
  if (!request.delimiter.empty()) add_param(query, "delimiter", request.delimiter);
  add_param(query, "list-type", "2");
  add_param(query, "max-keys", std::to_string(request.max_keys));
  if (!request.prefix.empty()) add_param(query, "prefix", request.prefix);
  if (!request.start_after.empty()) add_param(query, "start-after", request.start_after);
  Client::RawRequest raw;
  raw.service = "s3";
  raw.operation = "ListObjectsV2";
  raw.bucket = request.bucket;
  raw.query = std::move(query);
  raw.s3 = true;
  auto response = client.rest_raw(raw);
  if (!response) return core::unexpected(std::move(response).error());
  auto page = parse_list_objects_v2(response->body);
  if (!page) return core::unexpected(response_error("s3", "ListObjectsV2", *response, std::move(page).error()));
  return std::move(*page);
}

core::Result<S3ListPage, AwsError> s3_list_all(Client& client, S3ListRequest request, std::size_t max_pages) {
  S3ListPage all;
  request.continuation_token.clear();
  for (std::size_t pages = 1;; ++pages) {
    auto page = s3_list_objects_v2(client, request);
    if (!page) return core::unexpected(std::move(page).error());
    for (S3Object& object : page->objects) all.objects.push_back(std::move(object));
    for (std::string& prefix : page->prefixes) all.prefixes.push_back(std::move(prefix));
    if (page->next_continuation_token.empty() || (max_pages != 0 && pages >= max_pages)) {
      all.next_continuation_token = std::move(page->next_continuation_token);
      return all;
    }
    if (page->next_continuation_token == request.continuation_token) {
      AwsError error;
      error.kind = AwsError::Kind::kResponse;
      error.service = "s3";
      error.operation = "ListObjectsV2";
      error.message = "the service returned the same continuation token twice (page " + std::to_string(pages) +
                      "): \"" + core::printable(page->next_continuation_token, 80) + "\"";
      return core::unexpected(std::move(error));
    }
    request.continuation_token = std::move(page->next_continuation_token);
  }
}

std::optional<std::int64_t> parse_http_date(std::string_view text) {
  std::tm tm{};
  const std::string copy(core::trim_pattern_space(text));
  const char* end = ::strptime(copy.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return static_cast<std::int64_t>(::timegm(&tm));
}

namespace {

// A signed S3 request for one object.
Client::RawRequest object_request(const std::string& bucket, const std::string& key, const char* operation,
                                  const char* method) {
  Client::RawRequest raw;
  raw.service = "s3";
  raw.operation = operation;
  raw.method = method;
  raw.bucket = bucket;
  raw.path = "/" + s3_encode_key(key);
  raw.s3 = true;
  return raw;
}

}  // namespace

core::Result<S3Object, AwsError> s3_head_object(Client& client, const std::string& bucket, const std::string& key) {
  auto response = client.rest_raw(object_request(bucket, key, "HeadObject", "HEAD"));
  if (!response) return core::unexpected(std::move(response).error());
  S3Object object;
  object.key = key;
  const std::string* length = response->find_header("Content-Length");
  const std::string* modified = response->find_header("Last-Modified");
  if (length == nullptr || modified == nullptr) {
    return core::unexpected(response_error("s3", "HeadObject", *response,
                                           "the answer has no Content-Length or Last-Modified header"));
  }
  const std::string size(core::trim_pattern_space(*length));
  const auto [end, ec] = std::from_chars(size.data(), size.data() + size.size(), object.size);
  const auto seconds = parse_http_date(*modified);
  if (ec != std::errc() || end != size.data() + size.size() || !seconds) {
    return core::unexpected(response_error("s3", "HeadObject", *response,
                                           "unreadable Content-Length \"" + core::printable(size, 40) +
                                               "\" or Last-Modified \"" + core::printable(*modified, 60) + "\""));
  }
  object.last_modified = *seconds;
  if (const std::string* etag = response->find_header("ETag")) object.etag = *etag;
  return object;
}

core::Result<std::string, AwsError> s3_get_object(Client& client, const std::string& bucket, const std::string& key) {
  auto response = client.rest_raw(object_request(bucket, key, "GetObject", "GET"));
  if (!response) return core::unexpected(std::move(response).error());
  return std::move(response->body);
}

namespace {

core::Result<std::vector<SqsMessage>, std::string> read_messages(const pugi::xml_document& document) {
  const pugi::xml_node result = query_result(document, "ReceiveMessage");
  if (!result) return core::unexpected(std::string("the ReceiveMessage answer has no <ReceiveMessageResult>"));
  std::vector<SqsMessage> messages;
  for (const pugi::xml_node& node : xml_children(result, "Message")) {
    SqsMessage message;
    message.message_id = xml_own_text(xml_child(node, "MessageId"));
    const pugi::xml_node handle = xml_child(node, "ReceiptHandle");
    if (!handle) return core::unexpected("the message " + message.message_id + " has no ReceiptHandle");
    message.receipt_handle = xml_own_text(handle);
    message.body = xml_own_text(xml_child(node, "Body"));
    messages.push_back(std::move(message));
  }
  return messages;
}

}  // namespace

core::Result<std::vector<SqsMessage>, std::string> parse_receive_message(std::string_view xml) {
  pugi::xml_document document;
  const pugi::xml_parse_result parsed = document.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return core::unexpected("the ReceiveMessage answer is not readable XML (" + std::string(parsed.description()) +
                            " at byte " + std::to_string(parsed.offset) + ")");
  }
  return read_messages(document);
}

core::Result<std::vector<SqsMessage>, AwsError> sqs_receive_messages(Client& client, const std::string& queue_url,
                                                                     int max_messages, int wait_seconds) {
  QueryParameters params = {{"QueueUrl", queue_url},
                            {"MaxNumberOfMessages", std::to_string(std::clamp(max_messages, 1, 10))},
                            {"WaitTimeSeconds", std::to_string(std::clamp(wait_seconds, 0, 20))}};
  auto document = client.query("sqs", "ReceiveMessage", kSqsVersion, params);
  if (!document) return core::unexpected(std::move(document).error());
  auto messages = read_messages(**document);
  if (!messages) {
    AwsError error;
    error.kind = AwsError::Kind::kResponse;
    error.service = "sqs";
    error.operation = "ReceiveMessage";
    error.message = std::move(messages).error();
    return core::unexpected(std::move(error));
  }
  return std::move(*messages);
}

core::Result<void, AwsError> sqs_delete_message(Client& client, const std::string& queue_url,
                                                const std::string& receipt_handle) {
  auto document = client.query("sqs", "DeleteMessage", kSqsVersion,
                               {{"QueueUrl", queue_url}, {"ReceiptHandle", receipt_handle}});
  if (!document) return core::unexpected(std::move(document).error());
  return {};
}

}  // namespace sgwatch::aws
