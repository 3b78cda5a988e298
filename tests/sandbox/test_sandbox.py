"""Tests of the Telnyx API sandbox: contract, faults, command-line options, OpenAPI conformance.

Run from the repository root: ``python -m pytest tests/sandbox -q``.
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

SANDBOX_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(SANDBOX_DIR))
from telnyx_sandbox import departures, specs  # noqa: E402  (standard library only)

SERVER = SANDBOX_DIR / "server.py"
REPO_ROOT = SANDBOX_DIR.parent.parent
KEY = "sandbox-key"
UUID_RE = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"

SETTINGS = {"idp_entity_id": "https://idp.example.com/saml/metadata",
            "idp_sso_target_url": "https://idp.example.com/sso",
            "idp_cert_fingerprint": "13:38:C7:BB:C9:FF:4A:70:38:3A:E3:D9:5C:CD:DB:2E:50:1E:80:A7"}
ADDRESS = {"first_name": "Alfred", "last_name": "Foster", "business_name": "Toy-O'Kon",
           "street_address": "600 CONGRESS AVE", "locality": "AUSTIN", "administrative_area": "TX",
           "postal_code": "78701", "country_code": "US"}


@contextlib.contextmanager
def running(*args: str):
    """Start server.py on a free port; yield (base URL, process); terminate it afterwards."""
    proc = subprocess.Popen([sys.executable, str(SERVER), "--port", "0", *args], cwd="/",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/v2"), url
        yield url, proc
    finally:
        if proc.poll() is None:
            proc.terminate()
        proc.wait(timeout=10)
        proc.stdout.close()
        proc.stderr.close()


class Client:
    """A keep-alive session with the API key, plus the control endpoints."""

    def __init__(self, url: str, key: str = KEY):
        self.url = url
        self.root = url[:-len("/v2")]
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + key

    def call(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 10)
        return self.http.request(method, self.url + path, **kwargs)

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.call("POST", path, json=body, **kwargs)

    def patch(self, path, body, **kwargs):
        return self.call("PATCH", path, json=body, **kwargs)

    def delete(self, path, **kwargs):
        return self.call("DELETE", path, **kwargs)

    def ctl(self, method: str, name: str, body=None):
        response = requests.request(method, self.root + "/_sandbox/" + name, json=body, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def seed(self, **objects):
        return self.ctl("POST", "seed", objects)

    def state(self):
        return self.ctl("GET", "state")

    def fault(self, **spec):
        return self.ctl("POST", "faults", spec)["fault"]

    def log(self):
        return self.ctl("GET", "requests")["requests"]


@pytest.fixture(scope="session")
def server():
    with running() as (url, proc):
        yield url
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=10) == 0
        assert proc.stderr.read() == "", "the sandbox wrote to stderr (a traceback means a sandbox bug)"


@pytest.fixture
def api(server):
    client = Client(server)
    client.ctl("POST", "reset")
    yield client
    client.http.close()


def only_error(response: requests.Response, status: int) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert len(body["errors"]) == 1, body
    return body["errors"][0]


def pointers(response: requests.Response) -> list:
    return sorted(e.get("source", {}).get("pointer") for e in response.json()["errors"])


def jwt_parts(token: str) -> tuple[dict, dict, bytes]:
    def decode(part):
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    header, payload, signature = token.split(".")
    return json.loads(decode(header)), json.loads(decode(payload)), decode(signature)


# ===================================================================== auth and routing
def test_missing_or_wrong_key_is_401_with_telnyx_body(api):
    expected = {"errors": [{"code": "10009", "title": "Authentication failed",
                            "detail": "The API key is missing or invalid."}]}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic " + KEY}):
        response = requests.get(api.url + "/billing_groups", headers=headers, timeout=10)
        assert response.status_code == 401
        assert response.headers["Content-Type"] == "application/json"
        assert response.json() == expected
    assert api.get("/billing_groups").status_code == 200
    assert [entry["status"] for entry in api.log()] == [401, 401, 401, 200]


def test_custom_api_key():
    with running("--api-key", "other") as (url, dummy):
        assert Client(url).get("/billing_groups").status_code == 401
        assert Client(url, "other").get("/billing_groups").status_code == 200


def test_unknown_paths_404_and_unsupported_methods_405(api):
    assert only_error(api.get("/nothing_here"), 404)["code"] == "10005"
    assert only_error(api.get("/addresses/a/b/c"), 404)["code"] == "10005"
    assert api.patch("/addresses/1", {}).status_code == 405  # addresses are immutable
    assert api.get("/integration_secrets/x").status_code == 405  # no GET by id in the API
    assert api.call("PATCH", "/access_ip_address/x", json={}).status_code == 405


def test_keep_alive_connection_serves_several_requests(api):
    api.seed(integration_secrets=[{"identifier": "s1", "type": "bearer", "token": "t"}])
    secret_id = api.state()["integration_secrets"][0]["id"]
    parts = urlsplit(api.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    headers = {"Authorization": "Bearer " + KEY, "Content-Type": "application/json"}
    conn.request("POST", "/v2/billing_groups", body=json.dumps({"name": "a"}), headers=headers)
    first = conn.getresponse()
    assert first.status == 200 and json.loads(first.read())["data"]["name"] == "a"
    sock = conn.sock
    conn.request("DELETE", "/v2/integration_secrets/" + secret_id, headers=headers)
    second = conn.getresponse()
    assert second.status == 204 and second.read() == b""
    conn.request("GET", "/v2/billing_groups", headers=headers)
    third = conn.getresponse()
    assert third.status == 200 and json.loads(third.read())["meta"]["total_results"] == 1
    assert conn.sock is sock, "the connection was not kept alive"
    conn.close()


def test_malformed_json_body_is_400(api):
    response = api.call("POST", "/billing_groups", data="{not json", headers={"Content-Type": "application/json"})
    assert only_error(response, 400)["code"] == "10015"
    response = api.call("POST", "/billing_groups", data="[1]", headers={"Content-Type": "application/json"})
    assert response.status_code == 400


# ===================================================================== access IP addresses
def test_access_ip_objects_are_bare_and_duplicates_allowed(api):
    created = api.post("/access_ip_address", {"ip_address": "203.0.113.10", "description": "office"})
    assert created.status_code == 200
    obj = created.json()
    assert "data" not in obj
    assert obj["ip_address"] == "203.0.113.10" and obj["description"] == "office"
    assert obj["source"] == "api" and obj["status"] == "pending" and obj["user_id"]
    assert obj["created_at"].endswith("Z") and obj["updated_at"]
    assert api.get("/access_ip_address/" + obj["id"]).json() == obj
    twin = api.post("/access_ip_address", {"ip_address": "203.0.113.10"}).json()
    assert twin["id"] != obj["id"] and "description" not in twin
    listed = api.get("/access_ip_address").json()
    assert [o["id"] for o in listed["data"]] == [obj["id"], twin["id"]]
    assert listed["meta"] == {"page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 2}
    deleted = api.delete("/access_ip_address/" + obj["id"])
    assert deleted.status_code == 200 and deleted.json()["id"] == obj["id"]
    assert only_error(api.get("/access_ip_address/" + obj["id"]), 404)["code"] == "10005"
    assert api.delete("/access_ip_address/" + obj["id"]).status_code == 404


def test_access_ip_goes_from_pending_to_added(api):
    obj = api.post("/access_ip_address", {"ip_address": "198.51.100.7"}).json()
    assert obj["status"] == "pending"
    assert api.get("/access_ip_address?filter[status]=pending").json()["meta"]["total_results"] == 1
    time.sleep(0.35)  # default --access-ip-settle-ms is 300
    assert api.get("/access_ip_address/" + obj["id"]).json()["status"] == "added"
    assert api.state()["access_ip_address"][0]["status"] == "added"


def test_access_ip_settle_time_is_configurable():
    with running("--access-ip-settle-ms", "0") as (url, dummy):
        assert Client(url).post("/access_ip_address", {"ip_address": "192.0.2.1"}).json()["status"] == "added"


def test_access_ip_validation(api):
    assert pointers(api.post("/access_ip_address", {})) == ["/ip_address"]
    assert only_error(api.post("/access_ip_address", {}), 422)["code"] == "10004"
    for bad in ("10.0.0.0/24", "not-an-ip", 42):
        assert only_error(api.post("/access_ip_address", {"ip_address": bad}), 422)["source"] == {"pointer": "/ip_address"}
    assert pointers(api.post("/access_ip_address", {"ip_address": "::1", "description": 5})) == ["/description"]


def test_access_ip_filters(api):
    api.seed(access_ip_address=[{"ip_address": "1.2.3.4"}, {"ip_address": "1.2.3.40"},
                                {"ip_address": "1.2.3.4", "source": "cloudflare", "created_at": "2020-01-01T00:00:00.000Z"},
                                {"ip_address": "5.6.7.8", "status": "pending"}])

    def ips(query):
        return [o["ip_address"] for o in api.get("/access_ip_address", params=query).json()["data"]]
    assert ips({"filter[ip_address]": "1.2.3.4"}) == ["1.2.3.4", "1.2.3.4"]  # exact, not a prefix
    assert ips({"filter[ip_source]": "cloudflare"}) == ["1.2.3.4"]
    assert ips({"filter[status]": "added"}) == ["1.2.3.4", "1.2.3.40", "1.2.3.4"]
    assert ips({"filter[created_at][lt]": "2021-01-01T00:00:00Z"}) == ["1.2.3.4"]
    assert len(ips({"filter[created_at][gte]": "2021-01-01T00:00:00Z"})) == 3
    assert len(ips({"filter[unknown]": "x"})) == 4  # unknown filters are ignored
    error = only_error(api.get("/access_ip_address", params={"filter[created_at][gt]": "yesterday"}), 422)
    assert error["source"] == {"parameter": "filter[created_at]"}


# ===================================================================== access IP ranges
def test_access_ip_range_lifecycle(api):
    created = api.post("/access_ip_ranges", {"cidr_block": "203.0.113.0/24", "description": "office"})
    assert created.status_code == 200
    block = created.json()
    assert set(block) == {"id", "cidr_block", "status", "user_id", "description", "created_at", "updated_at"}
    assert block["cidr_block"] == "203.0.113.0/24" and block["status"] == "pending" and block["user_id"]
    twin = api.post("/access_ip_ranges", {"cidr_block": "203.0.113.0/24"}).json()  # duplicates allowed
    assert twin["id"] != block["id"] and "description" not in twin
    listed = api.get("/access_ip_ranges").json()
    assert [b["id"] for b in listed["data"]] == [block["id"], twin["id"]]
    assert listed["meta"] == {"page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 2}
    time.sleep(0.35)  # the same settle delay as access IPs
    assert {b["status"] for b in api.get("/access_ip_ranges").json()["data"]} == {"added"}
    assert api.get("/access_ip_ranges/" + block["id"]).status_code == 405  # no GET by id in S
    assert api.patch("/access_ip_ranges/" + block["id"], {"description": "x"}).status_code == 405
    deleted = api.delete("/access_ip_ranges/" + block["id"])
    assert deleted.status_code == 200 and deleted.json()["id"] == block["id"] and "data" not in deleted.json()
    assert only_error(api.delete("/access_ip_ranges/" + block["id"]), 404)["code"] == "10005"
    assert [b["id"] for b in api.state()["access_ip_ranges"]] == [twin["id"]]


def test_access_ip_range_validation_and_host_bits(api):
    assert only_error(api.post("/access_ip_ranges", {}), 422)["source"] == {"pointer": "/cidr_block"}
    for bad in ("10.0.0.1", "nope", "10.0.0.300/24", "10.0.0.0/33", 42):
        error = only_error(api.post("/access_ip_ranges", {"cidr_block": bad}), 422)
        assert error["code"] == "10015" and error["source"] == {"pointer": "/cidr_block"}, bad
    assert pointers(api.post("/access_ip_ranges", {"cidr_block": "::/0", "description": 5})) == ["/description"]
    loose = api.post("/access_ip_ranges", {"cidr_block": "10.0.0.1/24"})  # host bits set: stored as sent
    assert loose.status_code == 200 and loose.json()["cidr_block"] == "10.0.0.1/24"
    assert api.post("/access_ip_ranges", {"cidr_block": "2001:DB8::/32"}).json()["cidr_block"] == "2001:DB8::/32"


def test_access_ip_range_filters_paging_and_seed(api):
    seeded = api.seed(access_ip_ranges=[
        {"cidr_block": "10.0.0.0/16"}, {"cidr_block": "10.1.0.0/24", "created_at": "2020-01-01T00:00:00.000Z"},
        {"cidr_block": "192.168.1.0/24", "status": "pending"}])["access_ip_ranges"]
    assert [b["status"] for b in seeded] == ["added", "added", "pending"]

    def blocks(query):
        return [b["cidr_block"] for b in api.get("/access_ip_ranges", params=query).json()["data"]]
    assert blocks({"filter[cidr_block]": "10.0.0.0/16"}) == ["10.0.0.0/16"]
    assert blocks({"filter[cidr_block]": "10.0.0.0"}) == []  # exact
    assert blocks({"filter[cidr_block][startswith]": "10."}) == ["10.0.0.0/16", "10.1.0.0/24"]
    assert blocks({"filter[cidr_block][endswith]": "/24"}) == ["10.1.0.0/24", "192.168.1.0/24"]
    assert blocks({"filter[cidr_block][contains]": "168"}) == ["192.168.1.0/24"]
    assert blocks({"filter[cidr_block][startswith]": "10.", "filter[cidr_block][endswith]": "/24"}) == ["10.1.0.0/24"]
    assert blocks({"filter[created_at][lt]": "2021-01-01T00:00:00Z"}) == ["10.1.0.0/24"]
    assert blocks({"filter[created_at]": "2020-01-01T00:00:00Z"}) == ["10.1.0.0/24"]
    assert blocks({"page[size]": 2, "page[number]": 2}) == ["192.168.1.0/24"]
    for query in ({"page[size]": 251}, {"filter[created_at][gt]": "soon"}):
        assert api.get("/access_ip_ranges", params=query).status_code == 422  # S: 422 here
    assert "pending" in [b["status"] for b in api.state()["access_ip_ranges"]]


# ===================================================================== billing groups
def test_billing_group_lifecycle_and_soft_delete(api):
    created = api.post("/billing_groups", {"name": "Finance"})
    assert created.status_code == 200
    group = created.json()["data"]
    assert group["record_type"] == "billing_group" and group["name"] == "Finance" and group["deleted_at"] is None
    assert group["organization_id"]
    assert re.match(UUID_RE, group["id"])
    path = "/billing_groups/" + group["id"]
    assert api.get(path).json() == {"data": group}
    updated = api.patch(path, {"name": "Accounts"})
    assert updated.status_code == 200 and updated.json()["data"]["name"] == "Accounts"
    assert api.post("/billing_groups", {"name": "Accounts"}).status_code == 200  # names may repeat
    assert api.post("/billing_groups", {}).status_code == 200  # nothing is required
    deleted = api.delete(path)
    assert deleted.status_code == 200
    assert deleted.json()["data"]["deleted_at"] is not None and deleted.json()["data"]["id"] == group["id"]
    assert api.get(path).status_code == 404
    assert api.patch(path, {"name": "x"}).status_code == 404
    assert api.delete(path).status_code == 404
    listed = {g["id"]: g for g in api.get("/billing_groups").json()["data"]}
    assert len(listed) == 3 and listed[group["id"]]["deleted_at"] == deleted.json()["data"]["deleted_at"]
    stored = {g["id"]: g for g in api.state()["billing_groups"]}
    assert stored[group["id"]]["deleted_at"] is not None  # still stored: a soft delete


def test_billing_group_errors_use_integer_codes_as_the_spec_declares(api):
    error = only_error(api.get("/billing_groups/5b7a4f63-5b4f-4a55-8f7e-2a9f3c0d1e2f"), 404)
    assert error["code"] == 10005
    error = only_error(api.post("/billing_groups", {"name": 7}), 422)
    assert error["code"] == 10015 and error["source"] == {"pointer": "/name"}
    # 400 and the default response use the string-coded schemas.
    assert only_error(api.call("POST", "/billing_groups", data="{"), 400)["code"] == "10015"


# ===================================================================== integration secrets
def test_integration_secrets_never_return_secret_material(api):
    created = api.post("/integration_secrets", {"identifier": "crm", "type": "bearer", "token": "s3cr3t-token"})
    assert created.status_code == 201
    secret = created.json()["data"]
    assert set(secret) == {"id", "identifier", "record_type", "created_at", "updated_at"}
    assert secret["record_type"] == "integration_secret"
    basic = api.post("/integration_secrets", {"identifier": "erp", "type": "basic", "username": "u",
                                              "password": "p4ssw0rd", "token": "ignored"}).json()["data"]
    listed = api.get("/integration_secrets")
    assert "s3cr3t" not in listed.text and "p4ssw0rd" not in listed.text and "bearer" not in listed.text
    assert [s["identifier"] for s in listed.json()["data"]] == ["crm", "erp"]
    assert listed.json()["meta"] == {"page_number": 1, "page_size": 20, "total_pages": 1, "total_results": 2}
    stored = {s["identifier"]: s for s in api.state()["integration_secrets"]}
    assert stored["crm"]["token"] == "s3cr3t-token" and stored["crm"]["type"] == "bearer"
    assert stored["erp"]["password"] == "p4ssw0rd" and "token" not in stored["erp"]  # "ignored otherwise"
    deleted = api.delete("/integration_secrets/" + basic["id"])
    assert deleted.status_code == 204 and deleted.content == b"" and "Content-Length" not in deleted.headers
    error = only_error(api.delete("/integration_secrets/" + basic["id"]), 404)
    assert set(error) == {"code", "title", "detail"}


def test_integration_secret_filter_and_validation(api):
    api.post("/integration_secrets", {"identifier": "a", "type": "bearer", "token": "t"})
    api.post("/integration_secrets", {"identifier": "b", "type": "basic", "username": "u", "password": "p"})
    for kind, identifier in (("bearer", "a"), ("basic", "b")):
        data = api.get("/integration_secrets", params={"filter[type]": kind}).json()["data"]
        assert [s["identifier"] for s in data] == [identifier]
    assert api.get("/integration_secrets", params={"filter[type]": "other"}).status_code == 400  # S: 400
    duplicate = api.post("/integration_secrets", {"identifier": "a", "type": "bearer", "token": "t2"})
    error = only_error(duplicate, 422)
    assert error == {"code": "10015", "title": "Invalid value", "detail": "identifier is already taken."}
    cases = (({"type": "bearer", "token": "t"}, 1), ({"identifier": "x", "type": "bearer"}, 1),
             ({"identifier": "x", "type": "basic", "username": "u"}, 1), ({"identifier": "x", "type": "basic"}, 2),
             ({"identifier": "x", "type": "oauth"}, 1), ({"identifier": 5, "type": "bearer", "token": "t"}, 1))
    for body, count in cases:
        response = api.post("/integration_secrets", body)
        assert response.status_code == 422, body
        assert len(response.json()["errors"]) == count, response.text
        assert all(set(e) == {"code", "title", "detail"} for e in response.json()["errors"])


# ===================================================================== telephony credentials
def test_telephony_credential_lifecycle(api):
    assert pointers(api.post("/telephony_credentials", {"name": "x"})) == ["/connection_id"]
    created = api.post("/telephony_credentials", {"connection_id": "1234567890", "name": "desk", "tag": "ops",
                                                  "expires_at": "2042-06-18T21:32:38Z"})
    assert created.status_code == 201
    cred = created.json()["data"]
    assert cred["record_type"] == "credential" and cred["resource_id"] == "connection:1234567890"
    assert cred["sip_username"].startswith("gencred") and len(cred["sip_password"]) == 32
    assert cred["expired"] is False and cred["expires_at"] == "2042-06-18T21:32:38Z"
    assert "tag" not in cred and "connection_id" not in cred  # not fields of TelephonyCredential
    path = "/telephony_credentials/" + cred["id"]
    assert api.get(path).json()["data"] == cred
    patched = api.patch(path, {"name": "desk-2", "tag": "dev", "connection_id": "987", "expires_at": "2001-01-01T00:00:00Z"})
    assert patched.status_code == 200
    data = patched.json()["data"]
    assert data["name"] == "desk-2" and data["resource_id"] == "connection:987" and data["expired"] is True
    assert data["sip_password"] == cred["sip_password"]
    assert pointers(api.patch(path, {"expires_at": "soon", "name": 3})) == ["/expires_at", "/name"]
    deleted = api.delete(path)
    assert deleted.status_code == 200 and deleted.json()["data"]["id"] == cred["id"]
    assert api.get(path).status_code == 404


def test_telephony_credential_filters_and_default_page_size(api):
    api.seed(telephony_credentials=[
        {"connection_id": "1", "name": "alpha", "tag": "red"},
        {"connection_id": "2", "name": "beta", "tag": "red", "expires_at": "2000-01-01T00:00:00Z"},
        {"connection_id": "2", "name": "gamma", "sip_username": "gencredKnown"},
    ])

    def names(**filters):
        query = {"filter[%s]" % k: v for k, v in filters.items()}
        body = api.get("/telephony_credentials", params=query).json()
        return [c["name"] for c in body["data"]]
    assert names(name="beta") == ["beta"]
    assert names(name="bet") == []  # exact match
    assert names(tag="red") == ["alpha", "beta"]
    assert names(status="expired") == ["beta"] and names(status="active") == ["alpha", "gamma"]
    assert names(resource_id="connection:2") == ["beta", "gamma"]
    assert names(sip_username="gencredKnown") == ["gamma"]
    assert api.get("/telephony_credentials").json()["meta"]["page_size"] == 50


def test_token_is_a_plain_text_jwt(api):
    cred = api.post("/telephony_credentials", {"connection_id": "1"}).json()["data"]
    before = int(time.time())
    response = api.post("/telephony_credentials/%s/token" % cred["id"], headers={"Accept": "text/plain"})
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "text/plain"
    header, claims, signature = jwt_parts(response.text)
    assert header == {"alg": "HS256", "typ": "JWT"}
    assert claims["iss"] == claims["aud"] == "telnyx_telephony" and claims["typ"] == "access"
    assert claims["sub"] == cred["id"]
    assert before <= claims["iat"] <= time.time() and claims["exp"] == claims["iat"] + 24 * 3600
    signing_input = response.text.rsplit(".", 1)[0].encode()
    assert hmac.compare_digest(signature, hmac.new(KEY.encode(), signing_input, hashlib.sha256).digest())
    assert response.text != api.post("/telephony_credentials/%s/token" % cred["id"]).text  # no limit, each unique

    soon = api.post("/telephony_credentials", {"connection_id": "1", "expires_at": "2099-01-01T00:00:00Z"}).json()["data"]
    expiring = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + 3600))
    api.patch("/telephony_credentials/" + soon["id"], {"expires_at": expiring})
    dummy, claims, dummy = jwt_parts(api.post("/telephony_credentials/%s/token" % soon["id"]).text)
    assert claims["exp"] - claims["iat"] <= 3600  # min(24 h, credential expiry)

    assert api.post("/telephony_credentials/nope/token").status_code == 404


# ===================================================================== authentication providers
def test_authentication_provider_lifecycle(api):
    created = api.post("/authentication_providers", {"name": "Okta", "short_name": "myorg", "settings": SETTINGS})
    assert created.status_code == 200
    provider = created.json()["data"]
    assert provider["record_type"] == "authentication_provider" and provider["active"] is True
    assert provider["activated_at"] and provider["organization_id"] and provider["created_at"]
    settings = provider["settings"]
    assert settings["idp_cert_fingerprint_algorithm"] == "sha1"
    assert settings["service_provider_login_url"] == "https://api.telnyx.com/sso/myorg"
    assert settings["assertion_consumer_service_url"] == "https://api.telnyx.com/sso/saml/auth/myorg"
    assert settings["service_provider_entity_id"] == "https://api.telnyx.com/sso/saml/metadata/myorg"
    assert settings["idp_certificate"].startswith("-----BEGIN CERTIFICATE-----")
    assert settings["provision_groups"] is False and settings["idp_attribute_names"] == {}
    path = "/authentication_providers/" + provider["id"]
    assert api.get(path).json()["data"] == provider
    patched = api.patch(path, {"short_name": "neworg", "active": False,
                               "settings": {**SETTINGS, "idp_cert_fingerprint_algorithm": "sha256"}}).json()["data"]
    assert patched["settings"]["service_provider_login_url"] == "https://api.telnyx.com/sso/neworg"
    assert patched["settings"]["idp_cert_fingerprint_algorithm"] == "sha256" and patched["active"] is False
    assert api.patch(path, {"name": "Renamed"}).json()["data"]["settings"]["idp_cert_fingerprint_algorithm"] == "sha256"
    deleted = api.delete(path)
    assert deleted.status_code == 200 and deleted.json()["data"]["id"] == provider["id"]
    assert api.get(path).status_code == 404


def test_authentication_provider_settings_url_is_write_only(api):
    body = {"name": "Okta", "short_name": "wo", "settings": SETTINGS, "settings_url": "https://idp.example.com/m"}
    created = api.post("/authentication_providers", body)
    path = "/authentication_providers/" + created.json()["data"]["id"]
    responses = [created, api.get(path), api.get("/authentication_providers"),
                 api.patch(path, {"settings_url": "https://idp.example.com/m2"})]
    assert api.state()["authentication_providers"][0]["settings_url"] == "https://idp.example.com/m2"  # stored
    responses.append(api.delete(path))
    for response in responses:
        assert response.status_code == 200 and "settings_url" not in response.text, response.text


def test_authentication_provider_validation(api):
    assert pointers(api.post("/authentication_providers", {})) == ["/name", "/settings", "/short_name"]
    bad = {"name": "x", "short_name": "x", "settings": {"idp_entity_id": "ftp://nope", "idp_cert_fingerprint_algorithm": "md5"}}
    assert pointers(api.post("/authentication_providers", bad)) == [
        "/settings/idp_cert_fingerprint", "/settings/idp_cert_fingerprint_algorithm",
        "/settings/idp_entity_id", "/settings/idp_sso_target_url"]
    bad = {"name": 1, "short_name": "has space", "settings": SETTINGS, "settings_url": "nope", "active": "yes"}
    assert pointers(api.post("/authentication_providers", bad)) == ["/active", "/name", "/settings_url", "/short_name"]
    first = api.post("/authentication_providers", {"name": "a", "short_name": "taken", "settings": SETTINGS}).json()["data"]
    error = only_error(api.post("/authentication_providers", {"name": "b", "short_name": "taken", "settings": SETTINGS}), 422)
    assert error["code"] == "10015" and error["source"] == {"pointer": "/short_name"}
    assert error["detail"] == "short_name is already taken."
    other = api.post("/authentication_providers", {"name": "b", "short_name": "free", "settings": SETTINGS}).json()["data"]
    assert api.patch("/authentication_providers/" + other["id"], {"short_name": "taken"}).status_code == 422
    assert api.patch("/authentication_providers/" + first["id"], {"short_name": "taken"}).status_code == 200
    partial = api.patch("/authentication_providers/" + first["id"], {"settings": {"idp_entity_id": "https://x.example"}})
    assert pointers(partial) == ["/settings/idp_cert_fingerprint", "/settings/idp_sso_target_url"]


def test_authentication_provider_sorting(api):
    for name in ("bravo", "alpha", "charlie"):
        api.post("/authentication_providers", {"name": name, "short_name": name, "settings": SETTINGS})

    def names(sort=None):
        return [p["name"] for p in api.get("/authentication_providers", params={"sort": sort} if sort else {}).json()["data"]]
    assert names() == ["charlie", "alpha", "bravo"]  # default -created_at: newest first
    assert names("created_at") == ["bravo", "alpha", "charlie"]
    assert names("name") == ["alpha", "bravo", "charlie"]
    assert names("-short_name") == ["charlie", "bravo", "alpha"]
    assert only_error(api.get("/authentication_providers", params={"sort": "colour"}), 400)["source"] == {"parameter": "sort"}


# ===================================================================== addresses
def test_address_lifecycle_and_suggestions(api):
    created = api.post("/addresses", ADDRESS)
    assert created.status_code == 200
    address = created.json()["data"]
    assert address["record_type"] == "address" and address["id"].isdigit() and len(address["id"]) >= 18
    assert address["address_book"] is True and address["validate_address"] is True
    assert {k: address[k] for k in ADDRESS} == ADDRESS
    path = "/addresses/" + address["id"]
    assert api.get(path).json()["data"] == address

    loose = dict(ADDRESS, street_address="600  Congress Avenue", locality="Austin", administrative_area="tx")
    stored = api.post("/addresses", loose).json()["data"]
    assert stored["street_address"] == "600  Congress Avenue"  # created as given; suggestions remembered
    suggested = {a["id"]: a["_suggested"] for a in api.state()["addresses"]}
    assert suggested[stored["id"]] == {"street_address": "600 CONGRESS AVE", "locality": "AUSTIN", "administrative_area": "TX"}
    assert suggested[address["id"]] == {}
    accept = "/addresses/%s/actions/accept_suggestions" % stored["id"]
    first = api.post(accept)
    assert first.status_code == 202
    assert first.json() == {"data": {"id": stored["id"], "accepted": True, "record_type": "address_suggestion"}}
    accepted = api.get("/addresses/" + stored["id"]).json()["data"]  # PYW: "replacing the original values"
    assert (accepted["street_address"], accepted["locality"], accepted["administrative_area"]) == (
        "600 CONGRESS AVE", "AUSTIN", "TX")
    assert accepted["first_name"] == stored["first_name"] and accepted["updated_at"] >= stored["updated_at"]
    assert {a["id"]: a["_suggestions_accepted"] for a in api.state()["addresses"]}[stored["id"]] is True
    assert api.post(accept, {"id": stored["id"]}).status_code == 200
    assert api.get("/addresses/" + stored["id"]).json()["data"] == accepted  # the second time changes nothing
    error = only_error(api.post("/addresses/404/actions/accept_suggestions"), 404)
    assert error["code"] == "10005" and error["meta"]["url"]

    deleted = api.delete(path)
    assert deleted.status_code == 200 and deleted.json()["data"]["id"] == address["id"]
    assert api.get(path).status_code == 404


def test_invalid_address_is_rejected_with_suggestions(api):
    response = api.post("/addresses", dict(ADDRESS, street_address="12 unknown  road", locality="Austin"))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"code": "10015", "title": "Invalid address", "detail": "street_address: suggested value '12 UNKNOWN RD'",
            "source": {"pointer": "/street_address"}, "meta": {"suggestion": "12 UNKNOWN RD"}} in errors
    assert any(e["source"] == {"pointer": "/locality"} and e["meta"] == {"suggestion": "AUSTIN"} for e in errors)
    assert any(e["code"] == "20207" and e["title"] == "Invalid street address" for e in errors)
    no_number = api.post("/addresses", dict(ADDRESS, street_address="MAIN ST"))
    assert [e["code"] for e in no_number.json()["errors"]] == ["20207"]
    assert api.state()["addresses"] == []
    skipped = api.post("/addresses", dict(ADDRESS, street_address="MAIN ST", validate_address=False))
    assert skipped.status_code == 200 and skipped.json()["data"]["validate_address"] is False


def test_address_input_validation(api):
    assert pointers(api.post("/addresses", {})) == sorted("/" + f for f in (
        "first_name", "last_name", "business_name", "street_address", "locality", "country_code"))
    assert {e["code"] for e in api.post("/addresses", {}).json()["errors"]} == {"10004"}
    cases = ((dict(ADDRESS, country_code="XX"), "/country_code"), (dict(ADDRESS, postal_code="7870"), "/postal_code"),
             (dict(ADDRESS, postal_code="78701-12"), "/postal_code"), (dict(ADDRESS, first_name=3), "/first_name"),
             (dict(ADDRESS, address_book="yes"), "/address_book"),
             (dict(ADDRESS, country_code="CA", postal_code="12345"), "/postal_code"))
    for body, pointer in cases:
        assert only_error(api.post("/addresses", body), 422)["source"] == {"pointer": pointer}, body
    assert api.post("/addresses", dict(ADDRESS, postal_code="78701-1234")).status_code == 200
    canada = dict(ADDRESS, country_code="CA", postal_code="K1A 0B1", administrative_area="ON")
    assert api.post("/addresses", canada).status_code == 200
    assert api.post("/addresses", dict(canada, postal_code="k1a0b1")).status_code == 200


def test_address_in_use_cannot_be_deleted(api):
    address = api.seed(addresses=[dict(ADDRESS, used_as_emergency=True)])["addresses"][0]
    response = api.delete("/addresses/" + address["id"])
    assert only_error(response, 422)["title"] == "Address in use"
    assert api.get("/addresses/" + address["id"]).status_code == 200


def test_address_validate_action(api):
    valid = api.post("/addresses/actions/validate", {"country_code": "us", "street_address": "600 Congress Avenue",
                                                     "postal_code": "78701", "locality": "Austin"})
    assert valid.status_code == 200
    assert valid.json() == {"data": {"result": "valid", "errors": [], "record_type": "address_validation", "suggested": {
        "country_code": "US", "street_address": "600 CONGRESS AVE", "postal_code": "78701", "locality": "AUSTIN"}}}
    invalid = api.post("/addresses/actions/validate", {"country_code": "US", "street_address": "Unknown Street",
                                                       "postal_code": "78701"}).json()["data"]
    assert invalid["result"] == "invalid"
    assert invalid["errors"] == [{"code": "20207", "title": "Invalid street address",
                                  "description": "The street address provided is invalid.",
                                  "source": {"pointer": "/street_address"}}]
    assert pointers(api.post("/addresses/actions/validate", {"locality": "x"})) == [
        "/country_code", "/postal_code", "/street_address"]


def test_address_filters_and_sort(api):
    api.seed(addresses=[
        dict(ADDRESS, first_name="Cara", customer_reference="REF-001", street_address="1 ELM ST"),
        dict(ADDRESS, first_name="Abe", customer_reference="ref-002", street_address="2 OAK AVE", address_book=False),
        dict(ADDRESS, first_name="Bo", customer_reference="OTHER", street_address="3 ELM RD", used_as_emergency=True),
    ])

    def firsts(**query):
        return [a["first_name"] for a in api.get("/addresses", params=query).json()["data"]]
    assert firsts() == ["Bo", "Abe", "Cara"]  # default: created_at descending
    assert firsts(sort="created_at") == ["Cara", "Abe", "Bo"]
    assert firsts(sort="first_name") == ["Abe", "Bo", "Cara"]
    assert firsts(sort="-street_address") == ["Bo", "Abe", "Cara"]
    assert firsts(**{"filter[customer_reference]": "ref-00", "sort": "created_at"}) == ["Cara", "Abe"]
    assert firsts(**{"filter[customer_reference][eq]": "REF-001"}) == ["Cara"]
    assert firsts(**{"filter[customer_reference][eq]": "ref-001"}) == []
    assert firsts(**{"filter[customer_reference][contains]": "Ref", "sort": "first_name"}) == ["Abe", "Cara"]
    assert firsts(**{"filter[street_address][contains]": "elm", "sort": "first_name"}) == ["Bo", "Cara"]
    assert firsts(**{"filter[used_as_emergency]": "true"}) == ["Bo"]
    assert firsts(**{"filter[used_as_emergency]": "false", "sort": "first_name"}) == ["Abe", "Cara"]
    assert firsts(**{"filter[address_book][eq]": "false"}) == ["Abe"]
    short = api.get("/addresses", params={"filter[street_address][contains]": "el"})
    assert only_error(short, 400)["source"] == {"parameter": "filter[street_address][contains]"}
    assert api.get("/addresses", params={"sort": "-city"}).status_code == 400
    assert "used_as_emergency" not in api.get("/addresses").json()["data"][0]


# ===================================================================== pagination
def test_pagination_over_three_pages(api):
    api.seed(billing_groups=[{"name": "group-%02d" % i} for i in range(45)])
    seen = []
    for number, count in ((1, 20), (2, 20), (3, 5)):
        body = api.get("/billing_groups", params={"page[number]": number, "page[size]": 20}).json()
        assert body["meta"] == {"page_number": number, "page_size": 20, "total_pages": 3, "total_results": 45}
        assert len(body["data"]) == count
        seen += [g["name"] for g in body["data"]]
    assert seen == ["group-%02d" % i for i in range(45)]  # creation order, no overlap
    beyond = api.get("/billing_groups", params={"page[number]": 4, "page[size]": 20}).json()
    assert beyond["data"] == [] and beyond["meta"]["total_pages"] == 3
    assert len(api.get("/billing_groups", params={"page[size]": 250}).json()["data"]) == 45
    assert api.get("/billing_groups").json()["meta"]["page_size"] == 20


def test_pagination_parameters_are_validated(api):
    for value in ("251", "0", "-1", "ten"):
        error = only_error(api.get("/access_ip_address", params={"page[size]": value}), 422)
        assert error["source"] == {"parameter": "page[size]"} and error["code"] == "10015"
    error = only_error(api.get("/telephony_credentials", params={"page[number]": "0"}), 400)  # S: 400 here
    assert error["source"] == {"parameter": "page[number]"}


def test_empty_list_has_zero_pages(api):
    for resource in ("access_ip_address", "access_ip_ranges", "addresses", "authentication_providers", "billing_groups",
                     "integration_secrets", "telephony_credentials"):
        body = api.get("/" + resource).json()
        assert body["data"] == [] and body["meta"]["total_pages"] == 0 and body["meta"]["total_results"] == 0


# ===================================================================== control endpoints
def test_request_log_records_path_query_status(api):
    group = api.seed(billing_groups=[{"name": "a"}])["billing_groups"][0]
    api.get("/billing_groups/" + group["id"])
    api.get("/billing_groups", params={"page[size]": 250, "page[number]": 1})
    api.state()  # control endpoints are not logged
    log = api.log()
    stamps = [entry.pop("at") for entry in log]
    assert stamps == sorted(stamps) and abs(stamps[-1] - time.time()) < 5
    assert log == [
        {"seq": 1, "method": "GET", "path": "/v2/billing_groups/" + group["id"], "query": {}, "status": 200, "fault": None},
        {"seq": 2, "method": "GET", "path": "/v2/billing_groups", "query": {"page[size]": "250", "page[number]": "1"},
         "status": 200, "fault": None},
    ]
    assert api.ctl("DELETE", "requests") == {"requests": []}
    assert api.log() == [] and len(api.state()["billing_groups"]) == 1  # clearing the log keeps state


def test_reset_clears_state_log_and_faults(api):
    api.seed(billing_groups=[{"name": "a"}])
    api.get("/billing_groups")
    api.fault(status=500)
    assert api.ctl("POST", "reset") == {"reset": True}
    assert api.log() == [] and api.ctl("GET", "faults") == {"faults": []}
    assert all(objects == [] for objects in api.state().values())


def test_batch_reads_then_resets_seeds_and_queues_faults_in_one_call(api):
    api.seed(billing_groups=[{"name": "old"}])
    api.get("/billing_groups")
    api.post("/addresses/actions/validate", {"country_code": "US", "street_address": "600 Congress Ave",
                                             "postal_code": "78701"})
    api.delete("/billing_groups/unknown")
    answer = api.ctl("POST", "batch", {"state": True, "requests": True, "reset": True,
                                       "seed": {"billing_groups": [{"name": "new"}]},
                                       "faults": [{"method": "POST", "status": 503}, {"status": 429, "retry_after": 1}]})
    # What the last step did, read before the reset ...
    assert [g["name"] for g in answer["state"]["billing_groups"]] == ["old"]
    assert [(r["method"], r["status"]) for r in answer["requests"]] == [("GET", 200), ("POST", 200), ("DELETE", 404)]
    assert answer["writes"] == answer["requests"][2:] and answer["max_in_flight"] == 1  # validate only reads
    # ... then what the next step starts from.
    assert [g["name"] for g in answer["seeded"]["billing_groups"]] == ["new"]
    assert [(f["kind"], f["status"]) for f in answer["faults"]] == [("status", 503), ("status", 429)]
    assert [g["name"] for g in api.state()["billing_groups"]] == ["new"] and api.log() == []
    assert len(api.ctl("GET", "faults")["faults"]) == 2
    # clear_log keeps state; an empty batch answers {} and changes nothing.
    api.get("/billing_groups/" + answer["seeded"]["billing_groups"][0]["id"])
    assert api.ctl("POST", "batch", {"requests": True, "clear_log": True})["writes"] == []
    assert api.ctl("POST", "batch", {}) == {} and api.log() == [] and len(api.state()["billing_groups"]) == 1


@pytest.mark.parametrize("body, says", [
    ({"state": True, "colour": 1}, "batch takes an object with the keys"),
    ({"reset": "yes"}, "take true or false"),
    ({"faults": {"status": 500}}, "faults takes a list"),
    ({"reset": True, "seed": {"widgets": []}}, "seed takes an object"),
    ({"reset": True, "faults": [{"status": 500}, {"times": 0, "status": 500}]}, "times must be"),
])
def test_a_bad_batch_does_nothing(api, body, says):
    api.seed(billing_groups=[{"name": "kept"}])
    response = requests.post(api.root + "/_sandbox/batch", json=body, timeout=10)
    assert response.status_code == 400 and says in response.json()["error"]
    assert len(api.state()["billing_groups"]) == 1 and api.ctl("GET", "faults") == {"faults": []}


def test_seed_fills_ids_timestamps_and_defaults(api):
    seeded = api.seed(
        billing_groups=[{"name": "a"}, {"name": "a"}],
        access_ip_address=[{"ip_address": "1.2.3.4"}, {"ip_address": "1.2.3.5", "status": "pending"}],
        addresses=[{"street_address": "Unknown", "first_name": "x"}],  # seeding skips validation
        authentication_providers=[{"name": "n", "short_name": "s", "settings": SETTINGS}],
        integration_secrets=[{"identifier": "i", "type": "basic", "username": "u", "password": "p"}],
        telephony_credentials=[{"connection_id": "9", "name": "c"}],
    )
    assert [g["name"] for g in seeded["billing_groups"]] == ["a", "a"]
    assert seeded["billing_groups"][0]["id"] != seeded["billing_groups"][1]["id"]
    assert [ip["status"] for ip in seeded["access_ip_address"]] == ["added", "pending"]
    assert seeded["addresses"][0]["id"].isdigit() and seeded["addresses"][0]["address_book"] is True
    assert seeded["authentication_providers"][0]["settings"]["service_provider_login_url"].endswith("/sso/s")
    assert seeded["integration_secrets"][0]["password"] == "p"  # the seed answer shows stored fields
    assert seeded["telephony_credentials"][0]["resource_id"] == "connection:9"
    assert seeded["telephony_credentials"][0]["sip_password"]
    assert all(obj["created_at"] and obj["id"] for objects in seeded.values() for obj in objects)
    assert api.get("/billing_groups/" + seeded["billing_groups"][0]["id"]).status_code == 200
    bad = requests.post(api.root + "/_sandbox/seed", json={"widgets": []}, timeout=10)
    assert bad.status_code == 400


# ===================================================================== faults
def test_status_fault_with_retry_after_counts_down(api):
    fault = api.fault(method="post", path="/v2/billing_groups", status=503, times=2, retry_after=2)
    assert fault["method"] == "POST" and fault["times"] == 2
    assert api.get("/billing_groups").status_code == 200  # method does not match
    for remaining in (1, 0):
        response = api.post("/billing_groups", {"name": "x"})
        assert response.status_code == 503 and response.headers["Retry-After"] == "2"
        assert response.json()["errors"][0]["code"] == "10007"
        assert [f["times"] for f in api.ctl("GET", "faults")["faults"]] == ([remaining] if remaining else [])
    assert api.state()["billing_groups"] == []  # without after_effect nothing was done
    assert api.post("/billing_groups", {"name": "x"}).status_code == 200
    assert [(e["status"], e["fault"]) for e in api.log()] == [(200, None), (503, "status"), (503, "status"), (200, None)]


def test_faults_are_taken_in_queue_order_by_path_prefix(api):
    api.fault(path="/v2/billing_groups", status=500)
    api.fault(path="/v2/billing", status=502)
    api.fault(path="/v2/addresses", status=504)
    assert api.get("/access_ip_address").status_code == 200
    assert api.get("/billing_groups").status_code == 500
    assert api.get("/billing_groups/x").status_code == 502
    assert api.get("/billing_groups").status_code == 200
    assert [f["status"] for f in api.ctl("GET", "faults")["faults"]] == [504]


def test_rate_limit_fault_sets_reset_header_only(api):
    api.fault(status=429, ratelimit_reset=1)
    response = api.get("/billing_groups")
    assert response.status_code == 429 and response.headers["x-ratelimit-reset"] == "1"
    assert "Retry-After" not in response.headers
    assert only_error(response, 429) == {"code": "10011", "title": "Too many requests",
                                         "detail": "You have exceeded the maximum number of allowed requests."}


def test_after_effect_fault_performs_the_operation(api):
    api.fault(method="POST", path="/v2/billing_groups", status=500, after_effect=True)
    assert api.post("/billing_groups", {"name": "made"}).status_code == 500
    assert [g["name"] for g in api.state()["billing_groups"]] == ["made"]


def test_custom_and_malformed_fault_bodies(api):
    api.fault(status=409, body={"errors": [{"code": "10012", "title": "Conflict"}]})
    api.fault(status=200, body='{"data": [')
    assert api.post("/billing_groups", {}).json() == {"errors": [{"code": "10012", "title": "Conflict"}]}
    response = api.get("/billing_groups")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json"
    with pytest.raises(ValueError):
        response.json()
    assert api.get("/billing_groups").json()["data"] == []


def test_drop_fault_closes_the_connection(api):
    api.fault(method="POST", path="/v2/access_ip_address", drop=True)
    with pytest.raises(requests.ConnectionError):
        api.post("/access_ip_address", {"ip_address": "1.1.1.1"})
    assert api.state()["access_ip_address"] == []
    api.fault(method="POST", path="/v2/access_ip_address", drop=True, after_effect=True)
    with pytest.raises(requests.ConnectionError):
        api.post("/access_ip_address", {"ip_address": "2.2.2.2"})
    assert [ip["ip_address"] for ip in api.state()["access_ip_address"]] == ["2.2.2.2"]
    assert [(e["status"], e["fault"]) for e in api.log()] == [(0, "drop"), (0, "drop")]
    assert api.get("/access_ip_address").status_code == 200  # the session reconnects


def test_delay_fault_outlasts_a_client_timeout(api):
    api.fault(method="POST", path="/v2/billing_groups", delay_ms=600)
    with pytest.raises(requests.ReadTimeout):
        api.post("/billing_groups", {"name": "slow"}, timeout=0.2)
    assert [g["name"] for g in api.state()["billing_groups"]] == ["slow"]  # acted before the delay
    api.fault(path="/v2/billing_groups", status=503, delay_ms=300)
    started = time.monotonic()
    assert api.get("/billing_groups").status_code == 503
    assert time.monotonic() - started >= 0.3
    assert [e["fault"] for e in api.log()] == ["delay", "status"]


def test_faults_apply_to_authenticated_requests_only(api):
    api.fault(status=500)
    assert requests.get(api.url + "/billing_groups", timeout=10).status_code == 401
    assert api.get("/billing_groups").status_code == 500


def test_race_fault_seeds_objects_just_before_the_request(api):
    fault = api.fault(method="POST", path="/v2/billing_groups", race={"billing_groups": [{"name": "ops"}]}, times=2)
    assert fault["kind"] == "race"
    assert api.get("/billing_groups").json()["data"] == []  # GET does not match
    created = api.post("/billing_groups", {"name": "ops"})
    assert created.status_code == 200  # then the request is performed normally
    assert [g["name"] for g in api.state()["billing_groups"]] == ["ops", "ops"]
    assert api.state()["billing_groups"][0]["id"] != created.json()["data"]["id"]  # the other client's came first
    api.post("/billing_groups", {"name": "x"})
    assert [g["name"] for g in api.state()["billing_groups"]] == ["ops", "ops", "ops", "x"]  # seeded again
    assert [e["fault"] for e in api.log()] == [None, "race", "race"]


def test_race_fault_combines_with_status_and_drop(api):
    api.fault(method="POST", path="/v2/integration_secrets", status=503,
              race={"integration_secrets": [{"identifier": "crm", "type": "bearer", "token": "t"}]})
    assert api.post("/integration_secrets", {"identifier": "crm", "type": "bearer", "token": "t"}).status_code == 503
    assert [s["identifier"] for s in api.state()["integration_secrets"]] == ["crm"]  # the race landed, ours did not
    retry = api.post("/integration_secrets", {"identifier": "crm", "type": "bearer", "token": "t"})
    assert only_error(retry, 422)["detail"] == "identifier is already taken."
    api.fault(path="/v2/access_ip_ranges", drop=True, race={"access_ip_ranges": [{"cidr_block": "10.0.0.0/8"}]})
    with pytest.raises(requests.ConnectionError):
        api.get("/access_ip_ranges")
    assert [b["cidr_block"] for b in api.state()["access_ip_ranges"]] == ["10.0.0.0/8"]


def test_fault_specs_are_validated(api):
    for spec in ({}, {"status": 99}, {"status": 500, "times": 0}, {"status": 500, "drop": True},
                 {"status": 500, "colour": "red"}, {"path": "v2", "status": 500}, {"delay_ms": -1},
                 {"drop": True, "retry_after": 1}, {"race": []}, {"race": {"widgets": []}},
                 {"race": {"billing_groups": {"name": "a"}}}, {"race": {"billing_groups": ["a"]}}):
        response = requests.post(api.root + "/_sandbox/faults", json=spec, timeout=10)
        assert response.status_code == 400, spec
    assert api.ctl("GET", "faults") == {"faults": []}


# ===================================================================== command-line options
def test_rate_limit_answers_429_with_headers():
    with running("--rate-limit", "3") as (url, dummy):
        client = Client(url)
        responses = [client.get("/billing_groups") for dummy in range(5)]
        assert [r.status_code for r in responses] == [200, 200, 200, 429, 429]  # one window: it starts at the first
        limited = responses[3]
        assert limited.json() == {"errors": [{"code": "10011", "title": "Too many requests",
                                              "detail": "You have exceeded the maximum number of allowed requests."}]}
        assert "Retry-After" not in limited.headers
        assert limited.headers["x-ratelimit-limit"] == "3" and limited.headers["x-ratelimit-remaining"] == "0"
        assert limited.headers["x-ratelimit-reset"] == "1"
        assert responses[0].headers["x-ratelimit-limit"] == "3" and responses[0].headers["x-ratelimit-remaining"] == "2"
        assert all(requests.get(client.root + "/_sandbox/requests", timeout=10).status_code == 200 for dummy in range(5))
        assert "rate_limit" in [e["fault"] for e in client.log()]
        time.sleep(1.05)
        assert client.get("/billing_groups").status_code == 200


def test_no_ratelimit_headers_without_rate_limit(api):
    assert "x-ratelimit-limit" not in api.get("/billing_groups").headers


def test_latency_slows_api_answers_only():
    with running("--latency-ms", "200") as (url, dummy):
        client = Client(url)
        started = time.monotonic()
        assert client.get("/billing_groups").status_code == 200
        assert time.monotonic() - started >= 0.2
        started = time.monotonic()
        client.log()
        assert time.monotonic() - started < 0.2


def test_max_in_flight_counts_concurrent_requests():
    # A long latency keeps the three requests overlapping even on a loaded machine.
    with running("--latency-ms", "1500") as (url, dummy):
        client = Client(url)
        threads = [threading.Thread(target=lambda: Client(url).get("/billing_groups")) for dummy in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert client.ctl("GET", "requests")["max_in_flight"] == 3
        client.ctl("DELETE", "requests")
        client.get("/billing_groups")
        assert client.ctl("GET", "requests")["max_in_flight"] == 1


def test_state_file_persists_across_restarts(tmp_path):
    state_file = tmp_path / "state.json"
    with running("--state", str(state_file)) as (url, dummy):
        client = Client(url)
        group = client.post("/billing_groups", {"name": "kept"}).json()["data"]
        client.post("/integration_secrets", {"identifier": "k", "type": "bearer", "token": "t"})
    assert json.loads(state_file.read_text(encoding="utf-8"))["resources"]["billing_groups"][0]["name"] == "kept"
    with running("--state", str(state_file)) as (url, dummy):
        client = Client(url)
        assert client.get("/billing_groups/" + group["id"]).json()["data"] == group
        assert client.state()["integration_secrets"][0]["token"] == "t"
        client.ctl("POST", "reset")
    with running("--state", str(state_file)) as (url, dummy):
        assert Client(url).get("/billing_groups").json()["data"] == []
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]  # no temporary files left behind


@pytest.mark.parametrize("content, says", [
    ("not json", "not JSON: Expecting value"),
    (b"\xff\xfe\x00garbage", "not JSON"),
    ("[]", "the top level must be an object"),
    ('{"resources": []}', '"resources" must be an object'),
    ('{"resources": {"billing_groups": {"a": 1}}}', "resources.billing_groups must be a list of objects, not a dict"),
    ('{"resources": {"billing_groups": ["x"]}}', "resources.billing_groups[0] must be an object, not a str"),
    ('{"resources": {"billing_groups": [{"name": "a"}]}}', 'resources.billing_groups[0] has no string "id"'),
])
def test_a_malformed_state_file_fails_with_one_line(tmp_path, content, says):
    state_file = tmp_path / "state.json"
    if isinstance(content, bytes):
        state_file.write_bytes(content)
    else:
        state_file.write_text(content, encoding="utf-8")
    done = subprocess.run([sys.executable, str(SERVER), "--state", str(state_file), "--port", "0"],
                          capture_output=True, text=True, timeout=30, check=False)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith("cannot load the state file %s: " % state_file), done.stderr
    assert says in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_signals_end_the_server_cleanly(sig):
    with running() as (url, proc):
        Client(url).get("/billing_groups")
        proc.send_signal(sig)
        assert proc.wait(timeout=10) == 0
        assert proc.stderr.read() == ""


def test_quiet_unless_verbose():
    with running("--verbose") as (url, proc):
        Client(url).get("/billing_groups")
        proc.terminate()
        proc.wait(timeout=10)
        assert "GET /v2/billing_groups" in proc.stderr.read()


# ===================================================================== OpenAPI conformance
def openapi_subset_path() -> Path:
    return Path(os.environ.get("TELNYX_OPENAPI_SUBSET") or REPO_ROOT.parent / "shared" / "telnyx-openapi-subset.json")


def spec_file() -> Path:
    path = openapi_subset_path()
    if not path.is_file():
        pytest.skip("the Telnyx OpenAPI subset is absent (looked at %s; set TELNYX_OPENAPI_SUBSET)" % path)
    return path


def load_spec(base_url: str) -> dict:
    """S made strict, with the sandbox's departures patched in (telnyx_sandbox/departures.py), served at base_url."""
    spec = specs.validation_spec(json.loads(spec_file().read_text(encoding="utf-8")))
    spec["servers"] = [{"url": base_url}]
    return spec


