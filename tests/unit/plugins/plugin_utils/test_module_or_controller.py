# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action of every module: on the controller, the module's run in the worker process, with the result the
module process gives; anywhere else, the module process itself."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import sys
from unittest import mock

import pytest
from ansible.module_utils.common.parameters import remove_values

from ansible_collections.telnyx.account_access.plugins.plugin_utils import _module_or_controller as module_or_controller
from ansible_collections.telnyx.account_access.plugins.plugin_utils._controller_module import masked
from ansible_collections.telnyx.account_access.plugins import modules
from ansible_collections.telnyx.account_access.plugins.module_utils import _connection
from ansible_collections.telnyx.account_access.plugins.modules import account, billing_group, resource_set
from ansible_collections.telnyx.account_access.tests.unit.module_args import patch_module_args
from ansible_collections.telnyx.account_access.tests.unit.plugins.module_utils.fake_api import FakeApi

CONNECTION = {"api_key": "unit-api-key-0001", "api_url": "https://api.example.test/v2"}
MODULES = {"account": account, "billing_group": billing_group, "resource_set": resource_set}
THIS_PYTHON_SPELT_OTHERWISE = os.path.join(os.path.dirname(sys.executable), ".", os.path.basename(sys.executable))


@pytest.fixture
def api(monkeypatch):
    """One fake API for both paths: the client the connection options build is this."""
    fake = FakeApi("existing")
    monkeypatch.setattr(_connection, "TelnyxClient", lambda *args, **kwargs: fake)
    return fake


def action_for(name, args, transport="local", interpreter=None, check_mode=False, diff=False, become=False,
               environment=None, delegate_to=None):
    """The action as the task executor makes it, with only what it reads of the task, connection and play."""
    action = module_or_controller.ActionModule.__new__(module_or_controller.ActionModule)
    action._task = mock.Mock(args=args, action="telnyx.account_access." + name, collections=[], check_mode=check_mode,
                             diff=diff, async_val=0, delegate_to=delegate_to, environment=environment)
    action._connection = mock.Mock(transport=transport)
    action._connection._shell.tmpdir = None
    action._play_context = mock.Mock(become=become)
    action._templar = mock.Mock(template=lambda value: value)
    found = mock.Mock(resolved=True, resolved_fqcn="telnyx.account_access." + name)
    action._shared_loader_obj = mock.Mock()
    action._shared_loader_obj.module_loader.find_plugin_with_context.return_value = found
    action._early_needs_tmp_path = lambda: False
    action._module_path_result = {"module": "path"}
    return action, {} if interpreter is None else {"ansible_python_interpreter": interpreter}


def module_path(name, args, capsys, check_mode=False, diff=False):
    """The module process's result, as the controller reads it (JSON)."""
    with patch_module_args(dict(args, _ansible_check_mode=check_mode, _ansible_diff=diff,
                                _ansible_module_name="telnyx.account_access." + name)):
        with pytest.raises(SystemExit):
            MODULES[name].main()
    return json.loads(capsys.readouterr().out)


def controller_path(name, args, **options):
    action, task_vars = action_for(name, args, **options)
    with mock.patch.object(module_or_controller.NormalAction, "run", side_effect=AssertionError("module path taken")):
        return action.run(task_vars=task_vars)


def comparable(result):
    """A result less its warnings: a module run inside a unit test (a controller process, to ansible-core 2.19) shows
    its warnings at once instead of returning them. The integration target controller_path compares them."""
    return {k: v for k, v in result.items() if k != "warnings"}


@pytest.mark.parametrize("check_mode, diff", [(False, False), (True, True), (False, True)])
@pytest.mark.parametrize("args", [
    dict(CONNECTION, name="existing"),                       # a no-op
    dict(CONNECTION, name="fresh"),                          # a create (or its prediction in check mode)
    dict(CONNECTION, name="existing", state="absent"),       # a delete
    dict(CONNECTION, name="existing", validate_certs=False),  # a warning
])
def test_the_controller_path_gives_the_module_paths_result(api, capsys, monkeypatch, args, check_mode, diff):
    expected = module_path("billing_group", args, capsys, check_mode, diff)
    module_calls = api.calls
    second = FakeApi("existing")  # the same API state again, for the other path
    monkeypatch.setattr(_connection, "TelnyxClient", lambda *a, **k: second)
    assert comparable(controller_path("billing_group", args, check_mode=check_mode, diff=diff)) == comparable(expected)
    assert second.calls == module_calls and second.objects == api.objects
    if args.get("validate_certs") is False:
        assert controller_path("billing_group", args)["warnings"] == [
            "validate_certs is false: the API's certificate is not checked, so anyone able to intercept the connection "
            "can read the API key"]


