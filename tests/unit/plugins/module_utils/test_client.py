# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json
import threading

import pytest
import requests
from urllib3.exceptions import NewConnectionError, ProtocolError

from ansible_collections.telnyx.account_access.plugins.module_utils import _client, _connection, _transport
from ansible_collections.telnyx.account_access.plugins.module_utils._api_error import TelnyxError
from ansible_collections.telnyx.account_access.plugins.module_utils._client import TelnyxClient
from ansible_collections.telnyx.account_access.plugins.module_utils._transport import check_api_url

KEY = "KEY0123456789secret"


def response(status, body=None, headers=None, content_type="application/json", raw=None):
    resp = requests.Response()
    resp.status_code = status
    if raw is not None:
        resp._content = raw.encode()
    elif body is not None:
        resp._content = json.dumps(body).encode()
    else:
        resp._content = b""
    resp.headers["Content-Type"] = content_type
    resp.headers.update(headers or {})
    return resp


def telnyx_error(code, title, detail=None, pointer=None):
    item = {"code": code, "title": title}
    if detail:
        item["detail"] = detail
    if pointer:
        item["source"] = {"pointer": pointer}
    return {"errors": [item]}


class Script:
    """Stands in for session.request: answers (or raises) from a list, records the calls."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, method, url, **kwargs):
        self.calls.append((method, url, kwargs))
        answer = self.answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer


def make_client(*answers, max_retries=3, jitter="low"):
    sleeps = []
    now = [0.0]

    def sleep(seconds):  # a clock that moves only when the client sleeps
        sleeps.append(seconds)
        now[0] += seconds

    rand = (lambda a, b: a) if jitter == "low" else (lambda a, b: b)
    client = TelnyxClient(KEY, "https://api.example.test/v2", timeout=5, max_retries=max_retries,
                          sleep=sleep, rand=rand)
    client.clock = lambda: now[0]
    script = Script(*answers)
    client.session.request = script
    return client, script, sleeps


def refused():
    return requests.exceptions.ConnectionError(
        requests.packages.urllib3.exceptions.MaxRetryError(None, "/v2", NewConnectionError(None, "refused")))


def dropped():
    return requests.exceptions.ConnectionError(ProtocolError("Connection aborted.", ConnectionResetError(104)))


# -- retries ------------------------------------------------------------------------------

def test_get_retried_after_503_then_succeeds():
    client, script, sleeps = make_client(response(503), response(200, {"data": {"id": "1"}}))
    assert client.get("/billing_groups/1") == {"data": {"id": "1"}}
    assert len(script.calls) == 2
    assert len(sleeps) == 1


def test_retry_after_seconds_is_honoured():
    client, script, sleeps = make_client(response(429, headers={"Retry-After": "7"}), response(200, {"data": []}))
    client.get("/billing_groups")
    assert sleeps == [7.0]


def test_retry_after_http_date_is_honoured(monkeypatch):
    monkeypatch.setattr(_client.time, "time", lambda: 1_000_000_000.0)
    date = "Sun, 09 Sep 2001 01:46:43 GMT"  # 3 s after the mocked now
    client, script, sleeps = make_client(response(503, headers={"Retry-After": date}), response(200, {}))
    client.get("/billing_groups")
    assert sleeps == [pytest.approx(3.0)]


def test_ratelimit_reset_is_honoured_when_no_retry_after():
    client, script, sleeps = make_client(response(429, headers={"x-ratelimit-reset": "2"}), response(200, {}))
    client.get("/billing_groups")
    assert sleeps == [2.0]


def test_header_wait_is_capped():
    client, script, sleeps = make_client(response(429, headers={"Retry-After": "3600"}), response(200, {}))
    client.get("/billing_groups")
    assert sleeps == [_client.MAX_BACKOFF]


def test_429_is_waited_out_beyond_max_retries():
    answers = [response(429, headers={"x-ratelimit-reset": "1"})] * 5 + [response(200, {})]
    client, script, sleeps = make_client(*answers, max_retries=1)
    client.post("/billing_groups", json={"name": "a"})
    assert sleeps == [1.0] * 5 and len(script.calls) == 6


def test_429_patience_runs_out_with_one_clear_error():
    client, script, sleeps = make_client(*[response(429, headers={"Retry-After": "1"})] * 10)
    client.rate_limit_patience = 3
    with pytest.raises(TelnyxError, match="HTTP 429"):
        client.get("/billing_groups")
    assert sleeps == [1.0, 1.0, 1.0] and len(script.calls) == 4


def test_a_429_holds_every_request_of_the_client():
    client, script, sleeps = make_client(response(200, {}))
    client._pause(0, {"Retry-After": "2"})  # as another worker thread's request met a 429
    client.get("/billing_groups")
    assert sleeps == [2.0]


def test_backoff_grows_exponentially_and_is_capped():
    answers = [response(502)] * 8 + [response(200, {})]
    client, script, sleeps = make_client(*answers, max_retries=8, jitter="high")
    client.get("/billing_groups")
    assert sleeps == [0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]


def test_backoff_has_jitter():
    client, script, sleeps = make_client(response(504), response(200, {}), jitter="low")
    client.get("/billing_groups")
    assert sleeps == [0.25]  # half of the 0.5 s first step


def test_retries_are_bounded():
    client, script, sleeps = make_client(*[response(503)] * 4, max_retries=3)
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert len(script.calls) == 4
    assert caught.value.status == 503
    assert "server error" in caught.value.message


def test_post_not_retried_after_503():
    client, script, sleeps = make_client(response(503), response(200, {}))
    with pytest.raises(TelnyxError) as caught:
        client.post("/billing_groups", json={"name": "a"})
    assert len(script.calls) == 1
    assert caught.value.ambiguous


def test_post_not_retried_after_dropped_connection():
    client, script, sleeps = make_client(dropped(), response(200, {}))
    with pytest.raises(TelnyxError) as caught:
        client.post("/billing_groups", json={"name": "a"})
    assert len(script.calls) == 1
    assert caught.value.ambiguous
    assert "broke" in caught.value.message


def test_post_not_retried_after_read_timeout():
    client, script, sleeps = make_client(requests.exceptions.ReadTimeout(), response(200, {}))
    with pytest.raises(TelnyxError) as caught:
        client.post("/billing_groups", json={"name": "a"})
    assert len(script.calls) == 1
    assert caught.value.ambiguous
    assert "timeout" in caught.value.message


def test_post_retried_after_429():
    client, script, sleeps = make_client(response(429), response(200, {"data": {"id": "1"}}))
    assert client.post("/billing_groups", json={"name": "a"}) == {"data": {"id": "1"}}
    assert len(script.calls) == 2


def test_post_retried_when_connection_refused():
    client, script, sleeps = make_client(refused(), response(200, {"data": {"id": "1"}}))
    client.post("/billing_groups", json={"name": "a"})
    assert len(script.calls) == 2


def test_get_and_delete_retried_after_dropped_connection():
    client, script, sleeps = make_client(dropped(), response(200, {}), dropped(), response(200, {}))
    client.get("/billing_groups/1")
    client.delete("/billing_groups/1")
    assert [c[0] for c in script.calls] == ["GET", "GET", "DELETE", "DELETE"]


# -- pagination -----------------------------------------------------------------------------

def page(items, number, total):
    return response(200, {"data": items, "meta": {"page_number": number, "page_size": 250,
                                                  "total_pages": total, "total_results": 0}})


def test_paginates_three_pages_and_stops_at_total_pages():
    objects = [{"id": str(n)} for n in range(4)]
    client, script, sleeps = make_client(page(objects[:2], 1, 3), page(objects[2:3], 2, 3), page(objects[3:], 3, 3))
    assert list(client.paginate("/billing_groups", {"filter[x]": "y"})) == objects
    sent = [c[2]["params"] for c in script.calls]
    assert [p["page[number]"] for p in sent] == [1, 2, 3]
    assert all(p["page[size]"] == 250 and p["filter[x]"] == "y" for p in sent)


def test_pagination_stops_at_empty_page_without_meta():
    client, script, sleeps = make_client(response(200, {"data": [{"id": "1"}]}), response(200, {"data": []}))
    assert list(client.paginate("/integration_secrets")) == [{"id": "1"}]
    assert len(script.calls) == 2


@pytest.mark.parametrize("data, says", [([{"id": "1"}, 7], "not an object (int)"), ([{"name": "x"}], "without an id"),
                                        ([{"id": ""}], "without an id"), ([None], "not an object (NoneType)")])
def test_a_listing_of_anything_but_objects_with_ids_fails_in_one_line(data, says):
    client, script, sleeps = make_client(page(data, 1, 1))
    with pytest.raises(TelnyxError) as failure:
        list(client.paginate("/billing_groups"))
    assert says in failure.value.message


def test_pagination_of_empty_list_is_one_request():
    client, script, sleeps = make_client(page([], 1, 0))
    assert list(client.paginate("/billing_groups")) == []
    assert len(script.calls) == 1


def test_pages_the_caller_expects_are_asked_for_at_once_and_an_unused_one_is_ignored():
    # 600 objects expected: pages 1-3 must all be in flight together (the barrier breaks otherwise);
    # the listing has only two pages, so page 3's answer is dropped.
    together = threading.Barrier(3, timeout=5)
    objects = [{"id": str(n)} for n in range(300)]

    def answer(method, url, **kwargs):
        number = kwargs["params"]["page[number]"]
        together.wait()
        return page(objects[(number - 1) * 250:number * 250], number, 2)

    client, script, sleeps = make_client()
    client.session.request = answer
    assert list(client.paginate("/billing_groups", expected=600)) == objects


def test_a_page_asked_for_early_that_the_listing_never_reaches_cannot_fail_it():
    # Telnyx does not document its answer for a page past the last: an error there is never the listing's.
    objects = [{"id": str(n)} for n in range(10)]

    def answer(method, url, **kwargs):
        number = kwargs["params"]["page[number]"]
        if number == 1:
            return page(objects, 1, 1)
        return response(422, telnyx_error("10015", "Bad Request", "page out of range"))

    client, script, sleeps = make_client()
    client.session.request = answer
    assert list(client.paginate("/billing_groups", expected=700)) == objects


def test_pages_at_once_are_bounded():
    asked = []

    def answer(method, url, **kwargs):
        asked.append(kwargs["params"]["page[number]"])
        return page([], kwargs["params"]["page[number]"], 0)

    client, script, sleeps = make_client()
    client.session.request = answer
    assert list(client.paginate("/billing_groups", expected=10 ** 6)) == []
    assert sorted(asked) == list(range(1, _client.MAX_PAGES_AT_ONCE + 1))


# -- bodies and errors ----------------------------------------------------------------------------

def test_text_plain_and_204_bodies():
    client, script, sleeps = make_client(response(201, raw="a.b.c", content_type="text/plain"), response(204))
    assert client.post("/telephony_credentials/1/token", accept="text/plain") == "a.b.c"
    assert client.delete("/integration_secrets/1") is None
    assert script.calls[0][2]["headers"] == {"Accept": "text/plain"}


@pytest.mark.parametrize("status, body, expected", [
    (401, telnyx_error("10009", "Authentication failed"), ["HTTP 401", "api_key", "TELNYX_API_KEY", "(10009)"]),
    (403, telnyx_error(10010, "Authorization failed"), ["HTTP 403", "permissions", "(10010)"]),
    (404, telnyx_error("10005", "Resource not found", "No billing group"), ["HTTP 404", "No billing group"]),
    (422, telnyx_error("10015", "Bad Request", "must be a string", "/name"), ["HTTP 422", "name: must be a string (10015)"]),
    (409, {"errors": [{"detail": "in use"}]}, ["HTTP 409", "in use"]),
    (429, telnyx_error("10011", "Too many requests"), ["HTTP 429", "rate limited", "(10011)"]),
    (500, None, ["HTTP 500", "server error"]),
])
def test_error_messages_are_actionable(status, body, expected):
    client, script, sleeps = make_client(*[response(status, body)] * 4)
    client.rate_limit_patience = 0
    with pytest.raises(TelnyxError) as caught:
        client.patch("/billing_groups/1", json={"name": "secret-looking-body"})
    message = caught.value.message
    assert message.startswith("PATCH /billing_groups/1: ")
    for part in expected:
        assert part in message
    for leak in (KEY, "Bearer", "secret-looking-body"):
        assert leak not in message
        assert leak not in json.dumps(caught.value.to_dict())


def test_error_to_dict_has_structure():
    client, script, sleeps = make_client(response(422, telnyx_error("10015", "Bad Request", "bad", "/name")))
    with pytest.raises(TelnyxError) as caught:
        client.post("/billing_groups", json={})
    assert caught.value.to_dict() == {"method": "POST", "path": "/billing_groups", "status": 422, "reason": None,
                                      "errors": [{"code": "10015", "title": "Bad Request", "detail": "bad",
                                                  "pointer": "/name"}]}


def test_non_json_error_body():
    client, script, sleeps = make_client(response(502, raw="<html>bad gateway</html>", content_type="text/html"),
                                         max_retries=0)
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert "not JSON" in caught.value.message and "text/html" in caught.value.message
    assert "<html>" not in caught.value.message


def test_malformed_json_success_body():
    client, script, sleeps = make_client(response(200, raw="{not json"))
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert "not valid JSON" in caught.value.message


def test_connection_refused_message():
    client, script, sleeps = make_client(*[refused()] * 4)
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert "could not connect to api.example.test" in caught.value.message
    assert "api_url" in caught.value.message


def test_timeout_message():
    client, script, sleeps = make_client(*[requests.exceptions.ReadTimeout()] * 4)
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert "no answer within 5 s" in caught.value.message


def test_requests_carry_key_and_user_agent():
    client, script, sleeps = make_client(response(200, {}))
    assert client.session.headers["Authorization"] == "Bearer " + KEY
    assert client.session.headers["User-Agent"].startswith("telnyx.account_access/")
    client.get("/billing_groups")
    assert script.calls[0][2]["timeout"] == 5
    assert script.calls[0][2]["allow_redirects"] is False


# -- connection options -----------------------------------------------------------------------------

@pytest.mark.parametrize("url, ok", [
    ("https://api.telnyx.com/v2", True),
    ("http://127.0.0.1:8080/v2", True),
    ("http://127.9.9.9/v2", True),
    ("http://localhost:1/v2", True),
    ("http://[::1]:8080/v2", True),
    ("http://api.telnyx.com/v2", False),
    ("http://10.0.0.1/v2", False),
    ("ftp://api.telnyx.com", False),
    ("api.telnyx.com", False),
])
def test_check_api_url(url, ok):
    assert (check_api_url(url) is None) is ok


# -- hardening: credentials, TLS, proxies ------------------------------------------------------------

class FakeModule:
    def __init__(self, **params):
        self.params = dict(api_key=KEY, api_url="https://api.example.test/v2", timeout=30, max_retries=5,
                           validate_certs=True)
        self.params.update(params)
        self.no_log_values = set()
        self.warnings = []

    def fail_json(self, msg, **kwargs):
        raise AssertionError("fail_json: " + msg)

    def warn(self, text):
        self.warnings.append(text)


def refused_by_module(**params):
    module = FakeModule(**params)
    with pytest.raises(AssertionError) as caught:
        _connection.client_from_module(module)
    return str(caught.value), module


@pytest.mark.parametrize("url, words", [
    ("https://user:pa55word@api.telnyx.com/v2", ["user name or password"]),
    ("https://user@api.telnyx.com/v2", ["user name or password"]),
    ("https://api.telnyx.com/v2 ", ["whitespace"]),
    ("https://api.telnyx.com/ v2", ["space"]),
    ("https://api.telnyx.com/v2\r\nX: y", ["line break"]),
])
def test_check_api_url_refuses_userinfo_and_whitespace(url, words):
    problem = check_api_url(url)
    assert problem and "pa55word" not in problem
    for word in words:
        assert word in problem


def test_userinfo_password_is_masked_and_refused():
    message, module = refused_by_module(api_url="https://admin:pa55word@api.telnyx.com/v2")
    assert "user name or password" in message and "pa55word" not in message
    assert "pa55word" in module.no_log_values


def test_stripped_key_is_masked_and_sent():
    module = FakeModule(api_key="  %s\n" % KEY)
    client = _connection.client_from_module(module)
    assert KEY in module.no_log_values
    assert client.session.headers["Authorization"] == "Bearer " + KEY


@pytest.mark.parametrize("key, words", [
    (KEY[:5] + "\n" + KEY[5:], ["line break"]),
    (KEY[:5] + "\r" + KEY[5:], ["line break"]),
    (KEY + "\t1", ["printable ASCII"]),
    (KEY + "\u00e9", ["printable ASCII"]),
    (" \n ", ["api_key is empty"]),
    (None, ["no API key", "TELNYX_API_KEY", "module_defaults"]),
])
def test_bad_keys_refused_before_any_request(key, words):
    message = refused_by_module(api_key=key)[0]
    for word in words:
        assert word in message
    assert KEY not in message


def test_api_url_whitespace_stripped_with_warning():
    module = FakeModule(api_url="https://api.example.test/v2 \n")
    client = _connection.client_from_module(module)
    assert client.base_url == "https://api.example.test/v2"
    assert any("whitespace" in w for w in module.warnings)


def test_validate_certs_false_warns_and_means_false(monkeypatch):
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/nonexistent/bundle.pem")
    monkeypatch.setenv("CURL_CA_BUNDLE", "/nonexistent/bundle.pem")
    module = FakeModule(validate_certs=False)
    client = _connection.client_from_module(module)
    assert client.session.verify is False
    assert client.session.trust_env is False  # so requests never re-reads the bundle, nor .netrc
    assert any("validate_certs is false" in w for w in module.warnings)


def test_ca_bundle_kept_when_certs_are_checked(monkeypatch):
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/my-bundle.pem")
    client = TelnyxClient(KEY, "https://api.example.test/v2")
    assert client.session.verify == "/etc/my-bundle.pem"
    monkeypatch.delenv("REQUESTS_CA_BUNDLE")
    assert TelnyxClient(KEY, "https://api.example.test/v2").session.verify is True


@pytest.mark.parametrize("url, env, expected", [
    ("https://api.example.test/v2", {"HTTPS_PROXY": "http://proxy:3128"}, {"https": "http://proxy:3128"}),
    ("https://api.example.test/v2", {"ALL_PROXY": "http://proxy:3128"}, {"https": "http://proxy:3128"}),
    ("https://api.example.test/v2", {"HTTP_PROXY": "http://proxy:3128"}, {}),
    ("https://api.example.test/v2", {"HTTPS_PROXY": "http://proxy:3128", "NO_PROXY": "api.example.test"}, {}),
    ("http://127.0.0.1:8080/v2", {"HTTP_PROXY": "http://proxy:3128", "HTTPS_PROXY": "http://proxy:3128"}, {}),
    ("https://localhost:8443/v2", {"HTTPS_PROXY": "http://proxy:3128"}, {}),
])
def test_proxy_rules(monkeypatch, url, env, expected):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
                 "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert TelnyxClient(KEY, url).session.proxies == expected


def test_netrc_never_read(monkeypatch, tmp_path):
    (tmp_path / ".netrc").write_text("default login someone password netrc-secret\n")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("NETRC", str(tmp_path / ".netrc"))
    client = TelnyxClient(KEY, "https://api.example.test/v2")
    prepared = client.session.prepare_request(requests.Request("GET", "https://api.example.test/v2/x"))
    settings = client.session.merge_environment_settings(prepared.url, {}, None, None, None)
    assert prepared.headers["Authorization"] == "Bearer " + KEY
    assert settings["proxies"] == {}


def test_tls_failure_is_not_retried():
    client, script, sleeps = make_client(requests.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED"), max_retries=5)
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert len(script.calls) == 1 and sleeps == []
    assert "TLS failed" in caught.value.message and "CERTIFICATE_VERIFY_FAILED" in caught.value.message


# -- hardening: bodies that are not what they claim --------------------------------------------------

@pytest.mark.parametrize("resp, words", [
    (response(200, raw="<html>hi</html>", content_type="text/html"), ["not JSON", "HTML", "api_url"]),
    (response(200, raw="ok", content_type="text/plain"), ["not JSON", "text/plain"]),
    (response(200, [1, 2]), ["not an object"]),
    (response(200, raw="[" * 100000 + "]" * 100000), ["nested too deeply"]),
    (response(200, raw='{"a": 1'), ["not valid JSON"]),
])
def test_success_bodies_that_are_not_api_json(resp, words):
    client, script, sleeps = make_client(resp)
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    for word in words:
        assert word in caught.value.message
    assert "\n" not in caught.value.message


def test_invalid_utf8_body():
    resp = response(200)
    resp._content = b'{"data": ["\xff"]}'
    client, script, sleeps = make_client(resp)
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert "not valid JSON" in caught.value.message


@pytest.mark.parametrize("body, words", [
    ({"errors": [{"code": 10015, "title": "Bad", "detail": "too long", "source": {"pointer": 5}}]}, ["5: too long (10015)"]),
    ({"errors": [{"code": ["1"], "title": ["A", "B"], "detail": ["x", "y"], "source": {"pointer": ["/n"]}}]}, ["n: x, y (1)"]),
    ({"errors": [{"title": {"nested": 1}, "detail": None}]}, ["no detail given"]),
    ({"errors": "bad"}, ["JSON without Telnyx errors"]),
    ({"errors": [{"detail": "line one\nline two " + "x" * 5000}] * 50}, ["line one line two", "and at least 7 more errors"]),
])
def test_error_bodies_with_odd_types(body, words):
    client, script, sleeps = make_client(response(422, body))
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    message = caught.value.message
    for word in words:
        assert word in message
    assert "\n" not in message and len(message) < 300


def test_deeply_nested_error_body():
    client, script, sleeps = make_client(response(422, raw="[" * 100000 + "]" * 100000))
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert "HTTP 422" in caught.value.message


@pytest.mark.parametrize("url, path, words", [
    ("https://api.example.test", "/billing_groups", ["does not end in /v2"]),
    ("https://api.example.test/v2", "/billing_groups", ["no /billing_groups here", "api_url"]),
])
def test_bare_404_says_what_is_likely_wrong(url, path, words):
    client, script, sleeps = make_client(response(404, raw="<html>nope</html>", content_type="text/html"))
    client.base_url = url
    with pytest.raises(TelnyxError) as caught:
        client.get(path)
    for word in words:
        assert word in caught.value.message


def test_404_on_an_object_path_with_telnyx_error_stays_plain():
    client, script, sleeps = make_client(response(404, telnyx_error("10005", "Resource not found")))
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups/abc")
    assert "api_url" not in caught.value.message


# -- hardening: bounds --------------------------------------------------------------------------------

def group_page(ids, total_pages=None):
    meta = {} if total_pages is None else {"meta": {"total_pages": total_pages}}
    return response(200, dict({"data": [{"id": "id-%s" % i} for i in ids]}, **meta))


def test_pagination_bounded_by_first_total_pages():
    client, script, sleeps = make_client(group_page([1], 2), group_page([2], 9), group_page([3], 9), group_page([4], 9))
    with pytest.raises(TelnyxError) as caught:
        list(client.paginate("/billing_groups"))
    assert len(script.calls) == 3 and "did not end after 3 pages" in caught.value.message


def test_pagination_repeated_page_fails():
    client, script, sleeps = make_client(group_page([1, 2], 9), group_page([1, 2], 9))
    with pytest.raises(TelnyxError) as caught:
        list(client.paginate("/billing_groups"))
    assert "repeats" in caught.value.message and len(script.calls) == 2


def test_pagination_hard_cap_without_total_pages():
    client, script, sleeps = make_client(*[group_page([n]) for n in range(10)])
    client.max_pages = 5
    with pytest.raises(TelnyxError) as caught:
        list(client.paginate("/billing_groups"))
    assert len(script.calls) == 5 and "did not end" in caught.value.message


def test_pagination_data_not_a_list_and_null():
    client, script, sleeps = make_client(response(200, {"data": "abc"}))
    with pytest.raises(TelnyxError) as caught:
        list(client.paginate("/billing_groups"))
    assert "not a list" in caught.value.message
    client, script, sleeps = make_client(response(200, {"data": None}))
    assert list(client.paginate("/billing_groups")) == []


class FakeRaw:
    """A streamed body: chunks handed out by read1, each advancing the client's clock."""

    def __init__(self, chunks, clock=None, step=0.0):
        self.chunks = list(chunks)
        self.clock, self.step = clock, step

    def read1(self, amt=None, decode_content=None):
        if self.clock is not None:
            self.clock[0] += self.step
        return self.chunks.pop(0) if self.chunks else b""

    def close(self):
        self.chunks = []


