// SnsApi: the SNS operations sgwatch answers over awsQuery, thin over notify::TopicService:
// CreateTopic, DeleteTopic, ListTopics, GetTopicAttributes, SetTopicAttributes, Subscribe,
// ConfirmSubscription, Unsubscribe, ListSubscriptions, ListSubscriptionsByTopic,
// GetSubscriptionAttributes, SetSubscriptionAttributes and Publish, with SNS's error codes
// (NotFound 404, InvalidParameter 400, AuthorizationError 403) and 100-item pages. Also the
// link endpoints mails and HTTP documents carry (/sns/confirm, /sns/unsubscribe) and the
// signing certificate. Each call wakes the delivery worker when it queued something.
// Neighbours: dispatch (RequestContext), shapes (the envelope), notify/topics.h.
#pragma once

#include <functional>
#include <string>

#include "api/dispatch.h"
#include "notify/topics.h"

namespace sgwatch::api {

class SnsApi final : public ServiceApi {
 public:
  // `on_queued` runs (under the dispatcher's lock) after a call that put deliveries in the outbox.
  explicit SnsApi(notify::TopicService& topics, std::function<void()> on_queued = {})
      : topics_(topics), on_queued_(std::move(on_queued)) {}

  aws::HttpResponse handle(const aws::WireRequest& request, const RequestContext& context) override;

  // GET /sns/confirm?TopicArn=..&Token=..: confirms and answers a small HTML page (200), or the
  // reason it could not (400/404). Run it under the dispatcher's lock.
  aws::HttpResponse confirm_link(const aws::HttpRequest& request);
  // GET /sns/unsubscribe?SubscriptionArn=..[&Endpoint=..]: unsubscribes (an unauthenticated
  // request, as SNS's links are) and answers a page. Run it under the dispatcher's lock.
  aws::HttpResponse unsubscribe_link(const aws::HttpRequest& request);
  // GET <signing_cert_path>: the PEM certificate receivers verify signatures with.
  aws::HttpResponse certificate() const;

 private:
  notify::TopicService& topics_;
  std::function<void()> on_queued_;
};

}  // namespace sgwatch::api
