# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The account module and its neighbours as a user meets them: an object-only option refused in a list item, the
allowlist's emptying guard naming the option to set in each module's own words, and what compare_only returns."""

from __future__ import annotations

import json

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils import _connection
from ansible_collections.telnyx.account_access.plugins.modules import (access_ip_allowlist, account, resource_set,
                                                                       telephony_credential)
from ansible_collections.telnyx.account_access.tests.unit.module_args import patch_module_args
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.fake_api import FakeApi

CONNECTION = {"api_key": "unit-api-key-0002", "api_url": "https://api.example.test/v2"}
SIP_PASSWORD = "sip-password-4c1d9e"
REFUSED = "return_sip_password applies to the telephony_credential module only"


class RoutedApi:
    """One FakeApi per collection path, behind the client's interface."""

    def __init__(self, *apis):
        self.apis = {api.path: api for api in apis}

    def _api(self, path):
        return next(api for prefix, api in self.apis.items() if path == prefix or path.startswith(prefix + "/"))

    def paginate(self, path, params=None, expected=0):
        return self._api(path).paginate(path, params, expected)

    def request(self, method, path, **kwargs):
        return self._api(path).request(method, path, **kwargs)

    def post(self, path, json=None):
        return self._api(path).post(path, json=json)

    @property
    def calls(self):
        return [call for api in self.apis.values() for call in api.calls]

    def writes(self):
        return [call for api in self.apis.values() for call in api.writes()]


def account_api():
    """An account with one object of each type but secrets and providers, and two allowlist entries."""
    credentials = FakeApi(path="/telephony_credentials", record_type="credential")
    credentials._make({"name": "fleet", "resource_id": "connection:42", "sip_password": SIP_PASSWORD})
    addresses = FakeApi(path="/access_ip_address", envelope=False, record_type=None)
    addresses._make({"ip_address": "203.0.113.10", "status": "added"})
    ranges = FakeApi(path="/access_ip_ranges", envelope=False, record_type=None)
    ranges._make({"cidr_block": "198.51.100.0/24", "status": "added"})
    return RoutedApi(FakeApi("ops", "legacy"), FakeApi(path="/addresses", record_type="address"),
                     FakeApi(path="/authentication_providers", record_type="authentication_provider"),
                     FakeApi(path="/integration_secrets", record_type="integration_secret"),
                     credentials, addresses, ranges)


@pytest.fixture
def api(monkeypatch):
    fake = account_api()
    monkeypatch.setattr(_connection, "TelnyxClient", lambda *args, **kwargs: fake)
    return fake


def run(module, args, capsys, check_mode=False):
    """The module's result as the controller reads it."""
    with patch_module_args(dict(CONNECTION, _ansible_check_mode=check_mode, **args)):
        with pytest.raises(SystemExit):
            module.main()
    return json.loads(capsys.readouterr().out)


# -- an object-only option in a list item ----------------------------------------------------------

@pytest.mark.parametrize("module, args, message", [
    (account, dict(telephony_credentials=[{"name": "fleet"}, {"name": "desk", "return_sip_password": True}]),
     "telephony_credentials[1]: " + REFUSED),
    (account, dict(telephony_credentials=[{"name": "fleet", "return_sip_password": False}]),
     "telephony_credentials[0]: " + REFUSED),
    (resource_set, dict(type="telephony_credential", items=[{"name": "fleet", "return_sip_password": True}]),
     "items[0]: " + REFUSED),
])
def test_an_item_setting_an_object_only_option_is_refused_in_one_line_before_any_request(api, capsys, module, args,
                                                                                         message):
    result = run(module, args, capsys)
    assert result["failed"] is True and result["msg"] == message
    assert api.calls == []
    assert SIP_PASSWORD not in json.dumps(result)


def test_the_credential_module_still_takes_return_sip_password(api, capsys):
    hidden = run(telephony_credential, dict(name="fleet"), capsys)
    shown = run(telephony_credential, dict(name="fleet", return_sip_password=True), capsys)
    assert not hidden.get("failed") and "sip_password" not in hidden["telephony_credential"]
    assert not shown.get("failed") and shown["telephony_credential"]["sip_password"] == SIP_PASSWORD
    assert api.writes() == []


def test_credential_items_without_it_converge_and_never_show_the_sip_password(api, capsys):
    result = run(account, dict(telephony_credentials=[{"name": "fleet"}]), capsys)
    assert not result.get("failed")
    assert [o["name"] for o in result["telephony_credentials"]["unchanged"]] == ["fleet"]
    assert SIP_PASSWORD not in json.dumps(result)


# -- emptying the allowlist: the option to set, as each module spells it ----------------------------

@pytest.mark.parametrize("module, args, hint", [
    (account, dict(access_ip_allowlist=dict(entries=[], purge=True)), "set access_ip_allowlist.allow_empty: true"),
    (access_ip_allowlist, dict(entries=[], purge=True), "set allow_empty: true"),
])
def test_emptying_the_allowlist_names_the_option_that_allows_it(api, capsys, module, args, hint):
    result = run(module, args, capsys)
    assert result["failed"] is True
    assert result["msg"] == ("refusing to remove every access IP address and access IP range (2): %s if that is meant"
                             % hint)
    assert api.writes() == []


def test_the_account_modules_types_keep_their_own_hint(api, capsys):
    result = run(account, dict(purge=["billing_groups"]), capsys)
    assert result["msg"] == "refusing to remove every billing group (2): add billing_groups to allow_empty if that is meant"


# -- compare_only, as documented -----------------------------------------------------------------------

def test_compare_only_returns_every_type_and_the_allowlist_and_writes_nothing(api, capsys):
    result = run(account, dict(compare_only=True, billing_groups=[{"name": "ops"}, {"name": "new"}],
                               purge=[], access_ip_allowlist=dict(entries=["203.0.113.10"], protected=["198.51.100.7"])),
                 capsys)
    assert not result.get("failed") and result["changed"] is True
    assert set(result) >= {"billing_groups", "addresses", "authentication_providers", "integration_secrets",
                           "telephony_credentials", "access_ip_allowlist"}
    assert [o["name"] for o in result["billing_groups"]["created"]] == ["new"]
    assert [o["name"] for o in result["billing_groups"]["not_named"]] == ["legacy"]
    assert [o["name"] for o in result["telephony_credentials"]["not_named"]] == ["fleet"]
    # The allowlist's protected is ignored: the block that allows 198.51.100.7 would go.
    assert result["access_ip_allowlist"]["not_named"] == ["198.51.100.0/24"]
    assert api.writes() == []
