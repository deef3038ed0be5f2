#include "cli/aws_session.h"

namespace sgwatch::cli {

core::Result<std::unique_ptr<AwsSession>, std::string> AwsSession::open(const AwsFlags& flags) {
  aws::CredentialRequest request;
  if (!flags.profile.empty()) request.profile = flags.profile;
  if (!flags.region.empty()) request.region = flags.region;
  std::optional<std::string> endpoint;
  if (!flags.endpoint_url.empty()) endpoint = flags.endpoint_url;
  auto metadata = aws::make_curl_transport();
  auto setup = aws::resolve_client(request, endpoint, aws::CredentialEnvironment::system(), *metadata);
  if (!setup) return core::unexpected(setup.error());
  return std::unique_ptr<AwsSession>(new AwsSession(std::move(setup->options)));
}

aws::Client& AwsSession::client(const std::string& region) {
  auto found = clients_.find(region);
  if (found != clients_.end()) return *found->second;
  aws::ClientOptions options = options_;
  options.region = region;
  auto made = std::make_unique<aws::Client>(std::move(options), aws::make_curl_transport());
  return *clients_.emplace(region, std::move(made)).first->second;
}

}  // namespace sgwatch::cli
