# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
name: rotation_plan
short_description: Plan the rotation of versioned Telnyx secrets and credentials
version_added: 0.1.0
description:
  - Given what should be rotated and the objects that exist, says for each base name whether a rotation is
    due, what to create, and what to delete or let expire. It makes no request; the
    R(secret_rotation role,ansible_collections.telnyx.account_access.secret_rotation_role) feeds its plan to
    M(telnyx.account_access.resource_set).
  - Versions are named C(<base>_v<N>); an object named just C(<base>) counts as version 0, so an existing
    unversioned secret can be taken over. Other names are ignored.
  - A rotation is due when no version exists, when the newest one is older than O(max_age_days) (from its
    C(created_at)), or when O(force) is set.
  - The plan is the same whether it is computed before a rotation or after a half-done one, which is what
    makes a failed rotation safe to run again.
positional: _input, existing, key
options:
  _input:
    description:
      - What to rotate. An element that is a string is the C(base) alone.
      - Each element has C(base) (required), C(strategy) (V(versioned), the default, or
        V(recreate)), C(keep) (versions to keep after a versioned rotation, default 2), optionally
        C(grace_hours) (instead of deleting older versions, let them expire that many hours from now),
        optionally C(verify_tasks), and the fields of the object to create (for example C(type) and C(token)).
    type: list
    elements: raw
    required: true
  existing:
    description: The objects that exist, as an info module returns them.
    type: list
    elements: dict
    required: true
  key:
    description: The name field of the objects, C(identifier) for integration secrets, C(name) for credentials.
    type: str
    required: true
  max_age_days:
    description: A version older than this many days is due for rotation.
    type: float
    default: 90
  force:
    description: Rotate every element, whatever its age.
    type: bool
    default: false
  inherit:
    description:
      - Fields the new version copies from the newest existing one when the element does not give them,
        for example C(connection_id) of a telephony credential.
    type: list
    elements: str
    default: []
  grace_hours:
    description:
      - Let older versions expire this many hours from now instead of deleting them, for every element that
        gives no C(grace_hours) of its own. Used for telephony credentials, whose C(expires_at) the API enforces.
    type: float
  now:
    description: The current time, ISO 8601. For tests; defaults to the clock.
    type: str
  unknown:
    description:
      - A stand-in for an O(inherit) field that no existing version can give, for check mode, where the version
        an earlier task of the play would make was not made. The plan lists such fields in C(assumed). Without
        it, such a field is left out, and the create that needs it fails.
    type: str
"""

EXAMPLES = r"""
- name: Plan the rotation of the CRM token (keep two versions)
  ansible.builtin.set_fact:
    plan: "{{ [{'base': 'crm_token', 'type': 'bearer', 'token': new_token}]
              | telnyx.account_access.rotation_plan(existing.integration_secrets, 'identifier', max_age_days=30) }}"
  no_log: true
"""

RETURN = r"""
_value:
  description:
    - One plan per element, in order. C(item) holds the element's fields, secret values included, so keep the
      plan out of logs.
  type: list
  elements: dict
  contains:
    base:
      description: The base name.
      type: str
    strategy:
      description: V(versioned) or V(recreate).
      type: str
    due:
      description: Whether a rotation is due.
      type: bool
    reason:
      description: Why it is or is not due.
      type: str
    current:
      description: The name of the newest existing version; V(null) when there is none.
      type: str
    age_days:
      description: The newest version's age in days; V(null) when there is none.
      type: float
    newest:
      description: The name of the newest version once the plan has run.
      type: str
    item:
      description:
        - The object to converge, or V(null) when nothing is to be written. For V(recreate) it is always
          given, with C(update_secret) V(always) when due and V(on_create) otherwise, so a secret lost
          half-way is made again.
      type: dict
    prune:
      description: Older versions beyond C(keep), as items with C(state=absent).
      type: list
      elements: dict
    retire:
      description: With C(grace_hours), older versions without an expiry, as items setting C(expires_at).
      type: list
      elements: dict
    verify_tasks:
      description: The element's C(verify_tasks); V(null) when it has none.
      type: str
    assumed:
      description: The O(inherit) fields given the O(unknown) stand-in.
      type: list
      elements: str
    verify:
      description:
        - Whether to run C(verify_tasks) against C(newest) before pruning or retiring, that is, when there are
          C(verify_tasks) and something is created, replaced, pruned or retired.
      type: bool
