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

from ansible_collections.telnyx.account_access.plugins.module_utils._resource import Resource

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
    """One spelling per address: IPv6 compressed and lower case. Raise ValueError with what is accepted."""
    text = str(value).strip()
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        address = None
    if address is None or "%" in text:
        kind = "a CIDR block" if "/" in text else "not an IP address"
        raise ValueError("%r is %s: give one IPv4 address such as 203.0.113.10 (no leading zeros) "
                         "or one IPv6 address such as 2001:db8::1" % (value, kind))
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


RESOURCES = {resource.name: resource for resource in (BillingGroup(), AccessIpAddress())}
