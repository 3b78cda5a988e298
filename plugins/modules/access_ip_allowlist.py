#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: access_ip_allowlist
short_description: Converge the whole Telnyx API IP allowlist in one task
version_added: 0.1.0
description:
  - Makes the account's API access IP allowlist contain O(entries); with O(purge=true), exactly O(entries).
  - The API keeps the allowlist as two lists, single addresses (C(/access_ip_address)) and CIDR blocks
    (C(/access_ip_ranges)). This module reads, converges and purges both as one list.
  - The allowlist decides which addresses may use the account's API keys, so a wrong purge locks the
    automation, and people, out. Guards refuse such a plan before any write, with a message saying why
    (a plan that would leave both lists empty unless O(allow_empty=true); a plan that would remove an
    address or block listed in O(protected), or a block that is the only thing allowing a protected address).
  - Additions are made first and, with O(wait=true), confirmed C(added) before any removal starts; when
    an addition fails, nothing is removed.
  - The current list is read once (250 entries a page); writes run with at most O(parallelism) requests in
    flight, and the client waits and retries on HTTP 429.
  - Addresses and blocks are compared in one canonical form (IPv6 compressed and lower case).
  - This is M(telnyx.account_access.resource_set) with O(ignore:type=access_ip_address) and
    O(ignore:type=access_ip_range) at once, in the allowlist's own words.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
options:
  entries:
    description:
      - The addresses and blocks to allow, each a string (C(203.0.113.10), C(198.51.100.0/24)) or a mapping with
        C(ip_address) or C(cidr_block), and an optional C(description).
      - A string with a C(/) is a CIDR block, managed as an access IP range; any other string is one address.
      - A description only sets the description of an entry that is created. An existing entry whose
        description differs fails the plan naming the field, because the API cannot change it; use
        M(telnyx.account_access.access_ip_address) with O(telnyx.account_access.access_ip_address#module:recreate=true)
        (or M(telnyx.account_access.access_ip_range)) to replace it.
      - One IPv4 or IPv6 address, or one network in CIDR notation, each. A block with host bits set
        (C(10.0.0.1/24)) is refused naming the block it probably means; a host name or anything else is refused
        too, before any request.
    type: list
    elements: raw
    default: []
  purge:
    description:
      - Also remove every address and every block that is not in O(entries), from both lists.
    type: bool
    default: false
  allow_empty:
    description:
      - Allow a plan that leaves the allowlist empty. Without it such a plan is refused before any write.
    type: bool
    default: false
  protected:
    description:
      - Addresses and CIDR blocks that must never be removed, for example the controller's own egress address.
        A plan that would remove one is refused before any write.
      - A protected address also keeps the blocks that allow it. A plan that would remove the only block (or
        entry) allowing it is refused.
    type: list
    elements: str
    default: []
  wait:
    description:
      - Wait until every listed entry is C(added) before removals start, and before the module returns.
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds O(wait) waits before the module fails; nothing is removed then.
    type: int
    default: 60
  parallelism:
    description:
      - How many write requests may be in flight at once, 1 to 16.
    type: int
    default: 4
attributes:
  check_mode:
    support: full
    description: Returns the plan of the real run, guards included, and writes nothing.
  diff_mode:
    support: full
    description: Returns the whole allowlist, both lists, before and after.
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Make these the only addresses allowed, never removing the controller's own
  telnyx.account_access.access_ip_allowlist:
    purge: true
    protected: [203.0.113.10]
    wait: true
    entries:
      - 203.0.113.10
      - ip_address: 198.51.100.7
        description: office
      - 2001:db8::1
      - cidr_block: 192.0.2.0/24
        description: datacenter

- name: Add addresses, leaving the others alone
  telnyx.account_access.access_ip_allowlist:
    entries: "{{ partner_addresses }}"
"""

RETURN = r"""
added:
  description:
    - The addresses and blocks this run added (in check mode, that would be added).
    - One that another run added at the same moment is listed in RV(unchanged) instead.
  returned: always
  type: list
  elements: str
  sample: [198.51.100.7, 192.0.2.0/24]
removed:
  description: The addresses and blocks removed (in check mode, that would be removed).
  returned: always
  type: list
  elements: str
  sample: [192.0.2.44]
unchanged:
  description: The listed addresses and blocks that were already allowed, or that another run added at the same moment.
  returned: always
  type: list
  elements: str
  sample: [203.0.113.10]
entries:
  description:
    - The whole allowlist after the run (in check mode, as it would be), each entry as the API describes it,
      the single addresses (with C(ip_address)) first, then the blocks (with C(cidr_block)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0b1bbd5a-6bcd-4a5b-9f7a-2f0c0d8a6f1e
      ip_address: 203.0.113.10
      description: awx egress
      status: added
      source: api
    - id: 7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f
      cidr_block: 192.0.2.0/24
      description: datacenter
      status: added
"""

from ..module_utils._allowlist import AllowlistRunner


def main(make_module=None):
    AllowlistRunner(make_module=make_module).run()


if __name__ == "__main__":
    main()
