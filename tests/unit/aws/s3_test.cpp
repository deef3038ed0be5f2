// The S3 and SQS calls of aws/s3.h: S3's key encoding, the ListObjectsV2 and ReceiveMessage
// readers (good answers, every malformed one), the signed requests as sent (path style with an
// endpoint URL, virtual-hosted style without, x-amz-content-sha256), paging over a scripted
// in-memory S3 (tests/support/fake_s3.h), and S3's XML errors.
#include "aws/s3.h"

#include <gtest/gtest.h>

#include "aws/sigv4.h"
#include "support/fake_s3.h"

namespace sgwatch::aws {
namespace {

ClientOptions fake_options(bool endpoint) {
  ClientOptions options;
  options.region = "us-east-1";
  if (endpoint) options.endpoint_url = "http://127.0.0.1:5000";
  options.credentials = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  options.now = [] { return std::int64_t{1764345600}; };
  options.sleep = [](std::chrono::milliseconds) {};
  options.jitter = [] { return 0.0; };
  options.max_attempts = 1;
  return options;
}

TEST(S3Keys, EncodeEverythingButUnreservedAndSlash) {
  const struct {
    const char* key;
    const char* encoded;
  } cases[] = {
      {"AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/x.json.gz",
       "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/28/x.json.gz"},
      {"a b+c", "a%20b%2Bc"},
      {"k=v&x?y#z", "k%3Dv%26x%3Fy%23z"},
      {"2026-11-28T16:44:27Z", "2026-11-28T16%3A44%3A27Z"},
      {"caf\xc3\xa9/~_.-", "caf%C3%A9/~_.-"},
      {"a//b", "a//b"},
      {"100%", "100%25"},
  };
  for (const auto& c : cases) EXPECT_EQ(s3_encode_key(c.key), c.encoded) << c.key;
}

TEST(S3List, ReadsContentsPrefixesAndToken) {
  const std::string xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
      "<Name>trail</Name><Prefix>AWSLogs/</Prefix><KeyCount>3</KeyCount><MaxKeys>2</MaxKeys>"
      "<IsTruncated>true</IsTruncated><NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
      "<Contents><Key>AWSLogs/a &amp; b.json.gz</Key><LastModified>2026-11-28T16:44:27.000Z</LastModified>"
      "<ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>1234</Size><StorageClass>STANDARD</StorageClass></Contents>"
      "<Contents><Key>AWSLogs/c.json.gz</Key><LastModified>2026-11-28T16:45:00Z</LastModified><Size>0</Size></Contents>"
      "<CommonPrefixes><Prefix>AWSLogs/123456789012/</Prefix></CommonPrefixes></ListBucketResult>";
  auto page = parse_list_objects_v2(xml);
  ASSERT_TRUE(page) << page.error();
  ASSERT_EQ(page->objects.size(), 2U);
  EXPECT_EQ(page->objects[0].key, "AWSLogs/a & b.json.gz");
  EXPECT_EQ(page->objects[0].size, 1234U);
  EXPECT_EQ(page->objects[0].last_modified, 1795884267);
  EXPECT_EQ(page->objects[0].etag, "\"9b2cf535f27731c974343645a3985328\"");
  EXPECT_EQ(page->objects[1].last_modified, 1795884300);
  EXPECT_EQ(page->prefixes, std::vector<std::string>{"AWSLogs/123456789012/"});
  EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3List, RefusesMalformedAnswers) {
  const char* bad[] = {
      "not xml <",
      "<ListAllMyBucketsResult/>",
      "<ListBucketResult><Contents><Size>1</Size><LastModified>2026-11-28T16:44:27Z</LastModified></Contents>"
      "</ListBucketResult>",
      "<ListBucketResult><Contents><Key>k</Key><Size>-1</Size><LastModified>2026-11-28T16:44:27Z</LastModified>"
      "</Contents></ListBucketResult>",
      "<ListBucketResult><Contents><Key>k</Key><Size>1</Size><LastModified>yesterday</LastModified>"
      "</Contents></ListBucketResult>",
      "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
  };
  for (const char* xml : bad) EXPECT_FALSE(parse_list_objects_v2(xml)) << xml;
  // Not truncated: a stray token is not followed.
  auto last = parse_list_objects_v2(
      "<ListBucketResult><IsTruncated>false</IsTruncated><NextContinuationToken>t</NextContinuationToken>"
      "</ListBucketResult>");
  ASSERT_TRUE(last);
  EXPECT_TRUE(last->next_continuation_token.empty());
}

TEST(S3List, PagesThroughEveryKeyWithStartAfterAndDelimiter) {
  auto state = std::make_shared<testing::FakeS3State>();
  for (int i = 0; i < 7; ++i) state->put("trail", "AWSLogs/k" + std::to_string(i), "x", 1764345600);
  state->put("trail", "AWSLogs/sub/a", "x", 1764345600);
  state->put("trail", "AWSLogs/sub/b", "x", 1764345600);
  state->put("trail", "other", "x", 1764345600);
  Client client(fake_options(true), testing::make_fake_s3(state));
  S3ListRequest request;
  request.bucket = "trail";
  request.prefix = "AWSLogs/";
  request.max_keys = 3;
  auto all = s3_list_all(client, request);
  ASSERT_TRUE(all) << all.error().message;
  ASSERT_EQ(all->objects.size(), 9U);
  EXPECT_EQ(all->objects.front().key, "AWSLogs/k0");
  EXPECT_EQ(all->objects.back().key, "AWSLogs/sub/b");
  EXPECT_EQ(state->count("ListObjectsV2"), 3U);
  // The second page was asked for with the first page's token.
  EXPECT_NE(state->requests[1].target.find("continuation-token="), std::string::npos);

  request.start_after = "AWSLogs/k4";
  request.delimiter = "/";
  auto after = s3_list_all(client, request);
  ASSERT_TRUE(after);
  ASSERT_EQ(after->objects.size(), 2U);
  EXPECT_EQ(after->objects[0].key, "AWSLogs/k5");
  EXPECT_EQ(after->prefixes, std::vector<std::string>{"AWSLogs/sub/"});

  // At most max_pages pages: the token of the next one is kept.
  request = S3ListRequest{};
  request.bucket = "trail";
  request.max_keys = 2;
  auto limited = s3_list_all(client, request, 2);
  ASSERT_TRUE(limited);
  EXPECT_EQ(limited->objects.size(), 4U);
  EXPECT_FALSE(limited->next_continuation_token.empty());
}

// A transport that records the request and answers with `reply`.
class Recorder : public Transport {
 public:
  explicit Recorder(std::vector<TransportResponse> replies) : replies_(std::move(replies)) {}
  core::Result<TransportResponse, std::string> send(const std::string& url, const HttpRequest& request,
                                                    std::chrono::milliseconds) override {
    urls.push_back(url);
    requests.push_back(request);
    TransportResponse reply = replies_.at(std::min(requests.size() - 1, replies_.size() - 1));
    return reply;
  }
  std::vector<std::string> urls;
  std::vector<HttpRequest> requests;

