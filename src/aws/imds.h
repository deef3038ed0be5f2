// The EC2 instance metadata service, version 2, as botocore asks it for an instance role's
// credentials: PUT /latest/api/token (X-aws-ec2-metadata-token-ttl-seconds), then with the token
// GET /latest/meta-data/iam/security-credentials/ (the role) and .../<role> (the keys), and the
// region from /latest/dynamic/instance-identity/document. Short timeouts and no retries, so a
// machine off EC2 fails fast. Neighbours: transport.h (what it sends with), client.h
// (resolve_client asks it when credentials.h's chain finds nothing).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "aws/sigv4.h"
#include "aws/transport.h"
#include "core/result.h"

namespace sgwatch::aws {

inline constexpr std::string_view kMetadataEndpoint = "http://169.254.169.254";

struct InstanceMetadataOptions {
  std::string endpoint = std::string(kMetadataEndpoint);  // AWS_EC2_METADATA_SERVICE_ENDPOINT
  std::chrono::milliseconds timeout{1000};                // each request
  int token_ttl_seconds = 21600;
};

struct InstanceCredentials {
  Credentials credentials;
  std::string role;        // the instance profile's role name
  std::string expiration;  // as the service wrote it ("2026-11-27T21:00:00Z")
};

// One conversation with the service; the session token is fetched once and reused. Errors say
// which request failed and why ("GET http://169.254.169.254/latest/meta-data/iam/
// security-credentials/: HTTP 404 (no IAM role is attached to this instance)").
class InstanceMetadata {
 public:
  InstanceMetadata(Transport& transport, InstanceMetadataOptions options);

  core::Result<InstanceCredentials, std::string> credentials();
  core::Result<std::string, std::string> region();

 private:
  core::Result<std::string, std::string> token();
  // GET `path` with the token: the body of a 200 answer.
  core::Result<std::string, std::string> get(const std::string& path, std::string_view what);

  Transport* transport_;
  InstanceMetadataOptions options_;
  std::optional<std::string> token_;
};

}  // namespace sgwatch::aws
