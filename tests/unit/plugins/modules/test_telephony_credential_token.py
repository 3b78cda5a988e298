# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The minted token is in the result only when asked for (return_token); a token that goes nowhere is refused
before any request."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils import _runner
from ansible_collections.telnyx.account_access.plugins.modules import telephony_credential_token
from ansible_collections.telnyx.account_access.tests.unit.module_args import patch_module_args

CONNECTION = {"api_key": "unit-api-key-0002", "api_url": "https://api.example.test/v2"}


def b64(obj):
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")


JWT = "%s.%s.%s" % (b64({"alg": "HS256", "typ": "JWT"}), b64({"sub": "cred-1", "exp": 1900000000}),
                    "c2lnbmF0dXJlLW9mLXRoZS11bml0LXRva2Vu")


class RecordingApi:
    """A client that answers the token request with a JWT, and records every request made."""

    def __init__(self):
        self.requests = []

    def post(self, path, json=None, accept=None):
        self.requests.append(("POST", path))
        return JWT

    def request(self, method, path, ok_statuses=(), **kwargs):
        self.requests.append((method, path))
        return 200, {"data": {"id": "cred-1", "name": "fleet"}}

    def paginate(self, path, params=None, expected=0):
        self.requests.append(("GET", path))
        return iter([{"id": "cred-1", "name": "fleet"}])


@pytest.fixture
def api(monkeypatch):
    recording = RecordingApi()
    monkeypatch.setattr(_runner, "client_from_module", lambda module, parallelism=1: recording)
    return recording


def run(args, capsys, check_mode=False):
    if check_mode:
        args = dict(args, _ansible_check_mode=True)
    with patch_module_args(dict(CONNECTION, **args)):
        with pytest.raises(SystemExit) as done:
            telephony_credential_token.main()
    out = capsys.readouterr().out
    return done.value.code, json.loads(out), out


def test_without_return_token_the_result_holds_no_token(tmp_path, capsys, api):
    dest = tmp_path / "t.jwt"
    code, result, out = run(dict(id="cred-1", dest=str(dest)), capsys)
    assert code == 0 and result["changed"] and result["dest"] == str(dest)
    assert "token" not in result and JWT not in out and JWT.split(".")[2] not in out
    assert result["credential_id"] == "cred-1" and result["expires_at"].startswith("2030-")
    assert dest.read_text() == JWT and api.requests == [("POST", "/telephony_credentials/cred-1/token")]


def test_return_token_puts_the_token_in_the_result(tmp_path, capsys, api):
    code, result, dummy = run(dict(id="cred-1", return_token=True), capsys)
    assert code == 0 and result["token"] == JWT and "dest" not in result
    dest = tmp_path / "t.jwt"
    code, result, dummy = run(dict(id="cred-1", return_token=True, dest=str(dest)), capsys)
    assert code == 0 and result["token"] == JWT and dest.read_text() == JWT


@pytest.mark.parametrize("check_mode", [False, True])
@pytest.mark.parametrize("args", [dict(id="cred-1"), dict(name="fleet"), dict(id="cred-1", return_token=False)])
def test_neither_dest_nor_return_token_fails_before_any_request(capsys, api, args, check_mode):
    code, result, out = run(args, capsys, check_mode)
    assert code == 1 and result["failed"]
    assert "dest" in result["msg"] and "return_token" in result["msg"] and "\n" not in result["msg"]
    assert api.requests == [] and "token" not in result


def test_check_mode_returns_a_null_token_only_when_asked(tmp_path, capsys, api):
    code, result, dummy = run(dict(id="cred-1", dest=str(tmp_path / "t.jwt")), capsys, check_mode=True)
    assert code == 0 and result["changed"] and "token" not in result and "dest" not in result
    code, result, dummy = run(dict(id="cred-1", return_token=True), capsys, check_mode=True)
    assert code == 0 and result["token"] is None
    assert [method for method, dummy in api.requests] == ["GET", "GET"] and list(tmp_path.iterdir()) == []


def test_a_failed_write_shows_no_token(tmp_path, capsys, api):
    dest = tmp_path / "a-directory"
    dest.mkdir()  # the rename over it fails, whoever runs the test
    code, result, out = run(dict(id="cred-1", dest=str(dest)), capsys)
    assert code == 1 and "writing the token failed" in result["msg"] and "token" not in result
    assert JWT not in out and JWT.split(".")[2] not in out
