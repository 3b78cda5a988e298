"""The sandbox core: API routing and shared handlers, faults, rate limit, request log, control endpoints.

Nothing here sleeps or touches sockets: ``Sandbox.api`` returns the reply (None for a dropped
connection) and how long to wait before sending it, so the whole call can hold the one lock.
"""
from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import json
import math
import re
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, unquote

from . import addresses, errors, resources
from .errors import ApiError
from .store import Store, new_uuid, now_iso, parse_iso

JSON = "application/json"
VALIDATE_PATH = re.compile(r"^/v2/addresses/actions/validate$")  # a POST that only reads
# (path pattern, resource key or None to take it from the path, {method: operation})
ROUTES = (
    (VALIDATE_PATH, "addresses", {"POST": "validate_address"}),
    (re.compile(r"^/v2/addresses/(?P<id>[^/]+)/actions/accept_suggestions$"), "addresses", {"POST": "accept_suggestions"}),
    (re.compile(r"^/v2/telephony_credentials/(?P<id>[^/]+)/token$"), "telephony_credentials", {"POST": "create_token"}),
    (re.compile(r"^/v2/(?P<key>[a-z_]+)$"), None, {"GET": "list", "POST": "create"}),
    (re.compile(r"^/v2/(?P<key>[a-z_]+)/(?P<id>[^/]+)$"), None, {"GET": "get", "PATCH": "update", "DELETE": "delete"}),
)
CRUD = ("list", "create", "get", "update", "delete")
BATCH_FLAGS = ("state", "requests", "clear_log", "reset")
BATCH_KEYS = BATCH_FLAGS + ("seed", "faults")
TOKEN_LIFETIME = 24 * 3600  # D-jwt: 24 hours, or less if the credential expires sooner
MAX_PAGE_SIZE = 250


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str | None = JSON
    headers: dict = field(default_factory=dict)
    injected: bool = False  # an injected fault's answer: not held to the spec


def json_reply(status: int, payload) -> Reply:
    return Reply(status, json.dumps(payload).encode())


def parse_filters(query: dict) -> dict:
    """filter[a]=x -> {"a": "x"}; filter[a][b]=x -> {"a": {"b": "x"}} (deepObject, as S writes them)."""
    tree: dict = {}
    for name, value in query.items():
        keys = re.findall(r"\[([^\]]*)\]", name)
        if not name.startswith("filter[") or not keys:
            continue
        node = tree
        for key in keys[:-1]:
            node = node.setdefault(key, {})
            if not isinstance(node, dict):  # filter[a]=x already given: ignore filter[a][b]
                break
        else:
            node[keys[-1]] = value
    return tree


