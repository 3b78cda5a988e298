#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: account_info
short_description: Read every resource type of a Telnyx account at once, also as items to converge
version_added: 0.2.0
description:
  - Lists billing groups, emergency addresses, SSO providers, integration secrets, telephony credentials and both
    halves of the API allowlist, every type at the same time (one round trip for a small account).
  - Returns each object as the API describes it, and RV(exported), the account as the items of
    M(telnyx.account_access.account) that would leave it as it is. C(playbooks/export.yml) writes those as the
    variables of the P(telnyx.account_access.account_bootstrap#role) role.
  - Values the API never returns are not in RV(exported) and cannot be exported; an item without them leaves them as
    they are. Integration secrets come by C(identifier) alone (the API returns neither their C(type) nor their
    values); SSO providers without C(settings_url); telephony credentials without C(tag) (the API does not return
    it) and never with C(sip_password).
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.info_module
options:
  parallelism:
    description:
      - How many requests may be in flight at once, 1 to 16.
    type: int
    default: 10
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Read the whole account
  telnyx.account_access.account_info:
  register: account

- name: Show how many billing groups and allowlist entries it holds
  ansible.builtin.debug:
    msg: "{{ account.billing_groups | length }} groups, {{ account.exported.access_ip_allowlist | length }} entries"
"""

RETURN = r"""
api_url:
  description: The API base URL read from.
  returned: always
  type: str
  sample: https://api.telnyx.com/v2
billing_groups:
  description:
    - The billing groups as the API describes them, sorted by name.
    - C(addresses), C(authentication_providers), C(integration_secrets), C(telephony_credentials),
      C(access_ip_addresses) and C(access_ip_ranges) are returned alike, each sorted by its natural key.
  returned: always
  type: list
  elements: dict
  sample: [{id: 6a09cdc3-8948-47f0-aa62-74ac943d6c58, name: ops, record_type: billing_group}]
exported:
  description:
    - The account as the options of M(telnyx.account_access.account), sorted by natural key. Converging them
      against the account it was read from changes nothing.
    - C(access_ip_allowlist) is the allowlist's entries, addresses first, each a string, or a mapping when it has
      a description.
  returned: always
  type: dict
  sample:
    billing_groups: [{name: ops}]
    addresses: []
    authentication_providers: []
    integration_secrets: [{identifier: crm_token, update_secret: on_create}]
    telephony_credentials: [{name: softphones, connection_id: "1684641123236054244"}]
    access_ip_allowlist: [203.0.113.10, {cidr_block: 192.0.2.0/24, description: office}]
"""

from ..module_utils._account import AccountInfoRunner


def main(make_module=None):
    AccountInfoRunner(make_module=make_module).run()


if __name__ == "__main__":
    main()
