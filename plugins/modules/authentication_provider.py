#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: authentication_provider
short_description: Manage Telnyx SSO (SAML) authentication providers
version_added: 0.1.0
description:
  - Ensures a SAML single sign-on provider is present, with the given settings, or absent.
  - A provider is found by O(short_name), or by O(id), which also lets you change the short name; one of the two
    is required.
  - Only the settings you give are compared. Certificate fingerprints compare after normalising case and
    separators (C(13:38:C7) equals C(1338c7)); URLs compare without a trailing slash. A change to any setting
    sends the required settings with it, keeping the current values of those you did not give.
  - Settings Telnyx derives (service provider URLs, the IdP certificate) are returned, never compared.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
  - telnyx.account_access.telnyx.object_module
options:
  short_name:
    description:
      - The provider's short name, unique and URL-friendly (letters, digits, C(-), C(_)); it becomes part of
        the login URL. Checked before any request.
    type: str
  id:
    description:
      - The provider's id. With O(short_name), a rename.
    type: str
  name:
    description:
      - The provider's display name. Required to create a provider.
    type: str
  active:
    description:
      - Whether the provider can be used to sign in. The API's default is V(true).
    type: bool
  settings:
    description:
      - The identity provider's SAML settings. Required to create a provider, with its three required entries.
    type: dict
    suboptions:
      idp_entity_id:
        description: The identity provider's entity id (an http(s) URL).
        type: str
      idp_sso_target_url:
        description: The identity provider's single sign-on URL (an http(s) URL).
        type: str
      idp_cert_fingerprint:
        description: The fingerprint of the identity provider's certificate, with or without separators.
        type: str
      idp_cert_fingerprint_algorithm:
        description: The fingerprint's algorithm; the API's default is V(sha1).
        type: str
        choices: [sha1, sha256, sha384, sha512]
  settings_url:
    description:
      - The identity provider's metadata URL. When O(settings) is given, the API uses O(settings) instead.
      - Write-only. The API accepts it on create and update but returns it in no response, so it can never be
        compared with what exists. It is sent when the provider is created; on later runs only with
        O(update_settings_url=always). It is never part of the returned object or the diff.
    type: str
  update_settings_url:
    description:
      - When to send O(settings_url). V(on_create) sends it only when the provider is created; V(always) sends
        it on every run (an update, so the task reports C(changed) every time).
    type: str
    choices: [on_create, always]
    default: on_create
  state:
    description:
      - V(present) creates or updates the provider; V(absent) deletes it if it exists.
    type: str
    default: present
    choices: [present, absent]
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Sign in through Okta
  telnyx.account_access.authentication_provider:
    short_name: example-okta
    name: Example Okta
    settings:
      idp_entity_id: https://example.okta.com/exk1
      idp_sso_target_url: https://example.okta.com/app/sso/saml
      idp_cert_fingerprint: "13:38:C7:BB:C9:FF:4A:72:E1:A8:5D:A8:9F:E6:95:0A:64:C8:B5:EC"
      idp_cert_fingerprint_algorithm: sha1

- name: Roll the certificate fingerprint only
  telnyx.account_access.authentication_provider:
    short_name: example-okta
    settings:
      idp_cert_fingerprint: "{{ new_fingerprint }}"
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
authentication_provider:
  description:
    - The provider after the run; with O(state=absent), the provider that was deleted; empty when there was none.
    - In check mode, the predicted provider (V(null) id for one that would be created).
  returned: always
  type: dict
  sample:
    id: 35146afd-df93-4963-b1e9-1a085e2ae874
    short_name: example-okta
    name: Example Okta
    active: true
    organization_id: 24b4a4bb-c4df-46ad-bbcb-23fc741c5ad7
    record_type: authentication_provider
    settings:
      idp_entity_id: https://example.okta.com/exk1
      idp_sso_target_url: https://example.okta.com/app/sso/saml
      idp_cert_fingerprint: "13:38:C7:BB:C9:FF:4A:72:E1:A8:5D:A8:9F:E6:95:0A:64:C8:B5:EC"
      idp_cert_fingerprint_algorithm: sha1
      service_provider_login_url: https://api.telnyx.com/sso/example-okta
"""

from ..module_utils._registry import RESOURCES
from ..module_utils._runner import ObjectRunner


def main(make_module=None):
    ObjectRunner(RESOURCES["authentication_provider"], make_module=make_module).run()


if __name__ == "__main__":
    main()
