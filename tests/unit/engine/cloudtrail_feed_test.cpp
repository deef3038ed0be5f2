// CloudTrailFeed: a log group fed by a folder of CloudTrail files — every input format into
// "<account>_CloudTrail_<region>" streams stamped with eventTime, the group's metric filter and
// alarm firing on a dropped file, files read once and grown files from where they stopped,
// resumption from a stored position (between and within chunks), refused events, unsettled
// files, and bad input reported with its offset while the good records are kept.
#include "engine/cloudtrail_feed.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "support/gzip.h"
#include "support/temp_dir.h"

namespace sgwatch::engine {
namespace {

namespace fs = std::filesystem;
using Json = nlohmann::json;

const std::string kGroup = "aws-cloudtrail-logs";
const std::string kSeedPattern =
    "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = AuthorizeSecurityGroupEgress) || "
    "($.eventName = RevokeSecurityGroupIngress) || ($.eventName = RevokeSecurityGroupEgress) || "
    "($.eventName = CreateSecurityGroup) || ($.eventName = DeleteSecurityGroup) }";

std::int64_t real_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A CloudTrail record of `name` at `seconds`, in `account` and `region`.
std::string record(const std::string& name, std::int64_t seconds, const std::string& account = "123456789012",
                   const std::string& region = "us-west-2", int n = 0) {
  return Json{{"eventVersion", "1.08"},
              {"userIdentity", {{"type", "IAMUser"}, {"arn", fmt::format("arn:aws:iam::{}:user/alice", account)}}},
              {"eventTime", core::format_iso8601(seconds)},
              {"eventSource", "ec2.amazonaws.com"},
              {"eventName", name},
              {"awsRegion", region},
              {"sourceIPAddress", "203.0.113.7"},
              {"requestParameters", {{"groupId", "sg-0123456789abcdef0"}}},
              {"eventID", fmt::format("00000000-0000-4000-8000-{:012}", n)},
              {"recipientAccountId", account}}
      .dump();
}

void write(const fs::path& path, const std::string& bytes, std::ios::openmode mode = std::ios::trunc) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary | mode) << bytes;
}

struct Fixture {
  testing::TempDir state;
  testing::TempDir folder;
  // The feed compares the clock with the files' modification times: start from the real time.
  core::ManualClock clock{real_now_ms() + 5000};
  std::unique_ptr<store::Store> store;
  std::unique_ptr<AlarmEngine> alarms;
  std::unique_ptr<LogsEngine> logs;
  std::unique_ptr<CloudTrailFeed> feed;
  std::mutex lock;
  int wakes = 0;

  explicit Fixture(std::size_t chunk_records = 10000) { open(chunk_records); }

  void open(std::size_t chunk_records) {
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
    CloudTrailFeedOptions options;
    options.log_group_name = kGroup;
    options.folder = folder.path();
    options.account_id = "999999999999";
    options.region = "eu-central-1";
    options.chunk_records = chunk_records;
    options.on_transition = [this] { ++wakes; };
    feed = std::make_unique<CloudTrailFeed>(*logs, *store, lock, clock, options);
    auto prepared = feed->prepare();
    ASSERT_TRUE(prepared) << prepared.error().message;
  }

  std::int64_t now_s() const { return clock.now_ms() / 1000; }

  void seed_chain() {
    pattern::MetricTransformation t;
    t.metric_name = "SecurityGroupEventCount";
    t.metric_namespace = "CISBenchmark";
    t.metric_value = "1";
    auto put = logs->put_metric_filter({kGroup, "SecurityGroupChanges", kSeedPattern, {t}});
    ASSERT_TRUE(put) << put.error().message;
    auto alarm = alarms::parse_put_metric_alarm(Json{{"AlarmName", "SecurityGroupChangesAlarm"},
                                                     {"MetricName", "SecurityGroupEventCount"},
                                                     {"Namespace", "CISBenchmark"},
                                                     {"Statistic", "Sum"},
                                                     {"Period", 300},
                                                     {"EvaluationPeriods", 1},
                                                     {"Threshold", 1.0},
                                                     {"ComparisonOperator", "GreaterThanOrEqualToThreshold"}});
    ASSERT_TRUE(alarm);
    auto added = alarms->put_alarm(*alarm);
    ASSERT_TRUE(added);
  }

