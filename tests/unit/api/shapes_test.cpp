// Operation shapes: a form and a JSON body of the same input read into the same JSON value
// (nested structures, lists of scalars and structures, empty lists, numbers, booleans, times),
// type errors named by member, and outputs written as XML (member order, <member>, empty lists,
// maps, timestamp formats) and as JSON (epoch seconds).
#include "api/shapes.h"

#include <gtest/gtest.h>

#include "api/cloudwatch_shapes.h"
#include "unit/api/api_test_util.h"

namespace sgwatch::api {
namespace {

using namespace testing;

aws::WireRequest classified(const aws::HttpRequest& request) {
  auto result = aws::classify_request(request);
  EXPECT_TRUE(result.ok());
  return std::move(result).value();
}

Json read_both(std::string_view operation, const Shape& shape, const Json& input, Json* from_json) {
  auto query =
      read_input(classified(cloudwatch_request(aws::Protocol::kAwsQuery, operation, input)), shape);
  auto json = read_input(
      classified(cloudwatch_request(aws::Protocol::kAwsJson1_0, operation, input)), shape);
  EXPECT_TRUE(query.ok()) << (query.ok() ? "" : query.error().message);
  EXPECT_TRUE(json.ok()) << (json.ok() ? "" : json.error().message);
  *from_json = json.ok() ? *json : Json();
  return query.ok() ? *query : Json();
}

TEST(Shapes, AFormAndAJsonBodyReadIntoTheSameValue) {
  const Json input = Json::parse(R"({
    "MetricDataQueries": [
      {"Id": "m1", "ReturnData": false,
       "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Requests",
                                 "Dimensions": [{"Name": "Host", "Value": "a"}, {"Name": "Az", "Value": "b"}]},
                      "Period": 300, "Stat": "p99.5"}},
      {"Id": "m2", "Label": "two", "MetricStat": {"Metric": {"Namespace": "App", "MetricName": "Errors"},
                                                 "Period": 60, "Stat": "Sum"}}
    ],
    "StartTime": "2026-11-27T00:00:00Z",
    "EndTime": "2026-11-27T01:00:00Z",
    "MaxDatapoints": 10,
    "LabelOptions": {"Timezone": "+0130"}
  })");
  Json from_json;
  const Json from_query =
      read_both("GetMetricData", cloudwatch::kGetMetricDataInput, input, &from_json);
  EXPECT_EQ(from_query, from_json);
  EXPECT_EQ(from_query["StartTime"], 1795737600);
  EXPECT_EQ(from_query["MetricDataQueries"][0]["ReturnData"], false);
  EXPECT_EQ(from_query["MetricDataQueries"][0]["MetricStat"]["Metric"]["Dimensions"][1]["Value"],
            "b");
  EXPECT_EQ(from_query["LabelOptions"]["Timezone"], "+0130");
}

TEST(Shapes, ListsOfNumbersAndEmptyListsReadAlike) {
  const Json input = Json::parse(R"({
    "Namespace": "App",
    "MetricData": [{"MetricName": "M", "Values": [1.5, 2.0, -3e-5], "Counts": [1.0, 2.0, 3.0],
                    "Dimensions": [], "StorageResolution": 1}]
  })");
  Json from_json;
  const Json from_query =
      read_both("PutMetricData", cloudwatch::kPutMetricDataInput, input, &from_json);
  EXPECT_EQ(from_query, from_json);
  EXPECT_EQ(from_query["MetricData"][0]["Values"], Json::parse("[1.5, 2.0, -3e-5]"));
  EXPECT_EQ(from_query["MetricData"][0]["Dimensions"], Json::array());

  Json alarms_json;
  const Json alarms_query = read_both("DeleteAlarms", cloudwatch::kAlarmNamesInput,
                                      Json{{"AlarmNames", Json::array()}}, &alarms_json);
  EXPECT_EQ(alarms_query, Json({{"AlarmNames", Json::array()}}));
  EXPECT_EQ(alarms_json, alarms_query);
}

TEST(Shapes, MembersTheShapeDoesNotNameAreDropped) {
  Json from_json;
  const Json from_query = read_both(
      "SetAlarmState", cloudwatch::kSetAlarmStateInput,
      Json{{"AlarmName", "a"}, {"StateValue", "OK"}, {"StateReason", "r"}, {"Unknown", "x"}},
      &from_json);
  EXPECT_EQ(from_query, Json({{"AlarmName", "a"}, {"StateValue", "OK"}, {"StateReason", "r"}}));
  EXPECT_EQ(from_json, from_query);
}

