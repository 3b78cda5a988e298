"""Benchmark: how much of the bootstrap's from-empty time is the role, the module and Ansible (on demand, not in CI).

    .venv/bin/python benchmarks/bootstrap_parts.py [--runs 9] [--latency-ms 50]

compare.py's 690-object bootstrap, each run from an empty sandbox, as whole ansible-playbook processes run in
turn (so drift in the machine's load hits all alike), medians of --runs:

* the role as it is (benchmarks/collection/bootstrap.yml);
* the same role with its account task alone: no role_inputs, no summary tasks. It is what folding every
  other task of the role into the account task could save at most;
* the account module alone in a play, without the role: Ansible neither loads a role nor checks its arguments;
* an empty playbook: ansible-playbook's own start-up and exit, which the lower bound leaves out.

Each is given as a ratio to the lower bound compare.py uses (requests x latency / parallelism).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile

from compare import (API_KEY, EMPTY_PLAYBOOK, FULL, HERE, ROLE_PARALLELISM, build_scenarios, check_state,
                     collection_tree, run_playbook)
from testkit import Sandbox

# The role's account task with the role's variables as they are: the task list of the second variant.
ACCOUNT_TASK = """- name: Converge the account
  telnyx.account_access.account:
    billing_groups: "{{{{ telnyx_billing_groups }}}}"
    addresses: "{{{{ telnyx_addresses }}}}"
    integration_secrets: "{{{{ telnyx_integration_secrets }}}}"
    telephony_credentials: "{{{{ telnyx_telephony_credentials }}}}"
    access_ip_allowlist: "{{{{ telnyx_access_ip_allowlist }}}}"
    parallelism: {parallelism}
  register: account_bootstrap_result
"""
MODULE_PLAYBOOK = """- name: The account module alone
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
{task}"""


def variants(work):
    """[(name, collections tree, playbook, requests expected)]."""
    collections = os.path.join(work, "collections")
    collection_tree(collections)
    trimmed = os.path.join(work, "trimmed")  # a tree of its own whose role keeps its account task alone
    collection_tree(trimmed)
    task = ACCOUNT_TASK.format(parallelism=ROLE_PARALLELISM)
    with open(os.path.join(trimmed, "ansible_collections", "telnyx", "account_access", "roles", "account_bootstrap",
                           "tasks", "main.yml"), "w") as handle:
        handle.write("---\n" + task)
    module_playbook = os.path.join(work, "module.yml")
    with open(module_playbook, "w") as handle:
        handle.write(MODULE_PLAYBOOK.format(task="".join("    " + line if line else line
                                                         for line in task.splitlines(True))))
    empty_playbook = os.path.join(work, "empty.yml")
    with open(empty_playbook, "w") as handle:
        handle.write(EMPTY_PLAYBOOK)
    role_playbook = os.path.join(HERE, "collection", "bootstrap.yml")
    return [("the role as it is", collections, role_playbook, True),
            ("the role, account task only", trimmed, role_playbook, True),
            ("the account module alone", collections, module_playbook, True),
            ("an empty playbook", collections, empty_playbook, False)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--latency-ms", type=int, default=50)
    options = parser.parse_args()
    dummy, label, variables, expected, dummy2 = [s for s in build_scenarios(FULL) if s[0] == "bootstrap"][0]
    with tempfile.TemporaryDirectory() as work, Sandbox("--latency-ms", str(options.latency_ms), api_key=API_KEY,
                                                        log_path=os.path.join(work, "sandbox.out")) as sandbox:
        vars_file = os.path.join(work, "bootstrap.json")
        with open(vars_file, "w") as handle:
            json.dump(variables, handle)
        runs = variants(work)
        walls, requests = {name: [] for name, *dummy in runs}, set()
        for dummy in range(options.runs):
            for name, collections, playbook, converges in runs:
                sandbox.reset()
                sandbox.clear_log()
                walls[name].append(run_playbook(playbook, vars_file if converges else None, sandbox, collections))
                if converges:
                    check_state(sandbox, expected, "%s, %s" % (label, name))
                    requests.add(len(sandbox.requests()))
    if len(requests) != 1:
        sys.exit("the variants made different numbers of requests: %s" % sorted(requests))
    bound = requests.pop() * options.latency_ms / 1000.0 / ROLE_PARALLELISM
    print("%s from empty, latency %d ms, %d runs each, medians; lower bound %.2f s" % (
        label, options.latency_ms, options.runs, bound))
    print("%-30s %7s %9s   %s" % ("variant", "wall s", "/ bound", "raw s"))
    for name, values in walls.items():
        median = statistics.median(values)
        print("%-30s %7.2f %8.2fx   %s" % (name, median, median / bound, " ".join("%.2f" % v for v in values)))


if __name__ == "__main__":
    main()
