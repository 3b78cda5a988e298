"""The AWX run of scripts/test.sh (awx-runner): ansible-runner's private data directory, and what must hold after."""

from __future__ import annotations

import json
import os

from .fixtures import API_KEY
from .sandbox import SandboxClient

BILLING_GROUPS = ["operations", "sales-emea", "support"]  # what playbooks/vars/example_account.yml asks for


def write_job(private, url, collections, extravars_yaml):
    """What an AWX credential of our type injects (env/envvars), plus where the execution environment keeps
    collections; the job template's extra variables (env/extravars) are the example account."""
    import yaml  # the tool venv's; only this command needs it

    env = os.path.join(private, "env")
    os.makedirs(env, exist_ok=True)
    with open(os.path.join(env, "envvars"), "w") as handle:
        json.dump({"TELNYX_API_KEY": API_KEY, "TELNYX_API_URL": url, "ANSIBLE_COLLECTIONS_PATH": collections}, handle)
    with open(extravars_yaml) as source, open(os.path.join(env, "extravars"), "w") as handle:
        json.dump(yaml.safe_load(source), handle)


def check_job(private, base, ident="bootstrap"):
    """ansible-runner's status for the job, and the sandbox holding what the example account asks for.
    Returns (problems, figures line)."""
    with open(os.path.join(private, "artifacts", ident, "status")) as handle:
        status = handle.read().strip()
    state = SandboxClient(base).state()
    groups = sorted(g["name"] for g in state["billing_groups"])
    problems = []
    if status != "successful":
        problems.append("ansible-runner status: %s" % status)
    if groups != BILLING_GROUPS:
        problems.append("billing groups %s, expected %s" % (groups, BILLING_GROUPS))
    line = ("awx_runner: ansible-runner status %s; the sandbox holds %d billing groups, %d allowlist addresses and %d ranges"
            % (status, len(groups), len(state["access_ip_address"]), len(state["access_ip_ranges"])))
    return problems, line
