# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The engine: converge a list of desired objects of one resource.

It reads and plans (``Planner``), then writes with bounded parallelism, creates and updates
before deletes; it settles the duplicates a concurrent run made, waits for objects to be ready,
and never makes a duplicate on a retried create. It trusts validated input and raises; it
never fails a module itself.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from ._api_error import TelnyxError
from ._planner import MAX_FILTERED_LOOKUPS, Planner
from ._resource import PlanError, message_of

# A create refused with one of these may be a duplicate of what another run just made: look before failing.
REFUSALS_TO_LOOK_AFTER = (400, 409, 422)


class Engine(Planner):
    """Reads, plans (see ``Planner``) and applies the plan for one resource."""

    def converge(self, items, purge=False, protected=(), allow_empty=None, recreate=False, wait_timeout=None):
        """Read once, plan and apply the checked items (``_validation.check_items``): return (current, actions, failed).

        With ``wait_timeout`` (seconds), objects written or found not yet ``ready`` are
        waited for before any delete starts.
        """
        current, actions = self.read_and_plan(items, purge, protected, allow_empty, recreate)
        return current, actions, self.apply(actions, wait_timeout)

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
        if self.check_mode:
            for action in self.writes_of(actions):
                action.written = action.planned_writes()
            return True
        self._run_parallel(self.writes_of(actions))
        return self.finish_writes(actions, wait_timeout)

    @staticmethod
    def writes_of(actions):
        return [a for a in actions if a.kind in ("create", "update", "recreate")]

    def finish_writes(self, actions, wait_timeout=None):
        """After the writes ran (``run``): settle the creates and (with ``wait_timeout``) wait until ready; True if
        every action succeeded."""
        self.settle([a for a in self.writes_of(actions) if a.kind == "create" and a.error is None])
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
        objects = self._read(probes, expected=len(self.snapshot_ids) + len(created))
        unkeyed = [a.item for a in created if res.key_of(a.item) is None]
        if unkeyed:
            res.enrich(self, unkeyed, objects)  # e.g. an address's validated form, to match a record stored so
        # Indexed by key once: comparing every created object with every object read is quadratic (500 allowlist
        # entries made 250,000 address comparisons, seconds of CPU).
        by_key, by_id = {}, {}
        for obj in objects:
            by_key.setdefault(res.key_of(obj), []).append(obj)
            by_id.setdefault(obj.get("id"), []).append(obj)
        for action in created:
            ours = action.result
            key = res.key_of(action.item)
            if key is None:
                same = [o for o in objects if o.get("id") == ours["id"] or res.same_object(action.item, o)]
            else:
                same = by_key.get(key, []) + [o for o in by_id.get(ours["id"], []) if res.key_of(o) != key]
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
                self.run(action)
            return
        with ThreadPoolExecutor(max_workers=min(self.parallelism, len(batch))) as pool:
            list(pool.map(self.run, batch))

    def run(self, action):
        """One action's writes; its outcome is recorded in the action (``written``, ``result``, ``error``)."""
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
