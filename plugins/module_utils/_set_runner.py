# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The set runners: whole lists of objects converged in one task.

``ResourceSetRunner`` (``resource_set``) converges one list of one resource; ``AllowlistRunner``
(``_allowlist.py``) converges the allowlist's two lists (addresses and CIDR ranges) as one: both are
read and planned, and the guards see both, before any write; every list's writes come before any
list's removals.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.common.validation import check_type_dict, check_type_list

from ._connection import CONNECTION_SPEC
from ._engine import Engine
from ._planner import ALLOW_EMPTY_HINT
from ._registry import RESOURCES
from ._resource import PlanError, message_of
from ._runner import Runner
from ._validation import check_items

SET_OPTIONS = dict(
    purge=dict(type="bool", default=False),
    allow_empty=dict(type="bool", default=False),
    protected=dict(type="list", elements="str", default=[]),
    # Terraform's default of 10 operations at once: 300 creates at 50 ms of latency take about 2 s. Telnyx
    # publishes no numeric rate limit; the client waits and retries on HTTP 429.
    parallelism=dict(type="int", default=10),
)
MAX_PARALLELISM = 16
# Every field any resource declares secret, hidden or no_log, and the connection's no_log options (an api_key
# misplaced in an item): an item is masked by these whatever its type says, so that a mistyped or missing type, or
# a field the type does not take (refused by the argument validation, which prints the arguments back), shows no
# secret.
SECRET_FIELDS = sorted(
    {field for resource in RESOURCES.values() for field in resource.secret + resource.hidden}
    | {name for resource in RESOURCES.values() for name, option in resource.options.items() if option.get("no_log")}
    | {name for name, option in CONNECTION_SPEC.items() if option.get("no_log")})


class Part:
    """One list a set runner converges, with its own guards: ``purge`` removes what no item names, ``protected``
    keys are never removed, ``allow_empty`` lets a purge remove every object. Lists with one ``group`` name are
    guarded against emptying together (the allowlist's two halves); ``wait`` (seconds, or None) waits for the
    list's objects to be ready before any removal. ``allow_empty_hint`` says how to allow emptying, in the
    module's own words. Lists are written ``phase`` by phase; the lists of one phase at once."""

    def __init__(self, resource, items, protected=(), purge=False, allow_empty=False, group=None, wait=None,
                 allow_empty_hint=None, phase=0):
        self.resource, self.items, self.protected = resource, items, protected
        self.purge, self.allow_empty, self.group, self.wait = purge, allow_empty, group, wait
        self.allow_empty_hint, self.phase = allow_empty_hint, phase


class Plan:
    """One list read and planned: its part, its engine, what exists and the actions."""

    def __init__(self, part, engine, current, actions):
        self.part, self.engine, self.current, self.actions = part, engine, current, actions
        self.resource = part.resource


class SetRunner(Runner):
    """A module converging whole lists: ``self.parts`` (``Part``) is set by the subclass's ``problems``.
    Every list is read at once and planned, and every guard passes, before any write; every list's writes come
    before any list's removals. ``report(plans)`` makes the result, on success and failure alike;
    ``recreate_hint`` is what to do about a field that cannot change, where ``recreate`` is not offered;
    ``guard(plans)`` returns problems that only the lists together show (a lock-out across both halves)."""

    recreate_hint = None

    def __init__(self, options, secrets_in=None, make_module=None):
        super().__init__(options, parallelism_option=True, secrets_in=secrets_in, make_module=make_module)
        self.parts = []

    def problems(self):
        return parallelism_problems(self.params)

    def guard(self, plans):
        return []

    def report(self, plans):
        """The result of the run: by default every list's outcome merged into one, without the final list."""
        result = self.outcome(plans)
        del result["final"]
        return result

    def outcome(self, plans):
        """The lists' outcomes merged (``summarize_set``); the diff lists every object twice: only when asked."""
        return merge_summaries([summarize_set(p.resource, p.current, p.actions, diff=self.module._diff)
                                for p in plans])

    def execute(self):
        plans = self.read_and_plan()
        for plan in plans:
            for action in plan.actions:
                if action.note:
                    self.module.warn(action.note)
        failed = _apply(plans, self.params["parallelism"])  # in check mode it records what the plan would write, and writes nothing
        self.result = self.report(plans)
        if failed:
            count = sum(len(p.actions) for p in plans)
            problems = ["%s: %s" % (resource.describe(action.item or action.current), message_of(action.error))
                        for resource, action in failed]
            self.fail(PlanError("%d of %d objects did not converge: %s" % (len(failed), count, "; ".join(problems))))

    def read_and_plan(self):
        """Every list read at once (a no-op of many lists costs one round trip, not one per list) and planned;
        PlanError naming every problem of every list, before any write."""
        parallelism = self.params["parallelism"]

        def plan(part):
            engine = Engine(self.client, part.resource, self.module.check_mode, parallelism)
            engine.recreate_hint = self.recreate_hint or engine.recreate_hint
            engine.allow_empty_hint = part.allow_empty_hint or engine.allow_empty_hint
            try:
                # A list of its own guards its own emptiness; a group's lists are guarded together below.
                current, actions = engine.read_and_plan(part.items, purge=part.purge, protected=part.protected,
                                                        allow_empty=part.allow_empty if part.group is None else None)
            except PlanError as exc:
                return exc
            return Plan(part, engine, current, actions)

        outcomes = at_once([(plan, part) for part in self.parts], parallelism)
        plans = [o for o in outcomes if isinstance(o, Plan)]
        errors = [o for o in outcomes if isinstance(o, PlanError)]
        problems = [str(exc) for exc in errors]
        if not problems:
            groups = {}
            for p in plans:
                if p.part.group is not None:
                    groups.setdefault(p.part.group, []).append(p)
            for group in groups.values():
                problems += refuse_emptying(group, group[0].part.allow_empty)
            problems += self.guard(plans)
        if problems:
            details = {}
            for exc in errors:
                details.update(exc.details)
            raise PlanError("; ".join(problems), **details)
        return plans


