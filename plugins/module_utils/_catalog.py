# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""Every resource the collection knows, declared once.

Each resource module converges one object of its declaration; ``resource_set``
converges a list of objects of any declaration registered in ``RESOURCES``.
"""

from __future__ import annotations

from ansible_collections.telnyx.account_access.plugins.module_utils._resource import Resource

STATE_OPTION = dict(type="str", default="present", choices=["present", "absent"])


class BillingGroup(Resource):
    name = "billing_group"
    plural = "billing_groups"
    title = "billing group"
    path = "/billing_groups"
    key = "name"
    fields = ("name",)
    updatable = ("name",)
    options = dict(
        name=dict(type="str"),
        id=dict(type="str"),
        state=STATE_OPTION,
    )
    required_one_of = [("name", "id")]

    def validate(self, item):
        if item.get("name") is not None and not item["name"].strip():
            return "name must not be empty"
        if not item.get("name") and not item.get("id"):
            return "give name or id"
        return None


RESOURCES = {resource.name: resource for resource in (BillingGroup(),)}
