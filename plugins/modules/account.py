#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: account
short_description: Converge every resource type of a Telnyx account in one task
version_added: 0.2.0
description:
  - Converges billing groups, emergency addresses, SSO providers, integration secrets, telephony credentials and
    the API allowlist in a single task, as M(telnyx.account_access.resource_set) does for one type and
    M(telnyx.account_access.access_ip_allowlist) for the allowlist.
  - Every type given is read at the same time as the others, so an account with nothing to change costs one
    round trip to the API, not one per type. A type that is neither given nor purged is not read (with
    O(compare_only), every type is).
  - Every item of every type is checked, planned and guarded before any write; one invalid or ambiguous item
    refuses the whole plan. The writes of every type then share O(parallelism), the allowlist's after all
    others, so that a mistake elsewhere cannot lock the run out halfway; removals come after every write, and
    none is made when a write failed.
  - Each item takes the options of its type's module, without the connection options, and is checked against
    them before any request.
  - The P(telnyx.account_access.account_bootstrap#role) role converges an account with this module.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
options:
  billing_groups:
    description: Billing groups, each with the options of M(telnyx.account_access.billing_group).
    type: list
    elements: dict
  addresses:
    description: Emergency addresses, each with the options of M(telnyx.account_access.address).
    type: list
    elements: dict
  authentication_providers:
    description: SSO providers, each with the options of M(telnyx.account_access.authentication_provider).
    type: list
    elements: dict
  integration_secrets:
    description:
      - Integration secrets, each with the options of M(telnyx.account_access.integration_secret).
      - Their C(token), C(username) and C(password) are masked in every output.
    type: list
    elements: dict
  telephony_credentials:
    description:
      - Telephony credentials, each with the options of M(telnyx.account_access.telephony_credential).
      - Not O(telnyx.account_access.telephony_credential#module:return_sip_password), which applies to that module
        only; an item that sets it is refused before any request.
    type: list
    elements: dict
  access_ip_allowlist:
    description:
      - The API allowlist, with the options of M(telnyx.account_access.access_ip_allowlist) (not its
        C(parallelism), which is O(parallelism) here). Its guards apply as they do there.
    type: dict
    suboptions:
      entries:
        description: As O(telnyx.account_access.access_ip_allowlist#module:entries).
        type: list
        elements: raw
        default: []
      purge:
        description: As O(telnyx.account_access.access_ip_allowlist#module:purge).
        type: bool
        default: false
      allow_empty:
        description: As O(telnyx.account_access.access_ip_allowlist#module:allow_empty).
        type: bool
        default: false
      protected:
        description: As O(telnyx.account_access.access_ip_allowlist#module:protected).
        type: list
        elements: str
        default: []
      wait:
        description: As O(telnyx.account_access.access_ip_allowlist#module:wait).
        type: bool
        default: false
      wait_timeout:
        description: As O(telnyx.account_access.access_ip_allowlist#module:wait_timeout).
        type: int
        default: 60
  purge:
    description:
      - The types whose objects that no item names are removed, for example V([billing_groups]).
      - A purged type that is not given is emptied, which O(allow_empty) must allow.
    type: list
    elements: str
    choices: [billing_groups, addresses, authentication_providers, integration_secrets, telephony_credentials]
    default: []
  allow_empty:
    description:
      - The purged types whose plan may remove every object. Without it such a plan is refused before any write.
    type: list
    elements: str
    choices: [billing_groups, addresses, authentication_providers, integration_secrets, telephony_credentials]
    default: []
  compare_only:
    description:
      - Compare only, as a drift check does. Nothing is written to the account, whatever check mode says; the run
        is planned and reported as in check mode.
      - Every type and the allowlist are read in full, given or not, and planned as if purged, with no guard against
        emptying a list or removing a protected allowlist entry. O(purge) and O(allow_empty) are ignored, and so are
        the C(purge), C(allow_empty), C(protected) and C(wait) of O(access_ip_allowlist). A type, or an allowlist,
        with no items is planned as emptied.
      - Items are checked and planned as in any run, so an invalid item, or one the plan refuses (two objects match
        it, or a field differs that cannot change without C(recreate)), fails the task.
      - The result then has every type and the allowlist. Each says what converging with everything purged would
        create, change and remove, and in C(not_named) what exists that no item names; C(changed) says whether
        that is anything. The R(drift_report filter,ansible_collections.telnyx.account_access.drift_report_filter)
        sums it up.
    type: bool
    default: false
  parallelism:
    description:
      - How many requests may be in flight at once, 1 to 16, for the reads of the types and for the writes.
      - The client still honours HTTP 429 from the API, whatever this is.
    type: int
    default: 10
attributes:
  check_mode:
    support: full
    description: Returns the plan of the real run, guards included, and writes nothing.
  diff_mode:
    support: full
    description: Returns every object of every type given, before and after.
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Converge the account, removing billing groups no item names
  telnyx.account_access.account:
    purge: [billing_groups]
    billing_groups:
      - name: ops
      - name: sales
    integration_secrets:
      - identifier: crm
        type: bearer
        token: "{{ crm_token }}"
    access_ip_allowlist:
      entries: [203.0.113.10, 198.51.100.0/24]
      protected: [203.0.113.10]
  no_log: true
"""

RETURN = r"""
billing_groups:
  description:
    - What the run did to the billing groups, as M(telnyx.account_access.resource_set) returns it, C(created),
      C(updated), C(removed) and C(unchanged), each a list of objects. In check mode, and with O(compare_only), what
      the run would do (an object it would create has a V(null) id).
    - C(not_named), the billing groups that exist and that no item names, which is what the purge of the type
      removes (in check mode, and with O(compare_only), would remove). Empty unless the type is purged or
      O(compare_only) is set. They are listed whether or not the removal took place; a run in which a create or an
      update fails removes nothing, and fails.
    - The other types (C(addresses), C(authentication_providers), C(integration_secrets),
      C(telephony_credentials)) are returned alike under their own names.
  returned: when billing groups are given or purged, and always with O(compare_only)
  type: dict
  sample: {created: [{id: 6a09cdc3-8948-47f0-aa62-74ac943d6c58, name: ops, record_type: billing_group}], updated: [],
           removed: [], unchanged: [], not_named: []}
access_ip_allowlist:
  description:
    - What the run did to the allowlist, as M(telnyx.account_access.access_ip_allowlist) returns it,
      C(added), C(removed), C(unchanged) and the whole list as C(entries). In check mode, and with O(compare_only),
      what the run would do.
    - C(not_named), the addresses and blocks that exist and that no entry names, which is what the allowlist's
      C(purge) removes (in check mode, and with O(compare_only), would remove). Empty unless its C(purge) or
      O(compare_only) is set. They are listed whether or not the removal took place.
  returned: when O(access_ip_allowlist) is given, and always with O(compare_only)
  type: dict
  sample: {added: [198.51.100.0/24], removed: [], unchanged: [203.0.113.10], entries: [], not_named: []}
"""

from ..module_utils._account import AccountRunner


def main(make_module=None):
    AccountRunner(make_module=make_module).run()


if __name__ == "__main__":
    main()
