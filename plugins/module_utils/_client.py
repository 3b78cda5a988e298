# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The one HTTP client of the collection: auth, retries, pagination and errors."""

from __future__ import annotations

import ipaddress
import json as jsonlib
import os
import random
import socket
import threading
import time
import traceback
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback, missing_required_lib

try:
    import requests
    from requests.adapters import HTTPAdapter
    from requests.utils import get_environ_proxies
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()
else:
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "telnyx.account_access/%s (Ansible collection)" % COLLECTION_VERSION
DEFAULT_API_URL = "https://api.telnyx.com/v2"
PAGE_SIZE = 250
MAX_BACKOFF = 30.0
MAX_TIMEOUT = 3600
# What one answer may hold once decoded (gzip included); a bigger answer fails rather than fill memory.
MAX_BODY_BYTES = 32 * 1024 * 1024
READ_CHUNK = 64 * 1024
# A listing longer than this many pages (250 objects each) fails rather than run on.
MAX_PAGES = 2000
# The most characters of the server's own words (error titles, details) put in one message.
MAX_DETAIL = 120
MAX_MESSAGE = 290
MAX_ERRORS = 10
RETRYABLE_STATUSES = frozenset((429, 502, 503, 504))
# PATCH only ever sets fields to absolute values here, so sending it twice is harmless.
IDEMPOTENT_METHODS = frozenset(("GET", "DELETE", "PATCH"))

# The argument spec matching doc_fragments/telnyx.py; modules merge it, never copy it.
CONNECTION_SPEC = dict(
    # Not required=True: Ansible's "missing required arguments: api_key" says nothing of TELNYX_API_KEY.
    api_key=dict(type="str", no_log=True, fallback=(env_fallback, ["TELNYX_API_KEY"])),
    api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["TELNYX_API_URL"])),
    timeout=dict(type="float", default=30),
    max_retries=dict(type="int", default=5),
    validate_certs=dict(type="bool", default=True),
)

STATUS_HINTS = {
    401: "the API key was refused: check api_key or TELNYX_API_KEY",
    403: "the API key may not do this: check the key's permissions on the Telnyx account",
    404: "not found",
    409: "conflict: the object is in use or conflicts with another",
    422: "the API refused the request",
    429: "rate limited by Telnyx even after retrying: lower parallelism or try again later",
}


class TelnyxError(Exception):
    """An API call that failed, described without headers, keys or request bodies.

    ``errors`` holds the Telnyx error objects reduced to code, title, detail and
    pointer. ``ambiguous`` is true when the request may have been acted on
    although no success was seen (read timeout, dropped connection, 5xx).
    """

    def __init__(self, method, path, status=None, errors=None, reason=None, ambiguous=False, retryable=True):
        self.retryable = retryable
        self.method = method
        self.path = path
        self.status = status
        self.errors = errors or []
        self.reason = reason
        self.ambiguous = ambiguous
        super().__init__(self.message)

    @property
    def message(self):
        text = "%s %s: " % (self.method, self.path)
        if self.status is not None:
            text += "HTTP %s" % self.status
            hint = STATUS_HINTS.get(self.status) or (
                "Telnyx had a server error" if self.status >= 500 else None)
            if hint and not (self.status == 422 and self.errors):
                text += " (%s)" % hint
        if self.reason:
            text += (": " if self.status is not None else "") + self.reason
        more = ""
        if len(self.errors) > 3:
            at_least = "at least " if len(self.errors) >= MAX_ERRORS else ""
            more = " (and %s%d more errors)" % (at_least, len(self.errors) - 3)
        details = "; ".join(_describe_error(e) for e in self.errors[:3])
        if details:
            text = _one_line(text + ": " + details, MAX_MESSAGE - len(more))
        return _one_line(text, MAX_MESSAGE - len(more)) + more

    def codes(self):
        """The Telnyx error codes, as strings (the spec has them as strings or integers)."""
        return {str(e["code"]) for e in self.errors if e.get("code") not in (None, "")}

    def to_dict(self):
        return dict(method=self.method, path=self.path, status=self.status, errors=self.errors,
                    reason=self.reason)


