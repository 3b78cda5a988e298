"""The seven resources, declared: fields, envelopes, status codes, filters, sorts, per-resource rules.

The shared handlers in ``api.py`` drive these declarations; a subclass overrides only the
hooks where its resource differs from the common case.
"""
from __future__ import annotations

import ipaddress
import re
import secrets
import string

from . import addresses, errors
from .store import ORGANIZATION_ID, USER_ID, new_uuid, now_iso, parse_iso

URI_RE = re.compile(r"^https?://[^\s/?#]+[^\s]*$")
SHORT_NAME_RE = re.compile(r"^[A-Za-z0-9_-]+$")
FINGERPRINT_ALGORITHMS = ("sha1", "sha256", "sha384", "sha512")
SECRET_TYPES = ("bearer", "basic")


def check_fields(body: dict, fields: dict, required: tuple = (), prefix: str = "") -> list[dict]:
    """Required and type checks; ``fields`` maps a name to str, bool, dict, 'uri', 'datetime', 'ip', 'cidr' or an enum tuple."""
    problems = []
    for name in required:
        if body.get(name) is None or body.get(name) == "":
            problems.append(errors.missing(name, prefix + "/" + name))
    for name, kind in fields.items():
        if name not in body or (name in required and body.get(name) in (None, "")):
            continue
        value, pointer = body[name], prefix + "/" + name
        if isinstance(kind, tuple):
            ok, expected = value in kind, "one of: " + ", ".join(kind)
        elif kind in (str, bool, dict):
            ok, expected = isinstance(value, kind), {str: "a string", bool: "a boolean", dict: "an object"}[kind]
        elif kind == "uri":
            ok, expected = isinstance(value, str) and bool(URI_RE.match(value)), "an http(s) URL"
        elif kind == "datetime":
            ok, expected = parse_iso(value) is not None, "an ISO-8601 date-time"
        elif kind == "cidr":
            ok, expected = _is_cidr(value), "an IPv4 or IPv6 network in CIDR notation"
        else:  # "ip": a single address; CIDR blocks are a different resource (/access_ip_ranges)
            ok, expected = _is_ip(value), "a single IPv4 or IPv6 address"
        if not ok:
            problems.append(errors.invalid("%s must be %s." % (name, expected), pointer=pointer))
    return problems


def taken(field: str) -> dict:
    # S says the field is unique but documents no duplicate error; 10012 would be an invention,
    # so the generic "invalid value" code is used.
    return errors.error("10015", "Invalid value", "%s is already taken." % field, pointer="/" + field)


def _is_ip(value) -> bool:
    if not isinstance(value, str):  # ipaddress would take an int
        return False
    try:
        ipaddress.ip_address(value)
    except (TypeError, ValueError):
        return False
    return True


def _is_cidr(value) -> bool:
    # "10.0.0.1/24" (host bits set) is accepted and stored as sent: whether Telnyx normalises is not documented.
    if not isinstance(value, str) or "/" not in value:
        return False
    try:
        ipaddress.ip_network(value, strict=False)
    except (TypeError, ValueError):
        return False
    return True


def _filter_text(value, operator: str | None = None) -> str | None:
    """filter[x]=v is _filter_text(tree["x"]); filter[x][op]=v is _filter_text(tree["x"], op); None if not sent so."""
    if operator:
        value = value.get(operator) if isinstance(value, dict) else None
    return value if isinstance(value, str) else None


def _random_text(alphabet: str, length: int) -> str:
    return "".join(secrets.choice(alphabet) for dummy in range(length))


