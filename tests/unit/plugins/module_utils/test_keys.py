# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""SSO providers, integration secrets and telephony credentials: comparison, validation, masking."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils._resources.authentication_provider import AuthenticationProvider, canonical_fingerprint
from ansible_collections.telnyx.account_access.plugins.module_utils._resources.integration_secret import IntegrationSecret
from ansible_collections.telnyx.account_access.plugins.module_utils._resources.telephony_credential import TelephonyCredential
from ansible_collections.telnyx.account_access.plugins.module_utils._engine import Engine
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import MASK
from ansible_collections.telnyx.account_access.plugins.modules.telephony_credential_token import token_expiry
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.fake_api import FakeApi

SETTINGS = {"idp_entity_id": "https://idp.example/e", "idp_sso_target_url": "https://idp.example/sso",
            "idp_cert_fingerprint": "13:38:C7:BB", "idp_cert_fingerprint_algorithm": "sha1",
            "idp_certificate": "-----BEGIN CERTIFICATE-----"}


def test_fingerprints_compare_without_case_or_separators():
    assert canonical_fingerprint("13:38:C7:bb") == canonical_fingerprint("1338c7BB") == canonical_fingerprint("13 38-c7 BB")


def test_only_given_settings_are_compared():
    provider = AuthenticationProvider()
    assert not provider.differs("settings", {"idp_cert_fingerprint": "1338c7bb", "idp_entity_id": None}, SETTINGS)
    assert not provider.differs("settings", {"idp_entity_id": "https://idp.example/e/"}, SETTINGS)
    assert provider.differs("settings", {"idp_cert_fingerprint": "AABB"}, SETTINGS)
    assert not provider.differs("settings", {"idp_cert_fingerprint_algorithm": "sha1"}, {})  # the API's default


def test_a_settings_change_sends_the_required_settings_and_no_server_fields():
    provider = AuthenticationProvider()
    item = {"settings": {"idp_cert_fingerprint": "AA:BB", "idp_entity_id": None}}
    body = provider.update_body(item, {"settings": SETTINGS}, ["settings"])
    assert body == {"settings": {"idp_entity_id": "https://idp.example/e", "idp_sso_target_url": "https://idp.example/sso",
                                 "idp_cert_fingerprint": "AA:BB", "idp_cert_fingerprint_algorithm": "sha1"}}


def provider_item(**fields):
    item = {"id": None, "short_name": "corp", "name": "Corp", "active": None, "settings": None,
            "settings_url": "https://idp.example/metadata", "update_settings_url": "on_create", "state": "present"}
    item.update(fields)
    return item


def providers_api():
    # As the API answers: settings_url is in no response.
    api = FakeApi(path="/authentication_providers", record_type="authentication_provider")
    api._make({"short_name": "corp", "name": "Corp", "settings": SETTINGS})
    return api


def test_settings_url_is_write_only_and_not_compared():
    api = providers_api()
    dummy, actions, failed = Engine(api, AuthenticationProvider()).converge([provider_item()])
    assert [a.kind for a in actions] == ["none"] and not failed
    assert api.writes() == []


def test_update_settings_url_always_sends_it_again_and_never_shows_it():
    api = providers_api()
    dummy, actions, failed = Engine(api, AuthenticationProvider()).converge([provider_item(update_settings_url="always")])
    assert [a.kind for a in actions] == ["update"] and not failed
    assert api.writes() == [("PATCH", "/authentication_providers/id-1", {"settings_url": "https://idp.example/metadata"})]
    assert "settings_url" not in actions[0].predicted


def test_settings_url_is_sent_on_create_but_not_returned_as_the_object_s():
    api = FakeApi(path="/authentication_providers", record_type="authentication_provider")
    dummy, actions, failed = Engine(api, AuthenticationProvider()).converge(
        [provider_item(settings={"idp_entity_id": "https://idp.example/e", "idp_sso_target_url": "https://idp.example/s",
                                 "idp_cert_fingerprint": "AA", "idp_cert_fingerprint_algorithm": None})])
    assert not failed and api.writes()[0][2]["settings_url"] == "https://idp.example/metadata"


@pytest.mark.parametrize("item, problem", [
    ({"short_name": "has space"}, "must be URL-friendly"),
    ({"short_name": "ok", "settings_url": "ftp://x"}, "settings_url must be an http(s) URL"),
    ({"short_name": "ok", "settings": {"idp_entity_id": "urn:x"}}, "idp_entity_id must be an http(s) URL"),
])
def test_provider_input_is_checked(item, problem):
    assert problem in AuthenticationProvider().validate(item)


