# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The resource engine: lookup, one plan for check mode, diff and the real run, and apply.

A resource is declared (``Resource``); the engine converges a list of desired
objects of that resource: it reads the current objects once, plans every item,
refuses the whole plan before any write when one item is invalid or ambiguous,
then writes with bounded parallelism, creates and updates before deletes.
"""

from __future__ import annotations

import copy
import json
import re
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils.basic import AnsibleModule

from ._client import (
    CONNECTION_SPEC,
    TelnyxError,
    client_from_module,
)

MASK = "********"
# How a diff shows a field the API never returns (a credential's tag) on an object that exists: its value is
# not known, which is not the same as absent.
NOT_RETURNED = "(not returned by the API)"
# Above this many filtered look-ups one full listing is cheaper (a listing is 250 a page).
MAX_FILTERED_LOOKUPS = 3
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+\Z")
# Waits before looking again when two objects share a wanted key (a concurrent create, not yet settled).
TWIN_WAITS = (1.0, 2.0, 4.0)
STATE_OPTION = dict(type="str", default="present", choices=["present", "absent"])
# A create refused with one of these may be a duplicate of what another run just made: look before failing.
REFUSALS_TO_LOOK_AFTER = (400, 409, 422)


class PlanError(Exception):
    """The plan cannot be made or carried out safely. ``details`` go into the failed result."""

    def __init__(self, message, **details):
        super().__init__(message)
        self.details = details


class Resource:
    """A declared API resource. Subclass and override a hook only where the API is particular.

    name        singular, the key objects are returned under (``billing_group``)
    plural      the key of info results and the ``_sandbox/seed`` key (``billing_groups``)
    path        the collection path below the API base (``/billing_groups``)
    key         the natural-key field (``name``)
    fields      every field the API accepts in a create body
    updatable   fields a PATCH can change; other ``fields`` are create-only
    secret      write-only fields: never compared, never returned, masked in diffs
    hidden      returned by the API but left out of results unless revealed
    envelope    True when single objects come as ``{"data": {...}}``
    key_filter  the server-side list filter for the natural key, if the API has one
    uncompared  sent on create but never compared (a request flag, a value the API hides)
    write_only  fields the API accepts but never returns, each with the option that says when
                to send it again (``on_create``, the default, or ``always``)
    options     the per-object argument spec, shared by the module and resource_set

    Hooks (override only where the API is particular): validate, prepare, creatable, normalize,
    differs, changed_fields, lookups, same_object, exists, enrich, ready, explain, info_query,
    create_body, update_body.
    """

    name = ""
    plural = ""
    title = ""
    path = ""
    key = "name"
    fields = ()
    updatable = ()
    secret = ()
    hidden = ()
    not_returned = ()      # fields the API accepts but never returns: unknown on an existing object
    uncompared = ()  # sent on create, never compared (a request flag, not a property)
    envelope = True
    key_filter = None
    can_get_by_id = True
    update_method = "PATCH"
    # recreate: true replaces an object by delete-then-create unless this says otherwise.
    recreate_creates_first = False
    write_only = {}  # field -> option ("on_create" | "always"); secrets and settings_url
    options = {}
    required_one_of = ()

    # -- hooks ----------------------------------------------------------------------

    def normalize(self, field, value):
        """The comparable form of a field value; override for case, separators, ..."""
        return value

    def validate(self, item):
        """Return a problem with one desired item as a sentence, or None."""
        return None

    def prepare(self, item):
        """The item in the form sent to the API (canonical spellings); called after validate."""
        return item

    def canonical_key(self, value):
        """A natural-key value as the user may write it (``protected``), in canonical form."""
        return value

    def lookups(self, item):
        """Server-side filters that find the item by natural key; empty means list everything."""
        value = item.get(self.key)
        if self.key_filter and value is not None:
            return [{self.key_filter: value}]
        return []

    not_ready_reason = "not ready"
    waitable = False  # True adds wait / wait_timeout to the resource's module

    def ready(self, obj):
        """Whether a written object has settled (for ``wait``); most are at once."""
        return True

    def info_query(self, wanted):
        """Split an info module's filters into server-side params and ones matched locally.

        Raise ValueError, with a sentence for the user, for a filter value the API cannot take.
        """
        return None, wanted

    def create_body(self, item):
        return {f: item[f] for f in self.fields if item.get(f) is not None}

    def update_body(self, item, current, changes):
        return {f: item[f] for f in changes}

    def enrich(self, engine, items, objects):
        """Fill in what the API knows but does not return, after the objects are read."""

    def exists(self, obj):
        """Whether a listed object is live (a soft-deleted one counts as absent)."""
        return True

    def creatable(self, item):
        """A problem that stops creating this item (a required field missing), or None."""
        return None

    def same_object(self, item, obj):
        """For an item without id or natural key: whether ``obj`` is the one it means."""
        return False

    def explain(self, exc, item):
        """Rewrite a failed write into a sentence a person can act on; by default keep it."""
        return exc

    def differs(self, field, wanted, current):
        if isinstance(wanted, dict) and isinstance(current, dict):
            return any(self.differs(field, v, current.get(k)) for k, v in wanted.items() if v is not None)
        return self.normalize(field, wanted) != self.normalize(field, current)

    def changed_fields(self, item, found):
        """The fields the item sets that differ from ``found``, write-only ones the user sends again included."""
        changes = [f for f in self.fields if f not in self.secret and f not in self.uncompared
                   and f not in self.write_only and item.get(f) is not None and self.differs(f, item[f], found.get(f))]
        return changes + self.resent(item)

    def resent(self, item):
        """Write-only fields given with their option set to ``always``: the API cannot say whether they differ."""
        return [f for f, option in self.write_only.items() if item.get(f) is not None and item.get(option) == "always"]

    # -- derived --------------------------------------------------------------------

    def unwrap(self, body):
        if self.envelope and isinstance(body, dict) and "data" in body:
            return body["data"]
        return body

    def key_of(self, obj):
        value = obj.get(self.key) if obj else None
        return None if value is None else self.normalize(self.key, value)

    def describe(self, item):
        if item.get(self.key) is not None:
            return "%s %s=%r" % (self.title, self.key, item[self.key])
        return "%s id=%r" % (self.title, item.get("id"))

    def public(self, obj, reveal=()):
        """The object as returned to the user: hidden fields dropped unless revealed."""
        if not obj:
            return {}
        return {k: v for k, v in obj.items() if k not in self.secret and (k not in self.hidden or k in reveal)}

    def masked(self, obj):
        """The object as shown in a diff: secret and hidden values replaced by a mask."""
        if not obj:
            return {}
        shown = {k: (MASK if (k in self.secret or k in self.hidden) and v is not None else v) for k, v in obj.items()}
        if obj.get("id"):
            shown.update({field: NOT_RETURNED for field in self.not_returned if shown.get(field) is None})
        return shown


class Action:
    """One planned change (or none) for one desired item or one purged object."""

    def __init__(self, kind, item=None, current=None, changes=(), predicted=None):
        self.kind = kind            # create | update | recreate | delete | finish | none
        self.item = item or {}
        self.current = current
        self.changes = list(changes)
        self.predicted = predicted  # the object as it will be, for check mode and diff
        self.result = None          # the object as the API answered
        self.error = None
        self.note = None            # a sentence for the user about what this action does (finish)
        # The writes that took effect, net (in check mode: that would): "create" (result is ours), "update",
        # "delete" (current is gone). A create that found another run's object, or whose copy was removed as a
        # duplicate, wrote nothing; a DELETE answered 404 removed nothing. ``changed`` derives from this alone.
        self.written = []

    def planned_writes(self):
        """The writes the plan would make: what check mode reports as written."""
        if self.kind in ("delete", "finish"):
            return ["delete"] if self.current else []
        return {"create": ["create"], "update": ["update"], "recreate": ["delete", "create"]}.get(self.kind, [])

    @property
    def after(self):
        if self.kind == "delete":
            return None
        if self.result is not None or self.kind == "finish":
            return self.result if self.result is not None else self.predicted
        if self.error is not None:  # a failed write: what is there is what was there, unless it was removed
            return None if "delete" in self.written else self.current
        return self.predicted


class Engine:
    def __init__(self, client, resource, check_mode=False, parallelism=1):
        self.client = client
        self.resource = resource
        self.check_mode = check_mode
        self.parallelism = max(1, parallelism)
        self.snapshot_ids = set()  # ids that existed before this run: a create never returns one
        self.recreate_hint = "recreate: true replaces it"
        self.clock = time.monotonic
        self.sleep = time.sleep

    # -- reading ----------------------------------------------------------------------

    def list_all(self, params=None):
        return [obj for obj in self.client.paginate(self.resource.path, params) if self.resource.exists(obj)]

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

    def _read(self, items, full_listing=False):
        res = self.resource
        direct = [i for i in items if i.get("id") and res.can_get_by_id]
        filtered = [params for i in items if not i.get("id") for params in res.lookups(i)]
        resolved = len(direct) + sum(1 for i in items if not i.get("id") and res.lookups(i))
        if full_listing or resolved < len(items) or len(filtered) > MAX_FILTERED_LOOKUPS:
            objects = self.list_all()
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
        if item.get(self.resource.key) is not None and not str(item[self.resource.key]).strip():
            raise PlanError("%s must not be empty" % self.resource.key)
        matches = self._matches(item, self._index(self.read_current([item])))
        if not matches:
            raise PlanError("no %s found" % self.resource.describe(item))
        if len(matches) > 1:
            raise PlanError("%d objects match %s (ids %s): give id to pick one"
                            % (len(matches), self.resource.describe(item), ", ".join(sorted(str(m["id"]) for m in matches))))
        return matches[0]

    # -- planning ---------------------------------------------------------------------

    def converge(self, items, purge=False, protected=(), allow_empty=None, recreate=False, wait_timeout=None):
        """Check the items, read once, plan, apply: return (current, actions, failed actions).

        With ``wait_timeout`` (seconds), objects written or found not yet ``ready`` are
        waited for before any delete starts.
        """
        current, actions = self.read_and_plan(items, purge, protected, allow_empty, recreate)
        return current, actions, self.apply(actions, wait_timeout)

    def read_and_plan(self, items, purge=False, protected=(), allow_empty=None, recreate=False):
        """Check the items, read once, plan: return (current, actions); nothing is written."""
        items = self.check(items)
        current = self.read_current(items, full_listing=purge)
        for pause in TWIN_WAITS:
            if not self._has_twins(items, current):
                break
            # Two objects under one key may be a concurrent run's create, about to be settled: look again.
            self.sleep(pause)
            current = self.read_current(items, full_listing=purge)
        return current, self.plan(items, current, purge, protected, allow_empty, recreate)

    def check(self, items):
        """Refuse invalid or repeated items before any request; return them in canonical form."""
        problems = []
        for index, item in enumerate(items):
            problem = self.resource.validate(item)
            if not problem and item.get("id") is not None and not ID_PATTERN.match(str(item["id"])):
                problem = "id must be an object id (letters, digits, '-' or '_'), got %r" % item["id"]
            if problem:
                problems.append(problem if len(items) == 1 else "items[%d]: %s" % (index, problem))
        if problems:
            raise PlanError("; ".join(problems))
        items = [self.resource.prepare(item) for item in items]
        self._check_duplicates(items, problems)
        if problems:
            raise PlanError("; ".join(problems))
        return items

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

    def _check_duplicates(self, items, problems):
        seen = {}
        for item in items:
            ident = ("id", item["id"]) if item.get("id") else ("key", self.resource.key_of(item))
            if ident[1] is None:
                continue
            if ident in seen:
                problems.append("%s is listed more than once" % self.resource.describe(item))
            seen[ident] = item

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
                problems.append("refusing to remove every %s (%d): set allow_empty: true if that is meant"
                                % (res.title, removed))

    # -- applying ---------------------------------------------------------------------

    def apply(self, actions, wait_timeout=None):
        """Carry out the plan (in check mode, only record what it would write); return the actions that failed.

        Creates and updates run first; with ``wait_timeout`` their objects (and matched
        ones not yet ready) must be ready before deletes start, so a removal never runs
        ahead of its replacement.
        """
        written = self.apply_writes(actions, wait_timeout)
        self.apply_deletes(actions, blocked=not written)
        return [a for a in actions if a.error is not None]

    def apply_writes(self, actions, wait_timeout=None):
        """Creates, updates and replacements, settled and (with ``wait_timeout``) ready: True if all succeeded."""
        writes = [a for a in actions if a.kind in ("create", "update", "recreate")]
        if self.check_mode:
            for action in writes:
                action.written = action.planned_writes()
            return True
        self._run_parallel(writes)
        self.settle([a for a in writes if a.kind == "create" and a.error is None])
        if wait_timeout is not None:
            waiting = [a for a in actions if a.kind != "delete" and a.error is None and (a.after or {}).get("id")]
            for action in self.wait_ready(waiting, wait_timeout):
                action.error = PlanError("still %s after waiting %s s" % (self.resource.not_ready_reason, wait_timeout))
        return all(a.error is None for a in actions)

    def apply_deletes(self, actions, blocked=False):
        """The removals; ``blocked`` (a write before them failed) marks them failed instead."""
        deletes = [a for a in actions if a.kind in ("delete", "finish") and a.current]
        if self.check_mode:
            for action in deletes:
                action.written = action.planned_writes()
        elif blocked:
            # Never shrink a list around a gap: removals wait until every write has succeeded.
            for action in deletes:
                action.error = PlanError("not removed, because a write before it failed")
        else:
            self._run_parallel(deletes)

    def settle(self, created):
        """Undo the duplicates a concurrent run made at the same moment: of the objects that are the same
        object as an item (the same key, or for an item without one, what the resource's ``same_object``
        says), every run keeps the oldest (by created_at, then id) and deletes its own copy if it is not that
        one. A run whose copy went, or whose create found another run's object, changed nothing net.

        Another run that read before our create and wrote after it made the same object; both see both
        now, and both pick the same survivor. One look-up round, only after creates.
        """
        res = self.resource
        created = [a for a in created if a.result and a.result.get("id") is not None]
        if not created:
            return
        # A keyed item is looked up by its key; one without a key needs the listing (a probe with no key).
        probes = [{res.key: a.result[res.key]} if res.key_of(a.item) is not None else {} for a in created]
        objects = self._read(probes)
        unkeyed = [a.item for a in created if res.key_of(a.item) is None]
        if unkeyed:
            res.enrich(self, unkeyed, objects)  # e.g. an address's validated form, to match a record stored so
        for action in created:
            ours = action.result
            same = [o for o in objects if o.get("id") == ours["id"] or self._same(action.item, o)]
            if len(same) < 2:
                continue
            oldest = min(same, key=lambda o: (str(o.get("created_at") or ""), str(o.get("id"))))
            if oldest["id"] == ours["id"]:
                continue
            if "create" in action.written:  # only our own copy: one another run made is the other run's to settle
                try:
                    self.client.request("DELETE", "%s/%s" % (res.path, ours["id"]), ok_statuses=(404,))
                except TelnyxError as exc:
                    action.error = PlanError("%s: another run made it at the same moment, and removing our copy %s "
                                             "failed: %s" % (res.describe(action.item), ours["id"], exc.message))
                    continue
                action.written.remove("create")
            action.result = oldest

    def _same(self, item, obj):
        """Whether ``obj`` is the object the item means, by key or, without one, by the resource's own matching."""
        key = self.resource.key_of(item)
        return self.resource.key_of(obj) == key if key is not None else self.resource.same_object(item, obj)

    def wait_ready(self, actions, timeout):
        """Poll until every action's object is ready; return the actions still not ready at the deadline."""
        deadline = self.clock() + timeout
        delay = 0.25
        pending = [a for a in actions if not self.resource.ready(a.after)]
        while pending:
            if self.clock() >= deadline:
                return pending
            self.sleep(min(delay, max(0.0, deadline - self.clock())))
            delay = min(delay * 2, 2.0)
            if len(pending) <= MAX_FILTERED_LOOKUPS and self.resource.can_get_by_id:
                fresh = {a.after["id"]: self.get(a.after["id"]) for a in pending}
            else:
                fresh = {o["id"]: o for o in self.list_all()}
            for action in pending:
                obj = fresh.get(action.after["id"])
                if obj is None:  # gone while we waited: someone else removed it, it will never be ready
                    action.error = PlanError("%s (id %s) was deleted by someone else while waiting for it to be ready"
                                             % (self.resource.describe(action.item or action.after), action.after["id"]))
                else:
                    action.result = obj
            pending = [a for a in pending if a.error is None and not self.resource.ready(a.after)]
        return []

    def _run_parallel(self, batch):
        if not batch:
            return
        if self.parallelism == 1 or len(batch) == 1:
            for action in batch:
                self._run(action)
            return
        with ThreadPoolExecutor(max_workers=min(self.parallelism, len(batch))) as pool:
            list(pool.map(self._run, batch))

    def _run(self, action):
        written = action.written  # appended to as each write takes effect, so a partial outcome stays true
        try:
            if action.kind == "create":
                action.result, ours = self.create(action.item)
                written += ["create"] if ours else []
            elif action.kind == "update":
                body = self.resource.update_body(action.item, action.current, action.changes)
                path = "%s/%s" % (self.resource.path, action.current["id"])
                answer = self.resource.unwrap(self.client.request(self.resource.update_method, path, json=body)[1])
                written.append("update")
                # Fields the API accepts but does not return (a credential's tag) keep the value just set.
                action.result = dict(action.predicted, **(answer or {}))
            elif action.kind == "recreate" and self.resource.recreate_creates_first:
                action.result, ours = self.create(action.item)
                written += ["create"] if ours else []
                try:
                    written += ["delete"] if self.delete(action.current) else []
                except TelnyxError as exc:
                    raise PlanError("created the new %s (id %s) but could not delete the old one (id %s): %s; "
                                    "both exist now, nothing is lost"
                                    % (self.resource.title, action.result.get("id"), action.current["id"], exc.message),
                                    old_id=action.current["id"], new_id=action.result.get("id"))
            elif action.kind == "recreate":
                written += ["delete"] if self.delete(action.current) else []
                action.result, ours = self.recreate_after_delete(action.item)
                written += ["create"] if ours else []
            elif action.kind in ("delete", "finish"):
                written += ["delete"] if self.delete(action.current) else []
        except TelnyxError as exc:
            action.error = self.resource.explain(exc, action.item)
        except PlanError as exc:
            action.error = exc

    def recreate_after_delete(self, item):
        """Create again what was just deleted, as ``create`` does; a failure here must never pass quietly."""
        try:
            return self.create(item)
        except (TelnyxError, PlanError) as first:
            if getattr(first, "details", {}).get("created_unknown"):
                raise  # it may exist: a second create could make it twice
            try:
                return self.create(item)
            except (TelnyxError, PlanError) as second:
                raise PlanError("deleted %s to replace it, but could not create it again (%s; retried: %s): "
                                "it is missing now; run again to create it"
                                % (self.resource.describe(item), message_of(first), message_of(second)),
                                missing=self.resource.describe(item))

    def delete(self, obj):
        """DELETE the object: True when this request removed it, False when it was gone already (404)."""
        # 404 means it is gone already, which is what was asked (a retried DELETE may see it), but not our doing.
        status, dummy = self.client.request("DELETE", "%s/%s" % (self.resource.path, obj["id"]), ok_statuses=(404,))
        return status != 404

    def create(self, item):
        """POST the item; after an ambiguous failure, look before creating again.

        Returns (object, ours): ``ours`` is False when a refused create found the object another run made
        meanwhile. After an ambiguous failure the object found may be ours or another run's; it counts as ours,
        as the write may have taken effect.
        """
        body = self.resource.create_body(item)
        try:
            return self._created(item, body, self.client.post(self.resource.path, json=body)), True
        except TelnyxError as exc:
            if exc.status in REFUSALS_TO_LOOK_AFTER:
                # Another run may have made it since we read, and the API refused a second one. No source
                # documents how a duplicate is refused (status or code), so look for it after any such refusal.
                made = self.find_new(item)
                if made is not None:
                    return made, False  # refused: nothing of ours was written
            if not exc.ambiguous:
                raise
            first_error = exc
        made = self.find_new(item)
        if made is not None:
            return made, True
        try:
            return self._created(item, body, self.client.post(self.resource.path, json=body)), True
        except TelnyxError as exc:
            made = self.find_new(item) if exc.ambiguous else None
            if made is not None:
                return made, True
            raise PlanError("%s: creating failed twice (%s; then %s); no duplicate was made"
                            % (self.resource.describe(item), first_error.message, exc.message))

    def _created(self, item, body, answer):
        """The object a create answered; an answer without it (``{}``, ``data: null``, no id) is never a success:
        the create may have happened, so look for it as after an ambiguous failure, and fail when it is not found."""
        obj = self.resource.unwrap(answer)
        if isinstance(obj, dict) and obj.get("id") not in (None, ""):
            return self._with_sent(body, obj)
        made = self.find_new(item)
        if made is not None:
            return made
        raise PlanError("%s: POST %s answered without the created object, and a look-up does not find it; it may "
                        "exist all the same: look before creating it again"
                        % (self.resource.describe(item), self.resource.path), created_unknown=True)

    def _with_sent(self, body, answer):
        """The created object, plus the fields sent that the API does not echo back (never secret or write-only ones)."""
        res = self.resource
        sent = {k: v for k, v in body.items() if k not in res.secret and k not in res.uncompared and k not in res.write_only}
        return dict(sent, **(answer or {}))

    def find_new(self, item):
        """The object our ambiguous or refused create stands for, if it exists: same key (or, without one,
        the same object), not seen before."""
        res = self.resource
        lookups = res.lookups(item) or [None]
        candidates = [obj for params in lookups for obj in self.list_all(params)]
        made = [o for o in candidates if o.get("id") not in self.snapshot_ids and self._same(item, o)]
        return min(made, key=lambda o: (str(o.get("created_at") or ""), str(o.get("id")))) if made else None


