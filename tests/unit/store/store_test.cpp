// Store: every table round-trips through SQLite, transactions commit or roll back as a whole,
// history queries filter, order and paginate, and a store from another schema is refused.
#include "store/store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "support/temp_dir.h"

namespace sgwatch::store {
namespace {

using Json = nlohmann::json;
using testing::TempDir;

alarms::AlarmDefinition definition(const std::string& name) {
  const Json input = {{"AlarmName", name}, {"AlarmDescription", "SG changes"}, {"MetricName", "SecurityGroupEventCount"},
                      {"Namespace", "CISBenchmark"}, {"Statistic", "Sum"}, {"Period", 300},
                      {"EvaluationPeriods", 3}, {"DatapointsToAlarm", 2}, {"Threshold", 1.5},
                      {"ComparisonOperator", "GreaterThanOrEqualToThreshold"}, {"TreatMissingData", "notBreaching"},
                      {"Dimensions", Json::array({Json{{"Name", "Group"}, {"Value", "sg-1"}}})},
                      {"AlarmActions", Json::array({"arn:aws:sns:us-east-1:123456789012:t"})}, {"Unit", "Count"}};
  return *alarms::parse_put_metric_alarm(input);
}

TEST(Store, AlarmsRoundTrip) {
  TempDir dir;
  auto store = Store::open(dir.path() / "state");
  ASSERT_TRUE(store) << store.error();
  AlarmRecord a;
  a.definition = definition("b-alarm");
  a.arn = "arn:aws:cloudwatch:us-east-1:123456789012:alarm:b-alarm";
  a.configuration_updated_ms = 1;
  a.state = alarms::AlarmState::kAlarm;
  a.reason = "Threshold Crossed: …";
  a.reason_data = R"({"version":"1.0"})";
  a.state_updated_ms = 2;
  a.state_transitioned_ms = 3;
  a.actions_enabled = false;
  a.next_boundary = 1764273660;
  a.idle = true;
  ASSERT_TRUE((*store)->begin());
  ASSERT_TRUE((*store)->put_alarm(a));
  AlarmRecord other = a;
  other.definition = definition("a-alarm");
  ASSERT_TRUE((*store)->put_alarm(other));
  ASSERT_TRUE((*store)->commit());
  store->reset();

  auto reopened = Store::open(dir.path() / "state");
  ASSERT_TRUE(reopened) << reopened.error();
  auto all = (*reopened)->alarms();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].definition.name, "a-alarm");  // by name
  const AlarmRecord& b = (*all)[1];
  EXPECT_EQ(alarms::to_put_metric_alarm(b.definition), alarms::to_put_metric_alarm(a.definition));
  EXPECT_EQ(b.arn, a.arn);
  EXPECT_EQ(b.configuration_updated_ms, 1);
  EXPECT_EQ(b.state, alarms::AlarmState::kAlarm);
  EXPECT_EQ(b.reason, a.reason);
  EXPECT_EQ(b.reason_data, a.reason_data);
  EXPECT_EQ(b.state_updated_ms, 2);
  EXPECT_EQ(b.state_transitioned_ms, 3);
  EXPECT_FALSE(b.actions_enabled);
  EXPECT_EQ(b.next_boundary, 1764273660);
  EXPECT_TRUE(b.idle);
  ASSERT_TRUE((*reopened)->delete_alarm("a-alarm"));
  EXPECT_EQ((*reopened)->alarms()->size(), 1U);
}

TEST(Store, RollbackDiscardsEverything) {
  TempDir dir;
  auto store = std::move(*Store::open(dir.path()));
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->set_checkpoint("s", "1"));
  ASSERT_TRUE(store->append_history({"x", 1, alarms::HistoryType::kStateUpdate, "s", "{}"}));
  store->rollback();
  EXPECT_FALSE(store->in_transaction());
  EXPECT_FALSE(*store->checkpoint("s"));
  EXPECT_TRUE(store->history({})->empty());
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->set_checkpoint("s", "2"));
  ASSERT_TRUE(store->commit());
  EXPECT_EQ(**store->checkpoint("s"), "2");
}

