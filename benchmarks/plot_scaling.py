"""Draw benchmarks/scaling.py's results as a PNG: wall time and peak memory against the number of objects.

    build/bench-venv/bin/python benchmarks/plot_scaling.py RESULTS.json PNG

Runs in the benchmark venv (matplotlib, benchmarks/requirements.txt), never the shared .venv; scaling.py
calls it at the end of a run, and it redraws a saved run (--json) on its own.
Linear axes with a least-squares line per series: growth is linear where the points lie on their line.
"""

from __future__ import annotations

import json
import sys

try:
    import matplotlib

    matplotlib.use("Agg")  # files only, no display
    import matplotlib.pyplot as plt
    import numpy
except ImportError:
    sys.exit("plot_scaling: no matplotlib in this Python; run it with build/bench-venv/bin/python "
             "(python3 -m venv build/bench-venv && build/bench-venv/bin/pip install -r benchmarks/requirements.txt)")

# An axis unit: its label, and the unit of a fit's slope per object with its factor.
UNITS = {"s": ("seconds", "ms", 1000.0), "MB": ("MB", "KB", 1024.0)}
# (panel title, unit, [(scenario, key, legend label, colour)])
PANELS = (
    ("Create N from empty: wall time", "s", [
        ("create", "task_s", "the task", "tab:blue"),
        ("create", "process_s", "ansible-playbook", "tab:cyan")]),
    ("The same task again, a no-op: wall time", "s", [
        ("no-op", "task_s", "the task", "tab:orange"),
        ("no-op", "process_s", "ansible-playbook", "tab:red")]),
    ("Peak memory (max RSS)", "MB", [
        ("create", "peak_mb", "create: ansible-playbook", "tab:blue"),
        ("no-op", "peak_mb", "no-op: ansible-playbook", "tab:orange"),
        ("create", "sandbox_mb", "create: sandbox", "tab:cyan"),
        ("no-op", "sandbox_mb", "no-op: sandbox", "tab:red")]),
)


def series(rows, scenario, key):
    mine = [r for r in rows if r["scenario"] == scenario and r.get(key) is not None]
    return [r["size"] for r in mine], [r[key] for r in mine]


def draw(results, png):
    rows = results["medians"]
    figure, panels = plt.subplots(1, len(PANELS), figsize=(15, 4.6))
    for axes, (title, unit, lines) in zip(panels, PANELS):
        label, per_object, factor = UNITS[unit]
        for scenario, key, name, colour in lines:
            sizes, values = series(rows, scenario, key)
            if not sizes:
                continue
            axes.plot(sizes, values, "o", color=colour, label=name)
            if len(sizes) > 1:
                slope, intercept = numpy.polyfit(sizes, values, 1)
                ends = [0, sizes[-1]]
                fit = "  linear fit: %.2f %s + %.2f %s per object" % (intercept, unit, slope * factor, per_object)
                axes.plot(ends, [intercept + slope * x for x in ends], "-", color=colour, linewidth=0.8, alpha=0.7,
                          label=fit)
        axes.set(xlabel="objects N", ylabel=label, title=title)
        axes.set_xlim(left=0)
        axes.set_ylim(0, axes.get_ylim()[1] * 1.6)  # room above the points for the legend
        axes.grid(True, alpha=0.3)
        axes.legend(fontsize=7.5, loc="upper left")
    figure.suptitle("telnyx.account_access.resource_set, billing groups: %d ms API latency, median of %d run(s), %s"
                    % (results["latency_ms"], results["runs"], results["machine"]["date"]))
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
