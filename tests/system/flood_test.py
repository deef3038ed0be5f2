#!/usr/bin/env python3
"""Flood test of `sgwatch serve`'s backpressure (ctest: reduced; make bench: 60 s, docs/PERFORMANCE.md).

Starts a fresh `sgwatch serve` (127.0.0.1, its own state dir, --allow-unsigned) with a log group
fed by a JSON-lines push endpoint and a metric filter counting every pushed record, then:
  1. sustained rate: a few clients (--sustained-clients) push batches back to back for
     --sustained-seconds; the events/s the server stores is the sustained rate R;
  2. flood: --clients connections, in --processes client processes (one Python process cannot
     offer 10x on its own), offer 10x R (--factor) for --seconds, each on its own schedule (open
     loop: a new batch when its time comes, whatever happened to the last one). The batches
     answered 503 or 429 are offered again after the flood by the connection that was refused,
     in order, one at a time, as a sender that honours Retry-After does: nothing is sent before
     the last refusal's Retry-After, and repeated refusals wait longer (1, 2, 4, 8 s);
  3. all along (flood and drain), the server's VmRSS/VmHWM are sampled from /proc/<pid>/status
     and /healthz is asked on a new connection every 200 ms by a separate process.
Passes when: every event offered is stored exactly once (the filter's matched count from /metrics
equals the 2xx-acknowledged events, which equal the events offered, and reading the events back
(--read-back: GetLogEvents, or the stopped server's state.db) finds each event id offered once
and no other); every refusal was a 503/429 with Retry-After, /metrics counted as many, and
nothing else failed; the peak RSS stays under baseline + the margin the server's limits allow
(below); /healthz always answered 200 within --healthz-bound seconds; the clients offered at
least --min-factor times R.

The RSS margin: the listener holds at most `threads` (8) requests in progress, each with one
body (here a batch of --batch events, ~175 KB) and its decoded copies (a few times the body), and
at most `queued_connections` (64) accepted connections waiting, a few hundred bytes each; the
store's page cache is bounded by SQLite's cache_size. Allowing 16 MB per worker for malloc arenas
and working sets gives a margin of 128 MB over the RSS measured once the server is set up; an
unbounded queue or a leak per event grows far past it within a minute of flood.

Usage: flood_test.py SGWATCH SHARED_DIR [--seconds N] [--sustained-seconds N] [--clients N]
Exit status: 0 pass, 1 a criterion failed, 2 the server could not be set up.
"""
import argparse
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

PUSH_PATH, PUSH_KEY = "/ingest/flood", "flood-test-key"
GROUP, STREAM = "flood", "123456789012_CloudTrail_us-east-1"
MARGIN_MB = 128
TEMPLATE = ('{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/flood"},'
            '"eventTime":"%s","eventSource":"ec2.amazonaws.com","eventName":"AuthorizeSecurityGroupIngress",'
            '"awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7","requestParameters":{"groupId":'
            '"sg-0123456789abcdef0"},"eventID":"flood-%010d","recipientAccountId":"123456789012"}')
ID_RE = re.compile(r'"eventID":"flood-(\d{10})"')


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":", 1)
                values[key] = int(value.split()[0]) / 1024  # MB
    return values


class Server:
    def __init__(self, binary, work):
        self.port = free_port()
        config = work / "sgwatch.yaml"
        config.write_text(f"listen: 127.0.0.1:{self.port}\nstate-dir: {work / 'state'}\nallow-unsigned: true\n"
                          f"log-groups:\n  - name: {GROUP}\n    push:\n      path: {PUSH_PATH}\n"
                          f"      format: jsonl\n      api-key: {PUSH_KEY}\n")
        self.log = open(work / "serve.log", "w")
        self.proc = subprocess.Popen([str(binary), "serve", "--config", str(config)], stdout=subprocess.DEVNULL,
                                     stderr=self.log)
        deadline = time.time() + 30
        while self.get("/healthz", timeout=1)[0] != 200:
            if self.proc.poll() is not None or time.time() > deadline:
                raise SystemExit(f"flood_test: sgwatch serve did not start (see {work / 'serve.log'})")
            time.sleep(0.05)

    def get(self, path, timeout=10):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            conn.close()
            return response.status, body
        except OSError:
            return 0, b""

    def api(self, target, payload):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        conn.request("POST", "/", body=json.dumps(payload),
                     headers={"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": target})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        if response.status != 200:
            raise SystemExit(f"flood_test: {target}: HTTP {response.status}: {body[:300]!r}")
        return json.loads(body or b"{}")

    def metric(self, name, **labels):
        status, body = self.get("/metrics")
        if status != 200:
            return None
        total = 0.0
        for line in body.decode().splitlines():
            if not line.startswith(name + "{") and not line.startswith(name + " "):
                continue
            if all(f'{k}="{v}"' in line for k, v in labels.items()):
                total += float(line.rsplit(" ", 1)[1])
        return total

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


