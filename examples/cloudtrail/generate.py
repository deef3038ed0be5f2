#!/usr/bin/env python3
"""Writes the example CloudTrail delivery under examples/cloudtrail/AWSLogs/ and EXPECTED.md.

Everything here is written for sgwatch: no real account, no real address (documentation ranges
203.0.113.0/24, 198.51.100.0/24 and 192.0.2.0/24 only), no real key. The records follow the
shapes of real CloudTrail deliveries (see ../../../shared/spec/security-group-events.md and the
captures in ../../../shared/data/cloudtrail/); where a shape is not confirmed by a real capture,
EXPECTED.md says so.

Deterministic: a fixed seed, records serialised compactly in CloudTrail's key order, gzip with
mtime 0 and no file name. Running it again rewrites byte-identical files.

Usage: python3 examples/cloudtrail/generate.py        (Python 3.8+, standard library only)
"""

import datetime as dt
import gzip
import hashlib
import json
import pathlib
import random
import shutil
import string
import sys
import uuid

SEED = 20261120
R = random.Random(SEED)
HERE = pathlib.Path(__file__).resolve().parent
OUT = HERE / "AWSLogs"
DAY = dt.date(2026, 11, 20)

ACCT = "123456789012"   # main account: us-east-1 and eu-west-1
ACCT2 = "210987654321"  # second account: eu-west-1 only
TRAIL = "management-events"
BUCKET = "aws-cloudtrail-logs-123456789012-7f3c2a91"  # both accounts' trails deliver here

# --------------------------------------------------------------------------------------------
# identifiers

B32 = string.ascii_uppercase + "234567"
HEX = "0123456789abcdef"
ALNUM = string.ascii_letters + string.digits


def pick(alphabet, n):
    return "".join(R.choice(alphabet) for _ in range(n))


def uuid4():
    return str(uuid.UUID(int=R.getrandbits(128), version=4))


def aws_id(prefix):
    """IAM unique ids and access key ids: 4-letter prefix + 17 (ids) or 16 (keys) characters."""
    return prefix + pick(B32, 16 if prefix in ("AKIA", "ASIA") else 17)


def ec2_id(prefix):
    return prefix + "-0" + pick(HEX, 16)


def s3_request_id():
    return pick(string.ascii_uppercase + string.digits, 16)


def b64(n):
    return pick(string.ascii_letters + string.digits + "+/", n)


def at(h, m, s):
    return dt.datetime(DAY.year, DAY.month, DAY.day, h, m, s, tzinfo=dt.timezone.utc)


def iso(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def human(t):
    """The date format STS and IAM use inside responseElements: 'Nov 20, 2026, 9:47:21 PM'."""
    h12 = t.hour % 12 or 12
    return f"{t:%b} {t.day}, {t.year}, {h12}:{t:%M:%S} {'AM' if t.hour < 12 else 'PM'}"


# --------------------------------------------------------------------------------------------
# user agents

UA_BROWSER = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
              "Chrome/131.0.0.0 Safari/537.36")
UA_BROWSER_MAC = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:132.0) Gecko/20100101 "
                  "Firefox/132.0")
UA_CONSOLE = "AWS Internal"


def ua_cli(command):
    return ("aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/linux#6.8.0-1019-aws md/arch#x86_64 "
            "lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#exe "
            f"md/distrib#ubuntu.24 md/prompt#off md/command#{command}")


def ua_cli_mac(command):
    return ("aws-cli/2.22.4 md/awscrt#0.23.4 ua/2.0 os/macos#24.1.0 md/arch#arm64 "
            "lang/python#3.12.6 md/pyimpl#CPython cfg/retry-mode#standard md/installer#source "
            f"md/prompt#off md/command#{command}")


def ua_terraform(service, version):
    return ("APN/1.0 HashiCorp/1.0 Terraform/1.9.8 (+https://www.terraform.io) "
            "terraform-provider-aws/5.76.0 (+https://registry.terraform.io/providers/hashicorp/aws) "
            f"aws-sdk-go-v2/1.32.4 ua/2.1 os/linux lang/go#1.23.2 md/GOOS#linux md/GOARCH#amd64 "
            f"api/{service}#{version} m/E,g")


UA_SSM = "aws-sdk-go/1.55.5 (go1.22.8; linux; amd64) amazon-ssm-agent/3.3.1142.0"
UA_BOTO = ("Boto3/1.35.63 md/Botocore#1.35.63 ua/2.0 os/linux#6.1.115-126.197.amzn2023.x86_64 "
           "md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy "
           "Botocore/1.35.63")
UA_JAVA = ("aws-sdk-java/2.29.15 Linux/5.10.228-219.884.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/"
           "21.0.5+11-LTS Java/21.0.5 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/"
           "standard")
UA_LAMBDA_LOGS = "awslambda-worker/1.0 rusoto/0.48.0 rust/1.82.0 linux"
UA_GHA = "configure-aws-credentials-for-github-actions"
UA_GRAFANA = "aws-sdk-go/1.55.5 (go1.23.2; linux; amd64) Grafana/11.3.0"


# --------------------------------------------------------------------------------------------
# identities


class IamUser:
    def __init__(self, account, name):
        self.account, self.name = account, name
        self.principal = aws_id("AIDA")
        self.key = aws_id("AKIA")
        self.arn = f"arn:aws:iam::{account}:user/{name}"
        self.console = None  # (creationDate, mfa, ASIA key) once signed in

    def sign_in(self, t, mfa):
        self.console = (t, mfa, aws_id("ASIA"))

    def cli(self):
        return {"type": "IAMUser", "principalId": self.principal, "arn": self.arn,
                "accountId": self.account, "accessKeyId": self.key, "userName": self.name}

    def web(self):
        created, mfa, key = self.console
        return {"type": "IAMUser", "principalId": self.principal, "arn": self.arn,
                "accountId": self.account, "accessKeyId": key, "userName": self.name,
                "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {},
                                   "attributes": {"creationDate": iso(created),
                                                  "mfaAuthenticated": "true" if mfa else "false"}}}

    def login(self):
        return {"type": "IAMUser", "principalId": self.principal, "arn": self.arn,
                "accountId": self.account, "accessKeyId": "", "userName": self.name}

    def label(self, how):
        return f"{self.name} (IAMUser, {how})"


class Role:
    def __init__(self, account, name, path="/"):
        self.account, self.name, self.path = account, name, path
        self.role_id = aws_id("AROA")
        self.arn = f"arn:aws:iam::{account}:role{path}{name}"

    def session(self, name, created, **kw):
        return Session(self, name, created, **kw)


class Session:
    def __init__(self, role, name, created, mfa=False, invoked_by=None, web_identity=None,
                 ec2=False):
        self.role, self.name, self.created = role, name, created
        self.mfa, self.invoked_by, self.web_identity, self.ec2 = mfa, invoked_by, web_identity, ec2
        self.key = aws_id("ASIA")
        self.arn = f"arn:aws:sts::{role.account}:assumed-role/{role.name}/{name}"

    def ident(self):
        ctx = {"sessionIssuer": {"type": "Role", "principalId": self.role.role_id,
                                 "arn": self.role.arn, "accountId": self.role.account,
                                 "userName": self.role.name},
               "webIdFederationData": ({"federatedProvider": self.web_identity, "attributes": {}}
                                       if self.web_identity else {}),
               "attributes": {"creationDate": iso(self.created),
                              "mfaAuthenticated": "true" if self.mfa else "false"}}
        if self.ec2:
            ctx["ec2RoleDelivery"] = "2.0"
        ident = {"type": "AssumedRole", "principalId": f"{self.role.role_id}:{self.name}",
                 "arn": self.arn, "accountId": self.role.account}
        if self.invoked_by is None:
            ident["accessKeyId"] = self.key
        ident["sessionContext"] = ctx
        if self.invoked_by:
            ident["invokedBy"] = self.invoked_by
        return ident

    def label(self, how):
        return f"{self.role.name}/{self.name} (AssumedRole, {how})"


class RootUser:
    def __init__(self, account):
        self.account = account
        self.arn = f"arn:aws:iam::{account}:root"
        self.console = None

    def sign_in(self, t):
        self.console = (t, aws_id("ASIA"))

    def login(self):
        return {"type": "Root", "principalId": self.account, "arn": self.arn,
                "accountId": self.account, "accessKeyId": ""}

    def web(self):
        created, key = self.console
        return {"type": "Root", "principalId": self.account, "arn": self.arn,
                "accountId": self.account, "accessKeyId": key,
                "sessionContext": {"sessionIssuer": {}, "webIdFederationData": {},
                                   "attributes": {"creationDate": iso(created),
                                                  "mfaAuthenticated": "true"}}}


def service_ident(principal):
    return {"type": "AWSService", "invokedBy": principal}


# --------------------------------------------------------------------------------------------
# one record, keys in CloudTrail's order

VERSION = {"ec2.amazonaws.com": "1.10"}


def record(t, ident, source, name, region, ip, ua, req=None, resp=None, *, account,
           error=None, extra=None, read_only=False, event_type="AwsApiCall", request_id="uuid",
           resources=None, shared=False, tls="default", console=False):
    r = {"eventVersion": VERSION.get(source, "1.09"), "userIdentity": ident, "eventTime": iso(t),
         "eventSource": source, "eventName": name, "awsRegion": region,
         "sourceIPAddress": ip, "userAgent": ua}
    if error:
        code, message = error
        if code is not None:  # a failed ConsoleLogin has an errorMessage and no errorCode
            r["errorCode"] = code
        r["errorMessage"] = message
    r["requestParameters"] = req
    r["responseElements"] = resp
    if extra is not None:
        r["additionalEventData"] = extra
    if request_id == "uuid":
        r["requestID"] = (resp or {}).get("requestId") or uuid4()
    elif request_id:
        r["requestID"] = request_id
    r["eventID"] = uuid4()
    r["readOnly"] = read_only
    if resources:
        r["resources"] = resources
    r["eventType"] = event_type
    r["managementEvent"] = True
    r["recipientAccountId"] = account
    if shared:
        r["sharedEventID"] = uuid4()
    r["eventCategory"] = "Management"
    if tls == "default":
        svc = source.split(".")[0]
        tls = {"iam": "iam.amazonaws.com"}.get(svc, f"{svc}.{region}.amazonaws.com")
    if tls:
        tls13 = R.random() < 0.8
        r["tlsDetails"] = {"tlsVersion": "TLSv1.3" if tls13 else "TLSv1.2",
                           "cipherSuite": ("TLS_AES_128_GCM_SHA256" if tls13
                                           else "ECDHE-RSA-AES128-GCM-SHA256"),
                           "clientProvidedHostHeader": tls}
    if console:
        r["sessionCredentialFromConsole"] = "true"
    return r


