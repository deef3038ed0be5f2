// Implementation of sns_api.h.
#include "api/sns_api.h"

#include <fmt/format.h>

#include <algorithm>

#include "api/page_token.h"
#include "api/shapes.h"
#include "aws/query_params.h"

namespace sgwatch::api {

namespace {

constexpr std::size_t kPageSize = 100;

// Output shapes (model order).
constexpr Member kTopicArnMembers[] = {{"TopicArn", &kStringShape}};
constexpr Shape kTopicArnShape{ShapeKind::kStructure, kTopicArnMembers};
constexpr Shape kTopicListShape{ShapeKind::kList, {}, &kTopicArnShape};
constexpr Member kListTopicsMembers[] = {{"Topics", &kTopicListShape}, {"NextToken", &kStringShape}};
constexpr Shape kListTopicsShape{ShapeKind::kStructure, kListTopicsMembers};
constexpr Member kAttributesMembers[] = {{"Attributes", &kStringMapShape}};
constexpr Shape kAttributesShape{ShapeKind::kStructure, kAttributesMembers};
constexpr Member kSubscriptionArnMembers[] = {{"SubscriptionArn", &kStringShape}};
constexpr Shape kSubscriptionArnShape{ShapeKind::kStructure, kSubscriptionArnMembers};
constexpr Member kSubscriptionMembers[] = {{"SubscriptionArn", &kStringShape},
                                           {"Owner", &kStringShape},
                                           {"Protocol", &kStringShape},
                                           {"Endpoint", &kStringShape},
                                           {"TopicArn", &kStringShape}};
constexpr Shape kSubscriptionShape{ShapeKind::kStructure, kSubscriptionMembers};
constexpr Shape kSubscriptionListShape{ShapeKind::kList, {}, &kSubscriptionShape};
constexpr Member kListSubscriptionsMembers[] = {{"Subscriptions", &kSubscriptionListShape},
                                                {"NextToken", &kStringShape}};
constexpr Shape kListSubscriptionsShape{ShapeKind::kStructure, kListSubscriptionsMembers};
constexpr Member kMessageIdMembers[] = {{"MessageId", &kStringShape}};
constexpr Shape kMessageIdShape{ShapeKind::kStructure, kMessageIdMembers};

aws::WireError wire_error(const notify::Error& error) {
  int status = 400;
  if (error.code == "NotFound") status = 404;
  if (error.code == "AuthorizationError") status = 403;
  if (error.code == "InternalError" || error.code == "SigningFailed") {
    return aws::WireError{"InternalError", error.message, 500, {}};
  }
  return aws::WireError{error.code, error.message, status, {}};
}

aws::WireError invalid_parameter(std::string message) {
  return aws::WireError{"InvalidParameter", std::move(message), 400, {}};
}

using Json = nlohmann::ordered_json;

Json attributes_json(const notify::Attributes& attributes) {
  Json out = Json::object();
  for (const auto& [key, value] : attributes) out[key] = value;
  return out;
}

Json subscription_json(const store::SubscriptionRecord& s) {
  Json out;
  out["SubscriptionArn"] = s.confirmed ? s.arn : std::string("PendingConfirmation");
  out["Owner"] = s.owner;
  out["Protocol"] = s.protocol;
  out["Endpoint"] = s.endpoint;
  out["TopicArn"] = s.topic_arn;
  return out;
}

// The page of `items` after the position a NextToken names; InvalidParameter for a token sgwatch
// did not issue (SNS's code for it).
core::Result<std::size_t, aws::WireError> page_start(const aws::QueryView& input, std::string_view kind) {
  const auto token = input.string("NextToken");
  if (!token || token->empty()) return std::size_t{0};
  const auto position = decode_page_token(kind, *token);
  if (!position || position->empty() ||
      !std::all_of(position->begin(), position->end(), [](char c) { return c >= '0' && c <= '9'; }) ||
      position->size() > 9) {
    return core::unexpected(invalid_parameter("Invalid parameter: NextToken"));
  }
  return static_cast<std::size_t>(std::stoul(*position));
}

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

aws::HttpResponse html_page(int status, std::string_view title, std::string_view body_html) {
  aws::HttpResponse response;
  response.status = status;
  response.headers.push_back({"Content-Type", "text/html; charset=UTF-8"});
  response.body = fmt::format(
      "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{0}</title></head>\n"
      "<body><h1>{0}</h1>\n{1}\n</body></html>\n",
      html_escape(title), body_html);
  return response;
}

}  // namespace

aws::HttpResponse SnsApi::handle(const aws::WireRequest& request, const RequestContext& context) {
  const aws::QueryView input = request.query.view();
  const auto fail = [&](const aws::WireError& error) { return failure(request, context, error); };
  const auto fail_notify = [&](const notify::Error& error) { return failure(request, context, wire_error(error)); };
  const auto queued = [this] {
    if (on_queued_) on_queued_();
  };
  const std::string& op = request.operation;

  if (op == "CreateTopic") {
    auto name = input.required_string("Name");
    if (!name) return fail(name.error());
    auto attributes = input.string_map("Attributes");
    if (!attributes) return fail(attributes.error());
    auto tag_views = input.struct_list("Tags");
    if (!tag_views) return fail(tag_views.error());
    notify::Attributes tags;
    for (const auto& tag : *tag_views) {
      auto key = tag.required_string("Key");
      if (!key) return fail(key.error());
      auto value = tag.required_string("Value");
      if (!value) return fail(value.error());
      tags.emplace_back(std::move(*key), std::move(*value));
    }
    auto arn = topics_.create_topic(*name, *attributes, tags);
    if (!arn) return fail_notify(arn.error());
    Json out;
    out["TopicArn"] = *arn;
    return success(request, context, &kTopicArnShape, out);
  }
  if (op == "DeleteTopic") {
    auto arn = input.required_string("TopicArn");
    if (!arn) return fail(arn.error());
    auto done = topics_.delete_topic(*arn);
    if (!done) return fail_notify(done.error());
    return success(request, context, nullptr, Json());
  }
  if (op == "ListTopics") {
    auto start = page_start(input, "sns-topics");
    if (!start) return fail(start.error());
    auto topics = topics_.list_topics();
    if (!topics) return fail_notify(topics.error());
    Json list = Json::array();
    std::size_t i = *start;
    for (; i < topics->size() && list.size() < kPageSize; ++i) list.push_back(Json{{"TopicArn", (*topics)[i].arn}});
    Json out;
    out["Topics"] = std::move(list);
    if (i < topics->size()) out["NextToken"] = encode_page_token("sns-topics", std::to_string(i));
    return success(request, context, &kListTopicsShape, out);
  }
  if (op == "GetTopicAttributes") {
    auto arn = input.required_string("TopicArn");
    if (!arn) return fail(arn.error());
    auto attributes = topics_.topic_attributes(*arn);
    if (!attributes) return fail_notify(attributes.error());
    Json out;
    out["Attributes"] = attributes_json(*attributes);
    return success(request, context, &kAttributesShape, out);
  }
  if (op == "SetTopicAttributes") {
    auto arn = input.required_string("TopicArn");
    if (!arn) return fail(arn.error());
    auto name = input.required_string("AttributeName");
    if (!name) return fail(name.error());
    const std::string value = input.string("AttributeValue").value_or(std::string());
    auto done = topics_.set_topic_attribute(*arn, *name, value);
    if (!done) return fail_notify(done.error());
    return success(request, context, nullptr, Json());
  }
  if (op == "Subscribe") {
    auto arn = input.required_string("TopicArn");
    if (!arn) return fail(arn.error());
    auto protocol = input.required_string("Protocol");
    if (!protocol) return fail(protocol.error());
    const std::string endpoint = input.string("Endpoint").value_or(std::string());
    auto attributes = input.string_map("Attributes");
    if (!attributes) return fail(attributes.error());
    auto return_arn = input.boolean("ReturnSubscriptionArn");
    if (!return_arn) return fail(return_arn.error());
    auto result = topics_.subscribe(*arn, *protocol, endpoint, *attributes, return_arn->value_or(false));
    if (!result) return fail_notify(result.error());
    queued();
    Json out;
    out["SubscriptionArn"] = result->subscription_arn;
    return success(request, context, &kSubscriptionArnShape, out);
  }
  if (op == "ConfirmSubscription") {
    auto arn = input.required_string("TopicArn");
    if (!arn) return fail(arn.error());
    auto token = input.required_string("Token");
    if (!token) return fail(token.error());
    const std::string authenticate = input.string("AuthenticateOnUnsubscribe").value_or(std::string());
    const bool authenticated = !context.access_key_id.empty();
    auto confirmed = topics_.confirm_subscription(*arn, *token, authenticated && (authenticate == "true" ||
                                                                                   authenticate == "True"));
    if (!confirmed) return fail_notify(confirmed.error());
    Json out;
    out["SubscriptionArn"] = *confirmed;
    return success(request, context, &kSubscriptionArnShape, out);
  }
  if (op == "Unsubscribe") {
    auto arn = input.required_string("SubscriptionArn");
    if (!arn) return fail(arn.error());
    auto done = topics_.unsubscribe(*arn, !context.access_key_id.empty());
    if (!done) return fail_notify(done.error());
    queued();
    return success(request, context, nullptr, Json());
  }
  if (op == "ListSubscriptions" || op == "ListSubscriptionsByTopic") {
    std::optional<std::string> topic;
    if (op == "ListSubscriptionsByTopic") {
      auto arn = input.required_string("TopicArn");
      if (!arn) return fail(arn.error());
      topic = std::move(*arn);
    }
    const std::string kind = topic ? "sns-subscriptions-by-topic" : "sns-subscriptions";
    auto start = page_start(input, kind);
    if (!start) return fail(start.error());
    auto subscriptions = topic ? topics_.list_subscriptions(std::string_view(*topic)) : topics_.list_subscriptions();
    if (!subscriptions) return fail_notify(subscriptions.error());
    Json list = Json::array();
    std::size_t i = *start;
    for (; i < subscriptions->size() && list.size() < kPageSize; ++i) list.push_back(subscription_json((*subscriptions)[i]));
    Json out;
    out["Subscriptions"] = std::move(list);
    if (i < subscriptions->size()) out["NextToken"] = encode_page_token(kind, std::to_string(i));
    return success(request, context, &kListSubscriptionsShape, out);
  }
  if (op == "GetSubscriptionAttributes") {
    auto arn = input.required_string("SubscriptionArn");
    if (!arn) return fail(arn.error());
    auto attributes = topics_.subscription_attributes(*arn);
    if (!attributes) return fail_notify(attributes.error());
    Json out;
    out["Attributes"] = attributes_json(*attributes);
    return success(request, context, &kAttributesShape, out);
  }
  if (op == "SetSubscriptionAttributes") {
    auto arn = input.required_string("SubscriptionArn");
    if (!arn) return fail(arn.error());
    auto name = input.required_string("AttributeName");
    if (!name) return fail(name.error());
    const std::string value = input.string("AttributeValue").value_or(std::string());
    auto done = topics_.set_subscription_attribute(*arn, *name, value);
    if (!done) return fail_notify(done.error());
    return success(request, context, nullptr, Json());
  }
  if (op == "Publish") {
    std::string arn = input.string("TopicArn").value_or(std::string());
    if (arn.empty()) arn = input.string("TargetArn").value_or(std::string());
    if (arn.empty()) {
      if (input.has("PhoneNumber")) {
        return fail(invalid_parameter(
            "Invalid parameter: PhoneNumber: sgwatch publishes to topics only; subscribe the number to a topic"));
      }
      return fail(invalid_parameter("Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter"));
    }
    auto message = input.required_string("Message");
    if (!message) return fail(message.error());
    // Message attributes are read and checked as SNS does; sgwatch does not filter on them.
    auto attributes = input.struct_map("MessageAttributes", aws::MapNames{"Name", "Value"});
    if (!attributes) return fail(attributes.error());
    for (const auto& [name, value] : *attributes) {
      const auto type = value.string("DataType");
      if (!type || type->empty()) {
        return fail(invalid_parameter(fmt::format(
            "Invalid parameter: MessageAttributes: the message attribute '{}' must contain a non-empty DataType", name)));
      }
      if (!value.has("StringValue") && !value.has("BinaryValue")) {
        return fail(invalid_parameter(fmt::format(
            "Invalid parameter: MessageAttributes: the message attribute '{}' must contain a value", name)));
      }
    }
    const std::optional<std::string> subject = input.string("Subject");
    const std::string structure = input.string("MessageStructure").value_or(std::string());
    auto id = topics_.publish(arn, *message, subject, structure);
    if (!id) return fail_notify(id.error());
    queued();
    Json out;
    out["MessageId"] = *id;
    return success(request, context, &kMessageIdShape, out);
  }
  return unsupported_operation(request, context);
}

aws::HttpResponse SnsApi::confirm_link(const aws::HttpRequest& request) {
  auto params = aws::QueryParams::parse(request.query);
  if (!params) return html_page(400, "Invalid confirmation link", "<p>The link is not a subscription confirmation link.</p>");
  const auto view = params->view();
  const auto topic = view.string("TopicArn");
  const auto token = view.string("Token");
  if (!topic || !token) {
    return html_page(400, "Invalid confirmation link", "<p>The link lacks its TopicArn or Token.</p>");
  }
  auto confirmed = topics_.confirm_subscription(*topic, *token, false);
  if (!confirmed) {
    const int status = confirmed.error().code == "NotFound" ? 404 : 400;
    return html_page(status, "Subscription not confirmed",
                     fmt::format("<p>{}</p>", html_escape(confirmed.error().message)));
  }
  const std::string unsubscribe = topics_.unsubscribe_link(*confirmed);
  return html_page(200, "Subscription confirmed!",
                   fmt::format("<p>You have successfully subscribed.</p>\n"
                               "<p>Your subscription's id is:<br>{}</p>\n"
                               "<p>If it was not your intention to subscribe, <a href=\"{}\">click here to "
                               "unsubscribe</a>.</p>",
                               html_escape(*confirmed), html_escape(unsubscribe)));
}

aws::HttpResponse SnsApi::unsubscribe_link(const aws::HttpRequest& request) {
  auto params = aws::QueryParams::parse(request.query);
  if (!params) return html_page(400, "Invalid unsubscribe link", "<p>The link is not an unsubscribe link.</p>");
  const auto arn = params->view().string("SubscriptionArn");
  if (!arn) return html_page(400, "Invalid unsubscribe link", "<p>The link lacks its SubscriptionArn.</p>");
  auto attributes = topics_.subscription_attributes(*arn);
  std::string endpoint;
  std::string topic;
  if (attributes) {
    for (const auto& [key, value] : *attributes) {
      if (key == "Endpoint") endpoint = value;
      if (key == "TopicArn") topic = value;
    }
  }
  auto done = topics_.unsubscribe(*arn, false);
  if (!done) {
    const int status = done.error().code == "NotFound" ? 404 : (done.error().code == "AuthorizationError" ? 403 : 400);
    return html_page(status, "Subscription not removed", fmt::format("<p>{}</p>", html_escape(done.error().message)));
  }
  if (on_queued_) on_queued_();
  return html_page(200, "Subscription removed!",
                   fmt::format("<p>Your subscription to the topic below has been deactivated for {}:</p>\n<p>{}</p>",
                               html_escape(endpoint), html_escape(topic)));
}

aws::HttpResponse SnsApi::certificate() const {
  aws::HttpResponse response;
  response.status = 200;
  response.headers.push_back({"Content-Type", "application/x-pem-file"});
  response.body = topics_.certificate_pem();
  return response;
}

}  // namespace sgwatch::api
