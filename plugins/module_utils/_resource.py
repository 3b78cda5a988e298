# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The resource contract: what a resource declares, and the plan's vocabulary.

A resource is declared (``Resource``): its path, envelope, natural key, which fields can be
updated, which are create-only, write-only or secret, and the few hooks where its API is
particular. ``Action`` is one planned change; ``PlanError`` a plan refused. The engine
(``_engine.py``) converges declared resources; ``_resources/`` declares them, one file each, and ``_registry.py`` lists them.
"""

from __future__ import annotations

import re

from ._api_error import TelnyxError

MASK = "********"
# How a diff shows a field the API never returns (a credential's tag) on an object that exists: its value is
# not known, which is not the same as absent.
NOT_RETURNED = "(not returned by the API)"
ID_PATTERN = re.compile(r"[A-Za-z0-9_-]+\Z")
STATE_OPTION = dict(type="str", default="present", choices=["present", "absent"])


def id_problem(value):
    """The id rule: an id goes into a request path, so refuse what could not be one (empty, spaces, a slash)."""
    if value is not None and not ID_PATTERN.match(str(value)):
        return "id must be an object id (letters, digits, '-' or '_'), got %r" % (value,)
    return None


def blank_problem(item, fields):
    """The emptiness rule: the given text fields that are blank, in one sentence, or None."""
    blank = [f for f in dict.fromkeys(fields) if isinstance(item.get(f), str) and not item[f].strip()]
    return "%s must not be empty" % ", ".join(blank) if blank else None


class PlanError(Exception):
    """The plan cannot be made or carried out safely. ``details`` go into the failed result."""

    def __init__(self, message, **details):
        super().__init__(message)
        self.details = details


class Resource:
    """A declared API resource. Subclass and override a hook only where the API is particular.

    name        singular, the key objects are returned under (``billing_group``)
    plural      the key of info results and the ``_sandbox/seed`` key (``billing_groups``)
    path        the collection path below the API base (``/billing_groups``)
    key         the natural-key field (``name``)
    fields      every field the API accepts in a create body
    updatable   fields a PATCH can change; other ``fields`` are create-only
    secret      write-only fields: never compared, never returned, masked in diffs
    hidden      returned by the API but left out of results unless revealed
    envelope    True when single objects come as ``{"data": {...}}``
    key_filter  the server-side list filter for the natural key, if the API has one
    uncompared  sent on create but never compared (a request flag, a value the API hides)
    write_only  fields the API accepts but never returns, each with the option that says when
                to send it again (``on_create``, the default, or ``always``)
    options     the per-object argument spec: the module's own options, and (less ``object_only``) a list item's
    object_only the options of the resource's own module only, refused in a list item (``resource_set``,
                ``account``, the roles), where they would mean nothing or reveal a secret (``return_sip_password``)

    Hooks (override only where the API is particular): validate, prepare, creatable, normalize,
    differs, changed_fields, lookups, same_object, exists, enrich, ready, explain, info_query,
    create_body, update_body, exported.
    """

    name = ""
    plural = ""
    title = ""
    path = ""
    key = "name"
    fields = ()
    updatable = ()
    secret = ()
    hidden = ()
    not_returned = ()      # fields the API accepts but never returns: unknown on an existing object
    uncompared = ()  # sent on create, never compared (a request flag, not a property)
    envelope = True
    key_filter = None
    can_get_by_id = True
    update_method = "PATCH"
    # recreate: true replaces an object by delete-then-create unless this says otherwise.
    recreate_creates_first = False
    write_only = {}  # field -> option ("on_create" | "always"); secrets and settings_url
    options = {}
    object_only = ()
    required_one_of = ()
    not_blank = ()  # text fields that must not be blank when given (the natural key always)

    # -- hooks ----------------------------------------------------------------------

    def normalize(self, field, value):
        """The comparable form of a field value; override for case, separators, ..."""
        return value

    def problem(self, item):
        """Everything wrong with one desired item whose options are typed, as one sentence, or None: the id rule,
        the emptiness rule, then the resource's own rules. The one place an item is judged (``_validation.py``)."""
        return id_problem(item.get("id")) or blank_problem(item, (self.key,) + tuple(self.not_blank)) or self.validate(item)

    def validate(self, item):
        """The resource's own rules for one item (after the shared ones in ``problem``): a sentence, or None."""
        return None

    def prepare(self, item):
        """The item in the form sent to the API (canonical spellings); called after validate."""
        return item

    def canonical_key(self, value):
        """A natural-key value as the user may write it (``protected``), in canonical form."""
        return value

    def lookups(self, item):
        """Server-side filters that find the item by natural key; empty means list everything."""
        value = item.get(self.key)
        if self.key_filter and value is not None:
            return [{self.key_filter: value}]
        return []

    not_ready_reason = "not ready"
    waitable = False  # True adds wait / wait_timeout to the resource's module

    def ready(self, obj):
        """Whether a written object has settled (for ``wait``); most are at once."""
        return True

    def info_query(self, wanted):
        """Split an info module's filters into server-side params and ones matched locally.

        Raise ValueError, with a sentence for the user, for a filter value the API cannot take.
        """
        return None, wanted

    def create_body(self, item):
        return {f: item[f] for f in self.fields if item.get(f) is not None}

    def update_body(self, item, current, changes):
        return {f: item[f] for f in changes}

    def enrich(self, engine, items, objects):
        """Fill in what the API knows but does not return, after the objects are read."""

    def exists(self, obj):
        """Whether a listed object is live (a soft-deleted one counts as absent)."""
        return True

    def creatable(self, item):
        """A problem that stops creating this item (a required field missing), or None."""
        return None

    def exported(self, obj):
        """The object as a desired item of its module: what an export writes, such that converging the item against
        the object changes nothing. Only fields the API returns and compares: never a secret, write-only, hidden or
        request-only one; a mapping (SSO settings) only with the sub-options the module takes."""
        item = {}
        for name in self.fields:
            if name not in self.options or name in self.secret or name in self.write_only or name in self.hidden \
                    or name in self.uncompared or name in self.not_returned:
                continue
            value = obj.get(name)
            suboptions = self.options[name].get("options")
            if isinstance(value, dict) and suboptions:
                value = {k: v for k, v in sorted(value.items()) if k in suboptions and v is not None}
            if value is not None and value != {}:
                item[name] = value
        return item

    def same_object(self, item, obj):
        """For an item without id or natural key: whether ``obj`` is the one it means."""
        return False

    def explain(self, exc, item):
        """Rewrite a failed write into a sentence a person can act on; by default keep it."""
        return exc

    def differs(self, field, wanted, current):
        if isinstance(wanted, dict) and isinstance(current, dict):
            return any(self.differs(field, v, current.get(k)) for k, v in wanted.items() if v is not None)
        return self.normalize(field, wanted) != self.normalize(field, current)

    def changed_fields(self, item, found):
        """The fields the item sets that differ from ``found``, write-only ones the user sends again included."""
        changes = [f for f in self.fields if f not in self.secret and f not in self.uncompared
                   and f not in self.write_only and item.get(f) is not None and self.differs(f, item[f], found.get(f))]
        return changes + self.resent(item)

    def resent(self, item):
        """Write-only fields given with their option set to ``always``: the API cannot say whether they differ."""
        return [f for f, option in self.write_only.items() if item.get(f) is not None and item.get(option) == "always"]

    # -- derived --------------------------------------------------------------------

    @property
    def item_options(self):
        """The options a list item takes: every option but the object-only ones."""
        return {name: option for name, option in self.options.items() if name not in self.object_only}

    def unwrap(self, body):
        if self.envelope and isinstance(body, dict) and "data" in body:
            return body["data"]
        return body

    def key_of(self, obj):
        value = obj.get(self.key) if obj else None
        return None if value is None else self.normalize(self.key, value)

    def describe(self, item):
        if item.get(self.key) is not None:
            return "%s %s=%r" % (self.title, self.key, item[self.key])
        return "%s id=%r" % (self.title, item.get("id"))

    def public(self, obj, reveal=()):
        """The object as returned to the user: hidden fields dropped unless revealed."""
        if not obj:
            return {}
        return {k: v for k, v in obj.items() if k not in self.secret and (k not in self.hidden or k in reveal)}

    def masked(self, obj):
        """The object as shown in a diff: secret and hidden values replaced by a mask."""
        if not obj:
            return {}
        shown = {k: (MASK if (k in self.secret or k in self.hidden) and v is not None else v) for k, v in obj.items()}
        if obj.get("id"):
            shown.update({field: NOT_RETURNED for field in self.not_returned if shown.get(field) is None})
        return shown


