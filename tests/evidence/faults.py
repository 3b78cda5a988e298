"""Fault suite: every module that writes, against the sandbox, under each fault the API can throw.

    .venv/bin/python tests/evidence/faults.py [--only MODULE ...] [--paths module controller]
    (scripts/test.sh runs it)

For each module there is a write to make (create, or delete where the scenario is about DELETE),
and two objects seeded beside it: a bystander the run must not touch, and one to delete. After
each scenario the sandbox state is checked: the object asked for exists at most once (exactly once
if the module succeeded), the bystander is unchanged, nothing else went missing. The run must end
in success or in one clear line. Prints a table (module x path x scenario -> outcome) and exits non-zero
on any duplicate, loss, unasked change, traceback, unclear failure, or a failure where the
scenario must succeed (retried faults).

Every scenario runs on both paths a module may take, judged the same way: as a module process, and as the
action plugin runs it for a task on a local connection (testkit's on_controller.py, in a Python of its own:
the sandbox is stopped mid-run and a run may be cut off at its timeout, neither of which this process should share).

Most of the time is waiting (Retry-After, delays, timeouts), so the modules run at once, a few
workers each with a sandbox of its own (testkit.parallel); each module's scenarios on one path run in order.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import sys
import tempfile
import threading
import time

from harness import (ADDRESS, API_KEY, LOGS, PATHS, SAML_SETTINGS as SETTINGS, ControllerForks, Sandbox, leaks, module_env,
                     run_module, run_groups, table)

# Twice the groups of one path, and most of their time waiting (Retry-After, delays): more workers than the default.
WORKERS = int(os.environ.get("TESTKIT_WORKERS", "6"))


def seeds(kind, key, extra=None):
    extra = extra or {}
    return {kind: [dict(extra, **{key: "bystander"}), dict(extra, **{key: "doomed"})]}


# module: (state key, natural key, seed, create args, name made, delete args, name deleted)
# A name of None means the write makes no object of its own (a token, an acceptance).
MODULES = {
    "billing_group": ("billing_groups", "name", seeds("billing_groups", "name"),
                      {"name": "made"}, "made", {"name": "doomed", "state": "absent"}, "doomed"),
    "resource_set": ("billing_groups", "name", seeds("billing_groups", "name"),
                     {"type": "billing_group", "items": [{"name": "made"}, {"name": "made-too"}]}, "made",
                     {"type": "billing_group", "items": [{"name": "doomed", "state": "absent"}]}, "doomed"),
    "access_ip_address": ("access_ip_address", "ip_address",
                          {"access_ip_address": [{"ip_address": "192.0.2.1"}, {"ip_address": "198.51.100.9"}]},
                          {"ip_address": "203.0.113.5"}, "203.0.113.5",
                          {"ip_address": "198.51.100.9", "state": "absent"}, "198.51.100.9"),
    "access_ip_allowlist": ("access_ip_address", "ip_address",
                            {"access_ip_address": [{"ip_address": "192.0.2.1"}, {"ip_address": "198.51.100.9"}]},
                            {"entries": ["192.0.2.1", "198.51.100.9", "203.0.113.5"]}, "203.0.113.5",
                            {"entries": ["192.0.2.1"], "purge": True}, "198.51.100.9"),
    "access_ip_range": ("access_ip_ranges", "cidr_block",
                        {"access_ip_ranges": [{"cidr_block": "10.1.0.0/16"}, {"cidr_block": "10.9.0.0/16"}]},
                        {"cidr_block": "10.5.0.0/16"}, "10.5.0.0/16",
                        {"cidr_block": "10.9.0.0/16", "state": "absent"}, "10.9.0.0/16"),
    "address": ("addresses", "customer_reference", seeds("addresses", "customer_reference", ADDRESS),
                dict(ADDRESS, customer_reference="made"), "made", {"customer_reference": "doomed", "state": "absent"}, "doomed"),
    "address_accept_suggestions": ("addresses", "customer_reference", seeds("addresses", "customer_reference", ADDRESS),
                                   {"id": "@doomed"}, None, None, None),
    "authentication_provider": ("authentication_providers", "short_name",
                                seeds("authentication_providers", "short_name", {"name": "SSO", "settings": SETTINGS}),
                                {"short_name": "made", "name": "Made", "settings": SETTINGS}, "made",
                                {"short_name": "doomed", "state": "absent"}, "doomed"),
    "integration_secret": ("integration_secrets", "identifier", seeds("integration_secrets", "identifier", {"token": "t"}),
                           {"identifier": "made", "type": "bearer", "token": "fault-suite-token"}, "made",
                           {"identifier": "doomed", "state": "absent"}, "doomed"),
    "telephony_credential": ("telephony_credentials", "name",
                             seeds("telephony_credentials", "name", {"resource_id": "connection:42"}),
                             {"name": "made", "connection_id": "42"}, "made", {"name": "doomed", "state": "absent"}, "doomed"),
    "telephony_credential_token": ("telephony_credentials", "name",
                                   seeds("telephony_credentials", "name", {"resource_id": "connection:42"}),
                                   {"name": "doomed", "return_token": True}, None, None, None),
}

# The natural keys of the bystander and of the object to delete, where they are not those names.
IP_NAMES = ("192.0.2.1", "198.51.100.9")
NAMES = {"access_ip_address": IP_NAMES, "access_ip_allowlist": IP_NAMES, "access_ip_range": ("10.1.0.0/16", "10.9.0.0/16")}
# The options of the writes above whose values are secrets: with the key, what no output may show.
SECRET_OPTIONS = ("token",)
ID_SEGMENT = re.compile(r"/[^/]*[0-9][^/]*")

# (scenario, faults, write: create|delete, extra module args, must succeed)
SCENARIOS = [
    ("429 burst, Retry-After", [dict(status=429, retry_after=1, times=3)], "create", {}, True),
    ("429, x-ratelimit-reset only", [dict(status=429, ratelimit_reset=1, times=2)], "create", {}, True),
    ("503 on GET", [dict(method="GET", status=503, times=2)], "create", {}, True),
    ("503 on DELETE", [dict(method="DELETE", status=503, times=2)], "delete", {}, True),
    ("503 after POST acted", [dict(method="POST", status=503, after_effect=True)], "create", {}, False),
    ("drop after POST acted", [dict(method="POST", drop=True, after_effect=True)], "create", {}, False),
    ("POST answer beyond timeout", [dict(method="POST", delay_ms=2500)], "create", {"timeout": 1}, False),
    ("malformed JSON body", [dict(method="GET", status=200, body="{\"data\": [")], "create", {}, False),
    ("401 wrong key", [], "create", {"api_key": "wrong-key"}, False),
    ("403 forbidden", [dict(status=403)], "create", {}, False),
    ("sandbox stopped mid-run", "stop", "create", {}, False),
]


def live(state, kind):
    return [o for o in state.get(kind, []) if not o.get("deleted_at")]


def named(objects, key, name):
    return [o for o in objects if o.get(key) == name]


def sent(sandbox):
    """The API requests the sandbox received, comparable across sandboxes: method, path with every segment holding a
    digit (an object's id) as {id}, and status; sorted, since a set's parallel writes arrive in any order."""
    return sorted("%s %s %s" % (r["method"], ID_SEGMENT.sub("/{id}", r["path"]), r["status"]) for r in sandbox.requests())


def leaked(run, args):
    """A secret the run was given (the key, a secret option) found in its output: one problem each."""
    given = [args.get("api_key") or API_KEY] + [args[option] for option in SECRET_OPTIONS if args.get(option)]
    return ["LEAK: a secret (%s...) appears in %s" % (leak.secret, leak.where)
            for leak in leaks.search(given, [("the output", run.text())])]


class Suite:
    """One worker's sandbox (restarted from its state file after the stop scenario), a context manager."""

    workers = itertools.count(1)
    forks = None  # the controller path's fork server (testkit.controller_forks), one for every worker

    def __init__(self):
        self.workdir = None
        self.sandbox = None
        self.log_path = os.path.join(LOGS, "sandbox-faults-%d.out" % next(self.workers))

    def __enter__(self):
        self.workdir = tempfile.mkdtemp(prefix="fault-suite-")
        self.start()
        return self

    def __exit__(self, *exc):
        if self.sandbox is not None:
            self.sandbox.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)

    def start(self):
        self.sandbox = Sandbox("--state", os.path.join(self.workdir, "state.json"), "--access-ip-settle-ms", "0",
                               log_path=self.log_path).start()

    def prepare(self, module):
        kind, key, seed = MODULES[module][:3]
        self.sandbox.reset()
        seeded = self.sandbox.seed(seed)[kind]
        self.sandbox.clear_log()
        return {o[key]: o for o in seeded}

    def args_for(self, module, write, seeded):
        entry = MODULES[module]
        args = dict(entry[3] if write == "create" else entry[5])
        if args.get("id") == "@doomed":
            args["id"] = seeded["doomed"]["id"]  # address_accept_suggestions: the seeded address
        return args

    def module_run(self, module, args, path):
        """The module's run against this worker's sandbox; on the controller path a fork of the suite's server."""
        command = self.forks.command(module) if path == "controller" else None
        return run_module(module, args, url=self.sandbox.url, path=path, command=command)

    def run(self, module, path, scenario):
        """One scenario of one module on one path (module process or controller): (outcome, problems, the requests
        the run sent as sent() gives them, or None where they are not comparable across runs)."""
        name, faults, write, extra, must_succeed = scenario
        kind, key, _seed, _create, made, delete_args, deleted = MODULES[module]
        if write == "delete" and delete_args is None:
            return "n/a", [], None
        seeded = self.prepare(module)
        args = dict(self.args_for(module, write, seeded), **extra)
        requests = None  # the sandbox stopped mid-run: where it stops is a race, and it forgets what it received
        if faults == "stop":
            run = self.run_and_stop(module, path, args)
        else:
            for fault in faults:
                self.sandbox.fault(**fault)
            run = self.module_run(module, args, path)
            requests = sent(self.sandbox)
        after = live(self.sandbox.state(), kind)
        names = NAMES.get(module, ("bystander", "doomed"))
        outcome, problems = self.judge(run, after, key, names, seeded, made if write == "create" else None,
                                       deleted if write == "delete" else None, must_succeed)
        problems += leaked(run, args)
        if faults == "stop" and not problems:
            rerun = self.module_run(module, args, path)
            after = live(self.sandbox.state(), kind)
            again, problems = self.judge(rerun, after, key, names, seeded, made, None, True)
            problems += leaked(rerun, args)
            outcome = "%s; re-run %s" % (outcome, again)
        if problems:
            return ("PROBLEM: " + "; ".join(problems),
                    ["%s / %s path / %s: %s" % (module, path, name, p) for p in problems], requests)
        return outcome, [], requests

    def run_and_stop(self, module, path, args):
        """Stop the sandbox while the module's first POST is in flight, then start it again from its state file."""
        self.sandbox.fault(method="POST", delay_ms=1500)
        ended = threading.Event()
        stopper = threading.Thread(target=self.stop_when_held, args=(self.sandbox, ended))
        stopper.start()
        try:
            run = self.module_run(module, dict(args, max_retries=1), path)
        finally:
            ended.set()
            stopper.join()
        self.start()
        return run

    @staticmethod
    def stop_when_held(sandbox, ended, seconds=60):
        """Stop the sandbox once the delayed POST has arrived (the sandbox logs a request before its delay), or once
        the module has ended without one: not at a fixed time, which a busy machine could make too early."""
        deadline = time.monotonic() + seconds
        while not ended.is_set() and time.monotonic() < deadline:
            if any(e["method"] == "POST" and e["fault"] == "delay" for e in sandbox.requests()):
                break
            time.sleep(0.02)
        sandbox.stop()

    @staticmethod
    def judge(run, after, key, names, seeded, made, deleted, must_succeed):
        problems = []
        if run.traceback:
            problems.append("traceback or no JSON result: " + run.text()[-200:].replace("\n", " | "))
        elif run.failed and ("\n" in run.message or not run.message.strip()):
            problems.append("unclear failure message: %r" % run.message[:200])
        elif run.failed and must_succeed:
            problems.append("failed where retries must carry it: " + run.message[:160])
        if made is not None:
            count = len(named(after, key, made))
            if count > 1:
                problems.append("DUPLICATE: %d objects named %s" % (count, made))
            elif count == 0 and not run.failed:
                problems.append("succeeded but %s was not made" % made)
        if deleted is not None and not run.failed and named(after, key, deleted):
            problems.append("succeeded but %s is still there" % deleted)
        bystander = named(after, key, names[0])
        if len(bystander) != 1:
            problems.append("LOST: the bystander is gone")
        elif bystander[0] != seeded[names[0]]:
            problems.append("CHANGED: the bystander was changed")
        if deleted is None and not named(after, key, names[1]):
            problems.append("LOST: an object the run was not asked to delete is gone")
        if problems:
            return None, problems
        return ("failed: " + run.message[:70]) if run.failed else ("ok (changed)" if run.result.get("changed") else "ok"), []


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--only", nargs="*", choices=sorted(MODULES), help="modules to run (default: all)")
    parser.add_argument("--paths", nargs="*", choices=PATHS, default=list(PATHS), help="paths to run (default: both)")
    options = parser.parse_args()
    modules = options.only or list(MODULES)
    started = time.monotonic()
    # One group per module and path: a module's scenarios run in order on one sandbox, each path on its own.
    groups = [[(module, path, scenario) for scenario in SCENARIOS] for module in modules for path in options.paths]
    with ControllerForks(module_env()) as Suite.forks:
        results = [result for group in run_groups(groups, lambda suite, case: suite.run(*case), Suite, WORKERS)
                   for result in group]
    cases = list(zip(sum(groups, []), results))
    rows = [[module, path, scenario[0], outcome] for (module, path, scenario), (outcome, dummy, dummy2) in cases]
    problems = [problem for dummy, found, dummy2 in results for problem in found] + differences(cases)
    print(table(["module", "path", "scenario", "outcome"], rows))
    runs = sum(1 for row in rows if row[3] != "n/a")
    print("faults: %d scenarios x %d modules on %d paths (%s) = %d runs in %.0f s; %d problems"
          % (len(SCENARIOS), len(modules), len(options.paths), " and ".join(options.paths), runs,
             time.monotonic() - started, len(problems)))
    for problem in problems:
        print("PROBLEM " + problem)
    return 1 if problems else 0


def differences(cases):
    """Where one scenario made the paths send different requests: the same work must be done either way."""
    by_case = {}
    for (module, path, scenario), (dummy, dummy2, requests) in cases:
        if requests is not None:
            by_case.setdefault((module, scenario[0]), {})[path] = requests
    problems = []
    for (module, name), sent_by in sorted(by_case.items()):
        if len({tuple(r) for r in sent_by.values()}) > 1:
            problems.append("%s / %s: the paths sent different requests: %s" % (module, name, "; ".join(
                "%s %s" % (path, ", ".join(requests)) for path, requests in sorted(sent_by.items()))))
    return problems


if __name__ == "__main__":
    sys.exit(main())
