"""The bad-input table: every module refuses wrong input in one clear line, before any request.

Every case runs on both paths a module may take: as a module process, and as the action plugin runs it for a
task on a local connection, in-process. For each module in plugins/modules/ at least five bad inputs (wrong
types, values outside the choices, malformed IP addresses, bad country codes, bad URLs, missing or conflicting
options, unknown options, empty names, bad items, parallelism out of range...). Each case must fail with a one-line message of
at most MAX_MESSAGE characters and no traceback, and the sandbox's request log must show that the
module sent no request at all. Prints a table and a summary line; exits 1 when any case falls short.

Run it from the repository root. The modules are imported from $TELNYX_COLLECTIONS_ROOT (default
build/collections, which scripts/lib.sh syncs); to sync the working copy there on its own:

    PYTHONPATH=tests .venv/bin/python -m testkit tree build/collections
    .venv/bin/python tests/evidence/bad_input.py
"""

from __future__ import annotations

import os
import sys
import time

from harness import PATHS, ROOT, SAML_SETTINGS, Sandbox, address, run_module, table

MAX_MESSAGE = 300
MIN_CASES = 5
# Modules whose input is a role's variables, not task arguments: they run only inside a role, and their bad
# input is tried by the role targets (role_account_bootstrap, role_secret_rotation/inputs.yml) and unit tests.
ROLE_ONLY = {"role_inputs": "tests/unit/plugins/plugin_utils/test_role_inputs.py and the role targets"}
SHOWN = 90

IP = "203.0.113.10"
TOKEN = "tok-5f0c2b7e9a41"  # long enough that no_log masking leaves the messages readable
ADDRESS = address("hq")
PROVIDER = dict(short_name="corp-idp", name="Corp IdP")
SETTINGS = SAML_SETTINGS
VALIDATE = dict(country_code="US", street_address="600 Congress Avenue", postal_code="78701")
NOT_LOOPBACK = "http://api.telnyx.invalid/v2"  # plain http to a remote host: the key must not travel