def _merged(current, wanted):
    if isinstance(current, dict) and isinstance(wanted, dict):
        merged = dict(current)
        merged.update({k: v for k, v in wanted.items() if v is not None})
        return merged
    return wanted


# -- running a module -----------------------------------------------------------------
# The module files stay declarations: they hand their Resource to one of these.

def fail(module, exc, **result):
    """Turn an expected failure into one line; an API failure keeps its structure under ``error``."""
    if isinstance(exc, TelnyxError):
        module.fail_json(msg=exc.message, error=exc.to_dict(), **result)
    module.fail_json(msg=str(exc), **dict(result, **getattr(exc, "details", {})))


def secret_texts(value):
    """Every text form in which a secret value may be shown: a string as it is, a number as its text, a list or
    mapping as its elements and as its own text forms. YAML reads ``password: 20240101`` as a number, and Ansible
    prints a number or a list in its text form: masking strings only would let those through.

    Booleans give nothing: ``True`` masked would replace every true value of every result (``changed``), and a
    secret of one bit protects nothing.
    """
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        if value:
            yield value
        return
    if isinstance(value, (int, float)):
        yield str(value)
        return
    elements = value.values() if isinstance(value, Mapping) else value if isinstance(value, (list, tuple, set)) else ()
    for element in elements:
        yield from secret_texts(element)
    if isinstance(value, (Mapping, list, tuple)):
        yield str(value)
        try:
            yield json.dumps(value)
        except (TypeError, ValueError):
            pass


