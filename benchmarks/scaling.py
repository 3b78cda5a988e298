"""Benchmark: how resource_set scales with the number of objects (run on demand, not in CI).

    .venv/bin/python benchmarks/scaling.py [--sizes 100,1000,5000] [--latency-ms 50] [--runs 3]
                                           [--png benchmarks/scaling.png] [--json PATH]

For each N, billing groups: one telnyx.account_access.resource_set task (default parallelism) creates N
from an empty sandbox, then the same task runs again as a no-op. Each is measured by: the HTTP requests and
writes the sandbox logged, the task's wall time seen from inside the playbook, the whole ansible-playbook
process's wall time, the peak RSS of that process tree (its largest process, see peak_run) and the sandbox's
own peak RSS. Medians of --runs; a table with per-object figures, one check line per scenario saying whether
growth is linear, and a PNG drawn by plot_scaling.py in the benchmark venv (build/bench-venv, matplotlib).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))

from testkit import ROOT, Sandbox, ansible_env, collection_tree, start_playbook, tool

PLOT_PYTHON = os.path.join(ROOT, "build", "bench-venv", "bin", "python")
PLOTTER = os.path.join(HERE, "plot_scaling.py")
HOW_TO_PLOT = ("python3 -m venv build/bench-venv && build/bench-venv/bin/pip install -r benchmarks/requirements.txt")
SCENARIOS = ("create", "no-op")
# Linear growth: the task's time per object at the largest N at most this many times that at the next size,
# and requests per object no more than this much above it (page reads round up: ceil(N / 250)).
TIME_RATIO = 1.5
REQUEST_RATIO = 1.05

PLAYBOOK = """- hosts: localhost
  connection: local
  gather_facts: false
  tasks:
    - ansible.builtin.set_fact:
        t0: "{{ now().timestamp() }}"
    - telnyx.account_access.resource_set: {type: billing_group, items: %s}
    - ansible.builtin.copy:
        dest: "%s"
        content: "{{ now().timestamp() | float - t0 | float }}"
