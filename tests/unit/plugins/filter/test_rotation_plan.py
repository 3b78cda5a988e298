# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError
from ansible_collections.telnyx.account_access.plugins.filter.rotation_plan import rotation_plan

NOW = "2026-11-30T12:00:00Z"


def secret(identifier, created_at, id_=None):
    return {"id": id_ or "id-" + identifier, "identifier": identifier, "created_at": created_at}


def plan(wanted, existing, **kwargs):
    kwargs.setdefault("now", NOW)
    return rotation_plan(wanted, existing, "identifier", **kwargs)


def test_nothing_exists_creates_version_one():
    [result] = plan([{"base": "crm", "type": "bearer", "token": "t"}], [])
    assert result["due"] and result["reason"] == "no version exists"
    assert result["item"] == {"identifier": "crm_v1", "type": "bearer", "token": "t"}
    assert result["newest"] == "crm_v1" and result["prune"] == []


def test_fresh_version_is_not_due_and_writes_nothing():
    existing = [secret("crm_v3", "2026-11-20T00:00:00Z"), secret("crm_v2", "2026-08-01T00:00:00Z")]
    [result] = plan([{"base": "crm", "token": "t"}], existing, max_age_days=30)
    assert not result["due"] and result["item"] is None
    assert result["current"] == "crm_v3" and result["age_days"] == 10.5
    assert result["prune"] == []


def test_old_version_rotates_and_prunes_beyond_keep():
    existing = [secret("crm_v2", "2026-08-01T00:00:00Z"), secret("crm", "2026-01-01T00:00:00Z"),
                secret("crm_other", "2020-01-01T00:00:00Z"), secret("crmv9", "2020-01-01T00:00:00Z")]
    [result] = plan([{"base": "crm", "keep": 2, "token": "t"}], existing, max_age_days=30)
    assert result["due"] and result["reason"].startswith("121.5 days old")
    assert result["item"]["identifier"] == "crm_v3"
    assert result["prune"] == [{"identifier": "crm", "state": "absent"}]


def test_half_done_rotation_plans_the_rest():
    # crm_v3 was made, the prune failed: a re-run creates nothing and prunes what is left.
    existing = [secret("crm_v3", "2026-11-30T11:59:00Z"), secret("crm_v2", "2026-08-01T00:00:00Z"),
                secret("crm_v1", "2026-01-01T00:00:00Z")]
    [result] = plan([{"base": "crm", "keep": 2, "token": "t"}], existing, max_age_days=30)
    assert not result["due"] and result["item"] is None and result["newest"] == "crm_v3"
    assert result["prune"] == [{"identifier": "crm_v1", "state": "absent"}]


@pytest.mark.parametrize("spelling", ["false", "no", "0", "off", False, 0])
def test_force_spelt_as_text_is_read_as_ansible_reads_it(spelling):
    # -e telnyx_rotation_force=false gives the text "false": it must not force a rotation.
    [result] = plan([{"base": "crm", "token": "t"}], [secret("crm_v1", NOW)], force=spelling, max_age_days="30")
    assert not result["due"] and result["item"] is None


def test_force_that_is_no_boolean_fails():
    with pytest.raises(AnsibleFilterError, match="rotation_plan: "):
        plan([{"base": "crm"}], [], force="maybe")


def test_force_rotates_a_fresh_version():
    [result] = plan([{"base": "crm", "token": "t"}], [secret("crm_v1", NOW)], force=True)
    assert result["due"] and result["reason"] == "forced" and result["item"]["identifier"] == "crm_v2"