TEST(Store, CheckpointsAreListedByPrefixAndDeleted) {
  TempDir dir;
  auto store = std::move(*Store::open(dir.path()));
  ASSERT_TRUE(store->begin());
  for (const char* source : {"firehose:g:a", "firehose:g:b", "firehose:g2:c", "firehose:g;d", "folder:g:x"}) {
    ASSERT_TRUE(store->set_checkpoint(source, std::string("at ") + source));
  }
  ASSERT_TRUE(store->commit());
  const auto listed = store->checkpoints("firehose:g:");
  ASSERT_TRUE(listed);
  EXPECT_EQ(*listed, (std::vector<std::pair<std::string, std::string>>{{"firehose:g:a", "at firehose:g:a"},
                                                                        {"firehose:g:b", "at firehose:g:b"}}));
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->delete_checkpoint("firehose:g:a"));
  ASSERT_TRUE(store->commit());
  EXPECT_EQ(store->checkpoints("firehose:g:")->size(), 1U);
  EXPECT_FALSE(*store->checkpoint("firehose:g:a"));
  EXPECT_EQ(store->checkpoints("firehose:")->size(), 3U);
  EXPECT_TRUE(store->checkpoints("")->empty());
}

TEST(Store, DatapointsRoundTripWithValuesAndStatisticSets) {
  TempDir dir;
  auto store = std::move(*Store::open(dir.path()));
  const metrics::SeriesKey plain{"CISBenchmark", "M", {}};
  const metrics::SeriesKey dimensioned{"CISBenchmark", "M", {{"Group", "sg-1"}, {"Region", "eu-west-1"}}};
  metrics::StatSet one;
  one.add(2.5, true);
  metrics::StatSet set;  // StatisticValues: no raw values
  set.sample_count = 4;
  set.sum = 10;
  set.minimum = 1;
  set.maximum = 4;
  metrics::StatSet several;
  several.add(1, true);
  several.add(9, true);
  metrics::StatSet counted;  // PutMetricData Values [7, 1] with Counts [3, 1]
  counted.add(7, 3, true);
  counted.add(1, 1, true);
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->add_datapoint({plain, 1000, one}));
  ASSERT_TRUE(store->add_datapoint({plain, 1010, set}));
  ASSERT_TRUE(store->add_datapoint({dimensioned, 1020, several}));
  ASSERT_TRUE(store->add_datapoint({plain, 10, one}));  // older than the load horizon below
  ASSERT_TRUE(store->add_datapoint({dimensioned, 1090, counted}));
  ASSERT_TRUE(store->commit());

  metrics::SeriesStore loaded(60, true);
  ASSERT_TRUE(store->load_datapoints(900, loaded));
  const auto p = loaded.aggregate(plain, 960, 60);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sample_count, 5);
  EXPECT_EQ(p->sum, 12.5);
  EXPECT_EQ(p->minimum, 1);
  EXPECT_EQ(p->maximum, 4);
  EXPECT_EQ(p->values, (std::vector<metrics::ValueCount>{{2.5, 1}}));  // the statistic set has none
  const auto d = loaded.aggregate(dimensioned, 1020, 60);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->values, (std::vector<metrics::ValueCount>{{1, 1}, {9, 1}}));
  const auto c = loaded.aggregate(dimensioned, 1080, 60);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->sample_count, 4);
  EXPECT_EQ(c->values, (std::vector<metrics::ValueCount>{{1, 1}, {7, 3}}));
  EXPECT_FALSE(loaded.aggregate(plain, 0, 60));

  ASSERT_TRUE(store->prune_datapoints(1005));
  metrics::SeriesStore after(60, true);
  ASSERT_TRUE(store->load_datapoints(0, after));
  EXPECT_EQ(after.aggregate(plain, 960, 60)->sample_count, 4);
}

