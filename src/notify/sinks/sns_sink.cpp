// Implementation of sns_sink.h.
#include "notify/sinks/sns_sink.h"

#include <array>
#include <cstdint>

#include "aws/curl_handle.h"
#include "aws/query_params.h"
#include "core/json_string.h"
#include "core/text.h"
#include "notify/json_text.h"

namespace sgwatch::notify {

namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kPartitionDomains{{
    {"aws", "amazonaws.com"},
    {"aws-us-gov", "amazonaws.com"},
    {"aws-cn", "amazonaws.com.cn"},
    {"aws-iso", "c2s.ic.gov"},
    {"aws-iso-b", "sc2s.sgov.gov"},
    {"aws-iso-e", "cloud.adc-e.uk"},
    {"aws-iso-f", "csp.hci.ic.gov"},
}};

constexpr std::array<std::string_view, 15> kThrottlingCodes{
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottled",
    "RequestThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
    "KMSThrottling",
    "KMSThrottlingException",
    "PriorRequestNotComplete",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "BandwidthLimitExceeded",
    "EC2ThrottledException",
};

// XML text with the five named entities and numeric references decoded; anything else that
// looks like a reference stays as it is.
std::string xml_unescape(std::string_view text) {
  static constexpr std::array<std::pair<std::string_view, char>, 5> kNamed{
      {{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''}}};
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const std::size_t end = text[i] == '&' ? text.find(';', i) : std::string_view::npos;
    if (end == std::string_view::npos || end - i > 10) {
      out += text[i];
      continue;
    }
    const std::string_view name = text.substr(i + 1, end - i - 1);
    bool decoded = false;
    for (const auto& [entity, c] : kNamed) {
      if (name == entity) {
        out += c;
        decoded = true;
      }
    }
    if (!decoded && name.size() >= 2 && name[0] == '#') {
      const bool hex = name[1] == 'x' || name[1] == 'X';
      const std::string_view digits = name.substr(hex ? 2 : 1);
      std::uint32_t cp = 0;
      bool ok = !digits.empty();
      for (const char c : digits) {
        std::uint32_t digit = 0;
        if (core::is_ascii_digit(c)) {
          digit = static_cast<std::uint32_t>(c - '0');
        } else if (hex && ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')) {
          digit = static_cast<std::uint32_t>((c | 0x20) - 'a' + 10);
        } else {
          ok = false;
          break;
        }
        cp = cp * (hex ? 16 : 10) + digit;
        if (cp > 0x10FFFF) {
          ok = false;
          break;
        }
      }
      if (ok && !(cp >= 0xD800 && cp <= 0xDFFF)) {
        core::append_utf8(out, cp);
        decoded = true;
      }
    }
    if (decoded) {
      i = end;
    } else {
      out += text[i];
    }
  }
  return out;
}

// The text of the first <name>...</name> element, whitespace trimmed; empty when absent.
std::string element_text(std::string_view xml, std::string_view name) {
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  const auto start = xml.find(open);
  if (start == std::string_view::npos) return {};
  const auto begin = start + open.size();
  const auto end = xml.find(close, begin);
  if (end == std::string_view::npos) return {};
  std::string_view text = xml.substr(begin, end - begin);
  while (!text.empty() && core::is_pattern_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && core::is_pattern_space(text.back())) text.remove_suffix(1);
  return xml_unescape(text);
}

}  // namespace

std::optional<TopicArn> parse_topic_arn(std::string_view arn) {
  std::array<std::string_view, 5> fields;
  std::string_view rest = arn;
  for (auto& field : fields) {
    const auto colon = rest.find(':');
    if (colon == std::string_view::npos) return std::nullopt;
    field = rest.substr(0, colon);
    rest.remove_prefix(colon + 1);
  }
  if (fields[0] != "arn" || fields[2] != "sns" || fields[1].empty() || fields[3].empty() ||
      fields[4].empty() || rest.empty() || rest.find(':') != std::string_view::npos) {
    return std::nullopt;
  }
  const auto host_safe = [](std::string_view text) {
    for (const char c : text) {
      if (!core::is_ascii_alnum(c) && c != '-') return false;
    }
    return true;
  };
  if (!host_safe(fields[1]) || !host_safe(fields[3])) return std::nullopt;
  return TopicArn{std::string(fields[1]), std::string(fields[3]), std::string(fields[4]),
                  std::string(rest)};
}