class Resource:
    secret_fields: tuple = ()  # values a client must never print: /_sandbox/secrets lists every one seen
    key = ""                      # the URL segment under /v2, and the key in state and seed bodies
    record_type = ""
    bare = False                  # access IPs answer with the object itself, not {"data": ...}
    operations = frozenset({"list", "create", "get", "update", "delete"})
    create_status = 200
    delete_status = 200
    page_size = 20
    query_error_status = 400      # bad page/sort/filter values: the status S declares for the list operation
    sorts: tuple = ()             # sortable fields; "-field" sorts descending
    default_sort = None           # None: creation order, oldest first
    error_style = "full"          # see errors.render
    fields: dict = {}             # user-settable fields and their kinds (check_fields)
    required: tuple = ()          # required on create
    hidden: tuple = ()            # stored (and shown by /_sandbox/state) but never in API responses
    seed_defaults: dict = {}

    # --- validation -------------------------------------------------------------------
    def validate(self, body: dict, objects: list[dict], current: dict | None = None) -> list[dict]:
        """422 error items for a create (current is None) or an update of ``current``."""
        return check_fields(body, self.fields, self.required if current is None else ())

    def check_filters(self, filters: dict) -> list[dict]:
        return []

    # --- building and changing objects --------------------------------------------------
    def new_id(self) -> str:
        return new_uuid()

    def build(self, body: dict, now: float) -> dict:
        """A stored object from user fields (validated for the API, raw for seeds)."""
        obj = {"id": self.new_id()}
        if self.record_type:
            obj["record_type"] = self.record_type
        obj.update({name: body[name] for name in self.fields if name in body})
        obj["created_at"] = obj["updated_at"] = now_iso(now)
        return obj

    def apply(self, obj: dict, body: dict, now: float) -> None:
        obj.update({name: body[name] for name in self.fields if name in body})
        obj["updated_at"] = now_iso(now)

    def delete(self, obj: dict, now: float) -> bool:
        """Check a delete; False keeps the object stored (a soft delete), True removes it."""
        return True

    # --- reading ----------------------------------------------------------------------
    def visible(self, obj: dict) -> bool:
        """Found by GET/PATCH/DELETE {id} (and checked against uniqueness)."""
        return True

    def listed(self, obj: dict) -> bool:
        """Shown by the list operation."""
        return self.visible(obj)

    def computed(self, obj: dict, now: float) -> dict:
        """Fields derived at read time."""
        return {}

    def full(self, obj: dict, now: float) -> dict:
        """The stored object with its derived fields: what /_sandbox/state shows."""
        return {**obj, **self.computed(obj, now)}

    def view(self, obj: dict, now: float) -> dict:
        """The API representation: no write-only fields, no sandbox bookkeeping (``_`` keys)."""
        return {k: v for k, v in self.full(obj, now).items() if k not in self.hidden and not k.startswith("_")}

    def matches(self, obj: dict, filters: dict) -> bool:
        """``obj`` is the full object; ``filters`` is the parsed filter[...] tree."""
        return True


class AccessIPs(Resource):
    key = "access_ip_address"
    bare = True
    query_error_status = 422      # S: the list declares 422 (cloudflare-ip-list-sync_Errors), not 400
    operations = frozenset({"list", "create", "get", "delete"})
    fields = {"ip_address": "ip", "description": str}
    required = ("ip_address",)
    seed_defaults = {"status": "added", "_settles": False}

    def __init__(self, settle_ms: int):
        self.settle = settle_ms / 1000.0

    def build(self, body, now):
        obj = super().build(body, now)
        obj.update(source="api", status="pending", user_id=USER_ID, _settles=True)
        return obj

    def computed(self, obj, now):
        # The real list syncs to Cloudflare asynchronously; here "pending" settles after a fixed delay.
        # Only entries made through the API settle: a seeded "pending" stays pending, for tests.
        created = parse_iso(obj.get("created_at"))
        if obj.get("_settles") and obj.get("status") == "pending" and created and now - created.timestamp() >= self.settle:
            return {"status": "added"}
        return {}

    def check_filters(self, filters):
        created = filters.get("created_at")
        values = created.values() if isinstance(created, dict) else [created] if created is not None else []
        if any(parse_iso(v) is None for v in values):
            return [errors.invalid("filter[created_at] must be an ISO-8601 date-time.", parameter="filter[created_at]")]
        return []

    def matches(self, obj, filters):
        for name, field in (("ip_address", "ip_address"), ("ip_source", "source"), ("status", "status")):
            if isinstance(filters.get(name), str) and obj.get(field) != filters[name]:
                return False
        return _created_matches(obj, filters.get("created_at"))