TEST(Store, HistoryFiltersOrdersAndPaginates) {
  TempDir dir;
  auto store = std::move(*Store::open(dir.path()));
  ASSERT_TRUE(store->begin());
  for (int i = 0; i < 10; ++i) {
    const auto type = i % 3 == 0 ? alarms::HistoryType::kConfigurationUpdate : alarms::HistoryType::kStateUpdate;
    ASSERT_TRUE(store->append_history({i % 2 ? "odd" : "even", 1000 + (i / 2) * 10, type, "s" + std::to_string(i), "{}"}));
  }
  ASSERT_TRUE(store->commit());
  auto newest = store->history({});
  ASSERT_TRUE(newest);
  ASSERT_EQ(newest->size(), 10U);
  EXPECT_EQ(newest->front().item.summary, "s9");  // newest first; equal times by insertion
  EXPECT_EQ(newest->back().item.summary, "s0");
  HistoryQuery q;
  q.alarm_name = "odd";
  q.type = alarms::HistoryType::kStateUpdate;
  q.ascending = true;
  auto odd = store->history(q);
  ASSERT_TRUE(odd);
  std::vector<std::string> summaries;
  for (const auto& h : *odd) summaries.push_back(h.item.summary);
  EXPECT_EQ(summaries, (std::vector<std::string>{"s1", "s5", "s7"}));
  // Pages of 3, continuing after the last id seen.
  HistoryQuery page;
  page.limit = 3;
  std::vector<std::string> paged;
  while (true) {
    auto items = store->history(page);
    ASSERT_TRUE(items);
    if (items->empty()) break;
    for (const auto& h : *items) paged.push_back(h.item.summary);
    page.after_id = items->back().id;
  }
  ASSERT_EQ(paged.size(), 10U);
  EXPECT_EQ(paged.front(), "s9");
  EXPECT_EQ(paged.back(), "s0");
  HistoryQuery window;
  window.start_ms = 1010;
  window.end_ms = 1020;
  EXPECT_EQ(store->history(window)->size(), 4U);
  ASSERT_TRUE(store->prune_history(1040));
  EXPECT_EQ(store->history({})->size(), 2U);
}

TEST(Store, TopicsAndSubscriptions) {
  TempDir dir;
  auto store = std::move(*Store::open(dir.path()));
  ASSERT_TRUE(store->begin());
  ASSERT_TRUE(store->put_topic({"arn:aws:sns:us-west-2:123456789012:b", "b", R"({"DisplayName":"B"})", "[]", 5}));
  ASSERT_TRUE(store->put_topic({"arn:aws:sns:us-west-2:123456789012:a", "a", "{}", R"([{"Key":"k","Value":"v"}])", 6}));
  SubscriptionRecord pending{"arn:aws:sns:us-west-2:123456789012:b:1", "arn:aws:sns:us-west-2:123456789012:b", "email",
                             "ops@example.com", "123456789012", false, "tok", 7, "{}", 7};
  SubscriptionRecord file{"arn:aws:sns:us-west-2:123456789012:a:2", "arn:aws:sns:us-west-2:123456789012:a", "file",
                          "/var/log/alarms.jsonl", "123456789012", true, "", 0, R"({"RawAwsFormat":"true"})", 8};
  ASSERT_TRUE(store->put_subscription(pending));
  ASSERT_TRUE(store->put_subscription(file));
  ASSERT_TRUE(store->commit());
  auto topics = store->topics();
  ASSERT_TRUE(topics);
  ASSERT_EQ(topics->size(), 2U);
  EXPECT_EQ((*topics)[0].name, "a");
  EXPECT_EQ((*topics)[0].tags, R"([{"Key":"k","Value":"v"}])");
  EXPECT_EQ((*topics)[1].attributes, R"({"DisplayName":"B"})");
  auto subscriptions = store->subscriptions();
  ASSERT_TRUE(subscriptions);
  ASSERT_EQ(subscriptions->size(), 2U);
  EXPECT_EQ((*subscriptions)[0].endpoint, "ops@example.com");
  EXPECT_FALSE((*subscriptions)[0].confirmed);
  EXPECT_EQ((*subscriptions)[0].token, "tok");
  EXPECT_TRUE((*subscriptions)[1].confirmed);
  EXPECT_EQ((*subscriptions)[1].attributes, R"({"RawAwsFormat":"true"})");
  // Confirming rewrites the record; deleting a topic takes its subscriptions with it.
  pending.confirmed = true;
  pending.token.clear();
  ASSERT_TRUE(store->put_subscription(pending));
  EXPECT_TRUE((*store->subscriptions())[0].confirmed);
  ASSERT_TRUE(store->delete_topic("arn:aws:sns:us-west-2:123456789012:b"));
  EXPECT_EQ(store->topics()->size(), 1U);
  EXPECT_EQ(store->subscriptions()->size(), 1U);
  ASSERT_TRUE(store->delete_subscription(file.arn));
  EXPECT_TRUE(store->subscriptions()->empty());
}

