"""``--spec``: hold every /v2 exchange to the OpenAPI subset with openapi-core.

Imported only when ``--spec`` is given, so the sandbox stays standard-library only otherwise.
The spec is made strict first (an object schema with ``properties`` and no ``additionalProperties``
gets ``additionalProperties: false``), so an undeclared field is a violation, and the deliberate
departures (``departures.py``) are patched in. Counts survive ``/_sandbox/reset``.
"""
from __future__ import annotations

import json
import re
import statistics
import threading
import time
from collections import deque
from urllib.parse import parse_qsl

from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import PathError
from openapi_core.testing import MockRequest, MockResponse

from .departures import DEPARTURES, HTTP_METHODS
from .specs import validation_spec

# Requests are matched against S's own server URL, whatever host the sandbox listens on.
TELNYX_HOST = "https://api.telnyx.com"
MAX_STORED_VIOLATIONS = 200


def describe(exc: Exception) -> tuple[str, list[str]]:
    """(a one-line reason, the undeclared field names) for an openapi-core validation error."""
    details, undeclared, seen, cause = [], [], set(), exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        for error in getattr(cause, "schema_errors", None) or []:
            where = "/".join(str(p) for p in getattr(error, "absolute_path", ())) or "(root)"
            details.append("at %s: %s" % (where, getattr(error, "message", error)))
            if getattr(error, "validator", None) == "additionalProperties" and isinstance(error.instance, dict):
                declared = error.schema.get("properties", {})
                undeclared += sorted(name for name in error.instance if name not in declared)
        cause = cause.__cause__ or cause.__context__
    # The schema errors say it best; the exception's own text repeats the whole value.
    text = "; ".join(dict.fromkeys(details)) if details else str(exc)
    return ("%s: %s" % (type(exc).__name__, text))[:1000], undeclared


class Conformance:
    def __init__(self, spec: dict):
        self.spec = spec
        self.app = OpenAPI.from_dict(validation_spec(spec))  # built once: validation stays cheap
        self.operations = []  # (regex for /v2 paths, template, {METHOD: declared statuses})
        for template, item in spec["paths"].items():
            pattern = re.sub(r"\{[^/}]+\}", "[^/]+", template)  # S's templates are plain path characters
            methods = {m.upper(): set(op.get("responses", {})) for m, op in item.items() if m in HTTP_METHODS}
            self.operations.append((re.compile("^/v2" + pattern + "$"), template, methods))
        self.lock = threading.Lock()  # guards the counts only; validation runs unlocked
        self.clear()

    @classmethod
    def from_file(cls, path: str) -> "Conformance":
        with open(path, encoding="utf-8") as handle:
            return cls(json.load(handle))

    def clear(self, _payload=None) -> dict:
        with self.lock:
            self.requests_validated = self.responses_validated = self.skipped = 0
            self.violation_count = self.undeclared_fields = 0
            self.violations: list[dict] = []
            self.skipped_reasons: dict[str, int] = {}
            self.departures_used: dict[str, int] = {}
            self.timings = deque(maxlen=2000)  # ms per validated exchange, for the median
        return self.report()

    def operation(self, method: str, path: str) -> tuple[str, set] | None:
        """(S path template, declared response statuses) of a /v2 request, or None if S lacks it."""
        for pattern, template, methods in self.operations:
            if pattern.match(path):
                return (template, methods[method]) if method in methods else None
        return None

    # ---------------------------------------------------------------- checking one exchange
    def check(self, method: str, path: str, query_string: str, headers, body: bytes, reply) -> None:
        """Validate one /v2 exchange; ``reply`` is None for a dropped connection."""
        found = self.operation(method, path)
        if found is None:
            self._skip("operation not in the spec")
            return
        started = time.perf_counter()
        template, declared = found
        request = MockRequest(TELNYX_HOST, method, path, args=parse_qsl(query_string, keep_blank_values=True),
                              headers=dict(headers.items()), data=body or None,
                              content_type=headers.get("Content-Type") or "")
        request_error = self._error(self.app.validate_request, request)
        response_error = injected = None
        if reply is None or reply.injected:
            injected = True
        else:
            response = MockResponse(reply.body, reply.status, reply.headers, reply.content_type or "")
            response_error = self._error(self.app.validate_response, request, response)
        elapsed = (time.perf_counter() - started) * 1000
        status = reply.status if reply is not None else 0
        with self.lock:
            self.timings.append(elapsed)
            self.requests_validated += 1
            if request_error:
                self._violation(method, path, status, "request", request_error)
            if injected:
                self._skip_locked("injected fault")
                return
            self.responses_validated += 1
            if response_error:
                self._violation(method, path, status, "response", response_error)
            for departure in DEPARTURES:
                if departure.touches(method, template) and (
                        not departure.statuses or (status in departure.statuses and str(status) not in declared
                                                   and "default" not in declared)):
                    self.departures_used[departure.id] = self.departures_used.get(departure.id, 0) + 1

    @staticmethod
    def _error(validate, *args) -> tuple[str, list[str]] | None:
        try:
            validate(*args)
        except PathError as exc:  # not expected: operation() matched first
            return "path not found: %s" % exc, []
        except Exception as exc:  # openapi-core raises several families; any of them is a finding
            return describe(exc)
        return None

    def _violation(self, method, path, status, where, error) -> None:
        reason, undeclared = error
        self.violation_count += 1
        if where == "response":
            self.undeclared_fields += len(undeclared)
        if len(self.violations) < MAX_STORED_VIOLATIONS:
            entry = {"method": method, "path": path, "status": status, "where": where, "reason": reason}
            if undeclared:
                entry["undeclared_fields"] = undeclared
            self.violations.append(entry)

    def _skip(self, reason: str) -> None:
        with self.lock:
            self._skip_locked(reason)

    def _skip_locked(self, reason: str) -> None:
        self.skipped += 1
        self.skipped_reasons[reason] = self.skipped_reasons.get(reason, 0) + 1

    # ---------------------------------------------------------------- reporting
    def report(self, _payload=None) -> dict:
        with self.lock:
            timings = list(self.timings)
            return {
                "requests_validated": self.requests_validated,
                "responses_validated": self.responses_validated,
                "skipped": self.skipped,
                "skipped_reasons": dict(self.skipped_reasons),
                "violations": list(self.violations),
                "violation_count": self.violation_count,
                "undeclared_response_fields": self.undeclared_fields,
                "departures_used": dict(self.departures_used),
                "departures_listed": len(DEPARTURES),
                "departure_ids": [departure.id for departure in DEPARTURES],
                "median_ms_per_exchange": round(statistics.median(timings), 3) if timings else None,
            }
