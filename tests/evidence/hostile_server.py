"""A hostile stand-in for the Telnyx API: a loopback HTTP(S) server whose every answer a test scripts.

    server = HostileServer(tls=False).start()
    server.script(Answer(200, body={"data": []}), Answer(200, body=b"<html>", content_type="text/html"))
    ... run a module against server.url ...
    server.received   # what arrived: method, path, query, headers, body size
    server.stop()

An answer sets the status, headers, body (bytes, text, a JSON-able object, or a callable returning
an iterable of byte chunks for an endless or dripping body), a delay before the status line, a drip
interval between chunks, gzip of the body, whether a Content-Length is sent, and a header that
drips forever (``header_drip``). Answers are served
in order; when the script runs out, ``default`` answers (a callable ``request -> Answer`` can number
pages). TLS uses a self-signed certificate for 127.0.0.1 made at start with the ``cryptography``
package (``cert_path`` is its PEM, usable as REQUESTS_CA_BUNDLE). Only 127.0.0.1 is ever bound;
every answer is cut after ``max_answer_seconds`` so no thread outlives a test for long.
"""

from __future__ import annotations

import datetime
import gzip as gziplib
import http.server
import json
import os
import socketserver
import ssl
import tempfile
import threading
import time
from urllib.parse import parse_qsl, urlsplit


class Answer:
    def __init__(self, status=200, body=b"", headers=None, content_type="application/json", delay=0.0,
                 drip=None, gzip=False, length=True, header_drip=None):
        self.header_drip = header_drip
        self.status = status
        self.body = body
        self.headers = dict(headers or {})
        self.content_type = content_type
        self.delay = delay
        self.drip = drip
        self.gzip = gzip
        self.length = length

    def chunks(self):
        body = self.body
        if callable(body):
            return body()
        if isinstance(body, (dict, list)) or body is None:
            body = json.dumps(body)
        if isinstance(body, str):
            body = body.encode()
        if self.gzip:
            body = gziplib.compress(body)
        return [body]


def page(items, number=1, total_pages=1):
    """A list answer in Telnyx's shape."""
    return Answer(200, body={"data": items, "meta": {"page_number": number, "page_size": 250,
                                                     "total_pages": total_pages, "total_results": len(items)}})


def make_certificate(directory):
    """A self-signed certificate for 127.0.0.1 and localhost, with the cryptography package."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    import ipaddress

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                        x509.DNSName("localhost")]), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = os.path.join(directory, "cert.pem"), os.path.join(directory, "key.pem")
    with open(cert_path, "wb") as handle:
        handle.write(cert.public_bytes(serialization.Encoding.PEM))
    with open(key_path, "wb") as handle:
        handle.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))
    return cert_path, key_path


class _Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"
    server_version = "hostile"
    sys_version = ""

    def log_message(self, *args):  # quiet
        pass

    def _handle(self):
        owner = self.server.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, 1 << 20)) if length else b""
        parts = urlsplit(self.path)
        request = dict(method=self.command, path=parts.path, target=self.path, query=dict(parse_qsl(parts.query)),
                       headers=dict(self.headers.items()), body=body.decode("utf-8", "replace"))
        answer = owner.next_answer(request)
        started = time.monotonic()
        self.close_connection = True
        try:
            if answer.delay:
                time.sleep(answer.delay)
            self.send_response_only(answer.status)
            if answer.header_drip:  # a header that never ends, a byte at a time
                self.send_header("X-Drip", "")
                self.flush_headers()
                while time.monotonic() - started < owner.max_answer_seconds:
                    self.wfile.write(b"a")
                    self.wfile.flush()
                    time.sleep(answer.header_drip)
                return
            chunks = answer.chunks()
            if answer.content_type:
                self.send_header("Content-Type", answer.content_type)
            if answer.gzip:
                self.send_header("Content-Encoding", "gzip")
            if answer.length and isinstance(chunks, list):
                self.send_header("Content-Length", str(sum(len(c) for c in chunks)))
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.send_header("Connection", "close")
            self.end_headers()
            for chunk in chunks:
                if time.monotonic() - started > owner.max_answer_seconds:
                    break
                if chunk:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                if answer.drip:
                    time.sleep(answer.drip)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            pass  # the client hung up: what a bounded client should do

    do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_CONNECT = do_HEAD = _handle


class HostileServer:
    def __init__(self, tls=False, max_answer_seconds=15.0):
        self.tls = tls
        self.max_answer_seconds = max_answer_seconds
        self.received = []
        self._answers = []
        self._default = None
        self._lock = threading.Lock()
        self._server = self._thread = None
        self._dir = None
        self.cert_path = None
        self.url = self.base = None

    def start(self):
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.owner = self
        scheme = "http"
        if self.tls:
            self._dir = tempfile.TemporaryDirectory()
            self.cert_path, key_path = make_certificate(self._dir.name)
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(self.cert_path, key_path)
            # The handshake happens in the handler's thread, so a refused handshake blocks nothing.
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True,
                                                      do_handshake_on_connect=False)
            scheme = "https"
        port = self._server.server_address[1]
        self.base = "%s://127.0.0.1:%d" % (scheme, port)
        self.url = self.base + "/v2"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._dir:
            self._dir.cleanup()
            self._dir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def script(self, *answers, default=None):
        """Forget what was received; serve these answers in order, then ``default`` (a 599 if none)."""
        with self._lock:
            self.received = []
            self._answers = list(answers)
            self._default = default

    def next_answer(self, request):
        with self._lock:
            self.received.append(request)
            if self._answers:
                answer = self._answers.pop(0)
            elif self._default is not None:
                answer = self._default
            else:
                answer = Answer(599, body={"errors": [{"title": "hostile server: nothing scripted"}]})
        return answer(request) if callable(answer) and not isinstance(answer, Answer) else answer
