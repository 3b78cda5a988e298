# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The drift report of an account compared in full (compare_only)."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.telnyx.account_access.plugins.filter.drift_report import drift_report

EMPTY = dict(created=[], updated=[], removed=[], unchanged=[], not_named=[])


def test_an_account_as_its_variables_say_does_not_differ():
    result = {"changed": False, "billing_groups": dict(EMPTY, unchanged=[{"id": "1", "name": "ops"}]),
              "access_ip_allowlist": {"added": [], "removed": [], "unchanged": ["203.0.113.10"], "not_named": []}}
    report = drift_report(result)
    assert report["differs"] is False
    assert report["billing_groups"] == {"create": [], "change": [], "remove": [], "not_named": []}


def test_each_difference_is_named_by_key_or_by_id_where_there_is_none():
    renamed = {"id": "g2", "name": "support-renamed"}
    result = {
        "billing_groups": dict(EMPTY, created=[{"id": None, "name": "support"}], removed=[renamed], not_named=[renamed]),
        "addresses": dict(EMPTY, removed=[{"id": "7846", "street_address": "1 Main St"}],
                          not_named=[{"id": "7846", "street_address": "1 Main St"}]),
        "integration_secrets": dict(EMPTY, removed=[{"id": "s1", "identifier": "gone"}]),  # an item with state absent
        "telephony_credentials": dict(EMPTY, updated=[{"id": "c1", "name": "fleet"}]),
        "access_ip_allowlist": {"added": ["198.51.100.7"], "removed": ["192.0.2.0/24"], "not_named": ["192.0.2.0/24"]},
    }
    report = drift_report(result)
    assert report["differs"] is True
    assert report["billing_groups"] == {"create": ["support"], "change": [], "remove": [], "not_named": ["support-renamed"]}
    assert report["addresses"]["not_named"] == ["id 7846"]
    assert report["integration_secrets"]["remove"] == ["gone"]
    assert report["telephony_credentials"]["change"] == ["fleet"]
    assert report["access_ip_allowlist"] == {"create": ["198.51.100.7"], "change": [], "remove": [],
                                             "not_named": ["192.0.2.0/24"]}
    assert report["authentication_providers"] == {"create": [], "change": [], "remove": [], "not_named": []}


@pytest.mark.parametrize("result", [None, "text", {"failed": True, "msg": "no"}, {"skipped": True, "changed": False}])
def test_anything_but_a_successful_result_is_refused_in_one_line(result):
    with pytest.raises(AnsibleFilterError, match="takes the registered result of a successful account task"):
        drift_report(result)


@pytest.mark.parametrize("result, says", [
    ({}, "has none of billing_groups"),                                  # an empty mapping: not an account result
    ({"changed": False, "msg": "ok"}, "has none of billing_groups"),     # another module's result
    ({"billing_groups": ["legacy"]}, "billing_groups in the result is not"),
    ({"billing_groups": {"created": "legacy"}}, "billing_groups.created in the result is not a list"),
    ({"billing_groups": {"not_named": ["legacy"]}}, "an object of billing_groups in the result is not a mapping"),
    ({"access_ip_allowlist": {"added": "192.0.2.1"}}, "access_ip_allowlist.added in the result is not a list"),
])
def test_a_result_of_another_shape_is_refused_in_one_line(result, says):
    with pytest.raises(AnsibleFilterError, match=says):
        drift_report(result)