def declared_secrets(spec, params):
    """The values of the options a spec marks ``no_log``, in every text form, as given (before any conversion)."""
    if not isinstance(params, Mapping):
        return []
    return [text for name, option in spec.items() if option.get("no_log")
            for text in secret_texts(params.get(name))]


def connected_module(options, parallelism_option=False, secrets_in=None, **kwargs):
    """AnsibleModule with the connection options merged in, and the client, checked before any request.

    Every secret is masked from the moment the arguments are read, before their validation can fail (a
    validation failure prints them back): the ``no_log`` options in every text form (a number, a list), and
    what ``secrets_in(params)`` names where ``no_log`` cannot reach (items of a list option).
    """
    spec = copy.deepcopy(options)
    spec.update(copy.deepcopy(CONNECTION_SPEC))

    class module_class(AnsibleModule):  # pylint: disable=invalid-name
        def _load_params(self):
            super()._load_params()
            raw = self.params if isinstance(self.params, Mapping) else {}
            found = declared_secrets(spec, raw)
            if secrets_in is not None:
                found += [text for value in secrets_in(raw) for text in secret_texts(value)]
            self.no_log_values.update(found)

    module = module_class(argument_spec=spec, supports_check_mode=True, **kwargs)
    object_id = module.params.get("id")
    if object_id is not None and not ID_PATTERN.match(object_id):
        # An id goes into the request path: refuse what could not be one (empty, spaces, a list turned text).
        module.fail_json(msg="id must be an object id (letters, digits, '-' or '_'), got %r" % object_id)
    parallelism = (module.params.get("parallelism") or 1) if parallelism_option else 1
    return module, client_from_module(module, parallelism)