def ec2_resp(**kw):
    d = {"requestId": uuid4(), "_return": True}
    d.update(kw)
    return d


def perm(proto, lo, hi, v4=(), v6=(), desc=None):
    def rng(key, cidr):
        d = {key: cidr}
        if desc:
            d["description"] = desc
        return d
    p = {"ipProtocol": proto}
    if lo is not None:
        p["fromPort"], p["toPort"] = lo, hi
    p["groups"] = {}
    p["ipRanges"] = {"items": [rng("cidrIp", c) for c in v4]} if v4 else {}
    p["ipv6Ranges"] = {"items": [rng("cidrIpv6", c) for c in v6]} if v6 else {}
    p["prefixListIds"] = {}
    return p


def rule_set(region, owner, group, egress, p, rule_ids):
    """securityGroupRuleSet of an Authorize* response: one rule per range, as EC2 reports it."""
    items = []
    ranges = [("cidrIpv4", x) for x in p["ipRanges"].get("items", [])]
    ranges += [("cidrIpv6", x) for x in p["ipv6Ranges"].get("items", [])]
    for (key, rng), rule_id in zip(ranges, rule_ids):
        # key order of the captured events: description right after the rule id, the ARN last
        item = {"groupOwnerId": owner, "groupId": group, "securityGroupRuleId": rule_id}
        if "description" in rng:
            item["description"] = rng["description"]
        item.update({"isEgress": egress, "ipProtocol": p["ipProtocol"],
                     "fromPort": p.get("fromPort", -1), "toPort": p.get("toPort", -1),
                     key: rng.get("cidrIp") or rng.get("cidrIpv6"),
                     "securityGroupRuleArn": f"arn:aws:ec2:{region}:{owner}:security-group-rule/"
                                             f"{rule_id}"})
        items.append(item)
    return {"items": items}


# --------------------------------------------------------------------------------------------
# the world

alice = IamUser(ACCT, "alice")       # platform engineer: console with MFA, CLI with an access key
bob = IamUser(ACCT, "bob")           # developer: console without MFA
sso_sec = Role(ACCT, "AWSReservedSSO_SecurityEngineer_5b2e8c4d1a7f9036",
               "/aws-reserved/sso.amazonaws.com/")
sso_admin2 = Role(ACCT2, "AWSReservedSSO_AdministratorAccess_9c41f0e2b7d3a685",
                  "/aws-reserved/sso.amazonaws.com/")
root2 = RootUser(ACCT2)

gha_role = Role(ACCT, "github-actions-terraform")
codebuild_role = Role(ACCT, "codebuild-orders-integration-tests")
app_role = Role(ACCT, "app-server-role")
orders_fn_role = Role(ACCT, "orders-api-role")
grafana_role = Role(ACCT, "grafana-cloudwatch-readonly")
config_role = Role(ACCT, "AWSServiceRoleForConfig", "/aws-service-role/config.amazonaws.com/")
ecs_task_role = Role(ACCT, "orders-worker-task-role")
app2_role = Role(ACCT2, "ingest-node-role")
ingest_fn_role = Role(ACCT2, "ingest-transform-role")
config_role2 = Role(ACCT2, "AWSServiceRoleForConfig", "/aws-service-role/config.amazonaws.com/")

OIDC = f"arn:aws:iam::{ACCT}:oidc-provider/token.actions.githubusercontent.com"

VPC_USE1 = ec2_id("vpc")
VPC_EUW1 = ec2_id("vpc")
VPC_ACCT2 = ec2_id("vpc")
SG_WEB = ec2_id("sg")          # us-east-1 web-prod
SG_DEFAULT_USE1 = ec2_id("sg")
SG_ORDERS_DB = ec2_id("sg")    # eu-west-1 orders-db (postgres)
SG_ORDERS_APP = ec2_id("sg")   # eu-west-1 orders-app
SG_ACCT2 = ec2_id("sg")
RULE_DB = ec2_id("sgr")        # the 5432 rule of orders-db
RTB_PRIVATE = ec2_id("rtb")
NAT_USE1 = ec2_id("nat")
SUBNETS_USE1 = [ec2_id("subnet") for _ in range(3)]
KMS_KEY_USE1 = str(uuid.UUID(int=R.getrandbits(128), version=4))
KMS_KEY_EUW1 = str(uuid.UUID(int=R.getrandbits(128), version=4))
KMS_KEY_ACCT2 = str(uuid.UUID(int=R.getrandbits(128), version=4))

INSTANCES = {
    ("us-east-1", ACCT): [(ec2_id("i"), "10.0.12.34", "us-east-1a", "use1-az4"),
                          (ec2_id("i"), "10.0.27.118", "us-east-1b", "use1-az6")],
    ("eu-west-1", ACCT): [(ec2_id("i"), "10.20.3.41", "eu-west-1a", "euw1-az2"),
                          (ec2_id("i"), "10.20.19.7", "eu-west-1b", "euw1-az1")],
    ("eu-west-1", ACCT2): [(ec2_id("i"), "10.40.8.15", "eu-west-1a", "euw1-az3")],
}

NAT_IP = {("us-east-1", ACCT): "198.51.100.10", ("eu-west-1", ACCT): "198.51.100.140",
          ("eu-west-1", ACCT2): "198.51.100.171"}

IP_ALICE, IP_BOB, IP_CAROL, IP_DAVE = "203.0.113.24", "203.0.113.57", "203.0.113.90", "203.0.113.112"
IP_UNKNOWN, IP_ROOT2 = "192.0.2.147", "192.0.2.20"
IP_RUNNER, IP_CODEBUILD = "198.51.100.203", "198.51.100.151"

# long-lived sessions of the background workload (credentials are refreshed hourly or so)
SESSIONS = {}


def instance_session(region, account, idx):
    key = ("i", region, account, idx)
    if key not in SESSIONS:
        iid = INSTANCES[(region, account)][idx][0]
        role = app_role if account == ACCT else app2_role
        SESSIONS[key] = role.session(iid, at(R.randrange(5, 8), R.randrange(60), R.randrange(60)),
                                     ec2=True)
    return SESSIONS[key]


def config_session(account):
    key = ("config", account)
    if key not in SESSIONS:
        role = config_role if account == ACCT else config_role2
        SESSIONS[key] = role.session("AWSConfig-Describe", at(7, R.randrange(60), R.randrange(60)),
                                     invoked_by="config.amazonaws.com")
    return SESSIONS[key]


def grafana_session():
    if "grafana" not in SESSIONS:
        SESSIONS["grafana"] = grafana_role.session("grafana", at(8, 12, 40))
    return SESSIONS["grafana"]


# --------------------------------------------------------------------------------------------
# background traffic: each generator returns a list of (second offset, record builder)


def bg_ssm(env, t):
    region, account = env
    idx = R.randrange(len(INSTANCES[env]))
    iid, ip, az, azid = INSTANCES[env][idx]
    s = instance_session(region, account, idx)
    host = f"ip-{ip.replace('.', '-')}." + ("ec2.internal" if region == "us-east-1"
                                             else f"{region}.compute.internal")
    req = {"instanceId": iid, "agentVersion": "3.3.1142.0", "agentStatus": "Active",
           "platformType": "Linux", "platformName": "Amazon Linux", "platformVersion": "2023",
           "iPAddress": ip, "computerName": host, "agentName": "amazon-ssm-agent",
           "availabilityZone": az, "availabilityZoneId": azid,
           "sSMConnectionChannel": "ssmmessages"}
    return [record(t, s.ident(), "ssm.amazonaws.com", "UpdateInstanceInformation", region,
                   NAT_IP[env], UA_SSM, req, None, account=account)]


def bg_config(env, t):
    region, account = env
    s = config_session(account)
    vpc = {("us-east-1", ACCT): VPC_USE1, ("eu-west-1", ACCT): VPC_EUW1}.get(env, VPC_ACCT2)
    choice = R.randrange(4)
    if choice == 0:
        name, req = "DescribeSecurityGroups", {"securityGroupSet": {}, "securityGroupIdSet": {},
                                               "filterSet": {}}
    elif choice == 1:
        name, req = "DescribeInstances", {"instancesSet": {}, "filterSet": {}}
    elif choice == 2:
        name, req = "DescribeVpcs", {"vpcSet": {"items": [{"vpcId": vpc}]}, "filterSet": {}}
    else:
        name, req = "DescribeSecurityGroups", {
            "securityGroupSet": {}, "securityGroupIdSet": {},
            "filterSet": {"items": [{"name": "vpc-id", "valueSet": {"items": [{"value": vpc}]}}]}}
    return [record(t, s.ident(), "ec2.amazonaws.com", name, region, "config.amazonaws.com",
                   "config.amazonaws.com", req, None, account=account, read_only=True, tls=None)]


