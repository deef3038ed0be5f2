// Front door of the notify module (../shared/spec/notifications.md). Message formats, pure: the
// alarm notification CloudWatch publishes (JSON, subject, email text, the structured publish),
// SNS's HTTP/S documents with their headers and RSA signatures, email and email-json mail, and
// Slack payloads, each with sgwatch's context added after AWS's exact bytes. Over the store:
// TopicService (topics, subscriptions, confirmation, publish into the outbox) and
// DeliveryWorker (the outbox through the sinks, with SNS's retry policies). The sinks that
// touch the network live in notify/sinks/. Depends on store, alarms, core, OpenSSL (crypto),
// fmt, nlohmann-json.
#pragma once

#include "notify/alarm_message.h"
#include "notify/alert_context.h"
#include "notify/delivery.h"
#include "notify/delivery_worker.h"
#include "notify/email_message.h"
#include "notify/error.h"
#include "notify/http_envelope.h"
#include "notify/json_text.h"
#include "notify/message_structure.h"
#include "notify/retry_policy.h"
#include "notify/signer.h"
#include "notify/sink.h"
#include "notify/slack_message.h"
#include "notify/timestamps.h"
#include "notify/topics.h"
#include "notify/url.h"