"""

import re
from datetime import datetime, timedelta, timezone

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean

CONTROL_KEYS = ("base", "strategy", "keep", "grace_hours", "verify_tasks")
STRATEGIES = ("versioned", "recreate")


def parse_time(value, what):
    try:
        moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    except ValueError:
        raise AnsibleFilterError("rotation_plan: %s is not an ISO 8601 time: %r" % (what, value)) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def versions_of(base, existing, key):
    """The existing versions of base, newest first, as (number, object)."""
    pattern = re.compile(r"%s(?:_v(\d+))?\Z" % re.escape(base))
    found = []
    for obj in existing:
        match = pattern.match(str(obj.get(key) or ""))
        if match:
            found.append((int(match.group(1) or 0), obj))
    return sorted(found, key=lambda pair: pair[0], reverse=True)


def check_element(element, key):
    if not isinstance(element, dict) or not str(element.get("base") or "").strip():
        raise AnsibleFilterError("rotation_plan: every element needs a non-empty base, got %r" % sorted(element or {}))
    strategy = element.get("strategy", "versioned")
    if strategy not in STRATEGIES:
        raise AnsibleFilterError("rotation_plan: %s: strategy must be one of %s, got %r" % (element["base"], ", ".join(STRATEGIES), strategy))
    keep = element.get("keep", 2)
    if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
        raise AnsibleFilterError("rotation_plan: %s: keep must be a whole number of at least 1, got %r" % (element["base"], keep))
    if key in element:
        raise AnsibleFilterError("rotation_plan: %s: give base, not %s; the plan names the versions" % (element["base"], key))
    return strategy, keep


def plan_one(element, existing, key, max_age_days, force, inherit, grace_hours, now, unknown=None):
    strategy, keep = check_element(element, key)
    base = element["base"]
    versions = versions_of(base, existing, key)
    if strategy == "recreate":
        versions = [pair for pair in versions if pair[1].get(key) == base]
    newest = versions[0][1] if versions else None
    age_days = None
    if newest is not None:
        created = parse_time(newest.get("created_at"), "%s created_at" % newest.get(key))
        age_days = round((now - created).total_seconds() / 86400, 2)

    if newest is None:
        due, reason = True, "no version exists"
    elif force:
        due, reason = True, "forced"
    elif age_days > max_age_days:
        due, reason = True, "%.1f days old, older than %g" % (age_days, max_age_days)
    else:
        due, reason = False, "%.1f days old, within %g" % (age_days, max_age_days)

    fields = {k: v for k, v in element.items() if k not in CONTROL_KEYS}
    assumed = []
    for name in inherit:
        if name not in fields and newest is not None and newest.get(name) is not None:
            fields[name] = newest[name]
        elif name not in fields and unknown is not None:
            # Check mode: no version to inherit from, as the one an earlier task of the play would make was not made.
            fields[name] = unknown
            assumed.append(name)

    plan = dict(base=base, strategy=strategy, due=due, reason=reason, age_days=age_days,
                current=newest.get(key) if newest else None, verify_tasks=element.get("verify_tasks"),
                item=None, prune=[], retire=[], assumed=assumed)
    if strategy == "recreate":
        plan["item"] = dict(fields, **{key: base, "update_secret": "always" if due and newest else "on_create"})
        plan["newest"] = base
        plan["verify"] = bool(plan["verify_tasks"] and due)
        return plan

    kept = [pair[1] for pair in versions]
    if due:
        name = "%s_v%d" % (base, versions[0][0] + 1 if versions else 1)
        plan["item"] = dict(fields, **{key: name})
        kept.insert(0, {key: name})
    plan["newest"] = kept[0][key]
    older = kept[1:]
    grace_hours = element.get("grace_hours", grace_hours)
    if grace_hours is not None:
        expires_at = (now + timedelta(hours=float(grace_hours))).strftime("%Y-%m-%dT%H:%M:%SZ")
        plan["retire"] = [{"id": obj["id"], "expires_at": expires_at} for obj in older if not obj.get("expires_at")]
    else:
        plan["prune"] = [{key: obj[key], "state": "absent"} for obj in older[keep - 1:]]
    plan["verify"] = bool(plan["verify_tasks"] and (due or plan["prune"] or plan["retire"]))
    return plan


def rotation_plan(wanted, existing, key, max_age_days=90, force=False, inherit=(), grace_hours=None, now=None,
                  unknown=None):
    if not isinstance(wanted, list) or not isinstance(existing, list):
        raise AnsibleFilterError("rotation_plan: expects a list of elements and a list of existing objects")
    moment = parse_time(now, "now") if now else datetime.now(timezone.utc)
    wanted = [{"base": element} if isinstance(element, str) else element for element in wanted]
    bases = [element.get("base") for element in wanted if isinstance(element, dict)]
    repeated = sorted({base for base in bases if bases.count(base) > 1})
    if repeated:
        raise AnsibleFilterError("rotation_plan: each base may appear once; repeated: %s" % ", ".join(map(str, repeated)))
    try:
        # Read as Ansible reads a boolean: "false" or "no" (an extra var, a survey answer) is false, not a truthy text.
        force = boolean(force, strict=True)
        max_age_days = float(max_age_days)
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError("rotation_plan: %s" % exc) from None
    return [plan_one(element, existing, key, max_age_days, force, list(inherit), grace_hours, moment, unknown)
            for element in wanted]


class FilterModule:
    def filters(self):
        return {"rotation_plan": rotation_plan}
