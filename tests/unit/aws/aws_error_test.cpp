// Regressions of the AWS error readers (aws_error.h) found through fuzz/aws_harness.h; the
// readers' ordinary cases are in client_test.cpp (AwsClientErrors).
#include "aws/aws_error.h"

#include <gtest/gtest.h>

namespace sgwatch::aws {
namespace {

TransportResponse answer(int status, std::string body) {
  TransportResponse response;
  response.status = status;
  response.body = std::move(body);
  return response;
}

// An <Error> whose <Code> is empty (or blank) and that has no <Message> has no readable code:
// the error says what came instead rather than nothing at all
// (fuzz/regressions/fuzz_aws/xml-error-with-empty-code).
TEST(AwsErrorRegress, XmlErrorWithAnEmptyCodeSaysWhatCame) {
  const AwsError empty =
      error_from_response(ErrorFormat::kXml, "sns", "Publish",
                          answer(400,
                                 "<ErrorResponse><Error><Type>Sender</Type><Code/></Error>"
                                 "<RequestId>r-1</RequestId></ErrorResponse>"));
  EXPECT_EQ(empty.kind, AwsError::Kind::kService);
  EXPECT_EQ(empty.code, "");
  EXPECT_EQ(empty.request_id, "r-1");
  EXPECT_EQ(empty.message,
            "a body that is not an AWS error: \"<ErrorResponse><Error><Type>Sender</Type><Code/>"
            "</Error><RequestId>r-1</RequestId></ErrorResponse>\"");
  EXPECT_EQ(empty.describe(),
            "sns Publish: HTTP 400: a body that is not an AWS error: \"<ErrorResponse><Error>"
            "<Type>Sender</Type><Code/></Error><RequestId>r-1</RequestId></ErrorResponse>\"");

  const AwsError blank = error_from_response(
      ErrorFormat::kXml, "ec2", "DescribeSecurityGroups",
      answer(503, "<Response><Errors><Error><Code> \n </Code></Error></Errors></Response>"));
  EXPECT_EQ(blank.code, "");
  EXPECT_FALSE(blank.message.empty());

  // A message without a code is kept as it is.
  const AwsError message_only =
      error_from_response(ErrorFormat::kXml, "sns", "Publish",
                          answer(400, "<Error><Code></Code><Message>try later</Message></Error>"));
  EXPECT_EQ(message_only.code, "");
  EXPECT_EQ(message_only.message, "try later");
}

}  // namespace
}  // namespace sgwatch::aws
