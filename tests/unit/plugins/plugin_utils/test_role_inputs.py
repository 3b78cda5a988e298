# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import importlib.util
import os

import pytest
import yaml

from ansible_collections.telnyx.account_access.plugins.module_utils._registry import RESOURCES
from ansible_collections.telnyx.account_access.plugins.plugin_utils._role_inputs import RoleInputs, plain

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))


def spec_of(role):
    with open(os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")) as handle:
        return yaml.safe_load(handle)["argument_specs"]["main"]["options"]


BOOTSTRAP = spec_of("account_bootstrap")
ROTATION = spec_of("secret_rotation")


@pytest.mark.parametrize("given, expected", [("false", False), ("no", False), ("0", False), ("yes", True), (False, False)])
def test_booleans_spelt_as_text_are_booleans(given, expected):
    inputs = RoleInputs(ROTATION, {"telnyx_rotation_force": given})
    assert inputs.message() is None
    assert inputs.values["telnyx_rotation_force"] is expected


def test_numbers_and_mappings_given_as_text_get_their_types_and_defaults_fill_the_rest():
    inputs = RoleInputs(BOOTSTRAP, {"telnyx_parallelism": "4", "telnyx_access_ip_allowlist": '{"entries": ["192.0.2.1"]}'})
    assert inputs.message() is None
    assert inputs.values["telnyx_parallelism"] == 4
    # A key left out stays out (a null would mean something else to a module); defaults come from the spec.
    assert inputs.values["telnyx_access_ip_allowlist"] == {"entries": ["192.0.2.1"]}
    assert inputs.values["telnyx_billing_groups"] == [] and inputs.values["telnyx_secure_logging"] is True


def test_unknown_keys_anywhere_are_named_with_what_was_meant():
    inputs = RoleInputs(ROTATION, {
        "telnyx_rotation_integration_secrets": [{"base": "a", "verfy_tasks": "v.yml"}],
        "telnyx_rotation_authentication_providers": [{"short_name": "o", "settings": {"idp_cert_fingerprnt": "AA"}}],
    })
    message = inputs.message()
    assert "telnyx_rotation_integration_secrets[0]: unknown key verfy_tasks (did you mean verify_tasks?)" in message
    assert "telnyx_rotation_authentication_providers[0].settings: unknown key idp_cert_fingerprnt" in message


def test_items_are_checked_as_their_modules_check_them_with_secrets_masked():
    inputs = RoleInputs(BOOTSTRAP, {
        "telnyx_integration_secrets": [{"identifier": "x", "type": "bearer", "token": ["listed-secret-1"]}],
        "telnyx_access_ip_allowlist": {"entries": [{"ip_adress": "192.0.2.1"}]},
    })
    inputs.check_items({"telnyx_integration_secrets": "integration_secret",
                        "telnyx_access_ip_allowlist.entries": "access_ip_allowlist_entry"})
    message = inputs.message()
    assert "telnyx_integration_secrets[0]: token must be a string, got a list" in message
    assert "telnyx_access_ip_allowlist.entries[0]: unknown key ip_adress (did you mean ip_address?)" in message
    assert "listed-secret-1" not in message


def test_an_object_only_option_in_a_role_item_is_refused_once_in_its_own_words():
    assert "return_sip_password" not in BOOTSTRAP["telnyx_telephony_credentials"]["options"]
    inputs = RoleInputs(BOOTSTRAP, {"telnyx_telephony_credentials": [{"name": "fleet", "return_sip_password": True}],
                                    "telnyx_billing_groups": [{"name": "ops", "nmae": "x"}]})
    inputs.check_items({"telnyx_telephony_credentials": "telephony_credential", "telnyx_billing_groups": "billing_group"})
    assert inputs.message() == (
        "telnyx_telephony_credentials[0]: return_sip_password applies to the telephony_credential module only; "
        "telnyx_billing_groups[0]: unknown key nmae (did you mean name?)")


def test_user_paths_are_read_from_the_playbook_and_never_from_the_role(tmp_path):
    playbook_dir, role = tmp_path / "play", tmp_path / "play" / "roles" / "r"
    (role / "tasks").mkdir(parents=True)
    (role / "tasks" / "verify.yml").write_text("[]")
    (playbook_dir / "verify.yml").write_text("[]")
    given = [{"base": "a", "verify_tasks": "verify.yml"}, {"base": "b", "verify_tasks": "roles/r/tasks/verify.yml"},
             {"base": "c", "verify_tasks": "missing.yml"}]
    inputs = RoleInputs(ROTATION, {"telnyx_rotation_integration_secrets": given,
                                   "telnyx_rotation_tokens": [{"credential": "x", "dest": "relative.jwt"}]})
    inputs.resolve_paths(["telnyx_rotation_integration_secrets.verify_tasks"], str(playbook_dir), str(role))
    inputs.require_absolute(["telnyx_rotation_tokens.dest"])
    resolved = inputs.values["telnyx_rotation_integration_secrets"]
    assert resolved[0]["verify_tasks"] == str(playbook_dir / "verify.yml")
    message = inputs.message()
    assert "[1].verify_tasks: roles/r/tasks/verify.yml is a file of the role itself" in message
    assert "[2].verify_tasks: no file missing.yml" in message
    assert "telnyx_rotation_tokens[0].dest: give an absolute path, got relative.jwt" in message


def test_role_specs_declare_each_item_as_its_module_does():
    path = os.path.join(ROOT, "scripts", "role_specs.py")
    spec = importlib.util.spec_from_file_location("role_specs", path)
    role_specs = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(role_specs)
    for role in role_specs.ITEM_MODULES:
        assert spec_of(role) == role_specs.expected(role)[1]["argument_specs"]["main"]["options"], (
            "roles/%s/meta/argument_specs.yml is stale: run python scripts/role_specs.py" % role)
    # The script's object-only options are the ones the resources declare.
    assert {name: role_specs.object_only(name) for name in RESOURCES} == {
        name: resource.object_only for name, resource in RESOURCES.items()}
    # The script's secret options are the ones the resources mask.
    assert set(role_specs.SECRET_OPTIONS) == {name for resource in RESOURCES.values()
                                              for name, option in resource.options.items() if option.get("no_log")}
    # The role's own check names the same item types as its spec.
    with open(os.path.join(ROOT, "roles", "account_bootstrap", "tasks", "inputs.yml")) as handle:
        check = yaml.safe_load(handle)[0]["telnyx.account_access.role_inputs"]["items"]
    assert {k: v for k, v in check.items() if "." not in k} == role_specs.ITEM_MODULES["account_bootstrap"]


class Tagged(str):
    """Stands in for a templated value of ansible-core 2.19: a subclass of a builtin type."""


class TaggedMapping(dict):
    pass


def test_plain_gives_builtin_types_and_keeps_what_it_does_not_know():
    other = object()
    given = TaggedMapping({Tagged("k"): (Tagged("v"), True, 3, 1.5, None, other)})
    made = plain(given)
    assert made == {"k": ["v", True, 3, 1.5, None, other]}
    assert not isinstance(made, TaggedMapping) and not isinstance(next(iter(made)), Tagged)
    assert not isinstance(made["k"][0], Tagged)
    assert made["k"][1] is True and made["k"][5] is other


class CountingLoader:
    """The loader's load_from_file, counting the files read."""

    def __init__(self):
        self.read = []

    def load_from_file(self, path, unsafe=False):
        self.read.append(os.path.basename(os.path.dirname(os.path.dirname(path))))
        with open(path) as handle:
            return yaml.safe_load(handle)


def misspelt(task_vars):
    from unittest.mock import MagicMock

    from ansible_collections.telnyx.account_access.plugins.action.role_inputs import ActionModule

    loader = CountingLoader()
    action = ActionModule(MagicMock(), MagicMock(), MagicMock(), loader, MagicMock(), MagicMock())
    warnings = action._misspelt_inputs(os.path.join(ROOT, "roles", "account_bootstrap"), task_vars, BOOTSTRAP)
    return warnings, loader.read


def test_a_variable_no_role_reads_is_named_with_the_one_it_may_mean():
    warnings, read = misspelt({"telnyx_billing_group": [], "telnyx_rotation_forse": True, "telnyx_purge": [],
                               "telnyx_rotation_force": True, "telnyx_unrelated_thing": 1, "other_var": 2})
    assert warnings == [
        "the variable telnyx_billing_group is read by no role of telnyx.account_access: did you mean "
        "telnyx_billing_groups?",
        "the variable telnyx_rotation_forse is read by no role of telnyx.account_access: did you mean "
        "telnyx_rotation_force?",
    ]
    assert sorted(read) == ["account_bootstrap", "secret_rotation"]


def test_when_the_role_reads_every_telnyx_variable_no_other_spec_is_read():
    warnings, read = misspelt({"telnyx_billing_groups": [], "telnyx_purge": [], "other_var": 2})
    assert warnings == [] and read == []
