#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: telephony_credential_info
short_description: List Telnyx telephony (SIP) credentials
version_added: 0.1.0
description:
  - Returns the account's telephony credentials, the one with O(id), or those the API's filters find.
  - C(sip_password) is left out unless O(return_sip_password=true); then set C(no_log) on the task.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.info_module
options:
  id:
    description:
      - Return only the credential with this id; an empty list when there is none.
    type: str
  name:
    description:
      - Only credentials with this name.
    type: str
  tag:
    description:
      - Only credentials with this tag.
    type: str
  status:
    description:
      - Only credentials with this status, sent to the API as C(filter[status]) as given.
      - The API documents the filter but not its values; the credential object itself has an C(expired)
        flag, which is the reliable way to tell expired credentials apart.
    type: str
  resource_id:
    description:
      - Only credentials of this resource (C(connection:<id>)).
    type: str
  sip_username:
    description:
      - Only the credential with this SIP user name.
    type: str
  return_sip_password:
    description:
      - Include each credential's C(sip_password).
    type: bool
    default: false
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: The softphone credentials
  telnyx.account_access.telephony_credential_info:
    tag: softphones
  register: softphones
"""

RETURN = r"""
telephony_credentials:
  description:
    - The credentials found; C(sip_password) only with O(return_sip_password=true).
    - C(connection_id) is read from C(resource_id); the API returns no C(tag).
  returned: always
  type: list
  elements: dict
  sample:
    - id: c215ade3-0d39-418e-94be-c5f780760199
      name: softphone-fleet
      resource_id: connection:1684641123236054244
      connection_id: "1684641123236054244"
      sip_username: gencrednCvHU5IYpSBPPsXI2iQsDX
      expired: false
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import InfoRunner

OPTIONS = dict(
    id=dict(type="str"),
    name=dict(type="str"),
    tag=dict(type="str"),
    status=dict(type="str"),
    resource_id=dict(type="str"),
    sip_username=dict(type="str"),
    return_sip_password=dict(type="bool", default=False, no_log=False),
)


def main(make_module=None):
    InfoRunner(RESOURCES["telephony_credential"], OPTIONS, reveal_option="return_sip_password",
               make_module=make_module).run()


if __name__ == "__main__":
    main()
