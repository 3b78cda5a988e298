"""Benchmark: this collection against the ansible.builtin.uri baseline a careful user would write (on demand, not in CI).

    .venv/bin/python benchmarks/compare.py [--latency-ms 50] [--runs 3] [--only allowlist,bootstrap] [--quick]

Each scenario runs, per tool, from an empty sandbox and then again as a no-op (the second run
against what the first one made). The baseline playbooks are benchmarks/baseline/*.yml, the
collection's benchmarks/collection/*.yml; both read the same telnyx_* variables (-e @file).
Prints one row per scenario, state and tool (medians of the runs): the ansible-playbook wall
time, the HTTP requests the sandbox answered, requests per second, the lower bound
requests x latency / parallelism and the ratio of the wall time to it; then the speed-up
(baseline wall / collection wall) and the issue's targets.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tests"))

from testkit import ROOT, Sandbox, ansible_env, collection_tree, run_playbook as ansible_playbook

HERE = os.path.join(ROOT, "benchmarks")
API_KEY = "benchmark-key"
PAGE_SIZE = 250
FULL = dict(entries=500, groups=100, secrets=50, addresses=20, credentials=20)
QUICK = dict(entries=50, groups=10, secrets=5, addresses=5, credentials=5)
# The collection's parallelism: access_ip_allowlist defaults to 4; the role's one account task takes
# telnyx_parallelism (default 10). The uri baseline is serial.
ALLOWLIST_PARALLELISM = 4
ROLE_PARALLELISM = 10
# The sandbox's state keys and their list paths.
PATHS = dict(access_ip_address="/v2/access_ip_address", billing_groups="/v2/billing_groups", addresses="/v2/addresses",
             integration_secrets="/v2/integration_secrets", telephony_credentials="/v2/telephony_credentials")
EMPTY_PLAYBOOK = """- name: Start up only
  hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - name: Do nothing
      ansible.builtin.meta: noop
