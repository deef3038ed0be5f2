// normalize() over the real captures of ../shared/data/cloudtrail (see its README): for each API
// shape observed there, the exact normalized fields of specific events — group, rules, peers,
// ports, rule ids, resources, outcome and severity. Events are found by eventID in their file
// (Records files, arrays, JSON lines, lookup-events items and the Panther test wrappers alike).
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sg/sg.h"
#include "support/subprocess.h"

namespace sgwatch::sg {
namespace {

using Json = nlohmann::json;

const std::string kInvictus =
    "invictus-aws-dataset/AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/10/"
    "218007301253_CloudTrail_us-east-1_20230710T";

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void collect(const Json& value, std::vector<Json>& events) {
  std::vector<const Json*> stack{&value};
  while (!stack.empty()) {
    const Json* v = stack.back();
    stack.pop_back();
    if (v->is_object()) {
      if (v->contains("eventName") && v->contains("eventSource")) {
        events.push_back(*v);
        continue;
      }
      for (auto it = v->begin(); it != v->end(); ++it) {
        if (it.key() == "CloudTrailEvent" && it->is_string()) {
          collect(Json::parse(it->get<std::string>()), events);
        } else {
          stack.push_back(&*it);
        }
      }
    } else if (v->is_array()) {
      for (auto it = v->rbegin(); it != v->rend(); ++it) stack.push_back(&*it);
    }
  }
}

// The events of a capture with this eventID (several for Panther's fixtures, which reuse ids:
// `event_name` picks among them), as text.
std::vector<std::string> events_with_id(const std::string& file, const std::string& event_id,
                                        const std::string& event_name = "") {
  const std::string text = read_text(testing::shared_dir() + "/data/cloudtrail/" + file);
  EXPECT_FALSE(text.empty()) << file;
  std::vector<Json> events;
  const Json whole = Json::parse(text, nullptr, false);
  if (!whole.is_discarded()) {
    collect(whole, events);
  } else {
    std::istringstream lines(text);
    std::string line;
    while (std::getline(lines, line)) {
      const Json value = Json::parse(line, nullptr, false);
      if (!value.is_discarded()) collect(value, events);
    }
  }
  std::vector<std::string> out;
  for (const Json& e : events) {
    if (e.value("eventID", "") != event_id) continue;
    if (!event_name.empty() && e.value("eventName", "") != event_name) continue;
    out.push_back(e.dump());
  }
  EXPECT_FALSE(out.empty()) << event_id << " not in " << file;
  return out;
}

std::vector<Change> changes_of(const std::string& file, const std::string& event_id, std::size_t nth = 0) {
  const auto texts = events_with_id(file, event_id);
  if (texts.size() <= nth) return {};
  auto result = normalize(texts[nth]);
  EXPECT_TRUE(result.ok()) << (result.ok() ? "" : result.error().reason);
  if (!result.ok()) return {};
  for (const Change& c : *result) EXPECT_FALSE(c.unknown_shape) << event_id << ": " << c.unknown_reason;
  return *result;
}

// "+ ingress tcp 22 from 0.0.0.0/0 (sgr-...)  [critical: ...]" lines of a change.
std::vector<std::string> lines_of(const Change& change) {
  std::vector<std::string> out;
  for (const RuleChange& r : change.rules) out.push_back(rule_line(r));
  return out;
}

TEST(SgCaptures, AuthorizeIngressStructuredFormReadFromTheResponse) {
  const auto changes = changes_of(kInvictus + "1215Z_YMDRJwtmC82bUwAo.json", "7e96f0e7-4d78-423d-b3f5-391370685b30");
  ASSERT_EQ(changes.size(), 1U);
  const Change& c = changes[0];
  EXPECT_EQ(c.event_name, "AuthorizeSecurityGroupIngress");
  EXPECT_EQ(c.event_source, "ec2.amazonaws.com");
  EXPECT_EQ(c.event_time, "2023-07-10T12:10:05Z");
  EXPECT_EQ(c.account, "123837392027");
  EXPECT_EQ(c.region, "us-east-1");
  EXPECT_EQ(c.actor.type, "IAMUser");
  EXPECT_EQ(c.actor.arn, "arn:aws:iam::123837392027:user/bert-jan");
  EXPECT_EQ(c.actor.source_ip, "192.168.10.20");
  EXPECT_TRUE(c.succeeded());
  EXPECT_EQ(c.kind, ChangeKind::kRulesAdded);
  EXPECT_EQ(c.group.id, "sg-04cfb7a4712d75b00");
  EXPECT_EQ(c.group.owner_id, "123837392027");
  ASSERT_EQ(c.rules.size(), 1U);
  const Rule& r = c.rules[0].rule;
  EXPECT_EQ(r.direction, Direction::kIngress);
  EXPECT_EQ(r.protocol, "tcp");
  EXPECT_EQ(r.from_port, 443);
  EXPECT_EQ(r.to_port, 443);
  EXPECT_EQ(r.peer.kind, Peer::Kind::kIpv4);
  EXPECT_EQ(r.peer.value, "0.0.0.0/0");
  EXPECT_EQ(r.description, "TLS from Internet");
  EXPECT_EQ(r.rule_id, "sgr-0bb31cddb2c27f401");
  EXPECT_EQ(c.severity, Severity::kHigh);
  EXPECT_EQ(lines_of(c)[0],
            "+ ingress tcp 443 from 0.0.0.0/0 (sgr-0bb31cddb2c27f401) \"TLS from Internet\"  [high: tcp 443 open "
            "to the world]");
}

TEST(SgCaptures, AuthorizeIngressLegacyFlatForm) {
  const auto changes = changes_of(kInvictus + "1215Z_YMDRJwtmC82bUwAo.json", "74bd84b4-6729-4895-b2a4-e2beb7c6b377");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].severity, Severity::kCritical);
  EXPECT_EQ(changes[0].reason, "SSH (22) open to the world");
  EXPECT_EQ(lines_of(changes[0]),
            std::vector<std::string>{
                "+ ingress tcp 22 from 0.0.0.0/0 (sgr-0a11552a7d225f5c7)  [critical: SSH (22) open to the world]"});
}