def bg_lambda_cold_start(env, t, fn="orders-api"):
    region, account = env
    role = orders_fn_role if account == ACCT else ingest_fn_role
    if account == ACCT2:
        fn = "ingest-transform"
    sess = role.session(fn, t)
    exp = t + dt.timedelta(hours=12)
    assume = record(
        t, service_ident("lambda.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", region,
        "lambda.amazonaws.com", "lambda.amazonaws.com",
        {"roleArn": role.arn, "roleSessionName": fn},
        {"credentials": {"accessKeyId": sess.key, "sessionToken": b64(388), "expiration": human(exp)},
         "assumedRoleUser": {"assumedRoleId": f"{role.role_id}:{fn}", "arn": sess.arn}},
        account=account, read_only=True,
        resources=[{"accountId": account, "type": "AWS::IAM::Role", "ARN": role.arn}],
        shared=True, tls=None)
    stream = f"{t:%Y/%m/%d}/[$LATEST]{pick(HEX, 32)}"
    logs = record(
        t + dt.timedelta(seconds=1), sess.ident(), "logs.amazonaws.com", "CreateLogStream", region,
        "198.51.100.33" if region == "us-east-1" else "198.51.100.161", UA_LAMBDA_LOGS,
        {"logGroupName": f"/aws/lambda/{fn}", "logStreamName": stream}, None, account=account)
    return [assume, logs]


def bg_secret(env, t):
    region, account = env
    idx = R.randrange(len(INSTANCES[env]))
    s = instance_session(region, account, idx)
    secret = "prod/orders/db" if account == ACCT else "prod/ingest/api-key"
    key = {("us-east-1", ACCT): KMS_KEY_USE1, ("eu-west-1", ACCT): KMS_KEY_EUW1}.get(env,
                                                                                    KMS_KEY_ACCT2)
    secret_arn = f"arn:aws:secretsmanager:{region}:{account}:secret:{secret}-{pick(ALNUM, 6)}"
    get = record(t, s.ident(), "secretsmanager.amazonaws.com", "GetSecretValue", region,
                 NAT_IP[env], UA_JAVA, {"secretId": secret}, None, account=account,
                 read_only=True)
    dec_ident = s.ident()
    dec_ident["invokedBy"] = "secretsmanager.amazonaws.com"
    dec_ident.pop("accessKeyId")
    dec_ident["accessKeyId"] = aws_id("ASIA")
    # key order as in real Decrypt events invoked by Secrets Manager
    dec_ident = {k: dec_ident[k] for k in ("type", "principalId", "arn", "accountId", "accessKeyId",
                                           "sessionContext", "invokedBy")}
    dec = record(t + dt.timedelta(seconds=1), dec_ident, "kms.amazonaws.com", "Decrypt", region,
                 "secretsmanager.amazonaws.com", "secretsmanager.amazonaws.com",
                 {"encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                  "encryptionContext": {"SecretARN": secret_arn,
                                        "SecretVersionId": str(uuid.UUID(int=R.getrandbits(128),
                                                                         version=4)).upper()}},
                 None, account=account, read_only=True,
                 resources=[{"accountId": account, "type": "AWS::KMS::Key",
                             "ARN": f"arn:aws:kms:{region}:{account}:key/{key}"}],
                 tls=None)
    return [get, dec]


def bg_grafana(env, t):
    region, account = env
    s = grafana_session()
    iid = R.choice(INSTANCES[env])[0]
    end = t.replace(second=0)
    if R.random() < 0.75:
        req = {"metricDataQueries": [{"id": "a", "metricStat": {
            "metric": {"namespace": "AWS/EC2", "metricName": "CPUUtilization",
                       "dimensions": [{"name": "InstanceId", "value": iid}]},
            "period": 300, "stat": "Average"}, "returnData": True}],
            "startTime": iso(end - dt.timedelta(hours=3)), "endTime": iso(end)}
        return [record(t, s.ident(), "monitoring.amazonaws.com", "GetMetricData", region,
                       "198.51.100.77", UA_GRAFANA, req, None,
                       account=account, read_only=True)]
    return [record(t, s.ident(), "ec2.amazonaws.com", "DescribeInstances", region, "198.51.100.77",
                   UA_GRAFANA, {"instancesSet": {}, "filterSet": {"items": [
                       {"name": "instance-state-name",
                        "valueSet": {"items": [{"value": "running"}]}}]}},
                   None, account=account, read_only=True)]


def bg_ecs(env, t):
    region, account = env
    sid = pick(HEX, 32)
    sess = ecs_task_role.session(sid, t)
    exp = t + dt.timedelta(hours=6)
    return [record(
        t, service_ident("ecs-tasks.amazonaws.com"), "sts.amazonaws.com", "AssumeRole", region,
        "ecs-tasks.amazonaws.com", "ecs-tasks.amazonaws.com",
        {"roleArn": ecs_task_role.arn, "roleSessionName": sid},
        {"credentials": {"accessKeyId": sess.key, "sessionToken": b64(388), "expiration": human(exp)},
         "assumedRoleUser": {"assumedRoleId": f"{ecs_task_role.role_id}:{sid}", "arn": sess.arn}},
        account=account, read_only=True,
        resources=[{"accountId": account, "type": "AWS::IAM::Role", "ARN": ecs_task_role.arn}],
        shared=True, tls=None)]


def bg_caller_identity(env, t):
    region, account = env
    idx = R.randrange(len(INSTANCES[env]))
    s = instance_session(region, account, idx)
    return [record(t, s.ident(), "sts.amazonaws.com", "GetCallerIdentity", region, NAT_IP[env],
                   UA_BOTO, None, None, account=account, read_only=True,
                   tls=f"sts.{region}.amazonaws.com")]


BACKGROUND = {
    ("us-east-1", ACCT): [(bg_ssm, 5), (bg_config, 3), (bg_lambda_cold_start, 2), (bg_secret, 2),
                          (bg_grafana, 4), (bg_caller_identity, 1)],
    ("eu-west-1", ACCT): [(bg_ssm, 5), (bg_config, 3), (bg_secret, 3), (bg_ecs, 3),
                          (bg_grafana, 2), (bg_caller_identity, 1)],
    ("eu-west-1", ACCT2): [(bg_ssm, 4), (bg_config, 3), (bg_lambda_cold_start, 3),
                           (bg_secret, 1), (bg_caller_identity, 1)],
}


# --------------------------------------------------------------------------------------------
# one log file


class LogFile:
    def __init__(self, env, stamp, size, first=None, last=None):
        self.env = env
        self.region, self.account = env
        self.stamp = stamp                      # end of the 5-minute window (file name)
        self.start = first or stamp - dt.timedelta(minutes=5)
        self.end = last or stamp                # events fall in [start, end)
        self.size = size                        # target number of records
        self.records = []
        self.used = set()
        self.notes = {}                         # eventID -> note for EXPECTED.md
        self.suffix = None
        self.key = None
        self.raw = None

    def add(self, rec, note=None):
        t = dt.datetime.strptime(rec["eventTime"], "%Y-%m-%dT%H:%M:%SZ").replace(
            tzinfo=dt.timezone.utc)
        assert self.start <= t < self.end, (rec["eventName"], rec["eventTime"], self.stamp)
        sec = int((t - self.start).total_seconds())
        assert sec not in self.used, ("two scripted events in one second", rec["eventTime"])
        self.used.add(sec)
        self.records.append(rec)
        if note:
            self.notes[rec["eventID"]] = note
        return rec

    def fill(self):
        gens = BACKGROUND[self.env]
        span = int((self.end - self.start).total_seconds())
        tries = 0
        while len(self.records) < self.size:
            tries += 1
            assert tries < 10000
            gen = R.choices([g for g, _ in gens], [w for _, w in gens])[0]
            sec = R.randrange(span - 2)
            if sec in self.used or sec + 1 in self.used:
                continue
            recs = gen(self.env, self.start + dt.timedelta(seconds=sec))
            if len(self.records) + len(recs) > self.size:
                continue
            for rec in recs:
                self.add(rec)
        self.records.sort(key=lambda r: r["eventTime"])

    def finish(self):
        self.suffix = pick(ALNUM, 16)
        region, account = self.env
        name = f"{account}_CloudTrail_{region}_{self.stamp:%Y%m%dT%H%MZ}_{self.suffix}.json.gz"
        self.key = f"AWSLogs/{account}/CloudTrail/{region}/{self.stamp:%Y/%m/%d}/{name}"
        self.raw = json.dumps({"Records": self.records}, separators=(",", ":")).encode()
        # CloudTrail delivers a file a few minutes after its window closes
        self.delivered = self.stamp + dt.timedelta(seconds=R.randrange(150, 420))


FILES = []


def new_file(env, hhmm, size, **kw):
    f = LogFile(env, at(int(hhmm[:2]), int(hhmm[2:]), 0), size, **kw)
    FILES.append(f)
    return f


USE1, EUW1, EUW1_2 = ("us-east-1", ACCT), ("eu-west-1", ACCT), ("eu-west-1", ACCT2)

# ---- us-east-1, 08:45-08:50: morning; alice signs in with MFA; someone guesses a user name ----
f = new_file(USE1, "0850", 38)
t = at(8, 46, 12)
f.add(record(t, {"type": "IAMUser", "accountId": ACCT, "accessKeyId": "",
                 "userName": "HIDDEN_DUE_TO_SECURITY_REASONS"},
             "signin.amazonaws.com", "ConsoleLogin", "us-east-1", IP_UNKNOWN, UA_BROWSER_MAC,
             None, {"ConsoleLogin": "Failure"}, account=ACCT,
             error=(None, "Failed authentication"),
             extra={"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_1f4e2b9c7d0a3e58",
                    "MobileVersion": "No", "MFAUsed": "No"},
             request_id=None, event_type="AwsConsoleSignIn", tls="signin.aws.amazon.com"),
      "sign-in failure for a user name that does not exist (CloudTrail hides it)")
t = at(8, 47, 3)
alice.sign_in(t, mfa=True)
f.add(record(t, alice.login(), "signin.amazonaws.com", "ConsoleLogin", "us-east-1", IP_ALICE,
             UA_BROWSER, None, {"ConsoleLogin": "Success"}, account=ACCT,
             extra={"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_7a0c5d2e9f41b836",
                    "MobileVersion": "No",
                    "MFAIdentifier": f"arn:aws:iam::{ACCT}:mfa/alice-yubikey",
                    "MFAUsed": "Yes"},
             request_id=None, event_type="AwsConsoleSignIn", tls="signin.aws.amazon.com"),
      "alice signs in, MFA used")
