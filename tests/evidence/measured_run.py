"""One module run measured for the hostile suite: ``python measured_run.py PATH NAME`` with the module's input on
stdin (testkit's run_module gives it), PATH ``module`` (the module as its own process, as AnsiballZ runs it) or
``controller`` (testkit's on_controller.py: the action's run in this process, as for a task on a local connection).

On stderr: ``work_began=`` the moment (CLOCK_MONOTONIC, one clock for every process of the machine) the run's own
work began, after Python's start and the heavy imports: on a busy machine those alone can take seconds, which a
bound on the module's waiting must not count, and Ansible's worker has made the controller path's before a task
starts. Then ``maxrss_kb=`` the process's peak memory, as it exits.
"""

from __future__ import annotations

import atexit
import importlib
import os
import resource
import runpy
import sys
import time

# on_controller.py on its own, not the testkit package: the peak memory is the run's, not the test tools'.
sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "testkit"))

import on_controller  # noqa: E402  pylint: disable=wrong-import-position


def report_peak():
    sys.stderr.write("\nmaxrss_kb=%d\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main(path, name):
    importlib.import_module("ansible.module_utils.basic")
    importlib.import_module("requests")
    if path == "controller":
        on_controller.preload(name)
    atexit.register(report_peak)
    sys.stderr.write("work_began=%f\n" % time.monotonic())
    if path == "controller":
        sys.argv = [on_controller.__file__, name]
        return on_controller.main()
    del sys.argv[1:]  # AnsibleModule would read a command-line argument as its input
    runpy.run_module(on_controller.PACKAGE + "modules." + name, run_name="__main__", alter_sys=True)
    return 0  # a module ends the process itself


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
