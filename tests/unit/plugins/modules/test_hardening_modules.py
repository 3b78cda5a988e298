# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Secrets of any type masked before the arguments are validated; tokens checked and written safely."""

from __future__ import annotations

import base64
import json
import os
import stat

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils import _runner
from ansible_collections.telnyx.account_access.plugins.module_utils import _set_runner
from ansible_collections.telnyx.account_access.plugins.modules import resource_set, telephony_credential_token
from ansible_collections.telnyx.account_access.tests.unit.module_args import patch_module_args


def secret_texts(value):
    return _runner.secret_texts(value)


def secrets_in_items(params):
    return _set_runner.secrets_in_items(params)


def jwt_problem(answer):
    return telephony_credential_token.jwt_problem(answer)


def write_secret_file(dest, content, mode):
    return telephony_credential_token.write_secret_file(dest, content, mode)


CONNECTION = {"api_key": "unit-api-key-0001", "api_url": "https://api.example.test/v2"}


def b64(obj):
    text = obj if isinstance(obj, str) else json.dumps(obj)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


JWT = "%s.%s.%s" % (b64({"alg": "HS256", "typ": "JWT"}), b64({"sub": "c1", "exp": 1900000000}), b64("signature"))


def run_main(main, args, capsys):
    with patch_module_args(args):
        with pytest.raises(SystemExit) as done:
            main()
    out = capsys.readouterr().out
    return done.value.code, json.loads(out), out


def test_secret_texts_cover_numbers_lists_and_mappings():
    assert set(secret_texts(20240101)) == {"20240101"}
    assert set(secret_texts(1.5e10)) == {"15000000000.0"}
    forms = set(secret_texts(["tok-a", 8842193377]))
    assert {"tok-a", "8842193377", "['tok-a', 8842193377]", '["tok-a", 8842193377]'} <= forms
    assert "nested-secret" in set(secret_texts({"a": {"b": "nested-secret"}}))
    assert list(secret_texts(True)) == [] and list(secret_texts("")) == [] and list(secret_texts(None)) == []


def test_item_secrets_of_any_type_are_collected_whatever_the_type_says():
    items = [{"identifier": "a", "password": 20240101}, {"identifier": "b", "token": ["x-token-1", "x-token-2"]}]
    for kind in ("integration_secret", "integration_secrets", None, ["integration_secret"]):
        assert secrets_in_items({"type": kind, "items": items}) == [20240101, ["x-token-1", "x-token-2"]]


@pytest.mark.parametrize("args", [
    {"type": "integration_secrets"},                      # unknown type: refused by the choices
    {},                                                  # no type: refused as missing
    {"type": "integration_secret", "purge": "maybe"},    # a bad option beside the items
])
def test_resource_set_refusing_its_arguments_shows_no_item_secret(capsys, args):
    items = [{"identifier": "num", "type": "basic", "username": "u-8842193377", "password": 20240101},
             {"identifier": "lst", "type": "bearer", "token": ["list-token-77aa", "list-token-88bb"]},
             {"identifier": "int", "type": "bearer", "token": 8842193377}]
    code, result, out = run_main(resource_set.main, dict(CONNECTION, items=items, **args), capsys)
    assert code == 1 and result["failed"]
    for secret in ("20240101", "8842193377", "list-token-77aa", "list-token-88bb", "u-8842193377",
                   CONNECTION["api_key"]):
        assert secret not in out, secret
    if "invocation" in out:  # ansible-core 2.19 shows the invocation with a failure (2.21 does not): masked
        assert "num" in out


def test_resource_set_masks_a_numeric_item_secret_when_items_are_refused(capsys):
    items = [{"identifier": "lst", "type": "bearer", "token": ["list-token-77aa"]},
             {"identifier": "int", "type": "bearer", "token": 8842193377}]
    code, result, out = run_main(resource_set.main, dict(CONNECTION, type="integration_secret", items=items), capsys)
    assert code == 1 and "token must be a string" in result["msg"]
    assert "list-token-77aa" not in out and "8842193377" not in out