@pytest.mark.parametrize("args", [
    dict(CONNECTION, name="x", nmae="typo"),           # unsupported parameter
    dict(CONNECTION, state="gone"),                    # a bad choice, and no name or id
    dict(CONNECTION, name="x", timeout="soon"),        # a bad type
    dict(api_url=CONNECTION["api_url"], name="x"),     # no API key anywhere
])
def test_refused_arguments_fail_the_same_way_on_both_paths(api, capsys, monkeypatch, args):
    monkeypatch.delenv("TELNYX_API_KEY", raising=False)
    expected = module_path("billing_group", args, capsys)
    got = controller_path("billing_group", args)
    assert got["failed"] is True and comparable(got) == comparable(expected)
    assert api.calls == []


SECRETS = ["list-token-77aa", "list-token-88bb", "8842193377", "20240101", "u-secret-5521"]


@pytest.mark.parametrize("extra", [{}, {"purge": "maybe"}, {"type": "integration_secrets"}])
def test_item_secrets_of_any_type_are_masked_the_same_way_on_both_paths(api, capsys, extra):
    items = [{"identifier": "num", "type": "basic", "username": "u-secret-5521", "password": 20240101},
             {"identifier": "lst", "type": "bearer", "token": ["list-token-77aa", "list-token-88bb"]},
             {"identifier": "int", "type": "bearer", "token": 8842193377}]
    args = dict(CONNECTION, items=items, **dict(dict(type="integration_secret"), **extra))
    expected = module_path("resource_set", args, capsys, check_mode=True, diff=True)
    got = controller_path("resource_set", args, check_mode=True, diff=True)
    assert comparable(got) == comparable(expected)
    text = json.dumps(got)
    assert not [s for s in SECRETS + [CONNECTION["api_key"]] if s in text]


@pytest.mark.parametrize("extra", [{}, {"purge": ["sip_users"]}, {"allow_empty": "integration_secrets"}])
def test_account_masks_item_secrets_of_every_type_the_same_way_on_both_paths(api, capsys, extra):
    # Secrets under any type's option, and fields no type of theirs declares (a token among billing groups).
    args = dict(CONNECTION, integration_secrets=[{"identifier": "num", "type": "basic", "username": "u-secret-5521",
                                                  "password": 20240101}],
                billing_groups=[{"name": "existing", "token": ["list-token-77aa", "list-token-88bb"]}],
                telephony_credentials=[{"name": "fleet", "password": 8842193377}], **extra)
    expected = module_path("account", args, capsys, check_mode=True, diff=True)
    got = controller_path("account", args, check_mode=True, diff=True)
    assert got["failed"] is True and comparable(got) == comparable(expected)
    text = json.dumps(got)
    assert not [s for s in SECRETS + [CONNECTION["api_key"]] if s in text]
    assert api.calls == []  # refused before any request: a billing group has no token, a credential no password


@pytest.mark.parametrize("check_mode", [False, True])
def test_account_gives_each_type_its_outcome_the_same_way_on_both_paths(api, capsys, monkeypatch, check_mode):
    args = dict(CONNECTION, billing_groups=[{"name": "existing"}, {"name": "fresh"}], purge=["billing_groups"])
    expected = module_path("account", args, capsys, check_mode, diff=True)
    second = FakeApi("existing")
    monkeypatch.setattr(_connection, "TelnyxClient", lambda *a, **k: second)
    got = controller_path("account", args, check_mode=check_mode, diff=True)
    assert comparable(got) == comparable(expected)
    assert [o["name"] for o in got["billing_groups"]["created"]] == ["fresh"]
    assert [o["name"] for o in got["billing_groups"]["unchanged"]] == ["existing"]
    assert set(got) >= {"billing_groups", "changed", "diff"} and "addresses" not in got
    assert sorted(o["name"] for o in second.objects.values()) == (["existing"] if check_mode else ["existing", "fresh"])


def test_the_task_environment_is_the_runs_environment(api, monkeypatch):
    monkeypatch.delenv("TELNYX_API_KEY", raising=False)
    # The arguments as the module saw them: ansible-core 2.21 returns them only when asked (INJECT_INVOCATION).
    monkeypatch.setattr(module_or_controller, "injects_invocation", lambda task_vars: True)
    got = controller_path("billing_group", dict(api_url=CONNECTION["api_url"], name="existing"),
                          environment=[{"TELNYX_API_KEY": "env-key-4410"}])
    assert got["changed"] is False and got["invocation"]["module_args"]["api_key"] == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
    assert "TELNYX_API_KEY" not in module_or_controller.os.environ  # put back once the run ends


def test_a_defect_is_one_line_with_no_secret(api, monkeypatch):
    def broken(*args, **kwargs):
        raise KeyError("unit-api-key-0001 leaked into a defect")

    monkeypatch.setattr(api, "paginate", broken)
    got = controller_path("billing_group", dict(CONNECTION, name="existing"))
    assert got["failed"] is True and "\n" not in got["msg"] and "KeyError" in got["msg"]
    assert CONNECTION["api_key"] not in got["msg"]


