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
from openapi_schema_validator import OAS31Validator

from .departures import DEPARTURES, HTTP_METHODS
from .specs import validation_spec

# Requests are matched against S's own server URL, whatever host the sandbox listens on.
TELNYX_HOST = "https://api.telnyx.com"
MAX_STORED_VIOLATIONS = 200
# A query key with two or more bracket levels: filter[street_address][contains].
NESTED_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\]){2,})$")


def resolved(node, spec: dict, depth: int = 0):
    """``node`` with every local ``$ref`` inlined (S's parameter schemas are small and acyclic)."""
    if depth > 20:
        raise ValueError("$ref nesting too deep")
    if isinstance(node, dict):
        if "$ref" in node:
            target = spec
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part]
            return resolved(target, spec, depth + 1)
        return {key: resolved(value, spec, depth + 1) for key, value in node.items()}
    if isinstance(node, list):
        return [resolved(value, spec, depth + 1) for value in node]
    return node


def nested_deep_objects(spec: dict) -> dict:
    """{(METHOD, template): {parameter name: schema}} for the deepObject query parameters of each operation."""
    found = {}
    for template, item in spec["paths"].items():
        shared = item.get("parameters", [])
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            parameters = [resolved(p, spec) for p in shared + operation.get("parameters", [])]
            found[(method.upper(), template)] = {p["name"]: p.get("schema", {}) for p in parameters
                                                 if p.get("in") == "query" and p.get("style") == "deepObject"}
    return found


def split_nested_query(args: list, names) -> tuple[dict, list]:
    """Nested deepObject values as one tree per parameter (filter[a][b]=v -> {"a": {"b": "v"}}), and the rest.

    openapi-core 0.23 reads filter[a][b]=v as {"a": "v"}, dropping the inner key, so a parameter that
    arrives nested is checked here, against its own (strict) schema, and kept from openapi-core."""
    nested = {m.group(1) for m in (NESTED_KEY.match(key) for key, dummy in args) if m and m.group(1) in names}
    trees, rest = {}, []
    for key, value in args:
        keys = re.findall(r"\[([^\]]*)\]", key)
        name = key.split("[", 1)[0]
        if name not in nested or not keys:
            rest.append((key, value))
            continue
        node = trees.setdefault(name, {})
        for inner in keys[:-1]:
            node = node.setdefault(inner, {}) if isinstance(node.get(inner, {}), dict) else {}
        node[keys[-1]] = value
    return trees, rest


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
        strict = validation_spec(spec)
        self.app = OpenAPI.from_dict(strict)  # built once: validation stays cheap
        self.deep_objects = {operation: {name: OAS31Validator(schema) for name, schema in parameters.items()}
                             for operation, parameters in nested_deep_objects(strict).items()}
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
        validators = self.deep_objects.get((method, template), {})
        trees, args = split_nested_query(parse_qsl(query_string, keep_blank_values=True), validators)
        request = MockRequest(TELNYX_HOST, method, path, args=args,
                              headers=dict(headers.items()), data=body or None,
                              content_type=headers.get("Content-Type") or "")
        request_error = self._nested_error(validators, trees) or self._error(self.app.validate_request, request)
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
    def _nested_error(validators: dict, trees: dict) -> tuple[str, list[str]] | None:
        for name, tree in sorted(trees.items()):
            problems = sorted(validators[name].iter_errors(tree), key=lambda e: list(e.absolute_path))
            if problems:
                where = "/".join(str(p) for p in problems[0].absolute_path) or "(root)"
                return "query parameter %s at %s: %s" % (name, where, problems[0].message), []
        return None

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