  FeedReport poll() {
    auto report = feed->poll();
    EXPECT_TRUE(report) << report.error();
    return report ? *report : FeedReport{};
  }

  // Messages of the group by stream, oldest first.
  std::map<std::string, std::vector<std::string>> events() {
    std::map<std::string, std::vector<std::string>> out;
    FilterLogEventsRequest r;
    r.log_group_name = kGroup;
    auto found = logs->filter_log_events(r);
    EXPECT_TRUE(found) << found.error().message;
    if (found) {
      for (const auto& e : found->events) out[e.log_stream_name].push_back(e.message);
    }
    return out;
  }

  std::string position(const std::string& relative) {
    auto stored = store->checkpoint(feed->checkpoint_name(relative));
    EXPECT_TRUE(stored);
    return stored && *stored ? **stored : std::string("(none)");
  }
};

std::string records_file(const std::vector<std::string>& records) {
  std::string out = R"({"Records":[)";
  for (std::size_t i = 0; i < records.size(); ++i) out += (i ? "," : "") + records[i];
  return out + "]}";
}

std::string lines(const std::vector<std::string>& records) {
  std::string out;
  for (const auto& r : records) out += r + "\n";
  return out;
}

TEST(CloudTrailFeed, EveryFormatBecomesEventsOfCloudTrailStreamsAndFiresTheAlarm) {
  Fixture f;
  f.seed_chain();
  const std::int64_t t = f.now_s() - 60;
  const std::string ingress = record("AuthorizeSecurityGroupIngress", t, "111122223333", "us-west-2", 1);
  const std::string describe = record("DescribeInstances", t - 5, "111122223333", "us-west-2", 2);
  write(f.folder.path() / "AWSLogs/111122223333/CloudTrail/us-west-2/2026/11/28/111122223333_CloudTrail_us-west-2_x.json.gz",
        testing::gzip_compress(records_file({ingress, describe})));
  const std::string other = record("RunInstances", t - 3, "123456789012", "eu-west-1", 3);
  write(f.folder.path() / "export.jsonl", lines({other}));
  write(f.folder.path() / "eventbridge.json",
        Json{{"version", "0"}, {"detail-type", "AWS API Call via CloudTrail"}, {"source", "aws.ec2"},
             {"detail", Json::parse(record("CreateSecurityGroup", t - 1, "123456789012", "eu-west-1", 4))}}
            .dump());
  write(f.folder.path() / "README.md", "# notes\n");
  write(f.folder.path() / "AWSLogs/111122223333/CloudTrail-Digest/us-west-2/2026/11/28/d.json.gz",
        testing::gzip_compress(R"({"awsAccountId":"111122223333","digestStartTime":"2026-11-28T00:00:00Z",)"
                               R"("digestEndTime":"2026-11-28T01:00:00Z","logFiles":[]})"));

  const FeedReport report = f.poll();
  EXPECT_EQ(report.records, 4u);
  EXPECT_EQ(report.events_accepted, 4u);
  EXPECT_EQ(report.events_refused, 0u);
  EXPECT_TRUE(report.problems.empty()) << report.problems.front();
  auto events = f.events();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events["111122223333_CloudTrail_us-west-2"], (std::vector<std::string>{describe, ingress}));  // by time
  ASSERT_EQ(events["123456789012_CloudTrail_eu-west-1"].size(), 2u);
  EXPECT_EQ(events["123456789012_CloudTrail_eu-west-1"][0], other);

  // The metric filter counted the two security-group calls; the alarm went to ALARM on arrival.
  const auto alarm = f.alarms->alarm("SecurityGroupChangesAlarm");
  ASSERT_TRUE(alarm);
  EXPECT_EQ(alarm->state, alarms::AlarmState::kAlarm);
  EXPECT_EQ(report.transitions, 1u);
  EXPECT_EQ(f.wakes, 1);

  // Each file's position says it was read whole.
  EXPECT_NE(f.position("export.jsonl").find("records=1 batches=0 complete=1"), std::string::npos);
  EXPECT_NE(f.position("README.md").find("records=0 batches=0 complete=1"), std::string::npos);
  bool digest_noted = false;
  for (const auto& note : report.notes) digest_noted |= note.find("d.json.gz: skipped") != std::string::npos;
  EXPECT_TRUE(digest_noted);

  // Nothing is read twice.
  const FeedReport again = f.poll();
  EXPECT_EQ(again.files_read, 0u);
  EXPECT_EQ(again.records, 0u);
}