class Action:
    """One planned change (or none) for one desired item or one purged object."""

    def __init__(self, kind, item=None, current=None, changes=(), predicted=None):
        self.kind = kind            # create | update | recreate | delete | finish | none
        self.item = item or {}
        self.current = current
        self.changes = list(changes)
        self.predicted = predicted  # the object as it will be, for check mode and diff
        self.result = None          # the object as the API answered
        self.error = None
        self.note = None            # a sentence for the user about what this action does (finish)
        # The writes that took effect, net (in check mode: that would): "create" (result is ours), "update",
        # "delete" (current is gone). A create that found another run's object, or whose copy was removed as a
        # duplicate, wrote nothing; a DELETE answered 404 removed nothing. ``changed`` derives from this alone.
        self.written = []

    def planned_writes(self):
        """The writes the plan would make: what check mode reports as written."""
        if self.kind in ("delete", "finish"):
            return ["delete"] if self.current else []
        return {"create": ["create"], "update": ["update"], "recreate": ["delete", "create"]}.get(self.kind, [])

    @property
    def after(self):
        if self.kind == "delete":
            return None
        if self.result is not None or self.kind == "finish":
            return self.result if self.result is not None else self.predicted
        if self.error is not None:  # a failed write: what is there is what was there, unless it was removed
            return None if "delete" in self.written else self.current
        return self.predicted


def message_of(exc):
    return exc.message if isinstance(exc, TelnyxError) else str(exc)