TEST(SgCaptures, StratusOpenPort22WithAnonymisedSlashZero) {
  const auto changes = changes_of("stratus-red-team/aws.exfiltration.ec2-security-group-open-port-22-ingress.json",
                                  "9fd68588-ecbf-4528-a345-199fa6bb0821");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-003dc7f1f1c686164");
  EXPECT_EQ(changes[0].region, "us-northeast-1r");
  ASSERT_EQ(changes[0].rules.size(), 1U);
  EXPECT_EQ(changes[0].rules[0].rule.peer.value, "208.236.235.254/0");
  EXPECT_EQ(changes[0].severity, Severity::kCritical);
}

TEST(SgCaptures, AuthorizeEgressAllTrafficTwoRangesGiveTwoRules) {
  const auto changes = changes_of(kInvictus + "1215Z_P0WZuP2zvLW2RcUo.json", "914469fc-c658-434c-a560-0219c0ac3b55");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(lines_of(changes[0]),
            (std::vector<std::string>{
                "+ egress all traffic to 0.0.0.0/0 (sgr-035a6016fe8ef01c5)  [medium: all outbound traffic allowed to "
                "the world]",
                "+ egress all traffic to ::/0 (sgr-08d9fb7a2d678c6e8)  [medium: all outbound traffic allowed to the "
                "world]"}));
  EXPECT_EQ(changes[0].rules[1].rule.from_port, -1);
  EXPECT_EQ(changes[0].severity, Severity::kMedium);
}

TEST(SgCaptures, ElasticAuthorizeEgressWithRuleArn) {
  const auto changes = changes_of("elastic-integrations/test-authorize-security-group-egress-json.jsonl",
                                  "72a37ea2-cbf9-47bf-9ae0-0149d8acbbbc");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-038ccc3a1f7b05f42");
  EXPECT_EQ(lines_of(changes[0]), std::vector<std::string>{"+ egress tcp 4444 to 73.21.4.36/32 (sgr-02bdc373eac599585)  "
                                                           "[low: outbound tcp 4444 allowed]"});
}

TEST(SgCaptures, ElasticAuthorizeIngressNarrowSsh) {
  const auto changes = changes_of("elastic-integrations/test-authorize-security-group-ingress-json.jsonl",
                                  "c409b898-91e4-44d5-a994-68741a8a0212");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].severity, Severity::kLow);
  EXPECT_EQ(changes[0].rules[0].rule.peer.value, "203.0.113.0/24");
  EXPECT_EQ(changes[0].rules[0].rule.rule_id, "sgr-027eb7c59241731e0");
}

