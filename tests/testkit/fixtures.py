"""Test data shared by the suites: one valid address, one SAML settings block, the sandbox's key."""

from __future__ import annotations

API_KEY = "sandbox-key"
# A connection id the sandbox accepts for telephony credentials.
CONNECTION_ID = "1684641123236054244"
# A US address the sandbox accepts as it is (no suggestions); add customer_reference per object.
ADDRESS = dict(first_name="Ada", last_name="Lovelace", business_name="Example Corp", street_address="600 Congress Ave",
               locality="Austin", administrative_area="TX", postal_code="78701", country_code="US")
SAML_SETTINGS = dict(idp_entity_id="https://idp.example/1", idp_sso_target_url="https://idp.example/sso",
                     idp_cert_fingerprint="13:38:C7:BB")


def address(customer_reference, **changes):
    """ADDRESS with a customer_reference and any changes."""
    return dict(ADDRESS, customer_reference=customer_reference, **changes)
