#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: telephony_credential_token
short_description: Mint an access token (JWT) for a Telnyx telephony credential
version_added: 0.1.0
description:
  - Mints a new WebRTC access token for a telephony credential given by O(id) or O(name) (exactly one of them).
  - Every run mints a new token, so the module always reports a change. Check mode looks the credential up
    and mints nothing.
  - A token is valid for 24 hours, or until the credential expires if that is sooner.
  - The token is a secret. Where ansible-core offers C(ansible.module_utils.secrets.register_secret)
    (2.22 and newer), the module registers it so Ansible masks it; with older versions, set C(no_log) on the
    task, as the examples do.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
options:
  id:
    description:
      - The credential's id.
    type: str
  name:
    description:
      - The credential's name, looked up with the API's C(filter[name]); more than one match fails and asks for O(id).
    type: str
attributes:
  check_mode:
    support: full
    description: Looks the credential up, predicts a change and mints nothing.
  diff_mode:
    support: none
    description: A token is not a state to diff.
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Mint a token for the softphone credential
  telnyx.account_access.telephony_credential_token:
    name: softphone-fleet
  no_log: true
  register: minted

- name: Hand it to the web client's configuration
  ansible.builtin.copy:
    content: "{{ minted.token }}"
    dest: /etc/webclient/telnyx.jwt
    mode: "0600"
  no_log: true
"""

RETURN = r"""
token:
  description: The JWT. V(null) in check mode.
  returned: always
  type: str
  sample: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.signature
expires_at:
  description: When the token expires (its C(exp) claim), ISO 8601 in UTC. V(null) in check mode.
  returned: always
  type: str
  sample: "2026-11-30T10:00:00+00:00"
credential_id:
  description: The id of the credential the token is for.
  returned: always
  type: str
  sample: c215ade3-0d39-418e-94be-c5f780760199
"""

import base64
import json
from datetime import datetime, timezone

from ansible_collections.telnyx.account_access.plugins.module_utils._catalog import RESOURCES
from ansible_collections.telnyx.account_access.plugins.module_utils._client import TelnyxError
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import (
    Engine,
    PlanError,
    connected_module,
    fail,
)

try:  # ansible-core 2.22+: Ansible masks a registered value wherever it would print it
    from ansible.module_utils.secrets import register_secret
except ImportError:
    register_secret = None


def token_expiry(token):
    """The JWT's exp claim as ISO 8601 UTC, or None when the token does not carry one."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.fromtimestamp(int(claims["exp"]), tz=timezone.utc).isoformat()
    except (IndexError, KeyError, TypeError, ValueError):
        return None


def main():
    module, client = connected_module(dict(id=dict(type="str"), name=dict(type="str")),
                                      required_one_of=[("id", "name")], mutually_exclusive=[("id", "name")])
    try:
        # With an id, a real run skips the look-up: the token request itself says 404.
        if module.check_mode or not module.params["id"]:
            engine = Engine(client, RESOURCES["telephony_credential"])
            credential_id = engine.find(dict(id=module.params["id"], name=module.params["name"]))["id"]
        else:
            credential_id = module.params["id"]
        if module.check_mode:
            module.exit_json(changed=True, token=None, expires_at=None, credential_id=credential_id)
        token = client.post("/telephony_credentials/%s/token" % credential_id, accept="text/plain").strip()
    except (TelnyxError, PlanError) as exc:
        fail(module, exc)
    if register_secret is not None:
        register_secret(token)
    module.exit_json(changed=True, token=token, expires_at=token_expiry(token), credential_id=credential_id)


if __name__ == "__main__":
    main()
