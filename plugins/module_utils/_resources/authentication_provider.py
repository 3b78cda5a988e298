# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""SAML single sign-on providers, declared: only the settings the user gives are compared."""

from __future__ import annotations

import re

from .._resource import STATE_OPTION, Resource


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
