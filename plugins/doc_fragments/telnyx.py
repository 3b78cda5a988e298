# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations


class ModuleDocFragment:
    # The connection options every module shares. The argument spec that matches
    # them is CONNECTION_SPEC in plugins/module_utils/_connection.py.
    DOCUMENTATION = r"""
options:
  api_key:
    description:
      - The Telnyx API v2 key used as the bearer token.
      - If not set, the value of the E(TELNYX_API_KEY) environment variable is used. One of the two is required.
      - It is never sent over plain C(http://) to a host that is not a loopback address.
      - It is the only credential ever sent, as a C(Bearer) token in the C(Authorization) header; C(~/.netrc) is never read.
      - Surrounding whitespace is removed before it is sent, and both forms are masked in the output.
        A key holding a line break or any character that is not printable ASCII is refused before any request.
    type: str
  api_url:
    description:
      - Base URL of the Telnyx API v2.
      - If not set, the value of the E(TELNYX_API_URL) environment variable is used, then the default.
      - Plain C(http://) is accepted only for loopback hosts (a local sandbox).
      - A user name or password in the URL (C(https://user:pass@host)) is refused before any request.
        Leading or trailing whitespace is removed, with a warning; a space or control character inside is refused.
      - "Proxies: for an C(https://) URL, E(HTTPS_PROXY) (or E(ALL_PROXY)) and E(NO_PROXY) are honoured; the
        key then travels inside the TLS tunnel (C(CONNECT)) that the proxy cannot read. E(HTTP_PROXY) is not
        used for it. No proxy is ever used for a loopback or C(http://) URL."
      - Redirects are never followed, and a listing is bounded (one page past the first page's
        C(total_pages), at most 2000 pages, a page repeating objects already listed fails).
    type: str
    default: https://api.telnyx.com/v2
  timeout:
    description:
      - Seconds one request may take in all (connecting, waiting and reading the whole answer); more than 0,
        at most 3600. An answer that arrives slower is cut off at this deadline; each retry has its own.
      - An answer larger than 32 MiB once decoded (gzip included) is cut off and fails.
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
      - When true, E(REQUESTS_CA_BUNDLE) or E(CURL_CA_BUNDLE) names the CA bundle if set. When false,
        certificates are not checked whatever those variables say, and the module warns.
      - A certificate failure is not retried; it fails at once, saying why.
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
  action:
    description: On the controller (a local connection with the controller's Python) the action runs the module's
      work in its own process, with the same validation, check mode, diff, masking and result; on any other host
      the module runs there.
    support: full
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
notes:
  - C(changed) reports only writes that took effect. A create the API refuses fails with C(changed=false); a
    replacement that deleted the old object and then could not create the new one fails with C(changed=true).
  - Several hosts or jobs running the same task at once make each object once. One of them reports it created;
    the others find it (after the API refused their duplicate, or after removing their own later copy, the
    oldest copy being kept) and report it unchanged.
"""
