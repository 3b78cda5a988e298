# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils._resources.access_ip_address import AccessIpAddress
from ansible_collections.telnyx.account_access.plugins.module_utils._resources.access_ip_range import AccessIpRange
from ansible_collections.telnyx.account_access.plugins.module_utils._resources.allowlist_entry import canonical_ip, canonical_network
from ansible_collections.telnyx.account_access.plugins.module_utils._api_error import TelnyxError
from ansible_collections.telnyx.account_access.plugins.module_utils._engine import Engine
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import Action, PlanError
from ansible_collections.telnyx.account_access.plugins.module_utils._set_runner import Part, Plan, refuse_emptying
from ansible_collections.telnyx.account_access.plugins.module_utils._allowlist import (
    ADDRESSES,
    RANGES,
    entry_to_item,
    split_entries,
)
from ansible_collections.telnyx.account_access.plugins.module_utils._allowlist import protected_addresses_kept
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.fake_api import FakeApi, checked


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
    return engine.converge(checked(engine.resource, items), **kwargs)


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

@pytest.mark.parametrize("given, kind, expected", [
    ("192.0.2.1", "access_ip_address", {"ip_address": "192.0.2.1"}),
    ("10.20.0.0/16", "access_ip_range", {"cidr_block": "10.20.0.0/16"}),
    ({"ip_address": "192.0.2.1", "description": "office"}, "access_ip_address",
     {"ip_address": "192.0.2.1", "description": "office"}),
    ({"cidr_block": "10.20.0.0/16", "description": "lab"}, "access_ip_range",
     {"cidr_block": "10.20.0.0/16", "description": "lab"}),
    ({"ip_address": "192.0.2.1", "state": "absent"}, None,
     "unknown key state (known: cidr_block, description, ip_address)"),
    ({"description": "office"}, None, "a mapping needs ip_address (one address) or cidr_block (a CIDR block), not both"),
    ({"ip_address": "192.0.2.1", "cidr_block": "10.0.0.0/8"}, None,
     "a mapping needs ip_address (one address) or cidr_block (a CIDR block), not both"),
    ({"ip_adress": "192.0.2.1"}, None, "unknown key ip_adress (did you mean ip_address?)"),
    (42, None, "must be an address, a CIDR block or a mapping with ip_address or cidr_block, got 42"),
])
def test_allowlist_entries(given, kind, expected):
    resource, item = entry_to_item(given)
    assert (resource.name if resource else None, item) == (kind, expected)


def test_allowlist_entries_split_into_both_lists_with_every_problem_named():
    items, problems = split_entries(["192.0.2.1", "10.0.0.0/8", {"cidr_block": "2001:DB8::/32"}, "10.0.0.1/24", 7])
    assert [i["ip_address"] for i in items["access_ip_address"]] == ["192.0.2.1"]
    assert [i["cidr_block"] for i in items["access_ip_range"]] == ["10.0.0.0/8", "2001:db8::/32"]  # canonical: what the engine is handed
    assert problems == ["entries[3]: cidr_block '10.0.0.1/24' has host bits set: did you mean 10.0.0.0/24?",
                        "entries[4]: must be an address, a CIDR block or a mapping with ip_address or cidr_block, got 7"]


# -- ranges ----------------------------------------------------------------------------------------

def ranges(*blocks, status="added"):
    api = FakeApi(path="/access_ip_ranges", envelope=False, record_type=None, defaults={"status": "pending"})
    for block in blocks:
        api._make({"cidr_block": block, "status": status})
    return api


def block(cidr, state="present", description=None, recreate=False, object_id=None):
    return {"cidr_block": cidr, "id": object_id, "description": description, "state": state, "recreate": recreate}


@pytest.mark.parametrize("given, canonical", [
    ("10.20.0.0/16", "10.20.0.0/16"),
    (" 10.20.0.0/16 ", "10.20.0.0/16"),
    ("2001:DB8::/32", "2001:db8::/32"),
    ("2001:db8:0:0::/48", "2001:db8::/48"),
    ("203.0.113.10/32", "203.0.113.10/32"),
])
def test_blocks_have_one_canonical_spelling(given, canonical):
    assert canonical_network(given) == canonical


@pytest.mark.parametrize("given, message", [
    ("10.0.0.1/24", "has host bits set: did you mean 10.0.0.0/24?"),
    ("2001:db8::1/32", "has host bits set: did you mean 2001:db8::/32?"),
    ("10.0.0.0", "is not a CIDR block: write it as address/prefix"),
    ("10.0.0.0/33", "is not a CIDR block such as"),
    ("office/24", "is not a CIDR block such as"),
])
def test_bad_blocks_are_refused_naming_what_was_meant(given, message):
    with pytest.raises(ValueError) as caught:
        canonical_network(given)
    assert message in str(caught.value)


