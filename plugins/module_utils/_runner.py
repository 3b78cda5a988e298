# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The module runners: an AnsibleModule, its client and its result, for object and info modules.

The module files stay declarations: they hand their Resource to one of these. Set modules
use ``_set_runner.py``, which builds on ``fail`` and ``wait_timeout`` here.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping

from ansible.module_utils.basic import AnsibleModule

from ._api_error import TelnyxError
from ._connection import CONNECTION_SPEC, client_from_module
from ._engine import Engine
from ._resource import ID_PATTERN, PlanError


def fail(module, exc, **result):
    """Turn an expected failure into one line; an API failure keeps its structure under ``error``."""
    if isinstance(exc, TelnyxError):
        module.fail_json(msg=exc.message, error=exc.to_dict(), **result)
    module.fail_json(msg=str(exc), **dict(result, **getattr(exc, "details", {})))


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


def connected_module(options, parallelism_option=False, secrets_in=None, **kwargs):
    """AnsibleModule with the connection options merged in, and the client, checked before any request.

    Every secret is masked from the moment the arguments are read, before their validation can fail (a
    validation failure prints them back): the ``no_log`` options in every text form (a number, a list), and
    what ``secrets_in(params)`` names where ``no_log`` cannot reach (items of a list option).
    """
    spec = copy.deepcopy(options)
    spec.update(copy.deepcopy(CONNECTION_SPEC))

    class module_class(AnsibleModule):  # pylint: disable=invalid-name
        def _load_params(self):
            super()._load_params()
            raw = self.params if isinstance(self.params, Mapping) else {}
            found = declared_secrets(spec, raw)
            if secrets_in is not None:
                found += [text for value in secrets_in(raw) for text in secret_texts(value)]
            self.no_log_values.update(found)

    module = module_class(argument_spec=spec, supports_check_mode=True, **kwargs)
    object_id = module.params.get("id")
    if object_id is not None and not ID_PATTERN.match(object_id):
        # An id goes into the request path: refuse what could not be one (empty, spaces, a list turned text).
        module.fail_json(msg="id must be an object id (letters, digits, '-' or '_'), got %r" % object_id)
    parallelism = (module.params.get("parallelism") or 1) if parallelism_option else 1
    return module, client_from_module(module, parallelism)


WAIT_OPTIONS = dict(
    wait=dict(type="bool", default=False),
    wait_timeout=dict(type="int", default=60),
)


def wait_timeout(module):
    """The wait bound in seconds when the user asked to wait, else None."""
    if not module.params.get("wait"):
        return None
    if module.params["wait_timeout"] < 1:
        module.fail_json(msg="wait_timeout must be at least 1 second, got %d" % module.params["wait_timeout"])
    return module.params["wait_timeout"]


def run_object_module(resource, reveal_option=None):
    """A single-object module: converge a list of one and return the object under its name."""
    options = dict(resource.options, **(WAIT_OPTIONS if resource.waitable else {}))
    module, client = connected_module(options, required_one_of=resource.required_one_of)
    reveal = resource.hidden if reveal_option and module.params.get(reveal_option) else ()
    engine = Engine(client, resource, module.check_mode)
    item = {name: module.params[name] for name in resource.options}
    try:
        dummy, actions, failed = engine.converge([item], wait_timeout=wait_timeout(module))
    except (TelnyxError, PlanError) as exc:
        fail(module, exc)
    action = actions[0]
    shown = action.after if action.kind != "delete" else action.current
    # Changed only by what took effect: a refused create changed nothing, a half-done replacement did, and a
    # create that ends on the object another run made (refused as a duplicate, or our copy settled) did not.
    before = action.current if action.written else action.after
    result = {
        "changed": bool(action.written),
        # What the user asked for, as they see it: finishing a half-done replacement is a replacement.
        "action": "recreate" if action.kind == "finish" else action.kind,
        resource.name: resource.public(shown, reveal),
        "diff": dict(before=resource.masked(before), after=resource.masked(action.after)),
    }
    if action.kind in ("recreate", "finish") and "delete" in action.written:
        result["replaced"] = resource.public(action.current, reveal)
    if action.note:
        module.warn(action.note)
    if failed:
        fail(module, failed[0].error, **result)
    module.exit_json(**result)


def run_info_module(resource, options, reveal_option=None):
    """An info module: every object, one by ``id``, or those matching the given options."""
    module, client = connected_module(options)
    engine = Engine(client, resource)
    reveal = resource.hidden if reveal_option and module.params.get(reveal_option) else ()
    wanted = {k: v for k, v in module.params.items()
              if k in options and k not in ("id", reveal_option) and v is not None}
    try:
        params, wanted = resource.info_query(wanted)
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    try:
        if module.params.get("id"):
            found = engine.get(module.params["id"])
            objects = [found] if found else []
        else:
            objects = engine.list_all(params)
    except TelnyxError as exc:
        fail(module, exc)
    objects = [o for o in objects if all(resource.normalize(k, o.get(k)) == resource.normalize(k, v)
                                         for k, v in wanted.items())]
    resource.enrich(engine, [], objects)  # derived fields only: no item asks for more look-ups
    module.exit_json(changed=False, **{resource.plural: [resource.public(o, reveal) for o in objects]})