TEST(SgCaptures, RevokeIngressFlatForm) {
  const auto changes = changes_of(kInvictus + "1215Z_P0WZuP2zvLW2RcUo.json", "8733f811-267d-4c46-8e5b-000fe7c6a9f2");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kRulesRemoved);
  EXPECT_EQ(changes[0].severity, Severity::kInfo);
  EXPECT_EQ(lines_of(changes[0]),
            std::vector<std::string>{"- ingress tcp 22 from 0.0.0.0/0  [info: removal reduces exposure]"});
}

TEST(SgCaptures, RevokeEgressTerraformZeroPorts) {
  const auto changes = changes_of(kInvictus + "1215Z_nBsuPO1qSTEVerMD.json", "d2dedbf2-62a8-4362-bcad-aa1670e80c0f");
  ASSERT_EQ(changes.size(), 1U);
  ASSERT_EQ(changes[0].rules.size(), 1U);
  const Rule& r = changes[0].rules[0].rule;
  EXPECT_EQ(r.direction, Direction::kEgress);
  EXPECT_EQ(r.protocol, "-1");
  EXPECT_EQ(r.from_port, 0);
  EXPECT_EQ(r.to_port, 0);
  EXPECT_EQ(rule_line(changes[0].rules[0]), "- egress all traffic to 0.0.0.0/0  [info: removal reduces exposure]");
}

TEST(SgCaptures, FailedRevokeEgressChangedNothing) {
  const auto changes = changes_of(kInvictus + "1215Z_Z8x5aqgtcXn5NEG9.json", "5966ab0e-411b-402f-81a9-d638a8c71a53");
  ASSERT_EQ(changes.size(), 1U);
  const Change& c = changes[0];
  EXPECT_FALSE(c.succeeded());
  EXPECT_EQ(c.error_code, "Client.InvalidPermission.NotFound");
  EXPECT_EQ(c.error_message, "The specified rule does not exist in this security group.");
  EXPECT_EQ(c.severity, Severity::kInfo);
  EXPECT_EQ(c.reason, "call failed (Client.InvalidPermission.NotFound): nothing changed");
  ASSERT_EQ(c.rules.size(), 1U);
  EXPECT_EQ(c.rules[0].rule.peer.kind, Peer::Kind::kIpv6);
  EXPECT_EQ(c.rules[0].rule.peer.value, "::/0");
}

TEST(SgCaptures, CreateSecurityGroupWithTagsAndTheImplicitEgressRule) {
  const auto changes = changes_of(kInvictus + "1215Z_YMDRJwtmC82bUwAo.json", "7475937c-a863-44ce-9878-81e8a268e966");
  ASSERT_EQ(changes.size(), 1U);
  const Change& c = changes[0];
  EXPECT_EQ(c.kind, ChangeKind::kGroupCreated);
  EXPECT_EQ(c.group.id, "sg-04cfb7a4712d75b00");
  EXPECT_EQ(c.group.name, "stratus-red-team-open-sg-sg");
  EXPECT_EQ(c.group.vpc_id, "vpc-0e568b18707c87afa");
  EXPECT_EQ(c.group.description, "Allow TLS inbound traffic");
  ASSERT_EQ(c.tags.size(), 2U);
  EXPECT_EQ(c.tags[1].key, "Name");
  EXPECT_EQ(c.tags[1].value, "stratus-red-team-open-sg-sg");
  ASSERT_EQ(c.rules.size(), 1U);
  EXPECT_TRUE(c.rules[0].rule.implicit);
  EXPECT_EQ(c.severity, Severity::kLow);
}

TEST(SgCaptures, CreateSecurityGroupPlasoLookupEventsItem) {
  const auto changes = changes_of("plaso/aws_cloudtrail.jsonl", "c91c963c-d149-4dc5-9e4a-830da763cf7b");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-01234567890123456");
  EXPECT_EQ(changes[0].group.name, "no-access");
}

TEST(SgCaptures, DeleteSecurityGroup) {
  const auto changes = changes_of(kInvictus + "1215Z_YMDRJwtmC82bUwAo.json", "9606afeb-3e3a-4f54-88ad-556e3d02d102");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kGroupDeleted);
  EXPECT_EQ(changes[0].group.id, "sg-04cfb7a4712d75b00");
  EXPECT_EQ(changes[0].severity, Severity::kInfo);
}

