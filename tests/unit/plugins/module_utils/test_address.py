# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils._resources.address import Address
from ansible_collections.telnyx.account_access.plugins.module_utils._api_error import TelnyxError
from ansible_collections.telnyx.account_access.plugins.module_utils._engine import Engine
from ansible_collections.telnyx.account_access.plugins.module_utils._resource import PlanError
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.fake_api import FakeApi, checked

HQ = dict(first_name="Ada", last_name="Lovelace", business_name="Example", street_address="600 Congress Ave",
          locality="Austin", administrative_area="TX", postal_code="78701", country_code="US")


def hq(**changes):
    """The head office's fields, with some changed."""
    return {**HQ, **changes}


def address(**fields):
    item = {name: None for name in Address.options}
    item.update(state="present", validate_address=True, recreate=False)
    item.update(fields)
    return item


def postal_form(body):
    """What actions/validate suggests here: upper case, Avenue as AVE (a small stand-in for Telnyx's rules)."""
    suggested = {k: v.upper().replace("AVENUE", "AVE") for k, v in body.items()}
    return {"result": "valid", "suggested": suggested, "errors": [], "record_type": "address_validation"}


def api_with(*records):
    api = FakeApi(path="/addresses", record_type="address")
    api.actions["/addresses/actions/validate"] = postal_form
    for record in records:
        api._make(dict(record))
    return api


def converge(api, items, **kwargs):
    return Engine(api, Address(), parallelism=2).converge(checked(Address(), items), **kwargs)


def test_same_fields_in_other_case_and_spacing_are_the_same_address():
    api = api_with(HQ)
    sloppy = hq(street_address="  600   congress AVE ", locality="AUSTIN", country_code="us")
    dummy, actions, dummy = converge(api, [address(**sloppy)])
    assert [a.kind for a in actions] == ["none"]
    assert api.writes() == []


def test_a_different_field_without_reference_is_a_new_address():
    api = api_with(HQ)
    dummy, actions, dummy = converge(api, [address(**hq(street_address="100 Main St"))])
    assert [a.kind for a in actions] == ["create"]


def test_reference_identifies_and_lookup_uses_the_exact_filter():
    api = api_with(hq(customer_reference="hq"))
    dummy, actions, dummy = converge(api, [address(customer_reference="hq", **HQ)])
    assert [a.kind for a in actions] == ["none"]
    assert api.calls[0] == ("LIST", "/addresses", {"filter[customer_reference][eq]": "hq"})


def test_changed_fields_fail_naming_each_with_both_values():
    api = api_with(hq(customer_reference="hq"))
    moved = hq(street_address="100 Main St", postal_code="78702")
    with pytest.raises(PlanError) as caught:
        converge(api, [address(customer_reference="hq", **moved)])
    message = str(caught.value)
    assert "postal_code is '78701', wanted '78702'" in message
    assert "street_address is '600 Congress Ave', wanted '100 Main St'" in message
    assert caught.value.details["differences"]["postal_code"] == {"current": "78701", "wanted": "78702"}
    assert api.writes() == []


def test_validate_address_is_sent_but_never_compared():
    api = api_with(hq(customer_reference="hq", validate_address=False))
    dummy, actions, dummy = converge(api, [address(customer_reference="hq", **HQ)])
    assert [a.kind for a in actions] == ["none"]


def test_recreate_creates_first_then_deletes_and_keeps_both_ids():
    api = api_with(hq(customer_reference="hq"))
    old_id = list(api.objects)[0]
    dummy, actions, failed = converge(api, [address(customer_reference="hq", recreate=True,
                                                    **hq(street_address="100 Main St"))])
    assert not failed
    assert [c[0] for c in api.writes()] == ["POST", "DELETE"]
    assert actions[0].current["id"] == old_id and actions[0].result["id"] != old_id


class InUseApi(FakeApi):
    def request(self, method, path, params=None, json=None, ok_statuses=()):
        if method == "DELETE":
            self.calls.append((method, path, json))
            raise TelnyxError(method, path, 422, errors=[{"code": "10015", "title": "Address in use", "detail": "in use"}])
        return super().request(method, path, params, json, ok_statuses)


def test_recreate_keeps_the_new_address_when_the_old_one_cannot_go():
    api = InUseApi(path="/addresses", record_type="address")
    api.actions["/addresses/actions/validate"] = postal_form
    old = api._make(hq(customer_reference="hq"))
    dummy, actions, failed = converge(api, [address(customer_reference="hq", recreate=True,
                                                    **hq(street_address="100 Main St"))])
    error = failed[0].error
    assert "could not delete the old one (id %s)" % old["id"] in str(error)
    assert error.details["old_id"] == old["id"]
    assert len(api.objects) == 2 and error.details["new_id"] in api.objects