for sec, name, req in [
        (at(8, 47, 19), "DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
        (at(8, 47, 20), "DescribeSecurityGroups", {"securityGroupSet": {}, "securityGroupIdSet": {},
                                                   "filterSet": {}}),
        (at(8, 47, 21), "DescribeVpcs", {"vpcSet": {}, "filterSet": {}}),
        (at(8, 48, 2), "DescribeSecurityGroups",
         {"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": SG_WEB}]},
          "filterSet": {}}),
        (at(8, 48, 3), "DescribeSecurityGroupRules",
         {"DescribeSecurityGroupRulesRequest": {"MaxResults": 1000, "Filter": {
             "Name": "group-id", "Value": {"content": SG_WEB, "tag": 1}, "tag": 1}}})]:
    f.add(record(sec, alice.web(), "ec2.amazonaws.com", name, "us-east-1", IP_ALICE, UA_CONSOLE,
                 req, None, account=ACCT, read_only=True, tls=None, console=True))
t = at(8, 48, 55)
f.add(record(t, alice.web(), "s3.amazonaws.com", "ListBuckets", "us-east-1", IP_ALICE,
             "[S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.780 Linux/5.10.228-198.884.amzn2int.x86_64 OpenJDK_64-Bit_Server_VM/25.432-b06 java/1.8.0_432 vendor/Oracle_Corporation cfg/retry-mode/standard]",
             {"Host": "s3.amazonaws.com"}, None, account=ACCT, read_only=True,
             extra={"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                    "bytesTransferredIn": 0, "AuthenticationMethod": "AuthHeader",
                    "x-amz-id-2": b64(76), "bytesTransferredOut": 1873},
             request_id=s3_request_id(), tls="s3.amazonaws.com", console=True))
f.fill()

# ---- us-east-1, 09:05-09:10 (file A): bob signs in without MFA and opens SSH to the world ----
f = new_file(USE1, "0910", 34)
t = at(9, 5, 48)
f.add(record(t, bob.login(), "signin.amazonaws.com", "ConsoleLogin", "us-east-1", IP_BOB,
             UA_BROWSER, None, {"ConsoleLogin": "Failure"}, account=ACCT,
             error=(None, "Failed authentication"),
             extra={"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_c2d90e7f41a85b36",
                    "MobileVersion": "No", "MFAUsed": "No"},
             request_id=None, event_type="AwsConsoleSignIn", tls="signin.aws.amazon.com"),
      "bob mistypes his password")
t = at(9, 6, 7)
bob.sign_in(t, mfa=False)
f.add(record(t, bob.login(), "signin.amazonaws.com", "ConsoleLogin", "us-east-1", IP_BOB,
             UA_BROWSER, None, {"ConsoleLogin": "Success"}, account=ACCT,
             extra={"LoginTo": "https://console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&state=hashArgsFromTB_us-east-1_c2d90e7f41a85b36",
                    "MobileVersion": "No", "MFAUsed": "No"},
             request_id=None, event_type="AwsConsoleSignIn", tls="signin.aws.amazon.com"),
      "bob signs in without MFA")
for sec, name, req in [
        (at(9, 6, 31), "DescribeInstances", {"instancesSet": {}, "filterSet": {}}),
        (at(9, 7, 12), "DescribeSecurityGroups",
         {"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": SG_WEB}]},
          "filterSet": {}}),
        (at(9, 7, 13), "DescribeSecurityGroupRules",
         {"DescribeSecurityGroupRulesRequest": {"MaxResults": 1000, "Filter": {
             "Name": "group-id", "Value": {"content": SG_WEB, "tag": 1}, "tag": 1}}})]:
    f.add(record(sec, bob.web(), "ec2.amazonaws.com", name, "us-east-1", IP_BOB, UA_CONSOLE,
                 req, None, account=ACCT, read_only=True, tls=None, console=True))
RULE_SSH = ec2_id("sgr")
p = perm("tcp", 22, 22, v4=["0.0.0.0/0"], desc="ssh from home - bob")
t = at(9, 8, 41)
f.add(record(t, bob.web(), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "us-east-1",
             IP_BOB, UA_CONSOLE, {"groupId": SG_WEB, "ipPermissions": {"items": [p]}},
             ec2_resp(securityGroupRuleSet=rule_set("us-east-1", ACCT, SG_WEB, False, p, [RULE_SSH])),
             account=ACCT, tls=None, console=True),
      "opens tcp/22 to 0.0.0.0/0 on web-prod")
for sec, name, req in [
        (at(9, 8, 42), "DescribeSecurityGroupRules",
         {"DescribeSecurityGroupRulesRequest": {"MaxResults": 1000, "Filter": {
             "Name": "group-id", "Value": {"content": SG_WEB, "tag": 1}, "tag": 1}}}),
        (at(9, 8, 43), "DescribeSecurityGroups",
         {"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": SG_WEB}]},
          "filterSet": {}})]:
    f.add(record(sec, bob.web(), "ec2.amazonaws.com", name, "us-east-1", IP_BOB, UA_CONSOLE,
                 req, None, account=ACCT, read_only=True, tls=None, console=True))
t = at(9, 9, 30)
f.add(record(t, bob.web(), "iam.amazonaws.com", "ListUsers", "us-east-1", IP_BOB, UA_CONSOLE,
             {"maxItems": 1000}, None, account=ACCT, read_only=True,
             error=("AccessDenied",
                    f"User: {bob.arn} is not authorized to perform: iam:ListUsers on resource: "
                    f"arn:aws:iam::{ACCT}:user/ because no identity-based policy allows the "
                    "iam:ListUsers action"),
             tls=None, console=True),
      "IAM console: not allowed")
f.fill()

# ---- us-east-1, 09:05-09:10 (file B, same window): background only ----
f = new_file(USE1, "0910", 24)
f.fill()

# ---- us-east-1, 09:15-09:20: alice dry-runs an ingress rule, sets a bucket policy ----
f = new_file(USE1, "0920", 31)
p = perm("tcp", 443, 443, v4=["198.51.100.0/24"], desc="partner API")
t = at(9, 16, 4)
f.add(record(t, alice.cli(), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress", "us-east-1",
             IP_ALICE, ua_cli("ec2.authorize-security-group-ingress"),
             {"groupId": SG_WEB, "ipPermissions": {"items": [p]}}, None, account=ACCT,
             error=("Client.DryRunOperation",
                    "Request would have succeeded, but DryRun flag is set.")),
      "--dry-run: nothing changed")
t = at(9, 17, 26)
bucket = "example-corp-static-assets"
policy = {"Version": "2012-10-17", "Statement": [{
    "Sid": "AllowCloudFrontServicePrincipalReadOnly", "Effect": "Allow",
    "Principal": {"Service": "cloudfront.amazonaws.com"}, "Action": "s3:GetObject",
    "Resource": f"arn:aws:s3:::{bucket}/*",
    "Condition": {"StringEquals": {
        "AWS:SourceArn": f"arn:aws:cloudfront::{ACCT}:distribution/E2Q5XK8T3VJ1WM"}}}]}
f.add(record(t, alice.cli(), "s3.amazonaws.com", "PutBucketPolicy", "us-east-1", IP_ALICE,
             "[" + ua_cli("s3api.put-bucket-policy") + "]",
             {"bucketPolicy": policy, "bucketName": bucket,
              "Host": f"{bucket}.s3.us-east-1.amazonaws.com", "policy": ""},
             None, account=ACCT,
             extra={"SignatureVersion": "SigV4", "CipherSuite": "TLS_AES_128_GCM_SHA256",
                    "bytesTransferredIn": 395, "AuthenticationMethod": "AuthHeader",
                    "x-amz-id-2": b64(76), "bytesTransferredOut": 0},
             request_id=s3_request_id(),
             resources=[{"accountId": ACCT, "type": "AWS::S3::Bucket",
                         "ARN": f"arn:aws:s3:::{bucket}"}],
             tls=f"{bucket}.s3.us-east-1.amazonaws.com"),
      f"bucket {bucket}: CloudFront read access")
t = at(9, 18, 50)
f.add(record(t, bob.web(), "ec2.amazonaws.com", "DescribeFlowLogs", "us-east-1", IP_BOB,
             UA_CONSOLE, {"DescribeFlowLogsRequest": {"Filter": {"Name": "resource-id",
                                                                  "Value": {"content": VPC_USE1,
                                                                            "tag": 1},
                                                                  "tag": 1}}},
             None, account=ACCT, read_only=True,
             error=("Client.UnauthorizedOperation",
                    f"You are not authorized to perform this operation. User: {bob.arn} is not "
                    "authorized to perform: ec2:DescribeFlowLogs because no identity-based "
                    "policy allows the ec2:DescribeFlowLogs action"),
             tls=None, console=True),
      "VPC console: not allowed")
f.fill()

# ---- us-east-1, 10:30-10:35: Terraform from GitHub Actions builds an RDP bastion ----
f = new_file(USE1, "1035", 76)
t0 = at(10, 30, 5)
gha = gha_role.session("GitHubActions", t0, web_identity=OIDC)
subject = "repo:example-corp/infrastructure:ref:refs/heads/main"
f.add(record(t0, {"type": "WebIdentityUser",
                  "principalId": f"{OIDC}:sts.amazonaws.com:{subject}",
                  "userName": subject, "identityProvider": OIDC},
             "sts.amazonaws.com", "AssumeRoleWithWebIdentity", "us-east-1", IP_RUNNER, UA_GHA,
             {"roleArn": gha_role.arn, "roleSessionName": "GitHubActions", "durationSeconds": 3600},
             {"credentials": {"accessKeyId": gha.key, "sessionToken": b64(388),
                              "expiration": human(t0 + dt.timedelta(hours=1))},
              "subjectFromWebIdentityToken": subject,
              "assumedRoleUser": {"assumedRoleId": f"{gha_role.role_id}:GitHubActions",
                                  "arn": gha.arn},
              "provider": OIDC, "audience": "sts.amazonaws.com"},
             account=ACCT, read_only=True,
             extra={"identityProviderConnectionVerificationMethod": "IAMTrustStore"},
             resources=[{"accountId": ACCT, "type": "AWS::IAM::Role", "ARN": gha_role.arn}],
             tls="sts.us-east-1.amazonaws.com"),
      "GitHub Actions (OIDC) assumes github-actions-terraform")


