// Reader: every input format of the scan (CloudTrail S3 objects plain and gzip'd, JSON lines,
// arrays, one pretty record, EventBridge, lookup-events, CloudWatch Logs subscriptions, Firehose
// batches), what is skipped (digests, other JSON, non-JSON when sniffing), the bad-input list
// (truncated gzip, malformed JSON, an over-limit line, 1,000,000-deep nesting, invalid UTF-8)
// with offsets, and that records never depend on how the bytes are chunked.
#include "event/reader.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/gzip.h"

namespace sgwatch::event {
namespace {

std::string gzip(std::string_view text) { return testing::gzip_compress(text); }


std::string base64(std::string_view in) {
  static const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  auto byte = [&](std::size_t i) -> unsigned { return i < in.size() ? static_cast<unsigned char>(in[i]) : 0U; };
  std::string out;
  for (std::size_t i = 0; i < in.size(); i += 3) {
    const unsigned v = (byte(i) << 16U) | (byte(i + 1) << 8U) | byte(i + 2);
    out += a[(v >> 18U) & 63U];
    out += a[(v >> 12U) & 63U];
    out += i + 1 < in.size() ? a[(v >> 6U) & 63U] : '=';
    out += i + 2 < in.size() ? a[v & 63U] : '=';
  }
  return out;
}

std::string quote(std::string_view s) { return nlohmann::json(std::string(s)).dump(); }

const std::string kA = R"({"eventVersion":"1.08","eventName":"AuthorizeSecurityGroupIngress","awsRegion":"us-east-1"})";
const std::string kB = R"({"eventVersion":"1.08","eventName":"DescribeInstances","n":[1,{"x":"]}"}]})";

struct Read {
  std::vector<std::pair<std::uint64_t, std::string>> records;
  ReadResult result;
};

Read read(std::string_view bytes, Reader::Options options = {}) {
  Read r;
  const Reader reader(options);
  r.result = reader.read(bytes, [&](const Record& rec) {
    r.records.emplace_back(rec.offset, std::string(rec.text));
  });
  return r;
}

std::vector<std::string> texts(const Read& r) {
  std::vector<std::string> out;
  for (const auto& [offset, text] : r.records) out.push_back(text);
  return out;
}

void expect_clean(const Read& r) {
  for (const auto& e : r.result.errors) ADD_FAILURE() << "error at " << e.offset << ": " << e.reason;
  EXPECT_EQ(r.result.error_count, 0U);
  EXPECT_FALSE(r.result.skipped) << *r.result.skipped;
}

TEST(Reader, RecordsFilePlainAndGzip) {
  const std::string file = R"({"Records":[)" + kA + "," + kB + "]}";
  for (const std::string& bytes : {file, gzip(file)}) {
    const Read r = read(bytes);
    expect_clean(r);
    EXPECT_EQ(r.result.format, InputFormat::kRecordsFile);
    EXPECT_EQ(texts(r), (std::vector<std::string>{kA, kB}));
    EXPECT_EQ(r.records[0].first, 12U);  // offsets count decompressed bytes
    EXPECT_EQ(r.records[1].first, 13U + kA.size());
    EXPECT_EQ(r.result.gzip, bytes != file);
    EXPECT_EQ(r.result.bytes_in, bytes.size());
    EXPECT_EQ(r.result.bytes_json, file.size());
  }
}

TEST(Reader, JsonLinesArrayAndOnePrettyRecord) {
  Read r = read(kA + "\n" + kB + "\n");
  expect_clean(r);
  EXPECT_EQ(r.result.format, InputFormat::kRecordValues);
  EXPECT_EQ(texts(r), (std::vector<std::string>{kA, kB}));
  EXPECT_EQ(r.records[1].first, kA.size() + 1);

  r = read("[" + kA + ",\n " + kB + "]");
  expect_clean(r);
  EXPECT_EQ(r.result.format, InputFormat::kRecordArray);
  EXPECT_EQ(texts(r), (std::vector<std::string>{kA, kB}));

  const std::string pretty = nlohmann::json::parse(kB).dump(4);
  r = read(pretty + "\n");
  expect_clean(r);
  EXPECT_EQ(texts(r), (std::vector<std::string>{pretty}));
}

TEST(Reader, ByteOrderMarkIsPassedOver) {
  const Read r = read("\xEF\xBB\xBF" + kA + "\n");
  expect_clean(r);
  ASSERT_EQ(r.records.size(), 1U);
  EXPECT_EQ(r.records[0].first, 3U);
  EXPECT_EQ(r.records[0].second, kA);
}

