// The notification CloudWatch publishes to SNS when a metric alarm changes state
// (../shared/spec/notifications.md section 7): the alarm JSON (the `default` message), the
// subject line (also the `sms` message), the `email` text, and the MessageStructure=json publish
// that carries all three. sgwatch's own additions go under one extra key "sgwatch", after AWS's
// keys, and in a section after AWS's email text; AwsFormat::kRaw leaves both out.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "alarms/definition.h"

namespace sgwatch::notify {

// One state transition of one alarm, as a notification needs it.
struct AlarmNotice {
  alarms::AlarmDefinition alarm;
  std::string account_id;                     // "123456789012"
  std::string region;                         // code: "us-east-1"
  std::string alarm_arn;                      // see alarm_arn()
  std::int64_t configuration_updated_ms = 0;  // last PutMetricAlarm, Unix ms
  alarms::AlarmState old_state = alarms::AlarmState::kInsufficientData;
  alarms::AlarmState new_state = alarms::AlarmState::kAlarm;
  std::string reason;                // StateReason (or the SetAlarmState reason)
  std::int64_t state_change_ms = 0;  // Unix ms
  // Emitted after OldStateValue only when set (spec 7.2: newer messages, presence UNCLEAR).
  std::optional<bool> action_executed_after_mute_window;
  // The object under the extra "sgwatch" key (see alert_context.h for the part that is read).
  std::optional<nlohmann::ordered_json> sgwatch;
};

// kExtended: AWS's bytes plus sgwatch's additions; kRaw: AWS's bytes only (RawAwsFormat=true).
enum class AwsFormat { kExtended, kRaw };

// The publish call of spec 7.1: Subject, and a MessageStructure=json Message whose keys are, in
// order, "default" (alarm_json), "sms" (the subject) and "email" (alarm_email_text).
struct AlarmPublish {
  std::string subject;
  std::string message;
  std::string message_structure;  // "json"
};

// Display name of a region as CloudWatch writes it (spec 7.3), e.g. "US East (N. Virginia)";
// the code itself for a region it does not know.
std::string region_display_name(std::string_view region);

// The ARN partition of a region: "aws", "aws-us-gov" (us-gov-*) or "aws-cn" (cn-*).
std::string_view arn_partition(std::string_view region);

// arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>
std::string alarm_arn(std::string_view region, std::string_view account_id, std::string_view name);

// `<NEW_STATE>: "<name>" in <region display name>`, at most 100 characters: a longer one keeps
// the start of the name followed by "..." inside the quotes (spec 7.1).
std::string alarm_subject(const AlarmNotice& notice);

// The alarm JSON of spec 7.2, compact, in AWS's member order; with kExtended and a context, the
// "sgwatch" member follows AWS's members.
std::string alarm_json(const AlarmNotice& notice, AwsFormat format = AwsFormat::kExtended);

// The email text of spec 7.4 (LF line ends, without the SNS footer); with kExtended and a context
// that lists causing events, a section listing them follows AWS's text.
std::string alarm_email_text(const AlarmNotice& notice, AwsFormat format = AwsFormat::kExtended);

// The console link of the email: https://<region>.console.aws.amazon.com/cloudwatch/deeplink.js
// ?region=<region>#alarmsV2:alarm/<percent-encoded name>
std::string alarm_console_url(std::string_view region, std::string_view alarm_name);

AlarmPublish alarm_publish(const AlarmNotice& notice, AwsFormat format = AwsFormat::kExtended);

}  // namespace sgwatch::notify