def test_refusal_with_suggestions_lists_each_field_sent_and_suggested():
    api = api_with()
    refusal = TelnyxError("POST", "/addresses", 422, errors=[
        {"code": "10015", "title": "Invalid address", "detail": "x", "pointer": "/street_address", "suggestion": "600 CONGRESS AVE"},
        {"code": "10015", "title": "Invalid address", "detail": "y", "pointer": "/locality", "suggestion": "AUSTIN"},
        {"code": "20207", "title": "Invalid street address", "detail": "The street is unknown", "pointer": "/street_address"},
    ])
    api.post_faults.append((refusal, False))
    dummy, actions, failed = converge(api, [address(customer_reference="hq", **hq(street_address="600 Congress Avenue"))])
    error = failed[0].error
    message = str(error)
    assert "street_address: sent '600 Congress Avenue', suggested '600 CONGRESS AVE'" in message
    assert "locality: sent 'Austin', suggested 'AUSTIN'" in message
    assert "street_address: The street is unknown (20207)" in message
    assert "validate_address: false" in message
    assert error.details["suggestions"] == {"street_address": "600 CONGRESS AVE", "locality": "AUSTIN"}


@pytest.mark.parametrize("fields, says", [
    (hq(country_code="USA"), "country_code must be two letters"),
    (hq(street_address="  "), "street_address must not be empty"),
    ({"street_address": "1 Main St"}, "first_name, last_name, business_name, locality, country_code required to create"),
])
def test_bad_addresses_fail_before_any_request(fields, says):
    api = api_with()
    with pytest.raises(PlanError, match=says):
        converge(api, [address(**fields)])
    assert api.calls == []


def test_more_than_one_match_asks_for_id_or_reference():
    api = api_with(HQ, HQ)
    with pytest.raises(PlanError, match="give id to pick one"):
        converge(api, [address(**HQ)])


# -- the validated form: what Telnyx stores after accepting its suggestions ----------------------------

ACCEPTED = hq(street_address="600 CONGRESS AVE", locality="AUSTIN", administrative_area="TX")
ASKED = hq(street_address="600 Congress Avenue")


def test_a_record_in_the_validated_form_with_a_reference_is_the_address():
    api = api_with(dict(ACCEPTED, customer_reference="hq"))
    dummy, actions, failed = converge(api, [address(customer_reference="hq", **ASKED)])
    assert [a.kind for a in actions] == ["none"] and not failed
    assert api.writes() == []
    assert [c[1] for c in api.calls if c[0] == "POST"] == ["/addresses/actions/validate"]


def test_a_record_in_the_validated_form_without_a_reference_is_not_created_again():
    api = api_with(ACCEPTED)
    dummy, actions, failed = converge(api, [address(**ASKED)])
    assert [a.kind for a in actions] == ["none"] and not failed
    assert api.writes() == [] and len(api.objects) == 1


def test_a_record_that_matches_as_written_needs_no_validation():
    api = api_with(dict(ASKED, customer_reference="hq"))
    converge(api, [address(customer_reference="hq", **ASKED)])
    assert not [c for c in api.calls if c[0] == "POST"]


def test_an_empty_account_needs_no_validation():
    api = api_with()
    dummy, actions, dummy = converge(api, [address(**ASKED)])
    assert [c[1] for c in api.calls if c[0] == "POST"] == ["/addresses"]


def test_a_real_difference_still_fails_after_validation():
    api = api_with(dict(ACCEPTED, customer_reference="hq"))
    with pytest.raises(PlanError) as caught:
        converge(api, [address(customer_reference="hq", **hq(street_address="100 Main Street"))])
    assert "cannot be changed once created" in str(caught.value)


def test_when_telnyx_cannot_validate_the_address_is_compared_as_written():
    api = api_with(dict(ACCEPTED, customer_reference="hq"))

    def refuse(body):
        raise TelnyxError("POST", "/addresses/actions/validate", 422, errors=[{"code": "10015", "detail": "no"}])
    api.actions["/addresses/actions/validate"] = refuse
    with pytest.raises(PlanError) as caught:
        converge(api, [address(customer_reference="hq", **ASKED)])
    assert "cannot be changed once created" in str(caught.value)
