#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: integration_secret
short_description: Manage Telnyx integration secrets
version_added: 0.1.0
description:
  - Ensures a secret that Telnyx uses to call another service is present or absent, found by O(identifier).
  - The API never returns a secret's value and cannot update it, so values are never compared. With
    O(update_secret=on_create) an existing identifier is left alone; with O(update_secret=always) the secret
    is replaced on every run (deleted, then created again with the same identifier).
  - If the create fails after the delete, it is retried; if it still fails, the module fails naming the
    identifier, so a missing secret never passes quietly.
  - Values are never returned, never shown in a diff, and masked in every output.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
options:
  identifier:
    description:
      - The secret's unique identifier.
    type: str
    required: true
  type:
    description:
      - V(bearer) needs O(token); V(basic) needs O(username) and O(password). Checked before any request.
      - Required to create the secret, with a value, and with O(update_secret=always). The API does not return it,
        so it is not compared.
      - Without it and without a value, the item names a secret that exists and leaves it as it is (what an
        export of the account writes); a plan that would have to create it is refused before any write.
    type: str
    choices: [bearer, basic]
  token:
    description:
      - The bearer token.
    type: str
  username:
    description:
      - The basic-auth user name.
    type: str
  password:
    description:
      - The basic-auth password.
    type: str
  update_secret:
    description:
      - V(on_create) sets the value only when the secret is created. V(always) replaces it on every run.
    type: str
    choices: [on_create, always]
    default: on_create
  state:
    description:
      - V(present) creates (or with O(update_secret=always) replaces) the secret; V(absent) deletes it.
    type: str
    default: present
    choices: [present, absent]
attributes:
  check_mode:
    support: full
    description:
      - Exact for O(update_secret=on_create). With O(update_secret=always), an existing secret is predicted
        to change, as it would be replaced.
  diff_mode:
    support: full
    description: Returns the secret before and after, every value masked.
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Store the CRM's API token for Telnyx to use
  telnyx.account_access.integration_secret:
    identifier: crm_token
    type: bearer
    token: "{{ vault_crm_token }}"

- name: Rotate it (replaces the value on every run)
  telnyx.account_access.integration_secret:
    identifier: crm_token
    type: bearer
    token: "{{ vault_new_crm_token }}"
    update_secret: always
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
integration_secret:
  description:
    - The secret after the run, without any value; with O(state=absent), the secret that was deleted.
    - In check mode, the predicted secret (V(null) id for one that would be created).
  returned: always
  type: dict
  sample:
    id: 542c8d3c-2a36-4b0c-9d9b-8b6e1f0d6a2e
    identifier: crm_token
    record_type: integration_secret
    created_at: "2026-11-29T10:00:00.000Z"
    updated_at: "2026-11-29T10:00:00.000Z"
replaced:
  description: The secret that O(update_secret=always) deleted before creating it again.
  returned: when a secret was replaced
  type: dict
  sample: {id: 3f1d0c9e-1b2a-4c5d-8e7f-9a0b1c2d3e4f, identifier: crm_token}
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import ObjectRunner


def main(make_module=None):
    ObjectRunner(RESOURCES["integration_secret"], make_module=make_module).run()


if __name__ == "__main__":
    main()