def _one_line(text, limit):
    """Text on one line, at most ``limit`` characters."""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def _scalar_text(value):
    """A server-given field as short one-line text, whatever JSON type it came as; None if empty."""
    if value is None or value == "" or isinstance(value, dict):
        return None
    if isinstance(value, list):
        parts = [_scalar_text(v) for v in value[:5] if not isinstance(v, (list, dict))]
        value = ", ".join(p for p in parts if p)
        if not value:
            return None
    return _one_line(value, MAX_DETAIL) or None


def _describe_error(error):
    code = " (%s)" % error["code"] if error.get("code") not in (None, "") else ""
    where = "%s: " % str(error["pointer"]).lstrip("/") if error.get("pointer") else ""
    text = error.get("detail") or error.get("title") or "no detail given"
    if error.get("detail") and error.get("title") and not where:
        text = "%s, %s" % (error["title"], error["detail"])
    return ("%s%s" % (where, text) + code).strip()


def parse_errors(body):
    """Reduce a Telnyx error body, whatever its per-endpoint variant, to plain dicts."""
    items = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(items, list):
        return []
    parsed = []
    for item in items[:MAX_ERRORS]:
        if not isinstance(item, dict):
            continue
        source = item.get("source") if isinstance(item.get("source"), dict) else {}
        meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
        # Every field as text whatever type the server sent (a numeric pointer, a list for a title).
        entry = dict(
            code=_scalar_text(item.get("code")),
            title=_scalar_text(item.get("title")),
            detail=_scalar_text(item.get("detail")) or _scalar_text(item.get("description")),
            pointer=_scalar_text(source.get("pointer")) or _scalar_text(source.get("parameter")),
        )
        if "suggestion" in meta:
            entry["suggestion"] = meta["suggestion"]
        parsed.append(entry)
    return parsed


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_api_url(api_url):
    """Return an error message when the key must not be sent to ``api_url``, else None."""
    if not isinstance(api_url, str):
        return "api_url must be an http(s) URL such as %s" % DEFAULT_API_URL
    if api_url != api_url.strip():
        return "api_url has leading or trailing whitespace; remove it"
    if any(ord(c) < 33 or ord(c) == 127 for c in api_url):
        return "api_url contains a space, line break or control character; remove it"
    try:
        parts = urlsplit(api_url)
        hostname = parts.hostname
    except ValueError:  # for example an unclosed IPv6 bracket
        return "api_url must be an http(s) URL such as %s" % DEFAULT_API_URL
    if "@" in parts.netloc:
        # Said without the URL: the part before @ may be a password.
        return ("api_url must not contain a user name or password (user:password@host); "
                "the API key is the only credential sent, as a Bearer token")
    if parts.scheme not in ("https", "http") or not hostname:
        return "api_url must be an http(s) URL such as %s, got %r" % (DEFAULT_API_URL, api_url)
    if parts.scheme == "http" and not is_loopback(hostname):
        return ("api_url %s uses plain http:// to a host that is not loopback; the API key would "
                "travel unencrypted. Use https://" % api_url)
    return None


def _header_seconds(value, now=None):
    """Seconds from a Retry-After (seconds or HTTP date) or x-ratelimit-reset header."""
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (now if now is not None else time.time()))


# How long 429 answers are waited out for one request before it fails.
RATE_LIMIT_PATIENCE = 120.0


# The deadline of the request the current thread is sending (time.monotonic), for the watchdog below.
_REQUEST_DEADLINE = threading.local()
_DEADLINE_POOLS = []


