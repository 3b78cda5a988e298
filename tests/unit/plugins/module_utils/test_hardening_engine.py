# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A create answered without its object; the address key matched exactly; an interrupted replacement finished."""

from __future__ import annotations

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils._resources.address import Address
from ansible_collections.telnyx.account_access.plugins.module_utils._resources.billing_group import BillingGroup
from ansible_collections.telnyx.account_access.plugins.module_utils._engine import Engine
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import PlanError
from ansible_collections.telnyx.account_access.plugins.module_utils._set_runner import summarize_set
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.fake_api import FakeApi
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.test_address import (
    HQ,
    address,
    api_with,
    converge,
    hq,
)


class EmptyAnswerApi(FakeApi):
    """Answers a create with ``answer``; ``acted`` says whether the object was made all the same."""

    def __init__(self, answer, acted=False, **kwargs):
        super().__init__(**kwargs)
        self.answer, self.acted = answer, acted

    def request(self, method, path, params=None, json=None, ok_statuses=()):
        if method == "POST" and path == self.path:
            self.calls.append((method, path, json))
            if self.acted:
                self._make(json)
            return 200, self.answer
        return super().request(method, path, params, json, ok_statuses)


@pytest.mark.parametrize("answer", [{}, {"data": None}, {"data": {}}, {"data": {"name": "ops"}}, {"data": {"id": ""}}])
def test_a_create_answered_without_the_object_is_never_a_success(answer):
    api = EmptyAnswerApi(answer)
    dummy, actions, failed = Engine(api, BillingGroup()).converge([{"name": "ops", "id": None, "state": "present"}])
    assert failed and actions[0].kind == "create"
    message = str(failed[0].error)
    assert "answered without the created object" in message and "it may exist" in message and "\n" not in message
    assert [c[0] for c in api.writes()] == ["POST"]  # looked up, not created again


def test_a_create_answered_without_the_object_is_looked_up():
    api = EmptyAnswerApi({"data": None}, acted=True)
    dummy, actions, failed = Engine(api, BillingGroup()).converge([{"name": "ops", "id": None, "state": "present"}])
    assert not failed and actions[0].result["id"] in api.objects and actions[0].result["name"] == "ops"


def test_a_replacement_answered_without_the_object_keeps_the_old_address():
    api = EmptyAnswerApi({"data": None}, path="/addresses", record_type="address")
    api.actions["/addresses/actions/validate"] = lambda body: {"suggested": {}}
    old = api._make(hq(customer_reference="hq"))
    dummy, dummy, failed = converge(api, [address(customer_reference="hq", recreate=True,
                                                  **hq(street_address="100 Main St"))])
    assert failed and "answered without the created object" in str(failed[0].error)
    assert old["id"] in api.objects and [c[0] for c in api.writes()] == ["POST"]


# -- customer_reference: one rule, exact, for 1-3 items (server filter) and 4 or more (full listing) -------

@pytest.mark.parametrize("count", [1, 4])
def test_the_reference_is_matched_exactly_however_many_items(count):
    api = api_with(hq(customer_reference="hq"))
    items = [address(customer_reference="HQ", **HQ)]
    items += [address(customer_reference="site-%d" % n, **hq(street_address="%d Main St" % n)) for n in range(1, count)]
    dummy, actions, failed = converge(api, items)
    assert not failed and actions[0].kind == "create"  # "HQ" is not "hq", as the API's eq filter says
    assert sorted(o["customer_reference"] for o in api.objects.values())[:2] == ["HQ", "hq"]


@pytest.mark.parametrize("count", [1, 4])
def test_other_fields_are_still_compared_without_case_or_spacing(count):
    api = api_with(hq(customer_reference="hq"))
    items = [address(customer_reference="hq", **hq(locality="  AUSTIN "))]
    items += [address(customer_reference="site-%d" % n, **hq(street_address="%d Main St" % n)) for n in range(1, count)]
    dummy, actions, failed = converge(api, items)
    assert not failed and actions[0].kind == "none"


# -- a replacement killed between its create and its delete ------------------------------------------------

NEW = hq(street_address="100 Main St")


def half_replaced():
    """What a run killed after the create of a recreate: the old record and the new one, under one reference."""
    api = api_with(hq(customer_reference="hq"), dict(NEW, customer_reference="hq"))
    old_id, new_id = list(api.objects)
    return api, old_id, new_id


def test_a_rerun_finishes_an_interrupted_replacement():
    api, old_id, new_id = half_replaced()
    current, actions, failed = converge(api, [address(customer_reference="hq", recreate=True, **NEW)])
    assert not failed and actions[0].kind == "finish"
    assert list(api.objects) == [new_id] and [c[:2] for c in api.writes()] == [("DELETE", "/addresses/" + old_id)]
    assert "kept id %s" % new_id in actions[0].note and "deleted id %s" % old_id in actions[0].note
    summary = summarize_set(Address(), current, actions)
    assert summary["changed"] and [o["id"] for o in summary["removed"]] == [old_id]
    assert [o["id"] for o in summary["final"]] == [new_id]


def test_check_mode_plans_the_finish_and_writes_nothing():
    api, old_id, new_id = half_replaced()
    engine = Engine(api, Address(), check_mode=True)
    dummy, actions, failed = engine.converge([address(customer_reference="hq", recreate=True, **NEW)])
    assert actions[0].kind == "finish" and "would delete id %s" % old_id in actions[0].note
    assert api.writes() == [] and len(api.objects) == 2


@pytest.mark.parametrize("item", [
    address(customer_reference="hq", **NEW),                                   # no recreate: not asked to replace
    address(customer_reference="hq", recreate=True, **hq(street_address="9 Elm St")),  # neither is the wanted one
    address(customer_reference="hq", recreate=True, **hq(first_name="Grace")),   # neither is the wanted one
])
def test_two_matches_still_fail_unless_one_is_exactly_the_wanted_address(item):
    api, dummy, dummy = half_replaced()
    with pytest.raises(PlanError, match="2 objects match"):
        converge(api, [item])
    assert api.writes() == [] and len(api.objects) == 2


def test_two_records_with_the_wanted_fields_are_never_thinned():
    api = api_with(dict(NEW, customer_reference="hq"), dict(NEW, customer_reference="hq"))
    with pytest.raises(PlanError, match="2 objects match"):
        converge(api, [address(customer_reference="hq", recreate=True, **NEW)])
    assert len(api.objects) == 2


def test_the_old_record_named_by_another_item_is_not_deleted():
    api, old_id, dummy = half_replaced()
    with pytest.raises(PlanError, match="2 objects match"):
        converge(api, [address(customer_reference="hq", recreate=True, **NEW), address(id=old_id)])
    assert len(api.objects) == 2


def test_a_protected_reference_is_not_thinned():
    api, dummy, dummy = half_replaced()
    with pytest.raises(PlanError, match="refusing to remove protected"):
        converge(api, [address(customer_reference="hq", recreate=True, **NEW)], protected=["hq"])
    assert len(api.objects) == 2


def test_a_replacement_by_delete_first_is_not_created_twice_after_an_empty_answer():
    from ansible_collections.telnyx.account_access.plugins.module_utils._registry import RESOURCES
    resource = next(r for r in RESOURCES.values() if r.updatable != r.fields and not r.recreate_creates_first
                    and r.key_filter and "recreate" in r.options)
    api = EmptyAnswerApi({"data": None}, path=resource.path, record_type=resource.name)
    engine = Engine(api, resource)
    with pytest.raises(PlanError, match="answered without the created object"):
        engine.recreate_after_delete({resource.key: "x"})
    assert [c[0] for c in api.writes()] == ["POST"]
