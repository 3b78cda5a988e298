# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The allowlist's single addresses, declared (``/access_ip_address``)."""

from __future__ import annotations

from .allowlist_entry import AllowlistEntry, canonical_ip, entry_options


class AccessIpAddress(AllowlistEntry):
    name = "access_ip_address"
    plural = "access_ip_addresses"
    title = "access IP address"
    path = "/access_ip_address"
    key = "ip_address"
    fields = ("ip_address", "description")
    key_filter = "filter[ip_address]"
    canonical = staticmethod(canonical_ip)
    options = entry_options("ip_address")
    required_one_of = [("ip_address", "id")]

    def info_query(self, wanted):
        # Status is filtered here: the current API reference documents no filter[status].
        params = {"filter[%s]" % k: v for k, v in wanted.items() if k in ("ip_address", "ip_source")}
        if "filter[ip_address]" in params:
            params["filter[ip_address]"] = canonical_ip(params["filter[ip_address]"])
        local = {k: v for k, v in wanted.items() if k == "status"}
        return params, local
