"""Write, or with --check compare, the item options in the roles' argument specs.

A role that takes a list of objects of a resource type (account_bootstrap's telnyx_billing_groups, ...)
declares each item's keys with that type's module options, so that Ansible refuses an unknown or mistyped
key before the role's first request. Those options live in the modules' DOCUMENTATION; this script copies
their names, types, choices and no_log into the role specs, with a reference to the module for the rest. An option
the resource declares object-only (``Resource.object_only``: its own module's, never a list item's) is left out.

    python scripts/role_specs.py           # rewrite roles/*/meta/argument_specs.yml
    python scripts/role_specs.py --check   # exit 1 when a spec is not what this would write
"""

from __future__ import annotations

import argparse
import ast
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ROLES = os.path.join(ROOT, "roles")


def item_modules():
    """role -> {role option -> the module whose options each list item takes}, read from each role's own input
    check (its role_inputs task, in any of its tasks files), so that the spec and the check can never name
    different types."""
    found = {}
    for role in sorted(os.listdir(ROLES)):
        tasks = []
        for name in sorted(os.listdir(os.path.join(ROLES, role, "tasks"))):
            with open(os.path.join(ROLES, role, "tasks", name), encoding="utf-8") as handle:
                tasks += yaml.safe_load(handle) or []
        for task in tasks:
            items = (task.get("telnyx.account_access.role_inputs") or {}).get("items") or {}
            # An option path with a dot is a key inside a mapping, and a type with no module is not a resource.
            modules = {option: kind for option, kind in items.items() if "." not in option
                       and os.path.isfile(os.path.join(ROOT, "plugins", "modules", kind + ".py"))}
            if modules:
                found.setdefault(role, {}).update(modules)
    return found


ITEM_MODULES = item_modules()
COPIED = ("type", "elements", "choices", "required")
# The options the resources declare no_log (plugins/module_utils/_resources/; a unit test holds the two equal).
SECRET_OPTIONS = ("token", "username", "password")


def module_options(module):
    """The module's options from its DOCUMENTATION, with no_log read from the resource declaration."""
    path = os.path.join(ROOT, "plugins", "modules", module + ".py")
    tree = ast.parse(open(path, encoding="utf-8").read())
    text = next(node.value.value for node in tree.body if isinstance(node, ast.Assign)
                and getattr(node.targets[0], "id", None) == "DOCUMENTATION")
    return yaml.safe_load(text)["options"]


def object_only(module):
    """The options the module's resource declares for that module only (``object_only`` in its declaration,
    plugins/module_utils/_resources/), read without importing it; a unit test holds the two equal."""
    path = os.path.join(ROOT, "plugins", "module_utils", "_resources", module + ".py")
    if not os.path.isfile(path):
        return ()
    with open(path, encoding="utf-8") as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "object_only" for t in node.targets):
            return tuple(ast.literal_eval(node.value))
    return ()


def item_options(module, options):
    """Role-spec suboptions for the module's options that a list item takes: the checked attributes, and a pointer
    to the docs."""
    spec = {}
    refused = object_only(module)
    for name, option in options.items():
        if name in refused:
            continue
        entry = {"description": "As O(telnyx.account_access.%s#module:%s)." % (module, name)}
        entry.update({key: option[key] for key in COPIED if key in option})
        if name in SECRET_OPTIONS:
            entry["no_log"] = True
        if "suboptions" in option:
            entry["options"] = {sub: dict({"description": "As O(telnyx.account_access.%s#module:%s.%s)."
                                           % (module, name, sub)},
                                          **{k: v[k] for k in COPIED if k in v})
                                for sub, v in option["suboptions"].items()}
        spec[name] = entry
    return spec


def expected(role):
    path = os.path.join(ROOT, "roles", role, "meta", "argument_specs.yml")
    with open(path, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    options = data["argument_specs"]["main"]["options"]
    for option, module in ITEM_MODULES[role].items():
        options[option]["options"] = item_options(module, module_options(module))
    return path, data


class IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as yamllint (ansible-lint) wants them."""

    def increase_indent(self, flow=False, indentless=False):
        return super().increase_indent(flow, False)


def render(data):
    return "---\n" + yaml.dump(data, Dumper=IndentedDumper, sort_keys=False, width=120, allow_unicode=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 when a spec is stale")
    args = parser.parse_args()
    stale = []
    for role in ITEM_MODULES:
        path, data = expected(role)
        text = render(data)
        if open(path, encoding="utf-8").read() != text:
            stale.append(os.path.relpath(path, ROOT))
            if not args.check:
                with open(path, "w", encoding="utf-8") as handle:
                    handle.write(text)
    if args.check and stale:
        print("stale, run python scripts/role_specs.py: %s" % ", ".join(stale))
        return 1
    print("%s: %s" % ("checked" if args.check else "written", ", ".join(ITEM_MODULES)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
