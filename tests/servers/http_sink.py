#!/usr/bin/python3
"""A scriptable HTTP(S) endpoint for the sink tests (tests/support/servers.h starts it).

Listens on 127.0.0.1 (port 0: any free port), prints "READY <port>" on stdout once listening,
and appends each request it receives to the --record file as one JSON line:
  {"method": "POST", "path": "/hook?x=1", "headers": [["Host", "..."], ...],
   "body": "<UTF-8, invalid bytes replaced>", "body_b64": "<the exact bytes>", "tls": false}
The line is written before the answer is sent. Answers, in order of requests:
  --script FILE   a JSON array of {"status": 503, "body": "...", "delay_ms": 0,
                  "headers": {"Content-Type": "..."}} used one per request, then the defaults;
  --statuses 503,503,200   the same with statuses only;
  then --status (default 200), --body (default ""), --delay-ms (default 0) for every request.
--cert/--key serve HTTPS with that certificate. Any method is accepted.
"""
import argparse
import base64
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record", required=True)
    parser.add_argument("--script")
    parser.add_argument("--statuses", default="")
    parser.add_argument("--status", type=int, default=200)
    parser.add_argument("--body", default="")
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    args = parser.parse_args()

    queue = []
    if args.script:
        with open(args.script, encoding="utf-8") as f:
            queue = list(json.load(f))
    queue += [{"status": int(s)} for s in args.statuses.split(",") if s.strip()]
    lock = threading.Lock()
    record = open(args.record, "a", encoding="utf-8")

    def next_answer():
        with lock:
            answer = queue.pop(0) if queue else {}
        return {
            "status": answer.get("status", args.status),
            "body": answer.get("body", args.body),
            "delay_ms": answer.get("delay_ms", args.delay_ms),
            "headers": answer.get("headers", {}),
        }

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def handle_any(self):
            length = int(self.headers.get("Content-Length", "0") or "0")
            body = self.rfile.read(length) if length > 0 else b""
            entry = {
                "method": self.command,
                "path": self.path,
                "headers": [[k, v] for k, v in self.headers.items()],
                "body": body.decode("utf-8", "replace"),
                "body_b64": base64.b64encode(body).decode("ascii"),
                "tls": isinstance(self.connection, ssl.SSLSocket),
            }
            with lock:
                record.write(json.dumps(entry) + "\n")
                record.flush()
            answer = next_answer()
            if answer["delay_ms"]:
                time.sleep(answer["delay_ms"] / 1000.0)
            payload = answer["body"].encode("utf-8")
            try:
                self.send_response(answer["status"])
                headers = {"Content-Type": "text/plain; charset=utf-8"}
                headers.update(answer["headers"])
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass

        do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = handle_any

        def log_message(self, format, *args):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(f"READY {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