def _shutdown(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class _DeadlineConnection:
    """Mixed into urllib3's connections: the status line and headers must arrive by the deadline.

    A server that drips its headers a byte at a time never trips the per-read timeout; at the
    deadline a watchdog shuts the socket, which ends the blocked read at once.
    """

    def getresponse(self, *args, **kwargs):
        deadline = getattr(_REQUEST_DEADLINE, "value", None)
        sock = getattr(self, "sock", None)
        timer = None
        if deadline is not None and sock is not None:
            timer = threading.Timer(max(0.0, deadline - time.monotonic()), _shutdown, (sock,))
            timer.daemon = True
            timer.start()
        try:
            return super().getresponse(*args, **kwargs)
        finally:
            if timer is not None:
                timer.cancel()


def _deadline_pools():
    """urllib3 pool classes whose connections honour the deadline (made once, on first use)."""
    if not _DEADLINE_POOLS:
        from urllib3.connection import HTTPConnection, HTTPSConnection
        from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

        class Connection(_DeadlineConnection, HTTPConnection):
            pass

        class SecureConnection(_DeadlineConnection, HTTPSConnection):
            pass

        class Pool(HTTPConnectionPool):
            ConnectionCls = Connection

        class SecurePool(HTTPSConnectionPool):
            ConnectionCls = SecureConnection

        _DEADLINE_POOLS.append({"http": Pool, "https": SecurePool})
    return _DEADLINE_POOLS[0]


def _is_loopback_url(url):
    try:
        return is_loopback(urlsplit(url).hostname or "")
    except ValueError:
        return False


def connection_settings(api_url, validate_certs, environ=None):
    """The proxies and certificate check for ``api_url``, decided here rather than by requests.

    The session does not trust the environment (so ``~/.netrc`` is never read and
    ``REQUESTS_CA_BUNDLE`` cannot turn ``validate_certs: false`` back on); what is taken from
    it is re-added here: ``HTTPS_PROXY``/``ALL_PROXY`` and ``NO_PROXY`` for an ``https://`` API
    URL (the key then travels inside the TLS tunnel the proxy cannot read), never a proxy for a
    loopback or ``http://`` API URL, and ``REQUESTS_CA_BUNDLE``/``CURL_CA_BUNDLE`` only when
    certificates are checked.
    """
    environ = os.environ if environ is None else environ
    proxies = {}
    if urlsplit(api_url).scheme == "https" and not _is_loopback_url(api_url):
        found = get_environ_proxies(api_url)
        proxy = found.get("https") or found.get("all")
        if proxy:
            proxies = {"https": proxy}
    verify = False
    if validate_certs:
        verify = environ.get("REQUESTS_CA_BUNDLE") or environ.get("CURL_CA_BUNDLE") or True
    return proxies, verify


class TelnyxClient:
    """One requests session per module run, shared by the engine's worker threads."""

    def __init__(self, api_key, api_url=DEFAULT_API_URL, timeout=30, max_retries=5, validate_certs=True,
                 pool_size=16, sleep=time.sleep, rand=random.uniform):
        self.base_url = api_url.rstrip("/")
        self.timeout = timeout
        self.max_retries = max(0, max_retries)
        self.sleep = sleep
        self.rand = rand
        self.clock = time.monotonic
        self.requests_made = 0
        self.max_body = MAX_BODY_BYTES
        self.max_pages = MAX_PAGES
        self._count_lock = threading.Lock()
        self._paused_until = 0.0  # after a 429 every worker thread waits, not just the one refused
        self.rate_limit_patience = RATE_LIMIT_PATIENCE
        self.session = requests.Session()
        # No .netrc, no environment-chosen CA bundle or proxy behind our back: see connection_settings.
        self.session.trust_env = False
        self.session.proxies, self.session.verify = connection_settings(self.base_url, validate_certs)
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size)
        adapter.poolmanager.pool_classes_by_scheme = _deadline_pools()
        for proxy in self.session.proxies.values():
            adapter.proxy_manager_for(proxy).pool_classes_by_scheme = _deadline_pools()
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.headers.update({
            "Authorization": "Bearer %s" % api_key,
            "Accept": "application/json",
            "User-Agent": USER_AGENT,
        })

    # -- one request, with retries --------------------------------------------------

    def request(self, method, path, params=None, json=None, accept=None, ok_statuses=()):
        """Send one API call and return ``(status, body)``; body is parsed JSON, text or None.

        Raises TelnyxError for anything that is not a success after the retries
        allowed. ``ok_statuses`` lists error statuses the caller handles itself.
        """
        headers = {"Accept": accept} if accept else None
        attempt = 0
        rate_limited_for, refusals = 0.0, 0
        while True:
            self._wait_out_pause()
            try:
                status, response, content = self._send(method, path, params, json, headers)
            except TelnyxError as error:
                if (error.retryable and attempt < self.max_retries
                        and (method in IDEMPOTENT_METHODS or not error.ambiguous)):
                    self._backoff(attempt)
                    attempt += 1
                    continue
                raise

            if status == 429 and rate_limited_for < self.rate_limit_patience:
                # Not processed, says the API: any method may go again, and a busy account (several
                # runs at once) is waited out for a while rather than failed after max_retries.
                rate_limited_for += self._pause(refusals, response.headers)
                refusals += 1
                continue
            if status in RETRYABLE_STATUSES and status != 429 and attempt < self.max_retries and method in IDEMPOTENT_METHODS:
                self._backoff(attempt, response.headers)
                attempt += 1
                continue
            if 200 <= status < 300:
                return status, self._parse_body(method, path, response, content, accept)
            if status in ok_statuses:  # an error the caller expects: its body is read leniently
                body = _loads(content) if content else None
                return status, body if isinstance(body, dict) else None
            raise self._status_error(method, path, response, content)

    def _send(self, method, path, params, json, headers):
        """One attempt: the status, the response and its body, all within ``timeout`` seconds in all."""
        deadline = self.clock() + self.timeout
        real_deadline = _REQUEST_DEADLINE.value = time.monotonic() + self.timeout
        with self._count_lock:
            self.requests_made += 1
        try:
            # No redirects: the API sends none, and following one could carry the key elsewhere.
            response = self.session.request(method, self.base_url + path, params=params, json=json,
                                            headers=headers, timeout=self.timeout, allow_redirects=False,
                                            stream=True)
        except requests.exceptions.RequestException as exc:
            if time.monotonic() >= _REQUEST_DEADLINE.value and not _never_sent(exc):
                raise TelnyxError(method, path, ambiguous=True,
                                  reason="no complete answer within %s s (timeout is a deadline for the whole "
                                         "request): raise timeout or try again" % self.timeout)
            raise self._transport_error(method, path, exc)
        except (ValueError, UnicodeError) as exc:  # a header value requests or http.client refuses
            raise TelnyxError(method, path, reason="the request could not be sent: %s" % _one_line(exc, 120),
                              retryable=False)
        finally:
            _REQUEST_DEADLINE.value = None
        try:
            content = self._read_body(method, path, response, deadline, real_deadline)
        finally:
            response.close()
        return response.status_code, response, content

    def _read_body(self, method, path, response, deadline, real_deadline=None):
        """The whole body, decoded, read in chunks against the deadline and the size cap."""
        raw = getattr(response, "raw", None)
        if raw is None or not hasattr(raw, "read1"):  # a body already read (or a stand-in)
            content = response.content or b""
            if len(content) > self.max_body:
                raise self._too_big(method, path)
            return content
        length = response.headers.get("Content-Length")
        if length and length.strip().isdigit() and int(length) > self.max_body \
                and not response.headers.get("Content-Encoding"):
            raise self._too_big(method, path)
        late = TelnyxError(method, path, response.status_code, ambiguous=method not in IDEMPOTENT_METHODS,
                           reason="the answer did not arrive in full within %s s (timeout is a deadline "
                                  "for the whole request): raise timeout or try again" % self.timeout)
        # A read blocked past the deadline is ended by shutting the socket (see _DeadlineConnection).
        fired = []
        sock = getattr(getattr(raw, "connection", None), "sock", None)
        timer = None
        if sock is not None and real_deadline is not None:
            timer = threading.Timer(max(0.0, real_deadline - time.monotonic()),
                                    lambda: (fired.append(True), _shutdown(sock)))
            timer.daemon = True
            timer.start()
        chunks, size = [], 0
        try:
            while True:
                if self.clock() > deadline:
                    raise late
                chunk = raw.read1(READ_CHUNK, decode_content=True)
                if fired:
                    raise late
                if not chunk:
                    break
                size += len(chunk)
                if size > self.max_body:
                    raise self._too_big(method, path)
                chunks.append(chunk)
        except TelnyxError:
            raise
        except requests.exceptions.RequestException as exc:
            raise late if fired else self._transport_error(method, path, exc)
        except Exception as exc:  # urllib3's read errors: timeouts, resets, bad gzip, cut chunks
            if fired:
                raise late
            name = type(exc).__name__
            if "Timeout" in name:
                reason = "the answer stopped arriving for %s s (timeout): raise timeout or try again" % self.timeout
            elif "Decode" in name:
                reason = "the answer's compressed body could not be decoded"
            else:
                reason = "the connection broke while the answer arrived (%s)" % name
            raise TelnyxError(method, path, response.status_code, reason=reason,
                              ambiguous=method not in IDEMPOTENT_METHODS)
        finally:
            if timer is not None:
                timer.cancel()
        return b"".join(chunks)

    def _too_big(self, method, path):
        return TelnyxError(method, path, reason="the answer is larger than %d MiB, more than any API answer: "
                                                "check api_url" % (self.max_body // (1024 * 1024)),
                           ambiguous=method not in IDEMPOTENT_METHODS, retryable=False)

    def _backoff(self, attempt, headers=None):
        self.sleep(self._delay(attempt, headers))

    def _delay(self, attempt, headers=None):
        told = None
        if headers is not None:
            told = _header_seconds(headers.get("Retry-After"))
            if told is None:
                told = _header_seconds(headers.get("x-ratelimit-reset"))
        if told is not None:
            # The server said when; a little jitter keeps parallel workers from waking together.
            return min(told, MAX_BACKOFF) + self.rand(0, 0.25)
        return self.rand(0.5, 1.0) * min(MAX_BACKOFF, 0.5 * (2 ** attempt))

    def _pause(self, refusals, headers):
        """After a 429: hold every worker thread until the limit resets; return the pause."""
        delay = self._delay(refusals, headers)
        with self._count_lock:
            self._paused_until = max(self._paused_until, self.clock() + delay)
        return delay

    def _wait_out_pause(self):
        with self._count_lock:
            left = self._paused_until - self.clock()
        if left > 0:
            self.sleep(left)

    def _transport_error(self, method, path, exc):
        host = urlsplit(self.base_url).netloc
        if isinstance(exc, requests.exceptions.SSLError):
            # Not transient: a certificate that fails now fails on every retry.
            return TelnyxError(method, path, retryable=False,
                               reason="TLS failed for %s: %s; fix the certificate, or set validate_certs or "
                                      "REQUESTS_CA_BUNDLE" % (host, _tls_reason(exc)))
        if isinstance(exc, requests.exceptions.ProxyError):
            return TelnyxError(method, path, retryable=_never_sent(exc),
                               reason="the proxy (HTTPS_PROXY) refused or failed to reach %s: check the proxy "
                                      "settings or NO_PROXY" % host)
        if isinstance(exc, requests.exceptions.InvalidHeader):
            return TelnyxError(method, path, retryable=False, reason="the request could not be sent: a header "
                                                                     "value is invalid (check api_key)")
        if _never_sent(exc):
            if isinstance(exc, requests.exceptions.ConnectTimeout):
                reason = "could not connect to %s within %s s: check api_url and the network" % (host, self.timeout)
            else:
                reason = "could not connect to %s (connection refused or unreachable): check api_url" % host
            return TelnyxError(method, path, reason=reason, ambiguous=False)
        if isinstance(exc, requests.exceptions.Timeout):
            reason = "no answer within %s s (timeout): raise timeout or try again" % self.timeout
        else:
            reason = "the connection to %s broke before an answer arrived" % host
        return TelnyxError(method, path, reason=reason, ambiguous=True)

    def _not_json(self, method, path, status, content_type, what):
        hint = ""
        if "html" in content_type.lower():
            hint = ": an HTML page, not the Telnyx API; check that api_url is the API base URL ending in /v2"
        return TelnyxError(method, path, status, ambiguous=method not in IDEMPOTENT_METHODS,
                           reason="the answer is %s (Content-Type %s)%s" % (what, content_type or "none", hint))

    def _parse_body(self, method, path, response, content, accept=None):
        if response.status_code == 204 or not content:
            return None
        content_type = response.headers.get("Content-Type") or ""
        if "json" not in content_type.lower():
            if accept and "json" not in accept:
                return content.decode("utf-8", "replace")
            raise self._not_json(method, path, response.status_code, content_type, "not JSON")
        body = _loads(content)
        if body is _INVALID:
            raise self._not_json(method, path, response.status_code, content_type,
                                 "not valid JSON although it says it is; try again")
        if body is _TOO_DEEP:
            raise self._not_json(method, path, response.status_code, content_type, "JSON nested too deeply to read")
        if not isinstance(body, dict):
            raise self._not_json(method, path, response.status_code, content_type,
                                 "JSON but not an object (a %s)" % type(body).__name__)
        return body

    def _status_error(self, method, path, response, content):
        status = response.status_code
        body = _loads(content) if content else None
        errors = parse_errors(body)
        reason = None
        if not errors and content:
            what = "not JSON" if not isinstance(body, (dict, list)) else "JSON without Telnyx errors"
            reason = "the error body is %s (Content-Type %s)" % (what, response.headers.get("Content-Type") or "none")
        if status == 404 and not errors:
            reason = self._not_found_hint(path) or reason
        # A 5xx answer to a POST leaves us unsure whether the object was made.
        return TelnyxError(method, path, status, errors=errors, reason=reason,
                           ambiguous=status >= 500 and method not in IDEMPOTENT_METHODS)

    def _not_found_hint(self, path):
        """For a 404 without a Telnyx error body: what is most likely wrong with api_url."""
        if not self.base_url.endswith("/v2"):
            return "api_url %s does not end in /v2; the Telnyx API v2 base URL is %s" % (self.base_url, DEFAULT_API_URL)
        if path.strip("/").count("/") == 0:  # a collection: it always exists on the real API
            return ("the API has no %s here: check that api_url (%s) is the Telnyx API v2 base URL"
                    % (path, self.base_url))
        return None

    # -- conveniences ------------------------------------------------------------------

    def get(self, path, params=None, **kwargs):
        return self.request("GET", path, params=params, **kwargs)[1]

    def post(self, path, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)[1]

    def patch(self, path, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)[1]

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)[1]

    def paginate(self, path, params=None):
        """Yield every item of a list endpoint, page by page (``page[size]=250``).

        Stops at ``meta.page_number >= meta.total_pages`` or at an empty page, whichever
        comes first, as the official SDKs do. Bounded: never more than one page past what
        the first page's ``total_pages`` said, never more than ``max_pages`` pages, and a
        page that only repeats objects already listed fails rather than loops.
        """
        page = 1
        first_total = None
        seen = set()
        while True:
            query = dict(params or {})
            query.update({"page[number]": page, "page[size]": PAGE_SIZE})
            body = self.get(path, params=query) or {}
            items = body.get("data")
            if items is None:
                items = []
            if not isinstance(items, list):
                raise TelnyxError("GET", path, 200, reason="the listing's data is a %s, not a list: check api_url"
                                  % type(items).__name__)
            meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
            total_pages = meta.get("total_pages")
            if isinstance(total_pages, bool) or not isinstance(total_pages, int):
                total_pages = None
            if page == 1:
                first_total = total_pages
            ids = [item.get("id") for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]
            if page > 1 and ids and len(ids) == len(items) and seen.issuperset(ids):
                raise TelnyxError("GET", path, 200, reason="page %d repeats objects already listed: the listing "
                                                           "does not progress, so it was stopped" % page)
            seen.update(ids)
            yield from items
            if not items or (total_pages is not None and page >= total_pages):
                return
            limit = self.max_pages if first_total is None else min(self.max_pages, first_total + 1)
            if page >= limit:
                raise TelnyxError("GET", path, 200, reason="the listing did not end after %d pages (the first page "
                                                           "said %s): stopped" % (page, first_total or "nothing"))
            page += 1