@pytest.fixture(scope="session")
def spec_server():
    pytest.importorskip("openapi_core")
    with running("--spec", str(spec_file())) as (url, proc):
        yield url
        proc.terminate()
        proc.wait(timeout=10)
        assert proc.stderr.read() == ""


@pytest.fixture
def spec_api(spec_server):
    """A client of the --spec sandbox, with state and conformance counts cleared."""
    client = Client(spec_server)
    client.ctl("POST", "reset")
    client.ctl("DELETE", "conformance")
    yield client
    client.http.close()


def test_responses_conform_to_the_openapi_subset(spec_api):
    api = spec_api
    spec = load_spec(api.url)
    openapi_core = pytest.importorskip("openapi_core")
    wrappers = pytest.importorskip("openapi_core.contrib.requests")
    openapi_errors = pytest.importorskip("openapi_core.exceptions")
    app = openapi_core.OpenAPI.from_dict(spec)
    checked, invalid_requests = [], []

    def check(template: str, response: requests.Response, status: int, valid: bool = True) -> requests.Response:
        """Validate the request (or, with valid=False, that the spec rejects it too) and the response."""
        assert response.status_code == status, (template, response.text)
        request = wrappers.RequestsOpenAPIRequest(response.request)
        if valid:
            app.validate_request(request)
        else:
            with pytest.raises(openapi_errors.OpenAPIError):
                app.validate_request(request)
            invalid_requests.append((response.request.method, urlsplit(response.request.url).path))
        app.validate_response(request, wrappers.RequestsOpenAPIResponse(response))
        checked.append((response.request.method.lower(), template))
        return response

    ip = check("/access_ip_address", api.post("/access_ip_address", {"ip_address": "192.0.2.10", "description": "d"}), 200)
    ip_id = ip.json()["id"]
    query = {"filter[ip_address]": "192.0.2.10", "page[number]": 1, "page[size]": 250}
    check("/access_ip_address", api.get("/access_ip_address", params=query), 200)
    check("/access_ip_address/{access_ip_address_id}", api.get("/access_ip_address/" + ip_id), 200)
    check("/access_ip_address/{access_ip_address_id}", api.delete("/access_ip_address/" + ip_id), 200)
    check("/access_ip_address/{access_ip_address_id}", api.get("/access_ip_address/" + ip_id), 404)
    check("/access_ip_address", api.post("/access_ip_address", {"ip_address": "nope"}), 422)
    check("/access_ip_address", requests.get(api.url + "/access_ip_address", headers={"Authorization": "Bearer no"},
                                             timeout=10), 401)  # departure undeclared-error-statuses

    block = check("/access_ip_ranges", api.post("/access_ip_ranges", {"cidr_block": "192.0.2.0/24", "description": "d"}), 200)
    query = {"filter[cidr_block][startswith]": "192.0", "filter[created_at][gt]": "2020-01-01T00:00:00Z", "page[size]": 250}
    check("/access_ip_ranges", api.get("/access_ip_ranges", params=query), 200)
    check("/access_ip_ranges", api.get("/access_ip_ranges", params={"filter[cidr_block]": "192.0.2.0/24"}), 200)
    check("/access_ip_ranges/{access_ip_range_id}", api.delete("/access_ip_ranges/" + block.json()["id"]), 200)
    check("/access_ip_ranges/{access_ip_range_id}", api.delete("/access_ip_ranges/" + block.json()["id"]), 404)
    check("/access_ip_ranges", api.post("/access_ip_ranges", {"cidr_block": "192.0.2.1"}), 422)
    check("/access_ip_ranges", api.post("/access_ip_ranges", {"description": "no block"}), 422, valid=False)

    body = dict(ADDRESS, customer_reference="REF 1", street_address="600 Congress Avenue")
    address = check("/addresses", api.post("/addresses", body), 200)
    address_id = address.json()["data"]["id"]
    check("/addresses", api.get("/addresses", params={"filter[customer_reference][eq]": "REF 1",
                                                      "sort": "street_address", "page[size]": 250}), 200)
    check("/addresses/{id}", api.get("/addresses/" + address_id), 200)
    check("/addresses/actions/validate", api.post("/addresses/actions/validate", {
        "country_code": "US", "street_address": "Unknown", "postal_code": "78701"}), 200)
    accept = "/addresses/{id}/actions/accept_suggestions"
    check(accept, api.post("/addresses/%s/actions/accept_suggestions" % address_id, {"id": address_id}), 202)
    check(accept, api.post("/addresses/%s/actions/accept_suggestions" % address_id, {"id": address_id}), 200)
    check(accept, api.post("/addresses/1/actions/accept_suggestions", {}), 404)
    check("/addresses/{id}", api.delete("/addresses/" + address_id), 200)
    check("/addresses/{id}", api.get("/addresses/" + address_id), 404)
    check("/addresses", api.post("/addresses", {"first_name": "x"}), 422, valid=False)

    body = {"name": "Okta", "short_name": "myorg", "settings": SETTINGS, "settings_url": "https://idp.example.com/m"}
    provider = check("/authentication_providers", api.post("/authentication_providers", body), 200)
    assert "settings_url" not in provider.json()["data"]  # write-only
    provider_path = "/authentication_providers/" + provider.json()["data"]["id"]
    check("/authentication_providers", api.get("/authentication_providers", params={"sort": "-name", "page[size]": 5}), 200)
    check("/authentication_providers/{id}", api.get(provider_path), 200)
    check("/authentication_providers/{id}", api.patch(provider_path, {"name": "Okta 2", "active": False}), 200)
    check("/authentication_providers/{id}", api.delete(provider_path), 200)
    check("/authentication_providers", api.post("/authentication_providers", body), 200)
    check("/authentication_providers", api.post("/authentication_providers", body), 422)

    group = check("/billing_groups", api.post("/billing_groups", {"name": "g"}), 200)
    group_path = "/billing_groups/" + group.json()["data"]["id"]
    check("/billing_groups", api.get("/billing_groups", params={"page[number]": 1, "page[size]": 20}), 200)
    check("/billing_groups/{id}", api.get(group_path), 200)
    check("/billing_groups/{id}", api.patch(group_path, {"name": "h"}), 200)
    check("/billing_groups/{id}", api.delete(group_path), 200)
    check("/billing_groups/{id}", api.get(group_path), 404)
    check("/billing_groups", api.post("/billing_groups", {"name": 1}), 422, valid=False)

    secret = check("/integration_secrets", api.post("/integration_secrets", {"identifier": "s", "type": "bearer", "token": "t"}), 201)
    check("/integration_secrets", api.get("/integration_secrets", params={"filter[type]": "bearer", "page[size]": 10}), 200)
    check("/integration_secrets", api.post("/integration_secrets", {"identifier": "s", "type": "bearer", "token": "t"}), 422)
    check("/integration_secrets/{id}", api.delete("/integration_secrets/" + secret.json()["data"]["id"], headers={"Accept": "*/*"}), 204)
    check("/integration_secrets/{id}", api.delete("/integration_secrets/" + secret.json()["data"]["id"]), 404)

    cred = check("/telephony_credentials", api.post("/telephony_credentials", {
        "connection_id": "1234567890", "name": "c", "tag": "t", "expires_at": "2042-06-18T21:32:38Z"}), 201)
    cred_path = "/telephony_credentials/" + cred.json()["data"]["id"]
    check("/telephony_credentials", api.get("/telephony_credentials", params={"filter[tag]": "t", "page[size]": 50}), 200)
    check("/telephony_credentials/{id}", api.get(cred_path), 200)
    check("/telephony_credentials/{id}", api.patch(cred_path, {"name": "d"}), 200)
    check("/telephony_credentials/{id}/token", api.post(cred_path + "/token", headers={"Accept": "text/plain"}), 201)
    check("/telephony_credentials/{id}", api.delete(cred_path), 200)
    check("/telephony_credentials/{id}/token", api.post(cred_path + "/token"), 404)

    check("/addresses", requests.get(api.url + "/addresses", timeout=10), 401, valid=False)  # no bearer key

    operations = {(method, path) for path, item in spec["paths"].items() for method in item
                  if method in ("get", "post", "patch", "delete")}
    assert len(operations) == 32
    assert operations == set(checked), "operations not exercised: %s" % sorted(operations - set(checked))

    # The server's own --spec check agrees: only the deliberately invalid requests are violations.
    report = api.ctl("GET", "conformance")
    assert report["requests_validated"] == report["responses_validated"] == len(checked)
    assert sorted((v["method"], v["path"], v["where"]) for v in report["violations"]) == sorted(
        (method, path, "request") for method, path in invalid_requests), report["violations"]
    assert report["departures_used"]["accept-suggestions-int64-id"] == 3
    assert report["departures_used"]["undeclared-error-statuses"] == 1
    assert report["undeclared_response_fields"] == 0 and report["skipped"] == 0