class AccessIPRanges(AccessIPs):
    """The allowlist's CIDR half: like access IPs, but no source, no GET by id, and cidr_block filters."""
    key = "access_ip_ranges"
    operations = frozenset({"list", "create", "delete"})
    fields = {"cidr_block": "cidr", "description": str}
    required = ("cidr_block",)
    text_filters = {"startswith": str.startswith, "endswith": str.endswith, "contains": lambda a, b: b in a}

    def build(self, body, now):
        obj = Resource.build(self, body, now)
        obj.update(status="pending", user_id=USER_ID, _settles=True)
        return obj

    def check_filters(self, filters):
        problems = super().check_filters(filters)
        block = filters.get("cidr_block")
        if isinstance(block, dict) and not all(isinstance(v, str) for v in block.values()):
            problems.append(errors.invalid("filter[cidr_block] operators take a string.", parameter="filter[cidr_block]"))
        return problems

    def matches(self, obj, filters):
        block, value = filters.get("cidr_block"), obj.get("cidr_block") or ""
        if isinstance(block, str) and value != block:
            return False
        if isinstance(block, dict):
            tests = [(test, block[op]) for op, test in self.text_filters.items() if isinstance(block.get(op), str)]
            if not all(test(value, needle) for test, needle in tests):
                return False
        return _created_matches(obj, filters.get("created_at"))


def _created_matches(obj: dict, created) -> bool:
    """filter[created_at]=t (exact) or filter[created_at][gt|gte|lt|lte]=t."""
    if created is None:
        return True
    moment = parse_iso(obj.get("created_at"))
    bounds = created if isinstance(created, dict) else {"eq": created}
    tests = {"eq": lambda a, b: a == b, "gt": lambda a, b: a > b, "gte": lambda a, b: a >= b,
             "lt": lambda a, b: a < b, "lte": lambda a, b: a <= b}
    return all(tests[op](moment, parse_iso(value)) for op, value in bounds.items() if op in tests)


class Addresses(Resource):
    key = "addresses"
    record_type = "address"
    operations = frozenset({"list", "create", "get", "delete"})  # addresses are immutable: no PATCH
    sorts = ("created_at", "first_name", "last_name", "business_name", "street_address")
    default_sort = "-created_at"  # S: "If not given, results are sorted by created_at in descending order."
    fields = {name: str for name in addresses.STRING_FIELDS}
    fields.update({name: bool for name in addresses.BOOL_FIELDS})
    hidden = ("used_as_emergency",)  # derived from phone numbers in reality; settable by seeding

    def new_id(self):
        return str(secrets.randbelow(2 ** 63 - 10 ** 18) + 10 ** 18)  # int64 as a string, like the real ids

    def validate(self, body, objects, current=None):
        problems = addresses.check_input(body, addresses.CREATE_REQUIRED)
        if not problems and body.get("validate_address", True):
            problems = addresses.creation_errors(body)
        return problems

    def build(self, body, now):
        obj = super().build(body, now)
        obj.setdefault("address_book", True)
        obj.setdefault("validate_address", True)
        obj["used_as_emergency"] = False
        # A valid address not in normalised form is stored as given, with suggestions to accept.
        obj["_suggested"] = addresses.suggestions(body) if obj["validate_address"] else {}
        obj["_suggestions_accepted"] = False
        return obj

    def delete(self, obj, now):
        if obj.get("used_as_emergency"):
            raise errors.ApiError(422, errors.error(
                "10015", "Address in use", "The address is used as an emergency address and cannot be deleted."))
        return True

    def check_filters(self, filters):
        problems = []
        street = _filter_text(filters.get("street_address"), "contains")
        if street is not None and len(street) < 3:
            problems.append(errors.invalid("filter[street_address][contains] must be at least 3 characters long.",
                                           parameter="filter[street_address][contains]"))
        for parameter, value in (("filter[used_as_emergency]", _filter_text(filters.get("used_as_emergency"))),
                                 ("filter[address_book][eq]", _filter_text(filters.get("address_book"), "eq"))):
            if value not in (None, "true", "false"):
                problems.append(errors.invalid("%s must be 'true' or 'false'." % parameter, parameter=parameter))
        return problems

    def matches(self, obj, filters):
        def contains(needle, field):
            return needle is None or needle.lower() in (obj.get(field) or "").lower()

        def flag(value, field):
            return value is None or bool(obj.get(field)) == (value == "true")

        reference = filters.get("customer_reference")
        exact = _filter_text(reference, "eq")
        return (contains(_filter_text(reference), "customer_reference")
                and contains(_filter_text(reference, "contains"), "customer_reference")
                and (exact is None or obj.get("customer_reference") == exact)
                and contains(_filter_text(filters.get("street_address"), "contains"), "street_address")
                and flag(_filter_text(filters.get("used_as_emergency")), "used_as_emergency")
                and flag(_filter_text(filters.get("address_book"), "eq"), "address_book"))


