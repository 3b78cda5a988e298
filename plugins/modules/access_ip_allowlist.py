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
  - The allowlist decides which addresses may use the account's API keys, so a wrong purge locks the
    automation, and people, out. Two guards refuse such a plan before any write, with a message saying why
    (a plan that would leave the list empty unless O(allow_empty=true); a plan that would remove an
    address listed in O(protected)).
  - Additions are made first and, with O(wait=true), confirmed C(added) before any removal starts; when
    an addition fails, nothing is removed.
  - The current list is read once (250 entries a page); writes run with at most O(parallelism) requests in
    flight, and the client waits and retries on HTTP 429.
  - Addresses are compared in one canonical form (IPv6 compressed and lower case).
  - This is M(telnyx.account_access.resource_set) with O(ignore:type=access_ip_address), in the allowlist's own words.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
options:
  entries:
    description:
      - The addresses to allow, each a string (C(203.0.113.10)) or a mapping with C(ip_address) and an
        optional C(description).
      - A description only sets the description of an entry that is created. An existing entry whose
        description differs fails the plan naming the field, because the API cannot change it; use
        M(telnyx.account_access.access_ip_address) with O(telnyx.account_access.access_ip_address#module:recreate=true) to replace it.
      - One IPv4 or IPv6 address each; a CIDR block, a host name or anything else is refused before any request.
    type: list
    elements: raw
    default: []
  purge:
    description:
      - Also remove every entry whose address is not in O(entries).
    type: bool
    default: false
  allow_empty:
    description:
      - Allow a plan that leaves the allowlist empty. Without it such a plan is refused before any write.
    type: bool
    default: false
  protected:
    description:
      - Addresses that must never be removed, for example the controller's own egress address. A plan
        that would remove one is refused before any write.
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
    description: Returns the whole allowlist before and after.
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

- name: Add addresses, leaving the others alone
  telnyx.account_access.access_ip_allowlist:
    entries: "{{ partner_addresses }}"
"""

RETURN = r"""
added:
  description: The addresses added (in check mode, that would be added).
  returned: always
  type: list
  elements: str
  sample: [198.51.100.7]
removed:
  description: The addresses removed (in check mode, that would be removed).
  returned: always
  type: list
  elements: str
  sample: [192.0.2.44]
unchanged:
  description: The listed addresses that were already allowed.
  returned: always
  type: list
  elements: str
  sample: [203.0.113.10]
entries:
  description:
    - The whole allowlist after the run (in check mode, as it would be), each entry as the API describes it.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 0b1bbd5a-6bcd-4a5b-9f7a-2f0c0d8a6f1e
      ip_address: 203.0.113.10
      description: awx egress
      status: added
      source: api
"""

from ansible_collections.telnyx.account_access.plugins.module_utils._catalog import RESOURCES
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import (
    SET_OPTIONS,
    WAIT_OPTIONS,
    connected_module,
    converge_set,
    validate_item,
)

ENTRY_KEYS = ("ip_address", "description")


def entry_to_item(entry):
    """An entry (a string or a mapping) as an access_ip_address item, or a problem sentence."""
    if isinstance(entry, str):
        return {"ip_address": entry}
    if isinstance(entry, dict):
        unknown = sorted(set(entry) - set(ENTRY_KEYS))
        if unknown:
            return "unknown key %s (an entry takes ip_address and description)" % ", ".join(unknown)
        if "ip_address" not in entry:
            return "a mapping needs ip_address"
        return dict(entry)
    return "must be an address or a mapping with ip_address, got %r" % (entry,)


def main():
    options = dict(
        entries=dict(type="list", elements="raw", default=[]),
        **dict(SET_OPTIONS, parallelism=dict(type="int", default=4), **WAIT_OPTIONS)
    )
    module, client = connected_module(options, parallelism_option=True)
    resource = RESOURCES["access_ip_address"]
    items, problems = [], []
    for index, entry in enumerate(module.params["entries"]):
        item = entry_to_item(entry)
        if isinstance(item, str):
            found = [item]
        else:
            item, found = validate_item(resource, item)
        problems.extend("entries[%d]: %s" % (index, m) for m in found)
        items.append(item)
    if problems:
        module.fail_json(msg="; ".join(problems))
    result, final = converge_set(module, client, resource, items, shape=addresses_only, recreate_hint=(
        "the allowlist never replaces an entry, as the address would be briefly absent; "
        "use access_ip_address with recreate: true, or leave out the entry's description"))
    module.exit_json(entries=final, **result)


def addresses_only(result):
    """The allowlist speaks of addresses; entries are never updated (the API has no PATCH)."""
    result = dict(result)
    del result["updated"]
    for key, word in (("created", "added"), ("removed", "removed"), ("unchanged", "unchanged")):
        result[word] = [entry["ip_address"] for entry in result.pop(key)]
    return result


if __name__ == "__main__":
    main()
