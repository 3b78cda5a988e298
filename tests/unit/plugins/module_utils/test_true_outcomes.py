# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""True outcomes: ``changed`` and created / unchanged follow what took effect, for one run or several at once."""

from __future__ import annotations

import json

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils import _resource, _runner
from ansible_collections.telnyx.account_access.plugins.module_utils._resources.address import Address
from ansible_collections.telnyx.account_access.plugins.module_utils._registry import RESOURCES
from ansible_collections.telnyx.account_access.plugins.module_utils._resources.billing_group import BillingGroup
from ansible_collections.telnyx.account_access.plugins.module_utils._api_error import TelnyxError
from ansible_collections.telnyx.account_access.plugins.module_utils._engine import Engine
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import Resource
from ansible_collections.telnyx.account_access.plugins.module_utils._set_runner import summarize_set
from ansible_collections.telnyx.account_access.tests.unit.module_args import patch_module_args
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.fake_api import FakeApi
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.test_address import HQ, address, api_with, hq

EARLIER, LATER = "2026-11-30T10:00:00.000Z", "2026-11-30T10:00:01.000Z"


def group(name, state="present", object_id=None):
    return {"name": name, "id": object_id, "state": state}


def refusal(status=422):
    return TelnyxError("POST", "/billing_groups", status, errors=[{"code": "10015", "title": "Invalid value"}])


def outcome(resource, api, items, check_mode=False, **plan_args):
    """Converge like the set runner and sum it up: (summary, actions)."""
    current, actions, dummy = Engine(api, resource, check_mode=check_mode).converge(items, **plan_args)
    return summarize_set(resource, current, actions), actions


class RacingApi(FakeApi):
    """Another run creates ``other`` (a moment earlier) between our read and our POST; ``unique`` refuses ours."""

    def __init__(self, other=None, unique=False, **kwargs):
        super().__init__(defaults={"created_at": LATER}, **kwargs)
        self.other, self.unique, self.raced = other, unique, False

    def request(self, method, path, params=None, json=None, ok_statuses=()):
        if method == "POST" and path == self.path and not self.raced:
            self.raced = True
            self._make(dict(self.other or json, created_at=EARLIER))
            if self.unique:
                self.calls.append((method, path, json))
                raise refusal()
        return super().request(method, path, params=params, json=json, ok_statuses=ok_statuses)


# -- the object runner: changed is what took effect -------------------------------------------------------------

def run_module(monkeypatch, capsys, api, resource, args):
    monkeypatch.setattr(_runner, "client_from_module", lambda module, parallelism=1: api)
    with patch_module_args(dict({"api_key": "unit-key", "api_url": "https://api.example.test/v2"}, **args)):
        with pytest.raises(SystemExit):
            _runner.ObjectRunner(resource).run()
    return json.loads(capsys.readouterr().out)


def test_a_refused_create_fails_and_reports_no_change(monkeypatch, capsys):
    api = FakeApi()
    api.post_faults.append((refusal(), False))
    result = run_module(monkeypatch, capsys, api, RESOURCES["billing_group"], {"name": "ops"})
    assert result["failed"] and result["changed"] is False
    assert "HTTP 422" in result["msg"] and result["billing_group"] == {} and api.objects == {}


def test_a_create_refused_because_another_run_made_it_reports_that_object_unchanged(monkeypatch, capsys):
    api = RacingApi(unique=True)
    result = run_module(monkeypatch, capsys, api, RESOURCES["billing_group"], {"name": "ops"})
    assert not result.get("failed") and result["changed"] is False
    assert result["billing_group"]["id"] == "id-1"
    assert result["diff"]["before"] == result["diff"]["after"]


def test_a_copy_settled_onto_another_runs_object_reports_no_change(monkeypatch, capsys):
    api = RacingApi()
    result = run_module(monkeypatch, capsys, api, RESOURCES["billing_group"], {"name": "ops"})
    assert result["changed"] is False and result["billing_group"]["id"] == "id-1"
    assert list(api.objects) == ["id-1"] and [c[0] for c in api.writes()] == ["POST", "DELETE"]


