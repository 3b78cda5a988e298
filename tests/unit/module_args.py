# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""``patch_module_args`` for the unit tests on every ansible-core the collection supports.

ansible-core 2.19 added ``ansible.module_utils.testing.patch_module_args``; before it, a module read its arguments
from ``basic._ANSIBLE_ARGS`` as JSON, which is what the stand-in sets (as 2.19's does, less the profile).
"""

from __future__ import annotations

import contextlib
import json
from unittest import mock

from ansible.module_utils import basic

try:
    from ansible.module_utils.testing import patch_module_args  # pylint: disable=unused-import
except ImportError:  # ansible-core 2.16 to 2.18

    @contextlib.contextmanager
    def patch_module_args(args=None):
        """Expose the given module args to AnsibleModule instances created within this context."""
        with mock.patch.object(basic, "_ANSIBLE_ARGS", json.dumps({"ANSIBLE_MODULE_ARGS": args or {}}).encode()):
            yield