@pytest.mark.parametrize("answer, says", [
    ("<html><body>Proxy login required</body></html>", "not three dot-separated parts"),
    ("", "empty"),
    ("a.b", "not three"),
    ("%s.%s.sig" % (b64("[1]"), b64({"exp": 1})), "header is not a JSON object"),
    ("%s.%s.sig" % (b64({"alg": "HS256"}), b64("not json")), "payload is not a JSON object"),
    ("%s.%s.sig" % (b64({"alg": "HS256"}), b64({"exp": "tomorrow"})), "no numeric exp"),
    ("%s.%s.sig" % (b64({"alg": "HS256"}), b64({"exp": True})), "no numeric exp"),
    ("%s.%s.si g" % (b64({"alg": "HS256"}), b64({"exp": 1})), "not base64url"),
])
def test_an_answer_that_is_not_a_jwt_is_named_without_quoting_it(answer, says):
    problem = jwt_problem(answer)
    assert problem and says in problem
    assert answer[:8] not in problem or not answer


def test_a_jwt_passes():
    assert jwt_problem(JWT) is None


class TokenApi:
    """A client whose token request answers ``answer``."""

    def __init__(self, answer):
        self.answer = answer

    def post(self, path, json=None, accept=None):
        return self.answer


@pytest.fixture
def token_api(monkeypatch):
    def make(answer):
        monkeypatch.setattr(_runner, "client_from_module", lambda module, parallelism=1: TokenApi(answer))
    return make


def test_a_proxy_page_fails_in_one_line_and_leaves_the_token_file(tmp_path, capsys, token_api):
    page = "<html><head><title>Corporate proxy</title></head><body>Sign in: secret-proxy-page</body></html>"
    token_api(page)
    dest = tmp_path / "telnyx.jwt"
    dest.write_text(JWT)
    code, result, out = run_main(telephony_credential_token.main,
                                 dict(CONNECTION, id="cred-1", dest=str(dest)), capsys)
    assert code == 1 and "did not answer with a token" in result["msg"] and "nothing was written" in result["msg"]
    assert "\n" not in result["msg"] and "secret-proxy-page" not in out and "html" not in out.lower()
    assert dest.read_text() == JWT and os.listdir(tmp_path) == ["telnyx.jwt"]


def test_a_token_is_written_0600_in_place_of_a_0644_file_under_umask_000(tmp_path, capsys, token_api, monkeypatch):
    token_api(JWT + "\n")
    dest = tmp_path / "telnyx.jwt"
    dest.write_text("old")
    os.chmod(dest, 0o644)
    seen = []
    real_replace = os.replace

    def watch(src, dst):  # the moment of the rename: the new file must be 0600 already
        seen.append((stat.S_IMODE(os.stat(src).st_mode), open(src).read()))
        real_replace(src, dst)
    monkeypatch.setattr(os, "replace", watch)
    old_umask = os.umask(0)
    try:
        code, result, out = run_main(telephony_credential_token.main,
                                     dict(CONNECTION, id="cred-1", dest=str(dest)), capsys)
    finally:
        os.umask(old_umask)
    assert code == 0 and result["changed"] and result["dest"] == str(dest) and "token" not in result
    assert seen == [(0o600, JWT)]
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600 and dest.read_text() == JWT
    assert os.listdir(tmp_path) == ["telnyx.jwt"]


def test_a_mode_giving_others_access_is_refused(tmp_path, capsys, token_api):
    token_api(JWT)
    for mode in ("0644", "0606", "600x", "384", 0o644, True, [384]):
        code, result, dummy = run_main(telephony_credential_token.main,
                                       dict(CONNECTION, id="cred-1", dest=str(tmp_path / "t.jwt"), mode=mode), capsys)
        assert code == 1 and "mode" in result["msg"]
    assert os.listdir(tmp_path) == []


def test_write_secret_file_never_widens_during_the_write(tmp_path):
    dest = tmp_path / "t.jwt"
    old_umask = os.umask(0)
    try:
        write_secret_file(str(dest), "token-a", 0o640)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o640 and dest.read_text() == "token-a"


def test_an_unquoted_yaml_mode_is_taken_as_yaml_read_it(tmp_path, capsys, token_api):
    token_api(JWT)
    dest = tmp_path / "t.jwt"
    code, result, dummy = run_main(telephony_credential_token.main,
                                   dict(CONNECTION, id="cred-1", dest=str(dest), mode=0o640), capsys)
    assert code == 0 and stat.S_IMODE(os.stat(dest).st_mode) == 0o640


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_a_replaced_file_keeps_its_owner_and_group(tmp_path):
    dest = tmp_path / "t.jwt"
    dest.write_text("old")
    os.chown(dest, 4242, 4343)
    write_secret_file(str(dest), "token-b", 0o600)
    info = os.stat(dest)
    assert (info.st_uid, info.st_gid, stat.S_IMODE(info.st_mode)) == (4242, 4343, 0o600)
