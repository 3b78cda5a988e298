#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: address
short_description: Create and delete Telnyx emergency addresses
version_added: 0.1.0
description:
  - Ensures an emergency (E911) address is present or absent.
  - Telnyx validates an address when it is created and never lets it change afterwards. A different value
    for a field of an existing address fails naming the field, unless O(recreate=true).
  - Telnyx may hold an address in its validated form rather than as sent; accepting its suggestions
    (M(telnyx.account_access.address_accept_suggestions)) replaces the stored values with the suggested ones
    (C(600 Congress Avenue) becomes C(600 CONGRESS AVE)). When no record matches the given fields as written,
    the module asks C(POST /addresses/actions/validate) for their validated form, and a record in that form is
    the same address, with no failure and no second address. That look-up changes nothing and runs in check mode too;
    it needs O(country_code), O(street_address) and O(postal_code).
  - More than one address matching fails and asks for O(id) or O(customer_reference).
  - To converge many addresses in one task, use M(telnyx.account_access.resource_set) with O(ignore:type=address).
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.object_module
options:
  id:
    description:
      - The address's id. It identifies the address instead of O(customer_reference) or its fields.
    type: str
  customer_reference:
    description:
      - Your reference for the address. When given, it identifies the address (looked up with the API's
        exact C(filter[customer_reference][eq])), and a matched address whose other given fields differ
        fails listing them unless O(recreate=true).
      - It is matched exactly, case and spaces included, however many addresses a task converges
        (C(HQ) and C(hq) are two addresses); the other fields are compared after normalising case and spaces.
      - Without it (and without O(id)), an address is the same as an existing one when every field given
        matches after normalising case and spaces; otherwise a new address is created.
    type: str
  first_name:
    description:
      - The first name of the person at the address. Required to create an address.
    type: str
  last_name:
    description:
      - The last name of the person at the address. Required to create an address.
    type: str
  business_name:
    description:
      - The name of the business at the address. Required to create an address.
    type: str
  street_address:
    description:
      - The street address, house number first (C(600 Congress Avenue)). Required to create an address.
    type: str
  extended_address:
    description:
      - Additional address information (suite, floor, unit).
    type: str
  locality:
    description:
      - The city, town or village. Required to create an address.
    type: str
  administrative_area:
    description:
      - The state, province or region (C(TX)).
    type: str
  neighborhood:
    description:
      - The neighbourhood.
    type: str
  borough:
    description:
      - The borough.
    type: str
  postal_code:
    description:
      - The postal code (US C(12345) or C(12345-6789); CA C(A1A 1A1)).
    type: str
  country_code:
    description:
      - The country, two letters of ISO 3166-1 alpha-2 (C(US)). Required to create an address.
    type: str
  phone_number:
    description:
      - A phone number in E.164 format (C(+12125559000)).
    type: str
  address_book:
    description:
      - Whether the address appears in the account's address book. The API's default is V(true).
    type: bool
  validate_address:
    description:
      - Whether Telnyx validates the address for emergency use when it is created, as the API does by default.
      - When validation fails, the module fails listing each field with the value sent and the value
        Telnyx suggests, and returns the suggestions.
      - Not compared with existing addresses.
    type: bool
    default: true
  recreate:
    description:
      - Addresses cannot be changed once created. With V(true), an address whose fields differ is replaced
        by creating the new address first and then deleting the old one; both ids are returned.
      - If the old address cannot be deleted (the API refuses while it is in use), the module fails naming
        its id and keeps the new one, so nothing is lost.
      - A replacement stopped between its create and its delete (a killed run) leaves two addresses with the
        O(customer_reference). With V(true), a later run finishes it. When exactly two addresses have the
        O(customer_reference) and exactly one of them has every field given, that one is kept and the other
        deleted, with a warning naming both ids (returned as RV(replaced)). Otherwise more than one match fails
        and asks for O(id).
    type: bool
    default: false
  state:
    description:
      - V(present) creates the address if it does not exist; V(absent) deletes it if it exists.
    type: str
    default: present
    choices: [present, absent]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Ensure the head office's emergency address exists
  telnyx.account_access.address:
    customer_reference: hq
    first_name: Ada
    last_name: Lovelace
    business_name: Example Corp
    street_address: 600 Congress Ave
    locality: Austin
    administrative_area: TX
    postal_code: "78701"
    country_code: US
  register: hq

- name: Move the head office (creates the new address, then deletes the old one)
  telnyx.account_access.address:
    customer_reference: hq
    first_name: Ada
    last_name: Lovelace
    business_name: Example Corp
    street_address: 100 Main St
    locality: Austin
    administrative_area: TX
    postal_code: "78701"
    country_code: US
    recreate: true

- name: Delete an address
  telnyx.account_access.address:
    customer_reference: old-branch
    state: absent
"""

RETURN = r"""
action:
  description:
    - What the run did to the object, or in check mode would do - V(create), V(update), V(recreate) (deleted and
      created again), V(delete) or V(none). C(changed) says whether a write took effect.
    - Finishing a replacement that an interrupted run left half done is V(recreate).
  returned: always
  type: str
  sample: update
address:
  description:
    - The address after the run; with O(state=absent), the address that was deleted; empty when there was none.
    - In check mode, the predicted address (V(null) id for one that would be created).
  returned: always
  type: dict
  sample:
    id: "1293384261075731499"
    record_type: address
    customer_reference: hq
    first_name: Ada
    last_name: Lovelace
    business_name: Example Corp
    street_address: 600 Congress Ave
    locality: Austin
    administrative_area: TX
    postal_code: "78701"
    country_code: US
    address_book: true
    validate_address: true
    created_at: "2026-11-29T10:00:00.000Z"
    updated_at: "2026-11-29T10:00:00.000Z"
replaced:
  description: The address that O(recreate=true) replaced, as it was; its id is the old id.
  returned: when an address was replaced
  type: dict
  sample: {id: "1293384261075731400", customer_reference: hq, street_address: 600 Congress Ave}
suggestions:
  description: When Telnyx refused the address, the value it suggests for each field.
  returned: on failure, when Telnyx suggested values
  type: dict
  sample: {street_address: 600 CONGRESS AVE, locality: AUSTIN}
differences:
  description: When a field of an existing address differs, its current and wanted values.
  returned: on failure, when fields differ and O(recreate=false)
  type: dict
  sample: {street_address: {current: 600 Congress Ave, wanted: 100 Main St}}
old_id:
  description: When the replacement was created but the old address could not be deleted, the old address's id.
  returned: on that failure
  type: str
  sample: "1293384261075731400"
new_id:
  description: When the replacement was created but the old address could not be deleted, the new address's id.
  returned: on that failure
  type: str
  sample: "1293384261075731499"
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import ObjectRunner


def main(make_module=None):
    ObjectRunner(RESOURCES["address"], make_module=make_module).run()


if __name__ == "__main__":
    main()