TEST(Shapes, TypeErrorsNameTheMember) {
  aws::HttpRequest json = cloudwatch_request(
      aws::Protocol::kAwsJson1_0, "PutMetricData",
      Json{{"Namespace", "App"},
           {"MetricData", Json::array({{{"MetricName", "M"}, {"Values", {1.0, "two"}}}})}});
  auto read = read_input(classified(json), cloudwatch::kPutMetricDataInput);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().code, "SerializationException");
  EXPECT_EQ(read.error().message, "MetricData.member.1.Values.member.2 must be a number.");

  aws::HttpRequest form =
      base_request("application/x-www-form-urlencoded",
                   "Action=PutMetricData&Version=2010-08-01&Namespace=App&"
                   "MetricData.member.1.MetricName=M&MetricData.member.1.Values.member.1=x");
  auto read_form = read_input(classified(form), cloudwatch::kPutMetricDataInput);
  ASSERT_FALSE(read_form.ok());
  EXPECT_EQ(read_form.error().code, "InvalidParameterValue");
  EXPECT_NE(read_form.error().message.find("MetricData.member.1.Values.member.1"),
            std::string::npos);

  aws::HttpRequest gap =
      base_request("application/x-www-form-urlencoded",
                   "Action=DeleteAlarms&Version=2010-08-01&AlarmNames.member.2=b");
  auto read_gap = read_input(classified(gap), cloudwatch::kAlarmNamesInput);
  ASSERT_FALSE(read_gap.ok());
  EXPECT_EQ(read_gap.error().code, "MalformedQueryString");
}

constexpr Member kInnerMembers[] = {{"Name", &kStringShape}, {"Count", &kIntegerShape}};
constexpr Shape kInner{ShapeKind::kStructure, kInnerMembers};
constexpr Shape kInnerList{ShapeKind::kList, {}, &kInner};
constexpr Shape kDoubles{ShapeKind::kMap, {}, &kDoubleShape};
constexpr Member kOutputMembers[] = {
    {"When", &kTimestampShape}, {"Day", &kTimestampSecondsShape}, {"Ok", &kBooleanShape},
    {"Ratio", &kDoubleShape},   {"Items", &kInnerList},           {"Nothing", &kStringListShape},
    {"Stats", &kDoubles},       {"Text", &kStringShape},
};
constexpr Shape kOutput{ShapeKind::kStructure, kOutputMembers};

TEST(Shapes, OutputsAreWrittenInShapeOrderForBothProtocols) {
  nlohmann::ordered_json value;
  value["Text"] = "a < b & \"c\"";
  value["Stats"] = {{"p90", 2.5}};
  value["Nothing"] = nlohmann::ordered_json::array();
  value["Items"] = nlohmann::ordered_json::array({{{"Count", 2}, {"Name", "x"}}});
  value["Ratio"] = 1.0;
  value["Ok"] = true;
  value["Day"] = 1795737600000;
  value["When"] = 1795737600250;
  value["Ignored"] = "not in the shape";
  aws::WireRequest request;
  request.service = aws::Service::kCloudWatch;
  request.protocol = aws::Protocol::kAwsQuery;
  request.operation = "Example";
  RequestContext context;
  context.request_id = "11111111-2222-4333-8444-555555555555";
  const aws::HttpResponse xml = success(request, context, &kOutput, value);
  EXPECT_EQ(xml.body,
            "<ExampleResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">\n"
            "  <ExampleResult>\n"
            "    <When>2026-11-27T00:00:00.250Z</When>\n"
            "    <Day>2026-11-27T00:00:00Z</Day>\n"
            "    <Ok>true</Ok>\n"
            "    <Ratio>1.0</Ratio>\n"
            "    <Items>\n"
            "      <member>\n"
            "        <Name>x</Name>\n"
            "        <Count>2</Count>\n"
            "      </member>\n"
            "    </Items>\n"
            "    <Nothing/>\n"
            "    <Stats>\n"
            "      <entry>\n"
            "        <key>p90</key>\n"
            "        <value>2.5</value>\n"
            "      </entry>\n"
            "    </Stats>\n"
            "    <Text>a &lt; b &amp; &quot;c&quot;</Text>\n"
            "  </ExampleResult>\n"
            "  <ResponseMetadata>\n"
            "    <RequestId>11111111-2222-4333-8444-555555555555</RequestId>\n"
            "  </ResponseMetadata>\n"
            "</ExampleResponse>\n");
  EXPECT_EQ(*xml.find_header("x-amzn-RequestId"), context.request_id);

  request.protocol = aws::Protocol::kAwsJson1_0;
  const aws::HttpResponse json = success(request, context, &kOutput, value);
  EXPECT_EQ(
      json.body,
      R"({"When":1795737600.25,"Day":1795737600,"Ok":true,"Ratio":1.0,"Items":[{"Name":"x","Count":2}],)"
      R"("Nothing":[],"Stats":{"p90":2.5},"Text":"a < b & \"c\""})");
  EXPECT_EQ(*json.find_header("Content-Type"), "application/x-amz-json-1.0");

  EXPECT_EQ(success(request, context, nullptr, value).body, "{}");
  request.protocol = aws::Protocol::kAwsQuery;
  EXPECT_EQ(success(request, context, nullptr, value).body.find("Result"), std::string::npos);
}

}  // namespace
}  // namespace sgwatch::api
