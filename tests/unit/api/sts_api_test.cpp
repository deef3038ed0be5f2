// StsApi: GetCallerIdentity for a named user, for the account root and for unsigned requests;
// the awsQuery envelope the CLI parses; operations sgwatch does not serve.
#include "api/sts_api.h"

#include <gtest/gtest.h>

#include <regex>

#include "unit/api/api_test_util.h"

namespace sgwatch::api {
namespace {

using namespace testing;

const std::int64_t kNow = *core::parse_iso8601("2026-11-27T20:38:16Z");

aws::HttpRequest get_caller_identity() {
  return base_request("application/x-www-form-urlencoded; charset=utf-8",
                      "Action=GetCallerIdentity&Version=2011-06-15");
}

TEST(StsApi, GetCallerIdentityNamesTheUserOfTheKey) {
  ApiHarness h(kNow * 1000);
  const aws::HttpResponse response = h.send(get_caller_identity(), "sts");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(*response.find_header("Content-Type"), "text/xml");
  const Json output = loose_output(response);
  EXPECT_EQ(output["Arn"], "arn:aws:iam::123456789012:user/auditor");
  EXPECT_EQ(output["Account"], 123456789012.0);  // the loose form reads digits as a number
  EXPECT_TRUE(
      std::regex_match(output["UserId"].get<std::string>(), std::regex("AIDA[A-Z2-7]{17}")));
  EXPECT_NE(response.body.find(
                "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"),
            std::string::npos);
  EXPECT_NE(response.body.find("<Account>123456789012</Account>"), std::string::npos);
  // The same user always has the same id.
  const aws::HttpResponse again = h.send(get_caller_identity(), "sts");
  EXPECT_EQ(loose_output(again)["UserId"], output["UserId"]);
}

TEST(StsApi, AKeyWithoutAUserNameIsTheAccountRoot) {
  ApiHarness h(kNow * 1000);
  h.secrets.add("AKIDROOT", "root-secret");
  aws::HttpRequest request = get_caller_identity();
  sign(request, "sts", kNow, aws::Credentials{"AKIDROOT", "root-secret", ""});
  const aws::HttpResponse response = h.dispatcher->dispatch(request);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(response.body.find("<Arn>arn:aws:iam::123456789012:root</Arn>"), std::string::npos);
  EXPECT_NE(response.body.find("<UserId>123456789012</UserId>"), std::string::npos);
}

TEST(StsApi, UnsignedRequestsAreTheRootWhenAllowed) {
  DispatcherOptions options;
  options.allow_unsigned = true;
  options.account_id = "999988887777";
  ApiHarness h(kNow * 1000, options);
  const aws::HttpResponse response = h.dispatcher->dispatch(get_caller_identity());
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_NE(response.body.find("<Arn>arn:aws:iam::999988887777:root</Arn>"), std::string::npos);
}

TEST(StsApi, CallerIdentityValues) {
  const std::string name = "auditor";
  const CallerIdentity user = caller_identity("123456789012", &name);
  EXPECT_EQ(user.arn, "arn:aws:iam::123456789012:user/auditor");
  EXPECT_EQ(user.account, "123456789012");
  EXPECT_EQ(user.user_id.size(), 21u);
  const std::string other = "operator";
  EXPECT_NE(caller_identity("123456789012", &other).user_id, user.user_id);
  const CallerIdentity root = caller_identity("123456789012", nullptr);
  EXPECT_EQ(root.arn, "arn:aws:iam::123456789012:root");
  EXPECT_EQ(root.user_id, "123456789012");
}

TEST(StsApi, OtherStsOperationsAreInvalidActions) {
  ApiHarness h(kNow * 1000);
  const aws::HttpResponse response =
      h.send(base_request("application/x-www-form-urlencoded; charset=utf-8",
                          "Action=GetSessionToken&Version=2011-06-15"),
             "sts");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(error_code(response), "InvalidAction");
}

}  // namespace
}  // namespace sgwatch::api
