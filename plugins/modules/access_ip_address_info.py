#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: access_ip_address_info
short_description: List the Telnyx API IP allowlist
version_added: 0.1.0
description:
  - Returns every single-address entry of the account's API access IP allowlist, or those matching the given
    filters. The allowlist's CIDR blocks are listed by M(telnyx.account_access.access_ip_range_info).
  - O(ip_address) and O(ip_source) are filtered by the API; O(status) is matched after listing, because the
    API reference documents no status filter.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.info_module
options:
  id:
    description:
      - Only the entry with this id (read with C(GET /access_ip_address/{id})).
    type: str
  ip_address:
    description:
      - Only the entries for this address (one IPv4 or IPv6 address, compared in canonical form).
    type: str
  ip_source:
    description:
      - Only the entries from this source.
    type: str
  status:
    description:
      - Only the entries with this status.
    type: str
    choices: [pending, added]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Read the whole allowlist
  telnyx.account_access.access_ip_address_info:
  register: allowlist

- name: Find the entries still pending
  telnyx.account_access.access_ip_address_info:
    status: pending
  register: pending
"""

RETURN = r"""
access_ip_addresses:
  description: The entries found.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0b1bbd5a-6bcd-4a5b-9f7a-2f0c0d8a6f1e
      ip_address: 203.0.113.10
      description: awx egress
      status: added
      source: api
      user_id: 3fa85f64-5717-4562-b3fc-2c963f66afa6
      created_at: "2026-11-29T10:00:00.000Z"
      updated_at: "2026-11-29T10:00:00.000Z"
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import InfoRunner

OPTIONS = dict(
    id=dict(type="str"),
    ip_address=dict(type="str"),
    ip_source=dict(type="str"),
    status=dict(type="str", choices=["pending", "added"]),
)


def main(make_module=None):
    InfoRunner(RESOURCES["access_ip_address"], OPTIONS, make_module=make_module).run()


if __name__ == "__main__":
    main()
