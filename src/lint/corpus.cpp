// Implementation of corpus.h: CloudTrail's envelope (the key order and members of the 1.08
// captures in ../shared/data/cloudtrail, e.g. invictus' AuthorizeSecurityGroupIngress) around
// each template shape, in every envelope variant, then the near misses.
#include "lint/corpus.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "lint/templates.h"
#include "rules/rules.h"

namespace sgwatch::lint {
namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kAccount = "111122223333";

enum class Identity { kIamUser, kAssumedRole, kRoot, kService };

struct Envelope {
  std::string variant;
  Outcome outcome = Outcome::kSuccess;
  Identity identity = Identity::kIamUser;
  std::string region = "us-east-1";
  std::string version = "1.08";
};

// The envelope variants every API gets (dry-run: EC2 only, the only service with DryRun).
std::vector<Envelope> envelopes(bool ec2) {
  std::vector<Envelope> out;
  out.reserve(10);
  out.push_back({"success", Outcome::kSuccess, Identity::kIamUser, "us-east-1", "1.08"});
  out.push_back({"failed", Outcome::kFailed, Identity::kIamUser, "us-east-1", "1.08"});
  if (ec2) out.push_back({"dry-run", Outcome::kDryRun, Identity::kIamUser, "us-east-1", "1.08"});
  out.push_back({"assumed-role", Outcome::kSuccess, Identity::kAssumedRole, "us-east-1", "1.08"});
  out.push_back({"root", Outcome::kSuccess, Identity::kRoot, "us-east-1", "1.08"});
  out.push_back({"aws-service", Outcome::kSuccess, Identity::kService, "us-east-1", "1.08"});
  out.push_back({"region-eu-west-1", Outcome::kSuccess, Identity::kIamUser, "eu-west-1", "1.08"});
  out.push_back({"region-ap-southeast-2", Outcome::kSuccess, Identity::kAssumedRole, "ap-southeast-2", "1.09"});
  out.push_back({"event-version-1.05", Outcome::kSuccess, Identity::kIamUser, "us-east-1", "1.05"});
  out.push_back({"event-version-1.10", Outcome::kSuccess, Identity::kAssumedRole, "us-east-1", "1.10"});
  return out;
}

std::string service_prefix(std::string_view event_source) {
  const auto dot = event_source.find('.');
  return std::string(event_source.substr(0, dot));
}

Json parse_json(const std::string& text, std::string_view what) {
  Json value = Json::parse(text, nullptr, false);
  if (value.is_discarded()) throw std::invalid_argument(fmt::format("{}: not JSON", what));
  return value;
}

Json identity_json(Identity identity, std::string_view service_caller) {
  const std::string account(kAccount);
  Json id;
  switch (identity) {
    case Identity::kIamUser:
      id["type"] = "IAMUser";
      id["principalId"] = "AIDAQX3KEXAMPLE7USER";
      id["arn"] = "arn:aws:iam::" + account + ":user/alice";
      id["accountId"] = account;
      id["accessKeyId"] = "AKIAQX3KEXAMPLEKEY01";
      id["userName"] = "alice";
      break;
    case Identity::kAssumedRole:
    case Identity::kService: {
      const bool service = identity == Identity::kService;
      const std::string role = service ? "DeployRole" : "Operator";
      const std::string session = service ? std::string("AWSCloudFormation") : std::string("alice@example.com");
      id["type"] = "AssumedRole";
      id["principalId"] = "AROAQX3KEXAMPLEROLE1:" + session;
      id["arn"] = "arn:aws:sts::" + account + ":assumed-role/" + role + "/" + session;
      id["accountId"] = account;
      id["accessKeyId"] = "ASIAQX3KEXAMPLEKEY02";
      Json issuer;
      issuer["type"] = "Role";
      issuer["principalId"] = "AROAQX3KEXAMPLEROLE1";
      issuer["arn"] = "arn:aws:iam::" + account + ":role/" + role;
      issuer["accountId"] = account;
      issuer["userName"] = role;
      Json context;
      context["sessionIssuer"] = std::move(issuer);
      context["webIdFederationData"] = Json::object();
      context["attributes"] = {{"creationDate", "2024-05-14T08:58:12Z"}, {"mfaAuthenticated", service ? "false" : "true"}};
      id["sessionContext"] = std::move(context);
      if (service) id["invokedBy"] = std::string(service_caller);
      break;
    }
    case Identity::kRoot:
      id["type"] = "Root";
      id["principalId"] = account;
      id["arn"] = "arn:aws:iam::" + account + ":root";
      id["accountId"] = account;
      id["accessKeyId"] = "ASIAQX3KEXAMPLEKEY03";
      id["sessionContext"] = {{"sessionIssuer", Json::object()},
                              {"webIdFederationData", Json::object()},
                              {"attributes", {{"creationDate", "2024-05-14T08:41:07Z"}, {"mfaAuthenticated", "true"}}}};
      break;
  }
  return id;
}

struct RecordSpec {
  std::string_view event_source;
  std::string_view event_name;
  std::string_view service_caller;
  const std::string* request = nullptr;
  const std::string* response = nullptr;
  bool read_only = false;
};

std::string record(const RecordSpec& spec, const Envelope& env, std::size_t serial) {
  const std::string prefix = service_prefix(spec.event_source);
  const bool service = env.identity == Identity::kService;
  Json r;
  r["eventVersion"] = env.version;
  r["userIdentity"] = identity_json(env.identity, spec.service_caller);
  r["eventTime"] = fmt::format("2024-05-14T{:02}:{:02}:{:02}Z", 9 + serial / 3600 % 12, serial / 60 % 60, serial % 60);
  r["eventSource"] = std::string(spec.event_source);
  r["eventName"] = std::string(spec.event_name);
  r["awsRegion"] = env.region;
  if (service) {
    r["sourceIPAddress"] = std::string(spec.service_caller);
    r["userAgent"] = std::string(spec.service_caller);
  } else if (env.identity == Identity::kRoot) {
    r["sourceIPAddress"] = "203.0.113.77";
    r["userAgent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0";
  } else if (env.identity == Identity::kAssumedRole) {
    r["sourceIPAddress"] = "198.51.100.24";
    r["userAgent"] = "APN/1.0 HashiCorp/1.0 Terraform/1.8.2 (+https://www.terraform.io) terraform-provider-aws/5.49.0";
  } else {
    r["sourceIPAddress"] = "192.0.2.10";
    r["userAgent"] = "aws-cli/2.15.30 md/awscrt#0.19.19 ua/2.0 os/linux#6.1.0 md/arch#x86_64 lang/python#3.11.8 cfg/retry-mode#standard";
  }
  const std::string action = std::string(spec.event_name);
  if (env.outcome == Outcome::kFailed) {
    const bool ec2 = prefix == "ec2";
    const bool exception_style = prefix == "lambda" || prefix == "elasticfilesystem";
    r["errorCode"] = ec2 ? "Client.UnauthorizedOperation" : (exception_style ? "AccessDeniedException" : "AccessDenied");
    r["errorMessage"] = fmt::format("User: {} is not authorized to perform: {}:{} because no identity-based policy allows the {}:{} action",
                                    r["userIdentity"]["arn"].get<std::string>(), prefix, action, prefix, action);
  } else if (env.outcome == Outcome::kDryRun) {
    r["errorCode"] = "Client.DryRunOperation";
    r["errorMessage"] = "Request would have succeeded, but DryRun flag is set.";
  }
  r["requestParameters"] = parse_json(*spec.request, action + " requestParameters");
  r["responseElements"] = env.outcome == Outcome::kSuccess ? parse_json(*spec.response, action + " responseElements") : Json();
  const std::string id = fmt::format("{:08x}-5eed-4c0d-9a11-{:012x}", 0x5a000000U + serial, 0x1f00000000ULL + serial);
  r["requestID"] = id;
  r["eventID"] = fmt::format("{:08x}-e7e7-4b1d-8f22-{:012x}", 0x7e000000U + serial, 0x2e00000000ULL + serial);
  r["readOnly"] = spec.read_only;
  r["eventType"] = "AwsApiCall";
  const bool modern = env.version != "1.05";
  if (modern) r["managementEvent"] = true;
  r["recipientAccountId"] = std::string(kAccount);
  if (modern) r["eventCategory"] = "Management";
  if (modern && !service) {
    r["tlsDetails"] = {{"tlsVersion", "TLSv1.3"},
                       {"cipherSuite", "TLS_AES_128_GCM_SHA256"},
                       {"clientProvidedHostHeader", fmt::format("{}.{}.amazonaws.com", prefix, env.region)}};
  }
  if (env.identity == Identity::kRoot) r["sessionCredentialFromConsole"] = "true";
  return r.dump(-1, ' ', false, Json::error_handler_t::replace);
}

struct NearMiss {
  std::string what;
  std::string_view event_source;
  std::string_view event_name;
  std::string request;
  std::string response;
  bool read_only = false;
};

std::vector<NearMiss> near_misses() {
  const std::string group = "sg-0a1b2c3d4e5f60718";
  std::vector<NearMiss> out;
  out.reserve(16);
  out.push_back({"read: DescribeSecurityGroups", "ec2.amazonaws.com", "DescribeSecurityGroups",
                 R"({"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": ")" + group + R"("}]}, "filterSet": {}})", "null", true});
  out.push_back({"read: DescribeSecurityGroupRules", "ec2.amazonaws.com", "DescribeSecurityGroupRules",
                 R"({"DescribeSecurityGroupRulesRequest": {"Filter": {"Name": "group-id", "Value": {"content": ")" + group + R"(", "tag": 1}, "tag": 1}}})",
                 "null", true});
  out.push_back({"look-alike name: AuthorizeSecurityGroupIngressX", "ec2.amazonaws.com", "AuthorizeSecurityGroupIngressX",
                 R"({"groupId": ")" + group + R"(", "ipPermissions": {}, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIp": "0.0.0.0/0"})",
                 R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true})"});
  out.push_back({"look-alike name: ModifySecurityGroupRule", "ec2.amazonaws.com", "ModifySecurityGroupRule",
                 R"({"groupId": ")" + group + R"("})", R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true})"});
  out.push_back({"lower-case name: authorizesecuritygroupingress", "ec2.amazonaws.com", "authorizesecuritygroupingress",
                 R"({"groupId": ")" + group + R"(", "ipPermissions": {}, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIp": "0.0.0.0/0"})",
                 R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true})"});
  out.push_back({"lower-case name: createsecuritygroup", "ec2.amazonaws.com", "createsecuritygroup",
                 R"({"groupName": "web-tier", "groupDescription": "Web tier"})", R"({"_return": true, "groupId": ")" + group + "\"}"});
  out.push_back({"name in another field: CloudTrail LookupEvents for AuthorizeSecurityGroupIngress", "cloudtrail.amazonaws.com", "LookupEvents",
                 R"({"lookupAttributes": [{"attributeKey": "EventName", "attributeValue": "AuthorizeSecurityGroupIngress"}], "maxResults": 50})",
                 "null", true});
  out.push_back({"name in another field: PutMetricFilter of a 4.10 filter", "logs.amazonaws.com", "PutMetricFilter",
                 R"({"logGroupName": "CloudTrail/DefaultLogGroup", "filterName": "SecurityGroupChanges", "filterPattern": "{ ($.eventName = AuthorizeSecurityGroupIngress) || ($.eventName = CreateSecurityGroup) || ($.eventName = ModifySecurityGroupRules) }", "metricTransformations": [{"metricName": "SecurityGroupEventCount", "metricNamespace": "CISBenchmark", "metricValue": "1"}]})",
                 "null"});
  out.push_back({"other CIS area: CreateNetworkAcl", "ec2.amazonaws.com", "CreateNetworkAcl",
                 R"({"vpcId": "vpc-0e568b18707c87afa"})",
                 R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "networkAcl": {"networkAclId": "acl-0a1b2c3d4e5f60718", "vpcId": "vpc-0e568b18707c87afa", "default": false, "entrySet": {}, "associationSet": {}, "tagSet": {}}})"});
  out.push_back({"in-scope name, no group: CreateTags on an AMI", "ec2.amazonaws.com", "CreateTags",
                 R"({"resourcesSet": {"items": [{"resourceId": "ami-0aa1d83d0b0985c86"}]}, "tagSet": {"items": [{"key": "Team", "value": "platform"}]}})",
                 R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true})"});
  out.push_back({"in-scope name, no group: DeleteTags on a volume", "ec2.amazonaws.com", "DeleteTags",
                 R"({"resourcesSet": {"items": [{"resourceId": "vol-0a1b2c3d4e5f60718"}]}, "tagSet": {"items": [{"key": "Team"}]}})",
                 R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true})"});
  out.push_back({"in-scope name, no group: ModifyInstanceAttribute disableApiTermination", "ec2.amazonaws.com", "ModifyInstanceAttribute",
                 R"({"instanceId": "i-0123456789abcdef0", "disableApiTermination": {"value": false}})",
                 R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true})"});
  out.push_back({"in-scope name, no group: ModifyNetworkInterfaceAttribute sourceDestCheck", "ec2.amazonaws.com", "ModifyNetworkInterfaceAttribute",
                 R"({"networkInterfaceId": "eni-076fa9fb98a2500a7", "sourceDestCheck": {"value": false}})",
                 R"({"requestId": "6e6f2a1c-1d2b-4c3d-9e4f-5a6b7c8d9e0f", "_return": true})"});
  out.push_back({"in-scope name, no group: ModifyDBInstance deletionProtection", "rds.amazonaws.com", "ModifyDBInstance",
                 R"({"dBInstanceIdentifier": "orders", "deletionProtection": false, "applyImmediately": true})",
                 R"({"dBInstanceIdentifier": "orders", "dBInstanceStatus": "modifying", "deletionProtection": false})"});
  out.push_back({"in-scope name, no group: UpdateFunctionConfiguration layers", "lambda.amazonaws.com", "UpdateFunctionConfiguration20150331v2",
                 R"({"functionName": "orders-api", "environment": {}, "layers": ["arn:aws:lambda:us-east-1:111122223333:layer:tools:1"]})",
                 R"({"functionName": "orders-api", "layers": [{"arn": "arn:aws:lambda:us-east-1:111122223333:layer:tools:1", "codeSize": 2120}]})"});
  out.push_back({"read: GetSecurityGroupsForVpc", "ec2.amazonaws.com", "GetSecurityGroupsForVpc",
                 R"({"GetSecurityGroupsForVpcRequest": {"VpcId": "vpc-0e568b18707c87afa"}})", "null", true});
  return out;
}

}  // namespace

