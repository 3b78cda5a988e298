# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import os

import yaml

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))


# Modules that make no API request, and so take no connection options from the group's module_defaults.
NOT_API = ["role_inputs"]


def test_action_group_all_lists_every_module():
    with open(os.path.join(ROOT, "meta", "runtime.yml")) as handle:
        runtime = yaml.safe_load(handle)
    modules = sorted(name[:-3] for name in os.listdir(os.path.join(ROOT, "plugins", "modules"))
                     if name.endswith(".py") and not name.startswith("_") and name[:-3] not in NOT_API)
    assert modules, "no modules found"
    assert sorted(runtime["action_groups"]["all"]) == modules