TEST(CloudTrailFeed, RecordsWithoutAccountRegionOrTimeUseTheDefaults) {
  Fixture f;
  write(f.folder.path() / "bare.jsonl", "{\"eventName\":\"CreateSecurityGroup\"}\n");
  const FeedReport report = f.poll();
  EXPECT_EQ(report.events_accepted, 1u);
  auto events = f.events();
  ASSERT_EQ(events.count("999999999999_CloudTrail_eu-central-1"), 1u);
}

TEST(CloudTrailFeed, AGrownFileIsReadFromWhereItStopped) {
  Fixture f;
  const std::int64_t t = f.now_s() - 60;
  const fs::path file = f.folder.path() / "stream.jsonl";
  write(file, lines({record("CreateSecurityGroup", t, "123456789012", "us-west-2", 1),
                     record("DeleteSecurityGroup", t, "123456789012", "us-west-2", 2)}));
  EXPECT_EQ(f.poll().events_accepted, 2u);
  write(file, lines({record("RunInstances", t + 1, "123456789012", "us-west-2", 3)}), std::ios::app);
  // A modification time in the clock's past, so the file counts as settled.
  fs::last_write_time(file, fs::last_write_time(file) - std::chrono::seconds(10));
  const FeedReport report = f.poll();
  EXPECT_EQ(report.records, 1u);
  EXPECT_EQ(report.events_accepted, 1u);
  EXPECT_EQ(f.events()["123456789012_CloudTrail_us-west-2"].size(), 3u);
}

TEST(CloudTrailFeed, AFileStillBeingWrittenWaitsUntilItSettles) {
  Fixture f;
  f.clock.set(real_now_ms());  // the file is written "now"
  write(f.folder.path() / "new.jsonl", lines({record("CreateSecurityGroup", f.now_s() - 1)}));
  EXPECT_EQ(f.poll().files_read, 0u);
  f.clock.advance(2000);
  EXPECT_EQ(f.poll().events_accepted, 1u);
}

TEST(CloudTrailFeed, ResumesFromAStoredPositionBetweenChunks) {
  Fixture f(2);  // two records per chunk
  const std::int64_t t = f.now_s() - 60;
  std::vector<std::string> all;
  for (int i = 0; i < 5; ++i) all.push_back(record("CreateSecurityGroup", t + i, "123456789012", "us-west-2", i));
  const fs::path file = f.folder.path() / "five.jsonl";
  write(file, lines(all));
  // As if a previous run stored the first chunk (records 0-1) and stopped.
  const auto size = fs::file_size(file);
  const auto entries = sources::list_files(f.folder.path());
  ASSERT_TRUE(entries);
  ASSERT_TRUE(f.store->begin());
  ASSERT_TRUE(f.store->set_checkpoint(f.feed->checkpoint_name("five.jsonl"),
                                      sources::encode_position({size, entries->files[0].mtime_ns, 2, 0, false})));
  ASSERT_TRUE(f.store->commit());
  const FeedReport report = f.poll();
  EXPECT_EQ(report.records, 3u);
  EXPECT_EQ(f.events()["123456789012_CloudTrail_us-west-2"],
            (std::vector<std::string>{all[2], all[3], all[4]}));
  EXPECT_NE(f.position("five.jsonl").find("records=5 batches=0 complete=1"), std::string::npos);
}

TEST(CloudTrailFeed, ResumesWithinAChunkAfterItsStoredBatches) {
  Fixture f;
  const std::int64_t t = f.now_s() - 60;
  // One chunk, two streams: two batches (streams in name order).
  const std::string a = record("CreateSecurityGroup", t, "111111111111", "us-east-1", 1);
  const std::string b = record("CreateSecurityGroup", t, "222222222222", "us-east-1", 2);
  const fs::path file = f.folder.path() / "two.jsonl";
  write(file, lines({b, a}));
  const auto entries = sources::list_files(f.folder.path());
  ASSERT_TRUE(entries);
  ASSERT_TRUE(f.store->begin());
  ASSERT_TRUE(f.store->set_checkpoint(f.feed->checkpoint_name("two.jsonl"),
                                      sources::encode_position({fs::file_size(file), entries->files[0].mtime_ns, 0, 1, false})));
  ASSERT_TRUE(f.store->commit());
  EXPECT_EQ(f.poll().events_accepted, 1u);
  auto events = f.events();
  EXPECT_EQ(events.count("111111111111_CloudTrail_us-east-1"), 0u);  // its batch was stored before
  EXPECT_EQ(events["222222222222_CloudTrail_us-east-1"], std::vector<std::string>{b});
}

