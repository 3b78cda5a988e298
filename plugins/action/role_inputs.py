# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The role_inputs action: a role's variables, typed by its argument spec and checked, on the controller."""

from __future__ import annotations

import difflib
import glob
import os

from ansible.errors import AnsibleError
from ansible.plugins.action import ActionBase

from ..plugin_utils._role_inputs import RoleInputs

INPUT_PREFIX = "telnyx_"


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _VALID_ARGS = frozenset(("entry_point", "items", "playbook_paths", "absolute_paths"))

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        role_path = task_vars.get("role_path")
        if not role_path:
            raise AnsibleError("telnyx.account_access.role_inputs runs inside a role of the collection")
        entry_point = self._task.args.get("entry_point", "main")
        spec = self._spec(role_path, entry_point)
        provided = self._templar.template({name: task_vars[name] for name in spec if name in task_vars})

        inputs = RoleInputs(spec, provided)
        inputs.check_items(self._task.args.get("items") or {})
        inputs.resolve_paths(self._task.args.get("playbook_paths") or [], task_vars.get("playbook_dir") or ".",
                             role_path)
        inputs.require_absolute(self._task.args.get("absolute_paths") or [])
        warnings = self._misspelt_inputs(role_path, task_vars, spec)
        if warnings:
            result["warnings"] = warnings
        problem = inputs.message()
        if problem:
            result.update(failed=True, msg="%s: %s" % (os.path.basename(role_path), problem))
            return result
        # The values hold secrets (integration secret tokens): shown nowhere, whatever the task's no_log.
        result.update(inputs.values, changed=False, _ansible_no_log=True)
        # Whether the role runs in check mode: ansible_check_mode tells only of --check, not of check_mode set on
        # the role's import or include, under which the role must not act on objects that were never made.
        result["check_mode"] = bool(self._play_context.check_mode)
        return result

    def _spec(self, role_path, entry_point):
        # Read only, never changed: the loader's cached copy serves (a deep copy per load cost a tenth of a second).
        data = self._loader.load_from_file(os.path.join(role_path, "meta", "argument_specs.yml"), unsafe=True)
        try:
            return dict(data["argument_specs"][entry_point]["options"])
        except (KeyError, TypeError):
            raise AnsibleError("%s has no argument spec for %s" % (role_path, entry_point)) from None

    def _misspelt_inputs(self, role_path, task_vars, spec):
        """A telnyx_* variable that no role of the collection reads is most likely a misspelt one."""
        unread = [n for n in task_vars if isinstance(n, str) and n.startswith(INPUT_PREFIX) and n not in spec]
        if not unread:
            return []  # every one is this role's: the other roles' specs need not be read
        known = set()
        for path in glob.glob(os.path.join(os.path.dirname(role_path), "*", "meta", "argument_specs.yml")):
            for entry in (self._loader.load_from_file(path, unsafe=True) or {}).get("argument_specs", {}).values():
                known.update(entry.get("options") or {})
        warnings = []
        for name in sorted(n for n in unread if n not in known):
            close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.8)
            if close:
                warnings.append("the variable %s is read by no role of telnyx.account_access: did you mean %s?"
                                % (name, close[0]))
        return warnings
