#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: telephony_credential
short_description: Manage Telnyx telephony (SIP) credentials
version_added: 0.1.0
description:
  - Ensures a telephony credential is present, with the given connection, tag and expiry, or absent.
  - A credential is found by O(name) with the API's C(filter[name]), or by O(id), which also lets you rename it;
    one of the two is required.
  - The API returns the credential's C(sip_password). It is left out of the result and masked in the diff
    unless O(return_sip_password=true); then set C(no_log) on the task.
  - The API does not return the tag or the connection id; the module reads the tag with C(filter[tag]) and
    the connection from C(resource_id), so both are compared.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.object_module
options:
  name:
    description:
      - The credential's name. With O(id), the name it should have.
    type: str
  id:
    description:
      - The credential's id.
    type: str
  connection_id:
    description:
      - The id of the credential connection the credential belongs to. Required to create one.
    type: str
  tag:
    description:
      - A tag for the credential (one tag holds at most 1000 credentials).
    type: str
  expires_at:
    description:
      - When the credential expires, an ISO 8601 time (C(2027-01-01T00:00:00Z)). Compared as an instant.
    type: str
  return_sip_password:
    description:
      - Return the credential's C(sip_password). Set C(no_log) on the task when you do.
      - It applies to this module only. A credential item of M(telnyx.account_access.account),
        M(telnyx.account_access.resource_set) or the P(telnyx.account_access.account_bootstrap#role) role that sets
        it is refused before any request.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the credential; V(absent) deletes it if it exists.
    type: str
    default: present
    choices: [present, absent]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: A credential for the softphone fleet
  telnyx.account_access.telephony_credential:
    name: softphone-fleet
    connection_id: "1684641123236054244"
    tag: softphones
    expires_at: "2027-06-30T00:00:00Z"

- name: The same, with its SIP password for a provisioning step
  telnyx.account_access.telephony_credential:
    name: softphone-fleet
    connection_id: "1684641123236054244"
    return_sip_password: true
  no_log: true
  register: credential
"""

RETURN = r"""
action:
  description:
    - What the run did to the object, or in check mode would do - V(create), V(update), V(recreate) (deleted and
      created again), V(delete) or V(none). C(changed) says whether a write took effect.
    - Finishing a replacement that an interrupted run left half done is V(recreate).
  returned: always
  type: str
  sample: update
telephony_credential:
  description:
    - The credential after the run; with O(state=absent), the credential that was deleted; empty when there was none.
    - C(sip_password) only with O(return_sip_password=true).
  returned: always
  type: dict
  sample:
    id: c215ade3-0d39-418e-94be-c5f780760199
    name: softphone-fleet
    record_type: credential
    resource_id: connection:1684641123236054244
    connection_id: "1684641123236054244"
    tag: softphones
    sip_username: gencrednCvHU5IYpSBPPsXI2iQsDX
    expired: false
    expires_at: "2027-06-30T00:00:00Z"
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import ObjectRunner


def main(make_module=None):
    ObjectRunner(RESOURCES["telephony_credential"], reveal_option="return_sip_password", make_module=make_module).run()


if __name__ == "__main__":
    main()