class AuthenticationProviders(Resource):
    key = "authentication_providers"
    record_type = "authentication_provider"
    sorts = ("name", "short_name", "active", "created_at", "updated_at")
    default_sort = "-created_at"  # S: default "-created_at"
    fields = {"name": str, "short_name": str, "active": bool, "settings": dict, "settings_url": "uri"}
    required = ("name", "short_name", "settings")
    settings_fields = {"idp_entity_id": "uri", "idp_sso_target_url": "uri", "idp_cert_fingerprint": str,
                       "idp_cert_fingerprint_algorithm": FINGERPRINT_ALGORITHMS}
    settings_required = ("idp_entity_id", "idp_sso_target_url", "idp_cert_fingerprint")
    hidden = ("settings_url",)  # write-only: S's AuthenticationProvider has no such field

    def validate(self, body, objects, current=None):
        problems = super().validate(body, objects, current)
        if isinstance(body.get("settings"), dict):  # sub-fields are required on PATCH too
            problems += check_fields(body["settings"], self.settings_fields, self.settings_required, "/settings")
        short_name = body.get("short_name")
        if isinstance(short_name, str) and (short_name or current is not None):
            if not SHORT_NAME_RE.match(short_name):
                problems.append(errors.invalid("short_name must be URL-friendly (letters, digits, '-' and '_').",
                                               pointer="/short_name"))
            elif any(o.get("short_name") == short_name and o is not current for o in objects):
                problems.append(taken("short_name"))
        return problems

    def build(self, body, now):
        obj = super().build(body, now)
        obj.update(organization_id=ORGANIZATION_ID, active=body.get("active", True))
        if obj["active"]:
            obj["activated_at"] = obj["created_at"]
        obj["settings"] = self._settings(obj, body.get("settings") or {})
        return obj

    def apply(self, obj, body, now):
        was_active = obj.get("active")
        settings = body.get("settings", obj["settings"])
        super().apply(obj, body, now)
        obj["settings"] = self._settings(obj, settings)
        if obj["active"] and not was_active:
            obj["activated_at"] = obj["updated_at"]

    @staticmethod
    def _settings(obj: dict, given: dict) -> dict:
        """User settings plus the read-only, Telnyx-side fields derived from short_name."""
        short = obj.get("short_name", "")
        settings = {"idp_cert_fingerprint_algorithm": "sha1"}
        settings.update({k: given[k] for k in AuthenticationProviders.settings_fields if k in given})
        settings.update(
            assertion_consumer_service_url="https://api.telnyx.com/sso/saml/auth/%s" % short,
            service_provider_entity_id="https://api.telnyx.com/sso/saml/metadata/%s" % short,
            service_provider_login_url="https://api.telnyx.com/sso/%s" % short,
            idp_certificate="-----BEGIN CERTIFICATE-----\nMIIC%s\n-----END CERTIFICATE-----" % short.encode().hex(),
            name_identifier_format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            provision_groups=False,
            idp_attribute_names={},
        )
        # idp_slo_target_url is left out rather than null: S types it as a non-nullable uri string.
        return settings


