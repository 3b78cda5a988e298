# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import pytest

from ansible_collections.telnyx.account_access.plugins.module_utils import _planner


@pytest.fixture(autouse=True)
def no_waiting_for_twins(monkeypatch):
    """Unit tests do not wait for concurrent runs to settle; one test patches the wait itself."""
    monkeypatch.setattr(_planner, "TWIN_WAITS", (0.0, 0.0, 0.0))