CASES = [
    ("access_ip_address", "CIDR block", dict(ip_address="10.0.0.0/24")),
    ("access_ip_address", "host name", dict(ip_address="api.telnyx.com")),
    ("access_ip_address", "IPv4 with leading zeros", dict(ip_address="010.0.0.1")),
    ("access_ip_address", "IPv6 with a zone id", dict(ip_address="fe80::1%eth0")),
    ("access_ip_address", "empty ip_address", dict(ip_address="")),
    ("access_ip_address", "ip_address and id missing", dict(description="awx egress")),
    ("access_ip_address", "state not a choice", dict(ip_address=IP, state="disabled")),
    ("access_ip_address", "recreate not a bool", dict(ip_address=IP, recreate="perhaps")),
    ("access_ip_address", "wait_timeout 0 with wait", dict(ip_address=IP, wait=True, wait_timeout=0)),
    ("access_ip_address", "wait_timeout not an int", dict(ip_address=IP, wait=True, wait_timeout="soon")),

    ("access_ip_range", "host bits set", dict(cidr_block="10.0.0.1/24")),
    ("access_ip_range", "a single address", dict(cidr_block=IP)),
    ("access_ip_range", "prefix too long", dict(cidr_block="10.0.0.0/33")),
    ("access_ip_range", "not an address", dict(cidr_block="office/24")),
    ("access_ip_range", "cidr_block and id missing", dict(description="office")),
    ("access_ip_range", "state not a choice", dict(cidr_block="10.0.0.0/24", state="gone")),
    ("access_ip_range", "id with a slash", dict(id="a/b", state="absent")),

    ("access_ip_range_info", "cidr_block with host bits set", dict(cidr_block="10.0.0.1/8")),
    ("access_ip_range_info", "status not a choice", dict(status="removed")),
    ("access_ip_range_info", "unknown option", dict(ip_address=IP)),
    ("access_ip_range_info", "api_url ftp://", dict(api_url="ftp://x")),
    ("access_ip_range_info", "timeout 0", dict(timeout=0)),

    ("access_ip_address_info", "ip_address a CIDR block", dict(ip_address="10.0.0.0/8")),
    ("access_ip_address_info", "ip_address out of range", dict(ip_address="999.1.1.1")),
    ("access_ip_address_info", "status not a choice", dict(status="removed")),
    ("access_ip_address_info", "unknown option", dict(colour="red")),
    ("access_ip_address_info", "api_url ftp://", dict(api_url="ftp://x")),
    ("access_ip_address_info", "api_url http:// not loopback", dict(api_url=NOT_LOOPBACK)),
    ("access_ip_address_info", "timeout 0", dict(timeout=0)),

    ("access_ip_allowlist", "entry a CIDR block with host bits set", dict(entries=["10.0.0.1/24"])),
    ("access_ip_allowlist", "range mapping without cidr_block", dict(entries=[dict(description="office")])),
    ("access_ip_allowlist", "protected CIDR with host bits set", dict(entries=[IP], protected=["10.0.0.1/8"])),
    ("access_ip_allowlist", "entry with leading zeros", dict(entries=[IP, "010.0.0.1"])),
    ("access_ip_allowlist", "entry a number", dict(entries=[5])),
    ("access_ip_allowlist", "entry with an unknown key", dict(entries=[dict(address=IP)])),
    ("access_ip_allowlist", "entry mapping without ip_address", dict(entries=[dict(description="awx")])),
    ("access_ip_allowlist", "entry description a list", dict(entries=[dict(ip_address=IP, description=["awx"])])),
    ("access_ip_allowlist", "one address twice (IPv6 spellings)", dict(entries=["2001:DB8::1", "2001:db8:0:0::1"])),
    ("access_ip_allowlist", "entries a mapping, not a list", dict(entries=dict(ip_address=IP))),
    ("access_ip_allowlist", "parallelism 0", dict(entries=[IP], parallelism=0)),
    ("access_ip_allowlist", "parallelism 17", dict(entries=[IP], parallelism=17)),
    ("access_ip_allowlist", "wait_timeout -5 with wait", dict(entries=[IP], wait=True, wait_timeout=-5)),

    ("address", "country_code of three letters", dict(ADDRESS, country_code="USA")),
    ("address", "country_code with a digit", dict(ADDRESS, country_code="U1")),
    ("address", "empty first_name", dict(ADDRESS, first_name="")),
    ("address", "blank customer_reference", dict(ADDRESS, customer_reference="   ")),
    ("address", "required fields missing", dict(customer_reference="hq")),
    ("address", "state absent, nothing to find it by", dict(state="absent")),
    ("address", "state not a choice", dict(ADDRESS, state="gone")),
    ("address", "validate_address not a bool", dict(ADDRESS, validate_address="maybe")),

    ("address_accept_suggestions", "id missing", {}),
    ("address_accept_suggestions", "blank id", dict(id="   ")),
    ("address_accept_suggestions", "unknown option", dict(id="1", state="present")),
    ("address_accept_suggestions", "api_url ftp://", dict(id="1", api_url="ftp://x")),
    ("address_accept_suggestions", "empty api_key", dict(id="1", api_key="")),
    ("address_accept_suggestions", "max_retries -1", dict(id="1", max_retries=-1)),

    ("address_info", "street_address under 3 characters", dict(street_address="ab")),
    ("address_info", "sort not a choice", dict(sort="name")),
    ("address_info", "customer_reference_match not a choice", dict(customer_reference="hq", customer_reference_match="fuzzy")),
    ("address_info", "used_as_emergency not a bool", dict(used_as_emergency="maybe")),
    ("address_info", "unknown option", dict(colour="red")),
    ("address_info", "timeout not a number", dict(timeout="soon")),

    ("address_validate", "postal_code missing", dict(country_code="US", street_address="600 Congress Avenue")),
    ("address_validate", "country_code of three letters", dict(VALIDATE, country_code="USA")),
    ("address_validate", "country_code with a digit", dict(VALIDATE, country_code="U1")),
    ("address_validate", "blank street_address", dict(VALIDATE, street_address="  ")),
    ("address_validate", "fail_on_invalid not a bool", dict(VALIDATE, fail_on_invalid="perhaps")),
    ("address_validate", "unknown option", dict(VALIDATE, city="Austin")),
    ("address_validate", "api_url http:// not loopback", dict(VALIDATE, api_url=NOT_LOOPBACK)),

    ("authentication_provider", "neither short_name nor id", dict(name="Corp IdP")),
    ("authentication_provider", "empty short_name", dict(short_name="")),
    ("authentication_provider", "short_name with a space", dict(short_name="corp idp")),
    ("authentication_provider", "idp_sso_target_url ftp://", dict(PROVIDER, settings=dict(SETTINGS, idp_sso_target_url="ftp://idp"))),
    ("authentication_provider", "idp_entity_id not a URL", dict(PROVIDER, settings=dict(SETTINGS, idp_entity_id="corp"))),
    ("authentication_provider", "settings_url not a URL", dict(PROVIDER, settings_url="not a url")),
    ("authentication_provider", "fingerprint algorithm md5", dict(PROVIDER, settings=dict(SETTINGS, idp_cert_fingerprint_algorithm="md5"))),
    ("authentication_provider", "unknown settings key", dict(PROVIDER, settings=dict(SETTINGS, idp_slo_url="https://idp"))),
    ("authentication_provider", "settings not a mapping", dict(PROVIDER, settings="nope")),
    ("authentication_provider", "active not a bool", dict(PROVIDER, active="perhaps")),

    ("authentication_provider_info", "unknown option", dict(name="Corp IdP")),
    ("authentication_provider_info", "api_url ftp://", dict(api_url="ftp://x")),
    ("authentication_provider_info", "api_url http:// not loopback", dict(api_url=NOT_LOOPBACK)),
    ("authentication_provider_info", "blank api_key", dict(api_key="  ")),
    ("authentication_provider_info", "max_retries -1", dict(max_retries=-1)),
    ("authentication_provider_info", "validate_certs not a bool", dict(validate_certs="maybe")),

    ("billing_group", "neither name nor id", dict(state="present")),
    ("billing_group", "empty name", dict(name="")),
    ("billing_group", "blank name", dict(name="   ")),
    ("billing_group", "empty id, no name", dict(id="")),
    ("billing_group", "state not a choice", dict(name="ops", state="deleted")),
    ("billing_group", "unknown option", dict(name="ops", colour="red")),
    ("billing_group", "api_url without a host", dict(name="ops", api_url="https:///v2")),

    ("billing_group_info", "unknown option", dict(colour="red")),
    ("billing_group_info", "api_url ftp://", dict(api_url="ftp://x")),
    ("billing_group_info", "api_url not a URL", dict(api_url="api.telnyx.com")),
    ("billing_group_info", "timeout -1", dict(timeout=-1)),
    ("billing_group_info", "max_retries not an int", dict(max_retries="many")),
    ("billing_group_info", "blank api_key", dict(api_key="  ")),

    ("integration_secret", "identifier missing", dict(type="bearer", token=TOKEN)),
    ("integration_secret", "blank identifier", dict(identifier="  ", type="bearer", token=TOKEN)),
    ("integration_secret", "type not a choice", dict(identifier="crm", type="oauth", token=TOKEN)),
    ("integration_secret", "type missing", dict(identifier="crm", token=TOKEN)),
    ("integration_secret", "bearer without token", dict(identifier="crm", type="bearer")),
    ("integration_secret", "basic without password", dict(identifier="crm", type="basic", username="svc-user-01")),
    ("integration_secret", "bearer with a username", dict(identifier="crm", type="bearer", token=TOKEN, username="svc-user-01")),
    ("integration_secret", "update_secret not a choice", dict(identifier="crm", type="bearer", token=TOKEN, update_secret="sometimes")),

    ("integration_secret_info", "type not a choice", dict(type="oauth")),
    ("integration_secret_info", "unknown option", dict(token=TOKEN)),
    ("integration_secret_info", "api_url ftp://", dict(api_url="ftp://x")),
    ("integration_secret_info", "timeout 0", dict(timeout=0)),
    ("integration_secret_info", "empty api_key", dict(api_key="")),

    ("resource_set", "type missing", dict(items=[dict(name="ops")])),
    ("resource_set", "type not a choice", dict(type="sip_user", items=[])),
    ("resource_set", "items a mapping, not a list", dict(type="billing_group", items=dict(name="ops"))),
    ("resource_set", "item a string", dict(type="billing_group", items=["ops"])),
    ("resource_set", "item with an unknown option", dict(type="billing_group", items=[dict(name="ops", colour="red")])),
    ("resource_set", "billing group without name or id", dict(type="billing_group", items=[dict(name="ops"), {}])),
    ("resource_set", "one billing group twice", dict(type="billing_group", items=[dict(name="ops"), dict(name="ops")])),
    ("resource_set", "access IP a CIDR block", dict(type="access_ip_address", items=[dict(ip_address="10.0.0.0/24")])),
    ("resource_set", "range with host bits set", dict(type="access_ip_range", items=[dict(cidr_block="10.0.0.1/24")])),
    ("resource_set", "address country_code USA", dict(type="address", items=[dict(ADDRESS, country_code="USA")])),
    ("resource_set", "address first_name a list", dict(type="address", items=[dict(ADDRESS, first_name=["Ada"])])),
    ("resource_set", "secret bearer without token", dict(type="integration_secret", items=[dict(identifier="crm", type="bearer")])),
    ("resource_set", "provider algorithm md5",
     dict(type="authentication_provider", items=[dict(PROVIDER, settings=dict(SETTINGS, idp_cert_fingerprint_algorithm="md5"))])),
    ("resource_set", "credential item asking for its SIP password",
     dict(type="telephony_credential", items=[dict(name="fleet", connection_id="1684641123236054244", return_sip_password=True)])),
    ("resource_set", "credential state not a choice", dict(type="telephony_credential", items=[dict(name="fleet", state="gone")])),
    ("resource_set", "protected access IP not an IP", dict(type="access_ip_address", items=[dict(ip_address=IP)], protected=["office"])),
    ("resource_set", "parallelism 0", dict(type="billing_group", items=[dict(name="ops")], parallelism=0)),
    ("resource_set", "parallelism 99", dict(type="billing_group", items=[dict(name="ops")], parallelism=99)),
    ("resource_set", "purge not a bool", dict(type="billing_group", items=[dict(name="ops")], purge="sometimes")),

    ("telephony_credential", "neither name nor id", dict(connection_id="1684641123236054244")),
    ("telephony_credential", "empty name", dict(name="", connection_id="1684641123236054244")),
    ("telephony_credential", "expires_at not a time", dict(name="fleet", expires_at="tomorrow")),
    ("telephony_credential", "expires_at month 13", dict(name="fleet", expires_at="2027-13-01T00:00:00Z")),
    ("telephony_credential", "state not a choice", dict(name="fleet", state="expired")),
    ("telephony_credential", "return_sip_password not a bool", dict(name="fleet", return_sip_password="perhaps")),
    ("telephony_credential", "unknown option", dict(name="fleet", password="x")),

    ("telephony_credential_info", "id with a space", dict(id="a b")),
    ("telephony_credential_info", "return_sip_password not a bool", dict(return_sip_password="maybe")),
    ("telephony_credential_info", "unknown option", dict(connection_id="1684641123236054244")),
    ("telephony_credential_info", "api_url ftp://", dict(api_url="ftp://x")),
    ("telephony_credential_info", "timeout 0", dict(timeout=0)),

    ("telephony_credential_token", "neither id nor name", {}),
    ("telephony_credential_token", "both id and name", dict(id="c215ade3", name="fleet")),
    ("telephony_credential_token", "unknown option", dict(name="fleet", ttl=3600)),
    ("telephony_credential_token", "api_url ftp://", dict(name="fleet", api_url="ftp://x")),
    ("telephony_credential_token", "api_url http:// not loopback", dict(name="fleet", api_url=NOT_LOOPBACK)),
    ("telephony_credential_token", "timeout not a number", dict(name="fleet", timeout="soon")),
    ("telephony_credential_token", "empty api_key", dict(name="fleet", api_key="")),
    ("telephony_credential_token", "empty id", dict(id="")),
    ("telephony_credential_token", "blank name", dict(name="   ", return_token=True)),
    ("telephony_credential_token", "neither dest nor return_token", dict(name="fleet")),
    ("telephony_credential", "empty id", dict(id="")),
    ("authentication_provider", "empty id", dict(id="")),
    ("address_accept_suggestions", "id a list", dict(id=["1", "2"])),
    ("billing_group_info", "api_url with an unclosed IPv6 bracket", dict(api_url="http://[::1/v2")),
    ("billing_group_info", "timeout nan", dict(timeout="nan")),
    ("billing_group_info", "timeout inf", dict(timeout="inf")),
    ("resource_set", "item id with a slash", dict(type="billing_group", items=[dict(id="a/../b")])),

    ("account", "purge names no type", dict(billing_groups=[dict(name="ops")], purge=["sip_users"])),
    ("account", "billing_groups a mapping, not a list", dict(billing_groups=dict(name="ops", colour="red"))),
    ("account", "billing group with an unknown option", dict(billing_groups=[dict(name="ops", colour="red")])),
    ("account", "credential item asking for its SIP password",
     dict(telephony_credentials=[dict(name="fleet", connection_id="1684641123236054244", return_sip_password=True)])),
    ("account", "secret bearer without token", dict(integration_secrets=[dict(identifier="crm", type="bearer")])),
    ("account", "allowlist entry a host name",
     dict(billing_groups=[dict(name="ops")], access_ip_allowlist=dict(entries=["office.example.com"]))),
    ("account", "allowlist with an unknown key", dict(access_ip_allowlist=dict(entries=[IP], purg=True))),
    ("account", "allowlist wait_timeout 0", dict(access_ip_allowlist=dict(entries=[IP], wait=True, wait_timeout=0))),
    ("account", "parallelism 0", dict(billing_groups=[dict(name="ops")], parallelism=0)),
    ("account", "protected address not an IP", dict(access_ip_allowlist=dict(entries=[IP], protected=["office"]))),
    ("account", "purge a type not as a list of names", dict(purge=dict(billing_groups=True))),

    ("account_info", "parallelism 0", dict(parallelism=0)),
    ("account_info", "parallelism 99", dict(parallelism=99)),
    ("account_info", "unknown option", dict(types=["billing_groups"])),
    ("account_info", "api_url ftp://", dict(api_url="ftp://x")),
    ("account_info", "timeout not a number", dict(timeout="soon")),
]


