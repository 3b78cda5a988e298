#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: address_info
short_description: List Telnyx emergency addresses
version_added: 0.1.0
description:
  - Returns every emergency address of the account, the one with O(id), or those the API's filters find.
  - Every filter is applied by the API.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.info_module
options:
  id:
    description:
      - Return only the address with this id; an empty list when there is none.
    type: str
  customer_reference:
    description:
      - Only addresses with this customer reference (see O(customer_reference_match)).
    type: str
  customer_reference_match:
    description:
      - V(exact) matches O(customer_reference) exactly; V(contains) matches it anywhere, ignoring case.
    type: str
    choices: [exact, contains]
    default: exact
  street_address:
    description:
      - Only addresses whose street address contains this text, ignoring case. At least 3 characters.
    type: str
  used_as_emergency:
    description:
      - Only addresses that are (V(true)) or are not (V(false)) used as emergency addresses.
    type: bool
  address_book:
    description:
      - Only addresses that are (V(true)) or are not (V(false)) in the address book.
    type: bool
  sort:
    description:
      - The order of the list; a leading C(-) sorts descending. The API's default is newest first.
    type: str
    choices: [created_at, -created_at, first_name, -first_name, last_name, -last_name, business_name,
              -business_name, street_address, -street_address]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Every address whose customer reference contains "branch", by street
  telnyx.account_access.address_info:
    customer_reference: branch
    customer_reference_match: contains
    sort: street_address
  register: branches

- name: The addresses in use for emergency calls
  telnyx.account_access.address_info:
    used_as_emergency: true
  register: in_use
"""

RETURN = r"""
addresses:
  description: The addresses found, in the API's order.
  returned: always
  type: list
  elements: dict
  sample:
    - id: "1293384261075731499"
      customer_reference: hq
      street_address: 600 Congress Ave
      locality: Austin
      country_code: US
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import InfoRunner

SORTS = ["created_at", "first_name", "last_name", "business_name", "street_address"]
OPTIONS = dict(
    id=dict(type="str"),
    customer_reference=dict(type="str"),
    customer_reference_match=dict(type="str", choices=["exact", "contains"], default="exact"),
    street_address=dict(type="str"),
    used_as_emergency=dict(type="bool"),
    address_book=dict(type="bool"),
    sort=dict(type="str", choices=[prefix + field for field in SORTS for prefix in ("", "-")]),
)


def main(make_module=None):
    InfoRunner(RESOURCES["address"], OPTIONS, make_module=make_module).run()


if __name__ == "__main__":
    main()
