# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The one HTTP client of the collection: auth, retries, pagination and errors."""

from __future__ import annotations

import ipaddress
import random
import threading
import time
import traceback
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback, missing_required_lib

try:
    import requests
    from requests.adapters import HTTPAdapter
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
RETRYABLE_STATUSES = frozenset((429, 502, 503, 504))
# PATCH only ever sets fields to absolute values here, so sending it twice is harmless.
IDEMPOTENT_METHODS = frozenset(("GET", "DELETE", "PATCH"))

# The argument spec matching doc_fragments/telnyx.py; modules merge it, never copy it.
CONNECTION_SPEC = dict(
    api_key=dict(type="str", required=True, no_log=True, fallback=(env_fallback, ["TELNYX_API_KEY"])),
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

    def __init__(self, method, path, status=None, errors=None, reason=None, ambiguous=False):
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
        details = "; ".join(_describe_error(e) for e in self.errors)
        if details:
            text += ": " + details
        return text

    def codes(self):
        """The Telnyx error codes, as strings (the spec has them as strings or integers)."""
        return {str(e["code"]) for e in self.errors if e.get("code") not in (None, "")}

    def to_dict(self):
        return dict(method=self.method, path=self.path, status=self.status, errors=self.errors,
                    reason=self.reason)


def _describe_error(error):
    code = " (%s)" % error["code"] if error.get("code") not in (None, "") else ""
    where = "%s: " % error["pointer"].lstrip("/") if error.get("pointer") else ""
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
    for item in items:
        if not isinstance(item, dict):
            continue
        source = item.get("source") if isinstance(item.get("source"), dict) else {}
        meta = item.get("meta") if isinstance(item.get("meta"), dict) else {}
        entry = dict(
            code=None if item.get("code") is None else str(item.get("code")),
            title=item.get("title"),
            detail=item.get("detail") or item.get("description"),
            pointer=source.get("pointer") or source.get("parameter"),
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
    try:
        parts = urlsplit(api_url or "")
        hostname = parts.hostname
    except ValueError:  # for example an unclosed IPv6 bracket
        return "api_url must be an http(s) URL such as %s, got %r" % (DEFAULT_API_URL, api_url)
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
        self._count_lock = threading.Lock()
        self._paused_until = 0.0  # after a 429 every worker thread waits, not just the one refused
        self.rate_limit_patience = RATE_LIMIT_PATIENCE
        self.session = requests.Session()
        adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)
        self.session.verify = validate_certs
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
                with self._count_lock:
                    self.requests_made += 1
                # No redirects: the API sends none, and following one could carry the key elsewhere.
                response = self.session.request(method, self.base_url + path, params=params, json=json,
                                                headers=headers, timeout=self.timeout, allow_redirects=False)
            except requests.exceptions.RequestException as exc:
                error = self._transport_error(method, path, exc)
                if attempt < self.max_retries and (method in IDEMPOTENT_METHODS or not error.ambiguous):
                    self._backoff(attempt)
                    attempt += 1
                    continue
                raise error

            status = response.status_code
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
            if 200 <= status < 300 or status in ok_statuses:
                return status, self._parse_body(method, path, response)
            raise self._status_error(method, path, response)

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
        if _never_sent(exc):
            if isinstance(exc, requests.exceptions.ConnectTimeout):
                reason = "could not connect to %s within %s s: check api_url and the network" % (host, self.timeout)
            else:
                reason = "could not connect to %s (connection refused or unreachable): check api_url" % host
            return TelnyxError(method, path, reason=reason, ambiguous=False)
        if isinstance(exc, requests.exceptions.Timeout):
            reason = "no answer within %s s (timeout): raise timeout or try again" % self.timeout
        elif isinstance(exc, requests.exceptions.SSLError):
            return TelnyxError(method, path, reason="TLS failed for %s: check the certificate or validate_certs" % host)
        else:
            reason = "the connection to %s broke before an answer arrived" % host
        return TelnyxError(method, path, reason=reason, ambiguous=True)

    def _parse_body(self, method, path, response):
        if response.status_code == 204 or not response.content:
            return None
        content_type = response.headers.get("Content-Type", "")
        if "json" not in content_type:
            return response.text
        try:
            return response.json()
        except ValueError:
            raise TelnyxError(method, path, response.status_code,
                              reason="the answer is not valid JSON although it says it is; try again",
                              ambiguous=method not in IDEMPOTENT_METHODS)

    def _status_error(self, method, path, response):
        status = response.status_code
        try:
            errors = parse_errors(response.json())
        except ValueError:
            errors = []
        reason = None
        if not errors and response.content:
            reason = "the error body is not JSON (Content-Type %s)" % (response.headers.get("Content-Type") or "none")
        # A 5xx answer to a POST leaves us unsure whether the object was made.
        return TelnyxError(method, path, status, errors=errors, reason=reason,
                           ambiguous=status >= 500 and method not in IDEMPOTENT_METHODS)

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

        Stops at ``meta.page_number >= meta.total_pages`` or at an empty page,
        whichever comes first, as the official SDKs do.
        """
        page = 1
        while True:
            query = dict(params or {})
            query.update({"page[number]": page, "page[size]": PAGE_SIZE})
            body = self.get(path, params=query) or {}
            items = body.get("data") or []
            yield from items
            meta = body.get("meta") or {}
            total_pages = meta.get("total_pages")
            if not items or (total_pages is not None and page >= total_pages):
                return
            page += 1


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
    problem = check_api_url(params["api_url"])
    if problem is None and not (params["api_key"] or "").strip():
        problem = "api_key is empty: set api_key or the TELNYX_API_KEY environment variable"
    if problem is None and not 0 < params["timeout"] <= MAX_TIMEOUT:  # also refuses nan
        problem = "timeout must be more than 0 and at most %d seconds, got %s" % (MAX_TIMEOUT, params["timeout"])
    if problem is None and params["max_retries"] < 0:
        problem = "max_retries must be 0 or more, got %s" % params["max_retries"]
    if problem:
        module.fail_json(msg=problem)
    return TelnyxClient(params["api_key"].strip(), params["api_url"], params["timeout"], params["max_retries"],
                        params["validate_certs"], pool_size=max(parallelism, 1))
