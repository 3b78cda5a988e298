"""Shared frame of the evidence suites: the test-tool library (tests/testkit) made importable, and the printed table.

The sandbox, module runs, Ansible runs, fixtures, the leak search and the parallel runner live in testkit;
the suites import them from here so that each runs as a plain script (``.venv/bin/python tests/evidence/faults.py``).
"""

from __future__ import annotations

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from testkit import (ADDRESS, API_KEY, LOGS, PATHS, ROOT, SAML_SETTINGS, ControllerForks, Sandbox, address, ansible_env,
                     copy_checkout, module_command, module_env, run_module, run_playbook, start_playbook)
from testkit import leaks
from testkit.parallel import run_groups

__all__ = ["ADDRESS", "API_KEY", "ControllerForks", "LOGS", "PATHS", "ROOT", "SAML_SETTINGS", "Sandbox", "address",
           "ansible_env", "copy_checkout", "leaks", "module_command", "module_env", "run_groups", "run_module",
           "run_playbook", "start_playbook", "table"]


def table(headers, rows):
    """A plain-text table, for the suites' printed figures."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells):
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])
