# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

from ansible.module_utils import basic

from ansible_collections.telnyx.account_access.plugins.module_utils._runner import masked_module
from ansible_collections.telnyx.account_access.plugins.module_utils._set_runner import SET_OPTIONS
from ansible_collections.telnyx.account_access.plugins.module_utils._set_runner import secrets_in_items
from ansible_collections.telnyx.account_access.tests.unit.module_args import patch_module_args

SECRET = "hunter2-token-value"


def test_item_secrets_are_masked_in_the_invocation_log(monkeypatch):
    logged = []
    monkeypatch.setattr(basic.AnsibleModule, "log", lambda self, msg, log_args=None: logged.append(msg))
    args = {"type": "integration_secret", "api_key": "k", "api_url": "https://api.example.test/v2",
            "items": [{"identifier": "crm", "type": "bearer", "token": SECRET}]}
    options = dict(type=dict(type="str"), items=dict(type="list", elements="dict"), **SET_OPTIONS)
    with patch_module_args(args):
        module = masked_module(options, secrets_in=secrets_in_items)
    assert logged and "crm" in logged[0]
    assert SECRET not in " ".join(logged)
    assert SECRET in module.no_log_values


def test_only_secret_fields_are_collected():
    params = {"type": "integration_secret", "items": [{"identifier": "crm", "token": "t1"}, {"password": "p1"}, "junk"]}
    assert secrets_in_items(params) == ["t1", "p1"]
    assert secrets_in_items({"type": "billing_group", "items": [{"name": "ops"}]}) == []
