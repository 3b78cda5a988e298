#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: address_validate
short_description: Ask Telnyx whether an address is valid for emergency use
version_added: 0.1.0
description:
  - Calls the Telnyx address validation action and returns its verdict, the address as Telnyx would write
    it, and the problems found. It stores nothing, so it never reports a change.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
options:
  country_code:
    description:
      - The country, two letters of ISO 3166-1 alpha-2 (C(US)).
    type: str
    required: true
  street_address:
    description:
      - The street address, house number first.
    type: str
    required: true
  postal_code:
    description:
      - The postal code.
    type: str
    required: true
  extended_address:
    description:
      - Additional address information (suite, floor, unit).
    type: str
  locality:
    description:
      - The city, town or village.
    type: str
  administrative_area:
    description:
      - The state, province or region.
    type: str
  fail_on_invalid:
    description:
      - Fail when the result is V(invalid), listing the problems.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Validation stores nothing, so it runs the same in check mode.
  diff_mode:
    support: none
    description: Changes nothing, so there is nothing to diff.
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Check an address before creating it
  telnyx.account_access.address_validate:
    street_address: 600 Congress Avenue
    locality: Austin
    administrative_area: TX
    postal_code: "78701"
    country_code: US
    fail_on_invalid: true
  register: checked

- name: Use Telnyx's spelling
  ansible.builtin.debug:
    msg: "{{ checked.suggested.street_address }}"
"""

RETURN = r"""
result:
  description: V(valid) or V(invalid).
  returned: success
  type: str
  sample: valid
suggested:
  description: The address as Telnyx would write it.
  returned: success
  type: dict
  sample: {street_address: 600 CONGRESS AVE, locality: AUSTIN, administrative_area: TX, postal_code: "78701", country_code: US}
errors:
  description: The problems found, each with the C(field) and a C(description).
  returned: success
  type: list
  elements: dict
  sample: [{field: street_address, description: Invalid street address, code: "20207"}]
"""

from ..module_utils._resource import blank_problem
from ..module_utils._resources.address import country_code_problem
from ..module_utils._runner import Runner

FIELDS = ("country_code", "street_address", "postal_code", "extended_address", "locality", "administrative_area")
REQUIRED = FIELDS[:3]


class ValidateRunner(Runner):
    """Asks Telnyx whether an address is valid; changes nothing."""

    def __init__(self, make_module=None):
        options = {field: dict(type="str", required=field in REQUIRED) for field in FIELDS}
        options["fail_on_invalid"] = dict(type="bool", default=False)
        super().__init__(options, make_module=make_module)

    def problems(self):
        problem = blank_problem(self.params, REQUIRED) or country_code_problem(self.params["country_code"])
        return [problem] if problem else []

    def execute(self):
        body = {f: self.params[f].strip() for f in FIELDS if self.params[f] is not None}
        body["country_code"] = body["country_code"].upper()
        verdict = (self.client.post("/addresses/actions/validate", json=body) or {}).get("data") or {}
        errors = [dict(field=(e.get("source") or {}).get("pointer", "").lstrip("/"),
                       description=e.get("description") or e.get("detail") or e.get("title"), code=e.get("code"))
                  for e in verdict.get("errors") or []]
        self.result = dict(changed=False, result=verdict.get("result"), suggested=verdict.get("suggested") or {},
                           errors=errors)
        if self.params["fail_on_invalid"] and self.result["result"] != "valid":
            problems = "; ".join("%s: %s" % (e["field"] or "address", e["description"]) for e in errors)
            self.module.fail_json(msg="Telnyx says the address is %s: %s"
                                  % (self.result["result"], problems or "no detail given"), **self.result)


def main(make_module=None):
    ValidateRunner(make_module=make_module).run()


if __name__ == "__main__":
    main()