def tf(t, source, name, req, resp=None, *, read_only=False, error=None, note=None, api=None):
    svc = source.split(".")[0]
    version = api or {"ec2": "1.187.1", "iam": "1.38.1", "sts": "1.33.0"}[svc]
    return f.add(record(t, gha.ident(), source, name, "us-east-1", IP_RUNNER,
                        ua_terraform(svc, version), req, resp, account=ACCT, read_only=read_only,
                        error=error), note)


tf(at(10, 30, 9), "sts.amazonaws.com", "GetCallerIdentity", None, read_only=True)
tf(at(10, 30, 10), "ec2.amazonaws.com", "DescribeRegions",
   {"regionSet": {}, "allRegions": False}, read_only=True)
refresh = [
    ("DescribeVpcs", {"vpcSet": {"items": [{"vpcId": VPC_USE1}]}, "filterSet": {}}),
    ("DescribeVpcAttribute", {"vpcId": VPC_USE1, "attribute": "enableDnsSupport"}),
    ("DescribeVpcAttribute", {"vpcId": VPC_USE1, "attribute": "enableDnsHostnames"}),
    ("DescribeVpcAttribute", {"vpcId": VPC_USE1, "attribute": "enableNetworkAddressUsageMetrics"}),
    ("DescribeRouteTables", {"routeTableIdSet": {}, "filterSet": {"items": [
        {"name": "association.main", "valueSet": {"items": [{"value": "true"}]}},
        {"name": "vpc-id", "valueSet": {"items": [{"value": VPC_USE1}]}}]}}),
    ("DescribeSecurityGroups", {"securityGroupSet": {}, "securityGroupIdSet": {}, "filterSet": {
        "items": [{"name": "group-name", "valueSet": {"items": [{"value": "default"}]}},
                  {"name": "vpc-id", "valueSet": {"items": [{"value": VPC_USE1}]}}]}}),
    ("DescribeNetworkAcls", {"networkAclIdSet": {}, "filterSet": {"items": [
        {"name": "default", "valueSet": {"items": [{"value": "true"}]}},
        {"name": "vpc-id", "valueSet": {"items": [{"value": VPC_USE1}]}}]}}),
] + [("DescribeSubnets", {"subnetSet": {"items": [{"subnetId": s}]}, "filterSet": {}})
     for s in SUBNETS_USE1] + [
    ("DescribeNatGateways", {"DescribeNatGatewaysRequest": {"NatGatewayId": {"content": NAT_USE1,
                                                                             "tag": 1}}}),
    ("DescribeRouteTables", {"routeTableIdSet": {"items": [{"routeTableId": RTB_PRIVATE}]},
                             "filterSet": {}}),
    ("DescribeSecurityGroups", {"securityGroupSet": {}, "securityGroupIdSet": {
        "items": [{"groupId": SG_WEB}]}, "filterSet": {}}),
    ("DescribeSecurityGroupRules", {"DescribeSecurityGroupRulesRequest": {"Filter": {
        "Name": "group-id", "Value": {"content": SG_WEB, "tag": 1}, "tag": 1},
        "MaxResults": 1000}}),
]
sec = 14
for name, req in refresh:
    tf(at(10, 30, sec), "ec2.amazonaws.com", name, req, read_only=True)
    sec += R.choice((1, 1, 2))
for sec, name, req in [(41, "GetRole", {"roleName": "app-server-role"}),
                       (42, "ListRolePolicies", {"roleName": "app-server-role"}),
                       (43, "ListAttachedRolePolicies", {"roleName": "app-server-role"}),
                       (44, "GetInstanceProfile", {"instanceProfileName": "app-server-role"})]:
    tf(at(10, 30, sec), "iam.amazonaws.com", name, req, read_only=True)

# apply
SG_BASTION = ec2_id("sg")
bastion_tags = [{"key": "Name", "value": "bastion-rdp"}, {"key": "ManagedBy", "value": "terraform"}]
tf(at(10, 31, 20), "ec2.amazonaws.com", "CreateSecurityGroup",
   {"groupName": "bastion-rdp", "groupDescription": "RDP bastion for vendor support",
    "vpcId": VPC_USE1,
    "tagSpecificationSet": {"items": [{"resourceType": "security-group", "tags": bastion_tags}]}},
   ec2_resp(groupId=SG_BASTION, tagSet={"items": bastion_tags}),
   note="new group bastion-rdp")
tf(at(10, 31, 21), "ec2.amazonaws.com", "DescribeSecurityGroups",
   {"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": SG_BASTION}]},
    "filterSet": {}}, read_only=True)
p = perm("-1", 0, 0, v4=["0.0.0.0/0"])
tf(at(10, 31, 22), "ec2.amazonaws.com", "RevokeSecurityGroupEgress",
   {"groupId": SG_BASTION, "ipPermissions": {"items": [p]}}, ec2_resp(),
   note="Terraform removes the default allow-all egress rule")
p = perm("tcp", 443, 443, v4=["0.0.0.0/0"], desc="HTTPS out (SSM, updates)")
tf(at(10, 31, 24), "ec2.amazonaws.com", "AuthorizeSecurityGroupEgress",
   {"groupId": SG_BASTION, "ipPermissions": {"items": [p]}},
   ec2_resp(securityGroupRuleSet=rule_set("us-east-1", ACCT, SG_BASTION, True, p, [ec2_id("sgr")])),
   note="egress tcp/443 to 0.0.0.0/0")
p = perm("tcp", 3389, 3389, v6=["::/0"], desc="RDP for vendor support")
tf(at(10, 31, 25), "ec2.amazonaws.com", "AuthorizeSecurityGroupIngress",
   {"groupId": SG_BASTION, "ipPermissions": {"items": [p]}},
   ec2_resp(securityGroupRuleSet=rule_set("us-east-1", ACCT, SG_BASTION, False, p, [ec2_id("sgr")])),
   note="opens tcp/3389 to ::/0 (every IPv6 address)")
tf(at(10, 31, 27), "ec2.amazonaws.com", "DescribeSecurityGroups",
   {"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": SG_BASTION}]},
    "filterSet": {}}, read_only=True)
tf(at(10, 31, 28), "ec2.amazonaws.com", "DescribeSecurityGroupRules",
   {"DescribeSecurityGroupRulesRequest": {"Filter": {
       "Name": "group-id", "Value": {"content": SG_BASTION, "tag": 1}, "tag": 1},
       "MaxResults": 1000}}, read_only=True)
trust = json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
    "Action": "sts:AssumeRole"}]}, separators=(",", ":"))
bastion_role_id = aws_id("AROA")
t = at(10, 31, 33)
tf(t, "iam.amazonaws.com", "CreateRole",
   {"roleName": "bastion-rdp", "assumeRolePolicyDocument": trust,
    "tags": [{"key": "ManagedBy", "value": "terraform"}]},
   {"role": {"path": "/", "roleName": "bastion-rdp", "roleId": bastion_role_id,
             "arn": f"arn:aws:iam::{ACCT}:role/bastion-rdp", "createDate": human(t),
             "assumeRolePolicyDocument": "%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Principal%22%3A%7B%22Service%22%3A%22ec2.amazonaws.com%22%7D%2C%22Action%22%3A%22sts%3AAssumeRole%22%7D%5D%7D",
             "tags": [{"key": "ManagedBy", "value": "terraform"}]}})
tf(at(10, 31, 34), "iam.amazonaws.com", "GetRole", {"roleName": "bastion-rdp"}, read_only=True)
tf(at(10, 31, 36), "iam.amazonaws.com", "AttachRolePolicy",
   {"roleName": "bastion-rdp",
    "policyArn": "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"},
   note="AmazonSSMManagedInstanceCore on role bastion-rdp")
t = at(10, 31, 37)
tf(t, "iam.amazonaws.com", "CreateInstanceProfile", {"instanceProfileName": "bastion-rdp"},
   {"instanceProfile": {"path": "/", "instanceProfileName": "bastion-rdp",
                        "instanceProfileId": aws_id("AIPA"),
                        "arn": f"arn:aws:iam::{ACCT}:instance-profile/bastion-rdp",
                        "createDate": human(t), "roles": []}})
tf(at(10, 31, 38), "iam.amazonaws.com", "AddRoleToInstanceProfile",
   {"instanceProfileName": "bastion-rdp", "roleName": "bastion-rdp"})
tf(at(10, 31, 39), "iam.amazonaws.com", "ListAttachedRolePolicies", {"roleName": "bastion-rdp"},
   read_only=True)
tf(at(10, 31, 52), "ec2.amazonaws.com", "CreateRoute",
   {"routeTableId": RTB_PRIVATE, "destinationCidrBlock": "172.16.40.0/22",
    "natGatewayId": NAT_USE1}, ec2_resp(),
   note=f"route 172.16.40.0/22 via {NAT_USE1} in {RTB_PRIVATE}")
tf(at(10, 31, 53), "ec2.amazonaws.com", "DescribeRouteTables",
   {"routeTableIdSet": {"items": [{"routeTableId": RTB_PRIVATE}]}, "filterSet": {}},
   read_only=True)
f.fill()

# ---- us-east-1, 13:05-13:10: carol (SSO) removes bob's SSH rule by its rule id ----
f = new_file(USE1, "1310", 33)
t = at(13, 5, 41)
carol = sso_sec.session("carol@example.com", t)
login = carol.ident()
login.pop("accessKeyId")
f.add(record(t, login, "signin.amazonaws.com", "ConsoleLogin", "us-east-1", IP_CAROL,
             UA_BROWSER_MAC, None, {"ConsoleLogin": "Success"}, account=ACCT,
             extra={"MobileVersion": "No", "MFAUsed": "No"},
             request_id=None, event_type="AwsConsoleSignIn", tls="signin.aws.amazon.com"),
      "federated sign-in through IAM Identity Center (MFA is checked there, not here)")
for sec, name, req in [
        (at(13, 6, 10), "DescribeSecurityGroups",
         {"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": SG_WEB}]},
          "filterSet": {}}),
        (at(13, 6, 11), "DescribeSecurityGroupRules",
         {"DescribeSecurityGroupRulesRequest": {"MaxResults": 1000, "Filter": {
             "Name": "group-id", "Value": {"content": SG_WEB, "tag": 1}, "tag": 1}}})]:
    f.add(record(sec, carol.ident(), "ec2.amazonaws.com", name, "us-east-1", IP_CAROL, UA_CONSOLE,
                 req, None, account=ACCT, read_only=True, tls=None, console=True))