def test_secrets_lists_every_secret_value_received_or_made_and_outlives_reset(api):
    api.post("/integration_secrets", {"identifier": "s1", "type": "bearer", "token": "token-seen-1"})
    credential = api.post("/telephony_credentials", {"connection_id": "9", "name": "c"}).json()["data"]
    token = api.post("/telephony_credentials/%s/token" % credential["id"]).text
    api.seed(integration_secrets=[{"identifier": "s2", "type": "basic", "username": "user-seen", "password": "pass-seen"}])
    api.ctl("POST", "reset")
    seen = set(api.ctl("GET", "secrets")["secrets"])
    assert {KEY, "token-seen-1", credential["sip_password"], token, "user-seen", "pass-seen"} <= seen


def test_strict_validator_flags_an_undeclared_response_field():
    pytest.importorskip("openapi_core")
    from telnyx_sandbox.api import Reply, json_reply
    from telnyx_sandbox.conformance import Conformance
    checker = Conformance(json.loads(spec_file().read_text(encoding="utf-8")))
    headers = {"Authorization": "Bearer k", "Content-Type": "application/json"}
    ip = {"id": "1", "ip_address": "192.0.2.1", "source": "api", "status": "added", "user_id": "u"}
    checker.check("GET", "/v2/access_ip_address/1", "", headers, b"", json_reply(200, ip))
    assert checker.report()["violation_count"] == 0
    checker.check("GET", "/v2/access_ip_address/1", "", headers, b"", json_reply(200, dict(ip, colour="red")))
    provider = {"data": {"id": "4b6c2f0e-1b7a-4a51-9d5e-3f0c2b1a9e77", "name": "n", "short_name": "s",
                         "settings_url": "https://idp.example.com/m"}}
    checker.check("GET", "/v2/authentication_providers/x", "", headers, b"", json_reply(200, provider))
    checker.check("POST", "/v2/access_ip_ranges", "", headers, b'{"cidr_block": "10.0.0.0/8", "extra": 1}',
                  json_reply(200, {"id": "r", "cidr_block": "10.0.0.0/8", "status": "added", "user_id": "u"}))
    checker.check("GET", "/v2/billing_groups", "", headers, b"", Reply(503, b"{not json", injected=True))
    checker.check("GET", "/v2/billing_groups", "", headers, b"", None)  # a dropped connection
    checker.check("GET", "/v2/nowhere", "", headers, b"", json_reply(404, {}))
    report = checker.report()
    found = [(v["where"], v.get("undeclared_fields")) for v in report["violations"]]
    assert found == [("response", ["colour"]), ("response", ["settings_url"]), ("request", ["extra"])]
    assert "colour" in report["violations"][0]["reason"] and report["violations"][0]["status"] == 200
    assert report["undeclared_response_fields"] == 2  # the request's extra field is not a response field
    assert report["skipped_reasons"] == {"injected fault": 2, "operation not in the spec": 1}
    assert report["requests_validated"] == 6 and report["responses_validated"] == 4


