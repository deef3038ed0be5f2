// Dispatcher without a network: requests built and signed by hand reach the registered service
// with their context; every authentication failure (missing, malformed, wrong key or secret,
// stale, wrong scope) is answered in the request's protocol; unknown services and operations,
// handlers that throw, gzip bodies, serialisation of handlers, the observer.
#include "api/dispatch.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <atomic>
#include <regex>
#include <set>
#include <stdexcept>
#include <thread>

#include "api/shapes.h"
#include "unit/api/api_test_util.h"

namespace sgwatch::api {
namespace {

using namespace testing;

const std::int64_t kNow = *core::parse_iso8601("2026-11-27T20:36:35Z");

class RecordingApi final : public ServiceApi {
 public:
  aws::HttpResponse handle(const aws::WireRequest& request,
                           const RequestContext& context) override {
    const int now_active = ++active;
    max_active = std::max(max_active.load(), now_active);
    if (pause) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    requests.push_back(request);
    contexts.push_back(context);
    --active;
    if (throw_next) {
      throw_next = false;
      throw std::runtime_error("handler failed");
    }
    return success(request, context, nullptr, {});
  }

  std::vector<aws::WireRequest> requests;
  std::vector<RequestContext> contexts;
  bool throw_next = false;
  bool pause = false;
  std::atomic<int> active{0};
  std::atomic<int> max_active{0};
};

struct DispatchFixture {
  explicit DispatchFixture(DispatcherOptions options = {}) : clock(kNow * 1000) {
    secrets.add(std::string(kAccessKey), std::string(kSecret));
    dispatcher = std::make_unique<Dispatcher>(secrets, clock, std::move(options));
    dispatcher->register_service(aws::Service::kCloudWatch, cloudwatch);
  }
  aws::HttpResponse send_signed(aws::HttpRequest request, std::int64_t signed_at = kNow,
                                const aws::Credentials& credentials = example_credentials(),
                                std::string_view region = kRegion,
                                std::string_view signing_name = "monitoring") {
    sign(request, signing_name, signed_at, credentials, region);
    return dispatcher->dispatch(request);
  }