t = at(13, 7, 2)
f.add(record(t, carol.ident(), "ec2.amazonaws.com", "RevokeSecurityGroupIngress", "us-east-1",
             IP_CAROL, UA_CONSOLE,
             {"groupId": SG_WEB, "securityGroupRuleIds": {"items": [{"securityGroupRuleId":
                                                                    RULE_SSH}]}},
             ec2_resp(revokedSecurityGroupRuleSet={"items": [{
                 "securityGroupRuleId": RULE_SSH, "groupId": SG_WEB, "isEgress": False,
                 "ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0",
                 "description": "ssh from home - bob"}]}),
             account=ACCT, tls=None, console=True),
      f"removes rule {RULE_SSH} (bob's tcp/22 from 0.0.0.0/0) by rule id")
f.add(record(at(13, 7, 3), carol.ident(), "ec2.amazonaws.com", "DescribeSecurityGroupRules",
             "us-east-1", IP_CAROL, UA_CONSOLE,
             {"DescribeSecurityGroupRulesRequest": {"MaxResults": 1000, "Filter": {
                 "Name": "group-id", "Value": {"content": SG_WEB, "tag": 1}, "tag": 1}}},
             None, account=ACCT, read_only=True, tls=None, console=True))
f.fill()

# ---- eu-west-1, 11:10-11:15: CodeBuild integration tests create a throw-away group ----
f = new_file(EUW1, "1115", 29)
t = at(11, 10, 44)
build = codebuild_role.session(f"AWSCodeBuild-{uuid4()}", t - dt.timedelta(seconds=95))
SG_IT = ec2_id("sg")
it_tags = [{"key": "ci-build", "value": "orders-it-4812"}]
f.add(record(at(11, 10, 44), build.ident(), "sts.amazonaws.com", "GetCallerIdentity",
             "eu-west-1", IP_CODEBUILD, ua_cli("sts.get-caller-identity"), None, None,
             account=ACCT, read_only=True, tls="sts.eu-west-1.amazonaws.com"))
f.add(record(at(11, 11, 2), build.ident(), "ec2.amazonaws.com", "CreateSecurityGroup",
             "eu-west-1", IP_CODEBUILD, ua_cli("ec2.create-security-group"),
             {"groupName": "orders-it-4812", "groupDescription": "integration test 4812",
              "vpcId": VPC_EUW1,
              "tagSpecificationSet": {"items": [{"resourceType": "security-group",
                                                 "tags": it_tags}]}},
             ec2_resp(groupId=SG_IT, tagSet={"items": it_tags}), account=ACCT),
      "throw-away group for an integration test")
f.add(record(at(11, 11, 3), build.ident(), "ec2.amazonaws.com", "DescribeSecurityGroups",
             "eu-west-1", IP_CODEBUILD, ua_cli("ec2.describe-security-groups"),
             {"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": SG_IT}]},
              "filterSet": {}}, None, account=ACCT, read_only=True))
f.fill()

# ---- eu-west-1, 11:20-11:25: the group is deleted; alice's revoke fails ----
f = new_file(EUW1, "1125", 27)
f.add(record(at(11, 21, 37), build.ident(), "ec2.amazonaws.com", "DeleteSecurityGroup",
             "eu-west-1", IP_CODEBUILD, ua_cli("ec2.delete-security-group"),
             {"groupId": SG_IT}, ec2_resp(), account=ACCT),
      "test finished, group deleted")
p = perm("tcp", 25, 25, v4=["0.0.0.0/0"])
f.add(record(at(11, 23, 5), alice.cli(), "ec2.amazonaws.com", "RevokeSecurityGroupEgress",
             "eu-west-1", IP_ALICE, ua_cli_mac("ec2.revoke-security-group-egress"),
             {"groupId": SG_ORDERS_APP, "ipPermissions": {"items": [p]}}, None, account=ACCT,
             error=("Client.InvalidPermission.NotFound",
                    "The specified rule does not exist in this security group.")),
      "tries to remove an egress rule tcp/25 that is not there")
f.add(record(at(11, 23, 19), alice.cli(), "ec2.amazonaws.com", "DescribeSecurityGroupRules",
             "eu-west-1", IP_ALICE, ua_cli_mac("ec2.describe-security-group-rules"),
             {"DescribeSecurityGroupRulesRequest": {"Filter": {
                 "Name": "group-id", "Value": {"content": SG_ORDERS_APP, "tag": 1}, "tag": 1}}},
             None, account=ACCT, read_only=True))
f.fill()

# ---- eu-west-1, 14:00-14:05: bob edits the postgres rule in place: now open to the internet ----
f = new_file(EUW1, "1405", 30)
for sec, name, req in [
        (at(14, 1, 5), "DescribeSecurityGroups",
         {"securityGroupSet": {}, "securityGroupIdSet": {"items": [{"groupId": SG_ORDERS_DB}]},
          "filterSet": {}}),
        (at(14, 1, 6), "DescribeSecurityGroupRules",
         {"DescribeSecurityGroupRulesRequest": {"MaxResults": 1000, "Filter": {
             "Name": "group-id", "Value": {"content": SG_ORDERS_DB, "tag": 1}, "tag": 1}}})]:
    f.add(record(sec, bob.web(), "ec2.amazonaws.com", name, "eu-west-1", IP_BOB, UA_CONSOLE,
                 req, None, account=ACCT, read_only=True, tls=None, console=True))
modify_id = uuid4()
f.add(record(at(14, 2, 18), bob.web(), "ec2.amazonaws.com", "ModifySecurityGroupRules",
             "eu-west-1", IP_BOB, UA_CONSOLE,
             {"ModifySecurityGroupRulesRequest": {"GroupId": SG_ORDERS_DB, "SecurityGroupRule": {
                 "SecurityGroupRuleId": RULE_DB, "SecurityGroupRule": {
                     "IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432,
                     "CidrIpv4": "0.0.0.0/0", "Description": "temp: vendor access"}}}},
             {"ModifySecurityGroupRulesResponse": {
                 "xmlns": "http://ec2.amazonaws.com/doc/2016-11-15/", "requestId": modify_id,
                 "return": True}},
             account=ACCT, request_id=modify_id, tls=None, console=True),
      f"edits rule {RULE_DB} of orders-db in place: tcp/5432 now from 0.0.0.0/0")
f.add(record(at(14, 2, 19), bob.web(), "ec2.amazonaws.com", "DescribeSecurityGroupRules",
             "eu-west-1", IP_BOB, UA_CONSOLE,
             {"DescribeSecurityGroupRulesRequest": {"MaxResults": 1000, "Filter": {
                 "Name": "group-id", "Value": {"content": SG_ORDERS_DB, "tag": 1}, "tag": 1}}},
             None, account=ACCT, read_only=True, tls=None, console=True))
f.fill()

# ---- second account, eu-west-1, 15:00-15:05: the root user signs in and stops the trail ----
trail_arn2 = f"arn:aws:cloudtrail:eu-west-1:{ACCT2}:trail/{TRAIL}"
f = new_file(EUW1_2, "1505", 27, last=at(15, 3, 48))
t = at(15, 1, 9)
root2.sign_in(t)
f.add(record(t, root2.login(), "signin.amazonaws.com", "ConsoleLogin", "eu-west-1", IP_ROOT2,
             UA_BROWSER, None, {"ConsoleLogin": "Success"}, account=ACCT2,
             extra={"LoginTo": "https://eu-west-1.console.aws.amazon.com/console/home?hashArgs=%23&isauthcode=true&region=eu-west-1&state=hashArgsFromTB_eu-west-1_5e8a1c07d93f264b",
                    "MobileVersion": "No",
                    "MFAIdentifier": f"arn:aws:iam::{ACCT2}:mfa/root-account-mfa-device",
                    "MFAUsed": "Yes"},
             request_id=None, event_type="AwsConsoleSignIn",
             tls="eu-west-1.signin.aws.amazon.com"),
      "root signs in (MFA used)")
f.add(record(at(15, 2, 30), root2.web(), "cloudtrail.amazonaws.com", "DescribeTrails",
             "eu-west-1", IP_ROOT2, UA_CONSOLE, {"includeShadowTrails": True}, None,
             account=ACCT2, read_only=True, tls=None, console=True), "root")
f.add(record(at(15, 2, 31), root2.web(), "cloudtrail.amazonaws.com", "GetTrailStatus",
             "eu-west-1", IP_ROOT2, UA_CONSOLE, {"name": trail_arn2}, None,
             account=ACCT2, read_only=True, tls=None, console=True), "root")
f.add(record(at(15, 3, 47), root2.web(), "cloudtrail.amazonaws.com", "StopLogging",
             "eu-west-1", IP_ROOT2, UA_CONSOLE, {"name": trail_arn2}, None,
             account=ACCT2, tls=None, console=True),
      f"root stops trail {TRAIL}: nothing is logged until 15:26:12")
f.fill()

# ---- second account, eu-west-1, 15:26-15:30: an admin turns the trail back on ----
f = new_file(EUW1_2, "1530", 22, first=at(15, 26, 12))
dave = sso_admin2.session("dave@example.com", at(15, 24, 55))
f.add(record(at(15, 26, 12), dave.ident(), "cloudtrail.amazonaws.com", "StartLogging",
             "eu-west-1", IP_DAVE, UA_CONSOLE, {"name": trail_arn2}, None,
             account=ACCT2, tls=None, console=True),
      f"dave (SSO admin) restarts trail {TRAIL}")
f.add(record(at(15, 26, 30), dave.ident(), "cloudtrail.amazonaws.com", "GetTrailStatus",
             "eu-west-1", IP_DAVE, UA_CONSOLE, {"name": trail_arn2}, None,
             account=ACCT2, read_only=True, tls=None, console=True))
f.fill()

# serialise (file names and raw bytes), in timeline order per trail
for lf in FILES:
    lf.finish()


# --------------------------------------------------------------------------------------------
# digest files: us-east-1 of the main account, three consecutive hours


