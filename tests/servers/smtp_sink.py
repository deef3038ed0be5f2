#!/usr/bin/python3
"""An SMTP server for the sink tests (tests/support/servers.h starts it). Run it with Debian's
/usr/bin/python3, which has python3-aiosmtpd.

Listens on 127.0.0.1 (--port 0: any free port), prints "READY <port>" on stdout once listening,
and appends each accepted message to the --record file as one JSON line:
  {"mail_from": "a@x", "rcpt_tos": ["b@y"], "data": "<UTF-8, invalid bytes replaced>",
   "data_b64": "<the exact DATA bytes after un-dot-stuffing>", "tls": false, "auth": "user"|null,
   "received": <Unix time in seconds, with fractions, when DATA ended>}
Options:
  --rcpt-status 451|550   answer RCPT TO with a temporary (451 4.3.0) or permanent (550 5.1.1) error
  --auth USER:PASSWORD    require AUTH (PLAIN or LOGIN, allowed without TLS) with these credentials
  --tls-cert F --tls-key F   offer STARTTLS with this certificate
  --require-tls           refuse MAIL before STARTTLS
  --implicit-tls          speak TLS from the first byte (smtps://) with --tls-cert/--tls-key
"""
import argparse
import asyncio
import base64
import json
import logging
import ssl
import sys
import time

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

RCPT_REPLIES = {
    451: "451 4.3.0 Temporary failure, try again later",
    550: "550 5.1.1 Mailbox unavailable",
}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record", required=True)
    parser.add_argument("--rcpt-status", type=int, choices=sorted(RCPT_REPLIES))
    parser.add_argument("--auth")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    parser.add_argument("--require-tls", action="store_true")
    parser.add_argument("--implicit-tls", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)

    record = open(args.record, "a", encoding="utf-8")

    class Handler:
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if args.rcpt_status:
                return RCPT_REPLIES[args.rcpt_status]
            envelope.rcpt_tos.append(address)
            return "250 OK"

        async def handle_DATA(self, server, session, envelope):
            received = time.time()
            data = envelope.original_content or b""
            login = session.auth_data
            entry = {
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "data": data.decode("utf-8", "replace"),
                "data_b64": base64.b64encode(data).decode("ascii"),
                "tls": args.implicit_tls or session.ssl is not None,
                "auth": login.decode("utf-8", "replace") if isinstance(login, bytes) else login,
                "received": received,
            }
            record.write(json.dumps(entry) + "\n")
            record.flush()
            return "250 2.0.0 Message accepted for delivery"

    def authenticator(server, session, envelope, mechanism, auth_data):
        if not args.auth or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        user, _, password = args.auth.partition(":")
        ok = auth_data.login == user.encode() and auth_data.password == password.encode()
        return AuthResult(success=ok, handled=False, auth_data=auth_data.login if ok else None)

    tls_context = None
    if args.tls_cert:
        tls_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls_context.load_cert_chain(args.tls_cert, args.tls_key)

    def factory():
        return SMTP(
            Handler(),
            hostname="sgwatch-test-smtp",
            tls_context=None if args.implicit_tls else tls_context,
            require_starttls=args.require_tls,
            auth_required=bool(args.auth),
            auth_require_tls=False,
            authenticator=authenticator if args.auth else None,
            timeout=30,
        )

    async def serve():
        server = await asyncio.get_running_loop().create_server(
            factory, "127.0.0.1", args.port, ssl=tls_context if args.implicit_tls else None)
        print(f"READY {server.sockets[0].getsockname()[1]}", flush=True)
        async with server:
            await server.serve_forever()

    try:
        asyncio.run(serve())
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