TEST(SgCaptures, CreateTagsOnAnAmiIsNotASecurityGroupEvent) {
  const auto texts = events_with_id(kInvictus + "1215Z_YMDRJwtmC82bUwAo.json", "166db627-7c52-4552-ac56-5aad1d09bde8");
  ASSERT_FALSE(texts.empty());
  const auto result = normalize(texts[0]);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().event_name, "CreateTags");
  EXPECT_EQ(result.error().reason, "CreateTags names no security group");
}

TEST(SgCaptures, RunInstancesTopLevelGroupSetTwoInstances) {
  const auto changes = changes_of("cloud-custodian/event-cloud-trail-run-instances.json", "6da8b953-741f-4273-be3f-289b92b4d1fc");
  ASSERT_EQ(changes.size(), 1U);
  const Change& c = changes[0];
  EXPECT_EQ(c.kind, ChangeKind::kGroupsAttached);
  EXPECT_EQ(c.group.id, "sg-bd2d87d9");
  EXPECT_EQ(c.group.name, "default");
  EXPECT_EQ(c.group.vpc_id, "vpc-1b4a1b7e");
  EXPECT_EQ(c.resources, (std::vector<std::string>{"i-784cdacd", "i-7b4cdace"}));
  EXPECT_EQ(c.group_set, std::vector<std::string>{"sg-bd2d87d9"});
  EXPECT_EQ(c.severity, Severity::kLow);
}

TEST(SgCaptures, RunInstancesNetworkInterfaceGroupSetPlaso) {
  const auto changes = changes_of("plaso/aws_cloudtrail.jsonl", "fdd7443c-ba1f-47eb-b0bc-42395266d12c");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-01234567890123456");
  EXPECT_EQ(changes[0].group.name, "no-access");
  EXPECT_EQ(changes[0].resources, std::vector<std::string>{"i-01234567890123456"});
}

TEST(SgCaptures, RunInstancesWithAnExistingInterface) {
  const auto changes = changes_of(kInvictus + "1200Z_x9kHmzMa7cx6l9wM.json", "86eac0ac-8521-4126-aa32-a22f2b74d02e");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-0b233157065b7d5e2");
  EXPECT_EQ(changes[0].resources, std::vector<std::string>{"i-0dbc91f429e48eeed"});
}

TEST(SgCaptures, FailedRunInstancesWithoutGroupsIsNotASecurityGroupEvent) {
  const auto texts = events_with_id(kInvictus + "1210Z_vj0QE0Tf5ZmzMsCo.json", "8e865acb-b1e1-41d1-bdf3-47462f79d24c");
  ASSERT_FALSE(texts.empty());
  EXPECT_FALSE(normalize(texts[0]).ok());
}

TEST(SgCaptures, RunInstancesDryRunInPantherFixtures) {
  const std::string panther = "panther-analysis/panther_cloudtrail_rule_tests.jsonl";
  // The dry run names no group: not a security-group event; the real launch with the same
  // interface form is.
  const auto dry = events_with_id(panther, "ab804e72-7237-49c6-8f20-c3ef09859e78");
  ASSERT_FALSE(dry.empty());
  EXPECT_FALSE(normalize(dry[0]).ok());
  const auto changes = changes_of(panther, "015c585b-cbc2-4f9e-9c52-a2f22f3c09f4");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-0aebfa21f302bded9");
  EXPECT_EQ(changes[0].group.name, "launch-wizard-4");
  EXPECT_EQ(changes[0].resources, std::vector<std::string>{"i-0d7e4b9be8a0de6ea"});
}

TEST(SgCaptures, CreateNetworkInterfaceDefaultGroupFromTheResponse) {
  const auto changes = changes_of(kInvictus + "1200Z_iLj9fb7yyUG9X4Bf.json", "16034e79-0235-4886-9566-19d4a4ca1d72");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kGroupsAttached);
  EXPECT_EQ(changes[0].group.id, "sg-0b233157065b7d5e2");
  EXPECT_EQ(changes[0].group.name, "default");
  EXPECT_EQ(changes[0].group.vpc_id, "vpc-06fe1a64761a0f720");
  EXPECT_EQ(changes[0].resources, std::vector<std::string>{"eni-076fa9fb98a2500a7"});
}