def digest_files():
    files = [lf for lf in FILES if lf.env == USE1]
    out = []
    prev_key = (f"AWSLogs/{ACCT}/CloudTrail-Digest/us-east-1/2026/11/20/"
                f"{ACCT}_CloudTrail-Digest_us-east-1_{TRAIL}_us-east-1_20261120T082741Z.json.gz")
    prev_hash = pick(HEX, 64)
    prev_sig = pick(HEX, 512)
    fingerprint = pick(HEX, 32)
    for start in (at(8, 27, 41), at(9, 27, 41), at(10, 27, 41)):
        end = start + dt.timedelta(hours=1)
        key = (f"AWSLogs/{ACCT}/CloudTrail-Digest/us-east-1/{end:%Y/%m/%d}/"
               f"{ACCT}_CloudTrail-Digest_us-east-1_{TRAIL}_us-east-1_{end:%Y%m%dT%H%M%SZ}.json.gz")
        logs = []
        for lf in files:
            if start <= lf.delivered < end:
                times = [r["eventTime"] for r in lf.records]
                logs.append({"s3Bucket": BUCKET, "s3Object": lf.key,
                             "hashValue": hashlib.sha256(lf.raw).hexdigest(),
                             "hashAlgorithm": "SHA-256",
                             "newestEventTime": max(times), "oldestEventTime": min(times)})
        d = {"awsAccountId": ACCT, "digestStartTime": iso(start), "digestEndTime": iso(end),
             "digestS3Bucket": BUCKET, "digestS3Object": key,
             "digestPublicKeyFingerprint": fingerprint,
             "digestSignatureAlgorithm": "SHA256withRSA",
             "newestEventTime": max((x["newestEventTime"] for x in logs), default=None),
             "oldestEventTime": min((x["oldestEventTime"] for x in logs), default=None),
             "previousDigestS3Bucket": BUCKET, "previousDigestS3Object": prev_key,
             "previousDigestHashValue": prev_hash, "previousDigestHashAlgorithm": "SHA-256",
             "previousDigestSignature": prev_sig, "logFiles": logs}
        raw = json.dumps(d, separators=(",", ":")).encode()
        out.append((key, raw, len(logs)))
        prev_key, prev_hash, prev_sig = key, hashlib.sha256(raw).hexdigest(), pick(HEX, 512)
    return out


DIGESTS = digest_files()


# --------------------------------------------------------------------------------------------
# CIS AWS Foundations v3.0.0 section 4 patterns, evaluated the way the metric filters read them
# (../../../shared/spec/cis-section4.md, "Exact strings"): an absent property never matches,
# `*` is a wildcard, `&&` binds tighter than `||`.

MISSING = object()


def get(r, path):
    for part in path.split("."):
        if not isinstance(r, dict) or part not in r:
            return MISSING
        r = r[part]
    return r


def eq(r, path, value):
    return get(r, path) == value


def ne(r, path, value):
    v = get(r, path)
    return v is not MISSING and v != value


def names(*n):
    return lambda r: get(r, "eventName") in n


SG6 = ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
       "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress", "CreateSecurityGroup",
       "DeleteSecurityGroup")


def cis_4_1(r):
    ec = get(r, "errorCode")
    if not isinstance(ec, str):
        return False
    return ec.endswith("UnauthorizedOperation") or (
        ec.startswith("AccessDenied") and ne(r, "sourceIPAddress", "delivery.logs.amazonaws.com")
        and ne(r, "eventName", "HeadBucket"))


CIS = {
    "4.1": cis_4_1,
    "4.2": lambda r: eq(r, "eventName", "ConsoleLogin") and ne(r, "additionalEventData.MFAUsed",
                                                                "Yes"),
    "4.2-sso": lambda r: (eq(r, "eventName", "ConsoleLogin")
                          and ne(r, "additionalEventData.MFAUsed", "Yes")
                          and eq(r, "userIdentity.type", "IAMUser")
                          and eq(r, "responseElements.ConsoleLogin", "Success")),
    "4.3": lambda r: (eq(r, "userIdentity.type", "Root")
                      and get(r, "userIdentity.invokedBy") is MISSING
                      and ne(r, "eventType", "AwsServiceEvent")),
    "4.4": names("DeleteGroupPolicy", "DeleteRolePolicy", "DeleteUserPolicy", "PutGroupPolicy",
                 "PutRolePolicy", "PutUserPolicy", "CreatePolicy", "DeletePolicy",
                 "CreatePolicyVersion", "DeletePolicyVersion", "AttachRolePolicy",
                 "DetachRolePolicy", "AttachUserPolicy", "DetachUserPolicy", "AttachGroupPolicy",
                 "DetachGroupPolicy"),
    "4.5": names("CreateTrail", "UpdateTrail", "DeleteTrail", "StartLogging", "StopLogging"),
    "4.6": lambda r: eq(r, "eventName", "ConsoleLogin") and eq(r, "errorMessage",
                                                               "Failed authentication"),
    "4.7": lambda r: eq(r, "eventSource", "kms.amazonaws.com") and names(
        "DisableKey", "ScheduleKeyDeletion")(r),
    "4.8": lambda r: eq(r, "eventSource", "s3.amazonaws.com") and names(
        "PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle",
        "PutBucketReplication", "DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle",
        "DeleteBucketReplication")(r),
    "4.9": lambda r: eq(r, "eventSource", "config.amazonaws.com") and names(
        "StopConfigurationRecorder", "DeleteDeliveryChannel", "PutDeliveryChannel",
        "PutConfigurationRecorder")(r),
    "4.10": names(*SG6),
    "4.11": names("CreateNetworkAcl", "CreateNetworkAclEntry", "DeleteNetworkAcl",
                  "DeleteNetworkAclEntry", "ReplaceNetworkAclEntry",
                  "ReplaceNetworkAclAssociation"),
    "4.12": names("CreateCustomerGateway", "DeleteCustomerGateway", "AttachInternetGateway",
                  "CreateInternetGateway", "DeleteInternetGateway", "DetachInternetGateway"),
    "4.13": names("CreateRoute", "CreateRouteTable", "ReplaceRoute",
                  "ReplaceRouteTableAssociation", "DeleteRouteTable", "DeleteRoute",
                  "DisassociateRouteTable"),
    "4.14": names("CreateVpc", "DeleteVpc", "ModifyVpcAttribute", "AcceptVpcPeeringConnection",
                  "CreateVpcPeeringConnection", "DeleteVpcPeeringConnection",
                  "RejectVpcPeeringConnection", "AttachClassicLinkVpc", "DetachClassicLinkVpc",
                  "DisableVpcClassicLink", "EnableVpcClassicLink"),
    "4.15": lambda r: eq(r, "eventSource", "organizations.amazonaws.com") and names(
        "AcceptHandshake", "AttachPolicy", "CreateAccount", "CreateOrganizationalUnit",
        "CreatePolicy", "DeclineHandshake", "DeleteOrganization", "DeleteOrganizationalUnit",
        "DeletePolicy", "DetachPolicy", "DisablePolicyType", "EnablePolicyType",
        "InviteAccountToOrganization", "LeaveOrganization", "MoveAccount",
        "RemoveAccountFromOrganization", "UpdatePolicy", "UpdateOrganizationalUnit")(r),
    "v5-4.10": names(*SG6, "ModifySecurityGroupRules"),
}
V3_ITEMS = ["4.1", "4.2", "4.2-sso", "4.3", "4.4", "4.5", "4.6", "4.7", "4.8", "4.9", "4.10",
            "4.11", "4.12", "4.13", "4.14", "4.15"]
SG_EVENTS = set(SG6) | {"ModifySecurityGroupRules"}


def actor(r):
    u = r["userIdentity"]
    how = ("console" if r.get("sessionCredentialFromConsole") == "true"
           or r["eventName"] == "ConsoleLogin" else "")
    ua = r.get("userAgent", "")
    if not how:
        how = ("Terraform" if "Terraform/" in ua else "aws-cli" if ua.startswith("aws-cli/")
               or ua.startswith("[aws-cli/") else ua.split("/")[0])
    mfa = get(r, "userIdentity.sessionContext.attributes.mfaAuthenticated")
    if r["eventName"] == "ConsoleLogin":
        mfa = {"Yes": "true", "No": "false"}.get(get(r, "additionalEventData.MFAUsed"), mfa)
    mfa_txt = f", MFA {mfa}" if mfa in ("true", "false") and how == "console" else ""
    if u["type"] == "IAMUser":
        return f"IAMUser {u['userName']} ({how}{mfa_txt})"
    if u["type"] == "AssumedRole":
        role, session = u["arn"].split("/", 2)[1:]
        return f"AssumedRole {role}/{session} ({how}{mfa_txt})"
    if u["type"] == "Root":
        return f"Root {u['accountId']} ({how}{mfa_txt})"
    if u["type"] == "WebIdentityUser":
        return f"WebIdentityUser {u['userName']}"
    return f"{u['type']} {u.get('invokedBy', '')}"


def rule_text(p):
    proto = {"-1": "all"}.get(p["ipProtocol"], p["ipProtocol"])
    ports = "" if p["ipProtocol"] == "-1" else (
        f"/{p['fromPort']}" if p.get("fromPort") == p.get("toPort")
        else f"/{p.get('fromPort')}-{p.get('toPort')}")
    cidrs = [x["cidrIp"] for x in p["ipRanges"].get("items", [])]
    cidrs += [x["cidrIpv6"] for x in p["ipv6Ranges"].get("items", [])]
    return f"{proto}{ports} {', '.join(cidrs)}"


