// Unit tests of MetricFilter (pattern/metric_filter.h): the PutMetricFilter validation table of
// spec sections 7 and 9 (transformation count, metricValue forms and length, names, units,
// dimensions) and evaluate(): the data point and dimensions one event contributes.
// Neighbours: matcher_test.cpp for the pattern itself; the metrics module aggregates emissions.
#include "pattern/metric_filter.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "core/text.h"

namespace sgwatch::pattern {
namespace {

using Dimensions = std::vector<std::pair<std::string, std::string>>;

MetricTransformation transformation(std::string value = "1") {
  MetricTransformation t;
  t.metric_name = "SecurityGroupEventCount";
  t.metric_namespace = "CloudTrailMetrics";
  t.metric_value = std::move(value);
  return t;
}

MetricTransformation with(const std::function<void(MetricTransformation&)>& change) {
  MetricTransformation t = transformation();
  change(t);
  return t;
}

constexpr std::string_view kJsonPattern = "{ $.eventName = CreateSecurityGroup }";
constexpr std::string_view kDelimitedPattern = "[ip, server, ...]";

// ---------------------------------------------------------------------------------------------
// create(): validation.

struct CreateCase {
  std::string what;
  std::string pattern;
  MetricTransformation transformation;
  bool accepted;
  std::string aws_message = {};  // checked when not empty
};

void PrintTo(const CreateCase& c, std::ostream* os) { *os << c.what; }

std::vector<CreateCase> create_cases() {
  const std::string json(kJsonPattern);
  const std::string delimited(kDelimitedPattern);
  auto value = [&](std::string v) { return transformation(std::move(v)); };
  auto dims = [](Dimensions d) { return with([&](MetricTransformation& t) { t.dimensions = d; }); };
  return {
      // metricValue: a number or a $-reference, at most 100 characters (spec 7, 9).
      {"value 1", json, value("1"), true},
      {"value 0.5", json, value("0.5"), true},
      {"value -2", json, value("-2"), true},
      {"value +1", json, value("+1"), true},
      {"value 1e3", json, value("1e3"), true},
      {"value $.latency", json, value("$.latency"), true},
      {"value $.a.b[0]", json, value("$.a.b[0]"), true},
      {"value $.['a.b']", json, value("$.['a.b']"), true},
      {"value $size", delimited, value("$size"), true},
      {"value $bytes-sent", delimited, value("$bytes-sent"), true},
      {"value $7", delimited, value("$7"), true},
      {"value of 100 characters", json, value("$." + std::string(98, 'a')), true},
      {"value of 101 characters", json, value("$." + std::string(99, 'a')), false},
      {"empty value", json, value(""), false},
      {"bare word value", json, value("length"), false, "metric value length must be a valid number"},
      {"value $", json, value("$"), false},
      {"value $0", delimited, value("$0"), false},
      {"value 1e", json, value("1e"), false},
      {"value $.a b", json, value("$.a b"), false},
      {"value $a.b", json, value("$a.b"), false},
      {"value $..a", json, value("$..a"), false},
      {"wildcard value [*]", json, value("$.items[*].value"), false,
       "metric value $.items[*].value must be a valid number"},
      {"wildcard value .*", json, value("$.a.*"), false},
      // metricName / metricNamespace: required, at most 255, no ':' '*' '$' (spec 1, 9).
      {"name of 255", json, with([](MetricTransformation& t) { t.metric_name = std::string(255, 'n'); }),
       true},
      {"name of 256", json, with([](MetricTransformation& t) { t.metric_name = std::string(256, 'n'); }),
       false},
      {"empty name", json, with([](MetricTransformation& t) { t.metric_name.clear(); }), false},
      {"name with :", json, with([](MetricTransformation& t) { t.metric_name = "a:b"; }), false},
      {"name with *", json, with([](MetricTransformation& t) { t.metric_name = "a*b"; }), false},
      {"name with $", json, with([](MetricTransformation& t) { t.metric_name = "a$b"; }), false},
      {"name with / and spaces", json,
       with([](MetricTransformation& t) { t.metric_name = "SG changes/min"; }), true},
      {"empty namespace", json, with([](MetricTransformation& t) { t.metric_namespace.clear(); }),
       false},
      {"namespace with :", json,
       with([](MetricTransformation& t) { t.metric_namespace = "AWS:Custom"; }), false},
      {"namespace with *", json, with([](MetricTransformation& t) { t.metric_namespace = "a*"; }),
       false},
      {"namespace with $", json, with([](MetricTransformation& t) { t.metric_namespace = "$a"; }),
       false},
      {"namespace of 256", json,
       with([](MetricTransformation& t) { t.metric_namespace = std::string(256, 's'); }), false},
      // Units.
      {"unit Count", json, with([](MetricTransformation& t) { t.unit = "Count"; }), true},
      {"unit Seconds", json, with([](MetricTransformation& t) { t.unit = "Seconds"; }), true},
      {"unit Bytes/Second", json, with([](MetricTransformation& t) { t.unit = "Bytes/Second"; }),
       true},
      {"unit None", json, with([](MetricTransformation& t) { t.unit = "None"; }), true},
      {"unit count", json, with([](MetricTransformation& t) { t.unit = "count"; }), false},
      {"unit Foo", json, with([](MetricTransformation& t) { t.unit = "Foo"; }), false},
      // Default value.
      {"default value", json, with([](MetricTransformation& t) { t.default_value = 0; }), true},
      // Dimensions: at most 3, JSON or delimited only, not with a default value (spec 7, 9).
      {"3 dimensions", json,
       dims({{"eventName", "$.eventName"}, {"region", "$.awsRegion"}, {"user", "$.userIdentity.arn"}}),
       true},
      {"4 dimensions", json,
       dims({{"a", "$.a"}, {"b", "$.b"}, {"c", "$.c"}, {"d", "$.d"}}), false},
      {"delimited dimension", delimited, dims({{"server", "$server"}}), true},
      {"positional dimension", delimited, dims({{"third", "$3"}}), true},
      {"dimension on a term pattern", "ERROR", dims({{"a", "$.a"}}), false,
       "The specified filter pattern does not support dimensions"},
      {"dimension on a regex pattern", "%ERR%", dims({{"a", "$.a"}}), false,
       "The specified filter pattern does not support dimensions"},
      {"dimension on a match-all pattern", "", dims({{"a", "$.a"}}), false,
       "The specified filter pattern does not support dimensions"},
      {"dimensions with a default value", json, with([](MetricTransformation& t) {
         t.dimensions = {{"eventName", "$.eventName"}};
         t.default_value = 0;
       }),
       false},
      {"dimension name with a space inside", json, dims({{"event name", "$.eventName"}}), true},
      {"empty dimension name", json, dims({{"", "$.eventName"}}), false},
      {"blank dimension name", json, dims({{"   ", "$.eventName"}}), false},
      {"dimension name starting with :", json, dims({{":x", "$.eventName"}}), false},
      {"non-ASCII dimension name", json, dims({{"caf\xC3\xA9", "$.eventName"}}), false},
      {"dimension name of 256", json, dims({{std::string(256, 'd'), "$.eventName"}}), false},
      {"wildcard dimension value", json, dims({{"id", "$.items[*].id"}}), false,
       "dimension value must be valid selector"},
      {"wildcard dimension value .*", json, dims({{"id", "$.a.*"}}), false},
      {"dimension value without $", json, dims({{"id", "eventType"}}), false},
      {"constant dimension value", json, dims({{"id", "1"}}), false},
  };
}

class MetricFilterCreateTest : public testing::TestWithParam<CreateCase> {};

TEST_P(MetricFilterCreateTest, Create) {
  const CreateCase& c = GetParam();
  auto matcher = Matcher::compile(c.pattern);
  ASSERT_TRUE(matcher.ok()) << matcher.error().describe();
  auto filter = MetricFilter::create(*matcher, {c.transformation});
  EXPECT_EQ(filter.ok(), c.accepted) << (filter.ok() ? "accepted" : filter.error().describe());
  if (!filter.ok()) {
    EXPECT_EQ(filter.error().code, ErrorCode::kInvalidTransformation);
    if (!c.aws_message.empty()) {
      EXPECT_EQ(filter.error().aws_message, c.aws_message);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Table, MetricFilterCreateTest, testing::ValuesIn(create_cases()));

TEST(MetricFilterTest, ExactlyOneTransformation) {
  auto matcher = Matcher::compile(kJsonPattern);
  ASSERT_TRUE(matcher.ok());
  auto none = MetricFilter::create(*matcher, {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kInvalidTransformation);
  auto two = MetricFilter::create(*matcher, {transformation(), transformation()});
  ASSERT_FALSE(two.ok());
  EXPECT_EQ(two.error().code, ErrorCode::kInvalidTransformation);
  EXPECT_TRUE(MetricFilter::create(*matcher, {transformation()}).ok());
}

TEST(MetricFilterTest, Units) {
  for (std::string_view unit : {"Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
                                "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits",
                                "Megabits", "Gigabits", "Terabits", "Percent", "Count",
                                "Bytes/Second", "Kilobytes/Second", "Megabytes/Second",
                                "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
                                "Kilobits/Second", "Megabits/Second", "Gigabits/Second",
                                "Terabits/Second", "Count/Second", "None"}) {
    EXPECT_TRUE(is_metric_unit(unit)) << unit;
  }
  for (std::string_view unit : {"", "count", "Second", "Byte", "Count/Minute", "Percent "}) {
    EXPECT_FALSE(is_metric_unit(unit)) << "'" << unit << "'";
  }
}

// ---------------------------------------------------------------------------------------------
// evaluate(): one event's data point (spec 7).

struct EvaluateCase {
  std::string what;
  std::string pattern;
  MetricTransformation transformation;
  std::string event;
  bool matched;
  std::optional<double> value;  // nullopt: no data point
  Dimensions dimensions = {};
};

void PrintTo(const EvaluateCase& c, std::ostream* os) { *os << c.what; }

const std::string kApache =
    "127.0.0.1 Prod frank [10/Oct/2000:13:25:15 -0700] \"GET /index.html HTTP/1.0\" 404 1534";
const std::string kApachePattern = "[ip, user, username, timestamp, request, status_code, bytes]";

std::vector<EvaluateCase> evaluate_cases() {
  const std::string json(kJsonPattern);
  auto value = [](std::string v) { return transformation(std::move(v)); };
  auto default_of = [](double d) {
    return with([d](MetricTransformation& t) { t.default_value = d; });
  };
  auto dims = [](std::string v, Dimensions d) {
    MetricTransformation t = transformation(std::move(v));
    t.dimensions = std::move(d);
    return t;
  };
  return {
      // Constants and default values.
      {"constant on a match", json, value("1"), "{\"eventName\":\"CreateSecurityGroup\"}", true, 1.0},
      {"negative constant", json, value("-2"), "{\"eventName\":\"CreateSecurityGroup\"}", true,
       -2.0},
      {"no match, no default", json, value("1"), "{\"eventName\":\"DeleteVpc\"}", false,
       std::nullopt},
      {"no match, default 0", json, default_of(0), "{\"eventName\":\"DeleteVpc\"}", false, 0.0},
      {"no match, default 3", json, default_of(3), "not even JSON", false, 3.0},
      {"match with a default", json, default_of(3), "{\"eventName\":\"CreateSecurityGroup\"}", true,
       1.0},
      {"term pattern constant", "ERROR", value("1"), "ERROR x", true, 1.0},
      {"term pattern default", "ERROR", with([](MetricTransformation& t) {
         t.default_value = 0;
       }),
       "INFO x", false, 0.0},
      // $.path
      {"$.latency number", "{ $.latency = * }", value("$.latency"), "{\"latency\":50}", true, 50.0},
      {"$.v numeric string", "{ $.v = * }", value("$.v"), "{\"v\":\"11.5\"}", true, 11.5},
      {"$.v exponent", "{ $.v = * }", value("$.v"), "{\"v\":-2.5e1}", true, -25.0},
      {"$.v non-numeric string", "{ $.v = * }", value("$.v"), "{\"v\":\"banana\"}", true,
       std::nullopt},
      {"$.v boolean", "{ $.v IS TRUE }", value("$.v"), "{\"v\":true}", true, std::nullopt},
      {"$.v null", "{ $.v IS NULL }", value("$.v"), "{\"v\":null}", true, std::nullopt},
      {"$.v array", "{ $.v NOT EXISTS || $.w = 1 }", value("$.v"), "{\"v\":[1],\"w\":1}", true,
       std::nullopt},
      {"$.missing", "{ $.kind = x }", value("$.missing"), "{\"kind\":\"x\"}", true, std::nullopt},
      {"$.path the pattern does not mention", "{ $.a = 1 }", value("$.b.c"),
       "{\"a\":1,\"b\":{\"c\":7}}", true, 7.0},
      {"$.v duplicate keys", "{ $.v = * }", value("$.v"), "{\"v\":1,\"v\":2}", true, 2.0},
      {"$.a[1] index", "{ $.a[0] = 1 }", value("$.a[1]"), "{\"a\":[1,42]}", true, 42.0},
      {"$.['k.x'] bracket key", "{ $.['k.x'] = * }", value("$.['k.x']"), "{\"k.x\":8}", true,
       8.0},
      // $name and $N on delimited patterns.
      {"$bytes", kApachePattern, value("$bytes"), kApache, true, 1534.0},
      {"$status_code", kApachePattern, value("$status_code"), kApache, true, 404.0},
      {"$user is text", kApachePattern, value("$user"), kApache, true, std::nullopt},
      {"$missing name", kApachePattern, value("$missing"), kApache, true, std::nullopt},
      {"$7 positional", "[ip, ...]", value("$7"), kApache, true, 1534.0},
      {"$9 beyond the fields", "[ip, ...]", value("$9"), kApache, true, std::nullopt},
      {"quoted field", "[kind, value, bucket]", value("$value"), "SPACE \"17.5\" A", true, 17.5},
      {"last entry holds the rest", "[a, b]", value("$b"), "x 5 6", true, std::nullopt},
      {"$3 of a longer event", "[a, b]", value("$3"), "x 5 6", true, 6.0},
      {"delimited default", "[a = ERROR, b]", with([](MetricTransformation& t) {
         t.metric_value = "$b";
         t.default_value = 0;
       }),
       "WARN 5", false, 0.0},
      // Dimensions: attached only when found; values are strings.
      {"JSON dimension", "{ $.eventType = * }", dims("1", {{"eventType", "$.eventType"}}),
       "{\"eventType\":\"UpdateTrail\"}", true, 1.0, {{"eventType", "UpdateTrail"}}},
      {"absent dimension", "{ $.a = 1 }", dims("1", {{"user", "$.user"}}), "{\"a\":1}", true, 1.0,
       {}},
      {"present dimension", "{ $.a = 1 }", dims("1", {{"user", "$.user"}}),
       "{\"a\":1,\"user\":\"bob\"}", true, 1.0, {{"user", "bob"}}},
      {"numeric dimension keeps its text", "{ $.a = 1 }", dims("1", {{"code", "$.code"}}),
       "{\"a\":1,\"code\":404.0}", true, 1.0, {{"code", "404.0"}}},
      {"dimensions in order", "{ $.a = 1 }",
       dims("$.n", {{"z", "$.z"}, {"missing", "$.m"}, {"a", "$.a"}}),
       "{\"a\":1,\"z\":\"last\",\"n\":3}", true, 3.0, {{"z", "last"}, {"a", "1"}}},
      {"no dimensions without a match", "{ $.a = 1 }", dims("1", {{"user", "$.user"}}),
       "{\"a\":2,\"user\":\"bob\"}", false, std::nullopt, {}},
      {"delimited dimension", std::string(kDelimitedPattern), dims("1", {{"server", "$server"}}),
       "10.0.0.1 Prod GET /", true, 1.0, {{"server", "Prod"}}},
      {"positional dimension", std::string(kDelimitedPattern), dims("1", {{"third", "$3"}}),
       "10.0.0.1 Prod GET /", true, 1.0, {{"third", "GET"}}},
  };
}

class MetricFilterEvaluateTest : public testing::TestWithParam<EvaluateCase> {};

TEST_P(MetricFilterEvaluateTest, Emission) {
  const EvaluateCase& c = GetParam();
  auto matcher = Matcher::compile(c.pattern);
  ASSERT_TRUE(matcher.ok()) << matcher.error().describe();
  auto filter = MetricFilter::create(*matcher, {c.transformation});
  ASSERT_TRUE(filter.ok()) << filter.error().describe();
  Subject subject(c.event);
  const MetricFilter::Emission emission = filter->evaluate(subject);
  EXPECT_EQ(emission.matched, c.matched);
  EXPECT_EQ(emission.value, c.value);
  EXPECT_EQ(emission.dimensions, c.dimensions);
}

INSTANTIATE_TEST_SUITE_P(Table, MetricFilterEvaluateTest, testing::ValuesIn(evaluate_cases()));

TEST(MetricFilterTest, EvaluateFillsExtractedValues) {
  auto matcher = Matcher::compile(kApachePattern);
  ASSERT_TRUE(matcher.ok());
  auto filter = MetricFilter::create(*matcher, {transformation("$bytes")});
  ASSERT_TRUE(filter.ok());
  Subject subject(kApache);
  ExtractedValues extracted;
  const auto emission = filter->evaluate(subject, &extracted);
  EXPECT_EQ(emission.value, 1534.0);
  ASSERT_EQ(extracted.size(), 7u);
  EXPECT_EQ(extracted[4], (std::pair<std::string, std::string>{"$request", "GET /index.html HTTP/1.0"}));
  EXPECT_EQ(filter->transformation().metric_value, "$bytes");
  EXPECT_EQ(filter->matcher().text(), kApachePattern);
}

// Recorded defaults (spec 7, NATIVE-MF `defaults`): one match with value 5 and fourteen
// non-matching events with default 3 give Sum 47 and SampleCount 15.
TEST(MetricFilterTest, DefaultValuePerNonMatchingEvent) {
  auto matcher = Matcher::compile("{ $.kind = \"hit\" }");
  ASSERT_TRUE(matcher.ok());
  auto filter = MetricFilter::create(*matcher, {with([](MetricTransformation& t) {
                                                  t.metric_value = "$.v";
                                                  t.default_value = 3;
                                                })});
  ASSERT_TRUE(filter.ok()) << filter.error().describe();
  double sum = 0;
  int samples = 0;
  Subject subject;
  std::vector<std::string> events{"{\"kind\":\"hit\",\"v\":5}"};
  for (int i = 0; i < 14; ++i) events.push_back("{\"kind\":\"miss\",\"v\":" + std::to_string(i) + "}");
  for (const std::string& event : events) {
    subject.reset(event);
    if (auto value = filter->evaluate(subject).value) {
      sum += *value;
      ++samples;
    }
  }
  EXPECT_EQ(sum, 47.0);
  EXPECT_EQ(samples, 15);
}

}  // namespace
}  // namespace sgwatch::pattern
