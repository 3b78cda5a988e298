# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils._catalog import AccessIpAddress, canonical_ip
from ansible_collections.telnyx.account_access.plugins.module_utils._client import TelnyxError
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import Engine, PlanError
from ansible_collections.telnyx.account_access.plugins.modules.access_ip_allowlist import entry_to_item
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.fake_api import FakeApi


def allowlist(*addresses, status="added"):
    api = FakeApi(path="/access_ip_address", envelope=False, record_type=None, defaults={"status": "pending"})
    for address in addresses:
        api._make({"ip_address": address, "status": status})
    return api


def entry(address, state="present", description=None, recreate=False):
    return {"ip_address": address, "description": description, "state": state, "recreate": recreate}


def converge(api, items, check_mode=False, **kwargs):
    engine = Engine(api, AccessIpAddress(), check_mode=check_mode, parallelism=4)
    engine.clock = FakeClock()
    engine.sleep = engine.clock.advance
    return engine.converge(items, **kwargs)


class FakeClock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds


# -- addresses -------------------------------------------------------------------------

@pytest.mark.parametrize("given, canonical", [
    ("203.0.113.10", "203.0.113.10"),
    (" 203.0.113.10 ", "203.0.113.10"),
    ("2001:DB8::1", "2001:db8::1"),
    ("2001:db8:0:0::1", "2001:db8::1"),
    ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
    ("::ffff:192.0.2.1", "::ffff:192.0.2.1"),
    ("::FFFF:C000:0201", "::ffff:192.0.2.1"),
])
def test_addresses_have_one_canonical_spelling(given, canonical):
    assert canonical_ip(given) == canonical


@pytest.mark.parametrize("given, says", [
    ("10.0.0.0/8", "is a CIDR block"),
    ("2001:db8::/32", "is a CIDR block"),
    ("api.telnyx.com", "is not an IP address"),
    ("010.1.1.1", "is not an IP address"),
    ("fe80::1%eth0", "is not an IP address"),
    ("", "is not an IP address"),
    ("256.1.1.1", "is not an IP address"),
])
def test_anything_but_one_address_is_refused_saying_what_is_accepted(given, says):
    with pytest.raises(ValueError) as caught:
        canonical_ip(given)
    assert says in str(caught.value)
    assert "give one IPv4 address such as 203.0.113.10 (no leading zeros) or one IPv6 address" in str(caught.value)


def test_bad_address_fails_before_any_request():
    api = allowlist()
    with pytest.raises(PlanError, match="items\\[1\\]: ip_address '10.0.0.0/24' is a CIDR block"):
        converge(api, [entry("192.0.2.1"), entry("10.0.0.0/24")])
    assert api.calls == []


def test_two_spellings_of_one_address_are_one_entry():
    api = allowlist("2001:db8::1")
    dummy, actions, dummy = converge(api, [entry("2001:DB8:0:0::1")])
    assert [a.kind for a in actions] == ["none"]
    with pytest.raises(PlanError, match="listed more than once"):
        converge(api, [entry("2001:DB8::1"), entry("2001:db8:0::1")])


def test_lookup_uses_the_server_filter_with_both_spellings():
    api = allowlist("2001:DB8::1")  # made elsewhere, in another spelling
    dummy, actions, dummy = converge(api, [entry("2001:DB8::1")])
    assert [c for c in api.calls if c[0] == "LIST"] == [
        ("LIST", "/access_ip_address", {"filter[ip_address]": "2001:db8::1"}),
        ("LIST", "/access_ip_address", {"filter[ip_address]": "2001:DB8::1"}),
    ]
    assert [a.kind for a in actions] == ["none"]


def test_create_sends_the_canonical_spelling():
    api = allowlist()
    converge(api, [entry("2001:0DB8::0001", description="office")])
    assert [c[2] for c in api.writes()] == [{"ip_address": "2001:db8::1", "description": "office"}]


def test_description_cannot_change_without_recreate():
    api = allowlist()
    api._make({"ip_address": "192.0.2.1", "description": "old", "status": "added"})
    with pytest.raises(PlanError, match="cannot be changed once created: description is .old., wanted .new."):
        converge(api, [entry("192.0.2.1", description="new")])
    dummy, actions, dummy = converge(api, [entry("192.0.2.1", description="new", recreate=True)])
    assert [c[0] for c in api.writes()] == ["DELETE", "POST"]
    assert [o["description"] for o in api.objects.values()] == ["new"]