"""


def peak_run(args, env, log_path):
    """ansible-playbook ARGS: (exit code, wall seconds, peak RSS in MB).

    The peak is os.wait4's ru_maxrss for the ansible-playbook process: Linux reports the largest RSS of that
    process and of every descendant it reaped (its forked workers, where a local task's action runs, and any
    module process), the high-water mark of the biggest single process, not a sum (forked workers share the
    parent's pages, a sum would count them twice).
    """
    with open(log_path, "w") as log:
        started = time.monotonic()
        process = start_playbook(args, env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        dummy, status, usage = os.wait4(process.pid, 0)
        seconds = time.monotonic() - started
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped here: Popen must not wait for it again
    return process.returncode, seconds, usage.ru_maxrss / 1024.0


def sandbox_peak(pid, reset=False):
    """The sandbox's peak RSS in MB since the last reset (VmHWM); reset=True starts a new peak. None if unreadable."""
    try:
        if reset:
            with open("/proc/%d/clear_refs" % pid, "w") as handle:
                handle.write("5")  # 5: reset the peak RSS to the current RSS (proc(5))
        with open("/proc/%d/status" % pid) as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def last_line(path):
    with open(path) as handle:
        lines = [line.strip() for line in handle if line.strip()]
    return lines[-1][:300] if lines else "(no output)"


def measure(sandbox, env, work, size, scenario):
    """One run of one scenario: the figures of one row, after checking what it did to the sandbox."""
    names = ["scale-%05d" % i for i in range(size)]
    timing = os.path.join(work, "seconds")
    playbook = os.path.join(work, "scale-%d.yml" % size)
    with open(playbook, "w") as handle:
        handle.write(PLAYBOOK % (json.dumps([{"name": name} for name in names]), timing))
    if scenario == "create":
        sandbox.reset()
    sandbox.clear_log()
    sandbox_peak(sandbox.pid, reset=True)
    output = os.path.join(work, "ansible.out")
    rc, process_s, peak_mb = peak_run([playbook], env, output)
    sandbox_mb = sandbox_peak(sandbox.pid)  # before the checks below, whose reads of the log and state cost it memory
    label = "%s %d" % (scenario, size)
    if rc != 0:
        sys.exit("scaling: %s: ansible-playbook failed (rc %d): %s" % (label, rc, last_line(output)))
    with open(timing) as handle:
        task_s = float(handle.read())
    requests, writes = sandbox.requests(), sandbox.writes()
    # What the run did, from the sandbox: exactly the wanted groups, and a no-op that wrote nothing.
    present = sorted(group["name"] for group in sandbox.live("billing_groups"))
    if present != names:
        sys.exit("scaling: %s: the sandbox holds %d billing groups, not the %d wanted" % (label, len(present), size))
    if scenario == "no-op" and writes:
        sys.exit("scaling: %s: the no-op made %d writes" % (label, len(writes)))
    return dict(size=size, scenario=scenario, requests=len(requests), writes=len(writes), task_s=task_s,
                process_s=process_s, peak_mb=peak_mb, sandbox_mb=sandbox_mb)


def medians(runs, sizes):
    rows = []
    for scenario in SCENARIOS:
        for size in sizes:
            mine = [r for r in runs if r["size"] == size and r["scenario"] == scenario]
            row = dict(size=size, scenario=scenario)
            for key in ("requests", "writes", "task_s", "process_s", "peak_mb", "sandbox_mb"):
                values = [r[key] for r in mine if r[key] is not None]
                row[key] = statistics.median(values) if values else None
            rows.append(row)
    return rows


def marginal_ms(before, row):
    """The extra task time per extra object from a smaller N to this one, in ms: free of the fixed costs."""
    return (row["task_s"] - before["task_s"]) * 1000.0 / (row["size"] - before["size"])


def print_table(rows):
    header = "%6s %-7s %8s %7s %8s %9s %8s %10s %7s %9s %11s" % (
        "N", "scenario", "requests", "writes", "task s", "process s", "peak MB", "sandbox MB", "ms/obj",
        "req/obj", "marg ms/obj")
    print(header)
    print("-" * len(header))
    previous = {}
    for row in rows:
        before = previous.get(row["scenario"])
        marginal = "%11.2f" % marginal_ms(before, row) if before else "%11s" % "-"
        sandbox_mb = "%10.1f" % row["sandbox_mb"] if row["sandbox_mb"] is not None else "%10s" % "-"
        print("%6d %-7s %8d %7d %8.2f %9.2f %8.1f %s %7.3f %9.4f %s" % (
            row["size"], row["scenario"], row["requests"], row["writes"], row["task_s"], row["process_s"],
            row["peak_mb"], sandbox_mb, row["task_s"] * 1000.0 / row["size"], row["requests"] / row["size"], marginal))
        previous[row["scenario"]] = row


def checks(rows):
    """One line per scenario: is growth linear from the next-largest N to the largest? Returns the lines.

    Time per object alone flatters: the fixed costs (Ansible's, the first read) weigh most at the smaller N,
    so a quadratic term can hide behind them. With three sizes or more, the marginal cost per object of the
    last interval is held to the same ratio against that of the interval before.
    """
    lines = []
    for scenario in SCENARIOS:
        mine = [r for r in rows if r["scenario"] == scenario]
        if len(mine) < 2:
            continue
        small, large = mine[-2], mine[-1]
        ratios = {"time per object": (large["task_s"] / large["size"]) / (small["task_s"] / small["size"])}
        earlier = marginal_ms(mine[-3], small) if len(mine) > 2 else 0
        if earlier > 0:  # below zero the smaller interval is all noise: nothing to compare with
            ratios["marginal time per object"] = marginal_ms(small, large) / earlier
        request_ratio = (large["requests"] / large["size"]) / (small["requests"] / small["size"])
        linear = max(ratios.values()) <= TIME_RATIO and request_ratio <= REQUEST_RATIO
        memory = (large["peak_mb"] - small["peak_mb"]) * 1024.0 / (large["size"] - small["size"])
        lines.append(
            "%s %d -> %d: %s (%s, each at most x%.1f; requests per object x%.3f, at most x%.2f; "
            "peak memory %.1f -> %.1f MB, %+.1f KB per extra object)" % (
                scenario, small["size"], large["size"], "linear" if linear else "NOT linear",
                "; ".join("%s x%.2f" % pair for pair in ratios.items()), TIME_RATIO, request_ratio, REQUEST_RATIO,
                small["peak_mb"], large["peak_mb"], memory))
    return lines


def machine():
    """What the figures were measured on, for the README."""
    model = "unknown"
    try:
        with open("/proc/cpuinfo") as handle:
            model = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), model)
    except OSError:
        pass
    version = subprocess.run([tool("ansible-playbook"), "--version"], capture_output=True, text=True,
                             check=False).stdout.splitlines()
    return dict(cpus=os.cpu_count(), cpu=model, python=platform.python_version(),
                ansible=version[0] if version else "unknown", load_start=os.getloadavg(),
                date=time.strftime("%Y-%m-%d %H:%M"))