class ResourceSetRunner(SetRunner):
    """``resource_set``: the items of any registered resource type, checked as that type's module checks its own."""

    def __init__(self, make_module=None):
        options = dict(
            type=dict(type="str", required=True, choices=sorted(RESOURCES)),
            items=dict(type="list", elements="dict", default=[]),
            **SET_OPTIONS
        )
        super().__init__(options, secrets_in=secrets_in_items, make_module=make_module)

    def problems(self):
        resource = RESOURCES[self.params["type"]]
        items, problems = check_items(resource, self.params["items"])
        protected, found = protected_keys(resource, self.params["protected"])
        self.parts = [Part(resource, items, protected, self.params["purge"], self.params["allow_empty"])]
        return super().problems() + problems + found


def parallelism_problems(params):
    parallelism = params["parallelism"]
    return [] if 1 <= parallelism <= MAX_PARALLELISM else [
        "parallelism must be between 1 and %d, got %d" % (MAX_PARALLELISM, parallelism)]


def secrets_in_items(params):
    """The secret values in ``resource_set``'s items (``secret_values``)."""
    return secret_values(params.get("items"))


def secret_values(items):
    """The values of every secret field in a list of items, of any type (a number, a list): ``no_log`` cannot reach
    into a list of free-form mappings. Read from the arguments as given, before they are validated, and as the
    validation reads them (a list given as one ``k=v,k=v`` text, an item as ``k=v`` text): any field that any
    resource declares secret, whatever the item's type claims to be."""
    return [item[field] for item in _as_mappings(items) for field in SECRET_FIELDS if item.get(field) is not None]


def _as_mappings(items):
    """The mappings a list option's value holds or converts to (Ansible's own conversions); nothing else."""
    if isinstance(items, dict):
        return [items]
    if isinstance(items, str):
        try:
            items = check_type_list(items)
        except (TypeError, ValueError):
            return []
    found = []
    for item in items if isinstance(items, list) else []:
        if isinstance(item, str):
            try:
                item = check_type_dict(item)
            except (TypeError, ValueError):
                continue
        if isinstance(item, dict):
            found.append(item)
    return found


def protected_keys(resource, values):
    """The ``protected`` values in the resource's canonical key form, and the problems: (keys, problems)."""
    keys, problems = [], []
    for value in values:
        try:
            keys.append(resource.canonical_key(value))
        except ValueError as exc:
            problems.append("protected: %s" % exc)
    return keys, problems


def _apply(plans, parallelism):
    """Every list's writes (ready, with its ``wait``), phase by phase, before any list's removals; the actions that
    failed, as (resource, action). The writes of one phase's lists share one pool of ``parallelism`` (many small
    lists cost what one list of them all costs)."""
    written = []
    for phase in sorted({p.part.phase for p in plans}):
        lists = [p for p in plans if p.part.phase == phase]
        if len(lists) == 1 or lists[0].engine.check_mode:
            written += [p.engine.apply_writes(p.actions, p.part.wait) for p in lists]
        else:
            written += _write_together(lists, parallelism)
    for p in plans:
        p.engine.apply_deletes(p.actions, blocked=not all(written))
    return [(p.resource, action) for p in plans for action in p.actions if action.error is not None]


