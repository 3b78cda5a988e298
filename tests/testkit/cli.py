"""The command line of the test-tool library, for the bash callers (scripts/*.sh, the targets' runme.sh).

    python -m testkit sandbox start --log LOG [--python PY] [-- SERVER OPTION...]   prints "URL PID"
    python -m testkit sandbox stop PID
    python -m testkit sandbox reset|clear|state|requests|secrets|summary           (the sandbox at $SANDBOX_BASE)
    python -m testkit sandbox live KIND [--field F]    the field (default name) of KIND's live objects, sorted
    python -m testkit sandbox count [--writes]         the requests logged (or those that could write)
    python -m testkit tree DEST                        the collection tree under DEST; prints its directory
    python -m testkit json-field FILE KEY              one top-level value of a JSON file
    python -m testkit awx-run COLLECTION PRIVATE LOG   every AWX job template, twice (scripts/test.sh awx_runner)
    python -m testkit live config FILE PREFIX          scripts/live.sh live_mode
    python -m testkit live-proof seed|clear|fault|check|secrets|summary WORK ...   scripts/live.sh live_proof
    python -m testkit leak-check watch|made|search ... the leak_check target

Every failure is one line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import urllib.error

from . import awx, leak_check, live_proof
from .sandbox import Sandbox, SandboxClient, stop_pid, summary
from .tree import collection_tree

SANDBOX_CONTROLS = ("reset", "clear", "state", "requests", "secrets", "summary")


class Failure(Exception):
    """A check that did not hold: its lines are printed, the exit code is 1."""


def client(options):
    base = options.base or os.environ.get("SANDBOX_BASE")
    if not base:
        raise Failure("no sandbox: give --base URL or set SANDBOX_BASE")
    return SandboxClient(base)


def show(value):
    print(json.dumps(value, indent=1, sort_keys=True))


def sandbox_command(options):
    if options.action == "start":
        sandbox = Sandbox(*options.server_options, log_path=options.log, api_key=None,
                          python=options.python or sys.executable).start()
        print(sandbox.url, sandbox.pid)
    elif options.action == "stop":
        stop_pid(int(options.args[0]))
    elif options.action == "live":
        print(" ".join(sorted(str(o.get(options.field)) for o in client(options).live(options.args[0]))))
    elif options.action == "count":
        sandbox = client(options)
        print(len(sandbox.writes() if options.writes else sandbox.requests()))
    else:
        sandbox = client(options)
        calls = {"reset": sandbox.reset, "clear": sandbox.clear_log, "state": sandbox.state, "requests": sandbox.requests,
                 "secrets": sandbox.secrets, "summary": lambda: summary(sandbox)}
        answer = calls[options.action]()
        if isinstance(answer, str):
            print(answer)
        elif answer is not None:
            show(answer)


def json_field(options):
    with open(options.file) as handle:
        print(json.load(handle)[options.key])


def awx_run(options):
    report(*awx.run_templates(os.path.abspath(options.collection), os.path.abspath(options.private), options.log))


def live(options):
    path, prefix = options.args
    live_proof.write_config(path, prefix)


def live_proof_command(options):
    work, args = options.args[0], options.args[1:]
    if options.action == "summary":
        print(live_proof.summary(work, args[0]))
        return
    sandbox = client(options)
    if options.action == "seed":
        print(live_proof.seed(sandbox, work, args))
    elif options.action == "clear":
        sandbox.clear_log()
    elif options.action == "fault":
        sandbox.fault(**json.loads(args[0]))
    elif options.action == "check":
        problems, line = live_proof.check(sandbox, work, *args)
        report(["live_proof: " + p for p in problems], line)
    elif options.action == "secrets":
        live_proof.dump(sandbox.secrets(), work, "secrets.json")


def leak_check_command(options):
    if options.action == "watch":
        leak_check.watch(*options.args)
    elif options.action == "made":
        problems, passwords = leak_check.made(client(options).state())
        if problems:
            raise Failure("\n".join("FAILED: " + p for p in problems))
        print("\n".join(passwords))
    else:
        # The secrets arrive on descriptor 3, one a line: no file of them to search or to keep out.
        with os.fdopen(3, encoding="utf-8") as handle:
            secrets = [line for line in handle.read().splitlines() if line]
        report(*leak_check.search(options.args[0], secrets))


def report(problems, line):
    """Print the figures line (if any) after the problems; the problems make it a failure."""
    for problem in problems:
        print(problem)
    if line:
        print(line)
    if problems or not line:
        raise Failure("")


def parser():
    top = argparse.ArgumentParser(prog="python -m testkit", description=__doc__.splitlines()[0])
    top.add_argument("--base", help="the sandbox's base URL (default: $SANDBOX_BASE)")
    commands = top.add_subparsers(dest="command", required=True)

    sandbox = commands.add_parser("sandbox", help="start, stop or call the control endpoints of a sandbox")
    sandbox.add_argument("action", choices=("start", "stop", "live", "count") + SANDBOX_CONTROLS)
    sandbox.add_argument("args", nargs="*")
    sandbox.add_argument("--log", help="start: the server's output file")
    sandbox.add_argument("--python", help="start: the Python that runs the server (default: this one)")
    sandbox.add_argument("--field", default="name", help="live: the field to print")
    sandbox.add_argument("--writes", action="store_true", help="count: only the requests that could write")
    sandbox.set_defaults(run=sandbox_command)

    tree = commands.add_parser("tree", help="copy the collection into DEST/ansible_collections/telnyx/account_access")
    tree.add_argument("dest")
    tree.set_defaults(run=lambda options: print(collection_tree(options.dest)))

    field = commands.add_parser("json-field", help="print one top-level value of a JSON file")
    field.add_argument("file")
    field.add_argument("key")
    field.set_defaults(run=json_field)

    runner = commands.add_parser("awx-run", help="run every job template of COLLECTION's extensions/awx as AWX would")
    runner.add_argument("collection", help="the installed collection's directory")
    runner.add_argument("private", help="where ansible-runner's private data directories go (emptied)")
    runner.add_argument("log", help="the sandbox's output file")
    runner.set_defaults(run=awx_run)

    for name, run, actions in (("live", live, ("config",)),
                               ("live-proof", live_proof_command, ("seed", "clear", "fault", "check", "secrets", "summary")),
                               ("leak-check", leak_check_command, ("watch", "made", "search"))):
        command = commands.add_parser(name)
        command.add_argument("action", choices=actions)
        command.add_argument("args", nargs="*")
        command.set_defaults(run=run)
    return top


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    # sandbox start: what follows "--" goes to the server as it is.
    server_options = argv[argv.index("--") + 1:] if "--" in argv else []
    argv = argv[:argv.index("--")] if "--" in argv else argv
    options = parser().parse_args(argv)
    options.server_options = server_options
    if options.command == "sandbox" and options.action == "start" and not options.log:
        return fail("sandbox start needs --log FILE")
    try:
        options.run(options)
    except Failure as exc:
        return fail(str(exc))
    except urllib.error.HTTPError as exc:
        return fail("the sandbox answered %s %s to %s" % (exc.code, exc.reason, exc.url))
    except urllib.error.URLError as exc:
        return fail("cannot reach the sandbox: %s" % exc.reason)
    except (OSError, RuntimeError, ValueError, KeyError, IndexError, TypeError) as exc:
        return fail("%s: %s" % (type(exc).__name__, exc))
    return 0


def fail(message):
    if message:
        print("testkit: " + message, file=sys.stderr)
    return 1
