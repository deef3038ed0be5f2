// Fuzz harness for the readers of the outgoing AWS client's answers (src/aws/aws_error.h,
// xml_reader.h, client.h) and the audit's GetEventSelectors reader (src/audit/collect.h), shared
// by fuzz_aws and the regression replay in tests/regress/fuzz_regress_test.cpp. The input is the
// body of an AWS answer; its first byte also picks an error status and the error headers.
//   - error_from_response, for every ErrorFormat, with and without x-amzn-ErrorType /
//     x-amzn-query-error / x-amzn-RequestId (valued with the input's first line): a kService
//     error with the status, names and header request id it was given, a trimmed code, and a
//     message whenever there is no code; describe() names the code.
//   - the XML helpers on the input parsed by pugixml: xml_all agrees with pugixml's own walk,
//     xml_find/xml_child are the first of xml_all/xml_children, xml_text is xml_own_text of
//     xml_find, query_result is the <{Action}Result> child of the root. A first byte 0xff wraps
//     the rest in kDeepLevels elements, which must not become recursion depth.
//   - a Client whose transport answers every call with the input (status 200; 400 after a
//     leading ' ', 500 after a leading '\t'; no error headers), max_attempts 2, no-op sleep:
//     query, query_all, json, json_all and rest_json each end within their send budget (pagers
//     stop on a repeated token), succeed with the shape they promise or fail with the kind,
//     status and attempts the answer calls for.
//   - audit::management_capture on the input as JSON (when it parses): keeps the selectors as
//     compact JSON and reports sorted, unique excluded sources.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/collect.h"
#include "aws/aws_error.h"
#include "aws/client.h"
#include "aws/xml_reader.h"
#include "core/text.h"

