#!/usr/bin/env python3
"""Kill -9 crash test of `sgwatch serve` (docs/operations.md, "Crash safety").

A stream with known ground truth goes into one `sgwatch serve` state directory while the server
is killed with SIGKILL at random moments and restarted, again and again:
  - a log group fed by a folder of CloudTrail files (some gzip'd, some large enough to make
    several PutLogEvents batches), written into the folder while the server runs and while it is
    down;
  - a log group fed by an HTTP push endpoint (--push-format: firehose, as Amazon Data Firehose
    sends it, by default; or jsonl), each request retried by the sender until it is answered 2xx,
    as Firehose and EventBridge retry (Firehose under the same request id);
  - per group, K metric filters, each matching AuthorizeSecurityGroupIngress on its own security
    group, each with an alarm (Sum >= 1 over 300 s, TreatMissingData=ignore, so that once in ALARM
    it stays there) whose AlarmActions publish to one SNS topic;
  - an HTTP endpoint in this process, subscribed to the topic (confirmed through its SubscribeURL)
    and recording every POST; it lives across the restarts.
Kills land right after a start, during ingest, during delivery and while idle. A last clean run
drains the outbox. Then:
  - every alarm's ALARM notification arrived, under one MessageId per alarm and no other
    notification; a MessageId received more than once carries the same bytes each time, a kill
    lies between any two of its copies (a delivery in flight at the kill), and the repeats are at
    most the number of kills;
  - the stored log events are exactly the records written: each folder record once; each pushed
    record once (firehose: the request id makes a retry store nothing twice); with jsonl, plus at
    most once more for each attempt of its request whose answer was lost to a kill (the sender
    cannot know whether it was stored, and sends it again);
  - GetMetricStatistics Sum of each filter's metric equals the matching records written (plus
    those resent as above) and the matching records stored; every alarm is in ALARM.

Setup and checks go through boto3 (else the AWS CLI). Exit status 0 when every check holds, 1
when one fails (the seed is printed: --seed reproduces the stream and the kill delays), 2 on a
usage or environment error. Neighbours: tests/CMakeLists.txt (the reduced form in ctest),
Makefile `bench` (the full form), tests/conformance/store_crash_test.cpp (the store-level test).
"""
import argparse
import base64
import collections
import ctypes
import datetime
import gzip
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

KEY, SECRET = "AKIASGWATCHCRASH0001", "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d"
REGION, ACCOUNT = "us-east-1", "123456789012"
PUSH_KEY = "crash-push-key-5e1d"
PUSH_PATH = "/ingest/crash"
FOLDER_GROUP, PUSH_GROUP = "crash/folder", "crash/push"
TOPIC = "CrashTestAlarms"
NAMESPACE = "CrashTest"

# One POST the receiver got: `sender_gone` when the sender had closed its end (it was killed)
# before the answer: a delivery in flight at a kill.
Post = collections.namedtuple("Post", "headers body parsed at sender_gone")


class Failure(Exception):
    """A check that did not hold (exit 1)."""


class Broken(Exception):
    """The environment or the invocation is not usable (exit 2)."""


def log(message):
    print(f"crash_test: {message}", flush=True)


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- The AWS API: boto3 when importable, else the AWS CLI ---------------------------------------

class Aws:
    def __init__(self, endpoint):
        self.endpoint = endpoint
        self.clients = {}
        try:
            import boto3
            import botocore.config
            self.session = boto3.session.Session(aws_access_key_id=KEY, aws_secret_access_key=SECRET,
                                                 region_name=REGION)
            self.config = botocore.config.Config(connect_timeout=5, read_timeout=60,
                                                 retries={"max_attempts": 1, "mode": "standard"})
            self.cli = None
            self.how = f"boto3 {boto3.__version__}"
        except ImportError:
            self.session = None
            self.cli = shutil.which("aws") or ("/usr/bin/aws" if os.access("/usr/bin/aws", os.X_OK) else None)
            if not self.cli:
                raise Broken("the AWS API: neither boto3 (import boto3) nor the AWS CLI (aws) is available")
            self.how = f"AWS CLI {self.cli}"

    def call(self, service, operation, **params):
        if self.session:
            if service not in self.clients:
                self.clients[service] = self.session.client(service, endpoint_url=self.endpoint, config=self.config)
            method = re.sub(r"(?<!^)(?=[A-Z])", "_", operation).lower()
            answer = getattr(self.clients[service], method)(**params)
            answer.pop("ResponseMetadata", None)
            return answer
        env = dict(os.environ, AWS_ACCESS_KEY_ID=KEY, AWS_SECRET_ACCESS_KEY=SECRET, AWS_DEFAULT_REGION=REGION)
        for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
            env.pop(name, None)
        command = [self.cli, "--endpoint-url", self.endpoint, "--region", REGION, "--output", "json", service,
                   re.sub(r"(?<!^)(?=[A-Z])", "-", operation).lower(), "--cli-input-json", json.dumps(params)]
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
        if done.returncode != 0:
            raise Failure(f"aws {service} {operation}: {done.stderr.strip()}")
        return json.loads(done.stdout) if done.stdout.strip() else {}