def secret(**fields):
    item = {"identifier": "crm", "type": None, "token": None, "username": None, "password": None,
            "update_secret": "on_create", "state": "present"}
    item.update(fields)
    return item


@pytest.mark.parametrize("fields, problem", [
    ({"token": "t"}, "type is required"),
    ({"update_secret": "always"}, "type is required with update_secret: always"),
    ({"type": "bearer"}, "type bearer needs token"),
    ({"type": "basic", "username": "u"}, "type basic needs password"),
    ({"type": "bearer", "token": "t", "username": "u"}, "type bearer takes no username"),
    ({"identifier": " "}, "identifier must not be empty"),
])
def test_secret_input_is_checked(fields, problem):
    assert IntegrationSecret().problem(secret(**fields)).startswith(problem)


def test_a_secret_named_by_identifier_only_is_valid_but_cannot_be_created():
    assert IntegrationSecret().problem(secret()) is None
    assert IntegrationSecret().creatable(secret()).startswith("type and its values are required to create it")


def secrets_api():
    api = FakeApi(path="/integration_secrets", record_type="integration_secret")
    api._make({"identifier": "crm"})
    return api


def test_secret_values_are_never_compared():
    dummy, actions, dummy = Engine(secrets_api(), IntegrationSecret()).converge([secret(type="bearer", token="new")])
    assert [a.kind for a in actions] == ["none"]


def test_update_secret_always_replaces_and_masks_the_value():
    api = secrets_api()
    dummy, actions, failed = Engine(api, IntegrationSecret()).converge(
        [secret(type="bearer", token="hunter2", update_secret="always")])
    assert not failed and [a.kind for a in actions] == ["recreate"]
    assert [c[0] for c in api.writes()] == ["DELETE", "POST"]
    assert IntegrationSecret().masked(actions[0].predicted)["token"] == MASK
    assert "hunter2" not in json.dumps(IntegrationSecret().public(actions[0].result))


def test_credential_tag_and_connection_are_read_back():
    api = FakeApi(path="/telephony_credentials", record_type="credential")
    api._make({"name": "soft", "resource_id": "connection:42", "tag": "phones", "sip_password": "s3cret"})
    item = {"name": "soft", "connection_id": "42", "tag": "phones", "expires_at": None, "id": None,
            "return_sip_password": False, "state": "present"}
    dummy, actions, dummy = Engine(api, TelephonyCredential()).converge([item])
    assert [a.kind for a in actions] == ["none"]
    assert ("LIST", "/telephony_credentials", {"filter[tag]": "phones"}) in api.calls
    assert TelephonyCredential().public(actions[0].current).get("sip_password") is None


def test_expiry_times_compare_as_instants():
    credential = TelephonyCredential()
    assert credential.normalize("expires_at", "2027-01-01T02:00:00+02:00") == credential.normalize("expires_at", "2027-01-01T00:00:00Z")
    assert "expires_at must be an ISO 8601 time" in credential.validate({"name": "x", "expires_at": "soon"})


def test_token_expiry_comes_from_the_exp_claim():
    claims = base64.urlsafe_b64encode(json.dumps({"exp": 1800000000}).encode()).decode().rstrip("=")
    assert token_expiry("e30.%s.sig" % claims) == "2027-01-15T08:00:00+00:00"
    assert token_expiry("not-a-jwt") is None


def test_an_export_writes_only_what_converges_to_nothing():
    provider = {"id": "p1", "short_name": "okta", "name": "Okta", "active": True, "organization_id": "o",
                "settings": {"idp_entity_id": "https://e", "idp_sso_target_url": "https://s", "idp_cert_fingerprint": "AA",
                             "idp_cert_fingerprint_algorithm": "sha1", "service_provider_login_url": "https://t"}}
    assert AuthenticationProvider().exported(provider) == {
        "short_name": "okta", "name": "Okta", "active": True,
        "settings": {"idp_cert_fingerprint": "AA", "idp_cert_fingerprint_algorithm": "sha1", "idp_entity_id": "https://e",
                     "idp_sso_target_url": "https://s"}}
    assert IntegrationSecret().exported({"id": "s", "identifier": "crm", "record_type": "integration_secret"}) == {
        "identifier": "crm", "update_secret": "on_create"}
