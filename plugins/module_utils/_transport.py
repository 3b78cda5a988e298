# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""How one request travels: where the key may go, proxies and certificates, the deadline
watchdog, and what a broken connection means. The client (``_client.py``) builds on it.
"""

from __future__ import annotations

import heapq
import ipaddress
import itertools
import os
import socket
import threading
import time
from urllib.parse import urlsplit

from ._api_error import _one_line

try:
    import requests
    from requests.utils import get_environ_proxies
except ImportError:
    pass  # _client.HAS_REQUESTS reports it before a client is built; nothing here runs without requests

DEFAULT_API_URL = "https://api.telnyx.com/v2"


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


# The deadline of the request the current thread is sending (time.monotonic), for the watchdog below.
_REQUEST_DEADLINE = threading.local()
_DEADLINE_POOLS = []


def _shutdown(sock):
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


class Watchdog:
    """One thread for every deadline of every request: at a deadline, its action runs (the request's socket is
    shut, which ends a blocked read at once). A timer thread per read cost a thread start and a wake-up for each
    of hundreds of requests. An action cancelled before its deadline never runs, not even one just due."""

    def __init__(self):
        self._due = []  # heap of [when (time.monotonic), order, action or None when cancelled]
        self._order = itertools.count()
        self._changed = threading.Condition()
        self._thread = None

    def at(self, when, action):
        """Run ``action()`` at ``when`` unless cancelled first; returns the handle for ``cancel``."""
        entry = [when, next(self._order), action]
        with self._changed:
            heapq.heappush(self._due, entry)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._watch, name="telnyx-deadlines", daemon=True)
                self._thread.start()
            elif self._due[0] is entry:  # sooner than what the thread sleeps towards
                self._changed.notify()
        return entry

    def cancel(self, entry):
        with self._changed:
            entry[2] = None

    def _watch(self):
        # The thread keeps the condition and heap it started with: when forked() gives the process new ones, a
        # thread still waiting on the old ones (only in a test: a real fork has no such thread) ends at its next
        # wake-up instead of reading the new heap under the old lock.
        changed, due = self._changed, self._due
        with changed:
            while self._changed is changed:
                while due and (due[0][2] is None or due[0][0] <= time.monotonic()):
                    action = heapq.heappop(due)[2]
                    if action is not None:
                        try:
                            action()  # under the lock: a cancel that returned has stopped it for good
                        except Exception:  # pylint: disable=broad-except
                            pass  # a deadline that could not be kept must not end the watch (nor print a traceback)
                changed.wait(due[0][0] - time.monotonic() if due else None)

    def forked(self):
        """In a forked child: the thread and the lock of the parent are not this process's."""
        self._due, self._changed, self._thread = [], threading.Condition(), None


WATCHDOG = Watchdog()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=WATCHDOG.forked)


class _DeadlineConnection:
    """Mixed into urllib3's connections: the status line and headers must arrive by the deadline.

    A server that drips its headers a byte at a time never trips the per-read timeout; at the
    deadline the watchdog shuts the socket, which ends the blocked read at once.
    """

    def getresponse(self, *args, **kwargs):
        deadline = getattr(_REQUEST_DEADLINE, "value", None)
        sock = getattr(self, "sock", None)
        alarm = WATCHDOG.at(deadline, lambda: _shutdown(sock)) if deadline is not None and sock is not None else None
        try:
            return super().getresponse(*args, **kwargs)
        finally:
            if alarm is not None:
                WATCHDOG.cancel(alarm)


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