# --- The notification receiver ------------------------------------------------------------------

class Receiver:
    """An HTTP endpoint recording every POST (kept across serve restarts)."""

    def __init__(self, delay_ms):
        self.lock = threading.Lock()
        self.posts = []  # Post
        self.timeline = []  # each POST's time, peer port and MessageId (kept on failure)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                arrived = time.monotonic()
                length = int(self.headers.get("Content-Length", "0") or "0")
                body = self.rfile.read(length) if length > 0 else b""
                try:
                    parsed = json.loads(body)
                except ValueError:
                    parsed = None
                # A killed sender's end is closed by then (read late on a loaded machine, its
                # request may be read after the kill): end of stream or a reset.
                try:
                    gone = self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
                except BlockingIOError:
                    gone = False
                except OSError:
                    gone = True
                with receiver.lock:
                    receiver.posts.append(Post({k.lower(): v for k, v in self.headers.items()}, body, parsed,
                                               arrived, gone))
                    receiver.timeline.append({"at": arrived, "port": self.client_address[1], "sender_gone": gone,
                                              "message_id": parsed.get("MessageId") if isinstance(parsed, dict)
                                              else None})
                if delay_ms:
                    time.sleep(delay_ms / 1000.0)
                try:
                    self.send_response(200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                except OSError:
                    pass

            def log_message(self, format, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a connection the killed server dropped

        self.server = Server(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alarms"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def snapshot(self):
        with self.lock:
            return list(self.posts)

    def notifications(self):
        return [p for p in self.snapshot() if isinstance(p[2], dict) and p[2].get("Type") == "Notification"]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# --- The server under test ----------------------------------------------------------------------

def die_with_parent():
    # The server must not outlive this script, even when the script itself is killed.
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


class Serve:
    def __init__(self, binary, config, state, port, log_path):
        self.argv = [binary, "serve", "--config", str(config), "--state-dir", str(state), "--listen",
                     f"127.0.0.1:{port}"]
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = log_path
        self.proc = None
        self.starts = 0
        self.kill_times = []  # time.monotonic() once each SIGKILLed server was gone
        self.start_times = []

    def start(self):
        self.starts += 1
        self.start_times.append(time.monotonic())
        with open(self.log_path, "a") as f:
            f.write(f"--- start {self.starts}\n")
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=open(self.log_path, "a"), start_new_session=True,
                                     preexec_fn=die_with_parent)

    def check_alive(self):
        if self.proc is not None and self.proc.poll() is not None:
            raise Failure(f"sgwatch serve exited by itself with status {self.proc.returncode}; "
                          f"its stderr:\n{self.tail()}")

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self.check_alive()
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.02)
        raise Failure(f"sgwatch serve did not listen on {self.port} within {timeout} s")

    def kill(self):
        """SIGKILL to the server's process group; waits until it is gone."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        self.proc = None
        self.kill_times.append(time.monotonic())

    def stop(self):
        """SIGTERM, as systemd stops it; the exit status."""
        if self.proc is None:
            return 0
        self.proc.send_signal(signal.SIGTERM)
        try:
            status = self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()
            raise Failure("sgwatch serve did not stop within 30 s of SIGTERM")
        self.proc = None
        return status

    def tail(self, lines=30):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return ""


# --- The stream ---------------------------------------------------------------------------------

def group_id(kind, index):
    return f"sg-0{kind}{index:015x}"


def make_record(rng, event_name, gid):
    request_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    return {
        "eventVersion": "1.09",
        "userIdentity": {"type": "IAMUser", "principalId": "AIDAQ5Y2TGCDATQV6SRP",
                         "arn": f"arn:aws:iam::{ACCOUNT}:user/crash", "accountId": ACCOUNT,
                         "accessKeyId": "AKIAXW7UJ577KFYIAHIM", "userName": "crash"},
        "eventTime": None,  # stamped when written or sent
        "eventSource": "ec2.amazonaws.com",
        "eventName": event_name,
        "awsRegion": REGION,
        "sourceIPAddress": "198.51.100.%d" % rng.randrange(1, 255),
        "userAgent": "aws-cli/2.15.0",
        "requestParameters": {"groupId": gid, "ipProtocol": "tcp", "fromPort": 22, "toPort": 22,
                              "cidrIp": "0.0.0.0/0"},
        "responseElements": {"_return": True, "requestId": request_id},
        "requestID": request_id,
        "eventID": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    }


def first_unit(index, alarms, units):
    """The unit from which alarm `index`'s group is matched: the alarms fire spread over the stream."""
    return index * units // alarms


def make_unit(rng, kind, alarms, size, position, units):
    """`size` records of unit `position` (of `units`): matches of the groups of the alarms due by
    then, near misses and noise."""
    due = [i for i in range(alarms) if first_unit(i, alarms, units) <= position]
    records = []
    for _ in range(size):
        roll = rng.random()
        if roll < 0.3:
            records.append(make_record(rng, "AuthorizeSecurityGroupIngress", group_id(kind, rng.choice(due))))
        elif roll < 0.5:  # the group of an alarm, another API: no match
            records.append(make_record(rng, "DescribeSecurityGroups", group_id(kind, rng.randrange(alarms))))
        elif roll < 0.7:  # the API, another group: no match
            records.append(make_record(rng, "AuthorizeSecurityGroupIngress", group_id("e", rng.randrange(1 << 40))))
        else:
            records.append(make_record(rng, rng.choice(["DescribeInstances", "RunInstances", "ConsoleLogin"]),
                                       group_id("e", rng.randrange(1 << 40))))
    return records


def ensure_every_alarm_matches(rng, kind, alarms, units):
    matched = {r["requestParameters"]["groupId"] for unit in units for r in unit
               if r["eventName"] == "AuthorizeSecurityGroupIngress"}
    for index in range(alarms):
        if group_id(kind, index) not in matched:
            units[first_unit(index, alarms, len(units))].append(
                make_record(rng, "AuthorizeSecurityGroupIngress", group_id(kind, index)))


def matches(record):
    """The alarm group a record counts for (its groupId), or None."""
    return record["requestParameters"]["groupId"] if record["eventName"] == "AuthorizeSecurityGroupIngress" else None


class Producer(threading.Thread):
    """Writes the folder's files (atomically: written beside, then renamed in), paced."""

    def __init__(self, units, folder, scratch, gap, seed):
        super().__init__(daemon=True)
        self.units, self.folder, self.scratch, self.gap = units, folder, scratch, gap
        self.rng = random.Random(seed)
        self.written = 0
        self.error = None
        self.stop_pacing = threading.Event()

    def run(self):
        try:
            for index, unit in enumerate(self.units):
                if not self.stop_pacing.is_set():
                    self.stop_pacing.wait(self.rng.uniform(0, 2 * self.gap))
                stamp = now_iso()
                for record in unit:
                    record["eventTime"] = stamp
                text = json.dumps({"Records": unit}).encode()
                name = f"{ACCOUNT}_CloudTrail_{REGION}_{index:05d}.json"
                if index % 3 == 2:
                    text, name = gzip.compress(text), name + ".gz"
                day = self.folder / "AWSLogs" / ACCOUNT / "CloudTrail" / REGION / f"{index // 50:03d}"
                day.mkdir(parents=True, exist_ok=True)
                temporary = self.scratch / name
                temporary.write_bytes(text)
                os.replace(temporary, day / name)
                self.written = index + 1
        except Exception as error:  # reported by the main thread
            self.error = f"writing the CloudTrail files: {error}"


class Pusher(threading.Thread):
    """POSTs the push batches in order, each until it is answered 2xx. A batch whose request may
    have reached the server without an answer coming back (a kill mid-request) is marked
    ambiguous: it may be stored once more for each such attempt."""

    def __init__(self, units, url, gap, seed, deadline, push_format):
        super().__init__(daemon=True)
        self.units, self.url, self.gap, self.deadline = units, url, gap, deadline
        self.push_format = push_format
        self.rng = random.Random(seed)
        self.acknowledged = 0
        self.ambiguous = collections.Counter()  # batch -> attempts whose answer was lost
        self.log = []  # (time, batch, outcome)
        self.attempts = 0
        self.error = None
        self.stop_pacing = threading.Event()

    def run(self):
        try:
            for index, unit in enumerate(self.units):
                if not self.stop_pacing.is_set():
                    self.stop_pacing.wait(self.rng.uniform(0, 2 * self.gap))
                stamp = now_iso()
                for record in unit:
                    record["eventTime"] = stamp
                body, headers = self.request(index, unit)
                while True:
                    if time.monotonic() > self.deadline:
                        raise Failure(f"push batch {index} was never acknowledged")
                    self.attempts += 1
                    sent_at = time.monotonic()
                    outcome = self.send(index, body, headers)
                    self.log.append((sent_at, index, outcome))
                    if outcome == "stored":
                        break
                    time.sleep(0.05)
                self.acknowledged = index + 1
        except Exception as error:
            self.error = f"pushing: {error}"

    def request(self, index, unit):
        """The body and headers of batch `index`, the same for every attempt."""
        if self.push_format == "jsonl":
            body = "".join(json.dumps(r) + "\n" for r in unit).encode()
            return body, {"Content-Type": "application/x-ndjson", "x-api-key": PUSH_KEY}
        request_id = str(uuid.UUID(int=self.rng.getrandbits(128), version=4))
        body = json.dumps({"requestId": request_id, "timestamp": int(time.time() * 1000),
                           "records": [{"data": base64.b64encode(json.dumps(r).encode()).decode()} for r in unit]})
        return body.encode(), {"Content-Type": "application/json", "X-Amz-Firehose-Protocol-Version": "1.0",
                               "X-Amz-Firehose-Request-Id": request_id, "X-Amz-Firehose-Access-Key": PUSH_KEY}

    def send(self, index, body, headers):
        """"stored", "refused" (nothing was read) or "lost" (the answer was lost: maybe stored)."""
        request = urllib.request.Request(self.url, data=body, method="POST", headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                answer.read()
                if 200 <= answer.status < 300:
                    return "stored"
                raise Failure(f"push batch {index}: HTTP {answer.status}")
        except urllib.error.HTTPError as error:
            if error.code >= 500:  # a store failure between batches may leave part of it stored
                self.ambiguous[index] += 1
                return "lost"
            raise Failure(f"push batch {index}: HTTP {error.code}: {error.read()[:300]!r}")
        except urllib.error.URLError as error:
            if isinstance(error.reason, ConnectionRefusedError):
                return "refused"
            self.ambiguous[index] += 1
            return "lost"
        except (OSError, http.client.HTTPException):  # reset, closed mid-answer, timed out
            self.ambiguous[index] += 1
            return "lost"


# --- Setup --------------------------------------------------------------------------------------

def write_config(path, folder, push_format):
    path.write_text(
        f"region: {REGION}\n"
        f"account-id: \"{ACCOUNT}\"\n"
        "credentials:\n"
        f"  - access-key-id: {KEY}\n"
        f"    secret-access-key: {SECRET}\n"
        "log-groups:\n"
        f"  - name: {FOLDER_GROUP}\n"
        f"    cloudtrail-folder: {folder}\n"
        "    poll-seconds: 0.05\n"
        "    settle-seconds: 0.1\n"
        f"  - name: {PUSH_GROUP}\n"
        "    push:\n"
        f"      path: {PUSH_PATH}\n"
        f"      format: {push_format}\n"
        + ("      api-key-header: x-api-key\n" if push_format == "jsonl" else "")
        + f"      api-key: \"{PUSH_KEY}\"\n")


def alarm_names(alarms):
    return {f"crash-{kind}-{index}": (group, group_id(kind, index))
            for kind, group in (("f", FOLDER_GROUP), ("p", PUSH_GROUP)) for index in range(alarms)}


def set_up(aws, receiver, alarms):
    topic = aws.call("sns", "CreateTopic", Name=TOPIC)["TopicArn"]
    aws.call("sns", "Subscribe", TopicArn=topic, Protocol="http", Endpoint=receiver.url)
    for name, (group, gid) in alarm_names(alarms).items():
        aws.call("logs", "PutMetricFilter", logGroupName=group, filterName=name,
                 filterPattern=f"{{ ($.eventName = AuthorizeSecurityGroupIngress) && "
                               f"($.requestParameters.groupId = \"{gid}\") }}",
                 metricTransformations=[{"metricName": name, "metricNamespace": NAMESPACE, "metricValue": "1"}])
        aws.call("cloudwatch", "PutMetricAlarm", AlarmName=name, MetricName=name, Namespace=NAMESPACE,
                 Statistic="Sum", Period=300, Threshold=1, ComparisonOperator="GreaterThanOrEqualToThreshold",
                 EvaluationPeriods=1, TreatMissingData="ignore", AlarmActions=[topic])
    deadline = time.monotonic() + 30
    while True:
        confirmations = [p[2] for p in receiver.snapshot()
                         if isinstance(p[2], dict) and p[2].get("Type") == "SubscriptionConfirmation"]
        if confirmations:
            break
        if time.monotonic() > deadline:
            raise Failure("the HTTP subscription's SubscriptionConfirmation never arrived")
        time.sleep(0.05)
    with urllib.request.urlopen(confirmations[-1]["SubscribeURL"], timeout=10) as answer:
        if answer.status != 200:
            raise Failure(f"confirming the subscription: HTTP {answer.status}")
    subscriptions = aws.call("sns", "ListSubscriptionsByTopic", TopicArn=topic)["Subscriptions"]
    if len(subscriptions) != 1 or subscriptions[0]["SubscriptionArn"] in ("PendingConfirmation", ""):
        raise Failure(f"the HTTP subscription is not confirmed: {subscriptions}")
    return topic


# --- Checks -------------------------------------------------------------------------------------

def stored_events(aws, group):
    """eventID -> how many times it is stored in the group."""
    counts = collections.Counter()
    params = {"logGroupName": group, "limit": 10000}
    while True:
        page = aws.call("logs", "FilterLogEvents", **params)
        for event in page.get("events", []):
            counts[json.loads(event["message"])["eventID"]] += 1
        token = page.get("nextToken")
        if not token or not page.get("events"):
            return counts
        params["nextToken"] = token


def metric_sum(aws, name, start, end):
    answer = aws.call("cloudwatch", "GetMetricStatistics", Namespace=NAMESPACE, MetricName=name,
                      StartTime=start, EndTime=end, Period=60, Statistics=["Sum"])
    return sum(point["Sum"] for point in answer.get("Datapoints", []))


def check_everything(aws, receiver, topic, alarms, folder_units, push_units, ambiguous, kill_times, start, end,
                     exactly_once):
    problems = []
    names = alarm_names(alarms)
    by_group = {gid: name for name, (_, gid) in names.items()}

    # Notifications: one MessageId per alarm, its ALARM; repeats only of the same bytes.
    deliveries = receiver.notifications()
    bodies = collections.defaultdict(list)
    for headers, body, parsed, received, sender_gone in deliveries:
        if headers.get("x-amz-sns-message-id") != parsed.get("MessageId"):
            problems.append(f"header x-amz-sns-message-id {headers.get('x-amz-sns-message-id')} != body MessageId "
                            f"{parsed.get('MessageId')}")
        bodies[parsed.get("MessageId")].append((body, parsed, received, sender_gone))
    per_alarm = collections.defaultdict(list)
    for message_id, copies in bodies.items():
        if any(copy[0] != copies[0][0] for copy in copies):
            problems.append(f"MessageId {message_id} was delivered with different bytes")
        # A repeat is a delivery in flight at a kill: between two copies lies a kill, after the
        # first was read or with its sender already gone when it was read.
        ordered = sorted(copies, key=lambda copy: copy[2])
        for first, second in zip(ordered, ordered[1:]):
            if not any((first[3] or first[2] < k) and k < second[2] for k in kill_times):
                problems.append(f"MessageId {message_id} was delivered twice by one server run "
                                f"({second[2] - first[2]:.2f} s apart)")
        parsed = copies[0][1]
        try:
            alarm = json.loads(parsed["Message"])
        except (KeyError, ValueError):
            problems.append(f"MessageId {message_id}: the Message is not alarm JSON")
            continue
        if parsed.get("TopicArn") != topic:
            problems.append(f"MessageId {message_id}: TopicArn {parsed.get('TopicArn')}")
        per_alarm[(alarm.get("AlarmName"), alarm.get("NewStateValue"))].append(message_id)
    for name in names:
        got = per_alarm.get((name, "ALARM"), [])
        if len(got) != 1:
            problems.append(f"alarm {name}: {len(got)} distinct ALARM notifications, expected 1 ({got})")
    for (name, state), ids in per_alarm.items():
        if name not in names or state != "ALARM":
            problems.append(f"unexpected notification: {name} {state} ({len(ids)} MessageIds)")
    repeats = len(deliveries) - len(bodies)
    if repeats > len(kill_times):
        problems.append(f"{repeats} repeated deliveries for {len(kill_times)} kills")

    # Stored events: exactly the records written / pushed.
    expected_folder = collections.Counter(r["eventID"] for unit in folder_units for r in unit)
    stored_folder = stored_events(aws, FOLDER_GROUP)
    lost = set(expected_folder) - set(stored_folder)
    twice = {e: n for e, n in stored_folder.items() if n > 1}
    alien = set(stored_folder) - set(expected_folder)
    if lost or twice or alien:
        problems.append(f"{FOLDER_GROUP}: {len(lost)} records lost, {len(twice)} stored more than once, "
                        f"{len(alien)} never written (of {len(expected_folder)})")
    # With jsonl, a record may be stored once more for each attempt of its request whose answer
    # was lost; Firehose's request id leaves no such allowance.
    may_repeat = {} if exactly_once else {r["eventID"]: ambiguous[index] for index in ambiguous
                                          for r in push_units[index]}
    expected_push = {r["eventID"] for unit in push_units for r in unit}
    stored_push = stored_events(aws, PUSH_GROUP)
    lost = expected_push - set(stored_push)
    twice = {e: n for e, n in stored_push.items() if n > 1 + may_repeat.get(e, 0)}
    alien = set(stored_push) - expected_push
    if lost or twice or alien:
        problems.append(f"{PUSH_GROUP}: {len(lost)} records lost, {len(twice)} stored more often than sent "
                        f"with an answer lost, {len(alien)} never sent (of {len(expected_push)})")

    # Metrics: each filter's Sum equals its matching records written (pushed records whose answer
    # was lost may count twice), and equals what the stored events say.
    truth, allowance, as_stored = collections.Counter(), collections.Counter(), collections.Counter()
    for units, counts in ((folder_units, stored_folder), (push_units, stored_push)):
        for record in (r for unit in units for r in unit):
            name = by_group.get(matches(record))
            if name:
                truth[name] += 1
                allowance[name] += may_repeat.get(record["eventID"], 0)
                as_stored[name] += counts.get(record["eventID"], 0)
    for name in names:
        got = metric_sum(aws, name, start, end)
        if not truth[name] <= got <= truth[name] + allowance[name] or got != as_stored[name]:
            problems.append(f"metric {NAMESPACE}/{name}: Sum {got:g}, matching records written {truth[name]} "
                            f"(+{allowance[name]} resent), stored {as_stored[name]}")

    states = {a["AlarmName"]: a["StateValue"]
              for a in aws.call("cloudwatch", "DescribeAlarms", AlarmNamePrefix="crash-")["MetricAlarms"]}
    for name in names:
        if states.get(name) != "ALARM":
            problems.append(f"alarm {name} is {states.get(name)}, expected ALARM")
    stored_twice = sum(1 for e, n in stored_push.items() if n > 1)
    return problems, len(deliveries), len(bodies), repeats, stored_twice


# --- Main ---------------------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sgwatch", required=True, help="the sgwatch binary")
    parser.add_argument("--kills", type=int, default=20, help="SIGKILLs during the stream (the reduced form: 20)")
    parser.add_argument("--files", type=int, default=30, help="CloudTrail files written into the folder")
    parser.add_argument("--push-batches", type=int, default=20, help="requests to the push endpoint")
    parser.add_argument("--alarms", type=int, default=6, help="alarms per log group")
    parser.add_argument("--push-format", choices=["firehose", "jsonl"], default="firehose",
                        help="how the push endpoint is fed (firehose: exactly once through the request id)")
    parser.add_argument("--large-records", type=int, default=1500,
                        help="records of every 10th file (over 1 MB: several PutLogEvents batches)")
    parser.add_argument("--max-delay", type=float, default=1.2, help="longest run before a kill, in seconds")
    parser.add_argument("--receiver-delay-ms", type=int, default=30,
                        help="how long the HTTP endpoint holds each answer (widens the in-flight window)")
    parser.add_argument("--seed", type=int, default=None, help="the stream and kill delays (default: random)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="give up this many seconds after the setup (default: 120 + 3 per kill)")
    parser.add_argument("--work-dir", help="keep the state, files and logs here (default: a temporary directory)")
    args = parser.parse_args()
    if args.kills < 1 or args.files < 1 or args.push_batches < 1 or args.alarms < 1:
        raise Broken("--kills, --files, --push-batches and --alarms must be at least 1")
    binary = os.path.abspath(args.sgwatch)
    if not os.access(binary, os.X_OK):
        raise Broken(f"--sgwatch: {binary}: not an executable file")
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 32)
    log(f"seed {seed} (rerun with --seed {seed}); {args.kills} kills, {args.files} files, "
        f"{args.push_batches} push requests, {2 * args.alarms} alarms")
    began = time.monotonic()
    budget = args.timeout if args.timeout is not None else 120 + 3 * args.kills
    rng = random.Random(seed)

    work = args.work_dir and os.path.abspath(args.work_dir)
    temporary = None
    if work:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
    else:
        temporary = tempfile.mkdtemp(prefix="sgwatch-crash-")
        work = temporary
    work = Path(work)
    folder, scratch, state = work / "cloudtrail", work / "scratch", work / "state"
    for d in (folder, scratch):
        d.mkdir()
    config = work / "sgwatch.yaml"
    write_config(config, folder, args.push_format)

    # The stream, decided up front by the seed (eventTime is stamped when a unit goes out).
    stream = random.Random(rng.getrandbits(64))
    folder_units = [make_unit(stream, "f", args.alarms,
                              args.large_records if i % 10 == 9 else stream.randrange(5, 150), i, args.files)
                    for i in range(args.files)]
    push_units = [make_unit(stream, "p", args.alarms, stream.randrange(1, 60), i, args.push_batches)
                  for i in range(args.push_batches)]
    ensure_every_alarm_matches(stream, "f", args.alarms, folder_units)
    ensure_every_alarm_matches(stream, "p", args.alarms, push_units)

    receiver = Receiver(args.receiver_delay_ms)
    port = free_port()
    serve = Serve(binary, config, state, port, work / "serve.log")
    producer = pusher = None
    kills = 0
    ok = False
    try:
        aws = Aws(serve.url)
        log(f"AWS API through {aws.how}; work dir {work}")
        start_time = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")

        # Setup on a first run, which then is killed too.
        serve.start()
        serve.wait_ready()
        topic = set_up(aws, receiver, args.alarms)
        deadline = time.monotonic() + budget  # the setup is bounded on its own
        serve.kill()
        kills += 1
        log(f"set up {2 * args.alarms} filters and alarms, topic and HTTP subscription in "
            f"{time.monotonic() - began:.1f} s; killed")

        # The stream goes out over about the time the kills take.
        expected_loop = 0.6 * args.kills * (args.max_delay / 2 + 0.05)
        producer = Producer(folder_units, folder, scratch, expected_loop / args.files, rng.getrandbits(64))
        pusher = Pusher(push_units, serve.url + PUSH_PATH, expected_loop / args.push_batches, rng.getrandbits(64),
                        deadline, args.push_format)
        producer.start()
        pusher.start()
        phases = collections.Counter()
        for i in range(args.kills):
            if time.monotonic() > deadline:
                raise Failure(f"out of time after {kills} kills")
            # A fifth of the kills land right after the start (before or while it opens its store).
            delay = rng.uniform(0, 0.1) if rng.random() < 0.2 else rng.uniform(0.1, args.max_delay)
            before = len(receiver.notifications())
            serve.start()
            time.sleep(delay)
            serve.check_alive()
            serve.kill()
            kills += 1
            after = len(receiver.notifications())
            streaming = producer.written < len(folder_units) or pusher.acknowledged < len(push_units)
            phases["right after start" if delay < 0.1 else "while delivering" if after > before
                   else "during ingest" if streaming else "after ingest"] += 1
            if i % 5 == 4 or i == args.kills - 1:
                log(f"kill {i + 1}/{args.kills} after {delay:.2f} s: files {producer.written}/{len(folder_units)}, "
                    f"pushes {pusher.acknowledged}/{len(push_units)}, notifications {after}")
        log(f"kills: {dict(phases)}")

        # The last run: the rest of the stream goes out, the outbox drains.
        producer.stop_pacing.set()
        pusher.stop_pacing.set()
        serve.start()
        serve.wait_ready()
        producer.join(max(1, deadline - time.monotonic()))
        pusher.join(max(1, deadline - time.monotonic()))
        for thread in (producer, pusher):
            if thread.error:
                raise Failure(thread.error)
            if thread.is_alive():
                raise Failure("the stream did not go out in time")
        # The folder is read to its end, then every alarm's notification arrives (a delivery in
        # flight at the last kill may wait for its retry), then a moment more for late repeats.
        written = sum(len(u) for u in folder_units)
        while sum(stored_events(aws, FOLDER_GROUP).values()) < written and time.monotonic() < deadline:
            serve.check_alive()
            time.sleep(0.3)
        drain_until = min(deadline, time.monotonic() + 60)
        wanted = 2 * args.alarms
        while len({p[2].get("MessageId") for p in receiver.notifications()}) < wanted:
            serve.check_alive()
            if time.monotonic() > drain_until:
                break  # the checks below say what is missing
            time.sleep(0.1)
        settle_until = time.monotonic() + 1.0
        while time.monotonic() < settle_until:
            serve.check_alive()
            time.sleep(0.1)
        end_time = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        problems, deliveries, distinct, repeats, stored_twice = check_everything(
            aws, receiver, topic, args.alarms, folder_units, push_units, pusher.ambiguous, serve.kill_times, start_time,
            end_time, args.push_format == "firehose")
        status = serve.stop()
        if status != 0:
            problems.append(f"sgwatch serve exited with {status} on SIGTERM")
        records = sum(len(u) for u in folder_units) + sum(len(u) for u in push_units)
        log(f"{kills} kills, {serve.starts} starts; {records} records; {deliveries} notification deliveries, "
            f"{distinct} distinct MessageIds, {repeats} repeated; {sum(pusher.ambiguous.values())} push answers "
            f"lost to a kill ({pusher.attempts} attempts), {stored_twice} pushed records stored more than once; "
            f"{time.monotonic() - began:.1f} s")
        if problems:
            raise Failure("\n  ".join(["checks failed:"] + problems))
        ok = True
        log(f"PASS (seed {seed})")
        return 0
    finally:
        for thread in (producer, pusher):
            if thread:
                thread.stop_pacing.set()
        serve.kill()
        receiver.close()
        if not ok:
            log(f"server log (last lines of {work / 'serve.log'}):\n{serve.tail()}")
        if not ok or not temporary:
            with open(work / "timeline.json", "w") as f:
                json.dump({"starts": serve.start_times, "kills": serve.kill_times, "posts": receiver.timeline,
                           "pushes": pusher.log if pusher else []}, f, indent=1)
        if temporary and ok:
            shutil.rmtree(temporary, ignore_errors=True)
        elif not ok:
            log(f"kept {work} (seed {seed})")


def run():
    # A SIGTERM (ctest's timeout, a CI cancel) goes through the cleanup too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(2))
    try:
        return main()
    except Failure as failure:
        print(f"crash_test: FAIL: {failure}", file=sys.stderr, flush=True)
        return 1
    except Broken as broken:
        print(f"crash_test: {broken}", file=sys.stderr, flush=True)
        return 2


if __name__ == "__main__":
    sys.exit(run())