// One subscription's entries go out in the order they were recorded: a later entry is not due
// while an older one of the same subscription is pending, whatever their attempt times.
TEST(Store, OutboxKeepsOrderPerSubscription) {
  TempDir dir;
  auto store = std::move(*Store::open(dir.path()));
  OutboxEntry e;
  e.subscription_arn = "arn:aws:sns:us-west-2:123456789012:t:1";
  e.protocol = "http";
  e.endpoint = "http://127.0.0.1:9/hook";
  e.payload = "{}";
  e.message_id = "first";
  e.next_attempt_ms = 500;  // retried later
  ASSERT_TRUE(store->enqueue(e));
  e.message_id = "second";
  e.next_attempt_ms = 10;
  ASSERT_TRUE(store->enqueue(e));
  e.message_id = "other";
  e.subscription_arn = "arn:aws:sns:us-west-2:123456789012:t:2";
  ASSERT_TRUE(store->enqueue(e));
  auto due = store->due_deliveries(100, 10);
  ASSERT_EQ(due->size(), 1U);
  EXPECT_EQ((*due)[0].message_id, "other");
  EXPECT_EQ(**store->next_delivery_ms(), 10);
  due = store->due_deliveries(500, 10);
  ASSERT_EQ(due->size(), 2U);
  EXPECT_EQ((*due)[1].message_id, "first");
  OutboxEntry first = (*due)[1];
  first.state = DeliveryState::kDead;
  ASSERT_TRUE(store->update_delivery(first));
  due = store->due_deliveries(500, 10);
  ASSERT_EQ(due->size(), 2U);
  EXPECT_EQ((*due)[0].message_id, "second");  // released once the older one is finished
}

TEST(Store, OutboxHandsOutDueEntriesAndKeepsOutcomes) {
  TempDir dir;
  auto store = std::move(*Store::open(dir.path()));
  EXPECT_FALSE(*store->next_delivery_ms());
  OutboxEntry e;
  e.message_id = "m-1";
  e.subscription_arn = "arn:aws:sns:us-west-2:123456789012:t:1";
  e.protocol = "http";
  e.endpoint = "http://127.0.0.1:9/hook";
  e.payload = R"({"body":"x"})";
  e.created_ms = 100;
  e.next_attempt_ms = 100;
  auto first = store->enqueue(e);
  ASSERT_TRUE(first);
  e.message_id = "m-2";
  e.subscription_arn = "arn:aws:sns:us-west-2:123456789012:t:2";
  e.next_attempt_ms = 50;
  auto second = store->enqueue(e);
  ASSERT_TRUE(second);
  EXPECT_EQ(**store->next_delivery_ms(), 50);
  auto due = store->due_deliveries(100, 10);
  ASSERT_TRUE(due);
  ASSERT_EQ(due->size(), 2U);
  EXPECT_EQ((*due)[0].message_id, "m-2");  // the earliest first
  EXPECT_EQ((*due)[1].payload, R"({"body":"x"})");
  EXPECT_TRUE(store->due_deliveries(49, 10)->empty());

  OutboxEntry retry = (*due)[0];
  retry.attempts = 1;
  retry.last_error = "HTTP 503";
  retry.next_attempt_ms = 20100;
  ASSERT_TRUE(store->update_delivery(retry));
  OutboxEntry done = (*due)[1];
  done.attempts = 1;
  done.state = DeliveryState::kDelivered;
  done.finished_ms = 101;
  ASSERT_TRUE(store->update_delivery(done));
  EXPECT_EQ(**store->next_delivery_ms(), 20100);
  EXPECT_TRUE(store->due_deliveries(20099, 10)->empty());
  auto delivered = store->deliveries(DeliveryState::kDelivered, 10);
  ASSERT_EQ(delivered->size(), 1U);
  EXPECT_EQ((*delivered)[0].message_id, "m-1");
  EXPECT_EQ((*delivered)[0].finished_ms, 101);
  auto all = store->deliveries(std::nullopt, 10);
  ASSERT_EQ(all->size(), 2U);
  EXPECT_EQ((*all)[0].last_error, "HTTP 503");
  OutboxEntry ghost;
  ghost.id = 999;
  EXPECT_FALSE(store->update_delivery(ghost));
}

