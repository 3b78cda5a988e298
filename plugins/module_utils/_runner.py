# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The runners: one module run as a small class owning the AnsibleModule, its client and its result.

``Runner`` is the base every module stands on: the connection options merged in, secrets masked from
the moment the arguments are read, one validation pass (``problems``) before any request, then
``execute``, and one line for any failure. ``ObjectRunner`` converges one object of a declared
resource, ``InfoRunner`` lists them; the set runners are in ``_set_runner.py``. A module file is its
documentation plus a call to one of these.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping

from ansible.module_utils.basic import AnsibleModule

from ._api_error import TelnyxError
from ._connection import CONNECTION_SPEC, client_from_module
from ._engine import Engine
from ._resource import PlanError, id_problem
from ._validation import check_items

WAIT_OPTIONS = dict(
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=60),
)


class Runner:
    """One module run. Subclasses say what is wrong with the input (``problems``) and do the work (``execute``),
    filling ``result``; ``run`` calls the two in that order and ends the module."""

    def __init__(self, options, parallelism_option=False, secrets_in=None, make_module=None, **module_kwargs):
        # ``make_module`` builds the module-like object the run talks to: the AnsibleModule of a module process
        # (``masked_module``), or the controller's stand-in (plugin_utils/_controller_module.py). Either gives
        # params, check_mode, _diff, warn, fail_json, exit_json and no_log_values; the run never asks which.
        self.module = (make_module or masked_module)(options, secrets_in, **module_kwargs)
        self.params = self.module.params
        parallelism = (self.params.get("parallelism") or 1) if parallelism_option else 1
        self.client = client_from_module(self.module, parallelism)  # the connection options, checked
        self.result = {}

    def problems(self):
        """Everything wrong with the input, one sentence each, before any request. The engine trusts what passes."""
        return [p for p in [id_problem(self.params.get("id"))] if p]

    def execute(self):
        raise NotImplementedError

    def run(self):
        problems = self.problems()
        if problems:
            self.module.fail_json(msg="; ".join(problems))
        try:
            self.execute()
        except (TelnyxError, PlanError) as exc:
            self.fail(exc)
        self.module.exit_json(**self.result)

    def fail(self, exc, **extra):
        """An expected failure in one line, with the result so far; an API failure keeps its structure under
        ``error``."""
        result = dict(self.result, **extra)
        if isinstance(exc, TelnyxError):
            self.module.fail_json(msg=exc.message, error=exc.to_dict(), **result)
        self.module.fail_json(msg=str(exc), **dict(result, **getattr(exc, "details", {})))

    def wait_seconds(self):
        """The wait bound in seconds when the user asked to wait (checked in ``wait_problems``), else None."""
        return self.params["wait_timeout"] if self.params.get("wait") else None

    def wait_problems(self):
        return wait_problems(self.params)


def wait_problems(params, label=""):
    """The wait options' one rule: a wait must have time to wait; ``label`` prefixes the option's name."""
    if params.get("wait") and params["wait_timeout"] < 1:
        return ["%swait_timeout must be at least 1 second, got %d" % (label, params["wait_timeout"])]
    return []


class ObjectRunner(Runner):
    """A single-object module: converge a list of one and return the object under the resource's name."""

    def __init__(self, resource, reveal_option=None, make_module=None):
        options = dict(resource.options, **(WAIT_OPTIONS if resource.waitable else {}))
        super().__init__(options, required_one_of=resource.required_one_of, make_module=make_module)
        self.resource = resource
        self.reveal = resource.hidden if reveal_option and self.params.get(reveal_option) else ()
        self.items = []

    def problems(self):
        self.items, problems = check_items(self.resource, [{name: self.params[name] for name in self.resource.options}],
                                           typed=True)
        return problems + self.wait_problems()

    def execute(self):
        res = self.resource
        engine = Engine(self.client, res, self.module.check_mode)
        dummy, actions, failed = engine.converge(self.items, wait_timeout=self.wait_seconds())
        action = actions[0]
        shown = action.after if action.kind != "delete" else action.current
        # Changed only by what took effect: a refused create changed nothing, a half-done replacement did, and a
        # create that ends on the object another run made (refused as a duplicate, or our copy settled) did not.
        before = action.current if action.written else action.after
        self.result.update({
            "changed": bool(action.written),
            # What the user asked for, as they see it: finishing a half-done replacement is a replacement.
            "action": "recreate" if action.kind == "finish" else action.kind,
            res.name: res.public(shown, self.reveal),
            "diff": dict(before=res.masked(before), after=res.masked(action.after)),
        })
        if action.kind in ("recreate", "finish") and "delete" in action.written:
            self.result["replaced"] = res.public(action.current, self.reveal)
        if action.note:
            self.module.warn(action.note)
        if failed:
            self.fail(failed[0].error)


