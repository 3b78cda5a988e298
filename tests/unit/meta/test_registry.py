# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Every list that names resources, held to the one registry (plugins/module_utils/_registry.py).

What the code can derive it derives (resource_set's argument spec, the secret fields, the roles' item specs);
these are the lists it cannot: YAML, documentation, tables in test files. Each test fails naming the resource
or module that is missing or extra, and where. docs/adding-a-resource.md is the checklist they enforce.
"""

from __future__ import annotations

import ast
import os

import yaml

from ansible_collections.telnyx.account_access.plugins.module_utils._account import TYPE_NAMES, TYPES
from ansible_collections.telnyx.account_access.plugins.module_utils._registry import RESOURCES

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
# Files in _resources/ that declare no resource of their own: a base two resources share.
SHARED_DECLARATIONS = {"allowlist_entry"}
# Item types of the roles' input check that are not resources.
ROLE_ITEM_TYPES = {"access_ip_allowlist_entry"}
# Modules that read a role's variables: the role targets (role_account_bootstrap, ...) are theirs.
ROLE_ONLY = {"role_inputs"}


def path(*parts):
    return os.path.join(ROOT, *parts)


def modules():
    return {name[:-3] for name in os.listdir(path("plugins", "modules"))
            if name.endswith(".py") and not name.startswith("_")}


def filters():
    return {name[:-3] for name in os.listdir(path("plugins", "filter")) if name.endswith(".py") and not name.startswith("_")}


def differences(where, found, expected, allowed_extra=()):
    """The names missing from a list and the names it has that it should not, one line each."""
    lines = ["%s: missing %s" % (where, name) for name in sorted(set(expected) - set(found))]
    lines += ["%s: %s is not a registered name" % (where, name)
              for name in sorted(set(found) - set(expected) - set(allowed_extra))]
    return lines


def extras(where, found, expected, allowed_extra=()):
    """A list that covers some resources, not necessarily all: only the names it should not have."""
    return [line for line in differences(where, found, expected, allowed_extra) if ": missing " not in line]


def assignment(relative, name):
    """The value node of ``name = ...`` at the top of a Python file, read without importing it."""
    with open(path(relative), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return node.value
    raise AssertionError("%s has no %s table any more: update tests/unit/meta/test_registry.py" % (relative, name))


def keys_of(relative, name):
    """The literal keys of a dict table, or the literal first elements of a list of tuples."""
    node = assignment(relative, name)
    if isinstance(node, ast.Dict):
        return {k.value for k in node.keys if isinstance(k, ast.Constant)}
    if isinstance(node, ast.Call):  # dict(a=..., b=...)
        return {k.arg for k in node.keywords}
    return {e.elts[0].value for e in node.elts if isinstance(e, ast.Tuple) and isinstance(e.elts[0], ast.Constant)}


def documentation(module):
    return yaml.safe_load(assignment(os.path.join("plugins", "modules", module + ".py"), "DOCUMENTATION").value)


def sandbox_keys():
    """The state keys (URL segments) of the sandbox's resources."""
    with open(path("tests", "sandbox", "telnyx_sandbox", "resources.py"), encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    return {stmt.value.value for node in tree.body if isinstance(node, ast.ClassDef) for stmt in node.body
            if isinstance(stmt, ast.Assign) and getattr(stmt.targets[0], "id", None) == "key"
            and isinstance(stmt.value, ast.Constant) and stmt.value.value}


def segment(resource):
    return resource.path.strip("/")


def test_each_resource_is_declared_in_its_own_file():
    files = {name[:-3] for name in os.listdir(path("plugins", "module_utils", "_resources"))
             if name.endswith(".py") and name != "__init__.py"}
    problems = differences("plugins/module_utils/_resources/", files - SHARED_DECLARATIONS, RESOURCES)
    problems += ["%s is declared in %s, not in _resources/%s.py" % (name, type(r).__module__, name)
                 for name, r in sorted(RESOURCES.items()) if not type(r).__module__.endswith("._resources." + name)]
    assert not problems, problems


def test_each_resource_has_its_two_modules():
    wanted = {name for resource in RESOURCES for name in (resource, resource + "_info")}
    assert not differences("plugins/modules/", modules() & wanted, wanted)


def test_the_action_group_lists_each_resource_module():
    with open(path("meta", "runtime.yml"), encoding="utf-8") as handle:
        group = yaml.safe_load(handle)["action_groups"]["all"]
    wanted = {name for resource in RESOURCES for name in (resource, resource + "_info")}
    assert not differences("meta/runtime.yml action group all", set(group) & wanted, wanted)


def test_resource_set_documents_every_type():
    choices = documentation("resource_set")["options"]["type"]["choices"]
    assert not differences("resource_set DOCUMENTATION options.type.choices", choices, RESOURCES)


def test_the_account_module_converges_every_resource():
    # Each resource is one of account's types, or one half of its allowlist.
    types = {resource.name for resource in TYPES} | {"access_ip_address", "access_ip_range"}
    doc = documentation("account")["options"]
    problems = differences("account TYPES and the allowlist", types, RESOURCES)
    problems += differences("account DOCUMENTATION options", set(doc) & set(TYPE_NAMES) | set(doc["purge"]["choices"]),
                            TYPE_NAMES)
    problems += differences("account DOCUMENTATION allow_empty choices", doc["allow_empty"]["choices"], TYPE_NAMES)
    assert not problems, problems


def test_each_module_has_an_integration_target():
    targets = set(os.listdir(path("tests", "integration", "targets")))
    assert not differences("tests/integration/targets/", targets & modules(), modules() - ROLE_ONLY)


def test_the_sandbox_serves_each_resource():
    wanted = {segment(r) for r in RESOURCES.values()}
    assert not differences("tests/sandbox/telnyx_sandbox/resources.py", sandbox_keys(), wanted)


def role_task_files():
    for role in sorted(os.listdir(path("roles"))):
        folder = path("roles", role, "tasks")
        for name in sorted(os.listdir(folder)):
            with open(os.path.join(folder, name), encoding="utf-8") as handle:
                yield "roles/%s/tasks/%s" % (role, name), yaml.safe_load(handle) or []


def tasks_in(tasks):
    for task in tasks:
        yield task
        for section in ("block", "rescue", "always"):
            yield from tasks_in(task.get(section) or [])


def test_the_roles_name_only_registered_types():
    problems = []
    for where, tasks in role_task_files():
        for task in tasks_in(tasks):
            converge = task.get("telnyx.account_access.resource_set")
            if converge:
                problems += extras(where + " resource_set type", {converge["type"]}, RESOURCES)
            inputs = task.get("telnyx.account_access.role_inputs")
            for variable, kind in ((inputs or {}).get("items") or {}).items():
                problems += extras(where + " role_inputs items", {kind}, RESOURCES, ROLE_ITEM_TYPES)
                if kind in RESOURCES and variable != "telnyx_" + RESOURCES[kind].plural:
                    problems.append("%s: %s holds %s items, so it is named telnyx_%s"
                                    % (where, variable, kind, RESOURCES[kind].plural))
    assert not problems, problems


def test_the_evidence_tables_name_only_modules_and_resources():
    known = modules() | filters()  # the filters' examples run too
    problems = extras("tests/evidence/bad_input.py CASES", keys_of("tests/evidence/bad_input.py", "CASES"), known)
    problems += extras("tests/evidence/faults.py MODULES", keys_of("tests/evidence/faults.py", "MODULES"), known)
    problems += extras("tests/evidence/module_examples.py CONTEXT",
                       keys_of("tests/evidence/module_examples.py", "CONTEXT"), known)
    load = {e.elts[0].value for e in assignment("tests/evidence/load.py", "PARTS").elts}
    problems += extras("tests/evidence/load.py PARTS", load, {segment(r) for r in RESOURCES.values()})
    assert not problems, problems


def test_the_benchmark_paths_are_the_resources_paths():
    node = assignment("benchmarks/compare.py", "PATHS")
    paths = {k.arg: v.value for k, v in zip(node.keywords, (k.value for k in node.keywords))}
    by_segment = {segment(r): "/v2" + r.path for r in RESOURCES.values()}
    problems = extras("benchmarks/compare.py PATHS", paths, by_segment)
    problems += ["benchmarks/compare.py PATHS: %s is %s, the resource's path is %s" % (k, v, by_segment[k])
                 for k, v in sorted(paths.items()) if k in by_segment and v != by_segment[k]]
    # A benchmark covers the resources it measures, not every one: only extras and wrong paths fail.
    assert not problems, problems