WAIT_OPTIONS = dict(
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=60),
)


def wait_timeout(module):
    """The wait bound in seconds when the user asked to wait, else None."""
    if not module.params.get("wait"):
        return None
    if module.params["wait_timeout"] < 1:
        module.fail_json(msg="wait_timeout must be at least 1 second, got %d" % module.params["wait_timeout"])
    return module.params["wait_timeout"]


def run_object_module(resource, reveal_option=None):
    """A single-object module: converge a list of one and return the object under its name."""
    options = dict(resource.options, **(WAIT_OPTIONS if resource.waitable else {}))
    module, client = connected_module(options, required_one_of=resource.required_one_of)
    reveal = resource.hidden if reveal_option and module.params.get(reveal_option) else ()
    engine = Engine(client, resource, module.check_mode)
    item = {name: module.params[name] for name in resource.options}
    try:
        dummy, actions, failed = engine.converge([item], wait_timeout=wait_timeout(module))
    except (TelnyxError, PlanError) as exc:
        fail(module, exc)
    action = actions[0]
    shown = action.after if action.kind != "delete" else action.current
    # Changed only by what took effect: a refused create changed nothing, a half-done replacement did, and a
    # create that ends on the object another run made (refused as a duplicate, or our copy settled) did not.
    before = action.current if action.written else action.after
    result = {
        "changed": bool(action.written),
        resource.name: resource.public(shown, reveal),
        "diff": dict(before=resource.masked(before), after=resource.masked(action.after)),
    }
    if action.kind in ("recreate", "finish") and "delete" in action.written:
        result["replaced"] = resource.public(action.current, reveal)
    if action.note:
        module.warn(action.note)
    if failed:
        fail(module, failed[0].error, **result)
    module.exit_json(**result)


def run_info_module(resource, options, reveal_option=None):
    """An info module: every object, one by ``id``, or those matching the given options."""
    module, client = connected_module(options)
    engine = Engine(client, resource)
    reveal = resource.hidden if reveal_option and module.params.get(reveal_option) else ()
    wanted = {k: v for k, v in module.params.items()
              if k in options and k not in ("id", reveal_option) and v is not None}
    try:
        params, wanted = resource.info_query(wanted)
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    try:
        if module.params.get("id"):
            found = engine.get(module.params["id"])
            objects = [found] if found else []
        else:
            objects = engine.list_all(params)
    except TelnyxError as exc:
        fail(module, exc)
    objects = [o for o in objects if all(resource.normalize(k, o.get(k)) == resource.normalize(k, v)
                                         for k, v in wanted.items())]
    resource.enrich(engine, [], objects)  # derived fields only: no item asks for more look-ups
    module.exit_json(changed=False, **{resource.plural: [resource.public(o, reveal) for o in objects]})


def message_of(exc):
    return exc.message if isinstance(exc, TelnyxError) else str(exc)