TEST(Reader, EventBridgeDetailIsTheRecord) {
  const std::string envelope = R"({"version":"0","id":"1","detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":)" +
                               kA + R"(,"region":"us-east-1"})";
  const std::string other = R"({"detail-type":"EC2 Instance State-change Notification","detail":{"state":"running"}})";
  const Read r = read(envelope + "\n" + other + "\n" + envelope + "\n");
  EXPECT_EQ(r.result.error_count, 0U);
  EXPECT_EQ(r.result.format, InputFormat::kEventBridge);
  EXPECT_EQ(texts(r), (std::vector<std::string>{kA, kA}));
  EXPECT_EQ(r.records[0].first, envelope.find(kA));
  EXPECT_EQ(r.result.skipped_values, 1U);  // not sent by CloudTrail
}

TEST(Reader, LookupEventsResponseAndItems) {
  const std::string item = R"({"EventId":"e1","EventName":"AuthorizeSecurityGroupIngress","CloudTrailEvent":)" +
                           quote(kA) + "}";
  const std::string response = R"({"Events":[)" + item + "," + item + R"(],"NextToken":"t"})";
  Read r = read(nlohmann::json::parse(response).dump(4));
  EXPECT_EQ(r.result.error_count, 0U);
  EXPECT_EQ(r.result.format, InputFormat::kLookupEvents);
  EXPECT_EQ(texts(r), (std::vector<std::string>{kA, kA}));

  r = read(item + "\n" + item + "\n");
  EXPECT_EQ(r.result.error_count, 0U);
  EXPECT_EQ(texts(r), (std::vector<std::string>{kA, kA}));
  EXPECT_EQ(r.records[1].first, item.size() + 1 + item.find("\"{"));
}

std::string data_message(const std::vector<std::string>& messages) {
  std::string events;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    events += (i ? "," : "") + std::string(R"({"id":"3)") + std::to_string(i) +
              R"(","timestamp":1700000000000,"message":)" + quote(messages[i]) + "}";
  }
  return R"({"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"aws-cloudtrail-logs","logStream":"123456789012_CloudTrail_us-east-1","subscriptionFilters":["all"],"logEvents":[)" +
         events + "]}";
}

TEST(Reader, CloudWatchLogsSubscriptionPayloads) {
  const std::string control = R"({"messageType":"CONTROL_MESSAGE","owner":"CloudwatchLogs","logGroup":"","logStream":"","subscriptionFilters":[],"logEvents":[{"id":"","timestamp":1,"message":"CWL CONTROL MESSAGE: Checking health of destination Firehose."}]})";
  // As Firehose writes them to S3: gzip'd payloads back to back, no separator.
  const Read r = read(gzip(data_message({kA, kB}) + control + data_message({kA})));
  EXPECT_EQ(r.result.error_count, 0U);
  EXPECT_EQ(r.result.format, InputFormat::kCwlSubscription);
  EXPECT_EQ(texts(r), (std::vector<std::string>{kA, kB, kA}));
}

TEST(Reader, FirehoseBatchOfGzipPayloads) {
  const std::string batch = R"({"requestId":"r-1","timestamp":1700000000000,"records":[{"data":")" +
                            base64(gzip(data_message({kA, kB}))) + R"("},{"data":")" +
                            base64(kA + "\n") + R"("},{"data":"!!"}]})";
  const Read r = read(batch);
  EXPECT_EQ(r.result.format, InputFormat::kFirehoseBatch);
  EXPECT_EQ(texts(r), (std::vector<std::string>{kA, kB, kA}));
  const std::uint64_t first = batch.find("{\"data\"");
  EXPECT_EQ(r.records[0].first, first);  // nested records sit at their Firehose record
  EXPECT_EQ(r.records[1].first, first);
  ASSERT_EQ(r.result.errors.size(), 1U);
  EXPECT_NE(r.result.errors[0].reason.find("base64"), std::string::npos);
}

TEST(Reader, DigestsAndOtherJsonAreSkippedNotErrors) {
  Read r = read(gzip(R"({"awsAccountId":"123456789012","digestStartTime":"2026-11-20T00:00:00Z","digestEndTime":"2026-11-20T01:00:00Z","logFiles":[]})"));
  EXPECT_EQ(r.result.format, InputFormat::kDigest);
  EXPECT_TRUE(r.result.skipped);
  EXPECT_EQ(r.result.error_count, 0U);

  r = read(R"({"files":["a.json.gz"],"version":1})");
  EXPECT_EQ(r.result.format, InputFormat::kNotCloudTrail);
  EXPECT_TRUE(r.result.skipped);
  EXPECT_TRUE(r.records.empty());

  r = read(R"({"_test_name":"x","event":)" + kA + "}\n" + kA + "\n");  // decided by the first value
  EXPECT_TRUE(r.result.skipped);
  EXPECT_TRUE(r.records.empty());
}

