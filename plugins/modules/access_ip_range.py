#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: access_ip_range
short_description: Allow or remove one CIDR block in the Telnyx API IP allowlist
version_added: 0.2.0
description:
  - Ensures one CIDR block is present in or absent from the account's API access IP allowlist.
  - The API keeps CIDR blocks in their own list (C(/access_ip_ranges)), apart from single addresses
    (M(telnyx.account_access.access_ip_address)). To manage both lists at once, with purge and guards against
    locking yourself out, use M(telnyx.account_access.access_ip_allowlist).
  - The range is found by O(cidr_block) with the API's C(filter[cidr_block]), or by O(id). Blocks are compared
    in one canonical form (IPv6 compressed and lower case), so C(2001:DB8::/32) and C(2001:db8:0::/32) are one.
  - A block with host bits set (C(10.0.0.1/24)) is refused before any request, naming the block it
    probably means (C(10.0.0.0/24)).
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.object_module
  - telnyx.account_access.telnyx.wait
options:
  cidr_block:
    description:
      - One IPv4 or IPv6 network in CIDR notation, such as C(203.0.113.0/24) or C(2001:db8::/32).
      - Required unless O(id) is given.
    type: str
  id:
    description:
      - The range's id. With it, the range is found, waited for or removed by id (the API has no read by id,
        so the list is read); a O(cidr_block) given too must be the range's (or O(recreate=true) replaces it).
    type: str
  description:
    description:
      - A description of the range, set when it is created.
      - The API cannot change it afterwards; a different description fails naming the field unless O(recreate=true).
    type: str
  recreate:
    description:
      - Replace a range whose O(description) differs by deleting it and creating it again.
      - The block is not allowed between the two requests.
    type: bool
    default: false
  state:
    description:
      - V(present) adds the block; V(absent) removes it if it is there.
    type: str
    default: present
    choices: [present, absent]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Allow the office network
  telnyx.account_access.access_ip_range:
    cidr_block: 198.51.100.0/24
    description: office
    wait: true

- name: Remove an IPv6 block
  telnyx.account_access.access_ip_range:
    cidr_block: 2001:db8::/48
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
  description: The range that O(recreate=true) deleted, as it was; its id differs from the new range's.
  returned: when the range was replaced
  type: dict
  sample: {id: 4b7e0f3a-52d1-4c8e-9a4f-0d6b2c1e7f90, cidr_block: 198.51.100.0/24, description: old}
access_ip_range:
  description:
    - The range after the run; with O(state=absent), the range that was removed; empty when there was none.
    - In check mode, the predicted range (V(null) id for one that would be created).
  returned: always
  type: dict
  contains:
    id:
      description: The range's id.
      type: str
      sample: 7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f
    cidr_block:
      description: The block.
      type: str
      sample: 198.51.100.0/24
    description:
      description: The range's description.
      type: str
      sample: office
    status:
      description: V(pending) until the block is active, then V(added).
      type: str
      sample: added
    user_id:
      description: The id of the user that owns the range.
      type: str
      sample: 3fa85f64-5717-4562-b3fc-2c963f66afa6
    created_at:
      description: When the range was created (ISO 8601).
      type: str
      sample: "2026-12-02T10:00:00.000Z"
    updated_at:
      description: When the range was last changed (ISO 8601).
      type: str
      sample: "2026-12-02T10:00:00.000Z"
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import ObjectRunner


def main(make_module=None):
    ObjectRunner(RESOURCES["access_ip_range"], make_module=make_module).run()


if __name__ == "__main__":
    main()
