// Implementation of control_events.h: CloudTrail's envelope (the key order of the 1.08-1.10
// captures in ../shared/data/cloudtrail: eventVersion, userIdentity, eventTime, eventSource,
// eventName, awsRegion, sourceIPAddress, userAgent, [errorCode, errorMessage],
// requestParameters, responseElements, [additionalEventData], requestID, eventID, readOnly,
// [resources], eventType, managementEvent, recipientAccountId, eventCategory, tlsDetails)
// around the request and response of every API a control names, in the variants each control
// gets, then the control's near misses. Console sign-ins follow the AWS sign-in event
// reference (no requestID, errorMessage without errorCode for failures, additionalEventData).
#include "lint/control_events.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>

#include "lint/corpus.h"

namespace sgwatch::lint {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kAccount = "111122223333";
constexpr std::size_t kSelf = static_cast<std::size_t>(-1);

// Who makes the call.
enum class Who {
  kIamUser,         // alice, with an access key (CLI)
  kAssumedRole,     // alice's Operator role session (Terraform)
  kRoot,            // the root user in the console
  kRootKey,         // the root user with an access key (CLI)
  kCloudFormation,  // a deployment role used by CloudFormation on a user's behalf (invokedBy)
  kDeployer,        // the deployment automation role (CI pipeline)
  kScanner,         // a security-audit scanner role
  kSsoUser,         // an IAM Identity Center (SSO) permission-set role session
  kLogDelivery,     // the CloudWatch Logs delivery service
};

// The fixed parts of one API call as CloudTrail logs it.
struct Call {
  std::string_view source;
  std::string_view name;
  std::string request = "null";   // requestParameters (JSON); "{region}" is replaced
  std::string response = "null";  // responseElements of the successful call (JSON)
  std::string additional;         // additionalEventData (JSON), empty for none
  std::string resources;          // resources (JSON array), empty for none
  bool read_only = false;
  std::string_view event_type = "AwsApiCall";
};

// What differs between records of the same call.
struct Context {
  Who who = Who::kIamUser;
  std::string region = "us-east-1";
  std::string version = "1.08";
  std::string error_code;      // empty: no errorCode
  std::string error_message;   // empty: no errorMessage
  bool keep_response = false;  // a failed call that still logs responseElements (console sign-in)
  std::string invoked_by;      // an invokedBy added to the identity
};

std::string replace_all(std::string text, std::string_view from, std::string_view to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

Json parse_json(const std::string& text, std::string_view region, std::string_view what) {
  Json value = Json::parse(replace_all(text, "{region}", region), nullptr, false);
  if (value.is_discarded()) throw std::invalid_argument(fmt::format("{}: not JSON", what));
  return value;
}

std::string service_prefix(std::string_view event_source) {
  return std::string(event_source.substr(0, event_source.find('.')));
}

bool is_signin(const Call& call) {
  return call.source == "signin.amazonaws.com";
}

std::string user_arn(Who who) {
  const std::string account(kAccount);
  switch (who) {
    case Who::kIamUser:
      return "arn:aws:iam::" + account + ":user/alice";
    case Who::kAssumedRole:
      return "arn:aws:sts::" + account + ":assumed-role/Operator/alice@example.com";
    case Who::kRoot:
    case Who::kRootKey:
      return "arn:aws:iam::" + account + ":root";
    case Who::kCloudFormation:
      return "arn:aws:sts::" + account + ":assumed-role/DeployRole/AWSCloudFormation";
    case Who::kDeployer:
      return "arn:aws:sts::" + account + ":assumed-role/deployer/terraform-ci";
    case Who::kScanner:
      return "arn:aws:sts::" + account + ":assumed-role/security-audit/prowler";
    case Who::kSsoUser:
      return "arn:aws:sts::" + account +
             ":assumed-role/AWSReservedSSO_AdministratorAccess_0123456789abcdef/alice@example.com";
    case Who::kLogDelivery:
      return "";
  }
  return "";
}

Json role_identity(std::string_view role, std::string_view session, std::string_view key,
                   bool mfa) {
  const std::string account(kAccount);
  const std::string role_path = role.substr(0, 15) == "AWSReservedSSO_"
                                    ? "role/aws-reserved/sso.amazonaws.com/" + std::string(role)
                                    : "role/" + std::string(role);
  Json id;
  id["type"] = "AssumedRole";
  id["principalId"] = "AROAQX3KEXAMPLEROLE1:" + std::string(session);
  id["arn"] =
      "arn:aws:sts::" + account + ":assumed-role/" + std::string(role) + "/" + std::string(session);
  id["accountId"] = account;
  id["accessKeyId"] = std::string(key);
  Json issuer;
  issuer["type"] = "Role";
  issuer["principalId"] = "AROAQX3KEXAMPLEROLE1";
  issuer["arn"] = "arn:aws:iam::" + account + ":" + role_path;
  issuer["accountId"] = account;
  issuer["userName"] = std::string(role);
  Json context;
  context["sessionIssuer"] = std::move(issuer);
  context["webIdFederationData"] = Json::object();
  context["attributes"] = {{"creationDate", "2024-05-14T08:58:12Z"},
                           {"mfaAuthenticated", mfa ? "true" : "false"}};
  id["sessionContext"] = std::move(context);
  return id;
}

Json identity_json(const Call& call, const Context& ctx) {
  const std::string account(kAccount);
  const bool signin = is_signin(call);
  const bool failed_signin = signin && !ctx.error_message.empty();
  Json id;
  switch (ctx.who) {
    case Who::kIamUser:
      id["type"] = "IAMUser";
      id["principalId"] = "AIDAQX3KEXAMPLE7USER";
      if (!failed_signin) id["arn"] = user_arn(Who::kIamUser);
      id["accountId"] = account;
      if (!signin) id["accessKeyId"] = "AKIAQX3KEXAMPLEKEY01";
      if (failed_signin) id["accessKeyId"] = "";
      id["userName"] = "alice";
      break;
    case Who::kAssumedRole:
      id = role_identity("Operator", "alice@example.com", "ASIAQX3KEXAMPLEKEY02", true);
      break;
    case Who::kCloudFormation:
      id = role_identity("DeployRole", "AWSCloudFormation", "ASIAQX3KEXAMPLEKEY04", false);
      id["invokedBy"] = "cloudformation.amazonaws.com";
      break;
    case Who::kDeployer:
      id = role_identity("deployer", "terraform-ci", "ASIAQX3KEXAMPLEKEY05", false);
      break;
    case Who::kScanner:
      id = role_identity("security-audit", "prowler", "ASIAQX3KEXAMPLEKEY06", false);
      break;
    case Who::kSsoUser:
      id = role_identity("AWSReservedSSO_AdministratorAccess_0123456789abcdef", "alice@example.com",
                         signin ? "" : "ASIAQX3KEXAMPLEKEY07", false);
      break;
    case Who::kRoot:
      id["type"] = "Root";
      id["principalId"] = account;
      id["arn"] = user_arn(Who::kRoot);
      id["accountId"] = account;
      if (signin) {
        id["accessKeyId"] = "";
      } else {
        id["accessKeyId"] = "ASIAQX3KEXAMPLEKEY03";
        id["sessionContext"] = {
            {"sessionIssuer", Json::object()},
            {"webIdFederationData", Json::object()},
            {"attributes",
             {{"creationDate", "2024-05-14T08:41:07Z"}, {"mfaAuthenticated", "true"}}}};
      }
      break;
    case Who::kRootKey:
      id["type"] = "Root";
      id["principalId"] = account;
      id["arn"] = user_arn(Who::kRootKey);
      id["accountId"] = account;
      id["accessKeyId"] = "AKIAQX3KEXAMPLEROOT1";
      break;
    case Who::kLogDelivery:
      id["type"] = "AWSService";
      id["invokedBy"] = "delivery.logs.amazonaws.com";
      break;
  }
  if (!ctx.invoked_by.empty()) id["invokedBy"] = ctx.invoked_by;
  return id;
}

constexpr std::string_view kBrowser =
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15";
constexpr std::string_view kCli =
    "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 "
    "cfg/retry-mode#standard";
constexpr std::string_view kTerraform =
    "APN/1.0 HashiCorp/1.0 Terraform/1.8.2 (+https://www.terraform.io) "
    "terraform-provider-aws/5.49.0";

std::pair<std::string, std::string> origin(Who who, bool signin) {
  switch (who) {
    case Who::kIamUser:
      return {"192.0.2.10", std::string(signin ? kBrowser : kCli)};
    case Who::kAssumedRole:
      return {"198.51.100.24", std::string(signin ? kBrowser : kTerraform)};
    case Who::kRoot:
      return {"203.0.113.77", std::string(kBrowser)};
    case Who::kRootKey:
      return {"203.0.113.78", std::string(kCli)};
    case Who::kCloudFormation:
      return {"cloudformation.amazonaws.com", "cloudformation.amazonaws.com"};
    case Who::kDeployer:
      return {"198.51.100.80", std::string(kTerraform)};
    case Who::kScanner:
      return {"198.51.100.90",
              "Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.1.0 md/arch#x86_64 "
              "lang/python#3.11.8 "
              "md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84 prowler/3.16.0"};
    case Who::kSsoUser:
      return {"192.0.2.44", std::string(kBrowser)};
    case Who::kLogDelivery:
      return {"delivery.logs.amazonaws.com", "delivery.logs.amazonaws.com"};
  }
  return {"192.0.2.10", std::string(kCli)};
}

std::string tls_host(const Call& call, std::string_view region) {
  if (is_signin(call)) return "signin.aws.amazon.com";
  const std::string prefix = service_prefix(call.source);
  if (prefix == "iam" || prefix == "organizations") return prefix + ".amazonaws.com";
  return fmt::format("{}.{}.amazonaws.com", prefix, region);
}

std::string render(const Call& call, const Context& ctx, std::size_t serial) {
  const bool signin = is_signin(call);
  const bool service = ctx.who == Who::kCloudFormation || ctx.who == Who::kLogDelivery;
  const bool failed = !ctx.error_code.empty() || !ctx.error_message.empty();
  const std::string name(call.name);
  Json r;
  r["eventVersion"] = ctx.version;
  r["userIdentity"] = identity_json(call, ctx);
  r["eventTime"] = fmt::format("2024-05-{:02}T{:02}:{:02}:{:02}Z", 14 + serial / 43200 % 14,
                               8 + serial / 3600 % 12, serial / 60 % 60, serial % 60);
  r["eventSource"] = std::string(call.source);
  r["eventName"] = name;
  r["awsRegion"] = ctx.region;
  auto [ip, agent] = origin(ctx.who, signin || ctx.who == Who::kRoot);
  r["sourceIPAddress"] = std::move(ip);
  r["userAgent"] = std::move(agent);
  if (!ctx.error_code.empty()) r["errorCode"] = ctx.error_code;
  if (!ctx.error_message.empty()) r["errorMessage"] = ctx.error_message;
  r["requestParameters"] = parse_json(call.request, ctx.region, name + " requestParameters");
  r["responseElements"] = failed && !ctx.keep_response
                              ? Json()
                              : parse_json(call.response, ctx.region, name + " responseElements");
  if (!call.additional.empty())
    r["additionalEventData"] =
        parse_json(call.additional, ctx.region, name + " additionalEventData");
  if (!signin)
    r["requestID"] = fmt::format("{:08x}-c1a5-4e2b-9d3c-{:012x}", 0x3c000000U + serial,
                                 0x4b00000000ULL + serial);
  r["eventID"] =
      fmt::format("{:08x}-e7e7-4b1d-8f22-{:012x}", 0x6c000000U + serial, 0x3e00000000ULL + serial);
  r["readOnly"] = call.read_only;
  if (!call.resources.empty())
    r["resources"] = parse_json(call.resources, ctx.region, name + " resources");
  r["eventType"] = std::string(call.event_type);
  const bool modern = ctx.version != "1.05";
  if (modern) r["managementEvent"] = true;
  r["recipientAccountId"] = std::string(kAccount);
  if (modern) r["eventCategory"] = "Management";
  if (modern && !service && call.event_type != "AwsServiceEvent") {
    r["tlsDetails"] = {{"tlsVersion", "TLSv1.3"},
                       {"cipherSuite", "TLS_AES_128_GCM_SHA256"},
                       {"clientProvidedHostHeader", tls_host(call, ctx.region)}};
  }
  if (ctx.who == Who::kRoot && !signin) r["sessionCredentialFromConsole"] = "true";
  return r.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// Collects a control's events; serials (eventTime, IDs) are unique across controls.
class TableBuilder {
 public:
  explicit TableBuilder(std::size_t first_serial) : serial_(first_serial) {}

  std::size_t add(std::string description, const Call& call, const Context& ctx, EventClass cls,
                  std::size_t base = kSelf) {
    return add_text(std::move(description), std::string(call.name), render(call, ctx, ++serial_),
                    cls, base);
  }
  std::size_t add_text(std::string description, std::string group, std::string text, EventClass cls,
                       std::size_t base = kSelf) {
    const std::size_t index = events_.size();
    TableEvent event;
    event.event.description = std::move(description);
    event.event.text = std::move(text);
    event.group = std::move(group);
    event.intended = cls;
    event.base = base == kSelf ? index : base;
    events_.push_back(std::move(event));
    return index;
  }
  std::vector<TableEvent> take() { return std::move(events_); }

 private:
  std::size_t serial_;
  std::vector<TableEvent> events_;
};

// ---- controls that name API calls (4.4, 4.5, 4.7-4.9, 4.11-4.15) -------------------------

struct NearMiss {
  std::string what;  // why it is a near miss, e.g. "read"
  Call call;
};

struct ApiControl {
  std::vector<Call> calls;         // the APIs the control names (required when successful)
  bool global = false;             // a global service: every record is logged in us-east-1
  std::string_view failed_code;    // the errorCode of a denied call
  bool s3_message = false;         // S3's "Access Denied" instead of the IAM-style message
  std::vector<NearMiss> optional;  // other calls the reference matches that a tuned filter may drop
  std::vector<NearMiss> near;      // near misses
};

struct VariantSpec {
  std::string_view phrase;  // "{region}" stands for the variant's region
  Who who;
  std::size_t region;  // index into the control's regions
  std::string_view version;
  EventClass cls;
  bool dry_run = false;
  bool regional_only = false;  // skipped for global services
  bool ec2_only = false;
};

// Every API gets its plain call by an IAM user (required) and the same call failed (optional);
// each of these variants goes to the first API and one more in turn (to every API when there are
// at most four), so that every variant appears and the set stays small.
constexpr std::array<VariantSpec, 8> kRotatingVariants = {{
    {"by an assumed role in {region} (event version 1.09)", Who::kAssumedRole, 1, "1.09",
     EventClass::kRequired},
    {"by the root user in the console", Who::kRoot, 0, "1.08", EventClass::kRequired},
    {"by an IAM user in {region}", Who::kIamUser, 2, "1.08", EventClass::kRequired, false, true},
    {"in an event version 1.05 record", Who::kIamUser, 0, "1.05", EventClass::kRequired},
    {"by an assumed role (event version 1.10)", Who::kAssumedRole, 0, "1.10",
     EventClass::kRequired},
    {"by CloudFormation on a user's behalf", Who::kCloudFormation, 0, "1.08",
     EventClass::kOptional},
    {"by the deployment automation role", Who::kDeployer, 0, "1.08", EventClass::kOptional},
    {"as a dry run (Client.DryRunOperation)", Who::kIamUser, 0, "1.08", EventClass::kOptional, true,
     false, true},
}};

std::string denied_message(const Call& call, Who who, bool s3) {
  if (s3) return "Access Denied";
  const std::string prefix = service_prefix(call.source);
  const std::string action = prefix + ":" + std::string(call.name);
  const std::string text = fmt::format(
      "User: {} is not authorized to perform: {} because no identity-based policy allows the {} "
      "action",
      user_arn(who), action, action);
  return prefix == "ec2" ? "You are not authorized to perform this operation. " + text : text;
}

void add_api_control(TableBuilder& table, const ApiControl& control) {
  const std::array<std::string, 3> regions =
      control.global ? std::array<std::string, 3>{"us-east-1", "us-east-1", "us-east-1"}
                     : std::array<std::string, 3>{"us-east-1", "eu-west-1", "ap-southeast-2"};
  const std::size_t n = control.calls.size();
  for (std::size_t a = 0; a < n; ++a) {
    const Call& call = control.calls[a];
    const std::string name(call.name);
    const bool ec2 = call.source == "ec2.amazonaws.com";
    Context plain;
    plain.region = regions[0];
    const std::size_t main = table.add(fmt::format("{} by an IAM user in {}", name, regions[0]),
                                       call, plain, EventClass::kRequired);
    Context failed = plain;
    failed.error_code = std::string(control.failed_code);
    failed.error_message = denied_message(call, Who::kIamUser, control.s3_message);
    table.add(fmt::format("{} failed ({})", name, control.failed_code), call, failed,
              EventClass::kOptional, main);
    for (std::size_t v = 0; v < kRotatingVariants.size(); ++v) {
      const VariantSpec& spec = kRotatingVariants[v];
      if ((spec.regional_only && control.global) || (spec.ec2_only && !ec2)) continue;
      const bool chosen = n <= 4 || a == 0 || a == (1 + v) % n;
      if (!chosen) continue;
      Context ctx;
      ctx.who = spec.who;
      ctx.region = regions[spec.region];
      ctx.version = std::string(spec.version);
      if (spec.dry_run) {
        ctx.error_code = "Client.DryRunOperation";
        ctx.error_message = "Request would have succeeded, but DryRun flag is set.";
      }
      const std::string phrase = replace_all(std::string(spec.phrase), "{region}", ctx.region);
      table.add(name + " " + phrase, call, ctx, spec.cls, main);
    }
  }
  for (const NearMiss& extra : control.optional) {
    table.add(fmt::format("{} ({})", extra.call.name, extra.what), extra.call, Context{},
              EventClass::kOptional);
  }
  for (const NearMiss& miss : control.near) {
    table.add(fmt::format("{} ({})", miss.call.name, miss.what), miss.call, Context{},
              EventClass::kNearMiss);
  }
}

// ---- the APIs -------------------------------------------------------------------------------

constexpr std::string_view kEc2 = "ec2.amazonaws.com";
constexpr std::string_view kIam = "iam.amazonaws.com";
constexpr std::string_view kOrgs = "organizations.amazonaws.com";
constexpr std::string_view kS3 = "s3.amazonaws.com";
constexpr std::string_view kKms = "kms.amazonaws.com";
constexpr std::string_view kConfig = "config.amazonaws.com";
constexpr std::string_view kTrail = "cloudtrail.amazonaws.com";
constexpr std::string_view kSignin = "signin.amazonaws.com";

constexpr std::string_view kEc2Ok =
    R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true})";
constexpr std::string_view kPolicyDoc =
    R"("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::orders-data/*\"}]}")";
constexpr std::string_view kScp =
    R"("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Action\":[\"cloudtrail:StopLogging\",\"cloudtrail:DeleteTrail\"],\"Resource\":\"*\"}]}")";

Call ec2(std::string_view name, std::string request, std::string response = std::string(kEc2Ok),
         bool read_only = false) {
  return Call{kEc2, name, std::move(request), std::move(response), "", "", read_only};
}

Call iam(std::string_view name, std::string request, std::string response = "null",
         bool read_only = false) {
  return Call{kIam, name, std::move(request), std::move(response), "", "", read_only};
}

Call orgs(std::string_view name, std::string request, std::string response = "null",
          bool read_only = false) {
  return Call{kOrgs, name, std::move(request), std::move(response), "", "", read_only};
}

Call s3(std::string_view name, std::string_view subresource, std::string body = "",
        bool read_only = false, std::string_view source = kS3) {
  std::string request =
      R"({"bucketName": "orders-data", "Host": "orders-data.s3.{region}.amazonaws.com")";
  if (!subresource.empty()) request += R"(, ")" + std::string(subresource) + R"(": "")";
  if (!body.empty()) request += ", " + body;
  request += "}";
  return Call{
      source,
      name,
      std::move(request),
      "null",
      R"({"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256", "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader", "x-amz-id-2": "Q1mr2BcxkEXAMPLEd3x5YBDQkEXAMPLE0hkPl7Ud9EXAMPLE=", "bytesTransferredOut": 0})",
      R"([{"accountId": "111122223333", "type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::orders-data"}])",
      read_only};
}

Call kms(std::string_view name, std::string request, std::string response = "null",
         bool read_only = false) {
  return Call{
      kKms,
      name,
      std::move(request),
      std::move(response),
      "",
      R"([{"accountId": "111122223333", "type": "AWS::KMS::Key", "ARN": "arn:aws:kms:{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"}])",
      read_only};
}

Call config(std::string_view name, std::string request, bool read_only = false) {
  return Call{kConfig, name, std::move(request), "null", "", "", read_only};
}

Call trail(std::string_view name, std::string request, std::string response = "null",
           bool read_only = false) {
  return Call{kTrail, name, std::move(request), std::move(response), "", "", read_only};
}

std::string put_policy_request(std::string_view principal_key, std::string_view principal) {
  return fmt::format(R"({{"{}": "{}", "policyName": "orders-read", "policyDocument": {}}})",
                     principal_key, principal, kPolicyDoc);
}

std::vector<Call> iam_policy_calls() {
  const std::string policy_arn = R"("policyArn": "arn:aws:iam::111122223333:policy/orders-read")";
  const std::string admin = R"("policyArn": "arn:aws:iam::aws:policy/AdministratorAccess")";
  return {
      iam("DeleteGroupPolicy", R"({"groupName": "developers", "policyName": "orders-read"})"),
      iam("DeleteRolePolicy", R"({"roleName": "app-server", "policyName": "orders-read"})"),
      iam("DeleteUserPolicy", R"({"userName": "bob", "policyName": "orders-read"})"),
      iam("PutGroupPolicy", put_policy_request("groupName", "developers")),
      iam("PutRolePolicy", put_policy_request("roleName", "app-server")),
      iam("PutUserPolicy", put_policy_request("userName", "bob")),
      iam("CreatePolicy",
          fmt::format(
              R"({{"policyName": "orders-read", "policyDocument": {}, "description": "Read the orders bucket"}})",
              kPolicyDoc),
          R"({"policy": {"policyName": "orders-read", "policyId": "ANPAQX3KEXAMPLEPOL01", "arn": "arn:aws:iam::111122223333:policy/orders-read", "path": "/", "defaultVersionId": "v1", "attachmentCount": 0, "permissionsBoundaryUsageCount": 0, "isAttachable": true, "createDate": "May 14, 2024, 9:01:12 AM", "updateDate": "May 14, 2024, 9:01:12 AM"}})"),
      iam("DeletePolicy", "{" + policy_arn + "}"),
      iam("CreatePolicyVersion",
          fmt::format(R"({{{}, "policyDocument": {}, "setAsDefault": true}})", policy_arn,
                      kPolicyDoc),
          R"({"policyVersion": {"versionId": "v2", "isDefaultVersion": true, "createDate": "May 14, 2024, 9:03:40 AM"}})"),
      iam("DeletePolicyVersion", "{" + policy_arn + R"(, "versionId": "v1"})"),
      iam("AttachRolePolicy", R"({"roleName": "app-server", )" + admin + "}"),
      iam("DetachRolePolicy", R"({"roleName": "app-server", )" + admin + "}"),
      iam("AttachUserPolicy", R"({"userName": "bob", )" + admin + "}"),
      iam("DetachUserPolicy", R"({"userName": "bob", )" + admin + "}"),
      iam("AttachGroupPolicy", R"({"groupName": "developers", )" + admin + "}"),
      iam("DetachGroupPolicy", R"({"groupName": "developers", )" + admin + "}"),
  };
}

Call orgs_create_policy() {
  return orgs(
      "CreatePolicy",
      fmt::format(
          R"({{"content": {}, "description": "Protect CloudTrail", "name": "protect-cloudtrail", "type": "SERVICE_CONTROL_POLICY"}})",
          kScp),
      fmt::format(
          R"({{"policy": {{"policySummary": {{"id": "p-a1b2c3d4", "arn": "arn:aws:organizations::111122223333:policy/o-a1b2c3d4e5/service_control_policy/p-a1b2c3d4", "name": "protect-cloudtrail", "description": "Protect CloudTrail", "type": "SERVICE_CONTROL_POLICY", "awsManaged": false}}, "content": {}}}}})",
          kScp));
}

Call orgs_delete_policy() {
  return orgs("DeletePolicy", R"({"policyId": "p-a1b2c3d4"})");
}

std::vector<Call> organizations_calls() {
  const std::string handshake =
      R"({"handshake": {"id": "h-a1b2c3d4e5f6a7b8", "arn": "arn:aws:organizations::444455556666:handshake/o-a1b2c3d4e5/invite/h-a1b2c3d4e5f6a7b8", "parties": [{"id": "o-a1b2c3d4e5", "type": "ORGANIZATION"}, {"id": "111122223333", "type": "ACCOUNT"}], "state": "STATE", "requestedTimestamp": "May 10, 2024, 2:11:05 PM", "expirationTimestamp": "May 24, 2024, 2:11:05 PM", "action": "INVITE", "resources": []}})";
  const std::string ou =
      R"({"organizationalUnit": {"id": "ou-a1b2-c3d4e5f6", "arn": "arn:aws:organizations::111122223333:ou/o-a1b2c3d4e5/ou-a1b2-c3d4e5f6", "name": "NAME"}})";
  const std::string root =
      R"({"root": {"id": "r-a1b2", "arn": "arn:aws:organizations::111122223333:root/o-a1b2c3d4e5/r-a1b2", "name": "Root", "policyTypes": [{"type": "SERVICE_CONTROL_POLICY", "status": "STATUS"}]}})";
  return {
      orgs("AcceptHandshake", R"({"handshakeId": "h-a1b2c3d4e5f6a7b8"})",
           replace_all(handshake, "STATE", "ACCEPTED")),
      orgs("AttachPolicy", R"({"policyId": "p-a1b2c3d4", "targetId": "ou-a1b2-c3d4e5f6"})"),
      orgs(
          "CreateAccount", R"({"accountName": "sandbox", "email": "aws-sandbox@example.com"})",
          R"({"createAccountStatus": {"id": "car-a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6", "accountName": "sandbox", "state": "IN_PROGRESS", "requestedTimestamp": "May 14, 2024, 9:01:12 AM"}})"),
      orgs("CreateOrganizationalUnit", R"({"parentId": "r-a1b2", "name": "workloads"})",
           replace_all(ou, "NAME", "workloads")),
      orgs_create_policy(),
      orgs("DeclineHandshake", R"({"handshakeId": "h-a1b2c3d4e5f6a7b8"})",
           replace_all(handshake, "STATE", "DECLINED")),
      orgs("DeleteOrganization", "null"),
      orgs("DeleteOrganizationalUnit", R"({"organizationalUnitId": "ou-a1b2-c3d4e5f6"})"),
      orgs_delete_policy(),
      orgs("DetachPolicy", R"({"policyId": "p-a1b2c3d4", "targetId": "ou-a1b2-c3d4e5f6"})"),
      orgs("DisablePolicyType", R"({"rootId": "r-a1b2", "policyType": "SERVICE_CONTROL_POLICY"})",
           replace_all(root, "STATUS", "PENDING_DISABLE")),
      orgs("EnablePolicyType", R"({"rootId": "r-a1b2", "policyType": "SERVICE_CONTROL_POLICY"})",
           replace_all(root, "STATUS", "PENDING_ENABLE")),
      orgs("InviteAccountToOrganization",
           R"({"target": {"id": "444455556666", "type": "ACCOUNT"}})",
           replace_all(handshake, "STATE", "OPEN")),
      orgs("LeaveOrganization", "null"),
      orgs(
          "MoveAccount",
          R"({"accountId": "444455556666", "sourceParentId": "r-a1b2", "destinationParentId": "ou-a1b2-c3d4e5f6"})"),
      orgs("RemoveAccountFromOrganization", R"({"accountId": "444455556666"})"),
      orgs(
          "UpdatePolicy", fmt::format(R"({{"policyId": "p-a1b2c3d4", "content": {}}})", kScp),
          fmt::format(
              R"({{"policy": {{"policySummary": {{"id": "p-a1b2c3d4", "arn": "arn:aws:organizations::111122223333:policy/o-a1b2c3d4e5/service_control_policy/p-a1b2c3d4", "name": "protect-cloudtrail", "type": "SERVICE_CONTROL_POLICY", "awsManaged": false}}, "content": {}}}}})",
              kScp)),
      orgs("UpdateOrganizationalUnit",
           R"({"organizationalUnitId": "ou-a1b2-c3d4e5f6", "name": "workloads-prod"})",
           replace_all(ou, "NAME", "workloads-prod")),
  };
}

Call ec2_create_security_group() {
  return ec2(
      "CreateSecurityGroup",
      R"({"groupName": "web-tier", "groupDescription": "Web tier", "vpcId": "vpc-0e568b18707c87afa"})",
      R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true, "groupId": "sg-0a1b2c3d4e5f60718"})");
}

// ---- the controls -----------------------------------------------------------------------

void control_4_1(TableBuilder& t) {
  auto denied = [](Who who, std::string region, std::string version, std::string code,
                   std::string message) {
    Context ctx;
    ctx.who = who;
    ctx.region = std::move(region);
    ctx.version = std::move(version);
    ctx.error_code = std::move(code);
    ctx.error_message = std::move(message);
    return ctx;
  };
  const std::string unauthorized = "Client.UnauthorizedOperation";
  const Call terminate =
      ec2("TerminateInstances",
          R"({"instancesSet": {"items": [{"instanceId": "i-0123456789abcdef0"}]}})");
  const Call describe =
      ec2("DescribeInstances", R"({"instancesSet": {}, "filterSet": {}})", "null", true);
  const Call put_policy = s3(
      "PutBucketPolicy", "policy",
      R"("bucketPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::orders-data/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})");
  const Call get_policy = s3("GetBucketPolicy", "policy", "", true);
  const Call create_user = iam("CreateUser", R"({"userName": "mallory"})");
  const Call attach = iam(
      "AttachRolePolicy",
      R"({"roleName": "app-server", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"})");
  const Call decrypt =
      kms("Decrypt",
          R"({"encryptionAlgorithm": "SYMMETRIC_DEFAULT", "encryptionContext": {"app": "orders"}})",
          "null", true);
  const Call schedule =
      kms("ScheduleKeyDeletion",
          R"({"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7})");
  const Call assume = Call{
      "sts.amazonaws.com",
      "AssumeRole",
      R"({"roleArn": "arn:aws:iam::111122223333:role/OrganizationAccountAccessRole", "roleSessionName": "alice"})",
      "null",
      "",
      "",
      false};
  const Call get_function = Call{"lambda.amazonaws.com",
                                 "GetFunction20150331v2",
                                 R"({"functionName": "orders-api"})",
                                 "null",
                                 "",
                                 "",
                                 true};

  auto msg = [](const Call& call, Who who) { return denied_message(call, who, false); };
  const std::size_t first =
      t.add("TerminateInstances denied (Client.UnauthorizedOperation) for an IAM user in us-east-1",
            terminate,
            denied(Who::kIamUser, "us-east-1", "1.08", unauthorized, msg(terminate, Who::kIamUser)),
            EventClass::kRequired);
  t.add(
      "CreateSecurityGroup denied (Client.UnauthorizedOperation) for an assumed role in eu-west-1",
      ec2_create_security_group(),
      denied(Who::kAssumedRole, "eu-west-1", "1.09", unauthorized,
             msg(ec2_create_security_group(), Who::kAssumedRole)),
      EventClass::kRequired);
  const std::size_t describe_denied = t.add(
      "DescribeInstances denied (Client.UnauthorizedOperation) for an IAM user in ap-southeast-2",
      describe,
      denied(Who::kIamUser, "ap-southeast-2", "1.10", unauthorized, msg(describe, Who::kIamUser)),
      EventClass::kRequired);
  t.add("PutBucketPolicy denied (AccessDenied) for an IAM user", put_policy,
        denied(Who::kIamUser, "us-east-1", "1.08", "AccessDenied", "Access Denied"),
        EventClass::kRequired);
  const std::size_t get_policy_denied =
      t.add("GetBucketPolicy denied (AccessDenied) for an assumed role in eu-west-1", get_policy,
            denied(Who::kAssumedRole, "eu-west-1", "1.08", "AccessDenied", "Access Denied"),
            EventClass::kRequired);
  t.add("PutBucketPolicy denied (AccessDenied) for the root user of a member account (SCP)",
        put_policy, denied(Who::kRootKey, "us-east-1", "1.08", "AccessDenied", "Access Denied"),
        EventClass::kRequired);
  t.add("CreateUser denied (AccessDenied) for an IAM user", create_user,
        denied(Who::kIamUser, "us-east-1", "1.08", "AccessDenied", msg(create_user, Who::kIamUser)),
        EventClass::kRequired);
  t.add(
      "AttachRolePolicy denied (AccessDenied) for an assumed role in an event version 1.05 record",
      attach,
      denied(Who::kAssumedRole, "us-east-1", "1.05", "AccessDenied",
             msg(attach, Who::kAssumedRole)),
      EventClass::kRequired);
  t.add("Decrypt denied (AccessDeniedException) for an assumed role in eu-west-1", decrypt,
        denied(Who::kAssumedRole, "eu-west-1", "1.08", "AccessDeniedException",
               msg(decrypt, Who::kAssumedRole)),
        EventClass::kRequired);
  t.add("ScheduleKeyDeletion denied (AccessDeniedException) for an IAM user", schedule,
        denied(Who::kIamUser, "us-east-1", "1.08", "AccessDeniedException",
               msg(schedule, Who::kIamUser)),
        EventClass::kRequired);
  t.add("AssumeRole denied (AccessDenied) for an IAM user", assume,
        denied(Who::kIamUser, "us-east-1", "1.08", "AccessDenied", msg(assume, Who::kIamUser)),
        EventClass::kRequired);
  t.add("GetFunction denied (AccessDeniedException) for an IAM user in ap-southeast-2",
        get_function,
        denied(Who::kIamUser, "ap-southeast-2", "1.09", "AccessDeniedException",
               msg(get_function, Who::kIamUser)),
        EventClass::kRequired);

  t.add("DescribeInstances denied for the security-audit scanner role", describe,
        denied(Who::kScanner, "ap-southeast-2", "1.10", unauthorized, msg(describe, Who::kScanner)),
        EventClass::kOptional, describe_denied);
  t.add("GetBucketPolicy denied for the security-audit scanner role", get_policy,
        denied(Who::kScanner, "eu-west-1", "1.08", "AccessDenied", "Access Denied"),
        EventClass::kOptional, get_policy_denied);
  t.add("TerminateInstances denied for CloudFormation on a user's behalf", terminate,
        denied(Who::kCloudFormation, "us-east-1", "1.08", unauthorized,
               msg(terminate, Who::kCloudFormation)),
        EventClass::kOptional, first);

  // Near misses.
  t.add("HeadBucket denied (AccessDenied), excluded by CIS", s3("HeadBucket", "", "", true),
        denied(Who::kIamUser, "us-east-1", "1.08", "AccessDenied", "Access Denied"),
        EventClass::kNearMiss);
  t.add("GetBucketAcl denied (AccessDenied) to delivery.logs.amazonaws.com, excluded by CIS",
        s3("GetBucketAcl", "acl", "", true),
        denied(Who::kLogDelivery, "us-east-1", "1.08", "AccessDenied", "Access Denied"),
        EventClass::kNearMiss);
  t.add("TerminateInstances, successful", terminate, Context{}, EventClass::kNearMiss);
  t.add(
      "AuthorizeSecurityGroupIngress failed with Client.InvalidPermission.Duplicate",
      ec2("AuthorizeSecurityGroupIngress",
          R"({"groupId": "sg-0a1b2c3d4e5f60718", "ipPermissions": {"items": [{"ipProtocol": "tcp", "fromPort": 443, "toPort": 443, "groups": {}, "ipRanges": {"items": [{"cidrIp": "0.0.0.0/0"}]}, "ipv6Ranges": {}, "prefixListIds": {}}]}})"),
      denied(Who::kIamUser, "us-east-1", "1.08", "Client.InvalidPermission.Duplicate",
             "the specified rule \"peer: 0.0.0.0/0, TCP, from port: 443, to port: 443, ALLOW\" "
             "already exists"),
      EventClass::kNearMiss);
  t.add("TerminateInstances as a dry run (Client.DryRunOperation)", terminate,
        denied(Who::kIamUser, "us-east-1", "1.08", "Client.DryRunOperation",
               "Request would have succeeded, but DryRun flag is set."),
        EventClass::kNearMiss);
  t.add("GetBucketPolicy failed with NoSuchBucketPolicy", get_policy,
        denied(Who::kIamUser, "us-east-1", "1.08", "NoSuchBucketPolicy",
               "The bucket policy does not exist"),
        EventClass::kNearMiss);
  t.add("Decrypt throttled (ThrottlingException)", decrypt,
        denied(Who::kAssumedRole, "us-east-1", "1.08", "ThrottlingException", "Rate exceeded"),
        EventClass::kNearMiss);
}

Call console_login(std::string_view outcome, std::string_view mfa) {
  std::string additional =
      R"({"LoginTo": "https://console.aws.amazon.com/console/home?state=hashArgs%23&isauthcode=true", "MobileVersion": "No")";
  if (!mfa.empty()) additional += R"(, "MFAUsed": ")" + std::string(mfa) + "\"";
  additional += "}";
  return Call{kSignin,    "ConsoleLogin",
              "null",     R"({"ConsoleLogin": ")" + std::string(outcome) + R"("})",
              additional, "",
              false,      "AwsConsoleSignIn"};
}

Context signin_context(Who who, std::string region, std::string version,
                       std::string error_message = "") {
  Context ctx;
  ctx.who = who;
  ctx.region = std::move(region);
  ctx.version = std::move(version);
  ctx.error_message = std::move(error_message);
  ctx.keep_response = true;
  return ctx;
}

void control_4_2(TableBuilder& t) {
  const Call no_mfa = console_login("Success", "No");
  const std::size_t main =
      t.add("ConsoleLogin without MFA by an IAM user in us-east-1", no_mfa,
            signin_context(Who::kIamUser, "us-east-1", "1.08"), EventClass::kRequired);
  t.add("ConsoleLogin without MFA by an IAM user in eu-west-1 (event version 1.09)", no_mfa,
        signin_context(Who::kIamUser, "eu-west-1", "1.09"), EventClass::kRequired, main);
  t.add("ConsoleLogin without MFA by an IAM user in an event version 1.05 record", no_mfa,
        signin_context(Who::kIamUser, "us-east-1", "1.05"), EventClass::kRequired, main);
  t.add("ConsoleLogin without MFA that failed (Failed authentication)",
        console_login("Failure", "No"),
        signin_context(Who::kIamUser, "us-east-1", "1.08", "Failed authentication"),
        EventClass::kOptional, main);
  t.add(
      "ConsoleLogin of an IAM Identity Center (SSO) session (MFAUsed No: MFA is done by the "
      "identity provider)",
      no_mfa, signin_context(Who::kSsoUser, "us-east-1", "1.08"), EventClass::kOptional, main);
  t.add("ConsoleLogin without MFA by the root user", no_mfa,
        signin_context(Who::kRoot, "us-east-1", "1.08"), EventClass::kOptional, main);
  t.add("ConsoleLogin with MFA by an IAM user", console_login("Success", "Yes"),
        signin_context(Who::kIamUser, "us-east-1", "1.08"), EventClass::kNearMiss);
  t.add("ConsoleLogin with MFA by the root user", console_login("Success", "Yes"),
        signin_context(Who::kRoot, "us-east-1", "1.08"), EventClass::kNearMiss);
  t.add("ConsoleLogin of a federated session that logs no MFAUsed", console_login("Success", ""),
        signin_context(Who::kSsoUser, "us-east-1", "1.08"), EventClass::kNearMiss);
}

void control_4_3(TableBuilder& t) {
  const Call signin = console_login("Success", "Yes");
  const Call create_key = iam(
      "CreateAccessKey", R"({"userName": "alice"})",
      R"({"accessKey": {"userName": "alice", "accessKeyId": "AKIAQX3KEXAMPLEKEY09", "status": "Active", "createDate": "May 14, 2024, 9:12:30 AM"}})");
  const Call list_buckets = s3("ListBuckets", "", "", true);
  const Call list =
      Call{kS3,    "ListBuckets",           R"({"Host": "s3.{region}.amazonaws.com"})",
           "null", list_buckets.additional, "",
           true};
  const Call stop = ec2(
      "StopInstances",
      R"({"instancesSet": {"items": [{"instanceId": "i-0123456789abcdef0"}]}, "force": false})",
      R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "instancesSet": {"items": [{"instanceId": "i-0123456789abcdef0", "currentState": {"code": 64, "name": "stopping"}, "previousState": {"code": 16, "name": "running"}}]}})");
  const Call password_policy = iam(
      "UpdateAccountPasswordPolicy",
      R"({"minimumPasswordLength": 14, "requireSymbols": true, "requireNumbers": true, "requireUppercaseCharacters": true, "requireLowercaseCharacters": true, "allowUsersToChangePassword": true, "maxPasswordAge": 90, "passwordReusePrevention": 24})");
  Context console;
  console.who = Who::kRoot;
  Context key = console;
  key.who = Who::kRootKey;

  const std::size_t main =
      t.add("ConsoleLogin by the root user", signin,
            signin_context(Who::kRoot, "us-east-1", "1.08"), EventClass::kRequired);
  t.add("CreateAccessKey by the root user in the console", create_key, console,
        EventClass::kRequired, main);
  Context cli_eu = key;
  cli_eu.region = "eu-west-1";
  cli_eu.version = "1.09";
  t.add("ListBuckets by the root user with an access key in eu-west-1 (event version 1.09)", list,
        cli_eu, EventClass::kRequired, main);
  Context cli_ap = key;
  cli_ap.region = "ap-southeast-2";
  cli_ap.version = "1.10";
  t.add("StopInstances by the root user with an access key in ap-southeast-2 (event version 1.10)",
        stop, cli_ap, EventClass::kRequired, main);
  Context old = console;
  old.version = "1.05";
  t.add("UpdateAccountPasswordPolicy by the root user in an event version 1.05 record",
        password_policy, old, EventClass::kRequired, main);
  Context denied = key;
  denied.error_code = "Client.UnauthorizedOperation";
  denied.error_message = denied_message(stop, Who::kRootKey, false);
  t.add("StopInstances by the root user, denied (Client.UnauthorizedOperation)", stop, denied,
        EventClass::kOptional, main);
  t.add("ConsoleLogin by the root user that failed (Failed authentication)",
        console_login("Failure", "No"),
        signin_context(Who::kRoot, "us-east-1", "1.08", "Failed authentication"),
        EventClass::kOptional, main);

  t.add("CreateAccessKey by an IAM user", create_key, Context{}, EventClass::kNearMiss);
  t.add("ConsoleLogin without MFA by an IAM user", console_login("Success", "No"),
        signin_context(Who::kIamUser, "us-east-1", "1.08"), EventClass::kNearMiss);
  Context role;
  role.who = Who::kAssumedRole;
  t.add("StopInstances by an assumed role", stop, role, EventClass::kNearMiss);
  Context internal = key;
  internal.invoked_by = "AWS Internal";
  t.add("ListBuckets by the root user invoked by an AWS service (invokedBy AWS Internal)", list,
        internal, EventClass::kNearMiss);
  Call recovery = Call{kSignin, "PasswordRecoveryRequested",
                       "null",  R"({"PasswordRecoveryRequested": "Success"})",
                       "",      "",
                       false,   "AwsServiceEvent"};
  t.add("PasswordRecoveryRequested for the root user (eventType AwsServiceEvent)", recovery,
        signin_context(Who::kRoot, "us-east-1", "1.08"), EventClass::kNearMiss);
}

void control_4_4(TableBuilder& t) {
  ApiControl c;
  c.calls = iam_policy_calls();
  c.global = true;
  c.failed_code = "AccessDenied";
  c.optional = {
      {"Organizations' CreatePolicy: the name without an event source", orgs_create_policy()},
      {"Organizations' DeletePolicy: the name without an event source", orgs_delete_policy()}};
  c.near = {
      {"read", iam("GetPolicy", R"({"policyArn": "arn:aws:iam::111122223333:policy/orders-read"})",
                   "null", true)},
      {"read", iam("ListAttachedRolePolicies", R"({"roleName": "app-server"})", "null", true)},
      {"not in CIS 4.4",
       iam("CreateRole",
           R"({"roleName": "app-server", "assumeRolePolicyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":\"ec2.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]}"})")},
      {"not in CIS 4.4",
       iam("PutRolePermissionsBoundary",
           R"({"roleName": "app-server", "permissionsBoundary": "arn:aws:iam::111122223333:policy/boundary"})")},
      {"not in CIS 4.4",
       iam("SetDefaultPolicyVersion",
           R"({"policyArn": "arn:aws:iam::111122223333:policy/orders-read", "versionId": "v1"})")},
      {"not in CIS 4.4",
       iam("UpdateAssumeRolePolicy",
           R"({"roleName": "app-server", "policyDocument": "{\"Version\":\"2012-10-17\",\"Statement\":[]}"})")},
  };
  add_api_control(t, c);
}

void control_4_5(TableBuilder& t) {
  const std::string trail_arn =
      R"("arn:aws:cloudtrail:{region}:111122223333:trail/management-events")";
  const std::string trail_response =
      R"({"name": "management-events", "s3BucketName": "aws-cloudtrail-logs-111122223333", "includeGlobalServiceEvents": true, "isMultiRegionTrail": MULTI, "trailARN": "arn:aws:cloudtrail:{region}:111122223333:trail/management-events", "logFileValidationEnabled": true, "cloudWatchLogsLogGroupArn": "arn:aws:logs:{region}:111122223333:log-group:CloudTrail/DefaultLogGroup:*", "cloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role", "isOrganizationTrail": false})";
  ApiControl c;
  c.calls = {
      trail(
          "CreateTrail",
          R"({"name": "management-events", "s3BucketName": "aws-cloudtrail-logs-111122223333", "isMultiRegionTrail": true, "enableLogFileValidation": true, "cloudWatchLogsLogGroupArn": "arn:aws:logs:{region}:111122223333:log-group:CloudTrail/DefaultLogGroup:*", "cloudWatchLogsRoleArn": "arn:aws:iam::111122223333:role/CloudTrail_CloudWatchLogs_Role"})",
          replace_all(trail_response, "MULTI", "true")),
      trail("UpdateTrail", R"({"name": "management-events", "isMultiRegionTrail": false})",
            replace_all(trail_response, "MULTI", "false")),
      trail("DeleteTrail", "{\"name\": " + trail_arn + "}"),
      trail("StartLogging", "{\"name\": " + trail_arn + "}"),
      trail("StopLogging", "{\"name\": " + trail_arn + "}"),
  };
  c.failed_code = "AccessDenied";
  c.near = {
      {"not in CIS 4.5",
       trail(
           "PutEventSelectors",
           R"({"trailName": "management-events", "eventSelectors": [{"readWriteType": "ReadOnly", "includeManagementEvents": false, "dataResources": [], "excludeManagementEventSources": []}]})",
           R"({"trailARN": "arn:aws:cloudtrail:{region}:111122223333:trail/management-events", "eventSelectors": [{"readWriteType": "ReadOnly", "includeManagementEvents": false, "dataResources": [], "excludeManagementEventSources": []}]})")},
      {"read", trail("DescribeTrails", R"({"trailNameList": [], "includeShadowTrails": true})",
                     "null", true)},
      {"read", trail("GetTrailStatus", "{\"name\": " + trail_arn + "}", "null", true)},
      {"read",
       trail(
           "LookupEvents",
           R"({"lookupAttributes": [{"attributeKey": "EventName", "attributeValue": "StopLogging"}], "maxResults": 50})",
           "null", true)},
  };
  add_api_control(t, c);
}

void control_4_6(TableBuilder& t) {
  const Call failure = console_login("Failure", "No");
  const std::size_t main =
      t.add("ConsoleLogin that failed (Failed authentication) for an IAM user in us-east-1",
            failure, signin_context(Who::kIamUser, "us-east-1", "1.08", "Failed authentication"),
            EventClass::kRequired);
  t.add(
      "ConsoleLogin that failed (Failed authentication) for an IAM user in eu-west-1 (event "
      "version 1.09)",
      failure, signin_context(Who::kIamUser, "eu-west-1", "1.09", "Failed authentication"),
      EventClass::kRequired, main);
  t.add("ConsoleLogin that failed (Failed authentication) for the root user", failure,
        signin_context(Who::kRoot, "us-east-1", "1.08", "Failed authentication"),
        EventClass::kRequired, main);
  t.add("ConsoleLogin that failed (Failed authentication) in an event version 1.05 record", failure,
        signin_context(Who::kIamUser, "us-east-1", "1.05", "Failed authentication"),
        EventClass::kRequired, main);
  t.add("ConsoleLogin, successful", console_login("Success", "Yes"),
        signin_context(Who::kIamUser, "us-east-1", "1.08"), EventClass::kNearMiss);
  t.add("ConsoleLogin without MFA, successful", console_login("Success", "No"),
        signin_context(Who::kIamUser, "us-east-1", "1.08"), EventClass::kNearMiss);
  t.add("ConsoleLogin that failed for an unknown user name (No username found in supplied account)",
        failure,
        signin_context(Who::kIamUser, "us-east-1", "1.08", "No username found in supplied account"),
        EventClass::kNearMiss);
}

void control_4_7(TableBuilder& t) {
  ApiControl c;
  const std::string key = R"({"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab"})";
  c.calls = {
      kms("DisableKey", key),
      kms("ScheduleKeyDeletion",
          R"({"keyId": "1234abcd-12ab-34cd-56ef-1234567890ab", "pendingWindowInDays": 7})",
          R"({"keyId": "arn:aws:kms:{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab", "deletionDate": "May 21, 2024, 12:00:00 AM", "keyState": "PendingDeletion", "pendingWindowInDays": 7})"),
  };
  c.failed_code = "AccessDeniedException";
  c.near = {
      {"not in CIS 4.7", kms("EnableKey", key)},
      {"not in CIS 4.7",
       kms("CancelKeyDeletion", key,
           R"({"keyId": "arn:aws:kms:{region}:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"})")},
      {"look-alike name", kms("DisableKeyRotation", key)},
      {"read", kms("DescribeKey", key, "null", true)},
  };
  add_api_control(t, c);
}

void control_4_8(TableBuilder& t) {
  ApiControl c;
  c.calls = {
      s3("PutBucketAcl", "acl",
         R"("AccessControlPolicy": {"AccessControlList": {"Grant": [{"Grantee": {"xsi:type": "CanonicalUser", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}, "Permission": "FULL_CONTROL"}, {"Grantee": {"xsi:type": "Group", "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}]}, "xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Owner": {"ID": "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"}})"),
      s3("PutBucketPolicy", "policy",
         R"("bucketPolicy": {"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::orders-data/*"}]})"),
      s3("PutBucketCors", "cors",
         R"("CORSConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "CORSRule": {"AllowedMethod": ["GET", "PUT"], "AllowedOrigin": "*", "MaxAgeSeconds": 3000}})"),
      s3("PutBucketLifecycle", "lifecycle",
         R"("LifecycleConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Rule": {"ID": "expire-everything", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 1}}})"),
      s3("PutBucketReplication", "replication",
         R"("ReplicationConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Role": "arn:aws:iam::111122223333:role/s3-replication", "Rule": {"ID": "to-dr", "Status": "Enabled", "Priority": 1, "DeleteMarkerReplication": {"Status": "Disabled"}, "Filter": {"Prefix": ""}, "Destination": {"Bucket": "arn:aws:s3:::orders-data-dr"}}})"),
      s3("DeleteBucketPolicy", "policy"),
      s3("DeleteBucketCors", "cors"),
      s3("DeleteBucketLifecycle", "lifecycle"),
      s3("DeleteBucketReplication", "replication"),
  };
  c.failed_code = "AccessDenied";
  c.s3_message = true;
  c.near = {
      {"read", s3("GetBucketPolicy", "policy", "", true)},
      {"not in CIS 4.8",
       s3("PutBucketPublicAccessBlock", "publicAccessBlock",
          R"("PublicAccessBlockConfiguration": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "RestrictPublicBuckets": false, "BlockPublicPolicy": false, "BlockPublicAcls": false, "IgnorePublicAcls": false})")},
      {"not in CIS 4.8",
       s3("PutBucketOwnershipControls", "ownershipControls",
          R"("OwnershipControls": {"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/", "Rule": {"ObjectOwnership": "ObjectWriter"}})")},
      {"the name from S3 on Outposts (s3-outposts.amazonaws.com)",
       s3("PutBucketPolicy", "policy",
          R"("bucketPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3-outposts:*", "Resource": "*"}]})",
          false, "s3-outposts.amazonaws.com")},
  };
  add_api_control(t, c);
}

void control_4_9(TableBuilder& t) {
  ApiControl c;
  c.calls = {
      config("StopConfigurationRecorder", R"({"configurationRecorderName": "default"})"),
      config("DeleteDeliveryChannel", R"({"deliveryChannelName": "default"})"),
      config(
          "PutDeliveryChannel",
          R"({"deliveryChannel": {"name": "default", "s3BucketName": "config-bucket-111122223333", "configSnapshotDeliveryProperties": {"deliveryFrequency": "TwentyFour_Hours"}}})"),
      config(
          "PutConfigurationRecorder",
          R"({"configurationRecorder": {"name": "default", "roleARN": "arn:aws:iam::111122223333:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig", "recordingGroup": {"allSupported": false, "includeGlobalResourceTypes": false, "resourceTypes": ["AWS::S3::Bucket"]}}})"),
  };
  c.failed_code = "AccessDeniedException";
  c.near = {
      {"not in CIS 4.9",
       config("StartConfigurationRecorder", R"({"configurationRecorderName": "default"})")},
      {"not in CIS 4.9",
       config("DeleteConfigurationRecorder", R"({"configurationRecorderName": "default"})")},
      {"read",
       config("DescribeConfigurationRecorders", R"({"configurationRecorderNames": []})", true)},
      {"not in CIS 4.9",
       config(
           "PutConfigRule",
           R"({"configRule": {"configRuleName": "s3-bucket-public-read-prohibited", "source": {"owner": "AWS", "sourceIdentifier": "S3_BUCKET_PUBLIC_READ_PROHIBITED"}}})")},
  };
  add_api_control(t, c);
}

void control_4_11(TableBuilder& t) {
  const std::string acl = R"("networkAclId": "acl-0b1c2d3e4f5a60718")";
  const std::string entry =
      R"(, "ruleNumber": 100, "egress": false, "ruleAction": "ACTION", "icmpTypeCode": {}, "portRange": {"from": 22, "to": 22}, "aclProtocol": "6", "cidrBlock": "0.0.0.0/0")";
  ApiControl c;
  c.calls = {
      ec2("CreateNetworkAcl", R"({"vpcId": "vpc-0e568b18707c87afa"})",
          R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "networkAcl": {"networkAclId": "acl-0b1c2d3e4f5a60718", "vpcId": "vpc-0e568b18707c87afa", "default": false, "entrySet": {"items": [{"ruleNumber": 32767, "protocol": "-1", "ruleAction": "deny", "egress": true, "cidrBlock": "0.0.0.0/0"}, {"ruleNumber": 32767, "protocol": "-1", "ruleAction": "deny", "egress": false, "cidrBlock": "0.0.0.0/0"}]}, "associationSet": {}, "tagSet": {}, "ownerId": "111122223333"}})"),
      ec2("CreateNetworkAclEntry", "{" + acl + replace_all(entry, "ACTION", "allow") + "}"),
      ec2("DeleteNetworkAcl", "{" + acl + "}"),
      ec2("DeleteNetworkAclEntry", "{" + acl + R"(, "ruleNumber": 100, "egress": false})"),
      ec2("ReplaceNetworkAclEntry", "{" + acl + replace_all(entry, "ACTION", "deny") + "}"),
      ec2("ReplaceNetworkAclAssociation",
          R"({"associationId": "aclassoc-0c2d3e4f5a6b70819", )" + acl + "}",
          R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "newAssociationId": "aclassoc-0d3e4f5a6b7c80910"})"),
  };
  c.failed_code = "Client.UnauthorizedOperation";
  c.near = {
      {"read",
       ec2("DescribeNetworkAcls", R"({"networkAclIdSet": {}, "filterSet": {}})", "null", true)},
      {"look-alike name",
       ec2("CreateNetworkInterface",
           R"({"subnetId": "subnet-0f1e2d3c4b5a69788", "groupSet": {"items": [{"groupId": "sg-0a1b2c3d4e5f60718"}]}})",
           R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "networkInterface": {"networkInterfaceId": "eni-076fa9fb98a2500a7", "subnetId": "subnet-0f1e2d3c4b5a69788", "vpcId": "vpc-0e568b18707c87afa"}})")},
      {"another CIS area (4.10)", ec2_create_security_group()},
  };
  add_api_control(t, c);
}

void control_4_12(TableBuilder& t) {
  const std::string igw = R"("internetGatewayId": "igw-0c1d2e3f4a5b60718")";
  const std::string vpc = R"("vpcId": "vpc-0e568b18707c87afa")";
  ApiControl c;
  c.calls = {
      ec2("CreateCustomerGateway",
          R"({"type": "ipsec.1", "ipAddress": "203.0.113.12", "bgpAsn": 65000})",
          R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "customerGateway": {"customerGatewayId": "cgw-0d1e2f3a4b5c60718", "state": "available", "type": "ipsec.1", "ipAddress": "203.0.113.12", "bgpAsn": "65000", "tagSet": {}}})"),
      ec2("DeleteCustomerGateway", R"({"customerGatewayId": "cgw-0d1e2f3a4b5c60718"})"),
      ec2("AttachInternetGateway", "{" + igw + ", " + vpc + "}"),
      ec2("CreateInternetGateway", "{}",
          R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "internetGateway": {"internetGatewayId": "igw-0c1d2e3f4a5b60718", "ownerId": "111122223333", "attachmentSet": {}, "tagSet": {}}})"),
      ec2("DeleteInternetGateway", "{" + igw + "}"),
      ec2("DetachInternetGateway", "{" + igw + ", " + vpc + "}"),
  };
  c.failed_code = "Client.UnauthorizedOperation";
  c.near = {
      {"read", ec2("DescribeInternetGateways", R"({"internetGatewayIdSet": {}, "filterSet": {}})",
                   "null", true)},
      {"look-alike name",
       ec2("CreateEgressOnlyInternetGateway", "{" + vpc + "}",
           R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "egressOnlyInternetGateway": {"egressOnlyInternetGatewayId": "eigw-0a1b2c3d4e5f60718", "attachmentSet": {"items": [{"vpcId": "vpc-0e568b18707c87afa", "state": "attached"}]}}})")},
      {"not in CIS 4.12",
       ec2("CreateNatGateway",
           R"({"subnetId": "subnet-0f1e2d3c4b5a69788", "allocationId": "eipalloc-0a1b2c3d4e5f60718"})",
           R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "natGateway": {"natGatewayId": "nat-0a2b3c4d5e6f70819", "subnetId": "subnet-0f1e2d3c4b5a69788", "vpcId": "vpc-0e568b18707c87afa", "state": "pending"}})")},
      {"not in CIS 4.12",
       ec2("CreateVpnGateway", R"({"type": "ipsec.1"})",
           R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "vpnGateway": {"vpnGatewayId": "vgw-0a1b2c3d4e5f60718", "state": "available", "type": "ipsec.1", "attachments": {}}})")},
  };
  add_api_control(t, c);
}

void control_4_13(TableBuilder& t) {
  const std::string rtb = R"("routeTableId": "rtb-0e1f2a3b4c5d60718")";
  ApiControl c;
  c.calls = {
      ec2("CreateRoute",
          "{" + rtb +
              R"(, "destinationCidrBlock": "0.0.0.0/0", "gatewayId": "igw-0c1d2e3f4a5b60718"})"),
      ec2("CreateRouteTable", R"({"vpcId": "vpc-0e568b18707c87afa"})",
          R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "routeTable": {"routeTableId": "rtb-0e1f2a3b4c5d60718", "vpcId": "vpc-0e568b18707c87afa", "ownerId": "111122223333", "routeSet": {"items": [{"destinationCidrBlock": "10.20.0.0/16", "gatewayId": "local", "state": "active", "origin": "CreateRouteTable"}]}, "associationSet": {}, "propagatingVgwSet": {}, "tagSet": {}}})"),
      ec2("ReplaceRoute",
          "{" + rtb +
              R"(, "destinationCidrBlock": "0.0.0.0/0", "natGatewayId": "nat-0a2b3c4d5e6f70819"})"),
      ec2("ReplaceRouteTableAssociation",
          R"({"associationId": "rtbassoc-0f1a2b3c4d5e60718", )" + rtb + "}",
          R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "newAssociationId": "rtbassoc-0a9b8c7d6e5f40312", "associationState": {"state": "associated"}})"),
      ec2("DeleteRouteTable", "{" + rtb + "}"),
      ec2("DeleteRoute", "{" + rtb + R"(, "destinationCidrBlock": "0.0.0.0/0"})"),
      ec2("DisassociateRouteTable", R"({"associationId": "rtbassoc-0f1a2b3c4d5e60718"})"),
  };
  c.failed_code = "Client.UnauthorizedOperation";
  c.near = {
      {"read",
       ec2("DescribeRouteTables", R"({"routeTableIdSet": {}, "filterSet": {}})", "null", true)},
      {"not in CIS 4.13",
       ec2("AssociateRouteTable", "{" + rtb + R"(, "subnetId": "subnet-0f1e2d3c4b5a69788"})",
           R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "associationId": "rtbassoc-0b1c2d3e4f5a60718", "associationState": {"state": "associated"}})")},
      {"look-alike name",
       ec2("CreateTransitGatewayRoute",
           R"({"CreateTransitGatewayRouteRequest": {"TransitGatewayRouteTableId": "tgw-rtb-0a1b2c3d4e5f60718", "DestinationCidrBlock": "10.30.0.0/16", "TransitGatewayAttachmentId": "tgw-attach-0a1b2c3d4e5f60718"}})",
           R"({"CreateTransitGatewayRouteResponse": {"route": {"destinationCidrBlock": "10.30.0.0/16", "state": "active", "type": "static"}}})")},
  };
  add_api_control(t, c);
}

void control_4_14(TableBuilder& t) {
  const std::string vpc = R"("vpcId": "vpc-0e568b18707c87afa")";
  const std::string pcx = R"("vpcPeeringConnectionId": "pcx-0b2c3d4e5f6a70819")";
  const std::string peering =
      R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "vpcPeeringConnection": {"vpcPeeringConnectionId": "pcx-0b2c3d4e5f6a70819", "requesterVpcInfo": {"ownerId": "111122223333", "vpcId": "vpc-0e568b18707c87afa", "cidrBlock": "10.20.0.0/16", "region": "{region}"}, "accepterVpcInfo": {"ownerId": "444455556666", "vpcId": "vpc-0a9b8c7d6e5f40312", "region": "{region}"}, "status": {"code": "CODE", "message": "MESSAGE"}, "tagSet": {}}})";
  ApiControl c;
  c.calls = {
      ec2("CreateVpc",
          R"({"cidrBlock": "10.20.0.0/16", "instanceTenancy": "default", "amazonProvidedIpv6CidrBlock": false})",
          R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "vpc": {"vpcId": "vpc-0e568b18707c87afa", "state": "pending", "ownerId": "111122223333", "cidrBlock": "10.20.0.0/16", "cidrBlockAssociationSet": {"items": [{"cidrBlock": "10.20.0.0/16", "associationId": "vpc-cidr-assoc-0a1b2c3d4e5f60718", "cidrBlockState": {"state": "associated"}}]}, "ipv6CidrBlockAssociationSet": {}, "dhcpOptionsId": "dopt-0a1b2c3d4e5f60718", "instanceTenancy": "default", "tagSet": {}, "isDefault": false}})"),
      ec2("DeleteVpc", "{" + vpc + "}"),
      ec2("ModifyVpcAttribute", "{" + vpc + R"(, "enableDnsHostnames": {"value": true}})"),
      ec2("AcceptVpcPeeringConnection", "{" + pcx + "}",
          replace_all(replace_all(peering, "CODE", "provisioning"), "MESSAGE", "Provisioning")),
      ec2("CreateVpcPeeringConnection",
          "{" + vpc +
              R"(, "peerVpcId": "vpc-0a9b8c7d6e5f40312", "peerOwnerId": "444455556666", "peerRegion": "{region}"})",
          replace_all(replace_all(peering, "CODE", "initiating-request"), "MESSAGE",
                      "Initiating Request to 444455556666")),
      ec2("DeleteVpcPeeringConnection", "{" + pcx + "}"),
      ec2("RejectVpcPeeringConnection", "{" + pcx + "}"),
      ec2("AttachClassicLinkVpc",
          R"({"instanceId": "i-0123456789abcdef0", )" + vpc +
              R"(, "groupSet": {"items": [{"groupId": "sg-0a1b2c3d4e5f60718"}]}})"),
      ec2("DetachClassicLinkVpc", R"({"instanceId": "i-0123456789abcdef0", )" + vpc + "}"),
      ec2("DisableVpcClassicLink", "{" + vpc + "}"),
      ec2("EnableVpcClassicLink", "{" + vpc + "}"),
  };
  c.failed_code = "Client.UnauthorizedOperation";
  c.near = {
      {"read", ec2("DescribeVpcs", R"({"vpcSet": {}, "filterSet": {}})", "null", true)},
      {"not in CIS 4.14",
       ec2("CreateVpcEndpoint",
           R"({"CreateVpcEndpointRequest": {"VpcId": "vpc-0e568b18707c87afa", "ServiceName": "com.amazonaws.{region}.s3", "VpcEndpointType": "Gateway"}})",
           R"({"CreateVpcEndpointResponse": {"vpcEndpoint": {"vpcEndpointId": "vpce-0a1b2c3d4e5f60718", "vpcEndpointType": "Gateway", "vpcId": "vpc-0e568b18707c87afa", "serviceName": "com.amazonaws.{region}.s3", "state": "available"}}})")},
      {"not in CIS 4.14",
       ec2("CreateSubnet",
           "{" + vpc + R"(, "cidrBlock": "10.20.1.0/24", "availabilityZone": "{region}a"})",
           R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "subnet": {"subnetId": "subnet-0f1e2d3c4b5a69788", "state": "available", "vpcId": "vpc-0e568b18707c87afa", "cidrBlock": "10.20.1.0/24"}})")},
      {"look-alike name",
       ec2("CreateDefaultVpc", "{}",
           R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "vpc": {"vpcId": "vpc-0c1d2e3f4a5b60718", "state": "pending", "cidrBlock": "172.31.0.0/16", "isDefault": true}})")},
      {"not in CIS 4.14",
       ec2("DeleteFlowLogs",
           R"({"DeleteFlowLogsRequest": {"FlowLogId": {"content": "fl-0a1b2c3d4e5f60718", "tag": 1}}})",
           R"({"DeleteFlowLogsResponse": {"unsuccessful": ""}})")},
  };
  add_api_control(t, c);
}

void control_4_15(TableBuilder& t) {
  ApiControl c;
  c.calls = organizations_calls();
  c.global = true;
  c.failed_code = "AccessDeniedException";
  c.near = {
      {"read", orgs("DescribeOrganization", "null", "null", true)},
      {"read", orgs("ListAccounts", "null", "null", true)},
      {"not in CIS 4.15",
       orgs("EnableAWSServiceAccess", R"({"servicePrincipal": "config.amazonaws.com"})")},
      {"the name from IAM (iam.amazonaws.com)",
       iam("CreatePolicy",
           fmt::format(R"({{"policyName": "orders-read", "policyDocument": {}}})", kPolicyDoc),
           R"({"policy": {"policyName": "orders-read", "policyId": "ANPAQX3KEXAMPLEPOL01", "arn": "arn:aws:iam::111122223333:policy/orders-read", "path": "/", "defaultVersionId": "v1", "attachmentCount": 0, "isAttachable": true}})")},
      {"the name from IAM (iam.amazonaws.com)",
       iam("DeletePolicy", R"({"policyArn": "arn:aws:iam::111122223333:policy/orders-read"})")},
  };
  add_api_control(t, c);
}

// ---- 4.10: the lint corpus --------------------------------------------------------------

std::string corpus_phrase(const CorpusEvent& e) {
  const std::string_view v = e.variant;
  if (v == "success") return "by an IAM user in us-east-1";
  if (v == "failed") return "failed (not authorized)";
  if (v == "dry-run") return "as a dry run (Client.DryRunOperation)";
  if (v == "assumed-role") return "by an assumed role in us-east-1";
  if (v == "root") return "by the root user in the console";
  if (v == "aws-service") return "by an AWS service on a user's behalf (invokedBy)";
  if (v == "region-eu-west-1") return "by an IAM user in eu-west-1";
  if (v == "region-ap-southeast-2")
    return "by an assumed role in ap-southeast-2 (event version 1.09)";
  if (v == "event-version-1.05") return "in an event version 1.05 record";
  if (v == "event-version-1.10") return "by an assumed role (event version 1.10)";
  return "with the " + e.variant + " request shape";
}

core::Result<bool, std::string> control_4_10(TableBuilder& t, Benchmark benchmark) {
  const auto& built = corpus();
  if (!built) return core::unexpected(built.error());
  std::vector<std::string_view> apis = {
      "AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress", "RevokeSecurityGroupIngress",
      "RevokeSecurityGroupEgress",     "CreateSecurityGroup",          "DeleteSecurityGroup"};
  if (benchmark == Benchmark::kCisV5) apis.push_back("ModifySecurityGroupRules");
  const Corpus& c = *built;
  std::size_t base = kSelf;
  std::string base_api;
  for (const CorpusEvent& e : c.events) {
    if (e.api.empty()) {
      t.add_text(e.variant, e.event_name, e.text, EventClass::kNearMiss);
      continue;
    }
    const bool in_control = std::find(apis.begin(), apis.end(), e.api) != apis.end();
    if (!in_control) {
      // Another security-group API: its plain and failed calls are near misses of 4.10.
      if (e.variant == "success" || e.variant == "failed") {
        t.add_text(fmt::format("{} {} (not in CIS 4.10)", e.event_name, corpus_phrase(e)),
                   e.event_name, e.text, EventClass::kNearMiss);
      }
      continue;
    }
    const bool optional =
        e.variant == "failed" || e.variant == "dry-run" || e.variant == "aws-service";
    const std::string description = e.event_name + " " + corpus_phrase(e);
    if (e.variant == "success" || e.api != base_api) {
      base = t.add_text(description, e.event_name, e.text,
                        optional ? EventClass::kOptional : EventClass::kRequired);
      base_api = e.api;
      continue;
    }
    t.add_text(description, e.event_name, e.text,
               optional ? EventClass::kOptional : EventClass::kRequired, base);
  }
  return true;
}

}  // namespace

std::string_view event_class_name(EventClass event_class) {
  switch (event_class) {
    case EventClass::kRequired:
      return "required";
    case EventClass::kOptional:
      return "optional";
    case EventClass::kNearMiss:
      return "near-miss";
  }
  return "near-miss";
}

core::Result<std::vector<TableEvent>, std::string> control_events(Benchmark benchmark,
                                                                  std::string_view control) {
  static constexpr std::array<std::string_view, 15> kIds = {"4.1",  "4.2",  "4.3",  "4.4",  "4.5",
                                                            "4.6",  "4.7",  "4.8",  "4.9",  "4.10",
                                                            "4.11", "4.12", "4.13", "4.14", "4.15"};
  const auto found = std::find(kIds.begin(), kIds.end(), control);
  if (found == kIds.end())
    return core::unexpected(
        fmt::format("no metric-filter control {} (the controls are 4.1-4.15)", control));
  const auto number = static_cast<std::size_t>(found - kIds.begin()) + 1;
  TableBuilder table(number * 1000);
  try {
    switch (number) {
      case 1:
        control_4_1(table);
        break;
      case 2:
        control_4_2(table);
        break;
      case 3:
        control_4_3(table);
        break;
      case 4:
        control_4_4(table);
        break;
      case 5:
        control_4_5(table);
        break;
      case 6:
        control_4_6(table);
        break;
      case 7:
        control_4_7(table);
        break;
      case 8:
        control_4_8(table);
        break;
      case 9:
        control_4_9(table);
        break;
      case 10: {
        auto added = control_4_10(table, benchmark);
        if (!added) return core::unexpected(std::move(added).error());
        break;
      }
      case 11:
        control_4_11(table);
        break;
      case 12:
        control_4_12(table);
        break;
      case 13:
        control_4_13(table);
        break;
      case 14:
        control_4_14(table);
        break;
      default:
        control_4_15(table);
        break;
    }
  } catch (const std::exception& e) {
    return core::unexpected(fmt::format("events of control {}: {}", control, e.what()));
  }
  return table.take();
}

}  // namespace sgwatch::lint
