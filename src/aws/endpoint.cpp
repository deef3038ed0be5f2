// Implementation of endpoint.h.
#include "aws/endpoint.h"

#include "aws/curl_handle.h"
#include "core/text.h"

namespace sgwatch::aws {

std::string signing_name(std::string_view service) {
  if (service == "cloudwatch") return "monitoring";
  return std::string(service);
}

bool is_region_name(std::string_view region) {
  if (region.empty() || region.size() > 64 || !core::is_ascii_alpha(region.front())) return false;
  for (const char c : region) {
    if (!(c >= 'a' && c <= 'z') && !core::is_ascii_digit(c) && c != '-') return false;
  }
  return region.back() != '-';
}

std::string service_endpoint(std::string_view service, std::string_view region,
                             const std::optional<std::string>& endpoint_url) {
  if (endpoint_url && !endpoint_url->empty()) return *endpoint_url;
  std::string out =
      "https://" + signing_name(service) + "." + std::string(region) + ".amazonaws.com";
  if (region.starts_with("cn-")) out += ".cn";
  return out;
}

core::Result<EndpointParts, std::string> split_endpoint(std::string_view endpoint) {
  const std::string shown = core::printable(endpoint, 200);
  auto parts = curl::split_url(endpoint);
  if (!parts) return core::unexpected("endpoint " + shown + ": " + parts.error());
  if (parts->scheme != "http" && parts->scheme != "https") {
    return core::unexpected("endpoint " + shown + ": only http:// and https:// endpoints work");
  }
  if (parts->has_credentials) {
    return core::unexpected("endpoint " + shown + ": a user name or password has no place in it");
  }
  if (!parts->query.empty()) {
    return core::unexpected("endpoint " + shown + ": an endpoint cannot have a query string");
  }
  EndpointParts out;
  out.host = parts->host;
  const bool default_port = parts->port.empty() ||
                            (parts->scheme == "http" && parts->port == "80") ||
                            (parts->scheme == "https" && parts->port == "443");
  if (!default_port) out.host += ":" + parts->port;
  out.origin = parts->scheme + "://" + out.host;
  out.base_path = parts->path;
  while (!out.base_path.empty() && out.base_path.back() == '/') out.base_path.pop_back();
  return out;
}

}  // namespace sgwatch::aws
