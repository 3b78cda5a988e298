"""The leak_check integration target's helpers: a watcher that copies async job files as they change, what the
sandbox made (with the checks that the secrets reached it), and the search of the run's files for every secret."""

from __future__ import annotations

import os
import signal
import sys
import time

from .leaks import files_under, read_each, read_text, search as search_leaks

# Files that hold a secret on purpose: token files, the vars file, the list of what the sandbox made.
KEPT = ("*.jwt", "*.opt-in", "secrets.yml", "made.txt", "optin-jobs.txt")


def watch(source, copies, interval=0.02):
    """Copy every new content of every file in source to copies/<name>.<n>, until SIGTERM (then one last sweep)."""
    seen = set()

    def sweep():
        for name in os.listdir(source):
            try:
                with open(os.path.join(source, name), "rb") as handle:
                    data = handle.read()
            except OSError:  # renamed or deleted between the listing and the read
                continue
            if (name, data) not in seen:
                seen.add((name, data))
                with open(os.path.join(copies, "%s.%d" % (name, len(seen))), "wb") as handle:
                    handle.write(data)

    def stop(*dummy):
        sweep()
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    while True:
        sweep()
        time.sleep(interval)


def made(state):
    """The SIP passwords the sandbox made, after checking that the play's secrets reached it: (problems, passwords)."""
    stored = {s["identifier"]: s for s in state["integration_secrets"]}
    expected = [("leak_bearer", "token", "leak-token-6a1f0c9e", "the bearer secret did not reach the API"),
                ("leak_basic", "password", "leak-password-93c1e5", "the basic secret did not reach the API"),
                ("leak_role", "token", "leak-recreate-token-4f19d2", "the rotation did not replace the role's secret"),
                ("leak_rotated_v1", "token", "leak-rotation-token-8c3e41", "the rotation did not make its new version"),
                ("leak_adhoc_number", "token", "5550012399887", "the ad hoc numeric secret did not reach the API"),
                ("leak_adhoc", "token", "leak-adhoc-token-0e5a61", "the ad hoc secret did not reach the API")]
    for poll in (0, 2):
        expected += [("leak_async_number_%d" % poll, "token", "8842193377123", "a numeric secret did not reach the API"),
                     ("leak_async_unicode_%d" % poll, "password", "leak-pässwörd-ƒ∂ß-日本-41", "a unicode secret was mangled"),
                     ("leak_async_accepted_%d" % poll, "token", "8842193377123",
                      "the create beside the refused one was not made")]
    problems = [message for identifier, field, value, message in expected
                if stored.get(identifier, {}).get(field) != value]
    problems += ["the refused create was made (leak_async_refused_%d)" % poll for poll in (0, 2)
                 if "leak_async_refused_%d" % poll in stored]
    return problems, [credential["sip_password"] for credential in state["telephony_credentials"]]


def job_of(copy):
    """The job a watcher copy belongs to: copies are <job file>.<n>; a file being written is <job file>.tmp."""
    name = os.path.basename(copy).rsplit(".", 1)[0]
    return name[:-4] if name.endswith(".tmp") else name


def search(out, secrets):
    """Every file under out (bar those kept on purpose) searched for every secret, however short (the target
    chose each): (problems, figures line)."""
    files = files_under(out, KEPT)
    problems = ["LEAK: secret %d (%s...) appears in %s at line(s) %s"
                % (leak.number, leak.secret, leak.where, " ".join(str(n) for n in leak.lines[:5]))
                for leak in search_leaks(secrets, read_each(files, lambda path: os.path.relpath(path, out)), min_length=1)]
    async_dir, seen_dir = os.path.join(out, "async"), os.path.join(out, "async-seen")
    jobs = [p for p in files if os.path.dirname(p) in (async_dir, seen_dir)]
    # The copies of job files Ansible deleted after polling them to their end (poll > 0): only the watcher saw them.
    left = set(os.listdir(async_dir))
    caught = [p for p in jobs if os.path.dirname(p) == seen_dir and job_of(p) not in left]
    stubs = [p for p in jobs if '"started"' in read_text(p)[:200]]  # a job's first word, not its result
    running = [os.path.basename(p) for p in stubs if os.path.dirname(p) == async_dir]
    if running:
        return problems + ["FAILED: job files without their result, jobs still running: %s" % " ".join(running)], None
    trees = [p for p in files if "/tree-" in p]
    lines = {name: len(read_text(os.path.join(out, name)).splitlines()) for name in ("run.txt", "ansible.log")}
    if not jobs or len(jobs) == len(stubs) or not trees or not lines["ansible.log"]:
        return problems + ["FAILED: no job file, no finished job, no tree file or an empty log: nothing to search"], None
    line = ("leak_check: %d lines at -vvvv --diff, %d lines of log file, %d async job files (%d with a result; %d caught "
            "while Ansible polled), %d tree files, %d files in all; %d secrets searched, %d found"
            % (lines["run.txt"], lines["ansible.log"], len(jobs), len(jobs) - len(stubs), len(caught), len(trees),
               len(files), len(secrets), len(problems)))
    return problems, line
