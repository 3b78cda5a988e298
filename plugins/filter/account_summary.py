# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: account_summary
short_description: Count what an account task did, per type
version_added: 0.2.0
description:
  - Counts, per type, the objects a M(telnyx.account_access.account) task created, updated, removed and left
    unchanged (in check mode, would have). It makes no request.
  - The types are C(billing_groups), C(addresses), C(authentication_providers), C(integration_secrets),
    C(telephony_credentials) and C(access_ip_allowlist). A type the task was not given (and did not purge) counts
    zero throughout. Allowlist entries are added or removed, never updated.
  - The P(telnyx.account_access.account_bootstrap#role) role sets its C(account_bootstrap_summary) with it.
positional: _input
options:
  _input:
    description: The registered result of a successful M(telnyx.account_access.account) task.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Converge the account
  telnyx.account_access.account:
    billing_groups: "{{ telnyx_billing_groups }}"
  register: converged

- name: Show how many objects changed
  ansible.builtin.debug:
    msg: "{{ converged | telnyx.account_access.account_summary }}"
"""

RETURN = r"""
_value:
  description:
    - Per type, the numbers of objects C(created), C(updated), C(removed) and C(unchanged).
  type: dict
  sample:
    billing_groups: {created: 2, updated: 0, removed: 0, unchanged: 98}
    access_ip_allowlist: {created: 1, updated: 0, removed: 0, unchanged: 499}
"""

from ..module_utils._account import OUTCOMES, TYPES
from ..plugin_utils._account_result import AccountResult


def account_summary(result):
    """The per-type counts of an ``account`` result; see DOCUMENTATION."""
    result = AccountResult(result, "account_summary")
    summary = {resource.plural: {kind: len(result.listed(resource.plural, kind)) for kind in OUTCOMES}
               for resource in TYPES}
    summary["access_ip_allowlist"] = dict(created=len(result.listed("access_ip_allowlist", "added")), updated=0,
                                          removed=len(result.listed("access_ip_allowlist", "removed")),
                                          unchanged=len(result.listed("access_ip_allowlist", "unchanged")))
    return summary


class FilterModule:
    def filters(self):
        return {"account_summary": account_summary}
