"""Draw benchmarks/scaling.py's results as a PNG: wall time and peak memory against the number of objects.

    build/bench-venv/bin/python benchmarks/plot_scaling.py RESULTS.json PNG

Runs in the benchmark venv (matplotlib, benchmarks/requirements.txt), never the shared .venv; scaling.py
calls it at the end of a run, and it redraws a saved run (--json) on its own.
"""

from __future__ import annotations

import json
import sys

try:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt
except ImportError:
    sys.exit("plot_scaling: no matplotlib in this Python; run it with build/bench-venv/bin/python "
             "(python3 -m venv build/bench-venv && build/bench-venv/bin/pip install -r benchmarks/requirements.txt)")

STYLE = {"create": dict(color="tab:blue", marker="o"), "no-op": dict(color="tab:orange", marker="s")}


def series(rows, scenario, key):
    mine = [r for r in rows if r["scenario"] == scenario and r.get(key) is not None]
    return [r["size"] for r in mine], [r[key] for r in mine]


def draw(results, png):
    rows = results["medians"]
    figure, (times, memory) = plt.subplots(1, 2, figsize=(11, 4.5))
    for scenario, style in STYLE.items():
        sizes, task = series(rows, scenario, "task_s")
        times.plot(sizes, task, label="%s: the task" % scenario, **style)
        sizes, process = series(rows, scenario, "process_s")
        times.plot(sizes, process, linestyle="--", label="%s: ansible-playbook" % scenario, alpha=0.6, **style)
        sizes, peak = series(rows, scenario, "peak_mb")
        memory.plot(sizes, peak, label="%s: ansible-playbook" % scenario, **style)
        sizes, sandbox = series(rows, scenario, "sandbox_mb")
        memory.plot(sizes, sandbox, linestyle=":", label="%s: sandbox" % scenario, alpha=0.6, **style)
    # A slope-1 guide through the largest create: on log-log axes, linear growth runs parallel to it.
    sizes, task = series(rows, "create", "task_s")
    if sizes:
        times.plot([sizes[0], sizes[-1]], [task[-1] * sizes[0] / sizes[-1], task[-1]], color="grey",
                   linewidth=0.8, label="proportional to N")
    times.set(xscale="log", yscale="log", xlabel="objects N (log scale)", ylabel="wall time, s (log scale)",
              title="Wall time (median)")
    memory.set(xscale="log", xlabel="objects N (log scale)", ylabel="peak RSS, MB",
               title="Peak memory (largest process, median)")
    memory.set_ylim(bottom=0)
    for axes in (times, memory):
        axes.grid(True, which="both", alpha=0.3)
        axes.legend(fontsize=8)
    figure.suptitle("resource_set, billing groups: %d ms API latency, %d run(s) per point" % (
        results["latency_ms"], results["runs"]))
    figure.tight_layout()
    figure.savefig(png, dpi=100)


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot_scaling.py RESULTS.json PNG")
    try:
        with open(sys.argv[1]) as handle:
            results = json.load(handle)
    except (OSError, ValueError) as exc:
        sys.exit("plot_scaling: cannot read %s: %s" % (sys.argv[1], exc))
    draw(results, sys.argv[2])
    print("plot: %s" % sys.argv[2])


if __name__ == "__main__":
    main()
