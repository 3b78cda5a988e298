"""Load suite: 8 bootstraps of one account at once, as AWX runs 8 job templates, against a rate-limited sandbox.

    .venv/bin/python tests/evidence/load.py [--runs 8] [--rate-limit 25]      (scripts/test.sh runs it)

Each run converges, with the account_bootstrap role, a part shared by every run (same names)
and a part of its own. The sandbox answers 429 past --rate-limit requests per second, so the
runs meet rate limits and race each other to create the shared objects. Every run must succeed,
and the final state must be exactly the union of what was asked, each object once. Prints the
requests made, the 429s met and the wall time; exits non-zero on a failed run, a duplicate, a
missing object or an object nobody asked for.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile
import time

from harness import ADDRESS, ROOT, Sandbox, ansible_env, start_playbook

PLAYBOOK = """
- name: Bootstrap one part of the account
  hosts: localhost
  connection: local
  gather_facts: false
  roles:
    - role: telnyx.account_access.account_bootstrap
"""
# The state key and natural key of each part, and how the account_bootstrap variable names it.
PARTS = [
    ("billing_groups", "name", "telnyx_billing_groups", lambda name: {"name": name}),
    ("addresses", "customer_reference", "telnyx_addresses", lambda name: dict(ADDRESS, customer_reference=name)),
    ("integration_secrets", "identifier", "telnyx_integration_secrets",
     lambda name: {"identifier": name, "type": "bearer", "token": "load-token-" + name}),
    ("telephony_credentials", "name", "telnyx_telephony_credentials", lambda name: {"name": name, "connection_id": "42"}),
]


def account_part(run, shared, own):
    """The variables of one run: the shared names and its own."""
    names = ["shared-%d" % i for i in range(shared)] + ["run%d-%d" % (run, i) for i in range(own)]
    part = {variable: [make(name) for name in names] for _kind, _key, variable, make in PARTS}
    part["telnyx_access_ip_allowlist"] = {"entries": ["192.0.2.%d" % (i + 1) for i in range(shared)]
                                          + ["198.51.%d.%d" % (100 + run, i + 1) for i in range(own)]
                                          + ["10.%d.0.0/16" % i for i in range(shared)]
                                          + ["172.16.%d.0/24" % (run * own + i) for i in range(own)]}
    return part


def wanted_state(runs, shared, own):
    wanted = collections.defaultdict(set)
    for run in range(runs):
        part = account_part(run, shared, own)
        for kind, key, variable, _make in PARTS:
            wanted[kind].update(item[key] for item in part[variable])
        entries = part["telnyx_access_ip_allowlist"]["entries"]
        wanted["access_ip_address"].update(e for e in entries if "/" not in e)
        wanted["access_ip_ranges"].update(e for e in entries if "/" in e)
    return wanted


def check_state(state, wanted):
    problems = []
    keys = dict((kind, key) for kind, key, _variable, _make in PARTS)
    keys["access_ip_address"] = "ip_address"
    keys["access_ip_ranges"] = "cidr_block"
    for kind, names in sorted(wanted.items()):
        found = collections.Counter(o[keys[kind]] for o in state.get(kind, []) if not o.get("deleted_at"))
        problems += ["%s: %s made %d times" % (kind, name, count) for name, count in sorted(found.items()) if count > 1]
        problems += ["%s: %s missing" % (kind, name) for name in sorted(names - set(found))]
        problems += ["%s: %s not asked for" % (kind, name) for name in sorted(set(found) - names)]
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--runs", type=int, default=8)
    parser.add_argument("--rate-limit", type=int, default=25, help="sandbox requests per second")
    parser.add_argument("--shared", type=int, default=6, help="objects of each type every run asks for")
    parser.add_argument("--own", type=int, default=4, help="objects of each type only one run asks for")
    options = parser.parse_args()
    wanted = wanted_state(options.runs, options.shared, options.own)
    with tempfile.TemporaryDirectory() as workdir, Sandbox("--rate-limit", str(options.rate_limit),
                                                           "--access-ip-settle-ms", "0") as sandbox:
        playbook = os.path.join(workdir, "bootstrap.yml")
        with open(playbook, "w") as handle:
            handle.write(PLAYBOOK)
        env = ansible_env(sandbox.url)
        runs = []
        started = time.monotonic()
        for run in range(options.runs):
            variables = os.path.join(workdir, "run%d.json" % run)
            with open(variables, "w") as handle:
                json.dump(account_part(run, options.shared, options.own), handle)
            output = open(os.path.join(workdir, "run%d.out" % run), "w+")
            runs.append((start_playbook([playbook, "-e", "@" + variables], env, cwd=ROOT, stdout=output,
                                        stderr=subprocess.STDOUT), output))
        codes = [process.wait(600) for process, _output in runs]
        wall = time.monotonic() - started
        log, writes = sandbox.requests(), len(sandbox.writes())
        problems = ["run %d failed (rc %d): %s" % (index, code, last_lines(output)) for index, (code, (_p, output))
                    in enumerate(zip(codes, runs)) if code != 0]
        problems += check_state(sandbox.state(), wanted)
    statuses = collections.Counter(entry["status"] for entry in log)
    print("load: %d runs at once, sandbox limit %d requests/s: %d requests (%d writes), %d answered 429, "
          "%d runs succeeded, wall time %.1f s"
          % (options.runs, options.rate_limit, len(log), writes, statuses.get(429, 0), codes.count(0), wall))
    print("load: final state %s; %d problems"
          % (", ".join("%s %d" % (kind, len(names)) for kind, names in sorted(wanted.items())), len(problems)))
    for problem in problems:
        print("PROBLEM " + problem)
    return 1 if problems else 0


def last_lines(output, count=3):
    output.seek(0)
    lines = [line.strip() for line in output.read().splitlines() if line.strip()]
    return " | ".join(lines[-count:])


if __name__ == "__main__":
    sys.exit(main())
