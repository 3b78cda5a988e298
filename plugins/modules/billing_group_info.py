#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: billing_group_info
short_description: List Telnyx billing groups
version_added: 0.1.0
description:
  - Returns every billing group of the account, the one with O(id), or those named O(name).
  - The API has no filter for billing groups, so O(name) is matched after listing every page.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.info_module
options:
  id:
    description:
      - Return only the group with this id; an empty list when there is none.
    type: str
  name:
    description:
      - Return only the groups with exactly this name.
    type: str
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: List every billing group
  telnyx.account_access.billing_group_info:
  register: groups

- name: Find the groups named ops
  telnyx.account_access.billing_group_info:
    name: ops
  register: ops_groups
"""

RETURN = r"""
billing_groups:
  description: The billing groups found, oldest first as the API lists them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 6a09cdc3-8948-47f0-aa62-74ac943d6c58
      name: ops
      organization_id: f1486bae-f067-460c-ad43-73a92848f902
      record_type: billing_group
      created_at: "2026-11-29T10:00:00.000000Z"
      updated_at: "2026-11-29T10:00:00.000000Z"
      deleted_at: null
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import InfoRunner

OPTIONS = dict(
    id=dict(type="str"),
    name=dict(type="str"),
)


def main(make_module=None):
    InfoRunner(RESOURCES["billing_group"], OPTIONS, make_module=make_module).run()


if __name__ == "__main__":
    main()