namespace sgwatch::fuzz {

using Violation = std::optional<std::string>;

namespace detail {

// Nesting of the deep-XML mode: far beyond what a recursive walk survives under ASan.
constexpr int kDeepLevels = 100000;
// More sends than this in one call is a pager or retry loop that does not end.
constexpr int kSendLimit = 16;

inline std::uint8_t aws_first_byte(std::string_view input) {
  return input.empty() ? std::uint8_t{0} : static_cast<std::uint8_t>(input[0]);
}

// --- error_from_response ---

inline std::vector<aws::Header> aws_error_headers(std::string_view input, unsigned mask) {
  std::string_view line = input.substr(0, input.find('\n'));
  line = line.substr(0, 200);
  const std::string value(line);
  std::vector<aws::Header> headers;
  if ((mask & 1U) != 0) headers.push_back({"x-amzn-ErrorType", value});
  if ((mask & 2U) != 0) headers.push_back({"x-amzn-query-error", value});
  if ((mask & 4U) != 0) headers.push_back({"x-amzn-RequestId", value});
  return headers;
}

inline Violation check_error_from_response(std::string_view input) {
  constexpr int kStatuses[] = {400, 403, 404, 429, 500, 503, 302, 418};
  const std::uint8_t first = aws_first_byte(input);
  aws::TransportResponse response;
  response.status = kStatuses[first & 7U];
  response.body = std::string(input);
  unsigned mask = (first >> 3U) & 7U;
  if (mask == 0) mask = 7;
  for (const bool with_headers : {false, true}) {
    response.headers = with_headers ? aws_error_headers(input, mask) : std::vector<aws::Header>{};
    for (const aws::ErrorFormat format :
         {aws::ErrorFormat::kXml, aws::ErrorFormat::kJson, aws::ErrorFormat::kRestJson}) {
      const aws::AwsError error = aws::error_from_response(format, "logs", "Op", response);
      if (error.kind != aws::AwsError::Kind::kService) {
        return std::string("error_from_response: not a kService error");
      }
      if (error.http_status != response.status) {
        return std::string("error_from_response: the status changed");
      }
      if (error.service != "logs" || error.operation != "Op") {
        return std::string("error_from_response: the service or operation changed");
      }
      if (const std::string* id = response.find_header("x-amzn-RequestId")) {
        if (error.request_id != *id) {
          return std::string("error_from_response: the x-amzn-RequestId header was not kept");
        }
      }
      if (core::trim_pattern_space(error.code) != error.code) {
        return "error_from_response: an untrimmed code \"" + core::printable(error.code, 80) + "\"";
      }
      if (error.code.empty() && error.message.empty()) {
        return std::string("error_from_response: neither a code nor a message");
      }
      const std::string described = error.describe();
      if (described.empty()) return std::string("error_from_response: empty describe()");
      if (!error.code.empty() && described.find(error.code) == std::string::npos) {
        return std::string("error_from_response: describe() leaves out the code");
      }
      // Callers classify errors through these; they only read the code.
      (void)error.access_denied();
      (void)error.throttled();
      (void)error.credentials_rejected();
      (void)aws::is_retryable_answer(error.http_status, error.code);
    }
  }
  return std::nullopt;
}

// --- the XML helpers ---

// Every descendant element of `node` named `name` (local name), by pugixml's own walk.
inline std::vector<pugi::xml_node> reference_all(const pugi::xml_node& node,
                                                 std::string_view name) {
  struct Walker : pugi::xml_tree_walker {
    std::string_view wanted;
    std::vector<pugi::xml_node> found;
    bool for_each(pugi::xml_node& at) override {
      if (at.type() == pugi::node_element && aws::xml_local_name(at) == wanted) found.push_back(at);
      return true;
    }
  } walker;
  walker.wanted = name;
  pugi::xml_node start = node;
  start.traverse(walker);
  return std::move(walker.found);
}

inline Violation check_xml_node(const pugi::xml_node& node, std::string_view name) {
  const std::vector<pugi::xml_node> all = aws::xml_all(node, name);
  if (all != reference_all(node, name)) {
    return "xml_all(" + core::printable(name, 40) + ") disagrees with pugixml's walk";
  }
  const pugi::xml_node found = aws::xml_find(node, name);
  if (all.empty() ? !found.empty() : found != all.front()) {
    return std::string("xml_find is not the first of xml_all");
  }
  if (aws::xml_text(node, name) != (found ? aws::xml_own_text(found) : std::string())) {
    return std::string("xml_text is not the own text of xml_find");
  }
  const std::vector<pugi::xml_node> children = aws::xml_children(node, name);
  const pugi::xml_node child = aws::xml_child(node, name);
  if (children.empty() ? !child.empty() : child != children.front()) {
    return std::string("xml_child is not the first of xml_children");
  }
  for (const pugi::xml_node& one : children) {
    if (one.parent() != node) return std::string("xml_children returned a non-child");
    if (std::find(all.begin(), all.end(), one) == all.end()) {
      return std::string("a child missing from xml_all");
    }
  }
  return std::nullopt;
}

// `elements`: how many elements (in document order) get every check besides the document and
// its root; 0 (the deep mode) also looks for fewer names, every walk being long.
inline Violation check_xml_document(std::string_view text, std::size_t elements) {
  pugi::xml_document document;
  if (!document.load_buffer(text.data(), text.size())) return std::nullopt;
  const pugi::xml_node root = document.document_element();

  std::vector<std::string> names = {"Error", "Code"};
  if (elements != 0)
    names.insert(names.end(), {"Message", "member", "NextToken", "nextToken", "RequestId", ""});
  std::string action;
  if (root) {
    const std::string_view local = aws::xml_local_name(root);
    names.emplace_back(local);
    action = std::string(local);
    constexpr std::string_view kResponse = "Response";
    if (action.size() >= kResponse.size() &&
        action.compare(action.size() - kResponse.size(), kResponse.size(), kResponse) == 0) {
      action.resize(action.size() - kResponse.size());
    }
    if (const pugi::xml_node first = root.first_child(); first && elements != 0) {
      names.emplace_back(aws::xml_local_name(first));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  std::vector<pugi::xml_node> nodes = {document, root};
  for (pugi::xml_node at = root.first_child(); at && nodes.size() < elements + 2;) {
    if (at.type() == pugi::node_element) nodes.push_back(at);
    // Document order without recursion.
    if (at.first_child()) {
      at = at.first_child();
      continue;
    }
    while (at && at != root && !at.next_sibling()) at = at.parent();
    if (!at || at == root) break;
    at = at.next_sibling();
  }
  for (const pugi::xml_node& node : nodes) {
    for (const std::string& name : names) {
      if (auto violation = check_xml_node(node, name)) return violation;
    }
    (void)aws::xml_own_text(node);
  }

  const pugi::xml_node result = aws::query_result(document, action);
  if (result != aws::xml_child(root, action + "Result")) {
    return std::string("query_result is not the <{Action}Result> child of the root");
  }
  if (result && aws::xml_local_name(result) != action + "Result") {
    return std::string("query_result returned another element");
  }
  if (aws::query_result(pugi::xml_document(), action)) {
    return std::string("query_result found something in an empty document");
  }
  return std::nullopt;
}

inline Violation check_xml(std::string_view input) {
  if (aws_first_byte(input) != 0xff) return check_xml_document(input, 16);
  // Deep mode: the rest of the input at the bottom of kDeepLevels nested elements, read as an
  // XML answer and as an XML error.
  constexpr std::string_view kOpen = "<a>";
  constexpr std::string_view kClose = "</a>";
  const std::string_view rest = input.substr(1);
  std::string text;
  text.reserve((kOpen.size() + kClose.size()) * kDeepLevels + rest.size());
  for (int i = 0; i < kDeepLevels; ++i) text += kOpen;
  text += rest;
  for (int i = 0; i < kDeepLevels; ++i) text += kClose;
  if (auto violation = check_xml_document(text, 0)) return "deep: " + *violation;
  aws::TransportResponse response;
  response.status = 400;
  response.body = std::move(text);
  const aws::AwsError error =
      aws::error_from_response(aws::ErrorFormat::kXml, "sns", "Op", response);
  if (error.code.empty() && error.message.empty()) {
    return std::string("deep: error_from_response gave neither a code nor a message");
  }
  return std::nullopt;
}

// --- the Client ---

// Answers every request with the same status, headers and body; counts what it was sent and
// stops answering (a network error) after kSendLimit sends.
class AnswerAll : public aws::Transport {
 public:
  AnswerAll(aws::TransportResponse answer, std::shared_ptr<int> sends)
      : answer_(std::move(answer)), sends_(std::move(sends)) {}

  core::Result<aws::TransportResponse, std::string> send(
      const std::string& /*url*/, const aws::HttpRequest& /*request*/,
      std::chrono::milliseconds /*timeout*/) override {
    if (++*sends_ > kSendLimit) return core::unexpected(std::string("the send budget is spent"));
    return answer_;
  }

 private:
  aws::TransportResponse answer_;
  std::shared_ptr<int> sends_;
};

constexpr int kMaxAttempts = 2;

// A failed call: sends within `max_sends`; an answer with an error status fails as kService
// with that status after one attempt, or kMaxAttempts when it is retryable; a 2xx answer that
// fails is a kResponse error.
inline Violation check_call_error(const aws::AwsError& error, int status, int sends, int max_sends,
                                  std::string_view call) {
  const std::string what(call);
  if (sends > max_sends) return what + ": " + std::to_string(sends) + " sends";
  if (error.describe().empty()) return what + ": empty describe()";
  if (status >= 200 && status <= 299) {
    if (error.kind != aws::AwsError::Kind::kResponse) {
      return what + ": a 2xx answer failed as another kind than kResponse: " + error.describe();
    }
    if (error.message.empty()) return what + ": a kResponse error without a message";
    return std::nullopt;
  }
  if (error.kind != aws::AwsError::Kind::kService || error.http_status != status) {
    return what + ": an error status failed as " + error.describe();
  }
  const int expected = aws::is_retryable_answer(status, error.code) ? kMaxAttempts : 1;
  if (error.attempts != expected) {
    return what + ": " + std::to_string(error.attempts) + " attempts, expected " +
           std::to_string(expected);
  }
  if (sends != expected) return what + ": " + std::to_string(sends) + " sends for one page";
  return std::nullopt;
}

inline Violation check_client(std::string_view input) {
  const std::uint8_t first = aws_first_byte(input);
  aws::TransportResponse answer;
  answer.status = first == ' ' ? 400 : first == '\t' ? 500 : 200;
  answer.body = std::string(input);
  answer.headers = {{"x-amzn-RequestId", "fuzz-request-id"}};
  const int status = answer.status;

  auto sends = std::make_shared<int>(0);
  aws::ClientOptions options;
  options.region = "us-west-2";
  options.endpoint_url = "http://127.0.0.1:47123";
  options.credentials =
      aws::Credentials{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""};
  options.max_attempts = kMaxAttempts;
  options.now = [] { return std::int64_t{1795796749}; };
  options.sleep = [](std::chrono::milliseconds) {};
  options.jitter = [] { return 0.5; };
  aws::Client client(options, std::make_unique<AnswerAll>(answer, sends));

  // query: the action the answer's root names (<ListTopicsResponse> -> ListTopics) so that
  // <ListTopicsResult><NextToken> is where the pager looks.
  std::string action = "DescribeAlarms";
  {
    pugi::xml_document document;
    if (document.load_buffer(input.data(), input.size())) {
      std::string_view local = aws::xml_local_name(document.document_element());
      if (local.size() > 8 && local.substr(local.size() - 8) == "Response") {
        action = std::string(local.substr(0, std::min<std::size_t>(local.size() - 8, 64)));
      }
    }
  }

  *sends = 0;
  const auto doc = client.query("sns", action, "2010-03-31", {{"TopicArn", "arn"}});
  if (doc) {
    if (status != 200 || *sends != 1) return std::string("query: succeeded on an error status");
    if (!*doc || !(*doc)->document_element())
      return std::string("query: a document without a root");
  } else if (auto v = check_call_error(doc.error(), status, *sends, kMaxAttempts, "query")) {
    return v;
  }

  *sends = 0;
  const auto pages = client.query_all("sns", action, "2010-03-31", {{"NextToken", "x"}});
  if (pages) {
    // Every page is the same answer: a second page can only repeat the first one's token.
    if (status != 200 || pages->size() != 1 || *sends != 1) {
      return "query_all: " + std::to_string(pages->size()) + " pages from " +
             std::to_string(*sends) + " sends";
    }
  } else if (auto v =
                 check_call_error(pages.error(), status, *sends, 2 * kMaxAttempts, "query_all")) {
    return v;
  }

  *sends = 0;
  const auto object = client.json("logs", "Logs_20140328.DescribeMetricFilters",
                                  nlohmann::json{{"logGroupName", "group"}});
  if (object) {
    if (status != 200 || *sends != 1 || !object->is_object()) {
      return std::string("json: a success that is not one object from one 2xx answer");
    }
  } else if (auto v = check_call_error(object.error(), status, *sends, kMaxAttempts, "json")) {
    return v;
  }

  *sends = 0;
  const auto combined = client.json_all(
      "logs", "Logs_20140328.DescribeMetricFilters",
      nlohmann::json{{"logGroupName", "group"}, {"nextToken", "x"}}, "nextToken", "metricFilters");
  if (combined) {
    if (status != 200 || *sends != 1 || !combined->is_object()) {
      return "json_all: a success from " + std::to_string(*sends) + " sends";
    }
    const auto list = combined->find("metricFilters");
    if (list == combined->end() || !list->is_array()) {
      return std::string("json_all: the list field is not an array");
    }
    if (combined->contains("nextToken")) return std::string("json_all: the token field was kept");
  } else if (auto v =
                 check_call_error(combined.error(), status, *sends, 2 * kMaxAttempts, "json_all")) {
    return v;
  }

  *sends = 0;
  const auto hub =
      client.rest_json("securityhub", "DescribeHub", "GET", "/accounts", "", std::nullopt);
  if (hub) {
    if (status != 200 || *sends != 1 || !hub->is_object()) {
      return std::string("rest_json: a success that is not one object from one 2xx answer");
    }
  } else if (auto v = check_call_error(hub.error(), status, *sends, kMaxAttempts, "rest_json")) {
    return v;
  }
  return std::nullopt;
}

// --- audit::management_capture ---

inline Violation check_management_capture(std::string_view input) {
  const nlohmann::json value = nlohmann::json::parse(input, nullptr, false);
  if (value.is_discarded()) return std::nullopt;
  const audit::ManagementCapture capture = audit::management_capture(value);
  if (capture.selectors != value.dump()) {
    return std::string("management_capture: the selectors are not kept as compact JSON");
  }
  const std::vector<std::string>& sources = capture.excluded_sources;
  if (!std::is_sorted(sources.begin(), sources.end()) ||
      std::adjacent_find(sources.begin(), sources.end()) != sources.end()) {
    return std::string("management_capture: excluded sources not sorted and unique");
  }
  if (!value.is_object() ||
      (!value.contains("EventSelectors") && !value.contains("AdvancedEventSelectors"))) {
    if (capture.read || capture.write || !sources.empty()) {
      return std::string("management_capture: a capture without selectors");
    }
  }
  return std::nullopt;
}

}  // namespace detail

inline Violation run_aws(std::string_view input) {
  if (auto violation = detail::check_xml(input)) return violation;
  if (detail::aws_first_byte(input) == 0xff) return std::nullopt;  // deep mode: XML only
  if (auto violation = detail::check_error_from_response(input)) return violation;
  if (auto violation = detail::check_client(input)) return violation;
  return detail::check_management_capture(input);
}

}  // namespace sgwatch::fuzz
