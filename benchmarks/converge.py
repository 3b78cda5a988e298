"""Benchmark: converging many objects against the sandbox (run on demand, not in CI).

    .venv/bin/python benchmarks/converge.py [--latency-ms 50] [--runs 3] [--only allowlist]

Prints one row per scenario (medians of the runs): the task's wall time as Ansible sees it,
the API time (first request to last answer, from the sandbox's log), the HTTP requests the
sandbox answered, and the lower bound requests x latency / parallelism with the ratio of
the API time to it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))

from testkit import Sandbox, ansible_env, collection_tree, run_playbook

GROUPS = 300
ENTRIES = 500

PLAYBOOK = """
- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - ansible.builtin.set_fact:
        t0: "{{ now().timestamp() }}"
    - %s
    - ansible.builtin.copy:
        dest: "%s"
        content: "{{ now().timestamp() | float - t0 | float }}"
"""


def run_task(sandbox, collections, task, seed):
    sandbox.reset()
    if seed:
        sandbox.seed(seed)
    sandbox.clear_log()
    with tempfile.TemporaryDirectory() as tmp:
        timing = os.path.join(tmp, "seconds")
        playbook = os.path.join(tmp, "bench.yml")
        with open(playbook, "w") as handle:
            handle.write(PLAYBOOK % (task, timing))
        done = run_playbook([playbook], ansible_env(sandbox.url, collections=collections), stdout=subprocess.DEVNULL)
        if done.returncode != 0:
            sys.exit("the playbook of %s failed (rc %d)" % (task[:60], done.returncode))
        with open(timing) as handle:
            seconds = float(handle.read())
    return seconds, sandbox.requests()


def build_scenarios():
    """(name, objects to seed first or None, the task, its parallelism)."""
    groups = [{"name": "g-%d" % i} for i in range(GROUPS)]
    entries = ["198.18.%d.%d" % divmod(i, 250) for i in range(ENTRIES)]

    def resource_set(extra=""):
        return "telnyx.account_access.resource_set: {type: billing_group, %sitems: %s}" % (extra, json.dumps(groups))

    def allowlist(extra=""):
        return "telnyx.account_access.access_ip_allowlist: {%sentries: %s}" % (extra, json.dumps(entries))

    present_groups = {"billing_groups": groups}
    present_entries = {"access_ip_address": [{"ip_address": e} for e in entries]}
    return [
        ("resource_set: create %d (default 10)" % GROUPS, None, resource_set(), 10),
        ("resource_set: create %d, parallelism 16" % GROUPS, None, resource_set("parallelism: 16, "), 16),
        ("resource_set: %d present, no-op" % GROUPS, present_groups, resource_set(), 1),
        ("billing_group: 1 of %d, no-op" % GROUPS, present_groups, "telnyx.account_access.billing_group: {name: g-150}", 1),
        ("allowlist: add %d, parallelism 8" % ENTRIES, None, allowlist("parallelism: 8, "), 8),
        ("allowlist: add %d, parallelism 1" % ENTRIES, None, allowlist("parallelism: 1, "), 1),
        ("allowlist: %d present, purge, no-op" % ENTRIES, present_entries, allowlist("purge: true, "), 1),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="run the scenarios whose name contains this")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Sandbox("--latency-ms", str(args.latency_ms),
                                                       log_path=os.path.join(tmp, "sandbox.out")) as sandbox:
        # The working copy as it is, in a collection tree of the benchmark's own.
        collections = os.path.join(tmp, "collections")
        collection_tree(collections)
        scenarios = [s for s in build_scenarios() if args.only in s[0]]
        print("latency %d ms, %d runs each, medians" % (args.latency_ms, args.runs))
        header = "%-38s %7s %7s %9s %7s %11s %6s" % ("scenario", "task s", "API s", "requests", "writes",
                                                     "lower bnd s", "ratio")
        print(header)
        print("-" * len(header))
        for name, seed, task, parallelism in scenarios:
            times, api_times, counts, writes = [], [], [], []
            for dummy in range(args.runs):
                seconds, requests = run_task(sandbox, collections, task, seed)
                times.append(seconds)
                stamps = [r["at"] for r in requests]
                api_times.append(max(stamps) - min(stamps) + args.latency_ms / 1000.0)
                counts.append(len(requests))
                writes.append(len(sandbox.writes()))
            api_time = statistics.median(api_times)
            requests_made = int(statistics.median(counts))
            bound = requests_made * args.latency_ms / 1000.0 / parallelism
            row = (name, statistics.median(times), api_time, requests_made, int(statistics.median(writes)), bound,
                   api_time / bound)
            print("%-38s %7.2f %7.2f %9d %7d %11.2f %6.2f" % row, flush=True)


if __name__ == "__main__":
    main()
