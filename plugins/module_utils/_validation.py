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
    for index, raw in enumerate(raw_items):
        item, found = check_item(resource, raw, typed)
        where = "" if typed and len(raw_items) == 1 else "%s[%d]: " % (label, index)
        problems.extend(where + problem for problem in found)
        if not found:
            items.append(item)
    if not problems:
        problems = repeated(resource, items)
    return items, problems


def check_item(resource, raw, typed=False):
    """One item: its options as the resource's module checks them, then the resource's rules; (item, problems).
    The item comes back in the form sent to the API (``prepare``) when it has no problem."""
    if typed:
        item, found = raw, []
    else:
        item, found = _typed(resource, raw)
    if not found:
        found = [p for p in [resource.problem(item)] if p]
    return (resource.prepare(item) if not found else item), found


def _typed(resource, raw):
    if not isinstance(raw, dict):
        # Never quoted: what stands where a mapping belongs may be a secret that no option name marks.
        return None, ["must be a mapping of %s options, got a %s" % (resource.title, type(raw).__name__)]
    options = resource.item_options
    validator = ArgumentSpecValidator(options, required_one_of=resource.required_one_of)
    outcome = validator.validate(raw)
    found = [key_problem(resource, name, options) for name in sorted(set(raw) - set(options), key=str)]
    found += [str(e) for e in outcome.errors if not isinstance(e, UnsupportedError)]
    # AnsibleModule would turn a list into its text for a str option; an item is stricter.
    found += ["%s must be a string, got a %s" % (name, "list" if isinstance(raw[name], list) else "mapping")
              for name, spec in options.items()
              if spec.get("type") == "str" and isinstance(raw.get(name), (list, dict))]
    return outcome.validated_parameters, found


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
