// Change: one security-group change as sgwatch understands it, whatever API made it — who (the
// actor), where and when, whether the call took effect, which group, and the rules added,
// removed or modified, each with its exposure once assessed. One CloudTrail record gives one
// Change per group it touches. Fields hold what the event says, as given: absent stays empty.
// Neighbours: normalize.h builds Changes, exposure.h rates them, render.h prints them.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace sgwatch::sg {

// Severity, lowest first (docs/sg.md has the table).
enum class Severity { kInfo, kLow, kMedium, kHigh, kCritical };
std::string_view severity_name(Severity severity);  // "info" ... "critical"
std::optional<Severity> parse_severity(std::string_view name);  // case-insensitive

enum class Direction { kIngress, kEgress, kUnknown };  // unknown: ModifySecurityGroupRules
std::string_view direction_name(Direction direction);  // "ingress", "egress", "unknown"

// Who is on the other side of a rule.
struct Peer {
  enum class Kind { kNone, kIpv4, kIpv6, kPrefixList, kGroup };
  Kind kind = Kind::kNone;
  std::string value;         // the CIDR, the prefix list id, or the referenced group's id
  std::string group_name;    // kGroup: the referenced group's name (legacy and default-VPC forms)
  std::string owner_id;      // kGroup: the referenced group's account (userId / groupOwnerId)
  std::string vpc_id;        // kGroup: the referenced group's VPC, when given
  std::string peering_id;    // kGroup: the VPC peering connection, when given
};
std::string_view peer_kind_name(Peer::Kind kind);  // "none", "ipv4", "ipv6", "prefix-list", "group"

struct Rule {
  Direction direction = Direction::kIngress;
  std::string protocol;                // as given: "tcp", "6", "-1", ...; "" when not in the event
  std::optional<long long> from_port;  // as given (ICMP: the type)
  std::optional<long long> to_port;    // as given (ICMP: the code)
  Peer peer;
  std::optional<std::string> description;
  std::string rule_id;                 // sgr-..., when the event names it
  // Rule of a legacy (non-VPC) RDS / ElastiCache / Redshift security group: it admits the
  // service's own port, which is not in the event.
  bool legacy_service_port = false;
  // Not in the event but made by EC2 itself: the allow-all egress rule of a new VPC group.
  bool implicit = false;
};

enum class RuleAction { kAdded, kRemoved, kModified };
std::string_view rule_action_name(RuleAction action);  // "added", "removed", "modified"

struct RuleChange {
  RuleAction action = RuleAction::kAdded;
  Rule rule;
  Severity severity = Severity::kInfo;  // set by assess()
  std::string reason;                   // e.g. "SSH (22) open to the world"; set by assess()
};

// What the call did, at the level of the group.
enum class ChangeKind {
  kRulesAdded,            // Authorize*
  kRulesRemoved,          // Revoke*
  kRulesModified,         // ModifySecurityGroupRules
  kDescriptionsUpdated,   // UpdateSecurityGroupRuleDescriptions*
  kGroupCreated,          // CreateSecurityGroup
  kGroupDeleted,          // DeleteSecurityGroup
  kVpcAssociated,         // AssociateSecurityGroupVpc
  kVpcDisassociated,      // DisassociateSecurityGroupVpc
  kGroupsAttached,        // RunInstances, CreateNetworkInterface, CreateDBInstance, ...: a new resource
  kGroupsReplaced,        // ModifyInstanceAttribute groupSet, ModifyMountTargetSecurityGroups, ...
  kGroupsDetached,        // ModifyVpcEndpoint removeSecurityGroupId
  kTagsAdded,             // CreateTags on sg-...
  kTagsRemoved,           // DeleteTags on sg-...
  kUnknown,               // the record could not be read (see unknown_shape)
};
std::string_view change_kind_name(ChangeKind kind);  // "rules-added", "groups-replaced", ...

struct Actor {
  std::string type;                 // userIdentity.type: IAMUser, AssumedRole, Root, AWSService, ...
  std::string arn;
  std::string principal_id;
  std::string account_id;
  std::string user_name;
  std::string access_key_id;
  std::string session_issuer_arn;   // sessionContext.sessionIssuer.arn
  std::string session_issuer_type;  // sessionContext.sessionIssuer.type (Role, ...)
  std::optional<bool> mfa_authenticated;  // sessionContext.attributes.mfaAuthenticated
  std::string invoked_by;           // userIdentity.invokedBy (an AWS service acting for the caller)
  std::string source_ip;            // sourceIPAddress
  std::string user_agent;
};

struct Group {
  std::string id;        // sg-...
  std::string name;
  std::string vpc_id;
  std::string owner_id;  // the group's account, when the event says (groupOwnerId)
  std::string description;  // CreateSecurityGroup's groupDescription
};

struct Tag {
  std::string key;
  std::optional<std::string> value;
};

struct Change {
  // The call.
  std::string event_id;
  std::string event_name;
  std::string event_source;
  std::string event_time;  // as given
  std::string account;     // recipientAccountId, else userIdentity.accountId
  std::string region;      // awsRegion
  Actor actor;
  // Its outcome: a failed call (errorCode) or a dry run (Client.DryRunOperation) changed nothing.
  std::string error_code;
  std::string error_message;
  bool dry_run = false;
  bool succeeded() const { return error_code.empty() && !dry_run; }

  ChangeKind kind = ChangeKind::kUnknown;
  Group group;
  // Group-set changes: the resources the groups now apply to (i-..., eni-..., fsmt-..., a DB
  // instance, a load balancer, ...) and the whole set given in the call (after the change).
  std::vector<std::string> resources;
  std::vector<std::string> group_set;
  std::string target_vpc_id;  // Associate/DisassociateSecurityGroupVpc
  std::vector<Tag> tags;      // CreateTags/DeleteTags, and CreateSecurityGroup's tags
  std::vector<RuleChange> rules;

  // Set by assess(): the highest rule severity or the change's own, and why.
  Severity severity = Severity::kInfo;
  std::string reason;

  // A shape sgwatch does not understand (an unknown member type, an unknown form, text that is
  // not JSON): what could be read is above, the record itself is kept in `raw`.
  bool unknown_shape = false;
  std::string unknown_reason;
  std::string raw;
};

}  // namespace sgwatch::sg