def test_a_plain_create_still_reports_a_change_and_check_mode_predicts_it(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, FakeApi(), RESOURCES["billing_group"], {"name": "ops", "_ansible_check_mode": True})
    assert result["changed"] is True and result["billing_group"]["id"] is None
    result = run_module(monkeypatch, capsys, FakeApi(), RESOURCES["billing_group"], {"name": "ops"})
    assert result["changed"] is True and result["billing_group"]["id"] == "id-1"


def test_the_result_names_the_action_check_mode_included(monkeypatch, capsys):
    api = FakeApi()
    steps = [({"name": "ops", "_ansible_check_mode": True}, "create"), ({"name": "ops"}, "create"),
             ({"name": "ops"}, "none"), ({"id": "id-1", "name": "dev"}, "update"),
             ({"name": "dev", "state": "absent"}, "delete"), ({"name": "dev", "state": "absent"}, "none")]
    actions = [run_module(monkeypatch, capsys, api, RESOURCES["billing_group"], args)["action"] for args, dummy in steps]
    assert actions == [action for dummy, action in steps]
    api = FakeApi()
    api._make({"name": "a", "region": "eu"})
    assert run_module(monkeypatch, capsys, api, Regional(), {"name": "a", "region": "us", "recreate": True})["action"] == "recreate"


def test_finishing_an_interrupted_replacement_is_reported_as_a_replacement(monkeypatch, capsys):
    new = hq(street_address="100 Main St")
    api = api_with(hq(customer_reference="hq"), dict(new, customer_reference="hq"))
    old_id, new_id = list(api.objects)
    result = run_module(monkeypatch, capsys, api, Address(), address(customer_reference="hq", recreate=True, **new))
    assert result["action"] == "recreate" and result["changed"] is True
    assert result["replaced"]["id"] == old_id and result["address"]["id"] == new_id


class GoneMeanwhileApi(FakeApi):
    """Another run deletes the object after our read: our DELETE is answered 404."""

    def request(self, method, path, params=None, json=None, ok_statuses=()):
        if method == "DELETE":
            self.objects.clear()
        return super().request(method, path, params=params, json=json, ok_statuses=ok_statuses)


def test_a_delete_of_an_object_already_gone_reports_no_change(monkeypatch, capsys):
    result = run_module(monkeypatch, capsys, GoneMeanwhileApi("old"), RESOURCES["billing_group"],
                        {"name": "old", "state": "absent"})
    assert not result.get("failed") and result["changed"] is False


class Regional(Resource):
    """A resource replaced by delete-then-create (a create-only field), as the engine does by default."""

    name = "regional"
    title = "regional thing"
    path = "/billing_groups"
    fields = ("name", "region")
    updatable = ("name",)
    options = dict(name=dict(type="str"), region=dict(type="str"), id=dict(type="str"),
                   state=dict(type="str", default="present"), recreate=dict(type="bool", default=False))


def half_replaced_api():
    """The old object exists; every create fails, so a replacement stops after its delete."""
    api = FakeApi()
    old = api._make({"name": "a", "region": "eu"})
    api.post_faults += [(refusal(), False), (refusal(), False)]
    return api, old


def test_a_replacement_whose_create_failed_after_its_delete_fails_and_reports_the_change(monkeypatch, capsys):
    api, old = half_replaced_api()
    result = run_module(monkeypatch, capsys, api, Regional(), {"name": "a", "region": "us", "recreate": True})
    assert result["failed"] and result["changed"] is True and "it is missing now" in result["msg"]
    assert result["replaced"]["id"] == old["id"] and result["regional"] == {} and api.objects == {}