class Ledger:
    """What one client process offered and what the server answered, shared by its threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.batches = 0        # batches taken (first attempts)
        self.offered = 0        # events in first attempts
        self.acked = 0          # events in 2xx answers
        self.refused = 0        # events in 503/429 answers (each attempt)
        self.refusals = 0       # 503/429 answers
        self.unsent = 0         # attempts that failed before the whole request was sent (retried)
        self.bad = []           # anything else: other statuses, refusals without Retry-After, lost answers
        self.window_end = 0.0   # the end of the phase's offering window (time.monotonic)
        self.acked_in_window = 0
        self.finished = 0.0     # when the last refused batch was stored

    def take(self, count):
        """The process-local number of the next batch."""
        with self.lock:
            self.batches += 1
            self.offered += count
            return self.batches - 1

    def summary(self):
        with self.lock:
            return {"batches": self.batches, "offered": self.offered, "acked": self.acked,
                    "refused": self.refused, "refusals": self.refusals, "unsent": self.unsent,
                    "bad": self.bad[:20], "bad_count": len(self.bad), "acked_in_window": self.acked_in_window,
                    "finished": self.finished}


class Client:
    """One connection that pushes batches, kept alive until the server says close. A batch is
    offered once when its time comes; the refused ones wait in `pending` and are offered again
    by drain(), in order, one at a time, after Retry-After, backing off on repeated refusals."""

    HEAD, MIDDLE = TEMPLATE.encode().split(b"%s")
    MIDDLE, TAIL = MIDDLE.split(b"%010d")

    def __init__(self, port, ledger, batch):
        self.port, self.ledger, self.batch = port, ledger, batch
        self.conn = None
        self.last_used = 0.0
        self.pending = []   # first seqs of refused batches, oldest first
        self.wait = 0.0     # the last refusal's wait

    def body(self, first):
        stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()).encode()
        head = self.HEAD + stamp + self.MIDDLE
        return b"".join([head + b"%010d" % seq + self.TAIL + b"\n" for seq in range(first, first + self.batch)])

    def send(self, first):
        """Pushes one batch once. Returns seconds to wait before a retry, or None when stored."""
        body = self.body(first)
        if self.conn is not None and time.monotonic() - self.last_used > 1.0:
            # The server closes a connection idle for 2 s; a request sent as it closes would be
            # reset with no way to tell whether it was read. Idle connections are not reused.
            self.close()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            self.conn.request("POST", PUSH_PATH, body=body,
                              headers={"Content-Type": "application/x-ndjson", "x-api-key": PUSH_KEY})
        except OSError:
            # The request did not leave whole (refused connect, or the server closed the connection
            # before reading the body): nothing can have been stored.
            self.close()
            with self.ledger.lock:
                self.ledger.unsent += 1
            return 1.0
        try:
            response = self.conn.getresponse()
            answer = response.read()
            self.last_used = time.monotonic()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            with self.ledger.lock:
                self.ledger.bad.append(f"batch {first}: no answer after the request was sent: {error!r} "
                                       f"(at {time.strftime('%H:%M:%S')})")
            return None  # unknowable: counted as a failure, not retried (it could be stored)
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        with self.ledger.lock:
            if 200 <= response.status < 300:
                self.ledger.acked += self.batch
                if self.last_used <= self.ledger.window_end:
                    self.ledger.acked_in_window += self.batch
                return None
            if response.status in (429, 503):
                self.ledger.refused += self.batch
                self.ledger.refusals += 1
                retry_after = response.getheader("Retry-After")
                if retry_after is None or not retry_after.strip().isdigit():
                    self.ledger.bad.append(f"batch {first}: {response.status} without a Retry-After")
                    return 1.0
                return float(retry_after)
            self.ledger.bad.append(f"batch {first}: HTTP {response.status}: {answer[:200]!r}")
            return None

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def offer(self, first):
        wait = self.send(first)
        if wait is not None:
            self.pending.append(first)
            self.wait = max(self.wait, wait)

    def drain(self):
        """Offers the refused batches again, oldest first, as a sender that honours Retry-After
        does: nothing is sent until the last refusal's wait has passed, and repeated refusals
        wait longer (1, 2, 4, 8, 8 ... s, as the AWS SDKs back off)."""
        refusals = 1 if self.pending else 0
        index = 0
        while index < len(self.pending):
            time.sleep(max(self.wait, min(2 ** (refusals - 1), 8)) if refusals else 0)
            wait = self.send(self.pending[index])
            if wait is None:
                index += 1
                refusals = 0
            else:
                refusals += 1
                self.wait = wait
        self.pending = []


def client_process(port, index, processes, threads, batch, start_at, seconds, interval, base, results):
    """One client process of a phase: `threads` connections, each offering a batch every
    `interval` s (0: back to back) from `start_at` (time.monotonic, the same clock in every
    process) for `seconds`, then draining what was refused. Its b-th batch starts at event
    base + (b * processes + index) * batch, so the processes' events never overlap."""
    ledger = Ledger()
    end = ledger.window_end = start_at + seconds
    connections = processes * threads

    def worker(thread):
        client = Client(port, ledger, batch)
        # The phase's connections are spread evenly over one interval.
        next_at = start_at + (interval * (index + processes * thread) / connections if interval else 0)
        while True:
            now = time.monotonic()
            if now >= end:
                break
            if now < next_at:
                time.sleep(min(next_at - now, end - now))
                continue
            local = ledger.take(batch)
            client.offer(base + (local * processes + index) * batch)
            next_at += interval
        client.drain()
        client.close()

    workers = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    ledger.finished = time.monotonic()
    results.put((index, ledger.summary()))


