# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The counts of what an account task did, per type."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleFilterError

from ansible_collections.telnyx.account_access.plugins.filter.account_summary import account_summary

ZERO = dict(created=0, updated=0, removed=0, unchanged=0)


def test_each_type_is_counted_and_a_type_not_given_counts_zero():
    result = {
        "changed": True,
        "billing_groups": dict(created=[{"id": "1"}, {"id": "2"}], updated=[], removed=[{"id": "3"}],
                               unchanged=[{"id": "4"}], not_named=[{"id": "3"}]),
        "telephony_credentials": dict(created=[], updated=[{"id": "c"}], removed=[], unchanged=[], not_named=[]),
        "access_ip_allowlist": dict(added=["198.51.100.7"], removed=["192.0.2.0/24", "192.0.2.9"],
                                    unchanged=["203.0.113.10"], entries=[], not_named=[]),
    }
    assert account_summary(result) == {
        "billing_groups": dict(created=2, updated=0, removed=1, unchanged=1),
        "addresses": ZERO,
        "authentication_providers": ZERO,
        "integration_secrets": ZERO,
        "telephony_credentials": dict(ZERO, updated=1),
        "access_ip_allowlist": dict(created=1, updated=0, removed=2, unchanged=1),
    }


@pytest.mark.parametrize("result, says", [
    (None, "account_summary takes the registered result of a successful account task"),
    ({"failed": True, "msg": "no"}, "account_summary takes the registered result of a successful account task"),
    ({"changed": False, "msg": "ok"}, "account_summary takes the registered result of an account task: this one has "
                                      "none of billing_groups"),
    ({"billing_groups": ["legacy"]}, "account_summary: billing_groups in the result is not an account task's outcome"),
    ({"addresses": {"unchanged": 3}}, "account_summary: addresses.unchanged in the result is not a list"),
])
def test_anything_but_an_account_result_is_refused_in_one_line(result, says):
    with pytest.raises(AnsibleFilterError) as caught:
        account_summary(result)
    assert str(caught.value).startswith(says) and "\n" not in str(caught.value)
