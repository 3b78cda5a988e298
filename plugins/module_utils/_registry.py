# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The registry: every resource the collection knows, each declared in its own file in ``_resources/``.

Each resource module converges one object of its declaration; ``resource_set`` converges a list of
objects of any declaration registered here. A new resource is one file in ``_resources/`` and one
line here (docs/adding-a-resource.md has the whole checklist). AnsiballZ packs only what is
imported, so the declarations are listed, not discovered.
"""

from __future__ import annotations

from ._resources.access_ip_address import AccessIpAddress
from ._resources.access_ip_range import AccessIpRange
from ._resources.address import Address
from ._resources.authentication_provider import AuthenticationProvider
from ._resources.billing_group import BillingGroup
from ._resources.integration_secret import IntegrationSecret
from ._resources.telephony_credential import TelephonyCredential

RESOURCES = {resource.name: resource for resource in (
    AccessIpAddress(), AccessIpRange(), Address(), AuthenticationProvider(), BillingGroup(), IntegrationSecret(),
    TelephonyCredential())}