class Phase:
    """What every client process of one phase offered and was answered, and which events."""

    def __init__(self, base, batch, processes, summaries):
        self.base, self.batch, self.processes = base, batch, processes
        self.summaries = summaries  # by process index
        for key in ("offered", "acked", "refused", "refusals", "unsent", "acked_in_window"):
            setattr(self, key, sum(s[key] for s in summaries))
        self.bad = [line for s in summaries for line in s["bad"]]
        self.bad_count = sum(s["bad_count"] for s in summaries)
        self.end = base + max(s["batches"] for s in summaries) * processes * batch
        self.finished = max(s["finished"] for s in summaries)

    def firsts(self):
        """The first event of every batch offered."""
        for index, s in enumerate(self.summaries):
            for local in range(s["batches"]):
                yield self.base + (local * self.processes + index) * self.batch


def run_clients(port, base, clients, batch, seconds, interval, processes):
    """Runs one phase: `clients` connections in up to `processes` processes (the clients of one
    Python process share one core), the events numbered from `base`."""
    import multiprocessing
    context = multiprocessing.get_context("spawn")
    processes = max(1, min(processes, clients))
    results = context.Queue()
    start_at = time.monotonic() + 1.0  # every process started and ready
    children = [context.Process(target=client_process, args=(
        port, index, processes, clients // processes + (index < clients % processes), batch, start_at, seconds,
        interval, base, results)) for index in range(processes)]
    for child in children:
        child.start()
    summaries = dict(results.get() for _ in children)
    for child in children:
        child.join()
    phase = Phase(base, batch, processes, [summaries[i] for i in range(processes)])
    phase.started = start_at
    return phase


def ids_from_store(state_db):
    """Every flood event id in the stopped server's store, with repeats: SQLite read directly,
    because reading millions of events back through GetLogEvents takes longer than the flood."""
    import sqlite3
    with sqlite3.connect(f"file:{state_db}?mode=ro", uri=True) as db:
        for (message,) in db.execute("SELECT message FROM log_events"):
            for m in ID_RE.findall(message):
                yield int(m)


def ids_from_api(server):
    """Every flood event id in the log stream, with repeats (GetLogEvents, oldest first)."""
    token = None
    while True:
        request = {"logGroupName": GROUP, "logStreamName": STREAM, "startFromHead": True, "limit": 10000}
        if token:
            request["nextToken"] = token
        page = server.api("Logs_20140328.GetLogEvents", request)
        for event in page.get("events", []):
            for m in ID_RE.findall(event["message"]):
                yield int(m)
        if not page.get("events") or page.get("nextForwardToken") == token:
            return
        token = page["nextForwardToken"]