def _write_together(lists, parallelism):
    """The writes of several lists in one pool, list after list; each list is settled (and waited for) as soon as
    its own last write is done, not after all of them: another run reading meanwhile meets our duplicates of a
    concurrent create for as short a time as when the lists were written one by one. Whether each succeeded."""
    left = {id(p): len(p.engine.writes_of(p.actions)) for p in lists}
    lock = threading.Lock()
    with ThreadPoolExecutor(max_workers=len(lists)) as finishers:
        finished = {}

        def finish(plan):
            finished[id(plan)] = finishers.submit(plan.engine.finish_writes, plan.actions, plan.part.wait)

        def write(call):
            plan, action = call
            plan.engine.run(action)
            with lock:
                left[id(plan)] -= 1
                last = left[id(plan)] == 0
            if last:
                finish(plan)

        for plan in lists:
            if not left[id(plan)]:
                finish(plan)
        at_once([(write, (p, a)) for p in lists for a in p.engine.writes_of(p.actions)], parallelism)
        return [finished[id(p)].result() for p in lists]


def at_once(calls, workers):
    """[(function, argument)] run with at most ``workers`` at once; their answers, in order."""
    if not calls:
        return []
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(calls)))) as pool:
        return list(pool.map(lambda call: call[0](call[1]), calls))


def refuse_emptying(plans, allow_empty):
    """A purge that leaves no object in any of the lists, refused unless allowed, saying how in the module's own words
    (the group's ``allow_empty_hint``)."""
    if allow_empty:
        return []
    removed = sum(1 for p in plans for a in p.actions if a.kind in ("delete", "finish") and a.current)
    left = sum(len(p.current) for p in plans) - removed
    created = sum(1 for p in plans for a in p.actions if a.kind == "create")
    if removed and left + created == 0:
        names = " and ".join(p.resource.title for p in plans)
        hint = plans[0].part.allow_empty_hint or ALLOW_EMPTY_HINT
        return ["refusing to remove every %s (%d): %s if that is meant" % (names, removed, hint)]
    return []


def summarize_set(resource, current, actions, diff=True):
    """The set's outcome: created / updated / removed / unchanged objects, the diff, and the final list.

    It follows what each action wrote (``Action.written``), so that a failed or half-done action is reported as
    far as it took effect: a replacement whose delete succeeded and whose create failed removed the old object;
    one that created the new object and could not delete the old one created the new one, and both remain.
    A create that ended on another run's object wrote nothing: that object is unchanged.
    """
    wrote = {kind: [a for a in actions if kind in a.written] for kind in ("create", "update", "delete")}
    # A removal answered 404 removed nothing of ours, but the object is gone all the same.
    gone = {a.current["id"] for a in actions if a.current and ("delete" in a.written
                                                               or (a.kind in ("delete", "finish") and a.error is None))}
    replaced = {a.current["id"]: a.after for a in wrote["update"] if a.current}
    after = [replaced.get(o["id"], o) for o in current if o["id"] not in gone]
    seen = {o["id"] for o in current}
    for action in actions:
        # What a create made (in check mode, would make), or the object another run made that it ended on.
        made = action.result if action.result is not None else action.after if "create" in action.written else None
        if action.kind in ("create", "recreate") and made and (made.get("id") is None or made["id"] not in seen):
            after.append(made)
            seen.add(made.get("id"))

    def ordered(objects):
        return sorted((o for o in objects if o), key=lambda o: (str(o.get(resource.key)), str(o.get("id"))))

    def listed(objects):
        return [resource.masked(o) for o in ordered(objects)]

    untouched = [a for a in actions if not a.written and a.error is None]
    result = dict(
        final=[resource.public(o) for o in ordered(after)],
        changed=any(a.written for a in actions),
        created=[resource.public(a.result if a.result is not None else a.after) for a in wrote["create"]],
        updated=[resource.public(a.after) for a in wrote["update"]],
        # A replaced object is reported by its replacement (created); one deleted and not replaced is removed.
        removed=[resource.public(a.current) for a in wrote["delete"]
                 if a.current and (a.kind in ("delete", "finish") or "create" not in a.written)],
        unchanged=[resource.public(a.current) for a in untouched if a.kind == "none" and a.current]
        + [resource.public(a.result) for a in untouched if a.kind == "create" and a.result]
        + [resource.public(a.after) for a in actions if a.kind == "finish" and a.error is None],
    )
    if diff:
        # Ansible's diff display wants mappings, not lists.
        result["diff"] = dict(before={resource.plural: listed(current)}, after={resource.plural: listed(after)})
    return result


def merge_summaries(summaries):
    """Several lists' outcomes as one: lists joined, diffs side by side, changed if any changed."""
    if len(summaries) == 1:
        return summaries[0]
    merged = {key: [obj for summary in summaries for obj in summary[key]]
              for key in ("final", "created", "updated", "removed", "unchanged")}
    merged["changed"] = any(summary["changed"] for summary in summaries)
    if all("diff" in summary for summary in summaries):
        merged["diff"] = {side: {k: v for summary in summaries for k, v in summary["diff"][side].items()}
                          for side in ("before", "after")}
    return merged
