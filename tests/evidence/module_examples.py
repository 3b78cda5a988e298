"""Every example in the plugin reference runs: the EXAMPLES of each module and of the filter, against the sandbox.

    .venv/bin/python tests/evidence/module_examples.py      (scripts/test.sh runs it)

The examples are what docs/reference shows. Each plugin's examples run in order as one playbook
against a fresh sandbox, with what they assume to exist seeded first and the variables they name
(a vault value, a registered result from another module's example) given. A playbook that fails
fails the suite. Prints a table and a last line ``module_examples: ...``.

A module's examples run on both paths a task may take: on the controller path (a local connection: the
action plugin runs the module in Ansible's worker process), and as module processes, forced by an
``ansible_python_interpreter`` that is a script running the same Python (the action plugin takes another
interpreter file for another Python). The script counts its runs, so a module path that never ran a module
fails the suite.
"""

from __future__ import annotations

import ast
import glob
import json
import os
import sys
import tempfile

from harness import ADDRESS, ROOT, SAML_SETTINGS as SETTINGS, Sandbox, ansible_env, run_playbook, table


# What an example takes for granted: objects (seed) and variables (vars; "@seed:kind:index" is the id
# of a seeded object). A path outside the run's directory is moved into it.
CONTEXT = {
    "account_info": dict(seed={"billing_groups": [{"name": "ops"}], "access_ip_address": [{"ip_address": "203.0.113.10"}]}),
    "drift_report": dict(seed={"billing_groups": [{"name": "ops"}, {"name": "legacy"}]},
                         vars={"telnyx_billing_groups": [{"name": "ops"}]}),
    "account_summary": dict(seed={"billing_groups": [{"name": "legacy"}]}, vars={"telnyx_billing_groups": [{"name": "ops"}]}),
    "account": dict(seed={"billing_groups": [{"name": "ops"}, {"name": "retired"}]},
                    vars={"crm_token": "crm-token-from-a-vault-3"}),
    "access_ip_address": dict(seed={"access_ip_address": [{"ip_address": "198.51.100.20"}, {"ip_address": "198.51.100.20"}]},
                              vars={"duplicate_entry_id": "@seed:access_ip_address:1"}),
    "access_ip_allowlist": dict(vars={"partner_addresses": ["192.0.2.10", "192.0.2.11"]}),
    "address": dict(seed={"addresses": [dict(ADDRESS, customer_reference="old-branch")]}),
    "address_accept_suggestions": dict(seed={"addresses": [dict(ADDRESS, customer_reference="hq")]},
                                       vars={"hq": {"address": {"id": "@seed:addresses:0"}}}),
    "address_info": dict(seed={"addresses": [dict(ADDRESS, customer_reference="hq")]}),
    "authentication_provider": dict(vars={"new_fingerprint": "7A:41:0C:D2:95:E3:18:B6"}),
    "authentication_provider_info": dict(seed={"authentication_providers": [
        dict(short_name="example-okta", name="Example Okta", settings=SETTINGS)]}),
    "billing_group": dict(seed={"billing_groups": [{"id": "6a09cdc3-8948-47f0-aa62-74ac943d6c58", "name": "ops-old"},
                                                   {"name": "legacy"}]}),
    "integration_secret": dict(vars={"vault_crm_token": "crm-token-from-a-vault-1", "vault_new_crm_token": "crm-token-from-a-vault-2"}),
    "telephony_credential": dict(seed={"telephony_credentials": [{"name": "old-fleet", "resource_id": "connection:1"}]}),
    "telephony_credential_token": dict(seed={"telephony_credentials": [{"name": "softphone-fleet", "resource_id": "connection:1"}]},
                                       paths={"/etc/webclient/": "webclient/"}),
    # An action that reads a role's argument spec: its example runs as the tasks of a role with one.
    "role_inputs": dict(role={"argument_specs": {"main": {"short_description": "An example role", "options": {
        "telnyx_billing_groups": {"type": "list", "elements": "dict", "description": "Groups.",
                                  "options": {"name": {"type": "str", "description": "A name."}}}}}}},
                        vars={"telnyx_billing_groups": [{"name": "ops"}]}),
    "rotation_plan": dict(vars={"new_token": "crm-token-next-1", "existing": {"integration_secrets": [
        {"id": "1", "identifier": "crm_token_v1", "created_at": "2026-01-01T00:00:00Z"}]}}),
}

PLAYBOOK_HEAD = """- name: The examples of %s
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
"""


