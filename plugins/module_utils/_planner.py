# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The engine's first half: read what exists and plan, writing nothing.

``Planner`` reads the current objects once (one listing, or a few direct look-ups) and makes one
plan for check mode, diff and the real run: it refuses the whole plan when one item is ambiguous
or cannot be carried out. It trusts its items: ``_validation.py`` checked them before any request. ``Engine`` (``_engine.py``) carries it out.
"""

from __future__ import annotations

import copy
import time

from ._resource import Action, PlanError

# Above this many filtered look-ups one full listing is cheaper (a listing is 250 a page).
MAX_FILTERED_LOOKUPS = 3
# Waits before looking again when two objects share a wanted key (a concurrent create, not yet settled); the
# longer ones only when the API has rate-limited this run: the other run, slowed by the same limit, settles later.
TWIN_WAITS = (1.0, 2.0, 4.0)
TWIN_WAITS_RATE_LIMITED = (8.0,) * 14  # up to two minutes, as long as the client waits out 429s for one request
# How to allow a plan that empties a list, where the module's option is a plain allow_empty (its own words else).
ALLOW_EMPTY_HINT = "set allow_empty: true"


class Planner:
    """Reads and plans for one resource; the writing half is ``Engine``."""

    def __init__(self, client, resource, check_mode=False, parallelism=1):
        self.client = client
        self.resource = resource
        self.check_mode = check_mode
        self.parallelism = max(1, parallelism)
        self.snapshot_ids = set()  # ids that existed before this run: a create never returns one
        self.recreate_hint = "recreate: true replaces it"
        self.allow_empty_hint = ALLOW_EMPTY_HINT
        self.clock = time.monotonic
        self.sleep = time.sleep

    # -- reading ----------------------------------------------------------------------

    def list_all(self, params=None, expected=0):
        """Every (live) object; ``expected``, how many the caller expects, lets the pages be asked for at once."""
        return [obj for obj in self.client.paginate(self.resource.path, params, expected=expected)
                if self.resource.exists(obj)]

    def get(self, object_id):
        if not self.resource.can_get_by_id:  # no GET by id: find it in the listing
            return next((o for o in self.list_all() if str(o.get("id")) == str(object_id)), None)
        status, body = self.client.request("GET", "%s/%s" % (self.resource.path, object_id), ok_statuses=(404,))
        obj = None if status == 404 else self.resource.unwrap(body)
        return obj if obj is not None and self.resource.exists(obj) else None

    def read_current(self, items, full_listing=False):
        """Read what exists, as few requests as possible: one listing, or a few direct look-ups."""
        objects = self._read(items, full_listing)
        self.resource.enrich(self, items, objects)
        self.snapshot_ids = {o.get("id") for o in objects}
        return objects

    def _read(self, items, full_listing=False, expected=None):
        """What exists of the items (or all of it): one listing, or a few look-ups. ``expected``: how many objects
        the listing should hold (default: one per item, as when the account matches its items)."""
        res = self.resource
        direct = [i for i in items if i.get("id") and res.can_get_by_id]
        filtered = [params for i in items if not i.get("id") for params in res.lookups(i)]
        resolved = len(direct) + sum(1 for i in items if not i.get("id") and res.lookups(i))
        if full_listing or resolved < len(items) or len(filtered) > MAX_FILTERED_LOOKUPS:
            objects = self.list_all(expected=len(items) if expected is None else expected)
        else:
            found = {}
            for item in direct:
                obj = self.get(item["id"])
                if obj:
                    found[obj["id"]] = obj
            for params in filtered:
                for obj in self.list_all(params):
                    found[obj["id"]] = obj
            objects = list(found.values())
        return objects

    def find(self, item):
        """The one existing object an item means (by id or natural key); PlanError when none or several."""
        matches = self._matches(item, self._index(self.read_current([item])))
        if not matches:
            raise PlanError("no %s found" % self.resource.describe(item))
        if len(matches) > 1:
            raise PlanError("%d objects match %s (ids %s): give id to pick one"
                            % (len(matches), self.resource.describe(item), ", ".join(sorted(str(m["id"]) for m in matches))))
        return matches[0]

    # -- planning ---------------------------------------------------------------------

    def read_and_plan(self, items, purge=False, protected=(), allow_empty=None, recreate=False):
        """Read once and plan the items, which ``_validation.check_items`` has checked and made canonical (the
        planner trusts them): return (current, actions); nothing is written."""
        current = self.read_current(items, full_listing=purge)
        for index, pause in enumerate(TWIN_WAITS + TWIN_WAITS_RATE_LIMITED):
            if not self._has_twins(items, current):
                break
            if index >= len(TWIN_WAITS) and not getattr(self.client, "rate_limits_met", 0):
                break
            # Two objects under one key may be a concurrent run's create, about to be settled: look again.
            self.sleep(pause)
            current = self.read_current(items, full_listing=purge)
        return current, self.plan(items, current, purge, protected, allow_empty, recreate)

    def plan(self, items, current, purge=False, protected=(), allow_empty=None, recreate=False):
        """Plan every (checked) item against ``current``; raise PlanError listing every problem."""
        res = self.resource
        problems, details = [], {}
        claimed = set()
        actions = []
        index = self._index(current)
        named = {str(i["id"]) for i in items if i.get("id")}
        for item in items:
            matches = self._matches(item, index)
            finish = self._finish_replacement(item, matches, recreate or item.get("recreate"), named)
            if finish is not None:
                claimed.update((finish.current["id"], finish.predicted["id"]))
                actions.append(finish)
                continue
            if len(matches) > 1:
                problems.append("%d objects match %s (ids %s): give id to pick one"
                                % (len(matches), res.describe(item), ", ".join(sorted(str(m["id"]) for m in matches))))
                continue
            found = matches[0] if matches else None
            if found:
                claimed.add(found["id"])
            try:
                actions.append(self._plan_item(item, found, recreate or item.get("recreate")))
            except PlanError as exc:
                problems.append(str(exc))
                details.update(exc.details)
        if purge:
            actions.extend(Action("delete", current=obj) for obj in current if obj["id"] not in claimed)
        self._guard(actions, current, protected, allow_empty, problems)
        if problems:
            raise PlanError("; ".join(problems), **details)
        return actions

    def _finish_replacement(self, item, matches, recreate, named):
        """The end of a replacement a killed run left half done, or None.

        A replacement that creates first (``recreate_creates_first``) and was stopped between its create and its
        delete leaves two objects under one key: the new one, with the wanted fields, and the old one. Only when
        the item asks for replacement (``recreate``), exactly two objects match its key, exactly one of them has
        every wanted field, and no item names the other by id, is the other deleted: it is what the interrupted
        run was replacing, and nothing the user still asks for.
        """
        res = self.resource
        if (not res.recreate_creates_first or not recreate or len(matches) != 2 or item.get("id")
                or item.get("state", "present") != "present" or res.key_of(item) is None):
            return None
        same = [m for m in matches if not res.changed_fields(item, m)]
        if len(same) != 1:
            return None
        kept = same[0]
        left = matches[1] if matches[0] is kept else matches[0]
        if str(left.get("id")) in named:
            return None
        action = Action("finish", item, left, predicted=kept)
        action.note = ("%s: finishing an interrupted replacement: kept id %s, which has the wanted fields, and %s "
                       "id %s, the one it replaces" % (res.describe(item), kept.get("id"),
                                                       "would delete" if self.check_mode else "deleted", left.get("id")))
        return action

    def _index(self, current):
        """Current objects by id and by natural key, so matching stays linear for hundreds of items."""
        by_id, by_key = {}, {}
        for obj in current:
            by_id[str(obj.get("id"))] = [obj]
            by_key.setdefault(self.resource.key_of(obj), []).append(obj)
        return by_id, by_key, current

    def _has_twins(self, items, current):
        res = self.resource
        keys = [res.key_of(o) for o in current]
        wanted = {res.key_of(i) for i in items if not i.get("id")} - {None}
        if any(keys.count(k) > 1 for k in wanted):
            return True
        # An item without a key has twins when more than one object is the same object as it.
        unkeyed = [i for i in items if not i.get("id") and res.key_of(i) is None]
        return any(sum(1 for o in current if res.same_object(i, o)) > 1 for i in unkeyed)

    def _matches(self, item, index):
        by_id, by_key, current = index
        if item.get("id"):
            return by_id.get(str(item["id"]), [])
        key = self.resource.key_of(item)
        if key is None:  # no natural key given: the resource says what counts as the same object
            return [obj for obj in current if self.resource.same_object(item, obj)]
        return by_key.get(key, [])

    def _plan_item(self, item, found, recreate):
        res = self.resource
        if item.get("state", "present") == "absent":
            return Action("delete", item, found) if found else Action("none", item)
        if not found:
            if item.get("id"):
                raise PlanError("no %s has id %r" % (res.title, item["id"]))
            problem = res.creatable(item)
            if problem:
                raise PlanError("%s: %s" % (res.describe(item), problem))
            predicted = dict(res.create_body(item), id=None)
            return Action("create", item, predicted=predicted)
        changes = res.changed_fields(item, found)
        fixed = [f for f in changes if f not in res.updatable]
        predicted = copy.deepcopy(found)
        for field in changes:
            if field not in res.write_only:  # never returned, so never shown as the object's
                predicted[field] = _merged(predicted.get(field), item[field])
        if fixed and set(fixed) <= set(res.resent(item)):
            # Only write-only values the user asked to send again, and the API cannot update them.
            return Action("recreate", item, found, changes, dict(res.create_body(item), id=None))
        if fixed:
            if not recreate:
                raise PlanError("%s (id %s) cannot be changed once created: %s; %s"
                                % (res.describe(item), found.get("id"),
                                   "; ".join("%s is %r, wanted %r" % (f, found.get(f), item[f]) for f in fixed),
                                   self.recreate_hint),
                                differences={f: dict(current=found.get(f), wanted=item[f]) for f in fixed})
            return Action("recreate", item, found, changes, dict(res.create_body(item), id=None))
        return Action("update" if changes else "none", item, found, changes, predicted)

    def _guard(self, actions, current, protected, allow_empty, problems):
        res = self.resource
        shielded = {res.normalize(res.key, p) for p in protected or ()}
        for action in actions:
            removes = action.kind in ("delete", "recreate", "finish")
            if removes and action.current and res.key_of(action.current) in shielded:
                problems.append("refusing to remove protected %s" % res.describe(action.current))
        if allow_empty is False:
            removed = sum(1 for a in actions if a.kind == "delete" and a.current)
            created = sum(1 for a in actions if a.kind == "create")
            if removed and len(current) - removed + created == 0:
                problems.append("refusing to remove every %s (%d): %s if that is meant"
                                % (res.title, removed, self.allow_empty_hint))


def _merged(current, wanted):
    if isinstance(current, dict) and isinstance(wanted, dict):
        merged = dict(current)
        merged.update({k: v for k, v in wanted.items() if v is not None})
        return merged
    return wanted
