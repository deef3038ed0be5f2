// Front door of the notify module's message formats (../shared/spec/notifications.md): the alarm
// notification CloudWatch publishes (JSON, subject, email text, the structured publish), SNS's
// HTTP/S documents with their headers and RSA signatures, email and email-json mail, and Slack
// payloads, each with sgwatch's context added after AWS's exact bytes. Pure: no network, no
// store, no threads, no clock. Depends on alarms, core, OpenSSL (crypto), fmt, nlohmann-json.
#pragma once

#include "notify/alarm_message.h"
#include "notify/alert_context.h"
#include "notify/email_message.h"
#include "notify/error.h"
#include "notify/http_envelope.h"
#include "notify/json_text.h"
#include "notify/message_structure.h"
#include "notify/signer.h"
#include "notify/slack_message.h"
#include "notify/timestamps.h"
#include "notify/url.h"
