"""The test-tool library: the sandbox's lifecycle and control calls, the collection tree, Ansible runs, shared fixtures.

Used by the evidence suites (tests/evidence), the benchmarks, scripts/*.sh and the integration targets'
runme.sh (through ``python -m testkit``, see cli.py). Standard library only, bar ``awx`` (PyYAML and Jinja2, the tool venv's):
any of the project's Pythons imports it. From the checkout: put ``tests/`` on the path.
"""

from __future__ import annotations

from .controller_forks import ControllerForks
from .fixtures import ADDRESS, API_KEY, CONNECTION_ID, SAML_SETTINGS, address
from .paths import COLLECTIONS, LOGS, ROOT
from .runs import (PATHS, Run, ansible_env, module_command, module_env, run_adhoc, run_module, run_playbook,
                   start_playbook, tool)
from .sandbox import Sandbox, SandboxClient
from .tree import collection_tree, copy_checkout

__all__ = ["ADDRESS", "API_KEY", "COLLECTIONS", "CONNECTION_ID", "ControllerForks", "LOGS", "PATHS", "ROOT", "Run", "SAML_SETTINGS",
           "Sandbox", "SandboxClient", "address", "ansible_env", "collection_tree", "copy_checkout", "module_command",
           "module_env", "run_adhoc", "run_module", "run_playbook", "start_playbook", "tool"]
