// S3Feed over an in-memory S3 and SQS (tests/support/fake_s3.h): a gzip'd CloudTrail object is
// stored once with its checkpoint "s3:<group>:<bucket>/<key>" and never fetched again (not after
// a restart either); with a queue, messages of every outcome: objects read then the message
// deleted, a repeated notification deleted without a GetObject, s3:TestEvent, other buckets and
// unreadable bodies reported and deleted, an object that cannot be read kept in the queue until
// the attempts run out, and a store failure leaving the message in the queue.
#include "engine/s3_feed.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "support/fake_s3.h"
#include "support/gzip.h"
#include "support/temp_dir.h"

namespace sgwatch::engine {
namespace {

using Json = nlohmann::json;

const std::string kGroup = "aws-cloudtrail-logs";
std::int64_t real_now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// A key in CloudTrail's layout, in today's folder (the listing looks at recent days only).
std::string today_key(const std::string& file) {
  const std::time_t t = static_cast<std::time_t>(real_now_s());
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt::format("AWSLogs/123456789012/CloudTrail/us-west-2/{:04}/{:02}/{:02}/{}", tm.tm_year + 1900,
                     tm.tm_mon + 1, tm.tm_mday, file);
}

const std::string kKey = today_key("123456789012_CloudTrail_us-west-2_20261128T1645Z_a b.json.gz");

std::string records_object(std::int64_t seconds) {
  Json records = Json::array();
  for (const char* name : {"AuthorizeSecurityGroupIngress", "DescribeInstances"}) {
    records.push_back({{"eventVersion", "1.08"},
                       {"eventTime", core::format_iso8601(seconds)},
                       {"eventSource", "ec2.amazonaws.com"},
                       {"eventName", name},
                       {"awsRegion", "us-west-2"},
                       {"recipientAccountId", "123456789012"}});
  }
  return testing::gzip_compress(Json{{"Records", records}}.dump());
}

std::string s3_event(const std::string& bucket, const std::string& encoded_key) {
  return Json{{"Records",
               {{{"eventName", "ObjectCreated:Put"},
                 {"s3", {{"bucket", {{"name", bucket}}}, {"object", {{"key", encoded_key}, {"size", 1}}}}}}}}}
      .dump();
}

struct Fixture {
  testing::TempDir state;
  std::shared_ptr<testing::FakeS3State> s3 = std::make_shared<testing::FakeS3State>();
  core::ManualClock clock{real_now_s() * 1000};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<AlarmEngine> alarms;
  std::unique_ptr<LogsEngine> logs;
  std::unique_ptr<S3Feed> feed;
  std::mutex lock;

  explicit Fixture(bool queue) {
    s3->buckets["trail"];  // an empty bucket
    open(queue);
  }

  void open(bool queue) {
    feed.reset();
    logs.reset();
    alarms.reset();
    store.reset();
    auto s = store::Store::open(state.path());
    ASSERT_TRUE(s) << s.error();
    store = std::move(*s);
    auto a = AlarmEngine::open(*store, clock, EngineOptions{"us-west-2", "123456789012"});
    ASSERT_TRUE(a) << a.error();
    alarms = std::move(*a);
    auto l = LogsEngine::open(*store, *alarms, clock, LogsOptions{"us-west-2", "123456789012"});
    ASSERT_TRUE(l) << l.error();
    logs = std::move(*l);
    aws::ClientOptions client_options;
    client_options.region = "us-west-2";
    client_options.endpoint_url = "http://127.0.0.1:1";
    client_options.credentials = {"AKIDEXAMPLE", "secret", ""};
    client_options.max_attempts = 1;
    S3FeedOptions options;
    options.feed.log_group_name = kGroup;
    options.prefix.bucket = "trail";
    options.prefix.prefix = "AWSLogs/";
    if (queue) options.sqs_queue_url = "http://127.0.0.1:1/123456789012/trail";
    options.sqs_wait_seconds = 0;
    options.max_receive_attempts = 3;
    feed = std::make_unique<S3Feed>(*logs, *store, lock, clock,
                                    std::make_unique<aws::Client>(client_options, testing::make_fake_s3(s3)), options);
    auto prepared = feed->prepare();
    ASSERT_TRUE(prepared) << prepared.error().message;
  }

  FeedReport poll() {
    auto report = feed->poll();
    EXPECT_TRUE(report) << report.error();
    return report ? *report : FeedReport{};
  }