@pytest.mark.parametrize("options", [
    dict(transport="ssh"),                                  # another host
    dict(interpreter="/opt/other/bin/python3"),             # another Python on this host
    dict(interpreter=os.path.realpath(sys.executable) + "-wrapper"),  # another file beside this one
    dict(become=True),                                      # another user
    dict(delegate_to="bastion"),                            # delegated to a host with its own interpreter
])
def test_anywhere_else_the_module_runs_as_a_module(api, options):
    action, task_vars = action_for("billing_group", dict(CONNECTION, name="existing"), **options)
    if options.get("delegate_to"):
        task_vars["ansible_delegated_vars"] = {"bastion": {"ansible_python_interpreter": "/usr/bin/python3"}}
    with mock.patch.object(module_or_controller.NormalAction, "run", return_value={"module": "path"}) as normal:
        assert action.run(task_vars=task_vars) == {"module": "path"}
    assert normal.called and api.calls == []


@pytest.mark.parametrize("interpreter", [None, sys.executable, "auto_silent", "{{ ansible_playbook_python }}",
                                         THIS_PYTHON_SPELT_OTHERWISE])
def test_this_python_or_none_named_is_the_controller_path(api, interpreter):
    action, task_vars = action_for("billing_group", dict(CONNECTION, name="existing"), interpreter=interpreter)
    action._templar = mock.Mock(template=lambda value: sys.executable if "{{" in value else value)
    assert module_or_controller.runs_as_controller(action, task_vars)


def test_a_name_outside_the_collection_runs_as_a_module(api):
    action, task_vars = action_for("billing_group", dict(CONNECTION, name="existing"))
    found = mock.Mock(resolved=True, resolved_fqcn="other.collection.billing_group")
    action._shared_loader_obj.module_loader.find_plugin_with_context.return_value = found
    assert action.controller_module(task_vars) is None


def test_every_module_has_the_action():
    """An action plugin named after a module is the module's action: each module's file is this one class."""
    names = [m.name for m in pkgutil.iter_modules(modules.__path__) if m.name != "role_inputs"]  # it has its own
    assert "billing_group" in names and "resource_set" in names
    for name in names:
        action = importlib.import_module("ansible_collections.telnyx.account_access.plugins.action." + name)
        assert action.ActionModule is module_or_controller.ActionModule, name


@pytest.mark.parametrize("args", [
    # Items given as text: Ansible's validation turns them into mappings, which are masked too.
    dict(integration_secrets="identifier=txt,type=bearer,token=text-token-3141"),
    dict(integration_secrets=["identifier=txt,type=bearer,token=text-token-3141"]),
    # Fields a type hides or the connection owns, where no type takes them (refused, the arguments printed back).
    dict(telephony_credentials=[{"name": "fleet", "sip_password": "sip-secret-2718"}]),
    dict(billing_groups=[{"name": "existing", "api_key": "misplaced-key-1618"}]),
    # A secret field in an allowlist entry (entries are free-form).
    dict(access_ip_allowlist={"entries": [{"ip_address": "192.0.2.1", "token": "entry-token-1414"}]}),
])
def test_account_masks_secrets_given_as_text_hidden_or_misplaced_on_both_paths(api, capsys, args):
    secrets = ["text-token-3141", "sip-secret-2718", "misplaced-key-1618", "entry-token-1414", CONNECTION["api_key"]]
    args = dict(CONNECTION, purge="maybe", **args)  # a bad option beside them: refused, the arguments printed back
    expected = module_path("account", args, capsys, check_mode=True, diff=True)
    got = controller_path("account", args, check_mode=True, diff=True)
    assert got["failed"] is True and comparable(got) == comparable(expected)
    assert not [s for s in secrets if s in json.dumps(got) or s in json.dumps(expected)]
    assert api.calls == []


def nested(depth, leaf):
    value = [leaf]
    for dummy in range(depth):
        value = [value]
    return value


@pytest.mark.parametrize("value", [
    {"items": [{"name": "a", "token": "s3cret-token"}], "count": 2},  # a secret as a value
    {"note": "prefix s3cret-token suffix", "n": 12345},  # inside a text; a number that is a secret
    {"n": 12345, "flag": True, "none": None},  # a number alone
    {"list": [[["deep s3cret-token"]]], "tuple": ("x", "s3cret-token")},  # nested, a tuple
    {"bytes": b"s3cret-token"},
    {"s3cret-token": "a key is left as it is by both"},
    {"clean": ["nothing", "to", "mask", 1, 2.5, None, True]},
    {"set": {"s3cret-token", "x"}, "float": 12345.0, "short": "a.b"},  # a set; a float; a regex metacharacter
])
def test_the_masking_shortcut_gives_what_remove_values_gives(value):
    secrets = {"s3cret-token", "12345", "a.b"}
    assert masked(value, secrets) == remove_values(value, secrets)
    assert masked(value, set()) == value


def test_the_masking_shortcut_masks_a_value_nested_past_the_stack():
    value = masked(nested(5000, "s3cret-token"), {"s3cret-token"})
    while isinstance(value, list):
        value = value[0]
    assert value == "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"
