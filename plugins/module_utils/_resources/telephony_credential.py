# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""SIP credentials, declared: sip_password stays out of results unless asked for."""

from __future__ import annotations

from datetime import datetime, timezone

from .._resource import STATE_OPTION, Resource


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
    # Reveals the SIP password in the module's own result: in a list item it would mean nothing, or leak.
    object_only = ("return_sip_password",)
    required_one_of = [("name", "id")]

    def validate(self, item):
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
