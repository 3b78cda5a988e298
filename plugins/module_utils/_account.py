# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The whole account in one task: ``AccountRunner`` runs ``account``, ``AccountInfoRunner`` ``account_info``.

Every type given is read at the same time as the others (a no-op account costs one round trip, not one per
type), and every item of every type is checked, planned and guarded before any write. The writes of every type
share one pool, the allowlist's after all others, so that a mistake elsewhere cannot lock the run out halfway;
removals come after every write.
"""

from __future__ import annotations

from ._allowlist import ADDRESSES, ALLOWLIST_OPTIONS, RANGES, allowlist_input, allowlist_report, protected_addresses_kept
from ._engine import Engine
from ._registry import RESOURCES
from ._resource import PlanError
from ._runner import Runner
from ._set_runner import (SET_OPTIONS, Part, SetRunner, at_once, merge_summaries, parallelism_problems, secret_values,
                          summarize_set)
from ._validation import check_items

# The types besides the allowlist's two halves, in the order of their results and diff.
TYPES = [RESOURCES[name] for name in
         ("billing_group", "address", "authentication_provider", "integration_secret", "telephony_credential")]
TYPE_NAMES = [resource.plural for resource in TYPES]
OUTCOMES = ("created", "updated", "removed", "unchanged")
# The allowlist's options when none are given: no entry.
ALLOWLIST_DEFAULTS = {name: option.get("default") for name, option in ALLOWLIST_OPTIONS.items()}


class AccountRunner(SetRunner):
    """Each type's list (``billing_groups``, …) and the allowlist, as one plan."""

    def __init__(self, make_module=None):
        # no_log would mask every value of the items, names and types included, everywhere in the output; the
        # secret fields in them are masked by secrets_in_types instead.
        options = {name: dict(type="list", elements="dict", no_log=False) for name in TYPE_NAMES}
        options.update(
            access_ip_allowlist=dict(type="dict", options=ALLOWLIST_OPTIONS),
            purge=dict(type="list", elements="str", choices=TYPE_NAMES, default=[]),
            allow_empty=dict(type="list", elements="str", choices=TYPE_NAMES, default=[]),
            compare_only=dict(type="bool", default=False),
            parallelism=SET_OPTIONS["parallelism"],
        )
        super().__init__(options, secrets_in=secrets_in_types, make_module=make_module)
        self.protected_addresses = []

    def problems(self):
        problems = super().problems()
        params = self.params
        compare = params["compare_only"]
        if compare:
            # Looking only, whatever the task says: every type read in full and planned as purged, with no guard.
            self.module.check_mode = True
        for resource in TYPES:
            purge = compare or resource.plural in params["purge"]
            if not params[resource.plural] and not purge:
                continue  # a type not given is not read
            items, found = check_items(resource, params[resource.plural] or [], label=resource.plural)
            problems += found
            self.parts.append(Part(resource, items, purge=purge,
                                   allow_empty=compare or resource.plural in params["allow_empty"],
                                   allow_empty_hint="add %s to allow_empty" % resource.plural))
        allowlist = params["access_ip_allowlist"]
        if compare:
            allowlist = dict(allowlist or ALLOWLIST_DEFAULTS, purge=True, allow_empty=True, protected=[], wait=False)
        if allowlist is not None:
            # Written after every other type: a mistake elsewhere cannot lock the run out halfway.
            parts, self.protected_addresses, found = allowlist_input(allowlist, label="access_ip_allowlist.", phase=1)
            self.parts += parts
            problems += found
        return problems

    def guard(self, plans):
        return protected_addresses_kept(self.protected_addresses, [p for p in plans if p.part.group == "allowlist"])

    def report(self, plans):
        """Per type given, its outcome (``resource_set``'s lists); the allowlist's in its own words."""
        summaries, not_named = {}, {}
        for plan in plans:
            name = plan.part.group or plan.resource.plural
            summaries.setdefault(name, []).append(summarize_set(plan.resource, plan.current, plan.actions,
                                                                diff=self.module._diff))
            # What a purge removes: objects no item names (a drift check's "exists, but the file does not name it").
            not_named.setdefault(name, []).extend(plan.resource.public(a.current) for a in plan.actions
                                                  if a.kind == "delete" and not a.item and a.current)
        result = dict(changed=any(s["changed"] for group in summaries.values() for s in group))
        if self.module._diff:
            result["diff"] = {side: {k: v for group in summaries.values() for s in group
                                     for k, v in s["diff"][side].items()} for side in ("before", "after")}
        for name, group in summaries.items():
            if name == "allowlist":
                merged = allowlist_report(merge_summaries(group))
                result["access_ip_allowlist"] = {k: merged[k] for k in ("added", "removed", "unchanged", "entries")}
                result["access_ip_allowlist"]["not_named"] = [o.get("ip_address") or o.get("cidr_block")
                                                              for o in not_named[name]]
            else:
                result[name] = dict({k: group[0][k] for k in OUTCOMES}, not_named=not_named[name])
        return result


class AccountInfoRunner(Runner):
    """Every object of every type, read at once: as the API returns it (``public``), and as the items of the
    ``account`` module that would leave it as it is (``exported``), each list sorted by natural key."""

    def __init__(self, make_module=None):
        super().__init__(dict(parallelism=SET_OPTIONS["parallelism"]), parallelism_option=True, make_module=make_module)

    def problems(self):
        return parallelism_problems(self.params)

    def execute(self):
        resources = TYPES + [ADDRESSES, RANGES]
        listed = at_once([(self.read, resource) for resource in resources], self.params["parallelism"])
        items = {}
        self.result.update(changed=False, api_url=self.client.base_url)
        for resource, objects in zip(resources, listed):
            objects = sorted(objects, key=lambda o: (str(resource.key_of(o) or ""), str(o.get("id"))))
            self.result[resource.plural] = [resource.public(o) for o in objects]
            items[resource.plural] = [resource.exported(o) for o in objects]
        # The allowlist as access_ip_allowlist takes it: an address or block, or a mapping when it has a description.
        items["access_ip_allowlist"] = [allowlist_entry(resource, item) for resource in (ADDRESSES, RANGES)
                                        for item in items.pop(resource.plural)]
        self.result["exported"] = items

    def read(self, resource):
        engine = Engine(self.client, resource)
        objects = engine.list_all()
        resource.enrich(engine, [], objects)  # what the API returns elsewhere (a credential's connection_id)
        return objects


def allowlist_entry(resource, item):
    """An exported address or range as an allowlist entry: its address or block, or a mapping with a description."""
    if not item.get(resource.key):
        raise PlanError("GET %s listed an entry without %s: check api_url" % (resource.path, resource.key))
    return item if item.get("description") else item[resource.key]


def secrets_in_types(params):
    """The secret values in every type's items (``secret_values``): ``no_log`` cannot reach into them."""
    allowlist = params.get("access_ip_allowlist")
    entries = allowlist.get("entries") if isinstance(allowlist, dict) else None
    return [value for name in TYPE_NAMES for value in secret_values(params.get(name))] + secret_values(entries)
