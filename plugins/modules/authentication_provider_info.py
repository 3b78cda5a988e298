#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: authentication_provider_info
short_description: List Telnyx SSO (SAML) authentication providers
version_added: 0.1.0
description:
  - Returns every authentication provider of the account, the one with O(id), or the one with O(short_name).
  - The API has no filter for providers, so O(short_name) is matched after listing every page.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.info_module
options:
  id:
    description:
      - Return only the provider with this id; an empty list when there is none.
    type: str
  short_name:
    description:
      - Return only the provider with this short name.
    type: str
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Read every SSO provider
  telnyx.account_access.authentication_provider_info:
  register: providers
"""

RETURN = r"""
authentication_providers:
  description: The providers found.
  returned: always
  type: list
  elements: dict
  sample:
    - id: 35146afd-df93-4963-b1e9-1a085e2ae874
      short_name: example-okta
      name: Example Okta
      active: true
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import InfoRunner

OPTIONS = dict(
    id=dict(type="str"),
    short_name=dict(type="str"),
)


def main(make_module=None):
    InfoRunner(RESOURCES["authentication_provider"], OPTIONS, make_module=make_module).run()


if __name__ == "__main__":
    main()
