"""The sandbox's lifecycle (start on a free port with a log, wait until it answers, stop) and its control calls.

``SandboxClient(base)`` talks to a running sandbox's control endpoints (``/_sandbox/...``);
``Sandbox(*options)`` starts one of its own (a context manager) and is a client of it too.
"""

from __future__ import annotations

import collections
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

from .fixtures import API_KEY
from .paths import LOGS, SERVER

# Loading the OpenAPI subset (--spec) takes seconds, more on a busy machine; a dead server ends the wait at once.
START_SECONDS = 90
STOP_SECONDS = 10


class SandboxClient:
    """The control endpoints of a sandbox at ``base`` (``http://127.0.0.1:PORT``, no ``/v2``)."""

    def __init__(self, base, timeout=30):
        self.base = base.rstrip("/")
        if self.base.endswith("/v2"):
            self.base = self.base[:-len("/v2")]
        self.url = self.base + "/v2"
        self.timeout = timeout

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as reply:
            text = reply.read().decode()
        return json.loads(text) if text.strip() else {}

    def reset(self):
        self.control("POST", "/_sandbox/reset")

    def seed(self, objects):
        return self.control("POST", "/_sandbox/seed", objects)

    def fault(self, **spec):
        return self.control("POST", "/_sandbox/faults", spec)

    def requests(self):
        return self.control("GET", "/_sandbox/requests")["requests"]

    def writes(self):
        """The logged requests that may change something, as the sandbox counts them (a validation POST reads)."""
        return self.control("POST", "/_sandbox/batch", {"requests": True})["writes"]

    def clear_log(self):
        self.control("DELETE", "/_sandbox/requests")

    def state(self):
        return self.control("GET", "/_sandbox/state")

    def secrets(self):
        """Every secret value the sandbox received or made: {"secrets": [...]}."""
        return self.control("GET", "/_sandbox/secrets")

    def live(self, kind):
        """The objects of one state key that are not deleted."""
        return [o for o in self.state().get(kind, []) if not o.get("deleted_at")]


def summary(client):
    """One line: the API requests by method, and how many of them could write (as the sandbox counts them)."""
    answer = client.control("POST", "/_sandbox/batch", {"requests": True})
    counts = collections.Counter(entry["method"] for entry in answer["requests"])
    return "== the sandbox answered %d API requests (%s), %d of them writes" % (
        len(answer["requests"]), ", ".join("%s %d" % pair for pair in sorted(counts.items())), len(answer["writes"]))


class Sandbox(SandboxClient):
    """The local Telnyx stand-in, started on a free port with the given server options.

    Its output goes to ``log_path``; ``python`` runs the server (standard library only, any Python 3.10+).
    """

    def __init__(self, *options, log_path=None, api_key=API_KEY, python=None):
        super().__init__("http://unstarted")
        self.base = self.url = None  # known once started
        self.options = list(options)
        if api_key is not None:
            self.options = ["--api-key", api_key] + self.options
        self.log_path = log_path or os.path.join(LOGS, "sandbox-evidence.out")
        self.python = python or sys.executable
        self.process = None
        self.pid = None

    def start(self):
        os.makedirs(os.path.dirname(os.path.abspath(self.log_path)), exist_ok=True)
        with open(self.log_path, "w") as log:
            # Nothing of ours is inherited: a caller reading our stdout (a shell's $(...)) is not held open.
            self.process = subprocess.Popen([self.python, SERVER, "--port", "0"] + self.options, stdin=subprocess.DEVNULL,
                                            stdout=log, stderr=subprocess.STDOUT, env=child_env())
        self.pid = self.process.pid
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            with open(self.log_path) as handle:
                match = re.search(r"http://\S+/v2", handle.readline())
            if match:
                SandboxClient.__init__(self, match.group(0))
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError("the sandbox did not start; see %s" % self.log_path)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def child_env(env=None):
    """The environment for a child process, without this library's own entry in PYTHONPATH."""
    env = dict(os.environ if env is None else env)
    ours = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    kept = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and os.path.abspath(p) != ours]
    if kept:
        env["PYTHONPATH"] = os.pathsep.join(kept)
    else:
        env.pop("PYTHONPATH", None)
    return env


def stop_pid(pid, seconds=STOP_SECONDS):
    """Stop a sandbox started by another process (``python -m testkit sandbox start``) and wait until it is gone."""
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not running(pid):
            return
        time.sleep(0.05)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def running(pid):
    """Whether pid runs (a zombie, ended but not yet reaped by its new parent, does not)."""
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