TEST(Store, AVersion1StoreIsUpgradedAndItsRawValuesReadAsCountsOfOne) {
  TempDir dir;
  { ASSERT_TRUE(Store::open(dir.path())); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "state.db").c_str(), &db), SQLITE_OK);
  // Version 1's datapoints table, with one series and a datapoint of raw values 5, 2, 2.
  const double raw[] = {5, 2, 2};
  ASSERT_EQ(sqlite3_exec(db,
                         "ALTER TABLE datapoints DROP COLUMN raw_counts;"
                         "UPDATE meta SET value = '1' WHERE key = 'schema_version';"
                         "INSERT INTO series VALUES (1, 'N', 'M', '[]');",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_stmt* insert = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "INSERT INTO datapoints VALUES (1, 1000, 3, 9, 2, 5, ?1)", -1, &insert, nullptr),
            SQLITE_OK);
  sqlite3_bind_blob(insert, 1, raw, sizeof raw, SQLITE_STATIC);
  ASSERT_EQ(sqlite3_step(insert), SQLITE_DONE);
  sqlite3_finalize(insert);
  sqlite3_close(db);

  auto store = Store::open(dir.path());
  ASSERT_TRUE(store) << store.error();
  metrics::SeriesStore loaded(60, true);
  ASSERT_TRUE((*store)->load_datapoints(0, loaded));
  const auto p = loaded.aggregate(metrics::SeriesKey{"N", "M", {}}, 960, 60);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->sample_count, 3);
  EXPECT_EQ(p->values, (std::vector<metrics::ValueCount>{{2, 2}, {5, 1}}));
  metrics::StatSet counted;
  counted.add(4, 2, true);
  ASSERT_TRUE((*store)->begin());
  ASSERT_TRUE((*store)->add_datapoint({metrics::SeriesKey{"N", "M", {}}, 1010, counted}));  // the new column
  ASSERT_TRUE((*store)->commit());
  metrics::SeriesStore again(60, true);
  ASSERT_TRUE((*store)->load_datapoints(0, again));
  EXPECT_EQ(again.aggregate(metrics::SeriesKey{"N", "M", {}}, 960, 60)->values,
            (std::vector<metrics::ValueCount>{{2, 2}, {4, 2}, {5, 1}}));
}

TEST(Store, RefusesAnotherSchemaAndUnusableDirectories) {
  TempDir dir;
  { ASSERT_TRUE(Store::open(dir.path())); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "state.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "UPDATE meta SET value = '99' WHERE key = 'schema_version'", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto refused = Store::open(dir.path());
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().find("schema version 99"), std::string::npos) << refused.error();

  std::ofstream(dir.path() / "file") << "x";
  auto not_a_dir = Store::open(dir.path() / "file");
  ASSERT_FALSE(not_a_dir);
  EXPECT_NE(not_a_dir.error().find("cannot create"), std::string::npos) << not_a_dir.error();
}

}  // namespace
}  // namespace sgwatch::store

namespace sgwatch::store {
namespace {

// Writes without pause (a push flood) starve the background's PASSIVE checkpoints: the log never
// starts over and grows without limit. Past Options::wal_limit_pages the writer restarts it.
// Here the background checkpoint waits an hour, so only the bound keeps the log small: 300
// commits of 64 KiB (19 MB) leave a log of at most the limit plus one commit.
TEST(Store, TheWriteAheadLogStaysWithinItsBoundUnderWritesWithoutPause) {
  testing::TempDir dir;
  Options options;
  options.checkpoint_interval_ms = 3600 * 1000;
  options.wal_limit_pages = 256;  // 1 MiB
  auto store = Store::open(dir.path(), options);
  ASSERT_TRUE(store) << store.error();
  const std::string position(64 * 1024, 'p');
  std::uintmax_t largest = 0;
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE((*store)->begin());
    ASSERT_TRUE((*store)->set_checkpoint("source-" + std::to_string(i % 10), position + std::to_string(i)));
    ASSERT_TRUE((*store)->commit());
    std::error_code ec;
    largest = std::max(largest, std::filesystem::file_size(dir.path() / "state.db-wal", ec));
  }
  EXPECT_GT((*store)->wal_restarts(), 0U);
  EXPECT_LE(largest, std::uintmax_t{256 + 64} * 4096) << "the log grew past its bound";
  // Nothing was lost on the way.
  auto last = (*store)->checkpoint("source-9");
  ASSERT_TRUE(last);
  ASSERT_TRUE(last->has_value());
  EXPECT_EQ(**last, position + "299");
}

}  // namespace
}  // namespace sgwatch::store
