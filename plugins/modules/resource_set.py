#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: resource_set
short_description: Converge many Telnyx objects of one type in one task
version_added: 0.1.0
description:
  - Converges a list of objects of one resource type in a single task. It reads the current objects once,
    plans every item, refuses the whole plan before any write when one item is invalid or ambiguous, then
    writes with bounded parallelism, creates and updates before deletes.
  - Each item takes the options of that type's own module (for O(type=billing_group), those of
    M(telnyx.account_access.billing_group)), without the connection options, and is checked against them
    before any request.
  - One task for hundreds of objects costs one task; a loop of single-object tasks costs one task per object.
  - The result reports what took effect. When several hosts or jobs converge the same items at once, each object is
    created once, and one run lists it in RV(created), the others in RV(unchanged) (they found it, or removed their
    own later copy and kept the oldest). Items without a natural key (an address without C(customer_reference)) are
    matched by their fields for this, as when planning.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
options:
  type:
    description:
      - The resource type of every item.
    type: str
    required: true
    choices: [access_ip_address, access_ip_range, address, authentication_provider, billing_group, integration_secret,
              telephony_credential]
  items:
    description:
      - The desired objects, each a mapping of the options of the O(type)'s module, for
        O(type=billing_group) those of M(telnyx.account_access.billing_group) (C(name), C(id), C(state)),
        for O(type=access_ip_address) those of M(telnyx.account_access.access_ip_address)
        (C(ip_address), C(id), C(description), C(recreate), C(state)), for O(type=access_ip_range) those of
        M(telnyx.account_access.access_ip_range) (C(cidr_block), C(id), C(description), C(recreate), C(state)),
        for O(type=address) those of
        M(telnyx.account_access.address) (its fields, C(id), C(customer_reference), C(recreate), C(state)), and
        so on for M(telnyx.account_access.authentication_provider), M(telnyx.account_access.integration_secret)
        (with C(update_secret) per item) and M(telnyx.account_access.telephony_credential) (not its
        O(telnyx.account_access.telephony_credential#module:return_sip_password), which applies to that module
        only; an item that sets it is refused before any request).
      - Secret values in items (integration secret C(token), C(username), C(password)) are masked in every output.
    type: list
    elements: dict
    default: []
  purge:
    description:
      - Also remove every existing object of O(type) that no item names.
    type: bool
    default: false
  allow_empty:
    description:
      - Allow a plan that removes every object of O(type). Without it such a plan is refused before any write.
    type: bool
    default: false
  protected:
    description:
      - Natural keys (names of billing groups and credentials, addresses of access IP entries, CIDR blocks of
        access IP ranges, customer references of addresses, short names of providers, identifiers of secrets)
        that must never be removed.
        A plan that would remove one is refused before any write.
    type: list
    elements: str
    default: []
  parallelism:
    description:
      - How many write requests may be in flight at once, 1 to 16.
      - The client still honours HTTP 429 from the API, whatever this is.
    type: int
    default: 10
attributes:
  check_mode:
    support: full
    description: Returns the plan of the real run and writes nothing.
  diff_mode:
    support: full
    description: Returns every object of O(type) before and after.
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Ensure these billing groups exist, leave others alone
  telnyx.account_access.resource_set:
    type: billing_group
    items:
      - name: ops
      - name: sales
      - name: support

- name: Make these the only billing groups, but never remove finance
  telnyx.account_access.resource_set:
    type: billing_group
    purge: true
    protected: [finance]
    items:
      - name: ops
      - name: finance
"""

RETURN = r"""
created:
  description:
    - The objects this run created (in check mode, predicted with a V(null) id), including the new object of a
      replacement that failed afterwards.
    - An object another run made at the same moment is not listed here but in RV(unchanged).
  returned: always
  type: list
  elements: dict
  sample: [{id: 6a09cdc3-8948-47f0-aa62-74ac943d6c58, name: ops, record_type: billing_group}]
updated:
  description: The objects changed, as they are after the run.
  returned: always
  type: list
  elements: dict
  sample: []
removed:
  description:
    - The objects deleted, as they were before; an object replaced is listed by its replacement in RV(created).
    - A replacement that deleted the old object and then failed to create the new one lists the old one here.
  returned: always
  type: list
  elements: dict
  sample: []
unchanged:
  description: The objects named by an item that needed no change, and those another run made at the same moment.
  returned: always
  type: list
  elements: dict
  sample: []
"""

from ..module_utils._set_runner import ResourceSetRunner


def main(make_module=None):
    ResourceSetRunner(make_module=make_module).run()


if __name__ == "__main__":
    main()
