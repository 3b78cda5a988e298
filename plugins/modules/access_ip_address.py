#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: access_ip_address
short_description: Allow or remove one address in the Telnyx API IP allowlist
version_added: 0.1.0
description:
  - Ensures one address is present in or absent from the account's API access IP allowlist.
  - The entry is found by O(ip_address) with the API's C(filter[ip_address]), never by listing every entry,
    or by O(id). The API allows two entries for one address; then give O(id) to pick one.
  - Addresses are compared in one canonical form (IPv6 compressed and lower case), so C(2001:DB8::1) and
    C(2001:db8:0:0::1) are one entry.
  - CIDR blocks are a separate list in the API; manage them with M(telnyx.account_access.access_ip_range).
  - To manage the whole allowlist, both lists, with purge and guards against locking yourself out, use
    M(telnyx.account_access.access_ip_allowlist).
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.object_module
  - telnyx.account_access.telnyx.wait
options:
  ip_address:
    description:
      - One IPv4 or IPv6 address. A CIDR block, a host name or IPv4 octets with leading zeros are refused
        before any request.
      - Required unless O(id) is given.
    type: str
  id:
    description:
      - The entry's id. With it, the entry is read, waited for or removed by id, whatever its address;
        an O(ip_address) given too must be the entry's (or O(recreate=true) replaces it).
    type: str
  description:
    description:
      - A description of the entry, set when it is created.
      - The API cannot change it afterwards; a different description fails naming the field unless O(recreate=true).
    type: str
  recreate:
    description:
      - Replace an entry whose O(description) differs by deleting it and creating it again.
      - The address is not allowed between the two requests.
    type: bool
    default: false
  state:
    description:
      - V(present) adds the address; V(absent) removes it if it is there.
    type: str
    default: present
    choices: [present, absent]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Allow the automation controller's egress address
  telnyx.account_access.access_ip_address:
    ip_address: 203.0.113.10
    description: awx egress
    wait: true

- name: Remove an address
  telnyx.account_access.access_ip_address:
    ip_address: 2001:db8::1
    state: absent

- name: Remove one of two entries for the same address, by id
  telnyx.account_access.access_ip_address:
    id: "{{ duplicate_entry_id }}"
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
replaced:
  description: The entry that O(recreate=true) deleted, as it was; its id differs from the new entry's.
  returned: when the entry was replaced
  type: dict
  sample: {id: 9d2c6f57-1f7e-4c8e-b8a5-3c9b1d0e2f11, ip_address: 203.0.113.10, description: old}
access_ip_address:
  description:
    - The entry after the run; with O(state=absent), the entry that was removed; empty when there was none.
    - In check mode, the predicted entry (V(null) id for one that would be created).
  returned: always
  type: dict
  contains:
    id:
      description: The entry's id.
      type: str
      sample: 0b1bbd5a-6bcd-4a5b-9f7a-2f0c0d8a6f1e
    ip_address:
      description: The address.
      type: str
      sample: 203.0.113.10
    description:
      description: The entry's description.
      type: str
      sample: awx egress
    status:
      description: V(pending) until the address is active, then V(added).
      type: str
      sample: added
    source:
      description: Where the entry came from.
      type: str
      sample: api
    user_id:
      description: The id of the user that owns the entry.
      type: str
      sample: 3fa85f64-5717-4562-b3fc-2c963f66afa6
    created_at:
      description: When the entry was created (ISO 8601).
      type: str
      sample: "2026-11-29T10:00:00.000Z"
    updated_at:
      description: When the entry was last changed (ISO 8601).
      type: str
      sample: "2026-11-29T10:00:00.000Z"
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import ObjectRunner


def main(make_module=None):
    ObjectRunner(RESOURCES["access_ip_address"], make_module=make_module).run()


if __name__ == "__main__":
    main()
