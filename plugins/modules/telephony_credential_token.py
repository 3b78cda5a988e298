#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
module: telephony_credential_token
short_description: Mint an access token (JWT) for a Telnyx telephony credential
version_added: 0.1.0
description:
  - Mints a new WebRTC access token for a telephony credential given by O(id) or O(name) (exactly one of them).
  - The answer must be a JWT (three base64url parts, a JSON object header and payload, a numeric C(exp) claim);
    anything else (a proxy's HTML page, an empty body) fails the task and writes nothing.
  - Every run mints a new token, so the module always reports a change. Check mode looks the credential up
    and mints nothing.
  - A token is valid for 24 hours, or until the credential expires if that is sooner.
  - The token goes to O(dest), to the result with O(return_token=true), or both; the task fails before any
    request when neither is set, since a token that goes nowhere is of no use.
  - The token is a secret, so it is not in the result unless O(return_token=true). A result is kept where
    Ansible keeps results (registered variables, callbacks, and with C(async) the job file in
    C(~/.ansible_async), which other users can read under the usual umask); prefer O(dest).
  - Where ansible-core offers C(ansible.module_utils.secrets.register_secret) (2.22 and newer), the module
    registers the token so Ansible masks it in what it prints; set C(no_log) on the task in any case, as the
    examples do.
extends_documentation_fragment:
  - telnyx.account_access.telnyx
  - telnyx.account_access.telnyx.action_group
options:
  id:
    description:
      - The credential's id.
    type: str
  name:
    description:
      - The credential's name, looked up with the API's C(filter[name]); more than one match fails and asks for O(id).
    type: str
  dest:
    description:
      - A file to write the token to, on the host the task runs on. Its directory must exist.
      - The token is written to a new file in the same directory, created with mode V('0600') whatever the
        umask, flushed to disk, given O(mode), then renamed over O(dest); so the file at O(dest) is at no moment
        readable by others, whatever the umask or the mode of a file it replaces, and a reader sees either the
        old token or the new one whole.
      - Nothing is written when the answer is not a token.
    type: path
  mode:
    description:
      - The mode of the file at O(dest), as an octal string (V('0600'), V('0640')) or a number (V(0o600) as
        YAML reads an unquoted C(0600)). It must not give others any access.
      - A file it replaces keeps its owner and group where the module may set them (it runs as root).
    type: raw
    default: "0600"
  return_token:
    description:
      - Return the token in the result, under RV(token). Set C(no_log) on the task when you do.
      - The result then holds the token wherever Ansible keeps it, including the C(async) job file; without
        O(dest), this is the only way to get the token.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Looks the credential up, predicts a change and mints nothing.
  diff_mode:
    support: none
    description: A token is not a state to diff.
author:
  - Telnyx Account Access Contributors (@telnyx-account-access)
"""

EXAMPLES = r"""
- name: Mint a token into the web client's configuration, never readable by others
  telnyx.account_access.telephony_credential_token:
    name: softphone-fleet
    dest: /etc/webclient/telnyx.jwt
  no_log: true

- name: Mint a token for the softphone credential, returned in the result
  telnyx.account_access.telephony_credential_token:
    name: softphone-fleet
    return_token: true
  no_log: true
  register: minted
"""

RETURN = r"""
token:
  description: The JWT. V(null) in check mode.
  returned: when O(return_token=true)
  type: str
  sample: eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.signature
expires_at:
  description: When the token expires (its C(exp) claim), ISO 8601 in UTC. V(null) in check mode.
  returned: always
  type: str
  sample: "2026-11-30T10:00:00+00:00"
dest:
  description: The file the token was written to, when O(dest) is given.
  returned: when O(dest) is given and the token was written (not in check mode)
  type: str
  sample: /etc/webclient/telnyx.jwt
credential_id:
  description: The id of the credential the token is for.
  returned: always
  type: str
  sample: c215ade3-0d39-418e-94be-c5f780760199
"""

import base64
import json
import os
import re
import stat
from datetime import datetime, timezone

from ..module_utils._api_error import TelnyxError
from ..module_utils._engine import Engine
from ..module_utils._registry import RESOURCES
from ..module_utils._runner import Runner

try:  # ansible-core 2.22+: Ansible masks a registered value wherever it would print it
    from ansible.module_utils.secrets import register_secret
except ImportError:
    register_secret = None

BASE64URL = re.compile(r"[A-Za-z0-9_-]+\Z")
CREDENTIALS = RESOURCES["telephony_credential"]


def _json_part(part):
    """A JWT header or payload decoded: a JSON object, or ValueError."""
    decoded = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)).decode("utf-8"))
    if not isinstance(decoded, dict):
        raise ValueError("not a JSON object")
    return decoded


def jwt_problem(token):
    """Why an answer is not a JWT, in words that never quote it; None when it is one."""
    if not isinstance(token, str) or not token:
        return "the answer is empty or not text"
    parts = token.split(".")
    if len(parts) != 3:
        return "the answer is not three dot-separated parts"
    if not all(BASE64URL.match(part) for part in parts):
        return "a part of the answer is not base64url text"
    try:
        _json_part(parts[0])
    except (TypeError, ValueError):
        return "its header is not a JSON object"
    try:
        claims = _json_part(parts[1])
    except (TypeError, ValueError):
        return "its payload is not a JSON object"
    exp = claims.get("exp")
    if isinstance(exp, bool) or not isinstance(exp, (int, float)):
        return "its payload has no numeric exp claim"
    return None


def token_expiry(token):
    """The JWT's exp claim as ISO 8601 UTC, or None when the token does not carry one."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return datetime.fromtimestamp(int(claims["exp"]), tz=timezone.utc).isoformat()
    except (IndexError, KeyError, TypeError, ValueError, OverflowError, OSError):
        return None


def file_mode(value):
    """The mode a token file may have, or ValueError: an octal string, or a number (YAML's unquoted 0600);
    others are never given any access."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 0o777:
        mode, shown = value, "%04o" % value
    elif isinstance(value, str) and re.match(r"0?[0-7]{3}\Z", value):
        mode, shown = int(value, 8), value
    else:
        raise ValueError("mode must be an octal mode such as '0600', got %r" % (value,))
    if mode & 0o007:
        raise ValueError("mode %s gives others access to the token; use '0600' (or '0640' for a group)" % shown)
    return mode


def write_secret_file(dest, content, mode=0o600):
    """Write ``content`` to ``dest`` so that no one else can read it at any moment: a new file in the same
    directory created 0600 (O_EXCL, whatever the umask), written, flushed to disk, given ``mode``, then renamed
    over ``dest``. An older file keeps its mode until the rename replaces it whole."""
    folder = os.path.dirname(os.path.abspath(dest))
    for dummy in range(100):
        temp = os.path.join(folder, ".%s.%s.tmp" % (os.path.basename(dest), os.urandom(6).hex()))
        try:
            fd = os.open(temp, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0), 0o600)
            break
        except FileExistsError:
            continue
    else:
        raise OSError("could not create a temporary file in %s" % folder)
    try:
        try:
            os.fchmod(fd, 0o600)  # the umask cannot widen a mode, but be explicit before any byte is written
            data = content.encode("utf-8")
            while data:
                data = data[os.write(fd, data):]
            os.fsync(fd)
            _keep_owner(fd, dest)
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
        os.replace(temp, dest)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    try:  # the rename itself, on disk
        dir_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)
    except OSError:
        pass


def _keep_owner(fd, dest):
    """Give the new file the owner and group of the file it replaces, where allowed (as root)."""
    try:
        old = os.lstat(dest)
    except OSError:
        return
    if not stat.S_ISREG(old.st_mode):
        return
    try:
        os.fchown(fd, old.st_uid, old.st_gid)
    except OSError:
        pass  # not root: the file is the running user's, as any file it writes


class TokenRunner(Runner):
    """Mints a token for one credential, to a file, to the result, or both."""

    def __init__(self, make_module=None):
        super().__init__(dict(id=dict(type="str"), name=dict(type="str"), dest=dict(type="path"),
                              mode=dict(type="raw", default="0600"), return_token=dict(type="bool", default=False)),
                         required_one_of=[("id", "name")], mutually_exclusive=[("id", "name")], make_module=make_module)
        self.mode = None

    def problems(self):
        # The credential is named as an item of its resource is: the same id and emptiness rules.
        problem = CREDENTIALS.problem(dict(id=self.params["id"], name=self.params["name"]))
        if problem:
            return [problem]
        dest = self.params["dest"]
        if dest is None and not self.params["return_token"]:
            # Minting a token only to drop it would spend a request for nothing.
            return ["give dest (a file to write the token to) or return_token: true (the token in the result; set "
                    "no_log on the task): a token that goes nowhere is of no use"]
        try:
            self.mode = file_mode(self.params["mode"])
        except ValueError as exc:
            return [str(exc)]
        if dest is not None and not os.path.isdir(os.path.dirname(os.path.abspath(dest))):
            return ["dest %s: its directory does not exist" % dest]
        return []

    def execute(self):
        module, params = self.module, self.params
        dest, returned = params["dest"], params["return_token"]
        where = dict(dest=dest) if dest is not None else {}
        # With an id, a real run skips the look-up: the token request itself says 404.
        if module.check_mode or not params["id"]:
            credential_id = Engine(self.client, CREDENTIALS).find(dict(id=params["id"], name=params["name"]))["id"]
        else:
            credential_id = params["id"]
        if module.check_mode:
            self.result = dict(changed=True, expires_at=None, credential_id=credential_id,
                               **(dict(token=None) if returned else {}))
            return
        try:
            answer = self.client.post("/telephony_credentials/%s/token" % credential_id, accept="text/plain")
        except TelnyxError as exc:
            if exc.status is not None and 200 <= exc.status < 300:
                # A success status with an answer the client could not read: not a token either.
                module.fail_json(msg="POST /telephony_credentials/%s/token did not answer with a token (%s); nothing "
                                     "was written" % (credential_id, exc.reason or "unreadable answer"),
                                 credential_id=credential_id, error=exc.to_dict())
            raise
        token = answer.strip() if isinstance(answer, str) else answer
        problem = jwt_problem(token)
        if problem:
            # Never quote the answer: it may be a page from a proxy, or a token in a shape not expected.
            module.fail_json(msg="POST /telephony_credentials/%s/token did not answer with a token (%s); nothing was "
                                 "written" % (credential_id, problem), credential_id=credential_id)
        if register_secret is not None:
            register_secret(token)
        if not returned:
            # Not asked for: masked should any text of the result ever quote it.
            module.no_log_values.add(token)
        if dest is not None:
            try:
                write_secret_file(dest, token, self.mode)
            except OSError as exc:
                module.fail_json(msg="dest %s: writing the token failed: %s" % (dest, exc.strerror or exc),
                                 credential_id=credential_id)
        if returned:
            where["token"] = token
        self.result = dict(changed=True, expires_at=token_expiry(token), credential_id=credential_id, **where)


def main(make_module=None):
    TokenRunner(make_module=make_module).run()


if __name__ == "__main__":
    main()