def test_conformance_endpoint_counts_skips_and_outlives_reset(spec_api):
    api = spec_api
    assert api.get("/billing_groups").status_code == 200
    assert api.get("/nothing_here").status_code == 404  # not in the spec: skipped
    assert api.get("/access_ip_ranges/x").status_code == 405
    api.fault(path="/v2/billing_groups", status=200, body='{"data": [')  # malformed on purpose: not a violation
    api.get("/billing_groups")
    api.ctl("POST", "reset")
    report = api.ctl("GET", "conformance")
    assert (report["requests_validated"], report["responses_validated"], report["violation_count"]) == (2, 1, 0)
    assert report["skipped"] == 3
    assert report["skipped_reasons"] == {"operation not in the spec": 2, "injected fault": 1}
    assert report["departures_listed"] == len(departures.DEPARTURES)
    assert report["median_ms_per_exchange"] > 0
    cleared = api.ctl("DELETE", "conformance")
    assert cleared["requests_validated"] == cleared["skipped"] == 0 and cleared["violations"] == []


def test_nested_deep_object_filters_are_checked_key_by_key(spec_api):
    # openapi-core 0.23 reads filter[a][b]=v as {"a": "v"}: the sandbox checks nested filters itself.
    api = spec_api
    api.ctl("DELETE", "conformance")
    for query in ({"filter[street_address][contains]": "main", "filter[used_as_emergency]": "true"},
                  {"filter[address_book][eq]": "false"}, {"filter[customer_reference][eq]": "hq"}):
        assert api.get("/addresses", params=query).status_code == 200
    assert api.get("/access_ip_ranges", params={"filter[cidr_block][startswith]": "10.",
                                                "filter[created_at][gt]": "2026-01-01T00:00:00Z"}).status_code == 200
    assert api.ctl("GET", "conformance")["violation_count"] == 0
    api.get("/addresses", params={"filter[address_book][neq]": "false"})
    api.get("/access_ip_ranges", params={"filter[cidr_block][bogus]": "1"})
    report = api.ctl("GET", "conformance")
    assert report["violation_count"] == 2
    assert "'neq' was unexpected" in report["violations"][0]["reason"]
    assert report["violations"][1]["reason"].startswith("query parameter filter at cidr_block")