  core::ManualClock clock;
  aws::StaticSecrets secrets;
  RecordingApi cloudwatch;
  std::unique_ptr<Dispatcher> dispatcher;
};

aws::HttpRequest describe(aws::Protocol protocol) {
  return cloudwatch_request(protocol, "DescribeAlarms", Json{{"AlarmNames", {"a"}}});
}

const std::regex kUuidV4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

TEST(Dispatcher, ASignedRequestReachesItsServiceWithItsContext) {
  DispatcherOptions options;
  options.account_id = "111122223333";
  DispatchFixture f(options);
  const aws::HttpResponse response = f.send_signed(describe(aws::Protocol::kAwsQuery));
  ASSERT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(f.cloudwatch.requests.size(), 1u);
  EXPECT_EQ(f.cloudwatch.requests[0].operation, "DescribeAlarms");
  EXPECT_EQ(f.cloudwatch.requests[0].protocol, aws::Protocol::kAwsQuery);
  const RequestContext& context = f.cloudwatch.contexts[0];
  EXPECT_TRUE(std::regex_match(context.request_id, kUuidV4)) << context.request_id;
  EXPECT_EQ(context.access_key_id, kAccessKey);
  EXPECT_EQ(context.region, "us-west-2");
  EXPECT_EQ(context.account_id, "111122223333");
  EXPECT_EQ(context.now_ms, kNow * 1000);
  EXPECT_TRUE(context.session_token.empty());
  ASSERT_NE(response.find_header("x-amzn-RequestId"), nullptr);
  EXPECT_EQ(*response.find_header("x-amzn-RequestId"), context.request_id);
  EXPECT_NE(response.body.find("<RequestId>" + context.request_id + "</RequestId>"),
            std::string::npos);
}

TEST(Dispatcher, TheJsonProtocolReachesTheSameServiceWithTheRequestIdInItsHeader) {
  DispatchFixture f;
  const aws::HttpResponse response = f.send_signed(describe(aws::Protocol::kAwsJson1_0));
  ASSERT_EQ(response.status, 200) << response.body;
  ASSERT_EQ(f.cloudwatch.requests.size(), 1u);
  EXPECT_EQ(f.cloudwatch.requests[0].protocol, aws::Protocol::kAwsJson1_0);
  EXPECT_TRUE(f.cloudwatch.requests[0].query_mode);
  EXPECT_EQ(f.cloudwatch.requests[0].json, Json({{"AlarmNames", {"a"}}}));
  EXPECT_EQ(*response.find_header("x-amzn-RequestId"), f.cloudwatch.contexts[0].request_id);
  EXPECT_EQ(*response.find_header("Content-Type"), "application/x-amz-json-1.0");
  EXPECT_EQ(response.body, "{}");
}

TEST(Dispatcher, EveryRequestGetsItsOwnUuid) {
  DispatchFixture f;
  std::set<std::string> ids;
  for (int i = 0; i < 50; ++i) {
    const aws::HttpResponse response = f.send_signed(describe(aws::Protocol::kAwsQuery));
    ASSERT_EQ(response.status, 200);
    ids.insert(*response.find_header("x-amzn-RequestId"));
  }
  EXPECT_EQ(ids.size(), 50u);
}

TEST(Dispatcher, ASessionTokenIsPassedOn) {
  DispatchFixture f;
  aws::Credentials credentials = example_credentials();
  credentials.session_token = "EXAMPLESESSIONTOKEN";
  const aws::HttpResponse response =
      f.send_signed(describe(aws::Protocol::kAwsQuery), kNow, credentials);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(f.cloudwatch.contexts.at(0).session_token, "EXAMPLESESSIONTOKEN");
}

class DispatcherAuth : public ::testing::TestWithParam<aws::Protocol> {};

TEST_P(DispatcherAuth, AMissingSignatureIsRejected) {
  DispatchFixture f;
  const aws::HttpResponse response = f.dispatcher->dispatch(describe(GetParam()));
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(error_code(response), GetParam() == aws::Protocol::kAwsQuery
                                      ? "MissingAuthenticationToken"
                                      : "MissingAuthenticationTokenException");
  EXPECT_TRUE(f.cloudwatch.requests.empty());
}

TEST_P(DispatcherAuth, AMalformedAuthorizationHeaderIsRejected) {
  DispatchFixture f;
  aws::HttpRequest request = describe(GetParam());
  request.headers.push_back({"X-Amz-Date", "20261127T203635Z"});
  request.headers.push_back({"Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261127"});
  const aws::HttpResponse response = f.dispatcher->dispatch(request);
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code(response), GetParam() == aws::Protocol::kAwsQuery
                                      ? "IncompleteSignature"
                                      : "IncompleteSignatureException");
  EXPECT_TRUE(f.cloudwatch.requests.empty());
}

// AWS's query services answer authentication failures with 403, its JSON services with 400.
int auth_status(aws::Protocol protocol) {
  return protocol == aws::Protocol::kAwsQuery ? 403 : 400;
}

TEST_P(DispatcherAuth, AWrongSecretIsRejected) {
  DispatchFixture f;
  aws::Credentials wrong = example_credentials();
  wrong.secret_access_key = "not-the-secret";
  const aws::HttpResponse response = f.send_signed(describe(GetParam()), kNow, wrong);
  EXPECT_EQ(response.status, auth_status(GetParam()));
  EXPECT_EQ(error_code(response), GetParam() == aws::Protocol::kAwsQuery
                                      ? "SignatureDoesNotMatch"
                                      : "InvalidSignatureException");
  EXPECT_TRUE(f.cloudwatch.requests.empty());
}

TEST_P(DispatcherAuth, AnUnknownKeyIsRejected) {
  DispatchFixture f;
  aws::Credentials unknown{"AKIDUNKNOWN", std::string(kSecret), ""};
  const aws::HttpResponse response = f.send_signed(describe(GetParam()), kNow, unknown);
  EXPECT_EQ(response.status, auth_status(GetParam()));
  EXPECT_EQ(error_code(response), GetParam() == aws::Protocol::kAwsQuery
                                      ? "InvalidClientTokenId"
                                      : "UnrecognizedClientException");
  EXPECT_TRUE(f.cloudwatch.requests.empty());
}

TEST_P(DispatcherAuth, ASignatureOlderThanFifteenMinutesIsRejected) {
  DispatchFixture f;
  const aws::HttpResponse fresh = f.send_signed(describe(GetParam()), kNow - 14 * 60);
  EXPECT_EQ(fresh.status, 200) << fresh.body;
  const aws::HttpResponse stale = f.send_signed(describe(GetParam()), kNow - 16 * 60);
  EXPECT_EQ(stale.status, auth_status(GetParam()));
  EXPECT_EQ(error_code(stale), GetParam() == aws::Protocol::kAwsQuery
                                   ? "SignatureDoesNotMatch"
                                   : "InvalidSignatureException");
  const aws::HttpResponse future = f.send_signed(describe(GetParam()), kNow + 16 * 60);
  EXPECT_EQ(future.status, auth_status(GetParam()));
  EXPECT_EQ(f.cloudwatch.requests.size(), 1u);
}

TEST_P(DispatcherAuth, TheScopeMustNameTheServiceAndTheConfiguredRegion) {
  DispatcherOptions options;
  options.region = "us-west-2";
  DispatchFixture f(options);
  const aws::HttpResponse other_service =
      f.send_signed(describe(GetParam()), kNow, example_credentials(), kRegion, "sns");
  EXPECT_EQ(other_service.status, auth_status(GetParam())) << other_service.body;
  const aws::HttpResponse other_region =
      f.send_signed(describe(GetParam()), kNow, example_credentials(), "eu-west-1");
  EXPECT_EQ(other_region.status, auth_status(GetParam())) << other_region.body;
  EXPECT_TRUE(f.cloudwatch.requests.empty());
  const aws::HttpResponse good = f.send_signed(describe(GetParam()));
  EXPECT_EQ(good.status, 200) << good.body;
}

TEST_P(DispatcherAuth, AnyRegionIsAcceptedWhenNoneIsConfigured) {
  DispatchFixture f;
  const aws::HttpResponse response =
      f.send_signed(describe(GetParam()), kNow, example_credentials(), "ap-southeast-2");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(f.cloudwatch.contexts.at(0).region, "ap-southeast-2");
}

INSTANTIATE_TEST_SUITE_P(BothProtocols, DispatcherAuth,
                         ::testing::Values(aws::Protocol::kAwsQuery, aws::Protocol::kAwsJson1_0),
                         [](const auto& param_info) {
                           return std::string(aws::protocol_name(param_info.param));
                         });

TEST(Dispatcher, AuthenticationFailuresOfQueryServicesAreXmlInTheirNamespace) {
  DispatchFixture f;
  aws::HttpRequest request = base_request("application/x-www-form-urlencoded; charset=utf-8",
                                          "Action=GetCallerIdentity&Version=2011-06-15");
  aws::Credentials unknown{"AKIDUNKNOWN", "secret", ""};
  const aws::HttpResponse response = f.send_signed(request, kNow, unknown, kRegion, "sts");
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(*response.find_header("Content-Type"), "text/xml");
  EXPECT_NE(
      response.body.find("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
      std::string::npos);
  EXPECT_NE(response.body.find("<Code>InvalidClientTokenId</Code>"), std::string::npos);
  EXPECT_NE(response.body.find("The security token included in the request is invalid."),
            std::string::npos);
}

TEST(Dispatcher, UnsignedRequestsAreServedOnlyWhenAllowed) {
  DispatcherOptions options;
  options.allow_unsigned = true;
  options.default_region = "eu-central-1";
  DispatchFixture f(options);
  const aws::HttpResponse unsigned_response =
      f.dispatcher->dispatch(describe(aws::Protocol::kAwsQuery));
  ASSERT_EQ(unsigned_response.status, 200) << unsigned_response.body;
  EXPECT_TRUE(f.cloudwatch.contexts.at(0).access_key_id.empty());
  EXPECT_EQ(f.cloudwatch.contexts.at(0).region, "eu-central-1");
  // A request that is signed is still verified.
  aws::Credentials wrong = example_credentials();
  wrong.secret_access_key = "wrong";
  const aws::HttpResponse bad = f.send_signed(describe(aws::Protocol::kAwsQuery), kNow, wrong);
  EXPECT_EQ(bad.status, 403);
  EXPECT_EQ(f.cloudwatch.requests.size(), 1u);
}

TEST(Dispatcher, AuthenticationIsCheckedBeforeTheOperation) {
  DispatchFixture f;
  aws::HttpRequest request = base_request("application/x-www-form-urlencoded; charset=utf-8",
                                          "Action=NoSuchThing&Version=2010-08-01");
  const aws::HttpResponse response = f.dispatcher->dispatch(request);
  EXPECT_EQ(error_code(response), "MissingAuthenticationToken");
}

TEST(Dispatcher, UnknownOperationsAreAnsweredInTheirProtocol) {
  DispatchFixture f;
  const aws::HttpResponse query = f.send_signed(base_request(
      "application/x-www-form-urlencoded; charset=utf-8", "Action=NoSuchThing&Version=2010-08-01"));
  EXPECT_EQ(query.status, 400);
  EXPECT_EQ(error_code(query), "InvalidAction");

  aws::HttpRequest json =
      cloudwatch_request(aws::Protocol::kAwsJson1_0, "NoSuchThing", Json::object());
  const aws::HttpResponse json_response = f.send_signed(json);
  EXPECT_EQ(json_response.status, 400);
  EXPECT_EQ(error_code(json_response), "UnknownOperationException");
  EXPECT_TRUE(f.cloudwatch.requests.empty());
}

TEST(Dispatcher, AServiceWithoutAnApiAnswersInvalidAction) {
  DispatchFixture f;  // SNS is not registered
  aws::HttpRequest request = base_request("application/x-www-form-urlencoded; charset=utf-8",
                                          "Action=ListTopics&Version=2010-03-31");
  const aws::HttpResponse response =
      f.send_signed(request, kNow, example_credentials(), kRegion, "sns");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code(response), "InvalidAction");
  EXPECT_NE(response.body.find("Could not find operation ListTopics for version 2010-03-31"),
            std::string::npos);
  EXPECT_NE(response.body.find("xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\""),
            std::string::npos);
}

TEST(Dispatcher, AHandlerThatThrowsIsAnInternalFailureAndTheNextRequestIsServed) {
  DispatchFixture f;
  f.cloudwatch.throw_next = true;
  const aws::HttpResponse failed = f.send_signed(describe(aws::Protocol::kAwsJson1_0));
  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(error_code(failed), "InternalFailure");
  EXPECT_EQ(failed.body.find("handler failed"), std::string::npos);  // no internals leak
  const aws::HttpResponse next = f.send_signed(describe(aws::Protocol::kAwsQuery));
  EXPECT_EQ(next.status, 200);
}

TEST(Dispatcher, HandlersNeverRunConcurrently) {
  DispatchFixture f;
  f.cloudwatch.pause = true;
  std::vector<aws::HttpRequest> requests;
  for (int i = 0; i < 16; ++i) {
    aws::HttpRequest request = describe(aws::Protocol::kAwsQuery);
    sign(request, "monitoring", kNow);
    requests.push_back(std::move(request));
  }
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = t; i < 16; i += 4) {
        if (f.dispatcher->dispatch(requests[static_cast<std::size_t>(i)]).status == 200) ++ok;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(ok.load(), 16);
  EXPECT_EQ(f.cloudwatch.max_active.load(), 1);
  EXPECT_EQ(f.cloudwatch.requests.size(), 16u);
}

TEST(Dispatcher, ExclusiveHoldsHandlersOff) {
  DispatchFixture f;
  aws::HttpRequest request = describe(aws::Protocol::kAwsQuery);
  sign(request, "monitoring", kNow);
  std::atomic<bool> answered{false};
  std::thread caller;
  {
    auto lock = f.dispatcher->exclusive();
    caller = std::thread([&] {
      f.dispatcher->dispatch(request);
      answered = true;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(answered.load());
  }
  caller.join();
  EXPECT_TRUE(answered.load());
}

std::string gzip(const std::string& text) {
  z_stream stream{};
  EXPECT_EQ(
      deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY),
      Z_OK);
  std::string out(deflateBound(&stream, static_cast<uLong>(text.size())) + 32, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  stream.avail_in = static_cast<uInt>(text.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  EXPECT_EQ(deflate(&stream, Z_FINISH), Z_STREAM_END);
  out.resize(stream.total_out);
  deflateEnd(&stream);
  return out;
}

TEST(Dispatcher, GzipBodiesAreVerifiedAsSentAndReadInflated) {
  DispatchFixture f;
  for (const aws::Protocol protocol : {aws::Protocol::kAwsQuery, aws::Protocol::kAwsJson1_0}) {
    aws::HttpRequest request = cloudwatch_request(
        protocol, "DescribeAlarms", Json{{"AlarmNames", {"compressed"}}, {"MaxRecords", 7}});
    request.body = gzip(request.body);
    request.headers.push_back({"Content-Encoding", "gzip"});
    const aws::HttpResponse response = f.send_signed(request);
    ASSERT_EQ(response.status, 200) << response.body;
  }
  ASSERT_EQ(f.cloudwatch.requests.size(), 2u);
  EXPECT_EQ(*f.cloudwatch.requests[0].query.find("AlarmNames.member.1"), "compressed");
  EXPECT_EQ(f.cloudwatch.requests[1].json,
            Json({{"AlarmNames", {"compressed"}}, {"MaxRecords", 7}}));
}

TEST(Dispatcher, BadOrUnknownContentEncodingsAreRefused) {
  DispatchFixture f;
  aws::HttpRequest broken = describe(aws::Protocol::kAwsQuery);
  broken.headers.push_back({"Content-Encoding", "gzip"});
  const aws::HttpResponse not_gzip = f.send_signed(broken);
  EXPECT_EQ(not_gzip.status, 400);
  EXPECT_EQ(error_code(not_gzip), "InvalidParameterValue");

  aws::HttpRequest brotli = describe(aws::Protocol::kAwsJson1_0);
  brotli.headers.push_back({"Content-Encoding", "br"});
  const aws::HttpResponse unsupported = f.send_signed(brotli);
  EXPECT_EQ(unsupported.status, 415);
  EXPECT_EQ(error_code(unsupported), "InvalidParameterValue");

  // A gzip body that inflates beyond the limits is refused before it is read.
  DispatcherOptions small;
  small.limits.max_json_bytes = 1000;
  small.limits.query.max_bytes = 1000;
  DispatchFixture limited(small);
  aws::HttpRequest big = cloudwatch_request(aws::Protocol::kAwsJson1_0, "DescribeAlarms",
                                            Json{{"AlarmNamePrefix", std::string(5000, 'a')}});
  big.body = gzip(big.body);
  big.headers.push_back({"Content-Encoding", "gzip"});
  const aws::HttpResponse too_large = limited.send_signed(big);
  EXPECT_EQ(too_large.status, 413);
  EXPECT_EQ(error_code(too_large), "RequestEntityTooLarge");
  EXPECT_TRUE(f.cloudwatch.requests.empty());
  EXPECT_TRUE(limited.cloudwatch.requests.empty());
}

TEST(Dispatcher, TheObserverSeesEveryRequest) {
  std::vector<RequestRecord> records;
  DispatcherOptions options;
  options.observer = [&](const RequestRecord& record) { records.push_back(record); };
  DispatchFixture f(options);
  (void)f.send_signed(describe(aws::Protocol::kAwsQuery));
  (void)f.dispatcher->dispatch(describe(aws::Protocol::kAwsJson1_0));
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].service, "cloudwatch");
  EXPECT_EQ(records[0].operation, "DescribeAlarms");
  EXPECT_EQ(records[0].access_key_id, kAccessKey);
  EXPECT_EQ(records[0].status, 200);
  EXPECT_TRUE(records[0].error_code.empty());
  EXPECT_EQ(records[1].status, 403);
  EXPECT_EQ(records[1].error_code, "MissingAuthenticationTokenException");
}

}  // namespace
}  // namespace sgwatch::api
