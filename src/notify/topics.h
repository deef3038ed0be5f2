// TopicService: SNS's topics and subscriptions over the state store (../shared/spec/notifications.md
// sections 1-3): CreateTopic, DeleteTopic, attributes, Subscribe with confirmation by token or link
// (tokens valid 2 days, unconfirmed subscriptions purged after 3), Unsubscribe, and Publish, which
// renders one delivery per confirmed subscription — the signed HTTP/S document, the mail, the SMS
// text, the Slack payload, the JSON line — and records it in the outbox before anything is sent.
// publish_alarm() is the CloudWatch alarm action: AWS's structured message, with sgwatch's context
// unless the subscription sets RawAwsFormat=true.
//
// Every call is one store transaction, or joins the caller's when one is open (the alarm engine
// publishes inside the transaction that records the transition). Not thread-safe: callers
// serialize access to the store. Neighbours: delivery_worker (sends the outbox), the message
// formats of this module, api/ (the SNS wire API), engine/ (alarm actions).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/result.h"
#include "notify/alarm_message.h"
#include "notify/delivery.h"
#include "notify/error.h"
#include "notify/signer.h"
#include "store/store.h"

namespace sgwatch::notify {

using Attributes = std::vector<std::pair<std::string, std::string>>;

struct TopicsOptions {
  std::string region = "us-east-1";
  std::string account_id = "123456789012";
  // Where sgwatch is reachable: the base of SubscribeURL, UnsubscribeURL, SigningCertURL and the
  // links in mails (no trailing slash).
  std::string public_url = "http://127.0.0.1:4566";
  // The From address of every mail (its display name is the topic's DisplayName, else "AWS
  // Notifications"), and the domain of Message-IDs.
  std::string mail_from = "no-reply@sgwatch.localhost";
  std::int64_t token_lifetime_ms = 2LL * 24 * 3600 * 1000;    // spec 2.2: tokens valid 2 days
  std::int64_t pending_lifetime_ms = 3LL * 24 * 3600 * 1000;  // unconfirmed: purged after 3 days
};

// The protocols sgwatch delivers to: SNS's email, email-json, http, https and sms, and its own
// slack (an incoming-webhook URL), file (a JSON-lines path), stdout and aws-sns (a real SNS
// topic ARN, forwarded with SigV4).
bool is_supported_protocol(std::string_view protocol);
// Whether a subscription with this protocol starts PendingConfirmation.
bool needs_confirmation(std::string_view protocol);

// The result of Subscribe: the ARN, or "pending confirmation" while unconfirmed unless
// ReturnSubscriptionArn was set.
struct SubscribeResult {
  std::string subscription_arn;
  bool pending = false;
};

// The paths of sgwatch's links under public_url.
inline constexpr std::string_view kConfirmPath = "/sns/confirm";
inline constexpr std::string_view kUnsubscribePath = "/sns/unsubscribe";

class TopicService {
 public:
  // `identity` signs HTTP/S and email-json documents; its certificate is served at
  // signing_cert_path().
  TopicService(store::Store& store, const core::Clock& clock, TopicsOptions options, SigningIdentity identity);

  // CreateTopic: idempotent for an existing name with the same attributes (InvalidParameter
  // when they differ). Attributes: DisplayName, Policy, DeliveryPolicy, SignatureVersion,
  // KmsMasterKeyId, TracingConfig. Returns the ARN.
  core::Result<std::string, Error> create_topic(std::string_view name, const Attributes& attributes,
                                                const Attributes& tags);
  // DeleteTopic: deletes its subscriptions too; an unknown ARN is not an error (as in SNS).
  core::Result<void, Error> delete_topic(std::string_view topic_arn);
  core::Result<std::vector<store::TopicRecord>, Error> list_topics();
  // GetTopicAttributes: the stored ones plus TopicArn, Owner, Policy, SubscriptionsConfirmed,
  // SubscriptionsPending, SubscriptionsDeleted, EffectiveDeliveryPolicy. NotFound.
  core::Result<Attributes, Error> topic_attributes(std::string_view topic_arn);
  core::Result<void, Error> set_topic_attribute(std::string_view topic_arn, std::string_view name,
                                                std::string_view value);