class BillingGroups(Resource):
    key = "billing_groups"
    record_type = "billing_group"
    error_style = "int-codes"
    fields = {"name": str}

    def build(self, body, now):
        obj = super().build(body, now)
        obj.update(organization_id=ORGANIZATION_ID, deleted_at=None)
        return obj

    def delete(self, obj, now):
        # Soft delete (BillingGroup.deleted_at): the object stays stored and listed, but GET/PATCH/DELETE say 404.
        obj["deleted_at"] = obj["updated_at"] = now_iso(now)
        return False

    def visible(self, obj):
        return obj.get("deleted_at") is None

    def listed(self, obj):
        # Not documented either way (telnyx-api.md 5.4): lists keep soft-deleted groups, the harder case for clients.
        return True


class IntegrationSecrets(Resource):
    secret_fields = ("token", "username", "password")
    key = "integration_secrets"
    record_type = "integration_secret"
    operations = frozenset({"list", "create", "delete"})
    create_status = 201
    delete_status = 204
    error_style = "plain"
    fields = {"identifier": str, "type": SECRET_TYPES, "token": str, "username": str, "password": str}
    required = ("identifier", "type")
    hidden = ("type", "token", "username", "password")  # write-only: S returns none of them
    needs = {"bearer": ("token",), "basic": ("username", "password")}

    def validate(self, body, objects, current=None):
        problems = super().validate(body, objects, current)
        if body.get("type") in self.needs:
            problems += check_fields(body, {}, self.needs[body["type"]])
        if not problems and any(o.get("identifier") == body["identifier"] for o in objects):
            problems.append(taken("identifier"))
        return problems

    def build(self, body, now):
        # Fields that the type does not use are "ignored" (S): not stored.
        unused = {"token"} if body.get("type") == "basic" else {"username", "password"}
        return super().build({k: v for k, v in body.items() if k not in unused}, now)

    def check_filters(self, filters):
        if "type" in filters and filters["type"] not in SECRET_TYPES:
            return [errors.invalid("filter[type] must be one of: bearer, basic.", parameter="filter[type]")]
        return []

    def matches(self, obj, filters):
        return "type" not in filters or obj.get("type") == filters["type"]


class TelephonyCredentials(Resource):
    secret_fields = ("sip_password",)
    key = "telephony_credentials"
    record_type = "credential"
    create_status = 201
    page_size = 50
    fields = {"connection_id": str, "name": str, "tag": str, "expires_at": "datetime"}
    required = ("connection_id",)
    # S's TelephonyCredential has resource_id but neither connection_id nor tag.
    hidden = ("connection_id", "tag")
    filters = ("name", "tag", "status", "resource_id", "sip_username")

    def build(self, body, now):
        obj = super().build(body, now)
        # S's example name is the creation time in this form: the default when none is given.
        obj.setdefault("name", now_iso(now).replace("T", " ").replace("Z", "000Z"))
        obj.update(
            resource_id="connection:%s" % body.get("connection_id", ""),
            sip_username="gencred" + _random_text(string.ascii_letters + string.digits, 22),
            sip_password=secrets.token_hex(16),
            user_id=USER_ID,
        )
        return obj

    def apply(self, obj, body, now):
        super().apply(obj, body, now)
        obj["resource_id"] = "connection:%s" % obj.get("connection_id")

    def computed(self, obj, now):
        expires = parse_iso(obj.get("expires_at"))
        expired = bool(expires and expires.timestamp() <= now)
        return {"expired": expired, "status": "expired" if expired else "active"}

    def view(self, obj, now):
        # "status" exists only for filter[status]; the API object has no such field.
        return {k: v for k, v in super().view(obj, now).items() if k != "status"}

    def matches(self, obj, filters):
        return all(obj.get(name) == filters[name] for name in self.filters if isinstance(filters.get(name), str))


def declare(settle_ms: int) -> dict:
    resources = (AccessIPs(settle_ms), AccessIPRanges(settle_ms), Addresses(), AuthenticationProviders(), BillingGroups(),
                 IntegrationSecrets(), TelephonyCredentials())
    return {resource.key: resource for resource in resources}