std::optional<std::string> sns_endpoint(const TopicArn& topic) {
  for (const auto& [partition, domain] : kPartitionDomains) {
    if (partition == topic.partition) {
      return "https://sns." + topic.region + "." + std::string(domain) + "/";
    }
  }
  return std::nullopt;
}

std::string sns_publish_body(const RenderedDelivery& delivery) {
  aws::QueryBuilder form;
  form.add("Action", "Publish").add("Version", "2010-03-31");
  form.add("TopicArn", delivery.topic_arn).add("Message", delivery.message);
  if (delivery.subject) form.add("Subject", *delivery.subject);
  if (!delivery.message_structure.empty()) form.add("MessageStructure", delivery.message_structure);
  return form.take();
}

AwsErrorDocument parse_aws_error(std::string_view xml) {
  return AwsErrorDocument{element_text(xml, "Code"), element_text(xml, "Message")};
}

bool is_throttling_code(std::string_view code) {
  for (const std::string_view known : kThrottlingCodes) {
    if (code == known) return true;
  }
  return false;
}

SinkOutcome SnsSink::send(const RenderedDelivery& delivery) {
  if (delivery.kind != DeliveryKind::kSns) {
    return SinkOutcome::failed("the SNS sink cannot send a " +
                               std::string(delivery_kind_name(delivery.kind)) + " delivery");
  }
  const std::string what = "SNS Publish to " + core::printable(delivery.topic_arn, 300);
  const auto topic = parse_topic_arn(delivery.topic_arn);
  if (!topic) return SinkOutcome::failed(what + ": not an SNS topic ARN");
  std::string endpoint = options_.endpoint_url;
  if (endpoint.empty()) {
    auto standard = sns_endpoint(*topic);
    if (!standard) {
      return SinkOutcome::failed(what + ": no known SNS endpoint for partition " +
                                 topic->partition);
    }
    endpoint = std::move(*standard);
  }
  auto url = aws::curl::split_url(endpoint);
  if (!url) return SinkOutcome::failed(what + ": endpoint: " + url.error());
  if (url->has_credentials) {
    return SinkOutcome::failed(what + ": the endpoint URL must not carry user information");
  }

  aws::HttpRequest request;
  request.method = "POST";
  request.path = url->path;
  request.query = url->query;
  request.headers.push_back({"Host", url->port.empty() ? url->host : url->host + ":" + url->port});
  request.headers.push_back({"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  request.headers.push_back({"User-Agent", "sgwatch"});
  request.body = sns_publish_body(delivery);
  const auto signed_request =
      aws::sign(request, options_.credentials, topic->region, "sns", clock_.now_ms() / 1000);
  if (!signed_request)
    return SinkOutcome::failed(what + ": cannot sign: " + signed_request.error().message);

  HttpHeaders headers;
  headers.reserve(request.headers.size());
  for (auto& header : request.headers)
    headers.emplace_back(std::move(header.name), std::move(header.value));
  auto response = http_post(url->url, headers, request.body, options_.http);
  if (!response) {
    SinkOutcome outcome = std::move(response).error();
    outcome.error = what + ": " + outcome.error;
    return outcome;
  }
  if (response->status >= 200 && response->status <= 299) return SinkOutcome::delivered();

  const AwsErrorDocument error = parse_aws_error(response->body);
  std::string text =
      what + " (" + describe_post(url->url) + "): HTTP " + std::to_string(response->status);
  if (!error.code.empty()) text += " " + valid_utf8(core::printable(error.code, 100));
  if (!error.message.empty()) text += ": " + valid_utf8(core::printable(error.message, 300));
  if (error.code.empty() && error.message.empty() && !response->body.empty()) {
    text += ": " + valid_utf8(core::printable(response->body.substr(0, 1024), 200));
  }
  const bool retry = (response->status >= 500 && response->status <= 599) ||
                     response->status == 429 || is_throttling_code(error.code);
  return retry ? SinkOutcome::retry(std::move(text)) : SinkOutcome::failed(std::move(text));
}

}  // namespace sgwatch::notify
