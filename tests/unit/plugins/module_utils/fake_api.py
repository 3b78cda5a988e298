# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""An in-memory stand-in for one Telnyx list endpoint, with the client's interface."""

from __future__ import annotations

import itertools

from ansible_collections.telnyx.account_access.plugins.module_utils._api_error import TelnyxError
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import PlanError
from ansible_collections.telnyx.account_access.plugins.module_utils._validation import check_items


class FakeApi:
    """An in-memory list endpoint with the client's interface; records every call."""

    def __init__(self, *names, path="/billing_groups", envelope=True, record_type="billing_group", defaults=None):
        self.path = path
        self.defaults = defaults or {}
        self.envelope = envelope
        self.record_type = record_type
        self.ids = itertools.count(1)
        self.objects = {}
        self.calls = []
        self.post_faults = []  # exceptions raised by the next POSTs, after acting when marked
        self.actions = {}  # path -> function(body) answering a POST that reads only (actions/validate)
        for name in names:
            self._make({"name": name})

    def _make(self, body):
        obj = dict(self.defaults, **body)
        obj.update(id="id-%d" % next(self.ids), record_type=self.record_type)
        self.objects[obj["id"]] = obj
        return obj

    def paginate(self, path, params=None, expected=0):
        self.calls.append(("LIST", path, params))
        filters = {k[len("filter["):].split("]")[0]: v for k, v in (params or {}).items() if k.startswith("filter[")}
        return iter([dict(o) for o in self.objects.values() if all(o.get(f) == v for f, v in filters.items())])

    def post(self, path, json=None):
        return self.request("POST", path, json=json)[1]

    def request(self, method, path, params=None, json=None, ok_statuses=()):
        self.calls.append((method, path, json))
        object_id = path.rsplit("/", 1)[1] if path != self.path else None
        if method == "POST" and path in self.actions:
            return 200, self._wrap(self.actions[path](json))
        if method == "POST":
            if self.post_faults:
                fault, acted = self.post_faults.pop(0)
                if acted:
                    self._make(json)
                raise fault
            return 200, self._wrap(self._make(json))
        if object_id not in self.objects:
            if 404 in ok_statuses:
                return 404, None
            raise TelnyxError(method, path, 404)
        if method == "GET":
            return 200, self._wrap(dict(self.objects[object_id]))
        if method == "PATCH":
            self.objects[object_id].update(json)
            return 200, self._wrap(dict(self.objects[object_id]))
        if method == "DELETE":
            return 200, self._wrap(self.objects.pop(object_id))
        raise AssertionError(method)

    def _wrap(self, obj):
        return {"data": obj} if self.envelope else obj

    def writes(self):
        return [c for c in self.calls if c[0] in ("POST", "PATCH", "DELETE") and c[1] not in self.actions]


def checked(resource, items):
    """The items as a runner hands them to the engine: through the one validation pass (``check_items``), in
    canonical form; its problems raised as the runner reports them, in one PlanError."""
    items, problems = check_items(resource, items, typed=True)
    if problems:
        raise PlanError("; ".join(problems))
    return items
