"""Benchmark: what one Telnyx task costs against one ansible.builtin.debug task (on demand, not in CI).

    .venv/bin/python benchmarks/task_cost.py [--runs 5] [--tasks 6] [--loop 40] [--module-path] [--source DIR]

Two pairs of whole ansible-playbook processes against the sandbox, run alternately, medians of --runs:
--tasks no-op billing_group_info / billing_group tasks against as many debug tasks, and a loop of --loop
no-op billing_group items against a loop of as many debug items. The issue's targets: at most 1.5x and 2x.
--module-path runs the Telnyx tasks as modules (a script running this Python is the interpreter), as every
task ran before the controller path: the figures to compare with.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))

from testkit import Sandbox, ansible_env, collection_tree, run_playbook

API_KEY = "benchmark-key"
TARGETS = dict(tasks=1.5, loop=2.0)
PLAY = """- name: {name}
  hosts: localhost
  connection: local
  gather_facts: false
{interpreter}  tasks:
{tasks}
"""
TELNYX = """    - name: A no-op Telnyx task
      telnyx.account_access.{module}:
        name: bench-{index}
"""
DEBUG = """    - name: A debug task
      ansible.builtin.debug:
        msg: bench-{index}
"""
LOOP = """    - name: A loop item
      {action}
      loop: "{{{{ range({count}) | list }}}}"
"""


def playbooks(work, tasks, loop, python):
    """The four playbooks: (name, Telnyx playbook, debug playbook)."""
    telnyx_tasks = "".join(TELNYX.format(module="billing_group" if i % 2 else "billing_group_info", index=i // 2)
                           for i in range(tasks))
    debug_tasks = "".join(DEBUG.format(index=i) for i in range(tasks))
    loop_telnyx = LOOP.format(action="telnyx.account_access.billing_group:\n        name: bench-loop-{{ item }}",
                              count=loop)
    loop_debug = LOOP.format(action="ansible.builtin.debug:\n        msg: bench-loop-{{ item }}", count=loop)
    pairs = []
    for name, telnyx, debug in (("%d tasks" % tasks, telnyx_tasks, debug_tasks),
                                ("%d-item loop" % loop, loop_telnyx, loop_debug)):
        paths = []
        for kind, body in (("telnyx", telnyx), ("debug", debug)):
            path = os.path.join(work, "%s-%s.yml" % (kind, name.replace(" ", "-")))
            with open(path, "w") as handle:
                handle.write(PLAY.format(name=name, tasks=body, interpreter=(
                    "  vars:\n    ansible_python_interpreter: %s\n" % python if python else "")))
            paths.append(path)
        pairs.append((name, paths[0], paths[1]))
    return pairs


def timed(playbook, env):
    started = time.monotonic()
    done = run_playbook([playbook], env)
    seconds = time.monotonic() - started
    if done.returncode != 0 or "changed=0" not in done.stdout:
        sys.exit("%s did not run as a no-op (rc %d):\n%s" % (playbook, done.returncode, (done.stdout + done.stderr)[-3000:]))
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--tasks", type=int, default=6)
    parser.add_argument("--loop", type=int, default=40)
    parser.add_argument("--module-path", action="store_true",
                        help="run the Telnyx tasks as module processes (the figures before the controller path)")
    parser.add_argument("--source", default=None,
                        help="the checkout whose collection is measured (default this one), e.g. an export of main")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as work, Sandbox(api_key=API_KEY, log_path=os.path.join(work, "sandbox.out")) as sandbox:
        collections = os.path.join(work, "collections")
        collection_tree(collections, **({"source": options.source} if options.source else {}))
        python = None  # the implicit localhost: the controller's own Python
        if options.module_path:
            # A script that runs this Python: another interpreter file, so every Telnyx task is a module process.
            python = os.path.join(work, "python")
            with open(python, "w") as handle:
                handle.write("#!/bin/sh\nexec %s \"$@\"\n" % sys.executable)
            os.chmod(python, 0o755)
        env = ansible_env(sandbox.url, api_key=API_KEY, collections=collections)
        pairs = playbooks(work, options.tasks, options.loop, python)
        # The objects the no-op tasks name, made once before any timed run.
        for name, telnyx, dummy in pairs:
            done = run_playbook([telnyx], env)
            if done.returncode != 0:
                sys.exit("%s failed (rc %d):\n%s" % (telnyx, done.returncode, (done.stdout + done.stderr)[-3000:]))
        print("%-14s %10s %10s %7s %7s" % ("playbook", "telnyx s", "debug s", "ratio", "target"))
        for name, telnyx, debug in pairs:
            times = dict(telnyx=[], debug=[])
            for dummy in range(options.runs):
                times["telnyx"].append(timed(telnyx, env))
                times["debug"].append(timed(debug, env))
            medians = {kind: statistics.median(values) for kind, values in times.items()}
            target = TARGETS["tasks" if "tasks" in name else "loop"]
            print("%-14s %10.2f %10.2f %6.2fx %6.1fx   raw telnyx %s debug %s" % (
                name, medians["telnyx"], medians["debug"], medians["telnyx"] / medians["debug"], target,
                " ".join("%.2f" % t for t in times["telnyx"]), " ".join("%.2f" % t for t in times["debug"])))


if __name__ == "__main__":
    main()
