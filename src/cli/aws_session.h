// The AWS side of a subcommand that calls AWS (audit, apply): credentials and region resolved as
// the AWS CLI does (--profile, --region, --endpoint-url, the environment, the shared files, EC2
// instance metadata), and one client per region on demand. Neighbours: aws/client.h.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "aws/client.h"
#include "core/result.h"

namespace sgwatch::cli {

struct AwsFlags {
  std::string profile;
  std::string region;
  std::string endpoint_url;
};

class AwsSession {
 public:
  // Resolves credentials and region; the error says what was tried.
  static core::Result<std::unique_ptr<AwsSession>, std::string> open(const AwsFlags& flags);

  const std::string& region() const { return options_.region; }
  const std::optional<std::string>& endpoint_url() const { return options_.endpoint_url; }
  // The client for `region`, made on first use.
  aws::Client& client(const std::string& region);

 private:
  explicit AwsSession(aws::ClientOptions options) : options_(std::move(options)) {}

  aws::ClientOptions options_;
  std::map<std::string, std::unique_ptr<aws::Client>> clients_;
};

}  // namespace sgwatch::cli