def shortened(text, width=SHOWN):
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[:width - 3] + "..."


def problems_of(run, sent):
    """What is wrong with one case's outcome; empty when the module refused it cleanly."""
    msg = (run.result or {}).get("msg")
    found = []
    if not run.failed:
        found.append("did not fail")
    if run.traceback:
        found.append("traceback")
    if run.result is not None:  # without any JSON result, "traceback" above says it all
        if not isinstance(msg, str) or not msg.strip():
            found.append("empty message")
        elif "\n" in msg:
            found.append("multi-line message")
        elif len(msg) > MAX_MESSAGE:
            found.append("message of %d characters" % len(msg))
    if sent:
        found.append("sent %d request(s): %s" % (len(sent), ", ".join("%s %s" % (r["method"], r["path"]) for r in sent[:3])))
    if (run.result or {}).get("error"):
        found.append("failed on an API call")
    return found


def main():
    started = time.monotonic()
    modules = sorted(f[:-3] for f in os.listdir(os.path.join(ROOT, "plugins", "modules")) if f.endswith(".py") and f != "__init__.py")
    rows, failures = [], []
    refused = 0
    with Sandbox(log_path=os.path.join(ROOT, "build", "logs", "sandbox-bad-input.out")) as sandbox:
        sandbox.reset()
        # Each case on both paths: as a module process, and in the controller's worker (a task on a local connection).
        for module, description, args in CASES:
            for path in PATHS:
                sandbox.clear_log()
                # The controller path in this process: no Python start per run, as in Ansible's worker.
                run = run_module(module, args, url=sandbox.url, path=path, in_process=True)
                sent = sandbox.requests()
                found = problems_of(run, sent)
                if run.failed and not sent and not run.traceback:
                    refused += 1
                if found:
                    failures.append((module, description + " (%s path)" % path, args, found, run))
                rows.append((module, description, path, "PROBLEM: " + "; ".join(found) if found else "refused",
                             shortened(run.message)))
    print(table(["module", "input", "path", "outcome", "message"], rows))

    counts = {name: sum(1 for case in CASES if case[0] == name) for name in modules if name not in ROLE_ONLY}
    coverage = ["%s has %d case(s), fewer than %d" % (name, n, MIN_CASES) for name, n in counts.items() if n < MIN_CASES]
    coverage += ["%s is not a module in plugins/modules" % name for name in sorted({case[0] for case in CASES} - set(modules))]
    for module, description, args, found, run in failures:
        print("\nPROBLEM %s (%s) args=%r: %s" % (module, description, args, "; ".join(found)))
        print("  " + run.text().strip().replace("\n", "\n  ")[-2000:])
    for line in coverage:
        print("PROBLEM coverage: " + line)
    for name, where in sorted(ROLE_ONLY.items()):
        print("not in this table: %s, which reads a role's variables; its bad input is tried in %s" % (name, where))
    covered = len({case[0] for case in CASES})
    print("\nbad_input: %d cases over %d modules on %d paths (%s), %d runs refused before any request, %d problems "
          "(%.0f s)" % (len(CASES), covered, len(PATHS), " and ".join(PATHS), refused, len(failures) + len(coverage),
                        time.monotonic() - started))
    return 1 if failures or coverage else 0


if __name__ == "__main__":
    sys.exit(main())