def test_a_half_done_replacement_is_summed_up_as_far_as_it_went():
    api, old = half_replaced_api()
    summary, actions = outcome(Regional(), api, [{"name": "a", "region": "us", "state": "present", "id": None}],
                               recreate=True)
    assert actions[0].error is not None and actions[0].written == ["delete"]
    assert summary["changed"] and summary["created"] == [] and [o["id"] for o in summary["removed"]] == [old["id"]]
    assert summary["final"] == []


class AddressInUseApi(FakeApi):
    """Refuses every DELETE, as the API does for an address in use."""

    def request(self, method, path, params=None, json=None, ok_statuses=()):
        if method == "DELETE":
            raise TelnyxError(method, path, 422, errors=[{"title": "Address in use"}])
        return super().request(method, path, params=params, json=json, ok_statuses=ok_statuses)


def test_a_replacement_that_created_first_and_could_not_delete_reports_the_new_object():
    api = AddressInUseApi(path="/addresses", record_type="address")
    api.actions["/addresses/actions/validate"] = lambda body: {"suggested": {}}
    old_id = api._make(dict(HQ, customer_reference="hq"))["id"]
    moved = address(customer_reference="hq", recreate=True, **hq(street_address="100 Main St"))
    summary, actions = outcome(Address(), api, [moved])
    assert actions[0].error is not None and actions[0].written == ["create"]
    new_id = actions[0].result["id"]
    assert summary["changed"] and [o["id"] for o in summary["created"]] == [new_id] and summary["removed"] == []
    assert sorted(o["id"] for o in summary["final"]) == sorted([old_id, new_id])


def test_a_replacement_whose_create_was_refused_changed_nothing(monkeypatch, capsys):
    api = api_with(dict(HQ, customer_reference="hq"))
    api.post_faults.append((refusal(), False))
    moved = dict(HQ, customer_reference="hq", street_address="100 Main St", recreate=True)
    result = run_module(monkeypatch, capsys, api, Address(), moved)
    assert result["failed"] and result["changed"] is False and "replaced" not in result
    assert result["address"]["street_address"] == HQ["street_address"]  # the old one, still there


# -- the set runner: each object created by one run only ---------------------------------------------------------

def test_found_after_refusal_is_unchanged_not_created():
    summary, actions = outcome(BillingGroup(), RacingApi(unique=True), [group("ops"), group("new")])
    assert [a.written for a in actions] == [[], ["create"]]
    assert [o["name"] for o in summary["created"]] == ["new"]
    assert [o["id"] for o in summary["unchanged"]] == ["id-1"]
    assert sorted(o["name"] for o in summary["final"]) == ["new", "ops"]


def test_a_settled_copy_is_unchanged_and_only_the_survivor_remains():
    api = RacingApi()
    summary, actions = outcome(BillingGroup(), api, [group("ops")])
    assert not summary["changed"] and summary["created"] == [] and [o["id"] for o in summary["unchanged"]] == ["id-1"]
    assert [o["id"] for o in summary["final"]] == ["id-1"] and list(api.objects) == ["id-1"]


def test_the_run_whose_copy_is_oldest_reports_it_created():
    api = RacingApi()
    api.raced = True  # nobody else this time
    summary, dummy = outcome(BillingGroup(), api, [group("ops")])
    assert summary["changed"] and [o["name"] for o in summary["created"]] == ["ops"] and summary["unchanged"] == []


def test_only_our_own_copy_is_ever_deleted_when_settling():
    api = FakeApi()
    found = api._make({"name": "ops", "created_at": LATER})  # another run's, which our refused create found
    third = api._make({"name": "ops", "created_at": EARLIER})  # a third run's, older
    action = _resource.Action("create", group("ops"))
    action.result = found  # not ours: nothing in action.written
    Engine(api, BillingGroup()).settle([action])
    assert api.writes() == [] and action.result["id"] == third["id"] and action.written == []


