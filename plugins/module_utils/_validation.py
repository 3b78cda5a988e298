# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The one validation pass: desired items checked before any request, and handed on in canonical form.

Every rule lives once: the types and choices of the resource's options (its argument spec; a list item's lacks the
object-only options, which only the resource's own module takes), the id rule and the emptiness rule
(``_resource.py``), the resource's own ``validate``, then canonical form and repeats. The object, set and allowlist
runners and the roles' input check all call ``check_items``; the engine trusts what it returns and checks nothing
again.
"""

from __future__ import annotations

import difflib

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import UnsupportedError


def check_items(resource, raw_items, label="items", typed=False):
    """Check a list of desired items of one resource: (canonical items, problems), each problem one sentence.

    ``typed`` items come from an AnsibleModule that checked the options already (an object module's one item);
    others are checked against the resource's options here. A single typed item's problems carry no label.
    """
    items, problems = [], []
    checked = [(raw, []) for raw in raw_items] if typed else typed_items(resource, raw_items)
    for index, (item, found) in enumerate(checked):
        item, found = judged(resource, item, found)
        where = "" if typed and len(raw_items) == 1 else "%s[%d]: " % (label, index)
        problems.extend(where + problem for problem in found)
        if not found:
            items.append(item)
    if not problems:
        problems = repeated(resource, items)
    return items, problems


def judged(resource, item, found):
    """A typed item judged by the resource's rules (when its options passed), and prepared when it has no problem."""
    if not found:
        found = [p for p in [resource.problem(item)] if p]
    return (resource.prepare(item) if not found else item), found


def typed_items(resource, raws):
    """Each raw item with its options typed as the resource's module types them: [(item, problems)].

    The mappings are validated in one pass, as the elements of one list option: a validator run per item cost
    most of the check (690 items took 50 ms). Ansible validates a list's elements as it validates a module's
    options; the messages of that pass name no item, so when it finds any problem every item is checked on its
    own again, for the index and the words of each."""
    if len(raws) > 1 and all(isinstance(raw, dict) for raw in raws):
        outcome = _validator(resource, batch=True).validate({"items": raws})
        if not _errors(outcome):
            return [(item, _unknown_keys(resource, raw) + _not_text(resource, raw))
                    for raw, item in zip(raws, outcome.validated_parameters["items"])]
    return [_typed(resource, raw) for raw in raws]


def _typed(resource, raw):
    if not isinstance(raw, dict):
        # Never quoted: what stands where a mapping belongs may be a secret that no option name marks.
        return None, ["must be a mapping of %s options, got a %s" % (resource.title, type(raw).__name__)]
    outcome = _validator(resource).validate(raw)
    return outcome.validated_parameters, _unknown_keys(resource, raw) + _errors(outcome) + _not_text(resource, raw)


_VALIDATORS = {}  # (resource, batch) -> its validator


def _validator(resource, batch=False):
    """The resource's validator, for one item or (``batch``) for a list of them, built once: building one per item
    cost as much as running it."""
    key = (resource, batch)
    if key not in _VALIDATORS:
        options, one_of = resource.item_options, resource.required_one_of
        _VALIDATORS[key] = (ArgumentSpecValidator({"items": dict(type="list", elements="dict", options=options,
                                                                 required_one_of=one_of)}) if batch
                            else ArgumentSpecValidator(options, required_one_of=one_of))
    return _VALIDATORS[key]


def _errors(outcome):
    """The validation's problems, but for unknown keys: _unknown_keys words those."""
    return [str(e) for e in outcome.errors if not isinstance(e, UnsupportedError)]


def _unknown_keys(resource, raw):
    options = resource.item_options
    return [key_problem(resource, name, options) for name in sorted(set(raw) - set(options), key=str)]


def _not_text(resource, raw):
    # AnsibleModule would turn a list into its text for a str option; an item is stricter.
    return ["%s must be a string, got a %s" % (name, "list" if isinstance(raw[name], list) else "mapping")
            for name, spec in resource.item_options.items()
            if spec.get("type") == "str" and isinstance(raw.get(name), (list, dict))]


def key_problem(resource, name, options):
    """A key a list item does not take, in one line: an object-only option says whose it is, any other is unknown."""
    if name in resource.object_only:
        return "%s applies to the %s module only" % (name, resource.name)
    return unknown_key(name, options)


def repeated(resource, items):
    """The (canonical) items that name one object twice, by id or by natural key."""
    seen, problems = set(), []
    for item in items:
        ident = ("id", item["id"]) if item.get("id") else ("key", resource.key_of(item))
        if ident[1] is None:
            continue
        if ident in seen:
            problems.append("%s is listed more than once" % resource.describe(item))
        seen.add(ident)
    return problems


def unknown_key(name, known):
    """One line naming an unknown key and the known ones it may have meant (a misspelt key must never pass)."""
    close = difflib.get_close_matches(str(name), [str(k) for k in known], n=3, cutoff=0.6)
    hint = "did you mean %s?" % " or ".join(close) if close else "known: %s" % ", ".join(sorted(map(str, known)))
    return "unknown key %s (%s)" % (name, hint)
