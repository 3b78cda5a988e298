"""Every example in the plugin reference runs: the EXAMPLES of each module and of the filter, against the sandbox.

    .venv/bin/python tests/evidence/module_examples.py      (scripts/test.sh runs it)

The examples are what docs/reference shows. Each plugin's examples run in order as one playbook
against a fresh sandbox, with what they assume to exist seeded first and the variables they name
(a vault value, a registered result from another module's example) given. A playbook that fails
fails the suite. Prints a table and a last line ``module_examples: ...``.
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


def run_examples(name, text, sandbox, workdir):
    context = CONTEXT.get(name, {})
    sandbox.reset()
    seeded = sandbox.seed(context["seed"]) if context.get("seed") else {}
    folder = os.path.join(workdir, name)
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
        json.dump(resolve(context.get("vars", {}), seeded), handle)
    done = run_playbook([playbook, "-e", "@" + variables], ansible_env(sandbox.url), cwd=folder)
    tasks = sum(1 for line in text.splitlines() if line.startswith("- "))
    return tasks, done


def main():
    plugins = sorted(glob.glob(os.path.join(ROOT, "plugins", "modules", "*.py")) + glob.glob(os.path.join(ROOT, "plugins", "filter", "*.py")))
    rows, failures = [], []
    with tempfile.TemporaryDirectory() as workdir, Sandbox(log_path=os.path.join(workdir, "sandbox.out")) as sandbox:
        for path in plugins:
            name = os.path.basename(path)[:-3]
            text = examples_of(path)
            if not text.strip():
                failures.append("%s has no EXAMPLES" % name)
                rows.append([name, 0, "NO EXAMPLES"])
                continue
            tasks, done = run_examples(name, text, sandbox, workdir)
            if done.returncode == 0:
                rows.append([name, tasks, "ran"])
            else:
                rows.append([name, tasks, "FAILED"])
                failures.append("%s:\n%s" % (name, "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])))
    print(table(["plugin", "example tasks", "outcome"], rows))
    print("module_examples: the examples of %d plugins (%d tasks), %d ran, %d failed"
          % (len(rows), sum(r[1] for r in rows), sum(1 for r in rows if r[2] == "ran"), len(failures)))
    for failure in failures:
        print("FAILED " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
