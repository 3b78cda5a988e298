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

from ._engine import Engine
from ._registry import RESOURCES
from ._resource import PlanError, message_of
from ._runner import Runner
from ._validation import check_items

SET_OPTIONS = dict(
    purge=dict(type="bool", default=False),
    allow_empty=dict(type="bool", default=False),
    protected=dict(type="list", elements="str", default=[]),
    parallelism=dict(type="int", default=8),
)
MAX_PARALLELISM = 16
# Every field any resource declares secret: an item is masked by these whatever its type says, so that a
# mistyped or missing type (refused by the argument validation, which prints the arguments back) shows no secret.
SECRET_FIELDS = sorted({field for resource in RESOURCES.values() for field in resource.secret})


class SetRunner(Runner):
    """A module converging whole lists: ``self.lists`` is [(resource, canonical items, protected keys)], set by
    the subclass's ``problems``. ``shape(result)`` renames the result's keys for a module, on success and failure
    alike; ``recreate_hint`` is what to do about a field that cannot change, where ``recreate`` is not offered;
    ``guard(plans)`` returns problems that only the lists together show (a lock-out across both halves)."""

    shape = None
    recreate_hint = None

    def __init__(self, options, secrets_in=None, make_module=None):
        super().__init__(options, parallelism_option=True, secrets_in=secrets_in, make_module=make_module)
        self.lists = []
        self.final = []

    def problems(self):
        parallelism = self.params["parallelism"]
        problems = [] if 1 <= parallelism <= MAX_PARALLELISM else [
            "parallelism must be between 1 and %d, got %d" % (MAX_PARALLELISM, parallelism)]
        return problems + self.wait_problems()

    def guard(self, plans):
        return []

    def execute(self):
        params = self.params
        single = len(self.lists) == 1
        plans, problems, details = [], [], {}
        for resource, items, protected in self.lists:
            engine = Engine(self.client, resource, self.module.check_mode, params["parallelism"])
            engine.recreate_hint = self.recreate_hint or engine.recreate_hint
            try:
                # One list guards its own emptiness; several are guarded together below.
                current, actions = engine.read_and_plan(items, purge=params["purge"], protected=protected,
                                                        allow_empty=params["allow_empty"] if single else None)
            except PlanError as exc:
                problems.append(str(exc))
                details.update(exc.details)
                continue
            plans.append((engine, current, actions))
        if not problems and not single:
            problems += refuse_emptying([(e.resource, c, a) for e, c, a in plans], params["allow_empty"])
        if not problems:
            problems += self.guard([(e.resource, c, a) for e, c, a in plans])
        if problems:
            raise PlanError("; ".join(problems), **details)
        for dummy, dummy, actions in plans:
            for action in actions:
                if action.note:
                    self.module.warn(action.note)
        failed = _apply(plans, self.wait_seconds())  # in check mode it records what the plan would write, and writes nothing
        # The diff lists every object twice: build it only when asked (hundreds of objects).
        result = merge_summaries([summarize_set(e.resource, c, a, diff=self.module._diff) for e, c, a in plans])
        self.final = result.pop("final")
        self.result = self.shape(result) if self.shape else result
        if failed:
            count = sum(len(a) for dummy, dummy, a in plans)
            problems = ["%s: %s" % (resource.describe(action.item or action.current), message_of(action.error))
                        for resource, action in failed]
            self.fail(PlanError("%d of %d objects did not converge: %s" % (len(failed), count, "; ".join(problems))))


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
        self.lists = [(resource, items, protected)]
        return super().problems() + problems + found


def secrets_in_items(params):
    """The secret values in the items, of any type (a number, a list): ``no_log`` cannot reach into a list of
    free-form mappings. Read from the arguments as given, before they are validated."""
    resource = RESOURCES.get(params.get("type")) if isinstance(params.get("type"), str) else None
    fields = sorted(set(SECRET_FIELDS) | set(resource.secret if resource else ()))
    items = params.get("items")
    items = [items] if isinstance(items, dict) else items if isinstance(items, list) else []
    return [item[field] for item in items if isinstance(item, dict)
            for field in fields if item.get(field) is not None]


def protected_keys(resource, values):
    """The ``protected`` values in the resource's canonical key form, and the problems: (keys, problems)."""
    keys, problems = [], []
    for value in values:
        try:
            keys.append(resource.canonical_key(value))
        except ValueError as exc:
            problems.append("protected: %s" % exc)
    return keys, problems


def _apply(plans, wait):
    """Every list's writes (ready, with ``wait``) before any list's removals; the actions that failed."""
    written = [engine.apply_writes(actions, wait) for engine, dummy, actions in plans]
    for engine, dummy, actions in plans:
        engine.apply_deletes(actions, blocked=not all(written))
    return [(engine.resource, action) for engine, dummy, actions in plans for action in actions
            if action.error is not None]


def refuse_emptying(plans, allow_empty):
    """A purge that leaves no object in any of the lists, refused unless allowed."""
    if allow_empty:
        return []
    removed = sum(1 for dummy, dummy, actions in plans for a in actions if a.kind in ("delete", "finish") and a.current)
    left = sum(len(current) for dummy, current, dummy in plans) - removed
    created = sum(1 for dummy, dummy, actions in plans for a in actions if a.kind == "create")
    if removed and left + created == 0:
        names = " and ".join(resource.title for resource, dummy, dummy in plans)
        return ["refusing to remove every %s (%d): set allow_empty: true if that is meant" % (names, removed)]
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
