# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""Running a set module: whole lists of objects converged in one task.

``resource_set`` converges one list of one resource; ``access_ip_allowlist`` converges the
allowlist's two lists (addresses and CIDR ranges) as one: both are read and planned, and the
guards see both, before any write; every list's writes come before any list's removals.
"""

from __future__ import annotations

import difflib

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError

from ._api_error import TelnyxError
from ._engine import Engine
from ._resource import PlanError, message_of
from ._runner import fail, wait_timeout

SET_OPTIONS = dict(
    purge=dict(type="bool", default=False),
    allow_empty=dict(type="bool", default=False),
    protected=dict(type="list", elements="str", default=[]),
    parallelism=dict(type="int", default=8),
)
MAX_PARALLELISM = 16


def validate_items(resource, items, label="items"):
    """Check each item against the resource module's own options; return (items, problems)."""
    checked, problems = [], []
    for index, raw in enumerate(items):
        item, found = validate_item(resource, raw)
        problems.extend("%s[%d]: %s" % (label, index, m) for m in found)
        if not found:
            checked.append(item)
    return checked, problems


def validate_item(resource, raw):
    """Check one item as the resource's module would check its options: (item, problems)."""
    if not isinstance(raw, dict):
        return None, ["must be a mapping of %s options, got %r" % (resource.title, raw)]
    validator = ArgumentSpecValidator(resource.options, required_one_of=resource.required_one_of)
    outcome = validator.validate(raw)
    found = [unknown_key(name, resource.options) for name in sorted(set(raw) - set(resource.options), key=str)]
    found += [str(e) for e in outcome.errors if not isinstance(e, UnsupportedError)]
    # AnsibleModule would turn a list into its text for a str option; an item is stricter.
    found += ["%s must be a string, got a %s" % (name, "list" if isinstance(raw[name], list) else "mapping")
              for name, spec in resource.options.items()
              if spec.get("type") == "str" and isinstance(raw.get(name), (list, dict))]
    if not found:
        found = [p for p in [resource.validate(outcome.validated_parameters)] if p]
    return outcome.validated_parameters, found


def unknown_key(name, known):
    """One line naming an unknown key and the known ones it may have meant (a misspelt key must never pass)."""
    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=3, cutoff=0.6)
    hint = "did you mean %s?" % " or ".join(close) if close else "known: %s" % ", ".join(sorted(map(str, known)))
    return "unknown key %s (%s)" % (name, hint)


def converge_set(module, client, lists, shape=None, recreate_hint=None, guard=None):
    """Converge whole lists in one task: ``lists`` is [(resource, items, protected keys)], usually one.

    Returns the module result (created, updated, removed, unchanged, diff) and the final objects.
    ``shape(result)`` renames the result's keys for a module, on success and failure alike;
    ``recreate_hint`` is what to do about a field that cannot change, where ``recreate`` is not offered;
    ``guard(plans)`` returns problems that only the lists together show (a lock-out across both halves).
    """
    params = module.params
    if not 1 <= params["parallelism"] <= MAX_PARALLELISM:
        module.fail_json(msg="parallelism must be between 1 and %d, got %d" % (MAX_PARALLELISM, params["parallelism"]))
    wait = wait_timeout(module)
    single = len(lists) == 1
    plans, problems, details = [], [], {}
    try:
        for resource, items, protected in lists:
            engine = Engine(client, resource, module.check_mode, params["parallelism"])
            engine.recreate_hint = recreate_hint or engine.recreate_hint
            try:
                # One list guards its own emptiness; several are guarded together below.
                current, actions = engine.read_and_plan(items, purge=params["purge"], protected=protected,
                                                        allow_empty=params["allow_empty"] if single else None)
            except PlanError as exc:
                problems.append(str(exc))
                details.update(exc.details)
                continue
            plans.append((engine, current, actions))
    except TelnyxError as exc:
        fail(module, exc)
    if not problems and not single:
        problems += refuse_emptying([(e.resource, c, a) for e, c, a in plans], params["allow_empty"])
    if not problems and guard:
        problems += guard([(e.resource, c, a) for e, c, a in plans])
    if problems:
        fail(module, PlanError("; ".join(problems), **details))
    for dummy, dummy, actions in plans:
        for action in actions:
            if action.note:
                module.warn(action.note)
    try:
        failed = _apply(plans, wait)  # in check mode it records what the plan would write, and writes nothing
    except TelnyxError as exc:  # a read after the writes (settling, waiting) failed: the API is gone
        fail(module, exc)
    # The diff lists every object twice: build it only when asked (hundreds of objects).
    result = merge_summaries([summarize_set(e.resource, c, a, diff=module._diff) for e, c, a in plans])
    final = result.pop("final")
    result = shape(result) if shape else result
    if failed:
        count = sum(len(a) for dummy, dummy, a in plans)
        problems = ["%s: %s" % (resource.describe(action.item or action.current), message_of(action.error))
                    for resource, action in failed]
        fail(module, PlanError("%d of %d objects did not converge: %s" % (len(failed), count, "; ".join(problems))),
             **result)
    return result, final


def _apply(plans, wait):
    """Every list's writes (ready, with ``wait``) before any list's removals; the actions that failed."""
    written = [engine.apply_writes(actions, wait) for engine, dummy, actions in plans]
    for engine, dummy, actions in plans:
        engine.apply_deletes(actions, blocked=not all(written))
    return [(engine.resource, action) for engine, dummy, actions in plans for action in actions
            if action.error is not None]


def protected_keys(module, resource, values):
    """The ``protected`` values in the resource's canonical key form; a value that cannot be one fails the task."""
    try:
        return [resource.canonical_key(value) for value in values]
    except ValueError as exc:
        module.fail_json(msg="protected: %s" % exc)


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