def streamed(status, chunks, clock=None, step=0.0, headers=None):
    resp = response(status, headers=headers)
    resp._content = False
    resp.raw = FakeRaw(chunks, clock, step)
    return resp


def test_whole_request_deadline():
    client, script, sleeps = make_client(max_retries=0)
    now = [0.0]
    client.clock = lambda: now[0]
    script.answers.append(streamed(200, [b" "] * 100, clock=now, step=1.0))
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert "within 5 s" in caught.value.message and "deadline" in caught.value.message
    assert script.calls[0][2]["stream"] is True


def test_streamed_body_is_read():
    client, script, sleeps = make_client(streamed(200, [b'{"data"', b': []}']))
    assert client.get("/billing_groups") == {"data": []}


def test_size_cap_while_streaming():
    client, script, sleeps = make_client(streamed(200, [b" " * 1024] * 10), max_retries=0)
    client.max_body = 4096
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert "larger than" in caught.value.message


def test_size_cap_from_content_length():
    resp = streamed(200, [], headers={"Content-Length": str(300 * 1024 * 1024)})
    client, script, sleeps = make_client(resp, max_retries=0)
    with pytest.raises(TelnyxError) as caught:
        client.get("/billing_groups")
    assert "larger than 32 MiB" in caught.value.message