  // Subscribe. Validates the endpoint for the protocol; for protocols that need confirmation
  // records the subscription as pending and puts the confirmation (SubscriptionConfirmation
  // document or mail) in the outbox. Subscribing the same (topic, protocol, endpoint) again
  // returns the confirmed subscription, or re-sends the pending one's confirmation.
  core::Result<SubscribeResult, Error> subscribe(std::string_view topic_arn, std::string_view protocol,
                                                 std::string_view endpoint, const Attributes& attributes,
                                                 bool return_subscription_arn);
  // ConfirmSubscription (API or link): InvalidParameter for an unknown or expired token or a
  // token of another topic; confirming again returns the same ARN. A token from an
  // UnsubscribeConfirmation restores the deleted subscription.
  core::Result<std::string, Error> confirm_subscription(std::string_view topic_arn, std::string_view token,
                                                        bool authenticate_on_unsubscribe);
  // Unsubscribe: NotFound for an unknown ARN, InvalidParameter for a pending one. HTTP/S
  // endpoints get an UnsubscribeConfirmation whose SubscribeURL restores the subscription.
  // `authenticated`: the request was signed by the account (links are not); a subscription
  // confirmed with AuthenticateOnUnsubscribe refuses unauthenticated requests (AuthorizationError).
  core::Result<void, Error> unsubscribe(std::string_view subscription_arn, bool authenticated = true);
  // All subscriptions, or those of one topic (NotFound for an unknown topic).
  core::Result<std::vector<store::SubscriptionRecord>, Error> list_subscriptions(
      std::optional<std::string_view> topic_arn = std::nullopt);
  // GetSubscriptionAttributes: SubscriptionArn, TopicArn, Owner, Protocol, Endpoint,
  // PendingConfirmation, ConfirmationWasAuthenticated, RawMessageDelivery, RawAwsFormat,
  // DeliveryPolicy and EffectiveDeliveryPolicy when set. NotFound.
  core::Result<Attributes, Error> subscription_attributes(std::string_view subscription_arn);
  // SetSubscriptionAttributes: DeliveryPolicy (validated), RawMessageDelivery and RawAwsFormat
  // (true/false). Others (FilterPolicy, RedrivePolicy, ...) are InvalidParameter: sgwatch does
  // not implement them and will not pretend to.
  core::Result<void, Error> set_subscription_attribute(std::string_view subscription_arn, std::string_view name,
                                                       std::string_view value);

  // Publish: validates message and subject as SNS does, renders one delivery per confirmed
  // subscription and records them; returns the MessageId.
  core::Result<std::string, Error> publish(std::string_view topic_arn, std::string_view message,
                                           const std::optional<std::string>& subject,
                                           std::string_view message_structure);
  // The alarm action: publishes the notice to the topic (NotFound for a missing topic), with
  // the sgwatch context for subscriptions without RawAwsFormat=true. Returns the MessageId and
  // the published message (the `default` text, for the alarm's Action history item).
  struct AlarmPublishResult {
    std::string message_id;
    std::string published_message;
  };
  core::Result<AlarmPublishResult, Error> publish_alarm(std::string_view topic_arn, const AlarmNotice& notice);

  // Deletes pending subscriptions older than pending_lifetime_ms; returns how many.
  core::Result<int, Error> purge_expired();

  // The signing certificate (PEM) and the path it is served at: /SimpleNotificationService-<id>.pem.
  const std::string& certificate_pem() const { return identity_.certificate_pem; }
  const std::string& signing_cert_path() const { return cert_path_; }
  const TopicsOptions& options() const { return options_; }

  // The links, for the HTTP routes that answer them.
  std::string confirm_url(std::string_view topic_arn, std::string_view token) const;
  std::string unsubscribe_link(std::string_view subscription_arn) const;

 private:
  struct Transaction;
  core::Result<std::optional<store::TopicRecord>, Error> find_topic(std::string_view arn);
  core::Result<std::optional<store::SubscriptionRecord>, Error> find_subscription(std::string_view arn);
  core::Result<void, Error> enqueue(const store::SubscriptionRecord& subscription, const std::string& message_id,
                                    std::string payload);
  // `d` as the mail (RFC 5322, CRLF) from the configured sender, named after the topic.
  core::Result<void, Error> fill_mail(RenderedDelivery& d, std::string_view display_name, const std::string& to,
                                      std::string subject, std::string body, std::int64_t now_ms) const;
  core::Result<void, Error> send_confirmation(const store::TopicRecord& topic,
                                              const store::SubscriptionRecord& subscription, bool unsubscribe);
  // Renders and records one notification per confirmed subscription; `text_for` gives the
  // (protocol-specific) text and `slack_body` the Slack payload of a subscription.
  template <typename TextFor, typename SlackBody>
  core::Result<std::string, Error> fan_out(const store::TopicRecord& topic, const std::optional<std::string>& subject,
                                           const std::string& original_message, std::string_view message_structure,
                                           TextFor&& text_for, SlackBody&& slack_body);

  store::Store& store_;
  const core::Clock& clock_;
  TopicsOptions options_;
  SigningIdentity identity_;
  std::string cert_path_;
};

// Loads the SNS signing key and certificate from `directory` (sns-signing-key.pem, 0600, and
// sns-signing-cert.pem), creating them at first use.
core::Result<SigningIdentity, Error> load_or_create_signing_identity(const std::string& directory,
                                                                     std::int64_t now_unix_seconds);

}  // namespace sgwatch::notify
