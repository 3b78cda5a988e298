# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The one HTTP client of the collection: auth, retries, pagination and errors.

It knows nothing of Ansible modules: it raises TelnyxError and never fails a module itself;
``_connection.py`` builds it from a module's options.
"""

from __future__ import annotations

import json as jsonlib
import random
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

from ._api_error import TelnyxError, _one_line, parse_errors
from ._transport import (
    _REQUEST_DEADLINE,
    DEFAULT_API_URL,
    WATCHDOG,
    _deadline_pools,
    _never_sent,
    _shutdown,
    _tls_reason,
    connection_settings,
)

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
PAGE_SIZE = 250
MAX_BACKOFF = 30.0
# What one answer may hold once decoded (gzip included); a bigger answer fails rather than fill memory.
MAX_BODY_BYTES = 32 * 1024 * 1024
READ_CHUNK = 64 * 1024
# A listing longer than this many pages (250 objects each) fails rather than run on.
MAX_PAGES = 2000
# The most pages of one listing asked for at once, when the caller expects that many objects.
MAX_PAGES_AT_ONCE = 8
RETRYABLE_STATUSES = frozenset((429, 502, 503, 504))
# PATCH only ever sets fields to absolute values here, so sending it twice is harmless.
IDEMPOTENT_METHODS = frozenset(("GET", "DELETE", "PATCH"))


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
        self.max_body = MAX_BODY_BYTES
        self.max_pages = MAX_PAGES
        self._count_lock = threading.Lock()
        self._paused_until = 0.0  # after a 429 every worker thread waits, not just the one refused
        self.rate_limits_met = 0  # 429 answers so far: a busy account, where concurrent runs take longer
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
        alarm = None
        if sock is not None and real_deadline is not None:
            alarm = WATCHDOG.at(real_deadline, lambda: (fired.append(True), _shutdown(sock)))
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
            if alarm is not None:
                WATCHDOG.cancel(alarm)
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
            self.rate_limits_met += 1
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

    def paginate(self, path, params=None, expected=0):
        """Yield every item of a list endpoint, page by page (``page[size]=250``).

        Stops at ``meta.page_number >= meta.total_pages`` or at an empty page, whichever
        comes first, as the official SDKs do. Bounded: never more than one page past what
        the first page's ``total_pages`` said, never more than ``max_pages`` pages, and a
        page that only repeats objects already listed fails rather than loops.

        ``expected``: how many objects the caller expects (the items of a run): the pages they fill are asked for
        at once, not one after another, so that 500 objects cost one round trip rather than two. A page asked for
        early that the listing never reaches is dropped unread, an error included: what Telnyx answers for a page
        past the last is not documented (the sandbox answers an empty page, as for any page past the end).
        """
        ahead = min(MAX_PAGES_AT_ONCE, self.max_pages, -(-expected // PAGE_SIZE))
        pool = ThreadPoolExecutor(max_workers=ahead - 1) if ahead > 1 else None
        early = {number: pool.submit(self._page, path, params, number) for number in range(2, ahead + 1)} if pool else {}
        try:
            yield from self._pages(path, params, early)
        finally:
            if pool is not None:
                pool.shutdown(wait=True)  # nothing of this listing runs on after it

    def _page(self, path, params, number):
        query = dict(params or {})
        query.update({"page[number]": number, "page[size]": PAGE_SIZE})
        return self.get(path, params=query) or {}

    def _pages(self, path, params, early):
        page = 1
        first_total = None
        seen = set()
        while True:
            body = early.pop(page).result() if page in early else self._page(path, params, page)
            items = body.get("data")
            if items is None:
                items = []
            if not isinstance(items, list):
                raise TelnyxError("GET", path, 200, reason="the listing's data is a %s, not a list: check api_url"
                                  % type(items).__name__)
            odd = next((item for item in items if not isinstance(item, dict) or item.get("id") in (None, "")), _NONE)
            if odd is not _NONE:
                # Nothing can be planned on it: an object without an id can be neither compared nor changed.
                raise TelnyxError("GET", path, 200, reason="the listing holds %s: check api_url"
                                  % ("an object without an id" if isinstance(odd, dict)
                                     else "a value that is not an object (%s)" % type(odd).__name__))
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
_NONE = object()


def _loads(content):
    """Parsed JSON, or _INVALID, or _TOO_DEEP; never an exception."""
    try:
        return jsonlib.loads(content.decode("utf-8") if isinstance(content, bytes) else content)
    except RecursionError:
        return _TOO_DEEP
    except (ValueError, UnicodeError, TypeError):
        return _INVALID
