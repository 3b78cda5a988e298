"""Shared frame of the evidence suites: a sandbox of their own, and modules run as Ansible runs them.

A module runs as a child Python process given ``{"ANSIBLE_MODULE_ARGS": ...}`` on stdin, the way
AnsiballZ hands it its arguments, from the collection tree that ``scripts/lib.sh`` syncs into
``build/collections``. That is the module's own code path, a second or so faster than a playbook.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COLLECTIONS = os.environ.get("TELNYX_COLLECTIONS_ROOT", os.path.join(ROOT, "build", "collections"))
API_KEY = "sandbox-key"
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|MODULE FAILURE|\bException\b.*\n\s+File ")


class Sandbox:
    """The local Telnyx stand-in, started on a free port with the given server options."""

    def __init__(self, *options, log_path=None):
        self.options = list(options)
        self.log_path = log_path or os.path.join(ROOT, "build", "logs", "sandbox-evidence.out")
        self.process = None
        self.url = self.base = None

    def start(self):
        os.makedirs(os.path.dirname(self.log_path), exist_ok=True)
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen([sys.executable, os.path.join(ROOT, "tests", "sandbox", "server.py"),
                                         "--port", "0", "--api-key", API_KEY] + self.options,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        for dummy in range(200):
            with open(self.log_path) as handle:
                match = re.search(r"http://\S+/v2", handle.readline())
            if match:
                self.url = match.group(0)
                self.base = self.url[:-len("/v2")]
                return self
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        raise RuntimeError("the sandbox did not start; see %s" % self.log_path)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=10) as reply:
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

    def clear_log(self):
        self.control("DELETE", "/_sandbox/requests")

    def state(self):
        return self.control("GET", "/_sandbox/state")


def run_module(name, args, url=None, api_key=API_KEY, check_mode=False, timeout=120):
    """Run one module; return a Run with its result (None if its output was not JSON)."""
    module_args = dict(args)
    if url is not None:
        module_args.setdefault("api_url", url)
    if api_key is not None:
        module_args.setdefault("api_key", api_key)
    if check_mode:
        module_args["_ansible_check_mode"] = True
    env = dict(os.environ, PYTHONPATH=COLLECTIONS)
    env.pop("TELNYX_API_KEY", None)
    env.pop("TELNYX_API_URL", None)
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-m", "ansible_collections.telnyx.account_access.plugins.modules." + name],
                              input=json.dumps({"ANSIBLE_MODULE_ARGS": module_args}), capture_output=True,
                              text=True, env=env, timeout=timeout, check=False)
        stdout, stderr, rc = done.stdout, done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        stdout, stderr, rc = exc.stdout or "", (exc.stderr or "") + "\n(timed out)", -1
    return Run(name, stdout, stderr, rc, time.monotonic() - started)


class Run:
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


def table(headers, rows):
    """A plain-text table, for the suites' printed figures."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows)]

    def line(cells):
        return "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths])] + [line(r) for r in rows])