def test_check_mode_predicts_the_same_outcome_as_the_run():
    api = FakeApi("keep", "gone")
    items = [group("new"), group("keep"), group("gone", "absent")]
    predicted, dummy = outcome(BillingGroup(), api, items, check_mode=True)
    assert api.writes() == []
    actual, dummy = outcome(BillingGroup(), api, items)
    assert predicted["changed"] is actual["changed"] is True

    def names(summary):
        return {key: [o["name"] for o in summary[key]] for key in ("created", "updated", "removed", "unchanged", "final")}

    assert names(predicted) == names(actual) == dict(created=["new"], updated=[], removed=["gone"], unchanged=["keep"],
                                                     final=["keep", "new"])


# -- objects without a natural key converge like keyed ones -------------------------------------------------------

def unkeyed():
    return address(**HQ)  # no customer_reference: the address is its fields


def address_api(**kwargs):
    api = RacingApi(path="/addresses", record_type="address", **kwargs)
    api.actions["/addresses/actions/validate"] = lambda body: {"suggested": {}}
    return api


def test_unkeyed_duplicates_settle_on_the_oldest():
    api = address_api()
    summary, actions = outcome(Address(), api, [unkeyed()])
    assert [o["id"] for o in api.objects.values()] == ["id-1"]  # our copy (id-2) was the later one
    assert actions[0].result["id"] == "id-1" and actions[0].written == []
    assert not summary["changed"] and summary["created"] == [] and [o["id"] for o in summary["unchanged"]] == ["id-1"]
    assert [c[0] for c in api.writes()] == ["POST", "DELETE"]


class LaterTwinApi(FakeApi):
    """Another run's copy of what we create lands just after ours: ours is the oldest."""

    def request(self, method, path, params=None, json=None, ok_statuses=()):
        answer = super().request(method, path, params=params, json=json, ok_statuses=ok_statuses)
        if method == "POST" and path == self.path:
            self._make(dict(json, created_at="2026-11-30T10:00:02.000Z"))
        return answer


def test_an_unkeyed_copy_that_is_the_oldest_is_kept_and_reported_created():
    api = LaterTwinApi(path="/addresses", record_type="address", defaults={"created_at": LATER})
    summary, actions = outcome(Address(), api, [unkeyed()])
    assert actions[0].written == ["create"] and actions[0].result["id"] == "id-1"
    assert summary["changed"] and [o["id"] for o in summary["created"]] == ["id-1"]
    assert [c[0] for c in api.writes()] == ["POST"]  # the later copy is the other run's to remove


def test_other_addresses_are_not_grouped_with_the_unkeyed_item():
    api = address_api(other=dict(HQ, street_address="9 Elm St"))
    summary, actions = outcome(Address(), api, [unkeyed()])
    assert len(api.objects) == 2 and actions[0].written == ["create"] and summary["changed"]
    assert [c[0] for c in api.writes()] == ["POST"]


def test_settling_costs_no_request_when_nothing_was_created():
    api = api_with(HQ)
    summary, dummy = outcome(Address(), api, [unkeyed()])
    assert not summary["changed"] and [c[0] for c in api.calls] == ["LIST"]


def test_unkeyed_twins_are_read_again_while_a_concurrent_run_settles():
    api = api_with(HQ, HQ)
    engine = Engine(api, Address())
    engine.sleep = lambda seconds: api.objects.pop("id-2")  # the other run deletes its copy meanwhile
    dummy, actions, failed = engine.converge([unkeyed()])
    assert not failed and actions[0].kind == "none" and actions[0].current["id"] == "id-1"
    assert [c[0] for c in api.calls] == ["LIST", "LIST"]


def test_an_unkeyed_create_refused_finds_the_same_address_and_is_unchanged():
    api = address_api(unique=True)
    summary, actions = outcome(Address(), api, [unkeyed()])
    assert not summary["changed"] and [o["id"] for o in summary["unchanged"]] == ["id-1"]
