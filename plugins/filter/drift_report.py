# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: drift_report
short_description: Say how a Telnyx account differs from its variables
version_added: 0.2.0
description:
  - Says per type how a Telnyx account differs from the items given to M(telnyx.account_access.account), that is
    what converging would create, change and remove, and what exists that no item names.
  - It reads the result of an C(account) task run with O(telnyx.account_access.account#module:compare_only=true),
    which reads every type and the allowlist in full, plans them as if purged, and writes nothing. The filter itself
    makes no request.
  - Each object is named by its natural key (a billing group's name, an address's customer reference, an SSO
    provider's short name, a secret's identifier, a credential's name, an allowlist entry's address or block), or
    by its id where it has none.
  - A type missing from the result (an C(account) run without O(telnyx.account_access.account#module:compare_only)
    returns only the types given or purged) is reported as not differing.
  - C(playbooks/drift.yml) runs it, through the drift entry point of the
    P(telnyx.account_access.account_bootstrap#role) role, on the account task's result, and fails when its
    C(differs) is true.
positional: _input
options:
  _input:
    description: The registered result of M(telnyx.account_access.account) with
      O(telnyx.account_access.account#module:compare_only=true).
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Compare the account with the variables, without writing
  telnyx.account_access.account:
    billing_groups: "{{ telnyx_billing_groups }}"
    compare_only: true
  register: compared

- name: Show what differs
  ansible.builtin.debug:
    msg: "{{ compared | telnyx.account_access.drift_report }}"
"""

RETURN = r"""
_value:
  description:
    - C(differs) (true when anything would change or exists unnamed), and per type (C(billing_groups),
      C(addresses), C(authentication_providers), C(integration_secrets), C(telephony_credentials),
      C(access_ip_allowlist)) the names of the objects converging would C(create), C(change) and C(remove),
      and those that exist while no item names them (C(not_named)).
  type: dict
  sample:
    differs: true
    billing_groups: {create: [], change: [], remove: [], not_named: [legacy]}
"""

from ansible.errors import AnsibleFilterError

from ..module_utils._account import TYPES
from ..plugin_utils._account_result import AccountResult

KINDS = (("create", "created"), ("change", "updated"), ("remove", "removed"))


def drift_report(result):
    """The per-type report of an ``account`` result with compare_only; see DOCUMENTATION."""
    result = AccountResult(result, "drift_report")
    report = {}
    for resource in TYPES:
        not_named = [named(resource, o) for o in result.listed(resource.plural, "not_named")]
        lists = {kind: [named(resource, o) for o in result.listed(resource.plural, key)] for kind, key in KINDS}
        lists["remove"] = [name for name in lists["remove"] if name not in not_named]
        report[resource.plural] = dict(lists, not_named=not_named)
    not_named = [str(e) for e in result.listed("access_ip_allowlist", "not_named")]
    report["access_ip_allowlist"] = dict(
        create=[str(e) for e in result.listed("access_ip_allowlist", "added")], change=[],
        remove=[str(e) for e in result.listed("access_ip_allowlist", "removed") if str(e) not in not_named],
        not_named=not_named)
    report["differs"] = any(names for lists in report.values() for names in lists.values())
    return report


def named(resource, obj):
    """An object by its natural key, or by id where it has none (an address without a customer reference)."""
    if not isinstance(obj, dict):
        raise AnsibleFilterError("drift_report: an object of %s in the result is not a mapping" % resource.plural)
    key = obj.get(resource.key)
    return str(key) if key not in (None, "") else "id %s" % obj.get("id")


class FilterModule:
    def filters(self):
        return {"drift_report": drift_report}
