# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import json

import pytest
import requests
from urllib3.exceptions import NewConnectionError, ProtocolError

from ansible_collections.telnyx.account_access.plugins.module_utils import _client
from ansible_collections.telnyx.account_access.plugins.module_utils._client import TelnyxClient, TelnyxError, check_api_url

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
    client, script, sleeps = make_client(page([1, 2], 1, 3), page([3], 2, 3), page([4], 3, 3))
    assert list(client.paginate("/billing_groups", {"filter[x]": "y"})) == [1, 2, 3, 4]
    sent = [c[2]["params"] for c in script.calls]
    assert [p["page[number]"] for p in sent] == [1, 2, 3]
    assert all(p["page[size]"] == 250 and p["filter[x]"] == "y" for p in sent)


def test_pagination_stops_at_empty_page_without_meta():
    client, script, sleeps = make_client(response(200, {"data": [1]}), response(200, {"data": []}))
    assert list(client.paginate("/integration_secrets")) == [1]
    assert len(script.calls) == 2


def test_pagination_of_empty_list_is_one_request():
    client, script, sleeps = make_client(page([], 1, 0))
    assert list(client.paginate("/billing_groups")) == []
    assert len(script.calls) == 1


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