_INVALID = object()
_TOO_DEEP = object()


def _loads(content):
    """Parsed JSON, or _INVALID, or _TOO_DEEP; never an exception."""
    try:
        return jsonlib.loads(content.decode("utf-8") if isinstance(content, bytes) else content)
    except RecursionError:
        return _TOO_DEEP
    except (ValueError, UnicodeError, TypeError):
        return _INVALID


def _tls_reason(exc):
    """The certificate problem in a few words (for example 'self-signed certificate')."""
    pending, seen = [exc], set()
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        message = getattr(current, "verify_message", None)
        if message:
            return "certificate not trusted (%s)" % _one_line(message, 80)
        linked = list(getattr(current, "args", ())) + [getattr(current, "reason", None), current.__cause__]
        pending.extend(a for a in linked if isinstance(a, BaseException))
    text = str(exc)
    for known in ("CERTIFICATE_VERIFY_FAILED", "WRONG_VERSION_NUMBER", "hostname mismatch", "doesn't match"):
        if known in text:
            return "the server's TLS does not check out (%s)" % known
    return "the TLS handshake failed"


def _never_sent(exc):
    """True when the request provably never reached the server (nothing to duplicate)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(exc, requests.exceptions.ConnectionError) or isinstance(exc, requests.exceptions.SSLError):
        return False
    seen = set()
    pending = [exc]
    # urllib3 nests the cause: ConnectionError(MaxRetryError(reason=NewConnectionError)).
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        name = type(current).__name__
        if name in ("NewConnectionError", "ConnectTimeoutError", "NameResolutionError"):
            return True
        pending.extend(a for a in getattr(current, "args", ()) if isinstance(a, BaseException))
        pending.append(getattr(current, "reason", None))
    return False


def client_from_module(module, parallelism=1):
    """Check the connection options and build the client, or fail before any request."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    api_key = params["api_key"] or ""
    key = api_key.strip()
    if key:
        # The key is sent stripped: mask that form too, not only the value as given.
        module.no_log_values.add(key)
    api_url = params["api_url"]
    try:
        password = urlsplit(api_url).password if isinstance(api_url, str) else None
    except ValueError:
        password = None
    if password:
        module.no_log_values.add(password)  # the URL is refused below; its password is never shown
    if isinstance(api_url, str) and api_url != api_url.strip():
        api_url = api_url.strip()
        module.warn("api_url had leading or trailing whitespace (a line break from an environment variable "
                    "or file?); it was removed")
    problem = check_api_url(api_url)
    if problem is None and params["api_key"] is None:
        problem = ("no API key: set the TELNYX_API_KEY environment variable, or api_key (in the task, or in "
                   "module_defaults for group/telnyx.account_access.all)")
    elif problem is None and not key:
        problem = "api_key is empty: set api_key or the TELNYX_API_KEY environment variable"
    if problem is None and any(c in key for c in "\r\n"):
        problem = "api_key contains a line break: set it to the key alone, on one line"
    if problem is None and any(ord(c) < 32 or ord(c) > 126 for c in key):
        problem = "api_key contains a character that is not printable ASCII (a tab, control or non-ASCII character)"
    if problem is None and not 0 < params["timeout"] <= MAX_TIMEOUT:  # also refuses nan
        problem = "timeout must be more than 0 and at most %d seconds, got %s" % (MAX_TIMEOUT, params["timeout"])
    if problem is None and params["max_retries"] < 0:
        problem = "max_retries must be 0 or more, got %s" % params["max_retries"]
    if problem:
        module.fail_json(msg=problem)
    if not params["validate_certs"]:
        module.warn("validate_certs is false: the API's certificate is not checked, so anyone able to intercept "
                    "the connection can read the API key")
    return TelnyxClient(key, api_url, params["timeout"], params["max_retries"],
                        params["validate_certs"], pool_size=max(parallelism, 1))
