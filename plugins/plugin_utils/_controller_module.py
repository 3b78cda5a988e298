# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This plugin_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The controller's stand-in for AnsibleModule: what a runner (module_utils/_runner.py) talks to when the
task runs in the controller's worker process instead of a module process.

It offers what the runners use of AnsibleModule (params, check_mode, _diff, warn, fail_json, exit_json,
no_log_values) and does what AnsibleModule does with them: the same argument validation
(ModuleArgumentSpecValidator) and failure message, the same secrets masked from the moment the arguments are
read, and a result shaped as a module's is once the controller has read it (``invocation``, ``warnings``, every
no_log value removed, booleans and nulls kept, a JSON round trip). ``exit_json`` and ``fail_json`` end the run
by raising ``ModuleExit``, as AnsibleModule's end the module process.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ModuleArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError

from ..module_utils._runner import module_spec, secrets_given


class ModuleExit(Exception):
    """The end of a run on the controller, carrying its result (``failed`` set on a failure)."""

    def __init__(self, result):
        super().__init__("module run ended")
        self.result = result


class ControllerModule:
    """AnsibleModule's part in a run, played in the controller's worker process."""

    def __init__(self, spec, args, name, check_mode=False, diff=False, secrets_in=None, inject_invocation=True, **rules):
        self.inject_invocation = inject_invocation  # the result carries ``invocation`` (every core before 2.21)
        self.argument_spec = spec
        self.check_mode = check_mode
        self._diff = diff
        self._name = name
        self._warnings = []
        self.no_log_values = set(secrets_given(spec, args, secrets_in))
        self.params = dict(args)
        validation = ModuleArgumentSpecValidator(spec, rules.get("mutually_exclusive"), rules.get("required_together"),
                                                 rules.get("required_one_of"), rules.get("required_if"),
                                                 rules.get("required_by")).validate(self.params)
        self.params.update(validation.validated_parameters)
        self.no_log_values.update(validation._no_log_values)  # pylint: disable=protected-access
        # What the validation made of text (``items: "type=bearer,token=…"``) is masked too.
        self.no_log_values.update(secrets_given(spec, self.params, secrets_in))
        if validation.errors.errors:  # a list; the errors object itself has no length
            msg = validation.errors.msg
            if isinstance(validation.errors.errors[0], UnsupportedError):
                msg = "Unsupported parameters for (%s) module: %s" % (name, msg)
            self.fail_json(msg=msg)

    def warn(self, warning):
        self._warnings.append(str(warning))

    def exit_json(self, **kwargs):
        raise ModuleExit(self.formatted(kwargs))

    def fail_json(self, msg, **kwargs):
        # ``exception`` is a traceback text, shown only where tracebacks are asked for: never here.
        kwargs.pop("exception", None)
        kwargs.update(failed=True, msg=str(msg))
        raise ModuleExit(self.formatted(kwargs))

    def formatted(self, kwargs):
        """The result as the controller reads it from a module process."""
        if self.inject_invocation:
            kwargs.setdefault("invocation", {"module_args": self.params})
        else:
            kwargs.pop("invocation", None)
        if self._warnings:
            kwargs["warnings"] = list(self._warnings)
        preserved = {k: v for k, v in kwargs.items() if v is None or isinstance(v, bool)}
        kwargs = masked(kwargs, self.no_log_values)
        kwargs.update(preserved)
        # Through JSON as a module's result goes: tuples become lists, and nothing of the run's objects stays.
        return json.loads(json.dumps(kwargs))


def masked(value, secrets):
    """``remove_values(value, secrets)``, the same result at a fraction of the cost for a large result: one search
    for every secret at once in each text, and remove_values' own rules only for the texts a secret occurs in
    (its walk replaces each secret in each string: 0.1 s for a result of 700 objects and 50 secrets)."""
    if not secrets:
        return value
    if not all(isinstance(secret, str) for secret in secrets):
        return remove_values(value, secrets)
    occurs_in = re.compile("|".join(re.escape(secret) for secret in secrets)).search

    def walk(item):
        if item is None or isinstance(item, bool):
            return item
        if isinstance(item, (str, int, float)):
            return remove_values(item, secrets) if occurs_in(str(item)) else item
        if isinstance(item, Mapping):  # keys are left as remove_values leaves them
            return {key: walk(inner) for key, inner in item.items()}
        if isinstance(item, (list, tuple)):
            return [walk(inner) for inner in item]
        return remove_values(item, secrets)  # bytes, sets, dates: its own rules

    try:
        return walk(value)
    except RecursionError:  # nested past the stack: remove_values walks without recursion
        return remove_values(value, secrets)


def controller_module_maker(args, name, check_mode, diff, made, inject_invocation=True):
    """A ``make_module`` for the runners: a ControllerModule for the task's arguments, also appended to ``made``
    (the caller masks with its no_log values should anything end the run other than ``ModuleExit``).
    ``inject_invocation``: whether the result carries ``invocation``, as the module path's would."""

    def make_module(options, secrets_in=None, supports_check_mode=True, **rules):
        module = ControllerModule.__new__(ControllerModule)
        made.append(module)
        module.__init__(module_spec(options), args, name, check_mode, diff, secrets_in, inject_invocation, **rules)
        return module

    return make_module