TEST(SgCaptures, CreateNetworkInterfaceByRdsOnTheCustomersBehalf) {
  const auto changes = changes_of(kInvictus + "1220Z_sM25jC0Ku0QcGkDa.json", "75f05727-9451-4593-9dd2-921cb841f2c3");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-0a1ae80d31d1e9c86");
  EXPECT_EQ(changes[0].actor.user_agent, "rds.amazonaws.com");
  EXPECT_EQ(changes[0].resources, std::vector<std::string>{"eni-0938d805949b4e134"});
}

TEST(SgCaptures, ModifyMountTargetSecurityGroups) {
  const auto changes = changes_of("cloud-custodian/event-cloud-trail-update-efs-mount-target-security-group.json",
                                  "736df08b-c066-4f53-beb8-c1e081037162");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].event_source, "elasticfilesystem.amazonaws.com");
  EXPECT_EQ(changes[0].kind, ChangeKind::kGroupsReplaced);
  EXPECT_EQ(changes[0].group.id, "sg-6c7fa917");
  EXPECT_EQ(changes[0].resources, std::vector<std::string>{"fsmt-07e238762319765b9"});
  EXPECT_EQ(changes[0].group_set, std::vector<std::string>{"sg-6c7fa917"});
}

TEST(SgCaptures, CreateDBInstanceWithVpcSecurityGroupIds) {
  const auto changes = changes_of("cloud-custodian/event-cloud-trail-create-db.json", "bf3b3e3a-07f5-452a-a76d-991b839ef854");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].kind, ChangeKind::kGroupsAttached);
  EXPECT_EQ(changes[0].group.id, "sg-64952a01");
  EXPECT_EQ(changes[0].group.vpc_id, "vpc-8334cce6");
  EXPECT_EQ(changes[0].resources, std::vector<std::string>{"onenessdb"});
}

TEST(SgCaptures, CreateDBInstanceWithoutGroupsGetsTheDefaultFromTheResponse) {
  const auto changes = changes_of(kInvictus + "1220Z_r7NFD65BgeDMqD23.json", "fdc74c82-c299-4211-a08e-b5f125ee3b58");
  ASSERT_EQ(changes.size(), 1U);
  EXPECT_EQ(changes[0].group.id, "sg-0a1ae80d31d1e9c86");
  EXPECT_EQ(changes[0].resources, std::vector<std::string>{"terraform-20230710121504061500000001"});
}

TEST(SgCaptures, ModifyInstanceAttributeOfAnotherAttributeIsNotASecurityGroupEvent) {
  const auto texts = events_with_id(kInvictus + "1210Z_QY5iPRtGUt0EpVaH.json", "1bb6c2f9-b96b-485d-92ad-380e4be8b1b1");
  ASSERT_FALSE(texts.empty());
  EXPECT_FALSE(normalize(texts[0]).ok());
}

TEST(SgCaptures, StreamAlertIngressAnywhereAllTrafficIpv4AndIpv6) {
  const std::string text = read_text(testing::shared_dir() + "/data/cloudtrail/streamalert/cloudtrail_security_group_ingress_anywhere.json");
  const Json wrapper = Json::parse(text);
  std::vector<Json> events;
  collect(wrapper, events);
  ASSERT_EQ(events.size(), 2U);
  const auto open = normalize(events[0].dump());
  ASSERT_TRUE(open.ok());
  ASSERT_EQ(open->size(), 1U);
  EXPECT_EQ(lines_of((*open)[0]),
            (std::vector<std::string>{
                "+ ingress all traffic from 0.0.0.0/0 \"...\"  [critical: all traffic open to the world]",
                "+ ingress all traffic from ::/0 \"...\"  [critical: all traffic open to the world]"}));
  const auto private_range = normalize(events[1].dump());
  ASSERT_TRUE(private_range.ok());
  EXPECT_EQ((*private_range)[0].severity, Severity::kLow);
}

