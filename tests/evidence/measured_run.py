"""One module process measured for the hostile suite: ``python measured_run.py NAME`` with the module's input on
stdin (testkit's run_module gives it), the module run as AnsiballZ runs it. (The controller path is measured by
testkit's fork server, ``ControllerForks.command(name, measured=True)``, which writes the same two lines.)

On stderr: ``work_began=`` the moment (CLOCK_MONOTONIC, one clock for every process of the machine) the module's
own work began, after Python's start and the heavy imports (on a busy machine those alone can take seconds, which a
bound on the module's waiting must not count), and ``maxrss_kb=`` the process's peak memory, as it exits.
"""

from __future__ import annotations

import atexit
import importlib
import resource
import runpy
import sys
import time

MODULES = "ansible_collections.telnyx.account_access.plugins.modules."


def report_peak():
    sys.stderr.write("\nmaxrss_kb=%d\n" % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def main(name):
    importlib.import_module("ansible.module_utils.basic")
    importlib.import_module("requests")
    atexit.register(report_peak)
    sys.stderr.write("work_began=%f\n" % time.monotonic())
    del sys.argv[1:]  # AnsibleModule would read a command-line argument as its input
    runpy.run_module(MODULES + name, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1])
