# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils._resources.billing_group import BillingGroup
from ansible_collections.telnyx.account_access.plugins.module_utils._api_error import TelnyxError
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.fake_api import FakeApi, checked
from ansible_collections.telnyx.account_access.plugins.module_utils._engine import Engine
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import MASK, PlanError, Resource
from ansible_collections.telnyx.account_access.plugins.module_utils._set_runner import summarize_set


def item(name=None, state="present", object_id=None):
    return {"name": name, "id": object_id, "state": state}


def converge(api, items, check_mode=False, resource=None, **plan_args):
    engine = Engine(api, resource or BillingGroup(), check_mode=check_mode, parallelism=4)
    return engine.converge(checked(engine.resource, items), **plan_args)


def test_create_update_delete_and_noop_are_planned():
    api = FakeApi("keep", "gone")
    renamed = api._make({"name": "old"})
    current, actions, failed = converge(api, [item("new"), item("keep"), item("gone", "absent"),
                                              item("renamed", object_id=renamed["id"])])
    assert [a.kind for a in actions] == ["create", "none", "delete", "update"]
    assert not failed
    assert sorted(o["name"] for o in api.objects.values()) == ["keep", "new", "renamed"]
    assert actions[3].changes == ["name"]


def test_one_listing_reads_everything():
    api = FakeApi(*("g%d" % i for i in range(5)))
    converge(api, [item("g%d" % i) for i in range(5)])
    assert [c[0] for c in api.calls] == ["LIST"]


def test_lookup_by_id_uses_get_not_listing():
    api = FakeApi("a")
    converge(api, [item("b", object_id="id-1")])
    assert [c[0] for c in api.calls] == ["GET", "PATCH"]


def test_check_mode_plans_the_same_and_writes_nothing():
    api = FakeApi("keep", "gone")
    items = [item("new"), item("keep"), item("gone", "absent")]
    dummy, predicted, dummy = converge(api, items, check_mode=True)
    assert api.writes() == []
    dummy, actual, dummy = converge(api, items)
    assert [a.kind for a in predicted] == [a.kind for a in actual]
    assert predicted[0].after == {"name": "new", "id": None}


def test_second_run_changes_nothing():
    api = FakeApi()
    converge(api, [item("a"), item("b")])
    api.calls.clear()
    dummy, actions, dummy = converge(api, [item("a"), item("b")])
    assert {a.kind for a in actions} == {"none"}
    assert api.writes() == []


def test_ambiguous_match_refuses_the_whole_plan_before_any_write():
    api = FakeApi("dup", "dup")
    with pytest.raises(PlanError, match="give id"):
        converge(api, [item("fine"), item("dup")])
    assert api.writes() == []


def test_ambiguous_name_fails_and_asks_for_id():
    api = FakeApi("dup", "dup")
    with pytest.raises(PlanError) as caught:
        converge(api, [item("dup", "absent")])
    assert "2 objects match billing group name='dup'" in str(caught.value)
    assert "give id" in str(caught.value)
    assert api.writes() == []


def test_one_bad_item_refuses_the_whole_plan_before_any_request():
    api = FakeApi("dup", "dup")
    with pytest.raises(PlanError) as caught:
        converge(api, [item("fine"), item("  "), item("dup")])
    assert str(caught.value) == "items[1]: name must not be empty"
    assert api.calls == []


def test_item_listed_twice_is_refused():
    api = FakeApi()
    with pytest.raises(PlanError, match="listed more than once"):
        converge(api, [item("a"), item("a")])


def test_unknown_id_fails():
    api = FakeApi()
    with pytest.raises(PlanError, match="no billing group has id 'nope'"):
        converge(api, [item("x", object_id="nope")])


def test_purge_removes_unlisted_after_creates():
    api = FakeApi("a", "stray")
    dummy, actions, dummy = converge(api, [item("a"), item("b")], purge=True, allow_empty=False)
    kinds = [c[0] for c in api.writes()]
    assert kinds == ["POST", "DELETE"]
    assert sorted(o["name"] for o in api.objects.values()) == ["a", "b"]
    result = summarize_set(BillingGroup(), list(api.objects.values()), actions)
    assert [o["name"] for o in result["removed"]] == ["stray"]


def test_purge_refuses_to_remove_protected():
    api = FakeApi("a", "finance")
    with pytest.raises(PlanError, match="refusing to remove protected billing group name='finance'"):
        converge(api, [item("a")], purge=True, protected=["finance"], allow_empty=False)
    assert api.writes() == []


def test_purge_refuses_to_empty_unless_allowed():
    api = FakeApi("a", "b")
    with pytest.raises(PlanError, match="refusing to remove every billing group"):
        converge(api, [], purge=True, allow_empty=False)
    assert api.writes() == []
    converge(api, [], purge=True, allow_empty=True)
    assert api.objects == {}


def test_ambiguous_create_that_acted_is_not_repeated():
    api = FakeApi()
    api.post_faults.append((TelnyxError("POST", "/billing_groups", 503, ambiguous=True), True))
    dummy, actions, failed = converge(api, [item("once")])
    assert not failed
    assert [o["name"] for o in api.objects.values()] == ["once"]
    assert actions[0].result["name"] == "once"


def test_ambiguous_create_that_did_not_act_is_sent_again():
    api = FakeApi()
    api.post_faults.append((TelnyxError("POST", "/billing_groups", 503, ambiguous=True), False))
    dummy, actions, failed = converge(api, [item("once")])
    assert not failed
    assert [o["name"] for o in api.objects.values()] == ["once"]
    assert [c[0] for c in api.writes()] == ["POST", "POST"]


