# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The API allowlist as one list: an entry is an address, a CIDR block, or a mapping with either.

``AllowlistRunner`` runs ``access_ip_allowlist``; ``split_entries`` is also the roles' input check, before
any request.
"""

from __future__ import annotations

from ._registry import RESOURCES
from ._resources.allowlist_entry import contains
from ._runner import WAIT_OPTIONS, wait_problems
from ._set_runner import SET_OPTIONS, Part, SetRunner, protected_keys, secret_values
from ._validation import judged, repeated, typed_items, unknown_key

ADDRESSES = RESOURCES["access_ip_address"]
RANGES = RESOURCES["access_ip_range"]
ENTRY_KEYS = ("ip_address", "cidr_block", "description")
# The allowlist's own options, in access_ip_allowlist and as the account module's access_ip_allowlist mapping.
ALLOWLIST_OPTIONS = dict(
    entries=dict(type="list", elements="raw", default=[]),
    purge=SET_OPTIONS["purge"],
    allow_empty=SET_OPTIONS["allow_empty"],
    protected=SET_OPTIONS["protected"],
    **WAIT_OPTIONS
)


class AllowlistRunner(SetRunner):
    """Both halves of the allowlist converged as one list, in the allowlist's own words."""

    recreate_hint = ("the allowlist never replaces an entry, as the address would be briefly absent; use "
                     "access_ip_address or access_ip_range with recreate: true, or leave out the entry's description")

    def __init__(self, make_module=None):
        options = dict(ALLOWLIST_OPTIONS, parallelism=dict(type="int", default=4))
        super().__init__(options, secrets_in=secrets_in_entries, make_module=make_module)
        self.protected_addresses = []

    def problems(self):
        self.parts, self.protected_addresses, problems = allowlist_input(self.params)
        return super().problems() + problems

    def guard(self, plans):
        return protected_addresses_kept(self.protected_addresses, plans)

    def report(self, plans):
        return allowlist_report(self.outcome(plans))


def allowlist_input(params, label="", phase=0):
    """The allowlist's options (``entries``, ``purge``, ``protected``, ``allow_empty``, ``wait``) checked before any
    request: (its two halves as the lists a set runner converges, guarded against emptying together, the protected
    addresses, problems). ``label`` prefixes the option names in the problems (``access_ip_allowlist.``); ``phase``
    is when the halves are written among other lists."""
    items, problems = split_entries(params["entries"], label=label + "entries")
    protected_addresses, found = protected_keys(ADDRESSES, [p for p in params["protected"] if "/" not in p])
    protected_blocks, more = protected_keys(RANGES, [p for p in params["protected"] if "/" in p])
    problems += [label + problem for problem in found + more]
    problems += wait_problems(params, label)
    wait = params["wait_timeout"] if params["wait"] else None
    # The option to set, as the module spells its path (access_ip_allowlist.allow_empty in the account module).
    hint = "set %sallow_empty: true" % label
    parts = [Part(resource, items[resource.name], protected, params["purge"], params["allow_empty"], "allowlist", wait,
                  allow_empty_hint=hint, phase=phase)
             for resource, protected in ((ADDRESSES, protected_addresses), (RANGES, protected_blocks))]
    return parts, protected_addresses, problems


def allowlist_report(outcome):
    """The allowlist speaks of addresses and blocks; entries are never updated (the API has no PATCH)."""
    result = dict(outcome, entries=outcome["final"])
    del result["updated"], result["final"]
    for key, word in (("created", "added"), ("removed", "removed"), ("unchanged", "unchanged")):
        result[word] = [entry.get("ip_address") or entry.get("cidr_block") for entry in result.pop(key)]
    return result


def protected_addresses_kept(protected, plans):
    """A guard across both lists: a protected address covered only by a range the plan removes stays allowed."""
    kept, gone = [], []
    for plan in plans:
        removed = {a.current["id"] for a in plan.actions if a.kind in ("delete", "recreate") and a.current}
        for obj in plan.current:
            (gone if obj["id"] in removed else kept).append((plan.resource, obj))
        kept.extend((plan.resource, a.after) for a in plan.actions if a.kind in ("create", "recreate") and a.after)

    def allows(resource, obj, address):
        if resource is RANGES:
            return contains(obj.get("cidr_block"), address)
        return resource.normalize("ip_address", obj.get("ip_address")) == address

    return ["refusing to remove access IP range %s: it allows protected address %s, which nothing else "
            "in the allowlist would" % (obj.get("cidr_block"), address)
            for address in protected for resource, obj in gone
            if resource is RANGES and allows(resource, obj, address)
            and not any(allows(r, o, address) for r, o in kept)]


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
    """The entries as canonical address items and range items, and the problems found, before any request."""
    kinds = [entry_to_item(entry) for entry in entries]
    # Each half's items typed together (typed_items), then taken back in the entries' order.
    typed = {resource: iter(typed_items(resource, [item for r, item in kinds if r is resource]))
             for resource in (ADDRESSES, RANGES)}
    items = {ADDRESSES.name: [], RANGES.name: []}
    problems = []
    for index, (resource, item) in enumerate(kinds):
        found = [item] if resource is None else []
        if resource is not None:
            item, found = judged(resource, *next(typed[resource]))
            if not found:
                items[resource.name].append(item)
        problems.extend("%s[%d]: %s" % (label, index, m) for m in found)
    if not problems:
        problems = [p for resource in (ADDRESSES, RANGES) for p in repeated(resource, items[resource.name])]
    return items, problems


def secrets_in_entries(params):
    """The secret values misplaced in mapping entries (``secret_values``): ``entries`` are free-form."""
    return secret_values(params.get("entries"))
