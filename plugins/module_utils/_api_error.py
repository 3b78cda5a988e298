# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""What a failed API call says: the one exception type, and Telnyx error bodies read into it.

The bottom layer: it knows neither requests nor Ansible, so every layer above can raise and read it.
"""

from __future__ import annotations

# The most characters of the server's own words (error titles, details) put in one message.
MAX_DETAIL = 120
MAX_MESSAGE = 290
MAX_ERRORS = 10

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