def test_clear_create_failure_is_reported_not_retried():
    api = FakeApi()
    api.post_faults.append((TelnyxError("POST", "/billing_groups", 422), False))
    dummy, actions, failed = converge(api, [item("x"), item("y")])
    assert len(failed) == 1 and failed[0].error.status == 422
    assert len(api.objects) == 1


class Credential(Resource):
    name = "thing"
    title = "thing"
    path = "/billing_groups"
    fields = ("name", "region", "password")
    updatable = ("name", "password")
    secret = ("password",)
    hidden = ("sip_password",)


def test_masking_and_hidden_fields():
    res = Credential()
    obj = {"id": "1", "name": "a", "password": "hunter2", "sip_password": "s3cret"}
    assert res.public(obj) == {"id": "1", "name": "a"}
    assert res.public(obj, reveal=("sip_password",)) == {"id": "1", "name": "a", "sip_password": "s3cret"}
    assert res.masked(obj) == {"id": "1", "name": "a", "password": MASK, "sip_password": MASK}


def test_secrets_are_never_compared_and_create_only_fields_need_recreate():
    api = FakeApi()
    api._make({"name": "a", "region": "eu"})
    res = Credential()
    dummy, actions, dummy = converge(api, [{"name": "a", "password": "new", "state": "present", "id": None}], resource=res)
    assert actions[0].kind == "none"
    with pytest.raises(PlanError, match="cannot be changed once created: region is .eu., wanted .us."):
        converge(api, [{"name": "a", "region": "us", "state": "present", "id": None}], resource=res)
    moved = {"name": "a", "region": "us", "state": "present", "id": None}
    dummy, actions, dummy = converge(api, [moved], resource=res, recreate=True)
    assert actions[0].kind == "recreate"
    assert [o["region"] for o in api.objects.values()] == ["us"]


class CountingGroups(BillingGroup):
    """Counts key comparisons, to keep planning linear in the number of objects."""

    def __init__(self):
        self.calls = 0

    def normalize(self, field, value):
        self.calls += 1
        return value


def test_planning_is_linear_in_the_number_of_objects():
    res = CountingGroups()
    api = FakeApi(*("g%d" % i for i in range(400)))
    converge(api, [item("g%d" % i) for i in range(400)], resource=res, purge=True, allow_empty=False)
    assert res.calls < 400 * 10


def test_find_returns_the_one_match_or_says_why_not():
    api = FakeApi("solo", "twin", "twin")
    engine = Engine(api, BillingGroup())
    assert engine.find(item("solo"))["name"] == "solo"
    with pytest.raises(PlanError, match="no billing group name='nobody' found"):
        engine.find(item("nobody"))
    with pytest.raises(PlanError, match="2 objects match billing group name='twin'"):
        engine.find(item("twin"))


class RacingApi(FakeApi):
    """Another run creates the same object between our read and our POST."""

    def __init__(self, unique=False):
        super().__init__(defaults={"created_at": "2026-11-30T10:00:01Z"})
        self.unique = unique

    def request(self, method, path, params=None, json=None, ok_statuses=()):
        if method == "POST" and not self.objects:
            self._make(dict(json, created_at="2026-11-30T10:00:00Z"))  # the other run's, a moment earlier
            if self.unique:
                self.calls.append((method, path, json))
                # No source documents how a duplicate is refused: any code will do.
                raise TelnyxError(method, path, 422, errors=[{"code": "10015", "title": "Invalid value"}])
        return super().request(method, path, params=params, json=json, ok_statuses=ok_statuses)


def test_a_twin_made_by_a_concurrent_run_is_settled_on_the_oldest():
    api = RacingApi()
    dummy, actions, failed = converge(api, [item("shared")])
    assert not failed
    assert [o["name"] for o in api.objects.values()] == ["shared"]
    assert actions[0].after["id"] == "id-1"  # the other run's, which both runs keep
    assert [c[0] for c in api.writes()] == ["POST", "DELETE"]


def test_a_duplicate_refused_by_the_api_is_the_object_another_run_made():
    api = RacingApi(unique=True)
    dummy, actions, failed = converge(api, [item("shared")])
    assert not failed
    assert actions[0].after["id"] == "id-1"
    assert [c[0] for c in api.writes()] == ["POST"]


def test_a_refused_create_with_nothing_made_meanwhile_fails_with_the_api_error():
    api = FakeApi()
    api.post_faults.append((TelnyxError("POST", "/billing_groups", 422, errors=[{"code": "10015", "detail": "bad"}]), False))
    dummy, actions, failed = converge(api, [item("new")])
    assert "HTTP 422" in str(failed[0].error) and "bad" in str(failed[0].error)
    assert api.objects == {}


def test_a_soft_deleted_group_counts_as_absent():
    api = FakeApi("gone", "kept")
    api.objects["id-1"]["deleted_at"] = "2026-11-30T10:00:00Z"
    dummy, actions, failed = converge(api, [item("gone"), item("kept")])
    assert not failed
    assert [a.kind for a in actions] == ["create", "none"]


def test_twins_are_read_again_while_a_concurrent_run_settles():
    api = FakeApi("shared", "shared")
    engine = Engine(api, BillingGroup())
    engine.sleep = lambda seconds: api.objects.pop("id-2")  # the other run deletes its copy meanwhile
    dummy, actions, failed = engine.converge([item("shared")])
    assert not failed and actions[0].kind == "none" and actions[0].current["id"] == "id-1"
    assert [c[0] for c in api.calls] == ["LIST", "LIST"]
