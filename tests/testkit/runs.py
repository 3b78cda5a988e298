"""Running the collection as Ansible runs it: ansible-playbook, ansible ad hoc, or one module on its own.

Every run gets the same environment: the collection tree on ANSIBLE_COLLECTIONS_PATH, the sandbox's
URL and key in TELNYX_API_URL / TELNYX_API_KEY, no colour and no warnings about the implicit localhost.
The Ansible commands are those beside the running Python (its venv's), else those on PATH.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time

from .fixtures import API_KEY
from .paths import COLLECTIONS
from .sandbox import child_env

# A defect: a traceback, or its one line on the controller path (``run_in_process``).
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|MODULE FAILURE|\bException\b.*\n\s+File |failed on the controller: ")
MODULE_PACKAGE = "ansible_collections.telnyx.account_access.plugins.modules."
ON_CONTROLLER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "on_controller.py")
PATHS = ("module", "controller")  # how a module may run: as a module process, or in the controller's worker


def tool(name):
    """An Ansible command: the one in the running Python's venv, else the one on PATH."""
    beside = os.path.join(os.path.dirname(sys.executable), name)
    return beside if os.path.exists(beside) else shutil.which(name) or name


def ansible_env(url=None, api_key=API_KEY, collections=COLLECTIONS, clean=False, **extra):
    """The environment of an Ansible run against the sandbox at url (the …/v2 URL).

    clean drops every TELNYX_* and ANSIBLE_* variable of the caller first, as a fresh shell has none.
    """
    env = child_env()
    if clean:
        env = {k: v for k, v in env.items() if not k.startswith(("TELNYX_", "ANSIBLE_"))}
    env.update(ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_LOCALHOST_WARNING="false",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="false", ANSIBLE_NOCOLOR="1")
    if url is not None:
        env["TELNYX_API_URL"] = url
    if api_key is not None:
        env["TELNYX_API_KEY"] = api_key
    env.update(extra)
    return env


def run_playbook(args, env, cwd=None, timeout=None, **popen):
    """ansible-playbook ARGS; returns the CompletedProcess (output captured as text unless popen says otherwise)."""
    popen.setdefault("capture_output", "stdout" not in popen)
    return subprocess.run([tool("ansible-playbook")] + list(args), env=env, cwd=cwd, timeout=timeout, text=True,
                          check=False, **popen)


def start_playbook(args, env, cwd=None, **popen):
    """ansible-playbook ARGS in the background: the Popen, for runs at once."""
    return subprocess.Popen([tool("ansible-playbook")] + list(args), env=env, cwd=cwd, **popen)


def run_adhoc(host, module, module_args, env, *options, cwd=None, timeout=None):
    """ansible HOST -m MODULE -a ARGS [OPTION...] (module without its collection prefix is ours)."""
    if "." not in module:
        module = "telnyx.account_access." + module
    command = [tool("ansible"), host, "-m", module, "-a", module_args] + list(options)
    return subprocess.run(command, env=env, cwd=cwd, timeout=timeout, capture_output=True, text=True, check=False)


def module_env(collections=COLLECTIONS, **extra):
    """A module run on its own imports the collection from the tree; no TELNYX_* default reaches it."""
    env = child_env()
    env.update(PYTHONPATH=collections, **extra)
    env.pop("TELNYX_API_KEY", None)
    env.pop("TELNYX_API_URL", None)
    return env


def run_module(name, args, url=None, api_key=API_KEY, check_mode=False, timeout=120, env=None, command=None,
               path="module", in_process=False, task_env=None):
    """Run one module as a child Python given {"ANSIBLE_MODULE_ARGS": ...} on stdin, the way AnsiballZ hands
    it its arguments: the module's own code path, a second or so faster than a playbook. Returns a Run.

    ``path="controller"`` runs it as a task on a local connection does instead: in-process, through the action
    plugin (``on_controller.py``), in a Python of its own, or with ``in_process`` in the caller's.
    command replaces ``python -m <module>`` (a wrapper that measures the run, say); env, module_env().
    task_env is the task's ``environment:``: on the module path part of the module process's environment, as
    Ansible runs a module; on the controller path what the action sets in os.environ for the run only.
    """
    module_args = dict(args)
    if url is not None:
        module_args.setdefault("api_url", url)
    if api_key is not None:
        module_args.setdefault("api_key", api_key)
    if check_mode:
        module_args["_ansible_check_mode"] = True
    given = {"ANSIBLE_MODULE_ARGS": module_args}
    env = dict(env or module_env())
    if task_env and path == "controller":
        given["environment"] = dict(task_env)
    elif task_env:
        env.update(task_env)
    started = time.monotonic()
    if path == "controller" and in_process:
        return _run_in_this_process(name, module_args, env, task_env, started)
    try:
        done = subprocess.run(command or module_command(name, path), input=json.dumps(given).encode(),
                              capture_output=True, env=env, timeout=timeout, check=False)
        stdout, stderr, rc = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        stdout, stderr, rc = exc.stdout or b"", (exc.stderr or b"") + b"\n(timed out)", -1
    run = Run(name, stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace"), rc, time.monotonic() - started)
    run.path = path
    return run


def _run_in_this_process(name, module_args, env, task_env, started):
    """The controller path without a process of its own: for suites of many short runs that fail before any
    request (a Python start per run costs more than the run). The collection is imported from env's PYTHONPATH;
    the run sees no TELNYX_* variable, as a module process given module_env() sees none."""
    root = env["PYTHONPATH"]
    if root not in sys.path:
        sys.path.insert(0, root)
    from .on_controller import controller_result  # pylint: disable=import-outside-toplevel

    saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("TELNYX_")}
    try:
        result = controller_result(name, module_args, task_env)
    finally:
        os.environ.update(saved)
    run = Run(name, json.dumps(result), "", 1 if result.get("failed") else 0, time.monotonic() - started)
    run.path = "controller"
    return run


def module_command(name, path="module"):
    """The command that runs one module on the module path (``python -m``) or on the controller path."""
    if path == "controller":
        return [sys.executable, ON_CONTROLLER, name]
    return [sys.executable, "-m", MODULE_PACKAGE + name]


class Run:
    """One module run: its output, exit code, time and JSON result (None when its output was not JSON)."""

    def __init__(self, name, stdout, stderr, rc, seconds):
        self.name, self.stdout, self.stderr, self.rc, self.seconds = name, stdout, stderr, rc, seconds
        try:
            self.result = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else None
        except ValueError:
            self.result = None

    @property
    def failed(self):
        return self.result is None or bool(self.result.get("failed"))

    @property
    def message(self):
        return (self.result or {}).get("msg") or (self.stderr.strip().splitlines() or ["(no output)"])[-1]

    @property
    def traceback(self):
        return bool(TRACEBACK.search(self.stdout + self.stderr)) or self.result is None

    def text(self):
        return self.stdout + self.stderr