def test_conformance_endpoint_needs_spec_option(api):
    response = requests.get(api.root + "/_sandbox/conformance", timeout=10)
    assert response.status_code == 400 and "--spec" in response.json()["error"]
    assert api.get("/billing_groups").status_code == 200  # and nothing is validated


def report_cli(url: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SANDBOX_DIR / "conformance_report.py"), url], check=False,
                          capture_output=True, text=True, timeout=30)


def test_conformance_report_cli(spec_api):
    api = spec_api
    idle = report_cli(api.url)
    assert idle.returncode == 1 and idle.stdout.startswith("conformance: 0 requests")  # nothing validated
    api.post("/addresses/1/actions/accept_suggestions")
    clean = report_cli(api.url)
    assert clean.returncode == 0, clean.stdout
    assert clean.stdout.splitlines() == [
        "conformance: 1 requests and 1 responses validated against the OpenAPI subset, 0 violations, "
        "0 undeclared response fields, departures used: 1 of %d (accept-suggestions-int64-id)" % len(departures.DEPARTURES)]
    api.post("/billing_groups", {"name": 5})
    failing = report_cli(api.root)
    assert failing.returncode == 1
    assert failing.stdout.splitlines()[1].startswith("  POST /v2/billing_groups -> 422, request: ")


def test_spec_option_fails_with_one_line(tmp_path):
    fake = tmp_path / "openapi_core"
    fake.mkdir()
    (fake / "__init__.py").write_text("raise ImportError(\"No module named 'openapi_core'\")\n")
    cases = (([str(SERVER), "--spec", str(tmp_path / "missing.json")], {}, "cannot load the OpenAPI spec"),
             ([str(SERVER), "--spec", str(tmp_path / "x.json")], {"PYTHONPATH": str(tmp_path)}, "--spec needs openapi-core"))
    for args, env, message in cases:
        done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=30, check=False,
                              env={**os.environ, **env})
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.startswith(message) and len(done.stderr.strip().splitlines()) == 1, done.stderr


def test_readme_lists_exactly_the_departures_in_code():
    readme = (SANDBOX_DIR / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Departures from the spec", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\* \*\*`([a-z0-9-]+)`\*\*", section, re.MULTILINE)
    assert listed == departures.departure_ids()