TEST(Reader, SniffingSkipsNonJson) {
  Reader::Options options;
  options.sniff_json = true;
  Read r = read("# README\nnot json\n", options);
  EXPECT_TRUE(r.result.skipped);
  EXPECT_EQ(r.result.error_count, 0U);
  r = read("\n\n  " + kA, options);
  expect_clean(r);
  EXPECT_EQ(r.records.size(), 1U);
  options.sniff_json = false;
  r = read("# README\n", options);  // named on the command line: an error
  EXPECT_EQ(r.result.error_count, 1U);
}

TEST(Reader, EmptyInput) {
  const Read r = read("");
  expect_clean(r);
  EXPECT_EQ(r.result.format, InputFormat::kEmpty);
  EXPECT_TRUE(r.records.empty());
}

TEST(Reader, TruncatedGzipIsReportedAfterTheRecordsBeforeIt) {
  std::string records;
  for (int i = 0; i < 2000; ++i) records += kA + "\n";
  const std::string compressed = gzip(records);
  const Read r = read(compressed.substr(0, compressed.size() / 2));
  ASSERT_EQ(r.result.error_count, 1U);
  EXPECT_TRUE(r.result.errors[0].compressed);
  EXPECT_EQ(r.result.errors[0].offset, compressed.size() / 2);
  EXPECT_NE(r.result.errors[0].reason.find("truncated"), std::string::npos);
  EXPECT_GT(r.records.size(), 0U);
  EXPECT_LT(r.records.size(), 2000U);
}

TEST(Reader, MalformedJsonIsReportedWithItsOffset) {
  const std::string bad = kA + "\n{\"eventName\": ]\n" + kA + "\n";
  const Read r = read(bad);
  ASSERT_EQ(r.result.error_count, 1U);
  EXPECT_EQ(r.result.errors[0].offset, kA.size() + 1 + 14);  // the stray ']'
  EXPECT_EQ(r.records.size(), 1U);  // the rest of a broken stream cannot be trusted
}

TEST(Reader, OverLimitLineIsAnErrorWithBoundedMemory) {
  Reader::Options options;
  options.max_record_size = 1 << 20;
  options.chunk_size = 64 << 10;
  const std::string line = R"({"eventName":")" + std::string(100u << 20, 'x') + "\"}\n";
  const Read r = read(line, options);
  ASSERT_EQ(r.result.error_count, 1U);
  EXPECT_NE(r.result.errors[0].reason.find("exceeds the limit"), std::string::npos);
  EXPECT_EQ(r.result.errors[0].offset, 0U);
  EXPECT_LT(r.result.bytes_in, 4U << 20);  // reading stopped at the error
}

TEST(Reader, MillionDeepNestingIsAnError) {
  const std::string deep = std::string(1000000, '[') + std::string(1000000, ']');
  const Read r = read(deep);
  ASSERT_EQ(r.result.error_count, 1U);
  EXPECT_NE(r.result.errors[0].reason.find("nesting"), std::string::npos);
  EXPECT_EQ(r.result.errors[0].offset, 1024U);
}

TEST(Reader, InvalidUtf8SkipsOnlyThatRecord) {
  const std::string bad = R"({"eventName":"x)" "\xC3\x28" R"("})";
  const std::string input = kA + "\n" + bad + "\n" + kB + "\n";
  const Read r = read(input);
  EXPECT_EQ(texts(r), (std::vector<std::string>{kA, kB}));
  ASSERT_EQ(r.result.error_count, 1U);
  EXPECT_EQ(r.result.errors[0].offset, input.find("\xC3\x28"));
  EXPECT_NE(r.result.errors[0].reason.find("UTF-8"), std::string::npos);
  for (const char* invalid : {"\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\xE2\x82"}) {
    const Read one = read(R"({"eventName":")" + std::string(invalid) + "\"}");
    EXPECT_EQ(one.result.error_count, 1U) << "case " << std::string_view(invalid).size();
    EXPECT_EQ(one.result.errors.empty() ? 0 : one.result.errors[0].offset, 14U);
  }
}

TEST(Reader, RecordsDoNotDependOnChunking) {
  std::string input;
  for (int i = 0; i < 50; ++i) input += (i % 2 ? kA : kB) + "\n";
  const std::string file = R"({"Records":[)" + kA + "," + kB + "]}";
  for (const std::string& bytes : {input, gzip(input), file, gzip(file)}) {
    const Read whole = read(bytes);
    for (std::size_t chunk : {std::size_t{4096}, std::size_t{4097}, std::size_t{10000}}) {
      Reader::Options options;
      options.chunk_size = chunk;
      const Read pieces = read(bytes, options);
      EXPECT_EQ(pieces.records, whole.records) << "chunk " << chunk;
      EXPECT_EQ(pieces.result.error_count, 0U);
    }
  }
}

}  // namespace
}  // namespace sgwatch::event
