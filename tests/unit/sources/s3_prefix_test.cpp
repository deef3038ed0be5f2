// S3PrefixSource over an in-memory S3 (tests/support/fake_s3.h) holding three years of a
// CloudTrail layout (two accounts, two regions, digests, a plain object): discovery stops at the
// date level and leaves digests out, the first listing looks back 15 days and later ones one day
// (one ListObjectsV2 per region, however many years the prefix holds), new objects and new
// regions appear, an outage widens the next look-back, and HeadObject gives the same entry as the
// listing (the version stamp a checkpoint compares).
#include "sources/s3_prefix.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>

#include "support/fake_s3.h"

namespace sgwatch::sources {
namespace {

constexpr std::int64_t kDay = 24 * 3600;
// 2026-11-28T12:00:00Z.
constexpr std::int64_t kNow = 1795867200;

std::string day_path(std::int64_t seconds) {
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  ::gmtime_r(&t, &tm);
  return fmt::format("{:04}/{:02}/{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

struct Fixture {
  std::shared_ptr<testing::FakeS3State> s3 = std::make_shared<testing::FakeS3State>();
  core::ManualClock clock{kNow * 1000};
  std::unique_ptr<aws::Client> client;
  std::unique_ptr<S3PrefixSource> source;
  const std::vector<std::string> partitions = {
      "AWSLogs/111111111111/CloudTrail/eu-west-1/", "AWSLogs/111111111111/CloudTrail/us-east-1/",
      "AWSLogs/222222222222/CloudTrail/us-east-1/"};

  Fixture() {
    // Three years of one file a day per partition, and digests beside them.
    for (std::int64_t d = 0; d < 3 * 365; ++d) {
      const std::int64_t t = kNow - d * kDay;
      for (const std::string& p : partitions) s3->put("trail", p + day_path(t) + "/f.json.gz", "x", t);
      s3->put("trail", "AWSLogs/111111111111/CloudTrail-Digest/us-east-1/" + day_path(t) + "/d.json.gz", "x", t);
    }
    s3->put("trail", "AWSLogs/111111111111/notes.json", "{}", kNow);
    s3->put("trail", "elsewhere/x.json", "{}", kNow);
    aws::ClientOptions options;
    options.region = "us-east-1";
    options.endpoint_url = "http://127.0.0.1:1";
    options.credentials = {"AKIDEXAMPLE", "secret", ""};
    options.now = [] { return kNow; };
    options.max_attempts = 1;
    client = std::make_unique<aws::Client>(options, testing::make_fake_s3(s3));
    S3PrefixOptions prefix;
    prefix.bucket = "trail";
    prefix.prefix = "AWSLogs/";
    source = std::make_unique<S3PrefixSource>(*client, clock, prefix);
  }

  std::vector<std::string> list() {
    auto listed = source->list();
    EXPECT_TRUE(listed) << listed.error();
    std::vector<std::string> keys;
    if (listed) {
      EXPECT_TRUE(listed->errors.empty());
      for (const FileEntry& e : listed->files) keys.push_back(e.relative);
    }
    return keys;
  }
};

TEST(S3Prefix, StartAfterNamesTheDayFolder) {
  EXPECT_EQ(S3PrefixSource::start_after("AWSLogs/1/CloudTrail/us-east-1/", kNow * 1000, 1),
            "AWSLogs/1/CloudTrail/us-east-1/2026/11/27");
  EXPECT_EQ(S3PrefixSource::start_after("p/", kNow * 1000, 0), "p/2026/11/28");
  // "p/2026/11/27/x" sorts after the StartAfter of one day back; "p/2026/11/26/x" before it.
  EXPECT_GT(std::string("p/2026/11/27/x"), S3PrefixSource::start_after("p/", kNow * 1000, 1));
  EXPECT_LT(std::string("p/2026/11/26/x"), S3PrefixSource::start_after("p/", kNow * 1000, 1));
}

TEST(S3Prefix, ListingCostStaysBoundedAsThePrefixGrows) {
  Fixture f;
  // First listing: discovery (one delimiter listing per folder above the date level), then 16 days
  // (15 back and today) of each partition, and the plain object; no digests.
  const auto first = f.list();
  EXPECT_EQ(f.source->partitions(), f.partitions);
  ASSERT_EQ(first.size(), 16 * 3 + 1U);
  EXPECT_EQ(first.front(), "trail/AWSLogs/111111111111/CloudTrail/eu-west-1/" + day_path(kNow - 15 * kDay) + "/f.json.gz");
  EXPECT_EQ(std::count(first.begin(), first.end(), "trail/AWSLogs/111111111111/notes.json"), 1);
  for (const std::string& key : first) EXPECT_EQ(key.find("Digest"), std::string::npos) << key;
  // Discovery lists AWSLogs/, the two accounts, their CloudTrail folders and the three regions.
  const std::size_t discovery = 1 + 2 + 2 + 3;
  EXPECT_EQ(f.s3->count("ListObjectsV2"), discovery + 3);
  EXPECT_EQ(f.s3->count("GetObject"), 0U);

  // Five minutes later: one request per partition (and one for the folder of plain objects),
  // today and yesterday only.
  f.s3->requests.clear();
  f.clock.advance(300 * 1000);
  f.s3->put("trail", f.partitions[1] + day_path(kNow) + "/g.json.gz", "y", kNow + 200);
  const auto second = f.list();
  EXPECT_EQ(f.s3->count("ListObjectsV2"), 3U + 1U);
  ASSERT_EQ(second.size(), 2 * 3 + 1 + 1U);
  EXPECT_EQ(std::count(second.begin(), second.end(), "trail/" + f.partitions[1] + day_path(kNow) + "/g.json.gz"), 1);
  for (const auto& request : f.s3->requests) {
    if (request.target.find("delimiter") != std::string::npos) continue;
    EXPECT_NE(request.target.find("start-after="), std::string::npos) << request.target;
  }

  // An hour later a new region appears and is found by the next discovery.
  f.clock.advance(3600 * 1000);
  f.s3->put("trail", "AWSLogs/222222222222/CloudTrail/ap-south-1/" + day_path(kNow) + "/h.json.gz", "z", kNow);
  const auto third = f.list();
  EXPECT_EQ(f.source->partitions().size(), 4U);
  EXPECT_EQ(std::count(third.begin(), third.end(),
                       "trail/AWSLogs/222222222222/CloudTrail/ap-south-1/" + day_path(kNow) + "/h.json.gz"),
            1);
}

TEST(S3Prefix, AfterAnOutageTheLookBackCoversIt) {
  Fixture f;
  f.list();
  f.clock.advance(4 * kDay * 1000);  // four days without a successful listing
  const auto keys = f.list();
  // The four days since the last listing and the one before it: the fixture's last two days
  // (nothing was written during the outage).
  EXPECT_EQ(std::count_if(keys.begin(), keys.end(),
                          [&](const std::string& k) { return k.starts_with("trail/" + f.partitions[0]); }),
            2);
  f.s3->requests.clear();
  auto listed = f.source->list();
  ASSERT_TRUE(listed);
  for (const auto& request : f.s3->requests) {
    if (request.target.find("start-after=") == std::string::npos) continue;
    EXPECT_NE(request.target.find("2026%2F12%2F01"), std::string::npos) << request.target;
  }
}

TEST(S3Prefix, HeadGivesTheListingsEntryAndOpenTheBytes) {
  Fixture f;
  const std::string key = f.partitions[0] + day_path(kNow) + "/f.json.gz";
  auto listed = f.source->list();
  ASSERT_TRUE(listed);
  const auto it = std::find_if(listed->files.begin(), listed->files.end(),
                               [&](const FileEntry& e) { return e.relative == "trail/" + key; });
  ASSERT_NE(it, listed->files.end());
  auto head = f.source->entry(key);
  ASSERT_TRUE(head) << head.error().message;
  EXPECT_EQ(head->relative, it->relative);
  EXPECT_EQ(head->size, it->size);
  EXPECT_EQ(head->mtime_ns, it->mtime_ns);
  EXPECT_EQ(head->path.string(), "s3://trail/" + key);
  auto missing = f.source->entry("AWSLogs/none");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(missing.error().missing);

  auto bytes = f.source->open(*it);
  ASSERT_TRUE(bytes) << bytes.error();
  char buffer[16];
  EXPECT_EQ((*bytes)->read(buffer, sizeof buffer), 1);
  EXPECT_EQ(buffer[0], 'x');
  EXPECT_TRUE(f.source->covers("trail", key));
  EXPECT_FALSE(f.source->covers("other", key));
  EXPECT_FALSE(f.source->covers("trail", "elsewhere/x.json"));
}

TEST(S3Prefix, AnEmptyBucketIsDiscoveredAgainUntilTheTrailDelivers) {
  Fixture f;
  f.s3->buckets["fresh"];
  S3PrefixOptions options;
  options.bucket = "fresh";
  options.prefix = "AWSLogs/";
  S3PrefixSource source(*f.client, f.clock, options);
  auto empty = source.list();
  ASSERT_TRUE(empty) << empty.error();
  EXPECT_TRUE(empty->files.empty());
  const std::string key = "AWSLogs/1/CloudTrail/us-east-1/" + day_path(kNow) + "/first.json.gz";
  f.s3->put("fresh", key, "x", kNow);
  f.clock.advance(60 * 1000);
  auto found = source.list();
  ASSERT_TRUE(found) << found.error();
  ASSERT_EQ(found->files.size(), 1U);
  EXPECT_EQ(found->files[0].relative, "fresh/" + key);
  EXPECT_EQ(source.partitions(), std::vector<std::string>{"AWSLogs/1/CloudTrail/us-east-1/"});
}

TEST(S3Prefix, AFailedListingIsAnError) {
  Fixture f;
  S3PrefixOptions options;
  options.bucket = "no-such-bucket";
  S3PrefixSource source(*f.client, f.clock, options);
  auto listed = source.list();
  ASSERT_FALSE(listed);
  EXPECT_NE(listed.error().find("NoSuchBucket"), std::string::npos) << listed.error();
}

}  // namespace
}  // namespace sgwatch::sources
