# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one validation pass: every rule once, every problem named, canonical items handed on."""

from __future__ import annotations

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils import _validation
from ansible_collections.telnyx.account_access.plugins.module_utils._registry import RESOURCES
from ansible_collections.telnyx.account_access.plugins.module_utils._validation import check_items, typed_items


@pytest.mark.parametrize("kind, item, problem", [
    ("billing_group", {"id": "a/../b"}, "id must be an object id (letters, digits, '-' or '_'), got 'a/../b'"),
    ("telephony_credential", {"id": ""}, "id must be an object id (letters, digits, '-' or '_'), got ''"),
    ("billing_group", {"name": "  "}, "name must not be empty"),
    ("integration_secret", {"identifier": " "}, "identifier must not be empty"),
    ("access_ip_address", {"ip_address": ""}, "ip_address must not be empty"),
    ("authentication_provider", {"short_name": ""}, "short_name must not be empty"),
    ("address", {"customer_reference": "hq", "street_address": " ", "locality": ""},
     "street_address, locality must not be empty"),
    ("address", {"id": "1", "country_code": "USA"}, "country_code must be two letters"),
    ("billing_group", {"name": "ops", "colour": "red"}, "unknown key colour"),
    ("telephony_credential", {"name": "fleet", "return_sip_password": True},
     "return_sip_password applies to the telephony_credential module only"),
])
def test_each_rule_refuses_in_one_sentence_naming_the_item(kind, item, problem):
    items, problems = check_items(RESOURCES[kind], [item])
    assert items == [] and len(problems) == 1
    assert problems[0].startswith("items[0]: " + problem)


def test_every_item_is_named_and_repeats_are_found_once_each_item_passes():
    dummy, problems = check_items(RESOURCES["billing_group"], [{"name": "a"}, {"name": " "}, {"id": "x y"}])
    assert problems == ["items[1]: name must not be empty",
                        "items[2]: id must be an object id (letters, digits, '-' or '_'), got 'x y'"]
    twice = [{"ip_address": "2001:DB8::1"}, {"ip_address": "2001:db8:0::1"}]
    dummy, problems = check_items(RESOURCES["access_ip_address"], twice)
    assert problems == ["access IP address ip_address='2001:db8::1' is listed more than once"]


def test_items_that_pass_come_back_canonical_for_the_engine():
    items, problems = check_items(RESOURCES["access_ip_range"], [{"cidr_block": " 2001:DB8::/32 "}])
    assert not problems and items[0]["cidr_block"] == "2001:db8::/32"
    items, problems = check_items(RESOURCES["address"], [{"id": "1", "country_code": " us "}])
    assert not problems and items[0]["country_code"] == "US"


@pytest.mark.parametrize("item", ["tok-5f0c2b7e9a41", 20240101, ["tok-5f0c2b7e9a41"]])
def test_an_item_that_is_not_a_mapping_is_named_by_its_type_never_quoted(item):
    # What stands where a mapping belongs may be a secret that no option name marks for masking.
    dummy, problems = check_items(RESOURCES["integration_secret"], [item])
    assert problems == ["items[0]: must be a mapping of integration secret options, got a %s" % type(item).__name__]
    assert "5f0c2b7e" not in problems[0] and "20240101" not in problems[0]


def test_object_only_options_are_the_modules_alone_and_named_by_their_list():
    credential = RESOURCES["telephony_credential"]
    assert credential.object_only == ("return_sip_password",)
    assert "return_sip_password" in credential.options and "return_sip_password" not in credential.item_options
    for resource in RESOURCES.values():
        assert set(resource.object_only) <= set(resource.options), resource.name
    dummy, problems = check_items(credential, [{"name": "a"}, {"name": "b", "return_sip_password": False}],
                                  label="telephony_credentials")
    assert problems == ["telephony_credentials[1]: return_sip_password applies to the telephony_credential module only"]
    # The module's own item (typed by its AnsibleModule) keeps it.
    items, problems = check_items(credential, [{"name": "a", "return_sip_password": True}], typed=True)
    assert not problems and items[0]["return_sip_password"] is True


def _good(option):
    """A value the option takes."""
    if option.get("choices"):
        return option["choices"][-1]
    return {"bool": True, "int": 3, "list": ["a"], "dict": {}}.get(option.get("type"), "v1")


def _raw_items(resource):
    """Items of every option: each alone beside the key, and wrong in each way validation knows."""
    options = resource.item_options
    key = resource.key or "id"
    good, bad = [{key: "k%d" % n, name: _good(option)} for n, (name, option) in enumerate(sorted(options.items()))], []
    for name, option in sorted(options.items()):
        if option.get("choices"):
            bad.append({key: "c", name: "no-such-choice"})
        if option.get("type") in ("bool", "int"):
            bad.append({key: "t", name: "not-a-%s" % option["type"]})
        if option.get("type", "str") == "str":
            bad += [{key: "s", name: 7}, {key: "l", name: ["x"]}]
    bad += [{}, {key: "u", "colour": "red"}, "text", None]
    return good, bad


@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_items_typed_together_come_out_as_each_typed_alone(kind, monkeypatch):
    resource = RESOURCES[kind]
    good, bad = _raw_items(resource)
    alone = [_validation._typed(resource, raw) for raw in good + bad]
    assert all(not found for dummy, found in alone[:len(good)]), alone
    # A list of good items takes the one pass: nothing is typed alone.
    typed_alone = []
    monkeypatch.setattr(_validation, "_typed", lambda r, raw: typed_alone.append(raw) or alone[(good + bad).index(raw)])
    assert typed_items(resource, good) == alone[:len(good)] and typed_alone == []
    monkeypatch.undo()
    # Any problem sends every item through on its own: same words, each at its index.
    for index, raw in enumerate(bad):
        mixed = good[:2] + [raw] + good[2:]
        assert typed_items(resource, mixed) == alone[:2] + [alone[len(good) + index]] + alone[2:len(good)], raw


@pytest.mark.parametrize("kind", sorted(RESOURCES))
def test_item_options_declare_nothing_a_list_validates_otherwise(kind):
    # typed_items validates a list's items as one list option's elements: Ansible warns of an alias given twice,
    # applies fallbacks and lists deprecations there differently from one item alone.
    for name, option in RESOURCES[kind].item_options.items():
        assert not set(option) & {"aliases", "deprecated_aliases", "fallback", "removed_in_version", "removed_at_date"}, \
            "%s.%s: check typed_items in _validation.py before declaring this" % (kind, name)
