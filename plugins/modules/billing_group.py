#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: billing_group
short_description: Create, rename and delete Telnyx billing groups
version_added: 0.1.0
description:
  - Ensures a Telnyx billing group is present or absent.
  - A group is found by O(name), or by O(id) when given; one of the two is required. O(id) renames a group, or picks one
    among several groups of the same name; when more than one group has O(name) and no O(id) is
    given, the module fails and lists their ids.
  - To converge many billing groups in one task, use M(telnyx.account_access.resource_set).
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.object_module
options:
  name:
    description:
      - The billing group's name. It must not be empty.
      - With O(id), the name the group should have (a rename).
    type: str
  id:
    description:
      - The billing group's id (a UUID). The group must exist.
    type: str
  state:
    description:
      - V(present) creates the group or renames it; V(absent) deletes it if it exists.
    type: str
    default: present
    choices: [present, absent]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Ensure the ops billing group exists
  telnyx.account_access.billing_group:
    name: ops

- name: Rename a billing group
  telnyx.account_access.billing_group:
    id: 6a09cdc3-8948-47f0-aa62-74ac943d6c58
    name: operations

- name: Delete the billing group named legacy
  telnyx.account_access.billing_group:
    name: legacy
    state: absent
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
billing_group:
  description:
    - The billing group as the API describes it after the run; with O(state=absent), the group that was deleted.
    - In check mode, the predicted group (V(null) id for one that would be created).
    - Empty when the group is absent and was absent.
  returned: always
  type: dict
  contains:
    id:
      description: The group's id.
      type: str
      sample: 6a09cdc3-8948-47f0-aa62-74ac943d6c58
    name:
      description: The group's name.
      type: str
      sample: ops
    organization_id:
      description: The id of the organization that owns the group.
      type: str
      sample: f1486bae-f067-460c-ad43-73a92848f902
    record_type:
      description: Always V(billing_group).
      type: str
      sample: billing_group
    created_at:
      description: When the group was created (ISO 8601).
      type: str
      sample: "2026-11-29T10:00:00.000000Z"
    updated_at:
      description: When the group was last changed (ISO 8601).
      type: str
      sample: "2026-11-29T10:00:00.000000Z"
    deleted_at:
      description: When the group was deleted, or V(null).
      type: str
      sample: null
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import ObjectRunner


def main(make_module=None):
    ObjectRunner(RESOURCES["billing_group"], make_module=make_module).run()


if __name__ == "__main__":
    main()
