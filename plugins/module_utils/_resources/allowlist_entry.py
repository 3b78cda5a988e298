# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""What the API allowlist's two halves share: single addresses and CIDR ranges.

The API keeps them apart (``/access_ip_address`` and ``/access_ip_ranges``); both answer bare
objects, have no PATCH, and go from ``pending`` to ``added``. Each half is declared in its own
file (``access_ip_address.py``, ``access_ip_range.py``) on ``AllowlistEntry`` here.
"""

from __future__ import annotations

import functools
import ipaddress

from .._resource import STATE_OPTION, Resource


def canonical_ip(value):
    """One spelling per address: IPv6 compressed and lower case, IPv4-mapped IPv6 as ::ffff:a.b.c.d
    (RFC 5952 section 5; Python 3.13 writes it so, older Pythons in hex). Raise ValueError with what is accepted."""
    # An entry is checked, prepared and compared: each text is parsed once (any other value as it comes).
    return _canonical_ip(value) if isinstance(value, str) else _canonical_ip.__wrapped__(value)


@functools.lru_cache(maxsize=16384)
def _canonical_ip(value):
    text = str(value).strip()
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        address = None
    if address is None or "%" in text:
        kind = "a CIDR block (allowlist ranges are access_ip_range)" if "/" in text else "not an IP address"
        raise ValueError("%r is %s: give one IPv4 address such as 203.0.113.10 (no leading zeros) "
                         "or one IPv6 address such as 2001:db8::1" % (value, kind))
    if address.version == 6 and address.ipv4_mapped:
        return "::ffff:%s" % address.ipv4_mapped
    return address.compressed


def canonical_network(value):
    """One spelling per CIDR block (IPv6 compressed, lower case). Raise ValueError naming what was probably meant."""
    text = str(value).strip()
    if "/" not in text:
        raise ValueError("%r is not a CIDR block: write it as address/prefix, such as 203.0.113.0/24 "
                         "(a single address is an access_ip_address)" % (value,))
    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValueError("%r is not a CIDR block such as 203.0.113.0/24 or 2001:db8::/32" % (value,)) from None
    if "%" in text:
        raise ValueError("%r has a zone index: give a CIDR block such as 2001:db8::/32" % (value,))
    if network.network_address != ipaddress.ip_address(text.split("/", maxsplit=1)[0]):
        raise ValueError("%r has host bits set: did you mean %s?" % (value, network.compressed))
    return network.compressed


def contains(block, address):
    """Whether the CIDR ``block`` holds ``address`` (both in any valid spelling)."""
    try:
        return ipaddress.ip_address(address) in ipaddress.ip_network(block, strict=False)
    except ValueError:
        return False


def entry_options(key):
    """The options of an allowlist entry: its key (an address or a block), id, description, state, recreate."""
    return {key: dict(type="str"), "id": dict(type="str"), "description": dict(type="str"), "state": STATE_OPTION,
            "recreate": dict(type="bool", default=False)}


class AllowlistEntry(Resource):
    """What both halves share: bare objects, no update, settle from pending to added."""

    envelope = False  # these endpoints answer bare objects, not {"data": ...}
    updatable = ()  # the API has no PATCH: a new description means delete and create
    not_ready_reason = "pending (not yet added)"
    waitable = True
    canonical = staticmethod(lambda value: value)  # the key's canonical spelling; raises ValueError

    def validate(self, item):
        if item.get(self.key) is not None:
            try:
                self.canonical(item[self.key])
            except ValueError as exc:
                return "%s %s" % (self.key, exc)
        return None

    def prepare(self, item):
        if item.get(self.key) is None:
            return item
        given = str(item[self.key]).strip()
        canonical = self.canonical(given)
        return dict(item, **{self.key: canonical, "_spellings": tuple(dict.fromkeys((canonical, given)))})

    def canonical_key(self, value):
        return self.canonical(value)

    def normalize(self, field, value):
        if field == self.key and value is not None:
            try:
                return self.canonical(value)
            except ValueError:
                return value  # an entry someone else made; it only has to compare
        return value

    def lookups(self, item):
        # The key filter matches the stored text: ask for ours and, if it differs, the user's spelling.
        if item.get(self.key) is None:
            return []
        return [{self.key_filter: spelling} for spelling in item.get("_spellings") or (item[self.key],)]

    def ready(self, obj):
        return obj.get("status") == "added"
