// Implementation of imds.h.
#include "aws/imds.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "aws/endpoint.h"
#include "aws/user_agent.h"
#include "core/text.h"

namespace sgwatch::aws {

namespace {

constexpr std::string_view kTokenPath = "/latest/api/token";
constexpr std::string_view kRolePath = "/latest/meta-data/iam/security-credentials/";
constexpr std::string_view kIdentityPath = "/latest/dynamic/instance-identity/document";

std::string answer_excerpt(std::string_view body) {
  const std::string_view trimmed = core::trim_pattern_space(body);
  if (trimmed.empty()) return {};
  return ": \"" + core::printable(trimmed, 120) + "\"";
}

std::string string_member(const nlohmann::json& object, const char* name) {
  const auto it = object.find(name);
  if (it == object.end()) return {};
  const std::string* text = it->get_ptr<const std::string*>();
  return text != nullptr ? *text : std::string();
}

// The role name: the first non-empty line of the listing.
std::string first_line(std::string_view text) {
  while (!text.empty()) {
    const auto end = text.find('\n');
    const std::string_view line = core::trim_pattern_space(text.substr(0, end));
    if (!line.empty()) return std::string(line);
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return {};
}

bool is_role_name(std::string_view role) {
  // IAM role names: letters, digits and +=,.@_- (a '/' or '?' would change the path).
  if (role.empty() || role.size() > 128) return false;
  for (const char c : role) {
    if (!core::is_ascii_alnum(c) && std::string_view("+=,.@_-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

}  // namespace

InstanceMetadata::InstanceMetadata(Transport& transport, InstanceMetadataOptions options)
    : transport_(&transport), options_(std::move(options)) {
  while (!options_.endpoint.empty() && options_.endpoint.back() == '/')
    options_.endpoint.pop_back();
}

core::Result<std::string, std::string> InstanceMetadata::token() {
  if (token_) return *token_;
  auto endpoint = split_endpoint(options_.endpoint);
  if (!endpoint) return core::unexpected(endpoint.error());
  const std::string url = endpoint->origin + endpoint->base_path + std::string(kTokenPath);
  HttpRequest request;
  request.method = "PUT";
  request.path = endpoint->base_path + std::string(kTokenPath);
  request.headers = {
      {"Host", endpoint->host},
      {"User-Agent", user_agent()},
      {"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(options_.token_ttl_seconds)}};
  auto sent = transport_->send(url, request, options_.timeout);
  if (!sent) return core::unexpected(std::move(sent).error());
  if (sent->status != 200) {
    return core::unexpected("PUT " + url + ": HTTP " + std::to_string(sent->status) +
                            " instead of a session token" + answer_excerpt(sent->body));
  }
  const std::string_view value = core::trim_pattern_space(sent->body);
  if (value.empty() || value.find_first_of("\r\n") != std::string_view::npos) {
    return core::unexpected("PUT " + url + ": the session token is empty or not one line");
  }
  token_ = std::string(value);
  return *token_;
}

core::Result<std::string, std::string> InstanceMetadata::get(const std::string& path,
                                                             std::string_view what) {
  auto session = token();
  if (!session) return core::unexpected(std::move(session).error());
  auto endpoint = split_endpoint(options_.endpoint);
  if (!endpoint) return core::unexpected(endpoint.error());
  const std::string url = endpoint->origin + endpoint->base_path + path;
  HttpRequest request;
  request.method = "GET";
  request.path = endpoint->base_path + path;
  request.headers = {{"Host", endpoint->host},
                     {"User-Agent", user_agent()},
                     {"X-aws-ec2-metadata-token", *session}};
  auto sent = transport_->send(url, request, options_.timeout);
  if (!sent) return core::unexpected(std::move(sent).error());
  if (sent->status != 200) {
    std::string text = "GET " + url + ": HTTP " + std::to_string(sent->status);
    if (sent->status == 404) text += " (" + std::string(what) + ")";
    return core::unexpected(text + answer_excerpt(sent->body));
  }
  return std::move(sent->body);
}

core::Result<InstanceCredentials, std::string> InstanceMetadata::credentials() {
  auto listing = get(std::string(kRolePath), "no IAM role is attached to this instance");
  if (!listing) return core::unexpected(std::move(listing).error());
  InstanceCredentials out;
  out.role = first_line(*listing);
  const std::string listing_url = options_.endpoint + std::string(kRolePath);
  if (out.role.empty()) {
    return core::unexpected("GET " + listing_url +
                            ": no IAM role is attached to this instance (empty listing)");
  }
  if (!is_role_name(out.role)) {
    return core::unexpected("GET " + listing_url + ": \"" + core::printable(out.role, 64) +
                            "\" is not an IAM role name");
  }
  const std::string path = std::string(kRolePath) + out.role;
  auto document = get(path, "the role's credentials are not there");
  if (!document) return core::unexpected(std::move(document).error());
  const std::string url = options_.endpoint + path;
  const nlohmann::json keys = nlohmann::json::parse(*document, nullptr, false);
  if (keys.is_discarded() || !keys.is_object()) {
    return core::unexpected("GET " + url + ": the answer is not a JSON object");
  }
  const std::string code = string_member(keys, "Code");
  if (!code.empty() && code != "Success") {
    std::string text = "GET " + url + ": the service answered Code " + core::printable(code, 64);
    const std::string message = string_member(keys, "Message");
    if (!message.empty()) text += ": " + core::printable(message, 200);
    return core::unexpected(text);
  }
  out.credentials.access_key_id = string_member(keys, "AccessKeyId");
  out.credentials.secret_access_key = string_member(keys, "SecretAccessKey");
  out.credentials.session_token = string_member(keys, "Token");
  out.expiration = string_member(keys, "Expiration");
  if (out.credentials.access_key_id.empty() || out.credentials.secret_access_key.empty()) {
    return core::unexpected("GET " + url + ": the answer has no AccessKeyId or SecretAccessKey");
  }
  return out;
}

core::Result<std::string, std::string> InstanceMetadata::region() {
  auto document = get(std::string(kIdentityPath), "no instance identity document");
  if (!document) return core::unexpected(std::move(document).error());
  const std::string url = options_.endpoint + std::string(kIdentityPath);
  const nlohmann::json identity = nlohmann::json::parse(*document, nullptr, false);
  if (identity.is_discarded() || !identity.is_object()) {
    return core::unexpected("GET " + url + ": the answer is not a JSON object");
  }
  std::string region = string_member(identity, "region");
  if (!is_region_name(region)) {
    return core::unexpected("GET " + url + ": the document names no usable region");
  }
  return region;
}

}  // namespace sgwatch::aws