def test_an_expected_error_status_with_an_html_body_is_not_a_failure():
    client, script, sleeps = make_client(response(404, raw="<html>gone</html>", content_type="text/html"))
    assert client.request("GET", "/billing_groups/abc", ok_statuses=(404,)) == (404, None)


def test_headers_that_drip_are_cut_at_the_deadline():
    """A real loopback server that sends its status line, then a header a byte at a time."""
    import socket
    import threading
    import time

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve():
        conn, dummy = listener.accept()
        conn.recv(65536)
        conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nX-Drip: ")
        try:
            while not stop.is_set():
                conn.sendall(b"a")
                time.sleep(0.05)
        except OSError:
            pass
        conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    client = TelnyxClient(KEY, "http://127.0.0.1:%d/v2" % listener.getsockname()[1], timeout=1, max_retries=0)
    started = time.monotonic()
    try:
        with pytest.raises(TelnyxError) as caught:
            client.get("/billing_groups")
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 3
    assert "within 1 s" in caught.value.message


def test_deadline_pools_installed_for_direct_and_proxied_connections(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example.test:3128")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    client = TelnyxClient(KEY, "https://api.example.test/v2")
    adapter = client.session.get_adapter("https://api.example.test/v2")
    pools = _transport._deadline_pools()
    assert adapter.poolmanager.pool_classes_by_scheme is pools
    assert adapter.proxy_manager["http://proxy.example.test:3128"].pool_classes_by_scheme is pools


# -- the deadline watchdog --------------------------------------------------------------------------

def test_the_watchdog_runs_what_is_due_in_order_and_never_what_was_cancelled():
    watchdog = _transport.Watchdog()
    ran, done = [], threading.Event()
    now = _transport.time.monotonic()
    later = watchdog.at(now + 1.0, lambda: (ran.append("later"), done.set()))
    cancelled = watchdog.at(now + 0.05, lambda: ran.append("cancelled"))
    sooner_at = []
    # Sooner than the thread sleeps towards: it must wake for it, not run it late beside "later".
    watchdog.at(now + 0.1, lambda: (ran.append("sooner"), sooner_at.append(_transport.time.monotonic())))
    watchdog.cancel(cancelled)
    assert done.wait(5)
    assert ran == ["sooner", "later"]
    assert sooner_at[0] < now + 0.8
    watchdog.cancel(later)  # cancelling what already ran is harmless


def test_a_failing_action_does_not_end_the_watch():
    watchdog = _transport.Watchdog()
    done = threading.Event()
    now = _transport.time.monotonic()
    watchdog.at(now, lambda: 1 / 0)
    watchdog.at(now + 0.05, done.set)
    assert done.wait(5)


def test_after_a_fork_the_watchdog_starts_afresh():
    watchdog = _transport.Watchdog()
    watchdog.at(_transport.time.monotonic() + 60, lambda: None)
    watchdog.forked()
    done = threading.Event()
    watchdog.at(_transport.time.monotonic(), done.set)
    assert done.wait(5)
