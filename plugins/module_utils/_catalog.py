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


RESOURCES = {resource.name: resource for resource in (BillingGroup(), AccessIpAddress(), Address())}