def page_params(query: dict, default_size: int) -> tuple[int, int, list[dict]]:
    """(page number, page size, problems); a wrong value comes back as 1 or the default size."""
    values, problems = {"number": 1, "size": default_size}, []
    for name, default, upper in (("number", 1, None), ("size", default_size, MAX_PAGE_SIZE)):
        parameter = "page[%s]" % name
        raw = query.get(parameter, str(default))
        try:
            value = int(raw)
        except ValueError:
            problems.append(errors.invalid("%s must be an integer." % parameter, parameter=parameter))
            continue
        if value < 1 or (upper and value > upper):
            limits = "between 1 and %d" % upper if upper else "at least 1"
            problems.append(errors.invalid("%s must be %s." % (parameter, limits), parameter=parameter))
            continue
        values[name] = value
    return values["number"], values["size"], problems


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def make_jwt(claims: dict, key: str) -> str:
    """HS256 JWT signed with the sandbox API key, so tests can verify the signature."""
    signing_input = "%s.%s" % (_b64url(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()),
                               _b64url(json.dumps(claims).encode()))
    signature = hmac.new(key.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + _b64url(signature)


class RateLimiter:
    """A fixed one-second window shared by every API request."""

    def __init__(self, limit: int):
        self.limit = limit
        self.window = 0.0
        self.count = 0

    def hit(self, now: float) -> tuple[bool, dict]:
        if now - self.window >= 1.0:
            self.window, self.count = now, 0
        self.count += 1
        headers = {
            "x-ratelimit-limit": str(self.limit),
            "x-ratelimit-remaining": str(max(0, self.limit - self.count)),
            "x-ratelimit-reset": str(max(1, math.ceil(self.window + 1.0 - now))),
        }
        return self.count > self.limit, headers


class Sandbox:
    def __init__(self, api_key: str = "sandbox-key", state_path: str | None = None,
                 settle_ms: int = 300, rate_limit: int = 0):
        self.api_key = api_key
        self.rate_limit = rate_limit
        self.lock = threading.Lock()
        self.resources = resources.declare(settle_ms)
        self.store = Store(self.resources, state_path)
        self.log: list[dict] = []
        self.seq = 0
        self.in_flight = self.max_in_flight = 0  # API requests being answered at once (tests of parallelism)
        self.faults: list[dict] = []
        self.limiter = RateLimiter(rate_limit) if rate_limit else None
        # Every secret value received or made since the start (a reset keeps them): the leak search's list.
        self.secrets_seen = {api_key}
        self.conformance = None  # the --spec validator (conformance.Conformance), set by app.main

    def remember_secrets(self, resource, obj: dict) -> None:
        self.secrets_seen.update(str(obj[f]) for f in resource.secret_fields if obj.get(f))

    # ================================================================ API requests
    def api(self, method: str, path: str, query_string: str, headers, body: bytes) -> tuple[Reply | None, float]:
        """Answer one /v2 request: (reply or None to drop the connection, seconds to wait first)."""
        query = dict(parse_qsl(query_string, keep_blank_values=True))
        with self.lock:
            limit_headers, reply, fault = self._gate(path, headers)
            if reply is None:
                fault = self._take_fault(method, path)
                reply = self._answer(method, path, query, body, fault)
            if reply is not None:
                reply.headers = {**limit_headers, **reply.headers}
            self.seq += 1
            self.log.append({"seq": self.seq, "method": method, "path": path, "query": query,
                             "status": reply.status if reply else 0, "fault": fault["kind"] if fault else None,
                             "at": round(time.time(), 4)})
            return reply, (fault or {}).get("delay_ms", 0) / 1000.0

    def _gate(self, path: str, headers) -> tuple[dict, Reply | None, dict | None]:
        """Rate limit, then the key: (x-ratelimit-* headers, a refusal or None, what to log as the fault)."""
        limit_headers = {}
        if self.limiter:
            limited, limit_headers = self.limiter.hit(time.monotonic())
            if limited:  # D-rate: the body is fixed, and Telnyx documents no Retry-After
                return limit_headers, self._error_reply(path, ApiError(429)), {"kind": "rate_limit"}
        scheme, dummy, key = headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or key != self.api_key:
            return limit_headers, self._error_reply(path, ApiError(401)), None
        return limit_headers, None, None

    def _answer(self, method: str, path: str, query: dict, body: bytes, fault: dict | None) -> Reply | None:
        """The operation's reply, or what an injected fault puts in its place (None: drop the connection)."""
        if fault and fault["race"]:  # another client's creates land just before this request
            self._seed_objects(fault["race"], time.time())
        performs = fault is None or fault["kind"] in ("delay", "race")
        reply = None
        if performs or fault["after_effect"]:
            reply = self._dispatch(method, path, query, body)
        if performs:
            return reply
        return None if fault["kind"] == "drop" else self._fault_reply(path, fault)

    def _dispatch(self, method: str, path: str, query: dict, body: bytes) -> Reply:
        try:
            for pattern, key, operations in ROUTES:
                match = pattern.match(path)
                if not match:
                    continue
                params = match.groupdict()
                resource = self.resources.get(key or params["key"])
                if resource is None:
                    break
                operation = operations.get(method)
                if operation is None or (operation in CRUD and operation not in resource.operations):
                    raise ApiError(405)
                args = [resource]
                if "id" in params:
                    args.append(unquote(params["id"]))
                if operation == "list":
                    args.append(query)
                elif operation in ("create", "update", "validate_address", "accept_suggestions"):
                    args.append(self._json_body(body))
                return getattr(self, "op_" + operation)(*args)
            raise ApiError(404)
        except ApiError as exc:
            return self._error_reply(path, exc)

    @staticmethod
    def _json_body(body: bytes) -> dict:
        if not body.strip():
            return {}
        try:
            payload = json.loads(body)
        except ValueError:
            raise ApiError(400, errors.invalid("The request body is not valid JSON.")) from None
        if not isinstance(payload, dict):
            raise ApiError(400, errors.invalid("The request body must be a JSON object."))
        return payload

    def _error_reply(self, path: str, exc: ApiError) -> Reply:
        return json_reply(exc.status, errors.render(exc.errors, exc.status, self._style(path)))

    def _style(self, path: str) -> str:
        resource = self.resources.get(path.split("/")[2] if path.count("/") >= 2 else "")
        return resource.error_style if resource else "full"

    def _envelope(self, resource, status: int, obj: dict) -> Reply:
        view = resource.view(obj, time.time())
        return json_reply(status, view if resource.bare else {"data": view})

    def _find(self, resource, obj_id: str) -> dict:
        obj = self.store.get(resource.key, obj_id)
        if obj is None or not resource.visible(obj):
            raise ApiError(404)
        return obj

    def _live(self, resource) -> list[dict]:
        return [obj for obj in self.store.objects(resource.key) if resource.visible(obj)]

    # ---------------------------------------------------------------- shared handlers
    def op_list(self, resource, query: dict) -> Reply:
        number, size, problems = page_params(query, resource.page_size)
        filters = parse_filters(query)
        problems += resource.check_filters(filters)
        sort = query.get("sort") or resource.default_sort
        if resource.sorts and sort and sort.lstrip("-") not in resource.sorts:
            problems.append(errors.invalid("sort must be one of: %s (optionally prefixed with '-')."
                                           % ", ".join(resource.sorts), parameter="sort"))
        if problems:
            raise ApiError(resource.query_error_status, problems)
        now = time.time()
        listed = [obj for obj in self.store.objects(resource.key) if resource.listed(obj)]
        rows = [(obj, resource.full(obj, now)) for obj in listed]
        rows = [(i, obj, full) for i, (obj, full) in enumerate(rows) if resource.matches(full, filters)]
        if resource.sorts and sort:
            name = sort.lstrip("-")
            rows.sort(key=lambda row: _sort_key(row[2].get(name), row[0]), reverse=sort.startswith("-"))
        page = rows[(number - 1) * size:number * size]
        meta = {"page_number": number, "page_size": size,
                "total_pages": math.ceil(len(rows) / size), "total_results": len(rows)}
        return json_reply(200, {"data": [resource.view(obj, now) for dummy, obj, dummy in page], "meta": meta})

    def op_create(self, resource, body: dict) -> Reply:
        problems = resource.validate(body, self._live(resource))
        if problems:
            raise ApiError(422, problems)
        obj = resource.build(body, time.time())
        self.remember_secrets(resource, obj)
        self.store.put(resource.key, obj)
        self.store.save()
        return self._envelope(resource, resource.create_status, obj)

    def op_get(self, resource, obj_id: str) -> Reply:
        return self._envelope(resource, 200, self._find(resource, obj_id))

    def op_update(self, resource, obj_id: str, body: dict) -> Reply:
        obj = self._find(resource, obj_id)
        problems = resource.validate(body, self._live(resource), current=obj)
        if problems:
            raise ApiError(422, problems)
        resource.apply(obj, body, time.time())
        self.store.save()
        return self._envelope(resource, 200, obj)

    def op_delete(self, resource, obj_id: str) -> Reply:
        obj = self._find(resource, obj_id)
        if resource.delete(obj, time.time()):
            self.store.remove(resource.key, obj_id)
        self.store.save()
        if resource.delete_status == 204:
            return Reply(204, content_type=None)
        return self._envelope(resource, resource.delete_status, obj)

    # ---------------------------------------------------------------- actions
    def op_validate_address(self, resource, body: dict) -> Reply:
        problems = addresses.check_input(body, addresses.VALIDATE_REQUIRED)
        if problems:
            raise ApiError(422, problems)
        return json_reply(200, {"data": addresses.validation_result(body)})

    def op_accept_suggestions(self, resource, obj_id: str, body: dict) -> Reply:
        obj = self._find(resource, obj_id)
        already = obj.get("_suggestions_accepted", False)
        if not already:
            # PYW: accepting replaces the original values with the suggested ones, once.
            suggested = obj.get("_suggested") or {}
            if suggested:
                obj.update(suggested)
                obj["updated_at"] = now_iso()
            obj["_suggestions_accepted"] = True
            self.store.save()
        return json_reply(200 if already else 202,
                          {"data": {"id": obj_id, "accepted": True, "record_type": "address_suggestion"}})

    def op_create_token(self, resource, obj_id: str) -> Reply:
        obj = self._find(resource, obj_id)
        now = int(time.time())
        expires = parse_iso(obj.get("expires_at"))
        if expires and expires.timestamp() <= now:
            raise ApiError(422, errors.invalid("The credential has expired."))
        exp = now + TOKEN_LIFETIME
        if expires:
            exp = min(exp, int(expires.timestamp()))
        claims = {"aud": "telnyx_telephony", "iss": "telnyx_telephony", "typ": "access", "sub": obj_id,
                  "iat": now, "nbf": now, "exp": exp, "jti": new_uuid()}
        token = make_jwt(claims, self.api_key)
        self.secrets_seen.add(token)
        return Reply(201, token.encode(), "text/plain")

    # ================================================================ faults
    def _take_fault(self, method: str, path: str) -> dict | None:
        for fault in self.faults:
            if fault["method"] in (None, method) and path.startswith(fault["path"]):
                fault["times"] -= 1
                if fault["times"] <= 0:
                    self.faults.remove(fault)
                return dict(fault)
        return None

    def _fault_reply(self, path: str, fault: dict) -> Reply:
        status, body = fault["status"], fault["body"]
        if status == 204:
            reply = Reply(204, content_type=None)
        elif isinstance(body, str):  # sent raw, so a malformed JSON body can be simulated
            reply = Reply(status, body.encode())
        elif body is not None:
            reply = json_reply(status, body)
        elif status >= 400:
            reply = self._error_reply(path, ApiError(status))
        else:
            reply = json_reply(status, {})
        reply.injected = True
        if fault["retry_after"] is not None:
            reply.headers["Retry-After"] = _number(fault["retry_after"])
        if fault["ratelimit_reset"] is not None:
            reply.headers["x-ratelimit-reset"] = _number(fault["ratelimit_reset"])
        return reply

    def add_fault(self, spec) -> dict:
        return self._queue_fault(self._checked_fault(spec))

    def _queue_fault(self, fault: dict) -> dict:
        with self.lock:
            self.faults.append(fault)
            return dict(fault)

    def _checked_fault(self, spec) -> dict:
        """The fault a spec describes, defaults filled in; ValueError if the spec is wrong."""
        if not isinstance(spec, dict):
            raise ValueError("the fault must be a JSON object")
        fault = {"method": spec.get("method"), "path": spec.get("path", "/v2"), "status": spec.get("status"),
                 "times": spec.get("times", 1), "retry_after": spec.get("retry_after"),
                 "ratelimit_reset": spec.get("ratelimit_reset"), "body": spec.get("body"),
                 "after_effect": spec.get("after_effect", False), "drop": spec.get("drop", False),
                 "delay_ms": spec.get("delay_ms", 0), "race": spec.get("race")}
        unknown = set(spec) - set(fault)
        checks = (
            (not unknown, "unknown keys: %s" % ", ".join(sorted(unknown))),
            (fault["method"] is None or isinstance(fault["method"], str), "method must be a string"),
            (isinstance(fault["path"], str) and fault["path"].startswith("/"), "path must start with /"),
            (fault["status"] is None or (_is_int(fault["status"]) and 100 <= fault["status"] <= 599),
             "status must be an HTTP status code"),
            (_is_int(fault["times"]) and fault["times"] >= 1, "times must be an integer >= 1"),
            (all(fault[k] is None or _is_number(fault[k]) for k in ("retry_after", "ratelimit_reset")),
             "retry_after and ratelimit_reset must be numbers"),
            (_is_number(fault["delay_ms"]) and fault["delay_ms"] >= 0, "delay_ms must be a number >= 0"),
            (isinstance(fault["after_effect"], bool) and isinstance(fault["drop"], bool),
             "after_effect and drop must be booleans"),
            (fault["status"] is not None or fault["drop"] or fault["delay_ms"] or fault["race"] is not None,
             "give status, drop, delay_ms or race"),
            (not (fault["status"] is not None and fault["drop"]), "status and drop exclude each other"),
            (fault["status"] is not None or all(fault[k] is None for k in ("retry_after", "ratelimit_reset", "body")),
             "retry_after, ratelimit_reset and body need a status"),
        )
        for ok, message in checks:
            if not ok:
                raise ValueError(message)
        if fault["race"] is not None:
            try:
                self._check_seed(fault["race"])
            except ValueError as exc:
                raise ValueError("race: %s" % exc) from None
        if fault["method"]:
            fault["method"] = fault["method"].upper()
        fault["kind"] = ("drop" if fault["drop"] else "status" if fault["status"] is not None
                         else "delay" if fault["delay_ms"] else "race")
        return fault

    # ================================================================ control endpoints
    def control(self, method: str, path: str, body: bytes) -> Reply:
        """/_sandbox/*: no key needed, never logged, never rate limited or faulted."""
        handlers = {
            ("GET", "/_sandbox/requests"): lambda _: {"requests": list(self.log), "max_in_flight": self.max_in_flight},
            ("DELETE", "/_sandbox/requests"): self._clear_log,
            ("POST", "/_sandbox/reset"): self._reset,
            ("GET", "/_sandbox/state"): lambda _: self._state(),
            ("POST", "/_sandbox/seed"): self._seed,
            ("GET", "/_sandbox/secrets"): lambda _: {"secrets": sorted(self.secrets_seen)},
            ("GET", "/_sandbox/faults"): lambda _: {"faults": list(self.faults)},
            ("POST", "/_sandbox/faults"): lambda payload: {"fault": self.add_fault(payload)},
            ("DELETE", "/_sandbox/faults"): self._clear_faults,
            ("POST", "/_sandbox/batch"): self._batch,
            ("GET", "/_sandbox/conformance"): lambda _: self._conformance().report(),
            ("DELETE", "/_sandbox/conformance"): lambda _: self._conformance().clear(),
        }
        handler = handlers.get((method, path))
        if handler is None:
            return json_reply(404, {"error": "unknown control endpoint %s %s" % (method, path)})
        try:
            payload = json.loads(body) if body.strip() else None
            return json_reply(200, handler(payload))
        except ValueError as exc:  # includes JSON decoding errors
            return json_reply(400, {"error": str(exc)})

    def _batch(self, payload) -> dict:
        """Several control steps in one request (a test's bookkeeping between two steps costs one call), in this
        order: read (state, requests), then reset or clear the log, then seed, then queue faults. The whole body
        is checked before anything is done."""
        payload = {} if payload is None else payload
        if not isinstance(payload, dict) or set(payload) - set(BATCH_KEYS):
            raise ValueError("batch takes an object with the keys: %s" % ", ".join(BATCH_KEYS))
        if not all(isinstance(payload.get(key, False), bool) for key in BATCH_FLAGS):
            raise ValueError("%s take true or false" % ", ".join(BATCH_FLAGS))
        if not isinstance(payload.get("faults", []), list):
            raise ValueError("faults takes a list of faults")
        if "seed" in payload:
            self._check_seed(payload["seed"])
        faults = [self._checked_fault(spec) for spec in payload.get("faults", [])]
        answer = {}
        if payload.get("state"):
            answer["state"] = self._state()
        if payload.get("requests"):
            with self.lock:
                log, peak = list(self.log), self.max_in_flight
            answer.update(requests=log, writes=[entry for entry in log if _is_write(entry)], max_in_flight=peak)
        if payload.get("reset"):
            self._reset(None)
        elif payload.get("clear_log"):
            self._clear_log(None)
        if "seed" in payload:
            answer["seeded"] = self._seed(payload["seed"])
        if faults:
            answer["faults"] = [self._queue_fault(fault) for fault in faults]
        return answer

    def _conformance(self):
        if self.conformance is None:
            raise ValueError("conformance checking is off: start the sandbox with --spec FILE")
        return self.conformance

    def _clear_log(self, _payload) -> dict:
        with self.lock:
            self.log, self.seq = [], 0
            self.max_in_flight = self.in_flight
        return {"requests": []}

    def enter(self) -> None:
        """An API request arrived (before latency); counts requests in flight."""
        with self.lock:
            self.in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self.in_flight)

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1

    def _clear_faults(self, _payload) -> dict:
        with self.lock:
            self.faults = []
        return {"faults": []}

    def _reset(self, _payload) -> dict:
        with self.lock:
            self.store.clear()
            self.store.save()
            self.log, self.seq, self.faults = [], 0, []
            self.max_in_flight = self.in_flight
            self.limiter = RateLimiter(self.rate_limit) if self.rate_limit else None
        return {"reset": True}

    def _state(self) -> dict:
        now = time.time()
        with self.lock:
            return {key: [resource.full(obj, now) for obj in self.store.objects(key)]
                    for key, resource in self.resources.items()}

    def _check_seed(self, payload) -> None:
        """A seed body (also a race fault's): {resource key: [objects]}; ValueError otherwise."""
        if not isinstance(payload, dict) or set(payload) - set(self.resources):
            raise ValueError("seed takes an object with the keys: %s" % ", ".join(self.resources))
        if not all(isinstance(items, list) and all(isinstance(i, dict) for i in items) for items in payload.values()):
            raise ValueError("each seed key takes a list of objects")

    def _seed(self, payload) -> dict:
        self._check_seed(payload)
        with self.lock:
            return self._seed_objects(payload, time.time())

    def _seed_objects(self, payload: dict, now: float) -> dict:
        """Store seeded objects (the caller holds the lock); the created objects per key, in state form."""
        created = {}
        for key, items in payload.items():
            resource = self.resources[key]
            created[key] = []
            for item in copy.deepcopy(items):  # a race fault seeds its items once per use
                # No validation: the API's defaults and derived fields, then whatever the item sets.
                obj = resource.build(item, now)
                obj.update({k: v for k, v in resource.seed_defaults.items() if k not in item})
                for name, value in item.items():
                    if isinstance(value, dict) and isinstance(obj.get(name), dict):
                        obj[name].update(value)
                    else:
                        obj[name] = value
                self.remember_secrets(resource, obj)
                self.store.put(key, obj)
                created[key].append(resource.full(obj, now))
        self.store.save()
        return created


def _is_write(entry: dict) -> bool:
    """Whether a logged request may change something: every method but GET, except the validate action."""
    return entry["method"] != "GET" and not VALIDATE_PATH.match(entry["path"])


def _sort_key(value, index: int) -> tuple:
    # Missing values sort last; strings case-insensitively; creation order breaks ties.
    return (value is None, value.lower() if isinstance(value, str) else value, index)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
