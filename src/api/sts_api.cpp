// Implementation of sts_api.h.
#include "api/sts_api.h"

#include <fmt/format.h>

#include <array>

#include "api/shapes.h"
#include "aws/crypto.h"

namespace sgwatch::api {

namespace {

// GetCallerIdentityResponse (model order).
constexpr Member kCallerIdentityMembers[] = {
    {"UserId", &kStringShape},
    {"Account", &kStringShape},
    {"Arn", &kStringShape},
};
constexpr Shape kCallerIdentityShape{ShapeKind::kStructure, kCallerIdentityMembers};

// IAM unique ids are "AIDA" followed by 17 characters of [A-Z2-7] (base32).
std::string user_unique_id(std::string_view account_id, std::string_view name) {
  static constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const aws::Sha256Digest digest = aws::sha256(fmt::format("{}:user/{}", account_id, name));
  std::string out = "AIDA";
  for (std::size_t i = 0; i < 17; ++i) out += kBase32[digest[i] & 0x1F];
  return out;
}

}  // namespace

CallerIdentity caller_identity(std::string_view account_id, const std::string* user_name) {
  CallerIdentity identity;
  identity.account = std::string(account_id);
  if (user_name == nullptr) {
    identity.user_id = std::string(account_id);
    identity.arn = fmt::format("arn:aws:iam::{}:root", account_id);
  } else {
    identity.user_id = user_unique_id(account_id, *user_name);
    identity.arn = fmt::format("arn:aws:iam::{}:user/{}", account_id, *user_name);
  }
  return identity;
}

aws::HttpResponse StsApi::handle(const aws::WireRequest& request, const RequestContext& context) {
  if (request.operation != "GetCallerIdentity") return unsupported_operation(request, context);
  const auto user = options_.user_names.find(context.access_key_id);
  const CallerIdentity identity = caller_identity(
      context.account_id,
      context.access_key_id.empty() || user == options_.user_names.end() ? nullptr : &user->second);
  nlohmann::ordered_json output;
  output["UserId"] = identity.user_id;
  output["Account"] = identity.account;
  output["Arn"] = identity.arn;
  return success(request, context, &kCallerIdentityShape, output);
}

}  // namespace sgwatch::api