def examples_of(path):
    tree = ast.parse(open(path).read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == "EXAMPLES":
            return node.value.value
    return ""


def resolve(value, seeded):
    if isinstance(value, dict):
        return {k: resolve(v, seeded) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("@seed:"):
        dummy, kind, index = value.split(":")
        return seeded[kind][int(index)]["id"]
    return value


# Plugins with no module path: a filter, and an action that reads its role's argument spec.
CONTROLLER_ONLY = {"rotation_plan", "role_inputs"}
INTERPRETER = """#!/bin/sh
echo run >> "%s"
exec "%s" "$@"
"""


def module_interpreter(workdir):
    """An interpreter that is a script running this Python and counting its runs: (its path, the count's file)."""
    script, count = os.path.join(workdir, "python-as-module"), os.path.join(workdir, "module-runs")
    with open(script, "w") as handle:
        handle.write(INTERPRETER % (count, sys.executable))
    os.chmod(script, 0o755)
    return script, count


def module_runs(count):
    if not os.path.exists(count):
        return 0
    with open(count) as handle:
        return len(handle.read().split())


def run_examples(name, text, sandbox, workdir, interpreter=None):
    context = CONTEXT.get(name, {})
    sandbox.reset()
    seeded = sandbox.seed(context["seed"]) if context.get("seed") else {}
    folder = os.path.join(workdir, name + ("-as-module" if interpreter else ""))
    os.makedirs(folder)
    for old, new in context.get("paths", {}).items():
        os.makedirs(os.path.join(folder, new), exist_ok=True)
        text = text.replace(old, os.path.join(folder, new))
    playbook = os.path.join(folder, "examples.yml")
    if context.get("role"):
        role = os.path.join(folder, "roles", "example_role")
        for part, content in (("meta/argument_specs.yml", json.dumps(context["role"])), ("tasks/main.yml", text)):
            os.makedirs(os.path.dirname(os.path.join(role, part)), exist_ok=True)
            with open(os.path.join(role, part), "w") as handle:
                handle.write(content)
        text = "- name: Run the example role\n  ansible.builtin.include_role:\n    name: example_role\n"
    with open(playbook, "w") as handle:
        handle.write(PLAYBOOK_HEAD % name + "".join("    " + line + "\n" if line.strip() else "\n" for line in text.strip("\n").splitlines()))
    variables = os.path.join(folder, "vars.json")
    with open(variables, "w") as handle:
        json.dump(dict(resolve(context.get("vars", {}), seeded), **(
            {"ansible_python_interpreter": interpreter} if interpreter else {})), handle)
    done = run_playbook([playbook, "-e", "@" + variables], ansible_env(sandbox.url), cwd=folder)
    tasks = sum(1 for line in text.splitlines() if line.startswith("- "))
    return tasks, done


def main():
    plugins = sorted(glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")) + glob.glob(os.path.join(ROOT, "plugins", "filter", "*.py")))
    rows, failures = [], []
    with tempfile.TemporaryDirectory() as workdir, Sandbox(log_path=os.path.join(workdir, "sandbox.out")) as sandbox:
        interpreter, count = module_interpreter(workdir)
        for path in plugins:
            name = os.path.basename(path)[:-3]
            text = examples_of(path)
            if not text.strip():
                failures.append("%s has no EXAMPLES" % name)
                rows.append([name, "-", 0, "NO EXAMPLES"])
                continue
            for where in ("controller",) if name in CONTROLLER_ONLY else ("controller", "module"):
                before = module_runs(count)
                tasks, done = run_examples(name, text, sandbox, workdir, interpreter if where == "module" else None)
                ran = module_runs(count) - before
                if done.returncode != 0:
                    rows.append([name, where, tasks, "FAILED"])
                    failures.append("%s (%s path):\n%s" % (name, where, "\n".join(
                        (done.stdout + done.stderr).strip().splitlines()[-15:])))
                elif where == "module" and not ran:
                    rows.append([name, where, tasks, "NO MODULE RAN"])
                    failures.append("%s: the module path ran no module process" % name)
                else:
                    rows.append([name, where, tasks, "ran" + (" (%d module processes)" % ran if ran else "")])
    print(table(["plugin", "path", "example tasks", "outcome"], rows))
    print("module_examples: the examples of %d plugins (%d tasks), on the controller path and as modules: "
          "%d playbooks ran, %d failed"
          % (len({r[0] for r in rows}), sum(r[2] for r in rows if r[1] != "module"),
             sum(1 for r in rows if r[3].startswith("ran")), len(failures)))
    for failure in failures:
        print("FAILED " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