# -- the allowlist's guards -------------------------------------------------------------------

def test_purge_to_empty_is_refused_before_any_write():
    api = allowlist("192.0.2.1", "192.0.2.2")
    with pytest.raises(PlanError, match="refusing to remove every access IP address \\(2\\)"):
        converge(api, [], purge=True, allow_empty=False)
    assert api.writes() == []


def test_purge_of_a_protected_address_is_refused_in_any_spelling():
    api = allowlist("192.0.2.1", "2001:db8::1")
    with pytest.raises(PlanError, match="refusing to remove protected access IP address ip_address='2001:db8::1'"):
        converge(api, [entry("192.0.2.1")], purge=True, protected=["2001:db8::1"], allow_empty=False)
    assert api.writes() == []


def test_recreating_a_protected_address_is_refused():
    api = allowlist()
    api._make({"ip_address": "192.0.2.1", "description": "old", "status": "added"})
    with pytest.raises(PlanError, match="refusing to remove protected"):
        converge(api, [entry("192.0.2.1", description="new", recreate=True)], protected=["192.0.2.1"])
    assert api.writes() == []


def test_additions_come_before_removals():
    api = allowlist("192.0.2.1")
    converge(api, [entry("192.0.2.2")], purge=True, allow_empty=False)
    assert [c[0] for c in api.writes()] == ["POST", "DELETE"]


def test_no_removal_after_a_failed_addition():
    api = allowlist("192.0.2.1")
    api.post_faults.append((TelnyxError("POST", "/access_ip_address", 422), False))
    dummy, actions, failed = converge(api, [entry("192.0.2.2")], purge=True, allow_empty=False)
    assert [c[0] for c in api.writes()] == ["POST"]
    assert {a.kind for a in failed} == {"create", "delete"}
    assert "not removed, because a write before it failed" in str([a.error for a in failed if a.kind == "delete"][0])


# -- waiting for "added" -----------------------------------------------------------------------

class SettlingApi(FakeApi):
    """New entries read as pending for the first few reads, then added."""

    def __init__(self, reads_until_added):
        super().__init__(path="/access_ip_address", envelope=False, record_type=None, defaults={"status": "pending"})
        self.reads_until_added = reads_until_added

    def request(self, method, path, params=None, json=None, ok_statuses=()):
        if method == "GET":
            self.reads_until_added -= 1
            if self.reads_until_added <= 0:
                self.objects[path.rsplit("/", 1)[1]]["status"] = "added"
        return super().request(method, path, params, json, ok_statuses)


def test_wait_polls_until_added_before_removing():
    api = SettlingApi(reads_until_added=3)
    api._make({"ip_address": "192.0.2.9", "status": "added"})
    dummy, actions, failed = converge(api, [entry("192.0.2.1")], purge=True, allow_empty=False, wait_timeout=60)
    assert not failed
    assert actions[0].after["status"] == "added"
    kinds = [c[0] for c in api.calls]
    assert kinds.index("DELETE") > max(i for i, k in enumerate(kinds) if k == "GET")


def test_wait_gives_up_at_the_bound_and_removes_nothing():
    api = SettlingApi(reads_until_added=10 ** 6)
    api._make({"ip_address": "192.0.2.9", "status": "added"})
    dummy, actions, failed = converge(api, [entry("192.0.2.1")], purge=True, allow_empty=False, wait_timeout=5)
    assert [c[0] for c in api.writes()] == ["POST"]
    assert "still pending (not yet added) after waiting 5 s" in str(failed[0].error)


def test_check_mode_neither_writes_nor_waits():
    api = SettlingApi(reads_until_added=10 ** 6)
    dummy, actions, failed = converge(api, [entry("192.0.2.1")], check_mode=True, wait_timeout=5)
    assert api.writes() == [] and not failed
    assert actions[0].kind == "create"


# -- allowlist entries -------------------------------------------------------------------------------

@pytest.mark.parametrize("given, expected", [
    ("192.0.2.1", {"ip_address": "192.0.2.1"}),
    ({"ip_address": "192.0.2.1", "description": "office"}, {"ip_address": "192.0.2.1", "description": "office"}),
    ({"ip_address": "192.0.2.1", "state": "absent"}, "unknown key state (an entry takes ip_address and description)"),
    ({"description": "office"}, "a mapping needs ip_address"),
    (42, "must be an address or a mapping with ip_address, got 42"),
])
def test_allowlist_entries(given, expected):
    assert entry_to_item(given) == expected
