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

import re
from datetime import datetime, timezone

from ._access_ip import AccessIpAddress, AccessIpRange
from ._address import Address
from ._resource import STATE_OPTION, Resource


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

    def exists(self, obj):
        # BillingGroup.deleted_at suggests soft deletion; whether lists show deleted groups is not documented.
        return obj.get("deleted_at") is None


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
    fields = ("name", "short_name", "active", "settings", "settings_url")
    updatable = fields
    write_only = {"settings_url": "update_settings_url"}  # in create and update bodies, in no response
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
        update_settings_url=dict(type="str", choices=["on_create", "always"], default="on_create"),
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
    fields = ("identifier", "type", "token", "username", "password")
    secret = ("token", "username", "password")
    write_only = {field: "update_secret" for field in secret}  # no response holds them; no PATCH replaces them
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
    not_returned = ("tag",)  # known only where a filter[tag] look-up confirms it
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
    BillingGroup(), AccessIpAddress(), AccessIpRange(), Address(), AuthenticationProvider(), IntegrationSecret(),
    TelephonyCredential())}