def key_param(r):
    q, n = r.get("requestParameters") or {}, r["eventName"]
    if n in ("AuthorizeSecurityGroupIngress", "AuthorizeSecurityGroupEgress",
             "RevokeSecurityGroupIngress", "RevokeSecurityGroupEgress"):
        if "securityGroupRuleIds" in q:
            ids = [x["securityGroupRuleId"] for x in q["securityGroupRuleIds"]["items"]]
            return f"{q['groupId']} rule id {', '.join(ids)}"
        return f"{q['groupId']} " + "; ".join(rule_text(p) for p in q["ipPermissions"]["items"])
    if n == "CreateSecurityGroup":
        return f"{q['groupName']} in {q['vpcId']} -> {r['responseElements']['groupId']}"
    if n == "DeleteSecurityGroup":
        return q["groupId"]
    if n == "ModifySecurityGroupRules":
        m = q["ModifySecurityGroupRulesRequest"]
        rule = m["SecurityGroupRule"]["SecurityGroupRule"]
        return (f"{m['GroupId']} {m['SecurityGroupRule']['SecurityGroupRuleId']} := "
                f"{rule['IpProtocol']}/{rule['FromPort']} {rule['CidrIpv4']}")
    if n == "ConsoleLogin":
        return (f"{r['responseElements']['ConsoleLogin']}, MFAUsed="
                f"{get(r, 'additionalEventData.MFAUsed')}")
    if n in ("StopLogging", "StartLogging", "GetTrailStatus"):
        return q["name"]
    if n == "PutBucketPolicy":
        return q["bucketName"]
    if n == "CreateRoute":
        return f"{q['routeTableId']} {q['destinationCidrBlock']} -> {q['natGatewayId']}"
    if n == "AttachRolePolicy":
        return f"{q['roleName']} + {q['policyArn'].rsplit('/', 1)[1]}"
    if n == "ListUsers":
        return "iam:ListUsers"
    if n == "DescribeFlowLogs":
        return "ec2:DescribeFlowLogs"
    if n == "DescribeTrails":
        return "-"
    return "-"


# --------------------------------------------------------------------------------------------
# write everything


def write_gz(key, raw):
    path = HERE / key
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(raw, compresslevel=9, mtime=0))
    return path


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    total_gz = 0
    for lf in FILES:
        total_gz += write_gz(lf.key, lf.raw).stat().st_size
    for key, raw, _ in DIGESTS:
        total_gz += write_gz(key, raw).stat().st_size

    records = [(lf, r) for lf in FILES for r in lf.records]
    counts = {item: sum(1 for _, r in records if CIS[item](r)) for item in CIS}
    hits = [(lf, r) for lf, r in records
            if r["eventName"] in SG_EVENTS or any(CIS[i](r) for i in V3_ITEMS)]

    print(f"log files: {len(FILES)}, digest files: {len(DIGESTS)}, records: {len(records)}, "
          f"compressed bytes: {total_gz}")
    for lf in FILES:
        print(f"  {len(lf.records):3d}  {lf.key}")
    for key, _, n in DIGESTS:
        print(f"  ---  {key}  (digest, {n} log files)")
    print(f"CIS v3 4.10: {counts['4.10']}   CIS v5 4.10: {counts['v5-4.10']}")
    print("CIS v3 section 4: " + ", ".join(f"{i}: {counts[i]}" for i in V3_ITEMS))

    write_expected(records, counts, hits, total_gz)
    return 0


def write_expected(records, counts, hits, total_gz):
    short = {lf: lf.key.rsplit("/", 1)[1] for lf in FILES}
    lines = []
    w = lines.append
    w("# Example CloudTrail delivery: what is in it")
    w("")
    w("Generated by `generate.py` (this file too; do not edit by hand). Written for sgwatch: no")
    w("real account, key or address (documentation ranges 203.0.113.0/24, 198.51.100.0/24 and")
    w("192.0.2.0/24 only). One day, 2026-11-20, of a management-events trail, in the S3 layout")
    w("CloudTrail delivers: `AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/"
      "<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<16 chars>.json.gz`, each a gzip'd compact")
    w("`{\"Records\":[...]}`. The time in a file name is the end of its 5-minute window; every")
    w("record in the file falls in the 5 minutes before it, in increasing time order.")
    w("")
    w(f"Totals: **{len(FILES)} log files, {len(records)} records**, "
      f"{len(DIGESTS)} digest files, {total_gz} bytes compressed.")
    w("")
    w("| totals | count |")
    w("|---|---:|")
    w(f"| records | {len(records)} |")
    w(f"| CIS v3.0.0 4.10 matches (six eventNames; failed and dry-run calls included) | "
      f"{counts['4.10']} |")
    w(f"| CIS v5.0.0 4.10 matches (+ `ModifySecurityGroupRules`) | {counts['v5-4.10']} |")
    w("")
    w("CIS v3.0.0 section 4, every item, with the patterns of `../../../shared/spec/cis-section4.md`")
    w("(\"Exact strings\"); `4.2` is the plain pattern (4.2a there), `4.2-sso` the SSO variant (4.2b):")
    w("")
    w("| " + " | ".join(V3_ITEMS) + " |")
    w("|" + "---:|" * len(V3_ITEMS))
    w("| " + " | ".join(str(counts[i]) for i in V3_ITEMS) + " |")
    w("")
    w("## Log files")
    w("")
    w("| account | region | file | records | SG changes (v5 4.10) | CIS v3 events |")
    w("|---|---|---|---:|---:|---:|")
    for lf in FILES:
        sg = sum(1 for r in lf.records if CIS["v5-4.10"](r))
        cis = sum(1 for r in lf.records if any(CIS[i](r) for i in V3_ITEMS))
        w(f"| {lf.account} | {lf.region} | `{short[lf]}` | {len(lf.records)} | {sg} | {cis} |")
    w("")
    w("Digest files (not CloudTrail records; a scanner must skip them): "
      "`AWSLogs/123456789012/CloudTrail-Digest/us-east-1/2026/11/20/`")
    w("")
    for key, _, n in DIGESTS:
        w(f"- `{key.rsplit('/', 1)[1]}` — lists {n} log file(s)")
    w("")
    w("## Security-group changes and every CIS section-4 event")
    w("")
    w("Time is `eventTime` (UTC). \"CIS\" lists the v3.0.0 items the record matches; `v5` marks the")
    w("v5.0.0 4.10 pattern. `DescribeSecurityGroups` and `DescribeSecurityGroupRules` appear in")
    w("many files and match nothing.")
    w("")
    current = None
    for lf, r in hits:
        if lf is not current:
            current = lf
            w("")
            w(f"### `{short[lf]}` ({lf.account}, {lf.region}, {len(lf.records)} records)")
            w("")
            w("| time | eventName | actor | key parameter | errorCode | CIS | note |")
            w("|---|---|---|---|---|---|---|")
        items = [i for i in V3_ITEMS if CIS[i](r)]
        if CIS["v5-4.10"](r):
            items.append("v5")
        note = lf.notes.get(r["eventID"], "")
        err = r.get("errorCode", "")
        w(f"| {r['eventTime'][11:19]} | {r['eventName']} | {actor(r)} | {key_param(r)} | "
          f"{err} | {', '.join(items) or '-'} | {note} |")
    w("")
    w("## What to notice")
    w("")
    w(f"- CIS v3 4.10 counts {counts['4.10']} events and v5 counts {counts['v5-4.10']}: the one")
    w("  difference is bob's `ModifySecurityGroupRules` at 14:02:18 in eu-west-1, which opens")
    w("  postgres (tcp/5432) on `orders-db` to 0.0.0.0/0 by editing an existing rule in place.")
    w("  That is what the EC2 console's \"Edit inbound rules\" does; no Authorize call is made.")
    w("- 4.10 also counts calls that changed nothing: the dry run (`Client.DryRunOperation`) and")
    w("  the failed `RevokeSecurityGroupEgress` (`Client.InvalidPermission.NotFound`), as well as")
    w("  Terraform's routine removal of the default egress rule of a group it has just created.")
    w("- 4.1 counts `AccessDenied` (IAM) and `Client.UnauthorizedOperation` (EC2), not")
    w("  `Client.DryRunOperation`.")
    w("- 4.2 (plain) counts both failed sign-ins and carol's federated sign-in through IAM Identity")
    w("  Center (`MFAUsed: No` is normal there: MFA is checked by Identity Center); the SSO variant")
    w("  counts only bob's successful IAM-user sign-in without MFA.")
    w("- The trail of account 210987654321 is stopped by the root user at 15:03:47 and restarted")
    w("  at 15:26:12: there are no records in between (a stopped trail logs nothing). 4.3 counts")
    w("  every root record, the sign-in included; the root sign-in used MFA, so 4.2 does not.")
    w("- Two us-east-1 files share the stamp `20261120T0910Z` (CloudTrail may deliver several")
    w("  files for one window); one of them holds bob's activity, the other only background traffic.")
    w("- Background traffic that must match nothing: AWS Config (`invokedBy`"
      " config.amazonaws.com),")
    w("  SSM agent heartbeats, Lambda and ECS credential `AssumeRole`s by AWS services, Secrets")
    w("  Manager reads with their KMS `Decrypt`, Grafana's `GetMetricData`, `GetCallerIdentity`,")
    w("  `ListBuckets`, and many `Describe*` calls including `DescribeSecurityGroups`.")
    w("")
    w("## Shapes not confirmed by a real capture")
    w("")
    w("- `RevokeSecurityGroupIngress` by rule id: `requestParameters.securityGroupRuleIds.items[]"
      ".securityGroupRuleId`")
    w("  and `responseElements.revokedSecurityGroupRuleSet` follow the EC2 naming conventions; no")
    w("  captured event shows them (`../../../shared/spec/security-group-events.md`).")
    w("- `ModifySecurityGroupRules`: the request shape is the one public queries read; the")
    w("  response (`ModifySecurityGroupRulesResponse` with `xmlns`, `requestId`, `return`) follows")
    w("  other wrapped EC2 actions seen in captures.")
    w("- `DescribeSecurityGroupRules`/`DescribeFlowLogs`/`DescribeNatGateways` requests use the")
    w("  wrapped `<Action>Request` form with `{\"content\": ..., \"tag\": 1}` list members seen for")
    w("  other new EC2 actions.")
    w("- The digest files chain correctly (each `previousDigestHashValue` is the SHA-256 of the")
    w("  previous digest's uncompressed bytes, each `hashValue` the SHA-256 of the uncompressed")
    w("  log file), but the signatures are random: `aws cloudtrail validate-logs` would reject")
    w("  them. The first digest points to an earlier one that is not included, and eu-west-1 and")
    w("  account 210987654321 have no digests here.")
    w("")
    (HERE / "EXPECTED.md").write_text("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