std::string_view outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSuccess:
      return "success";
    case Outcome::kFailed:
      return "failed";
    case Outcome::kDryRun:
      return "dry-run";
  }
  return "success";
}

std::string api_of_filter(std::string_view filter_name) {
  constexpr std::string_view prefix = "sg-";
  if (filter_name.substr(0, prefix.size()) == prefix) filter_name.remove_prefix(prefix.size());
  return std::string(filter_name);
}

std::vector<std::string> apis_in_scope() {
  std::vector<std::string> apis;
  const rules::Pack* pack = rules::find_pack("sg-all");
  if (pack == nullptr) return apis;
  apis.reserve(pack->filters.size());
  for (const auto& filter : pack->filters) apis.push_back(api_of_filter(filter.name));
  return apis;
}

core::Result<Corpus, std::string> build_corpus() {
  Corpus corpus;
  corpus.apis = apis_in_scope();
  if (corpus.apis.empty()) return core::unexpected(std::string("the built-in pack sg-all is missing or empty"));
  corpus.events.reserve(corpus.apis.size() * 20 + 20);
  corpus.success_index.reserve(corpus.apis.size());
  std::size_t serial = 0;
  try {
    for (const std::string& api : corpus.apis) {
      const ApiTemplate* found = nullptr;
      for (const auto& candidate : api_templates()) {
        if (candidate.api == api) found = &candidate;
      }
      if (found == nullptr) return core::unexpected(fmt::format("no representative events for the sg-all API {}", api));
      const ApiTemplate& t = *found;
      if (t.shapes.empty()) return core::unexpected(fmt::format("no request shape for the sg-all API {}", api));
      const RecordSpec main_shape{t.event_source, t.event_name, t.service_caller, &t.shapes[0].request, &t.shapes[0].response, false};
      corpus.success_index.push_back(corpus.events.size());
      for (const Envelope& env : envelopes(t.event_source == "ec2.amazonaws.com")) {
        CorpusEvent event{api, env.variant, std::string(t.event_source), std::string(t.event_name), env.outcome,
                          record(main_shape, env, ++serial)};
        corpus.events.push_back(std::move(event));
      }
      const Envelope plain{};
      for (std::size_t i = 1; i < t.shapes.size(); ++i) {
        const RecordSpec spec{t.event_source, t.event_name, t.service_caller, &t.shapes[i].request, &t.shapes[i].response, false};
        CorpusEvent event{api, t.shapes[i].name, std::string(t.event_source), std::string(t.event_name), Outcome::kSuccess,
                          record(spec, plain, ++serial)};
        corpus.events.push_back(std::move(event));
      }
    }
    const Envelope plain{};
    for (const NearMiss& miss : near_misses()) {
      const RecordSpec spec{miss.event_source, miss.event_name, "cloudformation.amazonaws.com", &miss.request, &miss.response,
                            miss.read_only};
      CorpusEvent event{"", miss.what, std::string(miss.event_source), std::string(miss.event_name), Outcome::kSuccess,
                        record(spec, plain, ++serial)};
      corpus.events.push_back(std::move(event));
    }
  } catch (const std::exception& e) {
    return core::unexpected(fmt::format("representative events: {}", e.what()));
  }
  return corpus;
}

const core::Result<Corpus, std::string>& corpus() {
  static const core::Result<Corpus, std::string> built = build_corpus();
  return built;
}

}  // namespace sgwatch::lint
