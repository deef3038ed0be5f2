// The complete examples of ../shared/spec/notifications.md section 7.5, read from the spec
// itself, against what the library produces for the seed alarm: the alarm JSON, the HTTPS
// Notification document and the email body with SNS's footer.
#include <gtest/gtest.h>

#include "unit/notify/seed_notice.h"

namespace sgwatch::notify {
namespace {

using testing::kSubscriptionArn;
using testing::kTopicArn;
using testing::ms;
using testing::seed_notice;

TEST(NotifySpecExamples, SeedAlarmFiring) {
  const auto blocks = testing::spec_code_blocks("### 7.5");
  ASSERT_EQ(blocks.size(), 3u);
  const AlarmNotice notice = seed_notice();

  EXPECT_EQ(alarm_json(notice), blocks[0]);

  const std::string base = aws_sns_base_url("us-east-1");
  SnsDocument document;
  document.message_id = "6c1f4a3e-2b7d-5e8f-9a10-3b4c5d6e7f80";
  document.topic_arn = kTopicArn;
  document.subject = alarm_subject(notice);
  document.message = alarm_json(notice);
  document.timestamp_ms = ms("2025-11-27T20:20:45.631Z");
  document.signature = "<base64 RSA-SHA1 signature of the string to sign>";
  document.signing_cert_url = signing_cert_url(base, "<id>");
  document.unsubscribe_url = unsubscribe_url(base, kSubscriptionArn);
  EXPECT_EQ(render_document(document), blocks[1]);

  const std::string body =
      notification_email_body(alarm_email_text(notice),
                              email_unsubscribe_url(base, kSubscriptionArn, "secops@example.com"));
  EXPECT_EQ(body, blocks[2]);
}

TEST(NotifySpecExamples, EmailTemplateShape) {
  // The 7.4 template's fixed lines appear in the seed email as they stand in the template.
  const auto blocks = testing::spec_code_blocks("### 7.4");
  ASSERT_GE(blocks.size(), 1u);
  const std::string text = alarm_email_text(seed_notice());
  for (const char* line :
       {"\nView this alarm in the AWS Management Console:\n", "\nAlarm Details:\n",
        "\nThreshold:\n", "\nMonitored Metric:\n", "\n\nState Change Actions:\n"}) {
    EXPECT_NE(blocks[0].find(line), std::string::npos) << line;
    EXPECT_NE(text.find(line), std::string::npos) << line;
  }
}

}  // namespace
}  // namespace sgwatch::notify