class InfoRunner(Runner):
    """An info module: every object, one by ``id``, or those matching the given options. It changes nothing."""

    def __init__(self, resource, options, reveal_option=None, make_module=None):
        super().__init__(options, make_module=make_module)
        self.resource = resource
        self.reveal = resource.hidden if reveal_option and self.params.get(reveal_option) else ()
        self.reveal_option = reveal_option
        self.query = None

    def problems(self):
        wanted = {k: v for k, v in self.params.items()
                  if k not in CONNECTION_SPEC and k not in ("id", self.reveal_option) and v is not None}
        problems = super().problems()
        try:
            self.query = self.resource.info_query(wanted)
        except ValueError as exc:
            problems.append(str(exc))
        return problems

    def execute(self):
        res = self.resource
        engine = Engine(self.client, res)
        params, wanted = self.query
        if self.params.get("id"):
            found = engine.get(self.params["id"])
            objects = [found] if found else []
        else:
            objects = engine.list_all(params)
        objects = [o for o in objects if all(res.normalize(k, o.get(k)) == res.normalize(k, v) for k, v in wanted.items())]
        res.enrich(engine, [], objects)  # derived fields only: no item asks for more look-ups
        self.result.update({"changed": False, res.plural: [res.public(o, self.reveal) for o in objects]})


class MaskedModule(AnsibleModule):
    """AnsibleModule with every secret masked from the moment the arguments are read, before their validation can
    fail (a validation failure prints them back): the ``no_log`` options in every text form (a number, a list),
    and what ``secrets_in(params)`` names where ``no_log`` cannot reach (items of a list option)."""

    def __init__(self, argument_spec, secrets_in=None, **kwargs):
        self.secrets_in = secrets_in
        super().__init__(argument_spec=argument_spec, **kwargs)

    def _load_params(self):
        super()._load_params()
        self._mask_given()

    # The validation converts text to lists and mappings (``items: "type=bearer,token=…"``): what it made is masked
    # too, before anything is logged or returned.
    def _log_invocation(self):
        self._mask_given()
        super()._log_invocation()

    def fail_json(self, msg, **kwargs):
        self._mask_given()
        super().fail_json(msg, **kwargs)

    def exit_json(self, **kwargs):
        self._mask_given()
        super().exit_json(**kwargs)

    def _mask_given(self):
        self.no_log_values.update(secrets_given(self.argument_spec, self.params, self.secrets_in))


def masked_module(options, secrets_in=None, **kwargs):
    """The module of a run: its options and the connection options (merged, never copied), secrets masked."""
    return MaskedModule(module_spec(options), secrets_in, supports_check_mode=True, **kwargs)


def module_spec(options):
    """The argument spec of a run: its options and the connection options, copies the run may change."""
    spec = copy.deepcopy(options)
    spec.update(copy.deepcopy(CONNECTION_SPEC))
    return spec


def secrets_given(spec, params, secrets_in=None):
    """The secrets in the arguments as given, in every text form: the ``no_log`` options, and what
    ``secrets_in(params)`` names where ``no_log`` cannot reach (items of a list option)."""
    raw = params if isinstance(params, Mapping) else {}
    found = declared_secrets(spec, raw)
    if secrets_in is not None:
        found += [text for value in secrets_in(raw) for text in secret_texts(value)]
    return found


def secret_texts(value):
    """Every text form in which a secret value may be shown: a string as it is, a number as its text, a list or
    mapping as its elements and as its own text forms. YAML reads ``password: 20240101`` as a number, and Ansible
    prints a number or a list in its text form: masking strings only would let those through.

    Booleans give nothing: ``True`` masked would replace every true value of every result (``changed``), and a
    secret of one bit protects nothing.
    """
    if value is None or isinstance(value, bool):
        return
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        if value:
            yield value
        return
    if isinstance(value, (int, float)):
        yield str(value)
        return
    elements = value.values() if isinstance(value, Mapping) else value if isinstance(value, (list, tuple, set)) else ()
    for element in elements:
        yield from secret_texts(element)
    if isinstance(value, (Mapping, list, tuple)):
        yield str(value)
        try:
            yield json.dumps(value)
        except (TypeError, ValueError):
            pass


def declared_secrets(spec, params):
    """The values of the options a spec marks ``no_log``, in every text form, as given (before any conversion)."""
    if not isinstance(params, Mapping):
        return []
    return [text for name, option in spec.items() if option.get("no_log")
            for text in secret_texts(params.get(name))]