def test_recreate_replaces_when_due_and_restores_when_missing():
    old = [secret("crm", "2026-01-01T00:00:00Z"), secret("crm_v7", "2020-01-01T00:00:00Z")]
    [due] = plan([{"base": "crm", "strategy": "recreate", "token": "t"}], old)
    assert due["due"] and due["item"] == {"identifier": "crm", "token": "t", "update_secret": "always"}
    [fresh] = plan([{"base": "crm", "strategy": "recreate", "token": "t"}], [secret("crm", NOW)])
    assert not fresh["due"] and fresh["item"]["update_secret"] == "on_create"
    [lost] = plan([{"base": "crm", "strategy": "recreate", "token": "t"}], [])
    assert lost["due"] and lost["item"]["update_secret"] == "on_create" and lost["prune"] == []


def test_grace_hours_retires_older_versions_once_and_inherits_fields():
    existing = [
        {"id": "c1", "name": "sip", "created_at": "2026-01-01T00:00:00Z", "connection_id": "77", "tag": "t"},
        {"id": "c0", "name": "sip_v0", "created_at": "2025-01-01T00:00:00Z", "expires_at": "2025-06-01T00:00:00Z"},
    ]
    [result] = rotation_plan([{"base": "sip", "grace_hours": 24}], existing, "name",
                             inherit=["connection_id", "tag"], now=NOW)
    assert result["item"] == {"name": "sip_v1", "connection_id": "77", "tag": "t"}
    assert result["retire"] == [{"id": "c1", "expires_at": "2026-12-01T12:00:00Z"}]
    assert result["prune"] == []


@pytest.mark.parametrize("wanted, message", [
    ([{"token": "t"}], "needs a non-empty base"),
    ([{"base": "a", "strategy": "rolling"}], "strategy must be one of"),
    ([{"base": "a", "keep": 0}], "keep must be a whole number"),
    ([{"base": "a", "identifier": "a_v1"}], "give base, not identifier"),
    ([{"base": "a"}, {"base": "a"}], "repeated: a"),
])
def test_bad_elements_fail_with_one_line(wanted, message):
    with pytest.raises(AnsibleFilterError, match=message):
        plan(wanted, [])


def test_unparseable_created_at_names_the_object():
    with pytest.raises(AnsibleFilterError, match="crm created_at"):
        plan([{"base": "crm"}], [secret("crm", "yesterday")])


def test_grace_hours_for_every_element_and_verify_only_when_something_happens():
    existing = [{"id": "c1", "name": "sip_v1", "created_at": NOW}, {"id": "c0", "name": "sip", "created_at": NOW}]
    wanted = [{"base": "sip", "verify_tasks": "check.yml"}, {"base": "new", "verify_tasks": "check.yml"}]
    fresh, missing = rotation_plan(wanted, existing, "name", grace_hours=1, now=NOW)
    assert fresh["retire"] == [{"id": "c0", "expires_at": "2026-11-30T13:00:00Z"}] and fresh["verify"]
    assert missing["due"] and missing["verify"] and missing["retire"] == []
    [settled] = rotation_plan([{"base": "sip", "verify_tasks": "check.yml"}], existing[:1], "name", grace_hours=1, now=NOW)
    assert not settled["verify"]


def test_a_string_is_a_base_alone():
    existing = [{"id": "c2", "name": "sip_v2", "created_at": NOW}, {"id": "c1", "name": "sip_v1", "created_at": NOW}]
    [result] = rotation_plan(["sip"], existing, "name", now=NOW)
    assert result["current"] == "sip_v2" and not result["due"]


def test_check_mode_stand_in_for_a_field_no_version_can_give():
    # Check mode on an account where an earlier task of the play would have made the credential.
    [plan_] = rotation_plan([{"base": "sip", "tag": "desk"}], [], "name", inherit=["connection_id"], now=NOW,
                            unknown="(unknown until the run)")
    assert plan_["item"] == {"name": "sip_v1", "tag": "desk", "connection_id": "(unknown until the run)"}
    assert plan_["assumed"] == ["connection_id"]
    [plan_] = rotation_plan([{"base": "sip"}], [], "name", inherit=["connection_id"], now=NOW)
    assert "connection_id" not in plan_["item"] and plan_["assumed"] == []
