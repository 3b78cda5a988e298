"""Run one module on the controller path, as a task on a local connection runs it, with the input a module
process gets: ``python on_controller.py NAME`` with {"ANSIBLE_MODULE_ARGS": {...}} on stdin (``_ansible_check_mode``
and ``_ansible_diff`` as AnsiballZ passes them), and optionally {"environment": {...}}: the task's ``environment:``,
which the action sets in os.environ for the run only (on the module path it is the module process's environment).
Prints the result as JSON; exits 1 when it failed.

The run is the action plugin's own (plugins/plugin_utils/_module_or_controller.py ``run_in_process``): the
module's ``main`` with the controller's stand-in for AnsibleModule, in this process. The evidence suites use it
(``run_module(..., path="controller")``) to try every case on both paths. The collection is imported from
PYTHONPATH, as a module process imports it.
"""

from __future__ import annotations

import importlib
import json
import sys

PACKAGE = "ansible_collections.telnyx.account_access.plugins."


def preload(name):
    """Import what Ansible's worker has imported before a task starts (the strategy loads the action class before
    it forks): the action's file, with ansible's own, and the module's file. Returns both."""
    return (importlib.import_module(PACKAGE + "plugin_utils._module_or_controller"),
            importlib.import_module(PACKAGE + "modules." + name))


def controller_result(name, module_args, environment=None):
    """The result of module NAME run on the controller path with ``module_args`` as AnsiballZ would pass them,
    and ``environment`` as the task's ``environment:``."""
    args = dict(module_args)
    check_mode = bool(args.pop("_ansible_check_mode", False))
    diff = bool(args.pop("_ansible_diff", False))
    path, module = preload(name)
    return path.run_in_process(module, args, "telnyx.account_access." + name, check_mode, diff, environment)


def main():
    given = json.loads(sys.stdin.read() or "{}")
    result = controller_result(sys.argv[1], given.get("ANSIBLE_MODULE_ARGS", {}), given.get("environment"))
    print(json.dumps(result))
    return 1 if result.get("failed") else 0


if __name__ == "__main__":
    sys.exit(main())