"""


def run_playbook(playbook, vars_file, sandbox, collections):
    """Run ansible-playbook; return its wall time in seconds (exit on failure, showing its output's end)."""
    args = [playbook] + (["-e", "@" + vars_file] if vars_file else [])
    started = time.monotonic()
    done = ansible_playbook(args, ansible_env(sandbox.url, api_key=API_KEY, collections=collections), cwd=ROOT)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        sys.exit("ansible-playbook %s failed (rc %d):\n%s" % (" ".join(args), done.returncode, (done.stdout + done.stderr)[-4000:]))
    return seconds


def build_scenarios(sizes):
    """(name, the telnyx_* variables, objects expected per state key, [(tool, playbook, parallelism)])."""
    entries = ["198.18.%d.%d" % divmod(i, 250) for i in range(sizes["entries"])]
    allowlist = {"telnyx_access_ip_allowlist": {"entries": entries}}
    bootstrap = dict(
        allowlist,
        telnyx_billing_groups=[{"name": "bench-group-%03d" % i} for i in range(sizes["groups"])],
        telnyx_integration_secrets=[{"identifier": "bench_secret_%03d" % i, "type": "bearer", "token": "bench-token-%03d" % i}
                                    for i in range(sizes["secrets"])],
        telnyx_addresses=[dict(customer_reference="bench-site-%03d" % i, first_name="Ada", last_name="Lovelace",
                               business_name="Example Corp", street_address="%d Congress Ave" % (600 + i), locality="Austin",
                               administrative_area="TX", postal_code="78701", country_code="US")
                          for i in range(sizes["addresses"])],
        telnyx_telephony_credentials=[{"name": "bench-cred-%03d" % i, "connection_id": "1684641123236054244"}
                                      for i in range(sizes["credentials"])],
    )
    bootstrap_expected = dict(access_ip_address=sizes["entries"], billing_groups=sizes["groups"], addresses=sizes["addresses"],
                              integration_secrets=sizes["secrets"], telephony_credentials=sizes["credentials"])

    def tools(name, parallelism):
        return [("uri baseline", os.path.join(HERE, "baseline", name), 1),
                ("collection", os.path.join(HERE, "collection", name), parallelism)]

    return [
        ("allowlist", "allowlist %d" % sizes["entries"], allowlist, {"access_ip_address": sizes["entries"]},
         tools("allowlist.yml", ALLOWLIST_PARALLELISM)),
        ("bootstrap", "bootstrap %d" % sum(bootstrap_expected.values()), bootstrap, bootstrap_expected,
         tools("bootstrap.yml", ROLE_PARALLELISM)),
    ]


def check_state(sandbox, expected, label):
    counts = {key: len(sandbox.live(key)) for key in expected}
    if counts != expected:
        sys.exit("%s: the sandbox holds %s, expected %s" % (label, counts, expected))


def list_requests(log):
    """GET requests per list path: {path: count}."""
    counts = {}
    for entry in log:
        if entry["method"] == "GET" and entry["path"] in PATHS.values():
            counts[entry["path"]] = counts.get(entry["path"], 0) + 1
    return counts


def measure(sandbox, collections, vars_file, expected, tool, playbook, label, made_by=None):
    """One run from empty, then one no-op run: {state: (wall s, request log)}. With ``made_by`` (a playbook), that
    playbook makes the objects, untimed, and only the no-op run is measured."""
    sandbox.reset()
    result = {}
    if made_by:
        run_playbook(made_by, vars_file, sandbox, collections)
        check_state(sandbox, expected, "%s, made by %s" % (label, os.path.basename(made_by)))
    for state in ("no-op",) if made_by else ("from empty", "no-op"):
        sandbox.clear_log()
        seconds = run_playbook(playbook, vars_file, sandbox, collections)
        log = sandbox.requests()
        failed = [e for e in log if not 200 <= e["status"] < 300]
        if failed:
            sys.exit("%s, %s, %s: %d requests failed, first %s" % (label, tool, state, len(failed), failed[0]))
        check_state(sandbox, expected, "%s, %s, %s" % (label, tool, state))
        written = sandbox.writes() if state == "no-op" else []
        if written:
            sys.exit("%s, %s: the no-op run wrote: %s" % (label, tool, written[:3]))
        result[state] = (seconds, log)
        print("  %s, %s, %s: %.2f s, %d requests" % (label, tool, state, seconds, len(log)), file=sys.stderr, flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated scenarios to run: allowlist, bootstrap (default all)")
    parser.add_argument("--quick", action="store_true", help="small sizes for a fast check: %s" % QUICK)
    parser.add_argument("--no-baseline-create", action="store_true",
                        help="skip the baseline's runs from empty (7 minutes each for the bootstrap): the collection "
                             "makes the objects, untimed, and the baseline's no-op runs against them")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    wanted = [w.strip() for w in args.only.split(",") if w.strip()]
    scenarios = [s for s in build_scenarios(sizes) if not wanted or s[0] in wanted]
    if not scenarios:
        parser.error("--only: no scenario named %s (allowlist, bootstrap)" % args.only)
    with tempfile.TemporaryDirectory() as tmp, Sandbox("--latency-ms", str(args.latency_ms), api_key=API_KEY,
                                                       log_path=os.path.join(tmp, "sandbox.out")) as sandbox:
        # The working copy as it is, in a collection tree of the benchmark's own.
        collections = os.path.join(tmp, "collections")
        collection_tree(collections)
        empty_playbook = os.path.join(tmp, "empty.yml")
        with open(empty_playbook, "w") as handle:
            handle.write(EMPTY_PLAYBOOK)
        startup = statistics.median(run_playbook(empty_playbook, None, sandbox, collections) for dummy in range(args.runs))
        rows, notes = [], []
        for key, label, variables, expected, tools in scenarios:
            vars_file = os.path.join(tmp, key + ".json")
            with open(vars_file, "w") as handle:
                json.dump(variables, handle)
            runs = {tool: [] for tool, dummy, dummy2 in tools}
            collection_playbook = tools[-1][1]
            for dummy in range(args.runs):
                for tool, playbook, dummy2 in tools:  # interleaved, so drift in machine load hits both tools
                    made_by = collection_playbook if args.no_baseline_create and tool == "uri baseline" else None
                    runs[tool].append(measure(sandbox, collections, vars_file, expected, tool, playbook, label, made_by))
            walls, bounds = {}, {}
            for state in ("from empty", "no-op"):
                for tool, dummy, parallelism in tools:
                    if state not in runs[tool][0]:
                        continue
                    wall = statistics.median(r[state][0] for r in runs[tool])
                    requests_made = int(statistics.median(len(r[state][1]) for r in runs[tool]))
                    bound = requests_made * args.latency_ms / 1000.0 / parallelism
                    walls[state, tool] = wall
                    bounds[state, tool] = bound
                    rows.append(("%s, %s" % (label, state), tool, wall, requests_made, requests_made / wall, parallelism,
                                 bound, wall / bound if bound else float("nan")))
                notes.append(target_lines(label, state, walls, bounds, runs, expected))
    print("latency %d ms, %d runs each, medians; ansible-playbook start-up (one no-op task): %.2f s"
          % (args.latency_ms, args.runs, startup))
    header = "%-30s %-13s %8s %9s %7s %5s %11s %10s" % (
        "scenario", "tool", "wall s", "requests", "req/s", "par.", "lower bnd s", "wall/bound")
    print(header)
    print("-" * len(header))
    for row in rows:
        print("%-30s %-13s %8.2f %9d %7.1f %5d %11.2f %10.2f" % row)
    print()
    for lines in notes:
        for line in lines:
            print(line)


def target_lines(label, state, walls, bounds, runs, expected):
    """The speed-up line and the issues' targets for one scenario and state."""
    collection = walls[state, "collection"]
    baseline = walls.get((state, "uri baseline"))
    ratio = collection / bounds[state, "collection"]
    if baseline is None:
        lines = ["%s, %s: the baseline was not run (--no-baseline-create)" % (label, state)]
    else:
        speed_up = baseline / collection
        lines = ["speed-up %s, %s: %.2f s / %.2f s = %.1fx" % (label, state, baseline, collection, speed_up)]
    if state == "from empty":
        if baseline is not None:
            lines.append("  target >= 5x faster from empty: %s" % ("met" if speed_up >= 5 else "NOT met"))
        lines.append("  target from empty within 1.5x of the lower bound: %.2fx, %s"
                     % (ratio, "met" if ratio <= 1.5 else "NOT met"))
        return lines
    lines.append("  target no-op no slower than the baseline: %s" % ("met" if collection <= baseline else "NOT met"))
    if label.startswith("bootstrap"):
        lines.append("  target bootstrap no-op at least 3x faster than the baseline: %.1fx, %s"
                     % (speed_up, "met" if speed_up >= 3 else "NOT met"))
    worst = {}
    for run in runs["collection"]:
        for path, count in list_requests(run["no-op"][1]).items():
            worst[path] = max(worst.get(path, 0), count)
    for key, objects in sorted(expected.items()):
        allowed = max(1, math.ceil(objects / PAGE_SIZE))
        made = worst.get(PATHS[key], 0)
        lines.append("  target no-op list requests %s: %d for %d objects, at most %d: %s"
                     % (PATHS[key], made, objects, allowed, "met" if made <= allowed else "NOT met"))
    return lines


if __name__ == "__main__":
    main()
