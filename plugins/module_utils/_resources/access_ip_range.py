# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The allowlist's CIDR ranges, declared (``/access_ip_ranges``)."""

from __future__ import annotations

from .allowlist_entry import AllowlistEntry, canonical_network, entry_options


class AccessIpRange(AllowlistEntry):
    name = "access_ip_range"
    plural = "access_ip_ranges"
    title = "access IP range"
    path = "/access_ip_ranges"
    key = "cidr_block"
    fields = ("cidr_block", "description")
    key_filter = "filter[cidr_block]"
    can_get_by_id = False  # the API has no GET /access_ip_ranges/{id}
    canonical = staticmethod(canonical_network)
    options = entry_options("cidr_block")
    required_one_of = [("cidr_block", "id")]

    def info_query(self, wanted):
        params = {}
        if "cidr_block" in wanted:
            params["filter[cidr_block]"] = canonical_network(wanted["cidr_block"])
        for operator in ("startswith", "endswith", "contains"):
            if "cidr_block_%s" % operator in wanted:
                params["filter[cidr_block][%s]" % operator] = wanted["cidr_block_%s" % operator]
        return params, {k: v for k, v in wanted.items() if k == "status"}
