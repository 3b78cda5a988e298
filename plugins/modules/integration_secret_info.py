#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: integration_secret_info
short_description: List Telnyx integration secrets
version_added: 0.1.0
description:
  - Returns the account's integration secrets, without their values (the API never returns them).
  - O(type) is filtered by the API; O(identifier) is matched after listing.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.info_module
options:
  identifier:
    description:
      - Return only the secret with this identifier.
    type: str
  type:
    description:
      - Return only secrets of this type.
    type: str
    choices: [bearer, basic]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Read the bearer secrets
  telnyx.account_access.integration_secret_info:
    type: bearer
  register: bearer_secrets
"""

RETURN = r"""
integration_secrets:
  description: The secrets found, without values.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 542c8d3c-2a36-4b0c-9d9b-8b6e1f0d6a2e
      identifier: crm_token
      record_type: integration_secret
      created_at: "2026-11-29T10:00:00.000Z"
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import InfoRunner

OPTIONS = dict(
    identifier=dict(type="str"),
    type=dict(type="str", choices=["bearer", "basic"]),
)


def main(make_module=None):
    InfoRunner(RESOURCES["integration_secret"], OPTIONS, make_module=make_module).run()


if __name__ == "__main__":
    main()