TEST(CloudTrailFeed, EachBatchCommitsTheFilePositionWithIt) {
  Fixture f(1);  // one record per chunk: a position per record
  const std::int64_t t = f.now_s() - 60;
  write(f.folder.path() / "three.jsonl", lines({record("CreateSecurityGroup", t), record("CreateSecurityGroup", t + 1),
                                                record("CreateSecurityGroup", t + 2)}));
  EXPECT_EQ(f.poll().events_accepted, 3u);
  EXPECT_NE(f.position("three.jsonl").find("records=3 batches=0 complete=1"), std::string::npos);
  // A restart reads nothing again.
  f.open(1);
  EXPECT_EQ(f.poll().records, 0u);
  EXPECT_EQ(f.events()["123456789012_CloudTrail_us-west-2"].size(), 3u);
}

TEST(CloudTrailFeed, EventsPutLogEventsWouldRefuseAreCountedNotStored) {
  Fixture f;
  const std::int64_t now = f.now_s();
  std::string huge = record("CreateSecurityGroup", now - 60, "123456789012", "us-west-2", 9);
  huge.insert(huge.size() - 1, ",\"padding\":\"" + std::string(300000, 'x') + "\"");
  write(f.folder.path() / "mixed.jsonl",
        lines({record("CreateSecurityGroup", now - 20 * 86400, "123456789012", "us-west-2", 1),  // 20 days old
               record("CreateSecurityGroup", now - 60, "123456789012", "us-west-2", 2),
               record("CreateSecurityGroup", now + 3 * 3600, "123456789012", "us-west-2", 3),  // 3 h ahead
               huge}));
  const FeedReport report = f.poll();
  EXPECT_EQ(report.records, 4u);
  EXPECT_EQ(report.events_accepted, 1u);
  EXPECT_EQ(report.events_refused, 3u);
  ASSERT_EQ(report.problems.size(), 1u);
  EXPECT_NE(report.problems[0].find("over the 256 KB"), std::string::npos) << report.problems[0];
  EXPECT_NE(f.position("mixed.jsonl").find("complete=1"), std::string::npos);
}

TEST(CloudTrailFeed, BadInputIsReportedWithItsOffsetAndTheGoodRecordsKept) {
  Fixture f;
  const std::int64_t t = f.now_s() - 60;
  const std::string good = record("CreateSecurityGroup", t);
  write(f.folder.path() / "broken.jsonl", good + "\n{\"eventName\": \"Revoke\n");
  const std::string gz = testing::gzip_compress(records_file({good}));
  write(f.folder.path() / "truncated.json.gz", gz.substr(0, gz.size() / 2));
  const FeedReport report = f.poll();
  EXPECT_GE(report.events_accepted, 1u);
  ASSERT_GE(report.problems.size(), 2u);
  bool broken = false;
  bool truncated = false;
  for (const auto& p : report.problems) {
    broken |= p.find("broken.jsonl: byte") != std::string::npos;
    truncated |= p.find("truncated.json.gz:") != std::string::npos;
  }
  EXPECT_TRUE(broken);
  EXPECT_TRUE(truncated);
  // A bad file is not read again and again.
  EXPECT_EQ(f.poll().files_read, 0u);
}

TEST(CloudTrailFeed, AMissingFolderIsAnErrorOfThePoll) {
  Fixture f;
  fs::remove_all(f.folder.path());
  auto polled = f.feed->poll();
  ASSERT_FALSE(polled);
  EXPECT_NE(polled.error().find(f.folder.path().string()), std::string::npos);
  fs::create_directories(f.folder.path());  // for the TempDir's cleanup
}

}  // namespace
}  // namespace sgwatch::engine