def check_ids(ids, phases):
    """Compares the stored event ids with the batches the phases offered, in a bitmap (millions
    of ids). Returns (stored, distinct, missing, unexpected)."""
    size = max(p.end for p in phases)
    offered = bytearray(size)
    for phase in phases:
        for first in phase.firsts():
            offered[first:first + phase.batch] = b"\x01" * phase.batch
    seen = bytearray(size)
    stored = distinct = unexpected = 0
    for i in ids:
        stored += 1
        if i >= size or not offered[i]:
            unexpected += 1
        elif not seen[i]:
            seen[i] = 1
            distinct += 1
    missing = offered.count(1) - distinct
    return stored, distinct, missing, unexpected


def probe_healthz(port, bound):
    """--probe mode: GET /healthz on a new connection every 200 ms until stdin has a line; prints
    "<status> <seconds>" per probe."""
    stop = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.readline(), stop.set()), daemon=True).start()
    while not stop.is_set():
        t0 = time.monotonic()
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=bound + 8)
            conn.request("GET", "/healthz")
            response = conn.getresponse()
            response.read()
            conn.close()
            status = response.status
        except (OSError, http.client.HTTPException):
            status = 0
        print(status, f"{time.monotonic() - t0:.4f}", flush=True)
        stop.wait(0.2)
    return 0


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--probe":
        return probe_healthz(int(sys.argv[2]), float(sys.argv[4]))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sgwatch")
    ap.add_argument("shared_dir")
    ap.add_argument("--seconds", type=float, default=12, help="flood duration (make bench: 60)")
    ap.add_argument("--sustained-seconds", type=float, default=4)
    ap.add_argument("--sustained-clients", type=int, default=4)
    ap.add_argument("--clients", type=int, default=64, help="flood connections")
    ap.add_argument("--factor", type=float, default=10, help="offered rate / sustained rate")
    ap.add_argument("--min-factor", type=float, default=8,
                    help="fail when the clients offered less than this times the sustained rate")
    ap.add_argument("--processes", type=int, default=4, help="client processes (each one Python core at most)")
    ap.add_argument("--batch", type=int, default=500, help="events per request")
    ap.add_argument("--healthz-bound", type=float, default=2.0, help="seconds /healthz may take")
    ap.add_argument("--work", help="work directory (default: a temporary one, removed)")
    ap.add_argument("--json", help="write the results here as JSON")
    ap.add_argument("--read-back", choices=["api", "store"], default="api",
                    help="how stored events are read back: GetLogEvents, or the stopped server's state.db "
                         "(make bench: millions of events)")
    a = ap.parse_args()

    work = Path(a.work) if a.work else Path(tempfile.mkdtemp(prefix="sgwatch-flood-"))
    shutil.rmtree(work / "state", ignore_errors=True)
    work.mkdir(parents=True, exist_ok=True)
    server = Server(Path(a.sgwatch).resolve(), work)
    failures = []
    try:
        server.api("Logs_20140328.PutMetricFilter", {
            "logGroupName": GROUP, "filterName": "flood-events",
            "filterPattern": "{ $.eventName = AuthorizeSecurityGroupIngress }",
            "metricTransformations": [{"metricName": "FloodEvents", "metricNamespace": "sgwatch-flood",
                                       "metricValue": "1"}]})
        # Warm up (the stream is created, SQLite's pages are touched), then take the baseline.
        warm = run_clients(server.port, 0, 1, a.batch, 0.5, 0, 1)
        at_baseline = proc_status(server.proc.pid)
        baseline = at_baseline["VmRSS"]

        steady = run_clients(server.port, warm.end, a.sustained_clients, a.batch, a.sustained_seconds, 0,
                             a.processes)
        sustained = steady.acked / (steady.finished - steady.started)
        if steady.bad_count or steady.refusals:
            failures.append(f"sustained phase: {steady.refusals} refusals, {steady.bad[:3]}")
        sustained_status = proc_status(server.proc.pid)

        # The flood, with the RSS sampler and the /healthz prober beside it.
        offered_rate = a.factor * sustained
        interval = a.clients * a.batch / offered_rate
        samples = []
        done = threading.Event()

        def sample():
            while not done.is_set():
                samples.append(proc_status(server.proc.pid))
                done.wait(0.1)

        # The prober is its own process, so that nothing in this one delays it.
        prober = subprocess.Popen([sys.executable, __file__, "--probe", str(server.port), "--healthz-bound",
                                   str(a.healthz_bound)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        sampler = threading.Thread(target=sample)
        sampler.start()
        flood = run_clients(server.port, steady.end, a.clients, a.batch, a.seconds, interval, a.processes)
        done.set()
        sampler.join()
        out, _ = prober.communicate("stop\n", timeout=60)
        probes = [(int(line.split()[0]), float(line.split()[1])) for line in out.splitlines() if line.strip()]
        hwm = proc_status(server.proc.pid)["VmHWM"]  # before the read-back below, which builds pages

        # Everything offered (warm-up, sustained, flood) must be stored exactly once.
        phases = [warm, steady, flood]
        offered_total = sum(p.offered for p in phases)
        acked_total = sum(p.acked for p in phases)
        matched = server.metric("sgwatch_metric_filter_matches_total", log_group=GROUP)
        refused_counted = server.metric("sgwatch_http_refused_total")
        refusals_seen = sum(p.refusals for p in phases)
        if a.read_back == "api":
            stored, distinct, missing, unexpected = check_ids(ids_from_api(server), phases)
        else:
            server.stop()
            stored, distinct, missing, unexpected = check_ids(ids_from_store(work / "state" / "state.db"), phases)
        peak_rss = max(s["VmRSS"] for s in samples)
        worst_probe = max(p[1] for p in probes)
        slow = [p for p in probes if p[0] != 200 or p[1] > a.healthz_bound]
        factor = flood.offered / a.seconds / sustained

        results = {
            "sustained_events_per_second": round(sustained),
            "offered_events_per_second": round(flood.offered / a.seconds),
            "offered_factor": round(factor, 2),
            "flood_seconds": a.seconds, "flood_clients": a.clients, "client_processes": a.processes,
            "batch": a.batch,
            "flood_stored_events_per_second": round(flood.acked_in_window / a.seconds),
            "refusals_503_429": flood.refusals, "server_refusals_counted": refused_counted, "refused_events": flood.refused, "unsent_attempts": flood.unsent,
            "refused_in_window_events": flood.offered - flood.acked_in_window,
            "drain_seconds": round(flood.finished - flood.started - a.seconds, 1),
            "offered_total": offered_total, "acked_total": acked_total, "matched": matched,
            "stored_ids": stored, "distinct_ids": distinct, "missing_ids": missing, "unexpected_ids": unexpected,
            "rss_baseline_mb": round(baseline, 1), "rss_after_sustained_mb": round(sustained_status["VmRSS"], 1),
            "rss_peak_mb": round(peak_rss, 1), "vm_hwm_mb": round(hwm, 1),
            "vm_hwm_at_baseline_mb": round(at_baseline["VmHWM"], 1), "rss_bound_mb": round(baseline + MARGIN_MB),
            "healthz_probes": len(probes), "healthz_max_s": round(worst_probe, 3),
            "healthz_p50_s": round(sorted(p[1] for p in probes)[len(probes) // 2], 3),
            "healthz_p99_s": round(sorted(p[1] for p in probes)[len(probes) * 99 // 100], 3),
        }
        print(json.dumps(results, indent=2))
        if a.json:
            Path(a.json).write_text(json.dumps(results, indent=2) + "\n")

        bad = [line for p in phases for line in p.bad]
        if any(p.bad_count for p in phases):
            failures.append(f"{sum(p.bad_count for p in phases)} answers neither 2xx nor a clear refusal, "
                            f"first: {bad[0]}")
        if not (offered_total == acked_total == matched == stored == distinct) or missing or unexpected:
            failures.append(f"events: offered {offered_total}, acknowledged {acked_total}, matched {matched}, "
                            f"stored {stored} ({distinct} distinct, {missing} missing, {unexpected} never offered)")
        if refused_counted != refusals_seen:
            failures.append(f"/metrics counted {refused_counted} refusals, the clients saw {refusals_seen}")
        # VmHWM may come from the start (before the baseline); it counts once it grew after it.
        peak = max(peak_rss, hwm if hwm > at_baseline["VmHWM"] else 0)
        if peak > baseline + MARGIN_MB:
            failures.append(f"memory: peak RSS {peak:.1f} MB over the bound {baseline + MARGIN_MB:.1f} MB")
        if slow:
            failures.append(f"/healthz: {len(slow)} of {len(probes)} probes failed or took over "
                            f"{a.healthz_bound:g} s (worst {worst_probe:.2f} s)")
        if factor < a.min_factor:
            failures.append(f"the clients offered {factor:.1f}x the sustained rate, under --min-factor "
                            f"{a.min_factor:g}: the flood was weaker than asked")
    finally:
        server.stop()
        if not a.work:
            shutil.rmtree(work, ignore_errors=True)
    for f in failures:
        print(f"flood_test: FAIL: {f}", file=sys.stderr)
    print("flood_test: " + ("FAIL" if failures else "PASS"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
