# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""Billing groups, declared: found by name, renamed by id."""

from __future__ import annotations

from .._resource import STATE_OPTION, Resource


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

    def exists(self, obj):
        # BillingGroup.deleted_at suggests soft deletion; whether lists show deleted groups is not documented.
        return obj.get("deleted_at") is None
