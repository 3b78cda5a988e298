# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This plugin_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""A role's inputs, checked against its argument spec and handed on in the types the spec declares.

Ansible checks a role's variables against ``meta/argument_specs.yml`` but hands the role the values as they
were given: ``false`` from ``-e key=value`` or an AWX survey stays the string ``"false"``, which every later
test reads as true. Here the same spec gives each value its declared type; an unknown key in any mapping
fails, naming the key it may have meant; items are checked as their modules check them; and the paths a
user gives are resolved where the user meant them. All of it before any request.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.validation import check_type_dict, check_type_list
from ansible.module_utils.errors import UnsupportedError

from ..module_utils._allowlist import split_entries
from ..module_utils._registry import RESOURCES
from ..module_utils._validation import check_items as check_resource_items, unknown_key

# An item type that is not a resource: an allowlist entry (an address, a block, or a mapping with either).
ALLOWLIST_ENTRY = "access_ip_allowlist_entry"


class RoleInputs:
    """The typed values, the problems (one line each, secrets masked) and the secret values met."""

    def __init__(self, spec, provided):
        self.spec = spec
        provided = self.provided = plain(provided)
        self.problems = []
        self.secrets = set()
        self.keys_refused = {}  # "option[index]" -> the spec's lines for that mapping's unknown keys
        outcome = ArgumentSpecValidator(spec).validate(dict(provided))
        self.secrets.update(str(value) for value in outcome._no_log_values)  # pylint: disable=protected-access
        self.problems += [str(error) for error in outcome.errors if not isinstance(error, UnsupportedError)]
        self.problems += self._unknown_keys(spec, provided, "")
        self.values = {name: _given_only(outcome.validated_parameters.get(name), provided.get(name, _UNSET),
                                         spec[name])
                       for name in spec}

    def check_items(self, types):
        """Each element of the options named in ``types`` ({option path: resource type}) checked as its module
        checks an item, so that what a module would refuse is refused before the first request."""
        for path, kind in types.items():
            # The values as given: typing has turned a list given for a text option into text already.
            items = self.at(path, self.provided)
            if not isinstance(items, list) or not items:
                continue
            if kind == ALLOWLIST_ENTRY:
                self.problems += split_entries(items, label=path)[1]
            elif kind in RESOURCES:
                # The item check names each key an item does not take, an object-only option in its own words: the
                # spec's line for the same key would say it twice.
                said = {line for index, item in enumerate(items) if isinstance(item, dict)
                        for line in self.keys_refused.get("%s[%d]" % (path, index), ())}
                self.problems = [p for p in self.problems if p not in said]
                self.problems += check_resource_items(RESOURCES[kind], items, label=path)[1]
            else:
                raise ValueError("unknown item type %s for %s" % (kind, path))

    def resolve_paths(self, paths, playbook_dir, role_path):
        """The fields at ``paths`` ("option.field" of a list of mappings) name files on the controller, relative
        to the playbook: made absolute, and refused when missing or inside the role (a name the role itself uses
        would otherwise load the role's own file)."""
        for path in paths:
            option, field = path.split(".", 1)
            for index, element in enumerate(self.values.get(option) or []):
                given = element.get(field) if isinstance(element, dict) else None
                if given is None:
                    continue
                where = "%s[%d].%s" % (option, index, field)
                resolved = os.path.normpath(os.path.join(playbook_dir, given))
                role = os.path.realpath(role_path)
                if os.path.realpath(resolved).startswith(role + os.sep):
                    self.problems.append("%s: %s is a file of the role itself; give a tasks file of your own"
                                         % (where, given))
                elif not os.path.isfile(resolved):
                    self.problems.append("%s: no file %s (a relative path is read from the playbook's directory, %s)"
                                         % (where, given, playbook_dir))
                else:
                    element[field] = resolved

    def require_absolute(self, paths):
        """The fields at ``paths`` name files on the host the task runs on, where no directory of the playbook
        exists: a relative path would land wherever that host's working directory is."""
        for path in paths:
            option, field = path.split(".", 1)
            for index, element in enumerate(self.values.get(option) or []):
                given = element.get(field) if isinstance(element, dict) else None
                if given is not None and not os.path.isabs(str(given)):
                    self.problems.append("%s[%d].%s: give an absolute path, got %s (the file is written on the host "
                                         "the task runs on)" % (option, index, field, given))

    def at(self, path, values=None):
        """The value at "option" or "option.key", typed unless ``values`` are given."""
        value = self.values if values is None else values
        for part in path.split("."):
            value = _as("dict", value)
            value = value.get(part) if isinstance(value, dict) else None
        return _as("list", value)

    def message(self):
        """The problems as one line, every secret value masked."""
        return remove_values("; ".join(self.problems), self.secrets) if self.problems else None

    def _unknown_keys(self, spec, given, prefix):
        """Every key of every mapping that the spec does not declare, with what it may have meant."""
        found = []
        for name, option in spec.items():
            if name not in given or not option.get("options"):
                continue
            value = _as(option.get("type"), given[name])
            where = prefix + name
            if option.get("type") == "dict" and isinstance(value, dict):
                found += self._unknown_in(option["options"], value, where)
            elif option.get("type") == "list" and isinstance(value, list):
                for index, element in enumerate(value):
                    element = _as("dict", element)
                    if isinstance(element, dict):
                        found += self._unknown_in(option["options"], element, "%s[%d]" % (where, index))
        return found

    def _unknown_in(self, options, mapping, where):
        found = ["%s: %s" % (where, unknown_key(key, options)) for key in sorted(set(mapping) - set(options), key=str)]
        self.keys_refused[where] = found
        return found + self._unknown_keys(options, mapping, where + ".")


_UNSET = object()


def plain(value):
    """The value in Python's own types. ansible-core 2.19 hands templated values over as tagged strings and
    containers, which every validation pass deep-copies by reconstruction: for 690 items that was most of the
    check's time. Any other type (a date, an encrypted value) stays as it is."""
    if isinstance(value, Mapping):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    for kind in (str, bool, int, float):  # bool before int: a bool is an int
        if isinstance(value, kind):
            return kind(value)
    return value


def _as(kind, value):
    """A value as Ansible's validation reads it (a mapping may arrive as JSON or k=v text, a list as text)."""
    try:
        if kind == "dict" and isinstance(value, str):
            return check_type_dict(value)
        if kind == "list" and isinstance(value, str):
            return check_type_list(value)
    except (TypeError, ValueError):
        pass
    return value


def _given_only(validated, given, option):
    """The validated value without the keys that validation filled with None where the user gave nothing:
    passed on, an explicit null would mean something else to a module than a key left out."""
    if given is _UNSET and validated is None:
        return None
    sub = option.get("options")
    if not sub:
        return validated
    given = _as(option.get("type"), given)
    if option.get("type") == "dict" and isinstance(validated, dict):
        return _mapping_given_only(validated, given if isinstance(given, dict) else {}, sub)
    if option.get("type") == "list" and isinstance(validated, list):
        given = given if isinstance(given, list) else []
        return [_mapping_given_only(v, _as("dict", g) if isinstance(_as("dict", g), dict) else {}, sub)
                if isinstance(v, dict) else v
                for v, g in zip(validated, given + [{}] * (len(validated) - len(given)))]
    return validated


def _mapping_given_only(validated, given, options):
    kept = {}
    for key, value in validated.items():
        if key not in given and value is None:
            continue
        kept[key] = _given_only(value, given.get(key, _UNSET), options[key]) if key in options else value
    return kept