 private:
  std::vector<TransportResponse> replies_;
};

TransportResponse reply(int status, std::string body, std::vector<Header> headers = {}) {
  TransportResponse r;
  r.status = status;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

TEST(S3Requests, PathStyleWithAnEndpointVirtualHostedWithoutAndSignedAsS3) {
  for (const bool endpoint : {true, false}) {
    auto recorder = std::make_unique<Recorder>(std::vector<TransportResponse>{reply(200, "gzip bytes")});
    Recorder* sent = recorder.get();
    Client client(fake_options(endpoint), std::move(recorder));
    auto body = s3_get_object(client, "my-trail", "AWSLogs/a b+c:d.json.gz");
    ASSERT_TRUE(body) << body.error().message;
    EXPECT_EQ(*body, "gzip bytes");
    ASSERT_EQ(sent->requests.size(), 1U);
    const HttpRequest& request = sent->requests[0];
    if (endpoint) {
      EXPECT_EQ(sent->urls[0], "http://127.0.0.1:5000/my-trail/AWSLogs/a%20b%2Bc%3Ad.json.gz");
      EXPECT_EQ(*request.find_header("Host"), "127.0.0.1:5000");
    } else {
      EXPECT_EQ(sent->urls[0], "https://my-trail.s3.us-east-1.amazonaws.com/AWSLogs/a%20b%2Bc%3Ad.json.gz");
      EXPECT_EQ(*request.find_header("Host"), "my-trail.s3.us-east-1.amazonaws.com");
    }
    EXPECT_EQ(request.method, "GET");
    // SHA-256 of the empty body, and signed.
    ASSERT_NE(request.find_header("x-amz-content-sha256"), nullptr);
    EXPECT_EQ(*request.find_header("x-amz-content-sha256"),
              "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const std::string& authorization = *request.find_header("Authorization");
    EXPECT_NE(authorization.find("/us-east-1/s3/aws4_request"), std::string::npos) << authorization;
    EXPECT_NE(authorization.find("x-amz-content-sha256"), std::string::npos) << authorization;
  }
}

TEST(S3Requests, ErrorsAreReadFromS3sXml) {
  auto recorder = std::make_unique<Recorder>(std::vector<TransportResponse>{
      reply(403, "<?xml version=\"1.0\"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message>"
                 "<RequestId>4442587FB7D0A2F9</RequestId></Error>")});
  Client client(fake_options(true), std::move(recorder));
  auto body = s3_get_object(client, "trail", "k");
  ASSERT_FALSE(body);
  EXPECT_EQ(body.error().code, "AccessDenied");
  EXPECT_EQ(body.error().http_status, 403);
  EXPECT_EQ(body.error().operation, "GetObject");
}

TEST(S3Requests, HeadObjectGivesSizeAndLastModified) {
  auto recorder = std::make_unique<Recorder>(std::vector<TransportResponse>{
      reply(200, "", {{"Content-Length", "2048"}, {"Last-Modified", "Sat, 28 Nov 2026 16:44:27 GMT"},
                      {"ETag", "\"abc\""}})});
  Recorder* sent = recorder.get();
  Client client(fake_options(true), std::move(recorder));
  auto head = s3_head_object(client, "trail", "k");
  ASSERT_TRUE(head) << head.error().message;
  EXPECT_EQ(head->size, 2048U);
  EXPECT_EQ(head->last_modified, 1795884267);
  EXPECT_EQ(head->etag, "\"abc\"");
  EXPECT_EQ(sent->requests[0].method, "HEAD");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), 784111777);
  EXPECT_FALSE(parse_http_date("1994-11-06T08:49:37Z"));
}

TEST(Sqs, ReceiveAndDeleteInTheQueryProtocol) {
  const std::string answer =
      "<ReceiveMessageResponse xmlns=\"http://queue.amazonaws.com/doc/2012-11-05/\"><ReceiveMessageResult>"
      "<Message><MessageId>m-1</MessageId><ReceiptHandle>h+1/=</ReceiptHandle><MD5OfBody>x</MD5OfBody>"
      "<Body>{&quot;Records&quot;:[]}</Body></Message></ReceiveMessageResult>"
      "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></ReceiveMessageResponse>";
  auto recorder = std::make_unique<Recorder>(std::vector<TransportResponse>{
      reply(200, answer), reply(200, "<DeleteMessageResponse><ResponseMetadata/></DeleteMessageResponse>")});
  Recorder* sent = recorder.get();
  Client client(fake_options(true), std::move(recorder));
  const std::string queue = "http://127.0.0.1:5000/123456789012/trail-events";
  auto messages = sqs_receive_messages(client, queue, 50, 99);
  ASSERT_TRUE(messages) << messages.error().message;
  ASSERT_EQ(messages->size(), 1U);
  EXPECT_EQ((*messages)[0].message_id, "m-1");
  EXPECT_EQ((*messages)[0].receipt_handle, "h+1/=");
  EXPECT_EQ((*messages)[0].body, "{\"Records\":[]}");
  EXPECT_EQ(sent->requests[0].body,
            "Action=ReceiveMessage&Version=2012-11-05&QueueUrl=http%3A%2F%2F127.0.0.1%3A5000%2F123456789012%2Ftrail-"
            "events&MaxNumberOfMessages=10&WaitTimeSeconds=20");
  ASSERT_TRUE(sqs_delete_message(client, queue, "h+1/="));
  EXPECT_NE(sent->requests[1].body.find("Action=DeleteMessage"), std::string::npos);
  EXPECT_NE(sent->requests[1].body.find("ReceiptHandle=h%2B1%2F%3D"), std::string::npos);

  EXPECT_FALSE(parse_receive_message("<ReceiveMessageResponse/>"));
  EXPECT_FALSE(parse_receive_message(
      "<ReceiveMessageResponse><ReceiveMessageResult><Message><MessageId>m</MessageId><Body>b</Body></Message>"
      "</ReceiveMessageResult></ReceiveMessageResponse>"));
  auto empty = parse_receive_message("<ReceiveMessageResponse><ReceiveMessageResult/></ReceiveMessageResponse>");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace sgwatch::aws
