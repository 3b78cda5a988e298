# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This plugin_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""An ``account`` task's registered result as the filters read it (drift_report, account_summary): every part
checked on the way, so that a mistaken or hostile value fails in one line naming the filter."""

from __future__ import annotations

from ansible.errors import AnsibleFilterError

from ..module_utils._account import TYPES

# Every key an account result may hold per type: the types' plurals, then the allowlist's.
RESULT_KEYS = [resource.plural for resource in TYPES] + ["access_ip_allowlist"]


class AccountResult:
    """The outcomes in one result; ``who`` (the filter's name) leads every message."""

    def __init__(self, result, who):
        self.who = who
        if not isinstance(result, dict) or result.get("failed") or result.get("skipped"):
            raise AnsibleFilterError("%s takes the registered result of a successful account task" % who)
        if not any(key in result for key in RESULT_KEYS):
            raise AnsibleFilterError("%s takes the registered result of an account task: this one has none of %s"
                                     % (who, ", ".join(RESULT_KEYS)))
        self.result = result

    def outcome(self, key):
        """One type's outcome: a mapping, or nothing where the type was not given."""
        outcome = self.result.get(key)
        if outcome is None:
            return {}
        if not isinstance(outcome, dict):
            raise AnsibleFilterError("%s: %s in the result is not an account task's outcome" % (self.who, key))
        return outcome

    def listed(self, key, kind):
        """One list of a type's outcome (``created``, ``not_named``, …), checked to be a list."""
        values = self.outcome(key).get(kind) or []
        if not isinstance(values, list):
            raise AnsibleFilterError("%s: %s.%s in the result is not a list" % (self.who, key, kind))
        return values
