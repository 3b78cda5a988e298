#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: access_ip_range_info
short_description: List the CIDR blocks of the Telnyx API IP allowlist
version_added: 0.2.0
description:
  - Returns every CIDR block of the account's API access IP allowlist, or those matching the given filters.
  - O(cidr_block) and its O(cidr_block_startswith), O(cidr_block_endswith) and O(cidr_block_contains) forms are
    filtered by the API; O(id) and O(status) are matched after listing (the API has no read by id and no status
    filter for ranges).
  - Single addresses are listed by M(telnyx.account_access.access_ip_address_info).
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.info_module
options:
  id:
    description:
      - Only the range with this id.
    type: str
  cidr_block:
    description:
      - Only the range for this block (compared in canonical form; host bits must not be set).
    type: str
  cidr_block_startswith:
    description:
      - Only the ranges whose block starts with this text (C(filter[cidr_block][startswith])).
    type: str
  cidr_block_endswith:
    description:
      - Only the ranges whose block ends with this text, for example C(/24) (C(filter[cidr_block][endswith])).
    type: str
  cidr_block_contains:
    description:
      - Only the ranges whose block contains this text (C(filter[cidr_block][contains])).
    type: str
  status:
    description:
      - Only the ranges with this status.
    type: str
    choices: [pending, added]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Read every CIDR block of the allowlist
  telnyx.account_access.access_ip_range_info:
  register: ranges

- name: Find the /24 blocks
  telnyx.account_access.access_ip_range_info:
    cidr_block_endswith: /24
  register: class_c
"""

RETURN = r"""
access_ip_ranges:
  description: The ranges found.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f
      cidr_block: 198.51.100.0/24
      description: office
      status: added
      user_id: 3fa85f64-5717-4562-b3fc-2c963f66afa6
      created_at: "2026-12-02T10:00:00.000Z"
      updated_at: "2026-12-02T10:00:00.000Z"
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import InfoRunner

OPTIONS = dict(
    id=dict(type="str"),
    cidr_block=dict(type="str"),
    cidr_block_startswith=dict(type="str"),
    cidr_block_endswith=dict(type="str"),
    cidr_block_contains=dict(type="str"),
    status=dict(type="str", choices=["pending", "added"]),
)


def main(make_module=None):
    InfoRunner(RESOURCES["access_ip_range"], OPTIONS, make_module=make_module).run()


if __name__ == "__main__":
    main()
