# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""Every resource the collection knows, declared once.

Each resource module converges one object of its declaration; ``resource_set``
converges a list of objects of any declaration registered in ``RESOURCES``.
"""

from __future__ import annotations

import ipaddress
import re
from datetime import datetime, timezone

from ansible_collections.telnyx.account_access.plugins.module_utils._resource import PlanError, Resource

STATE_OPTION = dict(type="str", default="present", choices=["present", "absent"])


class BillingGroup(Resource):
    name = "billing_group"
    plural = "billing_groups"
    title = "billing group"
    path = "/billing_groups"
    key = "name"
    fields = ("name",)
    updatable = ("name",)
    options = dict(
        name=dict(type="str"),
        id=dict(type="str"),
        state=STATE_OPTION,
    )
    required_one_of = [("name", "id")]

    def validate(self, item):
        if item.get("name") is not None and not item["name"].strip():
            return "name must not be empty"
        if not item.get("name") and not item.get("id"):
            return "give name or id"
        return None


def canonical_ip(value):
    """One spelling per address: IPv6 compressed and lower case, IPv4-mapped IPv6 as ::ffff:a.b.c.d
    (RFC 5952 section 5; Python 3.13 writes it so, older Pythons in hex). Raise ValueError with what is accepted."""
    text = str(value).strip()
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        address = None
    if address is None or "%" in text:
        kind = "a CIDR block" if "/" in text else "not an IP address"
        raise ValueError("%r is %s: give one IPv4 address such as 203.0.113.10 (no leading zeros) "
                         "or one IPv6 address such as 2001:db8::1" % (value, kind))
    if address.version == 6 and address.ipv4_mapped:
        return "::ffff:%s" % address.ipv4_mapped
    return address.compressed


class AccessIpAddress(Resource):
    name = "access_ip_address"
    plural = "access_ip_addresses"
    title = "access IP address"
    path = "/access_ip_address"
    key = "ip_address"
    fields = ("ip_address", "description")
    updatable = ()  # the API has no PATCH: a new description means delete and create
    envelope = False  # these endpoints answer bare objects, not {"data": ...}
    key_filter = "filter[ip_address]"
    not_ready_reason = "pending (not yet added)"
    waitable = True
    options = dict(
        ip_address=dict(type="str", required=True),
        description=dict(type="str"),
        state=STATE_OPTION,
        recreate=dict(type="bool", default=False),
    )

    def validate(self, item):
        try:
            canonical_ip(item["ip_address"])
        except ValueError as exc:
            return "ip_address %s" % exc
        return None

    def prepare(self, item):
        given = str(item["ip_address"]).strip()
        canonical = canonical_ip(given)
        return dict(item, ip_address=canonical, _spellings=tuple(dict.fromkeys((canonical, given))))

    def canonical_key(self, value):
        return canonical_ip(value)

    def normalize(self, field, value):
        if field == "ip_address" and value is not None:
            try:
                return canonical_ip(value)
            except ValueError:
                return value  # an entry someone else made; it only has to compare
        return value

    def lookups(self, item):
        # filter[ip_address] matches the stored text: ask for ours and, if it differs, the user's spelling.
        return [{self.key_filter: spelling} for spelling in item.get("_spellings") or (item["ip_address"],)]

    def ready(self, obj):
        return obj.get("status") == "added"

    def info_query(self, wanted):
        # Status is filtered here: the current API reference documents no filter[status].
        params = {"filter[%s]" % k: v for k, v in wanted.items() if k in ("ip_address", "ip_source")}
        if "filter[ip_address]" in params:
            params["filter[ip_address]"] = canonical_ip(params["filter[ip_address]"])
        local = {k: v for k, v in wanted.items() if k == "status"}
        return params, local


ADDRESS_TEXT = ("first_name", "last_name", "business_name", "street_address", "extended_address", "locality",
                "administrative_area", "neighborhood", "borough", "postal_code", "country_code", "phone_number",
                "customer_reference")
ADDRESS_REQUIRED = ("first_name", "last_name", "business_name", "street_address", "locality", "country_code")


class Address(Resource):
    """Emergency addresses: validated by Telnyx at creation, immutable afterwards."""

    name = "address"
    plural = "addresses"
    title = "address"
    path = "/addresses"
    key = "customer_reference"
    fields = ADDRESS_TEXT + ("address_book", "validate_address")
    updatable = ()  # the API has no PATCH: any change means a new record
    uncompared = ("validate_address",)  # a request flag; on a record it says whether validation ran
    recreate_creates_first = True  # the old record is deleted only once its replacement exists
    options = dict(
        {field: dict(type="str") for field in ADDRESS_TEXT},
        id=dict(type="str"),
        address_book=dict(type="bool"),
        validate_address=dict(type="bool", default=True),
        state=STATE_OPTION,
        recreate=dict(type="bool", default=False),
    )

    def validate(self, item):
        given = {f: item[f] for f in ADDRESS_TEXT if item.get(f) is not None}
        empty = sorted(f for f, v in given.items() if not v.strip())
        if empty:
            return "%s must not be empty" % ", ".join(empty)
        code = given.get("country_code")
        if code is not None and not (len(code.strip()) == 2 and code.strip().isalpha()):
            return "country_code must be two letters (ISO 3166-1 alpha-2, such as US), got %r" % code
        if item.get("state") == "absent":
            if not (item.get("id") or given):
                return "give id, customer_reference or the address fields of the address to remove"
            return None
        missing = [f for f in ADDRESS_REQUIRED if f not in given]
        if missing and not item.get("id"):
            return "%s required to create an address" % ", ".join(missing)
        return None

    def prepare(self, item):
        prepared = {k: (v.strip() if isinstance(v, str) else v) for k, v in item.items()}
        if prepared.get("country_code"):
            prepared["country_code"] = prepared["country_code"].upper()
        return prepared

    def normalize(self, field, value):
        return " ".join(value.split()).casefold() if isinstance(value, str) else value

    def lookups(self, item):
        if item.get("customer_reference"):
            return [{"filter[customer_reference][eq]": item["customer_reference"]}]
        return []  # no filter finds an address by its fields: list them all

    def same_object(self, item, obj):
        given = [f for f in ADDRESS_TEXT if item.get(f) is not None]
        return bool(given) and all(self.normalize(f, item[f]) == self.normalize(f, obj.get(f)) for f in given)

    def describe(self, item):
        if item.get("customer_reference"):
            return "address customer_reference=%r" % item["customer_reference"]
        if item.get("street_address"):
            return "address %r" % ", ".join(item[f] for f in ("street_address", "locality") if item.get(f))
        return "address id=%r" % item.get("id")

    def explain(self, exc, item):
        suggested = {e["pointer"].lstrip("/"): e["suggestion"] for e in exc.errors
                     if e.get("suggestion") is not None and e.get("pointer")}
        if exc.status != 422 or not suggested:
            return exc
        parts = ["%s: sent %r, suggested %r" % (f, item.get(f), v) for f, v in sorted(suggested.items())]
        parts += ["%s: %s%s" % ((e.get("pointer") or "").lstrip("/") or "address", e.get("detail") or e.get("title"),
                                " (%s)" % e["code"] if e.get("code") else "")
                  for e in exc.errors if e.get("suggestion") is None]
        return PlanError("%s %s: Telnyx refused %s (HTTP 422): %s. Send the suggested values, or set "
                         "validate_address: false to store the address as given"
                         % (exc.method, exc.path, self.describe(item), "; ".join(parts)),
                         suggestions=suggested, error=exc.to_dict())

    def info_query(self, wanted):
        params = {}
        if "customer_reference" in wanted:
            match = wanted.get("customer_reference_match") or "exact"
            params["filter[customer_reference][%s]" % ("eq" if match == "exact" else "contains")] = \
                wanted["customer_reference"]
        if "street_address" in wanted:
            if len(wanted["street_address"].strip()) < 3:
                raise ValueError("street_address must have at least 3 characters (the API matches it as "
                                 "'contains'), got %r" % wanted["street_address"])
            params["filter[street_address][contains]"] = wanted["street_address"].strip()
        for flag, param in (("used_as_emergency", "filter[used_as_emergency]"),
                            ("address_book", "filter[address_book][eq]")):
            if flag in wanted:
                params[param] = "true" if wanted[flag] else "false"
        if "sort" in wanted:
            params["sort"] = wanted["sort"]
        return params, {}


SHORT_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
SETTINGS_REQUIRED = ("idp_entity_id", "idp_sso_target_url", "idp_cert_fingerprint")
SETTINGS_SENT = SETTINGS_REQUIRED + ("idp_cert_fingerprint_algorithm",)


def canonical_fingerprint(value):
    """Fingerprints compare as bare lower-case hex: 13:38:C7 and 1338c7 are one."""
    return re.sub(r"[^0-9a-f]", "", str(value).lower())


class AuthenticationProvider(Resource):
    """SAML single sign-on providers. Only the settings the user gives are compared."""

    name = "authentication_provider"
    plural = "authentication_providers"
    title = "authentication provider"
    path = "/authentication_providers"
    key = "short_name"
    unique_key = True  # the API refuses a second one (10012)
    fields = ("name", "short_name", "active", "settings", "settings_url")
    updatable = fields
    options = dict(
        id=dict(type="str"),
        short_name=dict(type="str"),
        name=dict(type="str"),
        active=dict(type="bool"),
        settings=dict(type="dict", options=dict(
            idp_entity_id=dict(type="str"),
            idp_sso_target_url=dict(type="str"),
            idp_cert_fingerprint=dict(type="str"),
            idp_cert_fingerprint_algorithm=dict(type="str", choices=["sha1", "sha256", "sha384", "sha512"]),
        )),
        settings_url=dict(type="str"),
        state=STATE_OPTION,
    )
    required_one_of = [("short_name", "id")]

    def validate(self, item):
        short = item.get("short_name")
        if short is not None and not SHORT_NAME.match(short):
            return ("short_name %r must be URL-friendly: letters, digits, '-' and '_' only (it becomes part of "
                    "the login URL)" % short)
        urls = dict(item.get("settings") or {}, settings_url=item.get("settings_url"))
        for field in ("idp_entity_id", "idp_sso_target_url", "settings_url"):
            if urls.get(field) is not None and not re.match(r"^https?://\S+$", urls[field]):
                return "%s must be an http(s) URL, got %r" % (field, urls[field])
        return None

    def creatable(self, item):
        settings = item.get("settings") or {}
        missing = [f for f in ("name", "short_name") if not item.get(f)]
        missing += ["settings.%s" % f for f in SETTINGS_REQUIRED if not settings.get(f)]
        return "%s required to create it" % ", ".join(missing) if missing else None

    def differs(self, field, wanted, current):
        if field != "settings":
            return super().differs(field, wanted, current)
        current = current or {}
        for key, value in wanted.items():
            if value is None:
                continue
            have = current.get(key)
            if key == "idp_cert_fingerprint":
                if canonical_fingerprint(value) != canonical_fingerprint(have or ""):
                    return True
            elif key == "idp_cert_fingerprint_algorithm":
                if value != (have or "sha1"):
                    return True
            elif str(value).rstrip("/") != str(have or "").rstrip("/"):
                return True
        return False

    def update_body(self, item, current, changes):
        body = super().update_body(item, current, changes)
        if "settings" in body:
            # The API wants the required sub-fields with any settings it is sent.
            have = (current or {}).get("settings") or {}
            body["settings"] = {k: v for k, v in have.items() if k in SETTINGS_SENT and v is not None}
            body["settings"].update({k: v for k, v in item["settings"].items() if v is not None})
        return body

    def create_body(self, item):
        body = super().create_body(item)
        if body.get("settings"):
            body["settings"] = {k: v for k, v in body["settings"].items() if v is not None}
        return body


SECRET_TYPES = {"bearer": ("token",), "basic": ("username", "password")}


class IntegrationSecret(Resource):
    """Secrets Telnyx uses to call other services. The API never returns a value and cannot update one."""

    name = "integration_secret"
    plural = "integration_secrets"
    title = "integration secret"
    path = "/integration_secrets"
    key = "identifier"
    unique_key = True  # the API refuses a second one (10012)
    fields = ("identifier", "type", "token", "username", "password")
    secret = ("token", "username", "password")
    uncompared = ("type",)  # not returned by the API either
    can_get_by_id = False  # the API has no GET /integration_secrets/{id}
    options = dict(
        identifier=dict(type="str", required=True),
        type=dict(type="str", choices=["bearer", "basic"]),
        token=dict(type="str", no_log=True),
        username=dict(type="str", no_log=True),
        password=dict(type="str", no_log=True),
        update_secret=dict(type="str", choices=["on_create", "always"], default="on_create"),
        state=STATE_OPTION,
    )

    def validate(self, item):
        if not item["identifier"].strip():
            return "identifier must not be empty"
        if item.get("state") == "absent":
            return None
        if not item.get("type"):
            return "type is required (bearer with token, or basic with username and password)"
        missing = [f for f in SECRET_TYPES[item["type"]] if not item.get(f)]
        if missing:
            return "type %s needs %s" % (item["type"], " and ".join(missing))
        extra = [f for f in self.secret if item.get(f) and f not in SECRET_TYPES[item["type"]]]
        if extra:
            return "type %s takes no %s" % (item["type"], " or ".join(extra))
        return None

    def replace_anyway(self, item, found):
        return item.get("update_secret") == "always"

    def info_query(self, wanted):
        params = {"filter[type]": wanted["type"]} if wanted.get("type") else None
        return params, {k: v for k, v in wanted.items() if k != "type"}


def canonical_time(value):
    """ISO 8601 times compare as UTC instants; text that does not parse compares as itself."""
    if not isinstance(value, str):
        return value
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


class TelephonyCredential(Resource):
    """SIP credentials. The API returns sip_password, which stays out of results unless asked for."""

    name = "telephony_credential"
    plural = "telephony_credentials"
    title = "telephony credential"
    path = "/telephony_credentials"
    key = "name"
    key_filter = "filter[name]"
    fields = ("name", "connection_id", "tag", "expires_at")
    updatable = fields
    hidden = ("sip_password",)
    options = dict(
        id=dict(type="str"),
        name=dict(type="str"),
        connection_id=dict(type="str"),
        tag=dict(type="str"),
        expires_at=dict(type="str"),
        return_sip_password=dict(type="bool", default=False, no_log=False),
        state=STATE_OPTION,
    )
    required_one_of = [("name", "id")]

    def validate(self, item):
        if item.get("name") is not None and not item["name"].strip():
            return "name must not be empty"
        expires = item.get("expires_at")
        if expires is not None and not isinstance(canonical_time(expires), datetime):
            return "expires_at must be an ISO 8601 time such as 2027-01-01T00:00:00Z, got %r" % expires
        return None

    def creatable(self, item):
        return None if item.get("connection_id") else "connection_id is required to create it"

    def normalize(self, field, value):
        return canonical_time(value) if field == "expires_at" else value

    def enrich(self, engine, items, objects):
        # The API returns neither connection_id nor tag: read them from resource_id and filter[tag].
        for obj in objects:
            resource_id = obj.get("resource_id") or ""
            if resource_id.startswith("connection:"):
                obj.setdefault("connection_id", resource_id[len("connection:"):])
        tags = sorted({i["tag"] for i in items if i.get("tag")})
        ids = {o["id"]: o for o in objects}
        for tag in tags:
            for tagged in engine.list_all({"filter[tag]": tag}):
                if tagged["id"] in ids:
                    ids[tagged["id"]]["tag"] = tag

    def info_query(self, wanted):
        params = {"filter[%s]" % k: v for k, v in wanted.items()
                  if k in ("name", "tag", "status", "resource_id", "sip_username")}
        return params, {}


RESOURCES = {resource.name: resource for resource in (
    BillingGroup(), AccessIpAddress(), Address(), AuthenticationProvider(), IntegrationSecret(), TelephonyCredential())}
