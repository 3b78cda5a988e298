# -*- coding: utf-8 -*-
# Copyright: telnyx.account_access contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The action of account_info (plugin_utils/_module_or_controller.py): on the controller, the
module's work in the worker process; anywhere else, the module."""

from __future__ import annotations

from ..plugin_utils._module_or_controller import ActionModule

__all__ = ["ActionModule"]
