"""HTTP front end and command line of the sandbox."""
from __future__ import annotations

import argparse
import signal
import sys
import time
import traceback
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from .api import Reply, Sandbox, json_reply


class Handler(BaseHTTPRequestHandler):
    # HTTP/1.1 keeps connections alive, so every reply carries a Content-Length.
    protocol_version = "HTTP/1.1"
    server_version = "TelnyxSandbox/1.0"
    # Headers and body go out in two writes; with Nagle on, keep-alive clients wait ~40 ms for each reply.
    disable_nagle_algorithm = True

    def do_GET(self):
        self._handle()

    do_POST = do_PATCH = do_PUT = do_DELETE = do_GET

    def _handle(self) -> None:
        sandbox: Sandbox = self.server.sandbox
        split = urlsplit(self.path)
        try:
            body = self._read_body()
            if split.path.startswith("/_sandbox/"):
                reply = sandbox.control(self.command, split.path, body)
            elif split.path.startswith("/v2/"):
                sandbox.enter()
                try:
                    time.sleep(self.server.latency)
                    reply, delay = sandbox.api(self.command, split.path, split.query, self.headers, body)
                    time.sleep(delay)
                finally:
                    sandbox.leave()
                if sandbox.conformance:  # outside the sandbox lock; before sending, so counts are current
                    sandbox.conformance.check(self.command, split.path, split.query, self.headers, body, reply)
            else:
                reply = json_reply(404, {"errors": [{"code": "10005", "title": "Resource not found",
                                                     "detail": "The requested resource or URL could not be found."}]})
        except Exception:  # a sandbox bug: say so loudly, but answer like a server would
            traceback.print_exc()
            reply = json_reply(500, {"errors": [{"code": "10007", "title": "Unexpected error",
                                                 "detail": "The sandbox failed; see its stderr."}]})
        if reply is None:  # an injected drop: close without a byte of response
            self.close_connection = True
            return
        self._send(reply)

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True  # not supported; do not reuse a connection we did not drain
        return self.rfile.read(length) if length else b""

    def _send(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            if reply.status != 204:  # RFC 9110: a 204 carries neither a body nor a Content-Length
                self.send_header("Content-Type", reply.content_type or "application/json")
                self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if reply.status != 204:
                self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (e.g. its timeout beat delay_ms)

    def log_message(self, format, *args):
        if self.server.verbose:
            sys.stderr.write("%s - %s\n" % (self.address_string(), format % args))


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Local stand-in for the Telnyx v2 API (see README.md).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--api-key", default="sandbox-key")
    parser.add_argument("--latency-ms", type=int, default=0, help="delay before answering each API request")
    parser.add_argument("--state", help="JSON file: loaded at start if present, saved after every write")
    parser.add_argument("--rate-limit", type=int, default=0, help="API requests per second; 0 = unlimited")
    parser.add_argument("--access-ip-settle-ms", type=int, default=300, help="time an access IP stays pending")
    parser.add_argument("--verbose", action="store_true", help="log each request to stderr")
    parser.add_argument("--spec", metavar="FILE",
                        help="OpenAPI subset JSON: validate every /v2 request and response (needs openapi-core)")
    return parser.parse_args(argv)


def load_conformance(path: str):
    """The --spec validator; imports openapi-core only now. Exits with one line when it cannot."""
    try:
        from .conformance import Conformance
    except ImportError as exc:
        sys.exit("--spec needs openapi-core (pip install openapi-core): %s" % exc)
    try:
        return Conformance.from_file(path)
    except (OSError, ValueError, KeyError) as exc:
        sys.exit("cannot load the OpenAPI spec %s: %s" % (path, exc))


def main(argv=None) -> int:
    args = parse_args(argv)
    try:
        sandbox = Sandbox(args.api_key, args.state, args.access_ip_settle_ms, args.rate_limit)
    except (OSError, ValueError, KeyError) as exc:
        sys.exit("cannot load the state file %s: %s" % (args.state, exc))
    sandbox.conformance = load_conformance(args.spec) if args.spec else None
    server = ThreadingHTTPServer((args.host, args.port), Handler)
    server.daemon_threads = True
    server.sandbox = sandbox
    server.latency = args.latency_ms / 1000.0
    server.verbose = args.verbose
    print("http://%s:%d/v2" % (args.host, server.server_address[1]), flush=True)
    # Both end quietly. SIGINT is set explicitly: a shell's background job inherits it ignored.
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *args: sys.exit(0))
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
    return 0
