#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: address_accept_suggestions
short_description: Accept Telnyx's suggested corrections for an address
version_added: 0.1.0
description:
  - Accepts the corrections Telnyx suggested for an emergency address, so numbers waiting on it resume processing.
  - Accepting replaces the address's stored values with the suggested ones. M(telnyx.account_access.address)
    still finds the address from the values your playbook gives, through their validated form.
  - Reports a change when the API accepts them now (HTTP 202) and no change when they were accepted before (HTTP 200).
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
options:
  id:
    description:
      - The address's id.
    type: str
    required: true
attributes:
  check_mode:
    support: partial
    description: Looks the address up and fails if it does not exist, without writing.
    details:
      - The API does not say whether suggestions were accepted before, so check mode always predicts a change.
  diff_mode:
    support: none
    description: The address itself does not change, so there is nothing to diff.
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Accept the suggestions for the head office's address
  telnyx.account_access.address_accept_suggestions:
    id: "{{ hq.address.id }}"
"""

RETURN = r"""
suggestion:
  description: The API's answer; empty in check mode.
  returned: always
  type: dict
  sample: {id: "1293384261075731499", accepted: true, record_type: address_suggestion}
"""

from ..module_utils._engine import Engine
from ..module_utils._registry import RESOURCES
from ..module_utils._runner import Runner


class AcceptRunner(Runner):
    """Accepts Telnyx's suggested form of one address; the id rule (``Runner.problems``) is its only check."""

    def __init__(self, make_module=None):
        super().__init__(dict(id=dict(type="str", required=True)), make_module=make_module)

    def execute(self):
        address_id = self.params["id"]
        if self.module.check_mode:
            Engine(self.client, RESOURCES["address"]).find({"id": address_id})
            self.result = dict(changed=True, suggestion={})
            return
        status, body = self.client.request("POST", "/addresses/%s/actions/accept_suggestions" % address_id,
                                           json={"id": address_id})
        self.result = dict(changed=status == 202, suggestion=(body or {}).get("data") or {})


def main(make_module=None):
    AcceptRunner(make_module=make_module).run()


if __name__ == "__main__":
    main()
