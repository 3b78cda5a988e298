# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""Allowlist entries as users write them: an address, a CIDR block, or a mapping with either.

Read by ``access_ip_allowlist`` and, before any request, by the roles' input check.
"""

from __future__ import annotations

from ._registry import RESOURCES
from ._set_runner import unknown_key, validate_item

ADDRESSES = RESOURCES["access_ip_address"]
RANGES = RESOURCES["access_ip_range"]
ENTRY_KEYS = ("ip_address", "cidr_block", "description")


def entry_to_item(entry):
    """An entry as (resource, item): a string with a slash, or a mapping with cidr_block, is a range.
    A problem is returned as (None, sentence)."""
    if isinstance(entry, str):
        return (RANGES, {"cidr_block": entry}) if "/" in entry else (ADDRESSES, {"ip_address": entry})
    if isinstance(entry, dict):
        unknown = sorted(set(entry) - set(ENTRY_KEYS), key=str)
        if unknown:
            return None, "; ".join(unknown_key(name, ENTRY_KEYS) for name in unknown)
        if ("ip_address" in entry) == ("cidr_block" in entry):
            return None, "a mapping needs ip_address (one address) or cidr_block (a CIDR block), not both"
        return (RANGES if "cidr_block" in entry else ADDRESSES), dict(entry)
    return None, "must be an address, a CIDR block or a mapping with ip_address or cidr_block, got %r" % (entry,)


def split_entries(entries, label="entries"):
    """The entries as address items and range items, and the problems found, before any request."""
    items = {ADDRESSES.name: [], RANGES.name: []}
    problems = []
    for index, entry in enumerate(entries):
        resource, item = entry_to_item(entry)
        found = [item] if resource is None else []
        if resource is not None:
            item, found = validate_item(resource, item)
            if not found:
                items[resource.name].append(item)
        problems.extend("%s[%d]: %s" % (label, index, m) for m in found)
    return items, problems
