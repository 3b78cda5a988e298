# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_utils file is private to the telnyx.account_access collection and is
# not part of its public API: it may change without notice.

"""The connection options every module shares, and the client built from them.

The glue between an AnsibleModule and the client: the runners (``_runner.py``) call it; the
client itself never sees a module.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ._client import HAS_REQUESTS, REQUESTS_IMPORT_ERROR, TelnyxClient
from ._transport import DEFAULT_API_URL, check_api_url

MAX_TIMEOUT = 3600

# The argument spec matching doc_fragments/telnyx.py; modules merge it, never copy it.
CONNECTION_SPEC = dict(
    # Not required=True: Ansible's "missing required arguments: api_key" says nothing of TELNYX_API_KEY.
    api_key=dict(type="str", no_log=True, fallback=(env_fallback, ["TELNYX_API_KEY"])),
    api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, ["TELNYX_API_URL"])),
    timeout=dict(type="float", default=30),
    max_retries=dict(type="int", default=5),
    validate_certs=dict(type="bool", default=True),
)


def client_from_module(module, parallelism=1):
    """Check the connection options and build the client, or fail before any request."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    api_key = params["api_key"] or ""
    key = api_key.strip()
    if key:
        # The key is sent stripped: mask that form too, not only the value as given.
        module.no_log_values.add(key)
    api_url = params["api_url"]
    try:
        password = urlsplit(api_url).password if isinstance(api_url, str) else None
    except ValueError:
        password = None
    if password:
        module.no_log_values.add(password)  # the URL is refused below; its password is never shown
    if isinstance(api_url, str) and api_url != api_url.strip():
        api_url = api_url.strip()
        module.warn("api_url had leading or trailing whitespace (a line break from an environment variable "
                    "or file?); it was removed")
    problem = check_api_url(api_url)
    if problem is None and params["api_key"] is None:
        problem = ("no API key: set the TELNYX_API_KEY environment variable, or api_key (in the task, or in "
                   "module_defaults for group/telnyx.account_access.all)")
    elif problem is None and not key:
        problem = "api_key is empty: set api_key or the TELNYX_API_KEY environment variable"
    if problem is None and any(c in key for c in "\r\n"):
        problem = "api_key contains a line break: set it to the key alone, on one line"
    if problem is None and any(ord(c) < 32 or ord(c) > 126 for c in key):
        problem = "api_key contains a character that is not printable ASCII (a tab, control or non-ASCII character)"
    if problem is None and not 0 < params["timeout"] <= MAX_TIMEOUT:  # also refuses nan
        problem = "timeout must be more than 0 and at most %d seconds, got %s" % (MAX_TIMEOUT, params["timeout"])
    if problem is None and params["max_retries"] < 0:
        problem = "max_retries must be 0 or more, got %s" % params["max_retries"]
    if problem:
        module.fail_json(msg=problem)
    if not params["validate_certs"]:
        module.warn("validate_certs is false: the API's certificate is not checked, so anyone able to intercept "
                    "the connection can read the API key")
    return TelnyxClient(key, api_url, params["timeout"], params["max_retries"],
                        params["validate_certs"], pool_size=max(parallelism, 1))