def test_a_range_in_another_spelling_is_found_and_left_alone():
    api = ranges("2001:db8::/32")
    dummy, actions, failed = Engine(api, AccessIpRange()).converge(checked(AccessIpRange(), [block("2001:DB8:0::/32")]))
    assert [a.kind for a in actions] == ["none"] and not failed
    assert api.writes() == []


def test_a_range_is_removed_by_id_when_two_share_a_block():
    api = ranges("10.0.0.0/8", "10.0.0.0/8")
    with pytest.raises(PlanError) as caught:
        Engine(api, AccessIpRange()).converge(checked(AccessIpRange(), [block("10.0.0.0/8", state="absent")]))
    assert "give id to pick one" in str(caught.value)
    dummy, actions, failed = Engine(api, AccessIpRange()).converge(checked(AccessIpRange(), [block(None, state="absent", object_id="id-2")]))
    assert [a.kind for a in actions] == ["delete"] and not failed
    assert list(api.objects) == ["id-1"]


def test_ranges_are_waited_for_by_listing_as_the_api_has_no_read_by_id():
    api = ranges()
    engine = Engine(api, AccessIpRange())
    engine.clock = FakeClock()
    engine.sleep = engine.clock.advance
    original = api.paginate

    def settling(path, params=None, expected=0):
        for obj in api.objects.values():
            obj["status"] = "added"
        return original(path, params, expected)
    api.paginate = settling
    dummy, actions, failed = engine.converge([block("10.0.0.0/8")], wait_timeout=5)
    assert not failed and actions[0].after["status"] == "added"
    assert not [c for c in api.calls if c[0] == "GET"]


def test_an_address_entry_is_removed_by_id():
    api = allowlist("192.0.2.1", "192.0.2.1")
    dummy, actions, failed = converge(api, [{"ip_address": None, "id": "id-1", "description": None,
                                             "state": "absent", "recreate": False}])
    assert [a.kind for a in actions] == ["delete"] and not failed
    assert list(api.objects) == ["id-2"]


# -- the allowlist's guards across both lists --------------------------------------------------------

def plans_for(addresses, ranges):
    """Plans as the set runner hands them to guards, one per list; each object is given with whether the plan
    removes it."""
    plans = []
    for resource, objects in ((ADDRESSES, addresses), (RANGES, ranges)):
        current = [dict(obj, id="%s-%d" % (resource.name, index)) for index, (obj, dummy) in enumerate(objects)]
        actions = [Action("delete" if removed else "none", current=obj) for obj, (dummy, removed) in zip(current, objects)]
        plans.append(Plan(Part(resource, []), None, current, actions))
    return plans


def test_a_protected_address_keeps_the_only_block_that_allows_it():
    plans = plans_for([({"ip_address": "203.0.113.10"}, False)], [({"cidr_block": "198.51.100.0/24"}, True)])
    assert protected_addresses_kept(["198.51.100.7"], plans) == [
        "refusing to remove access IP range 198.51.100.0/24: it allows protected address 198.51.100.7, which nothing "
        "else in the allowlist would"]


def test_a_protected_address_still_allowed_by_its_own_entry_lets_the_block_go():
    plans = plans_for([({"ip_address": "198.51.100.7"}, False)], [({"cidr_block": "198.51.100.0/24"}, True)])
    assert protected_addresses_kept(["198.51.100.7"], plans) == []


def test_emptying_both_lists_is_refused_unless_allowed():
    plans = plans_for([({"ip_address": "203.0.113.10"}, True)], [({"cidr_block": "10.0.0.0/8"}, True)])
    assert refuse_emptying(plans, allow_empty=False) == [
        "refusing to remove every access IP address and access IP range (2): set allow_empty: true if that is meant"]
    assert refuse_emptying(plans, allow_empty=True) == []
    keeps_one = plans_for([({"ip_address": "203.0.113.10"}, False)], [({"cidr_block": "10.0.0.0/8"}, True)])
    assert refuse_emptying(keeps_one, allow_empty=False) == []


def test_an_entry_deleted_while_waiting_says_so_not_still_pending():
    api = allowlist()
    engine = Engine(api, AccessIpAddress())
    engine.clock = FakeClock()
    engine.sleep = lambda seconds: (engine.clock.advance(seconds), api.objects.clear())  # someone deletes it
    dummy, actions, failed = engine.converge([entry("192.0.2.1")], wait_timeout=5)
    assert "was deleted by someone else while waiting for it to be ready" in str(failed[0].error)
    assert "still pending" not in str(failed[0].error)