  std::size_t events() {
    FilterLogEventsRequest r;
    r.log_group_name = kGroup;
    auto found = logs->filter_log_events(r);
    EXPECT_TRUE(found) << found.error().message;
    return found ? found->events.size() : 0;
  }
};

TEST(S3Feed, ListedObjectsAreStoredOnceAndNeverFetchedAgain) {
  Fixture f(false);
  f.s3->put("trail", kKey, records_object(f.clock.now_ms() / 1000), f.clock.now_ms() / 1000);
  f.s3->put("trail", "AWSLogs/123456789012/CloudTrail-Digest/us-west-2/2026/11/28/d.json.gz", "{}", 1);
  const FeedReport first = f.poll();
  EXPECT_EQ(first.files_read, 1U);
  EXPECT_EQ(first.events_accepted, 2U);
  EXPECT_EQ(f.events(), 2U);
  EXPECT_EQ(f.s3->count("GetObject"), 1U);
  auto checkpoint = f.store->checkpoint(f.feed->checkpoint_name("trail", kKey));
  ASSERT_TRUE(checkpoint);
  ASSERT_TRUE(checkpoint->has_value());
  EXPECT_EQ(f.feed->checkpoint_name("trail", kKey), "s3:" + kGroup + ":trail/" + kKey);

  f.clock.advance(60 * 1000);
  EXPECT_EQ(f.poll().files_read, 0U);
  f.open(false);  // a restart
  EXPECT_EQ(f.poll().files_read, 0U);
  EXPECT_EQ(f.s3->count("GetObject"), 1U);
  EXPECT_EQ(f.events(), 2U);
}

TEST(S3Feed, QueueMessagesAreDeletedOnlyOnceTheirObjectsAreStored) {
  Fixture f(true);
  EXPECT_EQ(f.poll().files_read, 0U);  // the first listing finds nothing; no messages
  const std::int64_t now = f.clock.now_ms() / 1000;
  f.s3->put("trail", kKey, records_object(now), now);
  std::string encoded = kKey;
  encoded.replace(encoded.find(' '), 1, "+");
  f.s3->send("m-object", s3_event("trail", encoded));
  const FeedReport read = f.poll();
  EXPECT_EQ(read.files_read, 1U);
  EXPECT_EQ(f.events(), 2U);
  EXPECT_EQ(f.s3->deleted, std::vector<std::string>{"m-object"});
  // The delete came after the GetObject.
  const auto& r = f.s3->requests;
  const auto get = std::find_if(r.begin(), r.end(), [](const auto& q) { return q.action == "GetObject"; });
  const auto del = std::find_if(r.begin(), r.end(), [](const auto& q) { return q.action == "DeleteMessage"; });
  EXPECT_LT(get - r.begin(), del - r.begin());

  // The same notification again (S3 delivers at least once): no GetObject, deleted.
  f.s3->send("m-again", s3_event("trail", encoded));
  f.s3->send("m-test", Json{{"Service", "Amazon S3"}, {"Event", "s3:TestEvent"}, {"Bucket", "trail"}}.dump());
  f.s3->send("m-foreign", s3_event("other-bucket", "AWSLogs/x.json.gz"));
  f.s3->send("m-outside", s3_event("trail", "elsewhere/x.json.gz"));
  f.s3->send("m-missing", s3_event("trail", "AWSLogs/none.json.gz"));
  f.s3->send("m-junk", "this is not a notification");
  const FeedReport mixed = f.poll();
  EXPECT_EQ(f.s3->count("GetObject"), 1U);
  EXPECT_EQ(f.events(), 2U);
  EXPECT_EQ(f.s3->deleted, (std::vector<std::string>{"m-object", "m-again", "m-test", "m-foreign", "m-outside",
                                                      "m-missing", "m-junk"}));
  ASSERT_EQ(mixed.problems.size(), 4U);
  EXPECT_NE(mixed.problems[0].find("m-foreign"), std::string::npos) << mixed.problems[0];
  EXPECT_NE(mixed.problems[1].find("is not under s3://trail/AWSLogs/"), std::string::npos) << mixed.problems[1];
  EXPECT_NE(mixed.problems[2].find("no such object"), std::string::npos) << mixed.problems[2];
  EXPECT_NE(mixed.problems[3].find("m-junk"), std::string::npos) << mixed.problems[3];
  EXPECT_TRUE(f.s3->visible.empty());
  EXPECT_TRUE(f.s3->in_flight.empty());
}

TEST(S3Feed, AnUnreadableObjectKeepsItsMessageUntilTheAttemptsRunOut) {
  Fixture f(true);
  f.poll();
  const std::int64_t now = f.clock.now_ms() / 1000;
  const std::string key = today_key("k.json.gz");
  f.s3->put("trail", key, records_object(now), now);
  f.s3->fail_gets[key] = 100;
  f.s3->send("m-denied", s3_event("trail", key));
  for (int attempt = 1; attempt < 3; ++attempt) {
    const FeedReport report = f.poll();
    EXPECT_EQ(report.unreadable.size(), 1U);
    EXPECT_TRUE(f.s3->deleted.empty()) << attempt;
    f.s3->release();  // the visibility timeout runs out
  }
  const FeedReport last = f.poll();
  EXPECT_EQ(f.s3->deleted, std::vector<std::string>{"m-denied"});
  ASSERT_FALSE(last.problems.empty());
  EXPECT_NE(last.problems.back().find("could not be read in 3 attempts; deleted"), std::string::npos)
      << last.problems.back();
  EXPECT_EQ(f.events(), 0U);
  // Once it can be read, the safety-net listing reads it.
  f.s3->fail_gets.clear();
  f.clock.advance(16 * 60 * 1000);
  EXPECT_EQ(f.poll().files_read, 1U);
  EXPECT_EQ(f.events(), 2U);
}

}  // namespace
}  // namespace sgwatch::engine
