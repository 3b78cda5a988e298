# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This plugin_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The action of every module of the collection: plugins/action/<module>.py, one per module, is this class.

A task that would run its module on the controller itself (connection ``local``, or delegated to it) runs the
module's runner in this worker process instead: the module's own ``main`` with a stand-in for AnsibleModule
(plugin_utils/_controller_module.py), so the same runner, validation, check mode, diff, masking and result, at
the cost of no module process (about 0.3 s a task or loop item: Python start, AnsiballZ, imports). Anywhere
else (another host, a bastion on the API allowlist), or where the module would run differently from here, the
module runs as it always has.
"""

from __future__ import annotations

import importlib
import json
import os
import re
import sys

from ansible import constants as C
from ansible.module_utils.common.parameters import remove_values
from ansible.plugins.action import ActionBase
from ansible.plugins.action.normal import ActionModule as NormalAction

from ._controller_module import ModuleExit, controller_module_maker

COLLECTION = "telnyx.account_access."
# Names of this collection's modules: nothing else is ever imported here.
MODULE_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class ActionModule(NormalAction):

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        module = self.controller_module(task_vars)
        if module is None:
            return super().run(tmp, task_vars)
        result = ActionBase.run(self, tmp, task_vars)  # the base's checks, as the module path makes them
        result.update(self.run_here(module, injects_invocation(task_vars)))
        return result

    def controller_module(self, task_vars):
        """The module file to run here, or None when the task must run as a module."""
        # The module the task names, as the module path finds it (a short name under ``collections:``, a redirect).
        found = self._shared_loader_obj.module_loader.find_plugin_with_context(
            self._task.action, collection_list=self._task.collections)
        action = (found.resolved_fqcn if found.resolved else None) or ""
        leaf = action[len(COLLECTION):] if action.startswith(COLLECTION) else ""
        if not MODULE_NAME.match(leaf) or not runs_as_controller(self, task_vars):
            return None
        try:
            module = importlib.import_module("..modules." + leaf, __package__)
        except ImportError:
            return None
        return module if callable(getattr(module, "main", None)) else None

    def run_here(self, module, inject_invocation=True):
        """The module's run in this process, its result as the module path would give it."""
        environment = {}
        self._compute_environment_string(environment)
        return run_in_process(module, dict(self._task.args), self._task.action, bool(self._task.check_mode),
                              bool(self._task.diff), environment, inject_invocation)


def run_in_process(module, task_args, name, check_mode=False, diff=False, environment=None, inject_invocation=True):
    """Run a module's ``main`` in this process with the controller's stand-in for AnsibleModule: its result, as
    the module path would give it. ``environment`` is the task's (its fallbacks such as TELNYX_API_KEY, and
    requests' proxies), set for the run only. The evidence suites run the controller path through this too."""
    # The arguments as a module process receives them: plain JSON types, nothing of the controller's objects.
    args = json.loads(json.dumps(task_args, default=str))
    made = []
    make_module = controller_module_maker(args, name, check_mode, diff, made, inject_invocation)
    saved = dict(os.environ)
    os.environ.update({str(k): str(v) for k, v in (environment or {}).items()})
    try:
        module.main(make_module=make_module)
    except ModuleExit as end:
        return end.result
    except Exception as exc:  # pylint: disable=broad-except
        # A defect, not an input: one line, as a module process's failure would be, with no secret in it. Before
        # the stand-in read the arguments there is nothing to mask by, so only the name of the exception.
        text = "%s: %s" % (type(exc).__name__, exc) if made else type(exc).__name__
        secrets = set().union(*(getattr(m, "no_log_values", ()) for m in made))
        return dict(failed=True, msg="%s failed on the controller: %s" % (name, remove_values(text, secrets)))
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return dict(failed=True, msg="%s ended without a result" % name)


def injects_invocation(task_vars):
    """Whether a module's result carries ``invocation``: always before ansible-core 2.21, which made it a setting
    (INJECT_INVOCATION, off by default) that the module path passes to the module."""
    if "INJECT_INVOCATION" not in C.config.get_configuration_definitions():
        return True
    return bool(C.config.get_config_value("INJECT_INVOCATION", variables=task_vars))


def runs_as_controller(action, task_vars):
    """Whether the module would run on the controller, in a Python that is this one: a local connection, no
    become (another user), no async (a job of its own), and no interpreter set other than this Python (a
    different interpreter may have other libraries or certificates: a user who names one gets it)."""
    if action._connection.transport != "local" or action._play_context.become or action._task.async_val:
        return False
    host_vars = task_vars
    if action._task.delegate_to:
        host_vars = (task_vars.get("ansible_delegated_vars") or {}).get(action._task.delegate_to, {})
    interpreter = host_vars.get("ansible_python_interpreter")
    if interpreter is None:
        return True
    interpreter = action._templar.template(interpreter)
    return not interpreter or str(interpreter).startswith("auto") or same_file_place(str(interpreter), sys.executable)


def same_file_place(one, other):
    """Whether two interpreter paths name one file in one directory, the directories' symlinks resolved
    (``venv/bin/./python``, a symlinked venv directory). The file's own symlink is not followed: a venv's
    python is a symlink to the base Python, which, run by that name, has none of the venv's libraries."""

    def place(path):
        return os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))

    return place(one) == place(other)
