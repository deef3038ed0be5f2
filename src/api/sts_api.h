// StsApi: the STS operations sgwatch answers, so that `aws sts get-caller-identity
// --endpoint-url ...` works against `sgwatch serve`: GetCallerIdentity (awsQuery XML). The
// identity is the verified access key's: an IAM user when a name is configured for the key, else
// the account's root. Wrong keys never get here (the dispatcher's verifier answers
// InvalidClientTokenId). Neighbours: dispatch (RequestContext), shapes (the envelope).
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>

#include "api/dispatch.h"

namespace sgwatch::api {

struct StsOptions {
  // Access key id -> IAM user name ("auditor" answers arn:aws:iam::<account>:user/auditor).
  // Keys not listed, and unsigned requests, are the account's root user.
  std::map<std::string, std::string, std::less<>> user_names;
};

class StsApi final : public ServiceApi {
 public:
  explicit StsApi(StsOptions options = {}) : options_(std::move(options)) {}

  aws::HttpResponse handle(const aws::WireRequest& request, const RequestContext& context) override;

 private:
  StsOptions options_;
};

// The GetCallerIdentity answer for `access_key_id` in `account_id`:
//   user  Arn arn:aws:iam::<account>:user/<name>, UserId "AIDA" + 17 characters derived from the
//         account and the name (stable across restarts, like an IAM unique id)
//   root  Arn arn:aws:iam::<account>:root, UserId the account id
struct CallerIdentity {
  std::string user_id;
  std::string account;
  std::string arn;
};
CallerIdentity caller_identity(std::string_view account_id, const std::string* user_name);

}  // namespace sgwatch::api
