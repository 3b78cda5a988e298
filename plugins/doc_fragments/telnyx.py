# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options every module shares. The argument spec that matches
    # them is CONNECTION_SPEC in plugins/module_utils/_client.py.
    DOCUMENTATION = r"""
options:
  api_key:
    description:
      - The Telnyx API v2 key used as the bearer token.
      - If not set, the value of the E(TELNYX_API_KEY) environment variable is used.
      - It is never sent over plain C(http://) to a host that is not a loopback address.
    type: str
    required: true
  api_url:
    description:
      - Base URL of the Telnyx API v2.
      - If not set, the value of the E(TELNYX_API_URL) environment variable is used, then the default.
      - Plain C(http://) is accepted only for loopback hosts (a local sandbox).
    type: str
    default: https://api.telnyx.com/v2
  timeout:
    description:
      - Seconds to wait for the API to connect and to answer one request; more than 0, at most 3600.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is retried after HTTP 502, 503, 504 or a connection error.
      - Waits grow exponentially with jitter, capped at 30 seconds, and follow the C(Retry-After)
        and C(x-ratelimit-reset) headers when the API sends them.
      - HTTP 429 (rate limited, so not processed) is retried apart from this count, until two minutes
        have been spent waiting for that request, so that several runs at once share the limit rather
        than fail. After a 429 every request of the task waits until the limit resets.
      - GET, PATCH and DELETE are retried. POST is retried only when the request provably did not
        reach the API (connection refused, HTTP 429); after any other failure the module looks the
        object up before it creates it again, so a retried create never makes a duplicate.
    type: int
    default: 5
  validate_certs:
    description:
      - Whether to verify the API's TLS certificate.
    type: bool
    default: true
requirements:
  - requests >= 2.25
notes:
  - The API key and every secret value are masked in the module's output, diff and logs.
"""

    # Every module belongs to the one action group, so module_defaults can set the connection once.
    ACTION_GROUP = r"""
attributes:
  action_group:
    description: Use C(group/telnyx.account_access.all) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - telnyx.account_access.all
"""

    # The attributes of every *_info module: it reads only.
    INFO_MODULE = r"""
attributes:
  check_mode:
    description: Reads only, so it runs the same in check mode.
    support: full
  diff_mode:
    description: Changes nothing, so there is nothing to diff.
    support: none
"""

    # The wait options of a module whose object settles (the allowlist's: pending, then added).
    WAIT = r"""
options:
  wait:
    description:
      - Wait until the allowlist entry's C(status) is C(added), not C(pending).
    type: bool
    default: false
  wait_timeout:
    description:
      - How many seconds O(wait) waits before the module fails.
    type: int
    default: 60
"""

    # The attributes of every module that converges one object through the resource engine.
    OBJECT_MODULE = r"""
attributes:
  check_mode:
    description: Predicts the change from the same plan as the real run and writes nothing.
    support: full
  diff_mode:
    description: Returns the object before and after, every secret masked.
    support: full
"""
