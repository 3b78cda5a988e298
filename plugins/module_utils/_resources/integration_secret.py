# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""Integration secrets, declared: the API never returns a value and cannot update one."""

from __future__ import annotations

from .._resource import STATE_OPTION, Resource


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
        if item.get("state") == "absent":
            return None
        if not item.get("type"):
            if any(item.get(f) for f in self.secret):
                return "type is required (bearer with token, or basic with username and password)"
            if item.get("update_secret") == "always":
                return "type is required with update_secret: always (bearer with token, or basic with username and password)"
            return None  # an existing secret named by identifier only (as an export writes it): left as it is
        missing = [f for f in SECRET_TYPES[item["type"]] if not item.get(f)]
        if missing:
            return "type %s needs %s" % (item["type"], " and ".join(missing))
        extra = [f for f in self.secret if item.get(f) and f not in SECRET_TYPES[item["type"]]]
        if extra:
            return "type %s takes no %s" % (item["type"], " or ".join(extra))
        return None

    def creatable(self, item):
        return None if item.get("type") else "type and its values are required to create it (bearer with token, or " \
            "basic with username and password)"

    def exported(self, obj):
        # The API returns neither the type nor the values: the identifier only, and never a value sent again.
        return {"identifier": obj.get("identifier"), "update_secret": "on_create"}

    def info_query(self, wanted):
        params = {"filter[type]": wanted["type"]} if wanted.get("type") else None
        return params, {k: v for k, v in wanted.items() if k != "type"}