def plot(json_path, png_path):
    """Draw the PNG with the benchmark venv's matplotlib; one line saying how to get it when it is missing."""
    if not os.path.exists(PLOT_PYTHON):
        print("no PNG: no benchmark venv with matplotlib (%s); make it with: %s" % (PLOT_PYTHON, HOW_TO_PLOT))
        return
    done = subprocess.run([PLOT_PYTHON, PLOTTER, json_path, png_path], capture_output=True, text=True, check=False)
    print((done.stdout + done.stderr).strip().splitlines()[-1] if (done.stdout + done.stderr).strip() else
          "plot_scaling.py ended with rc %d" % done.returncode)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100,1000,5000", help="numbers of objects, comma-separated")
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--png", default=os.path.join(HERE, "scaling.png"))
    parser.add_argument("--json", default=None, help="save the raw runs and medians here (default build/scaling.json)")
    args = parser.parse_args()
    try:
        sizes = sorted({int(size) for size in args.sizes.split(",") if size.strip()})
    except ValueError:
        sys.exit("scaling: --sizes takes whole numbers separated by commas, got %r" % args.sizes)
    if not sizes or sizes[0] < 1:
        sys.exit("scaling: --sizes needs at least one number above 0")
    json_path = args.json or os.path.join(ROOT, "build", "scaling.json")
    if not os.path.exists(PLOT_PYTHON):
        print("note: no benchmark venv (%s), so no PNG at the end; to get one: %s" % (PLOT_PYTHON, HOW_TO_PLOT))
    about = machine()
    runs = []
    with tempfile.TemporaryDirectory() as work, Sandbox("--latency-ms", str(args.latency_ms),
                                                        log_path=os.path.join(work, "sandbox.out")) as sandbox:
        collections = os.path.join(work, "collections")
        collection_tree(collections)  # the working copy as it is, in a tree of the benchmark's own
        env = ansible_env(sandbox.url, collections=collections)
        print("latency %d ms, %d runs, sizes %s; %d CPUs, load %.2f at start" % (
            args.latency_ms, args.runs, ",".join(map(str, sizes)), about["cpus"], about["load_start"][0]), flush=True)
        # Runs interleave the sizes, so a busy spell on the machine spreads over all of them.
        for run in range(args.runs):
            for size in sizes:
                for scenario in SCENARIOS:
                    result = measure(sandbox, env, work, size, scenario)
                    result["run"] = run + 1
                    runs.append(result)
                    print("  run %d: %-6s %5d  task %.2f s, process %.2f s, %d requests, peak %.0f MB" % (
                        run + 1, scenario, size, result["task_s"], result["process_s"], result["requests"],
                        result["peak_mb"]), flush=True)
    about["load_end"] = os.getloadavg()
    rows = medians(runs, sizes)
    print("\nmedians of %d runs; peak MB: the largest process of the ansible-playbook tree (max RSS); "
          "sandbox MB: the sandbox's peak RSS in the run" % args.runs)
    print_table(rows)
    lines = checks(rows)
    for line in lines:
        print("check: " + line)
    print("load average %.2f at start, %.2f at end" % (about["load_start"][0], about["load_end"][0]))
    os.makedirs(os.path.dirname(os.path.abspath(json_path)), exist_ok=True)
    with open(json_path, "w") as handle:
        json.dump(dict(latency_ms=args.latency_ms, runs=args.runs, sizes=sizes, machine=about, raw=runs,
                       medians=rows, checks=lines), handle, indent=1)
    print("raw runs and medians: %s" % json_path)
    plot(json_path, args.png)


if __name__ == "__main__":
    main()