TEST(SgCaptures, PantherFixtures) {
  const std::string panther = "panther-analysis/panther_cloudtrail_rule_tests.jsonl";
  {
    // String ports ("443", a fixture artefact) read as numbers; /16 is not broad.
    const auto changes = changes_of(panther, "504b492f-7832-406b-a4fd-45a13e48adc4", 0);
    ASSERT_EQ(changes.size(), 1U);
    EXPECT_EQ(changes[0].rules[0].rule.from_port, 443);
    EXPECT_EQ(changes[0].rules[0].rule.peer.value, "0.0.0.0/16");
    EXPECT_EQ(changes[0].severity, Severity::kLow);
  }
  {
    const auto changes = changes_of(panther, "504b492f-7832-406b-a4fd-45a13e48adc4", 1);
    ASSERT_EQ(changes.size(), 1U);
    EXPECT_EQ(changes[0].error_code, "UnauthorizedOperation");
    EXPECT_EQ(changes[0].severity, Severity::kInfo);
  }
  {
    const auto changes = changes_of(panther, "42155429-7e8e-43b5-9b5e-6953f80d51d5");
    ASSERT_EQ(changes.size(), 1U);
    EXPECT_EQ(changes[0].group.id, "sg-0d921df5d84f7270a");
    EXPECT_EQ(changes[0].severity, Severity::kCritical);
    EXPECT_EQ(changes[0].reason, "SSH (22) open to the world");
  }
  {
    const auto changes = changes_of(panther, "1a593035-e072-49c4-8c72-4ff35e195330");
    ASSERT_EQ(changes.size(), 1U);
    EXPECT_EQ(changes[0].kind, ChangeKind::kRulesAdded);
    EXPECT_EQ(changes[0].severity, Severity::kMedium);
    EXPECT_EQ(changes[0].rules[0].rule.description,
              "Allow egress to the internet. Required for now until we land ECS/ECR endpoints in the VPC");
  }
  {
    // The legacy RDS security group opened to the world.
    const auto texts = events_with_id(panther, "g2f3e4d5-c6b7-8901-2345-678901bcdefg", "AuthorizeDBSecurityGroupIngress");
    ASSERT_FALSE(texts.empty());
    const auto result = normalize(texts[0]);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ((*result)[0].group.name, "database-sg");
    EXPECT_EQ((*result)[0].severity, Severity::kCritical);
    EXPECT_EQ((*result)[0].reason, "service port open to the world");
    EXPECT_EQ(rule_line((*result)[0].rules[0]),
              "+ ingress service port from 0.0.0.0/0  [critical: service port open to the world]");
  }
  {
    // ModifyDBCluster of other settings, then one spelling the list "vPCSecurityGroupIds".
    const auto texts = events_with_id(panther, "g2f3e4d5-c6b7-8901-2345-678901bcdefg", "ModifyDBCluster");
    ASSERT_EQ(texts.size(), 2U);
    EXPECT_FALSE(normalize(texts[0]).ok());
    const auto result = normalize(texts[1]);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ((*result)[0].kind, ChangeKind::kGroupsReplaced);
    EXPECT_EQ((*result)[0].group.id, "sg-0123456789abcdef0");
    EXPECT_EQ((*result)[0].resources, std::vector<std::string>{"aurora-cluster"});
  }
}

TEST(SgCaptures, EveryCaptureOfTheReadmeIsNormalizedWithoutUnknownShapes) {
  // The 21 CIS 4.10 events and the group-set events the README counts.
  const std::vector<std::pair<std::string, std::string>> events{
      {kInvictus + "1215Z_P0WZuP2zvLW2RcUo.json", "914469fc-c658-434c-a560-0219c0ac3b55"},
      {kInvictus + "1215Z_YMDRJwtmC82bUwAo.json", "7475937c-a863-44ce-9878-81e8a268e966"},
      {"cloud-custodian/event-cloud-trail-run-instance-creator-assumed.json", "6589a9eb-59b7-4895-b7ab-962ed3cc257c"},
      {kInvictus + "1210Z_vj0QE0Tf5ZmzMsCo.json", "270b97ed-d059-40b9-96f7-c3849f423331"},
      {kInvictus + "1205Z_SjF3IkuNXJkoHyar.json", "8c9d5d59-f65e-4d38-a71b-6d712487cd91"},
  };
  for (const auto& [file, id] : events) {
    SCOPED_TRACE(id);
    EXPECT_FALSE(changes_of(file, id).empty());
  }
}

}  // namespace
}  // namespace sgwatch::sg
