# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""Emergency addresses, declared: validated by Telnyx at creation, immutable afterwards.

Telnyx may store an address in its validated form rather than as sent: accepting its suggestions
replaces the stored values with the suggested ones. A record that is the validated form of what the
playbook asks for is that address, so the plan asks ``POST /addresses/actions/validate`` for that form
whenever no record matches as written.
"""

from __future__ import annotations

from .._api_error import TelnyxError
from .._resource import STATE_OPTION, PlanError, Resource

ADDRESS_TEXT = ("first_name", "last_name", "business_name", "street_address", "extended_address", "locality",
                "administrative_area", "neighborhood", "borough", "postal_code", "country_code", "phone_number",
                "customer_reference")
ADDRESS_REQUIRED = ("first_name", "last_name", "business_name", "street_address", "locality", "country_code")
# What actions/validate needs, and the fields of its suggested form (ValidateAddressRequest, ValidateAddressResult).
VALIDATE_REQUIRED = ("country_code", "street_address", "postal_code")
VALIDATED = ("street_address", "extended_address", "locality", "administrative_area", "postal_code", "country_code")


def country_code_problem(code):
    """The country-code rule, for addresses and for address_validate: two letters, or None when not given."""
    if code is not None and not (len(code.strip()) == 2 and code.strip().isalpha()):
        return "country_code must be two letters (ISO 3166-1 alpha-2, such as US), got %r" % code
    return None


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
    not_blank = ADDRESS_TEXT
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
        problem = country_code_problem(given.get("country_code"))
        if problem:
            return problem
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
        if field == self.key:
            # The key is matched exactly, as the API's filter[customer_reference][eq] matches it: the same rule
            # whether the plan filters on the server (1 to 3 items) or lists everything (4 or more).
            return value
        return " ".join(value.split()).casefold() if isinstance(value, str) else value

    def lookups(self, item):
        if item.get("customer_reference"):
            return [{"filter[customer_reference][eq]": item["customer_reference"]}]
        return []  # no filter finds an address by its fields: list them all

    def same_object(self, item, obj):
        given = [f for f in ADDRESS_TEXT if item.get(f) is not None]
        return bool(given) and all(self.matches(item, f, obj.get(f)) for f in given)

    def changed_fields(self, item, found):
        return [f for f in self.fields if f not in self.uncompared and item.get(f) is not None
                and not self.matches(item, f, found.get(f))]

    def matches(self, item, field, value):
        """Whether a record's field holds what the item asks for, as written or in its validated form."""
        if self.normalize(field, item[field]) == self.normalize(field, value):
            return True
        validated = item.get("_validated") or {}
        return validated.get(field) is not None and self.normalize(field, validated[field]) == self.normalize(field, value)

    def enrich(self, engine, items, objects):
        # One actions/validate per item that no record matches as written (none when the account has no address).
        for item in items:
            if objects and "_validated" not in item and self._needs_validated_form(item, objects):
                item["_validated"] = self.validated_form(engine.client, item)

    def _needs_validated_form(self, item, objects):
        if item.get("id") or not all(item.get(f) for f in VALIDATE_REQUIRED):
            return False
        key = self.key_of(item)
        if key is None:
            return not any(self.same_object(item, obj) for obj in objects)
        return any(self.key_of(obj) == key and self.changed_fields(item, obj) for obj in objects)

    def validated_form(self, client, item):
        """Telnyx's suggested form of the item's address fields (an empty mapping when it offers none)."""
        body = {f: item[f] for f in VALIDATED if item.get(f) is not None}
        try:
            answer = self.unwrap(client.request("POST", self.path + "/actions/validate", json=body)[1])
        except TelnyxError as exc:
            if exc.status in (400, 404, 422):  # Telnyx cannot validate it: compare it as written
                return {}
            raise
        suggested = answer.get("suggested") if isinstance(answer, dict) else None
        return {f: v for f, v in suggested.items() if f in VALIDATED and isinstance(v, str)} \
            if isinstance(suggested, dict) else {}

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
