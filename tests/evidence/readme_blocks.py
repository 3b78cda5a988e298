"""Every shell and YAML block of the README runs, verbatim, as a newcomer would run it.

    .venv/bin/python tests/evidence/readme_blocks.py      (scripts/test.sh runs it)

The blocks run in their order, in one bash session, in a scratch copy of the checkout with an empty HOME
and no venv on PATH: a fresh machine. A YAML block is the file its first line names (``# site.yml``),
written where the next shell block can use it. One line is not run: the test command itself, which is what
is running this. Prints each block's outcome and time, then a last line ``readme: ...``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time

from harness import ROOT, copy_checkout

FENCE = re.compile(r"^```(sh|yaml)\n(.*?)^```", re.S | re.M)
NAMED = re.compile(r"#\s*(\S+\.ya?ml)\b")
THE_TEST_COMMAND = "bash scripts/test.sh"


def blocks(text):
    """(kind, body, README line) of every sh and yaml block."""
    return [(m.group(1), m.group(2), text.count("\n", 0, m.start()) + 1) for m in FENCE.finditer(text)]


def as_script(kind, body):
    """A block as bash: shell lines as they are (bar the test command), a YAML block written to its file."""
    if kind == "yaml":
        name = NAMED.match(body.splitlines()[0])
        if not name:
            raise ValueError("a YAML block must name its file on its first line, such as '# site.yml'")
        return "cat > %s <<'README_YAML'\n%sREADME_YAML\n" % (name.group(1), body)
    lines = [line for line in body.splitlines() if not line.strip().startswith(THE_TEST_COMMAND)]
    return "\n".join(lines) + "\n"


def fresh_environment(home):
    """The caller's environment without any venv or collection path: what a new shell on this machine has."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ANSIBLE_", "TELNYX_", "VIRTUAL_ENV", "PYTHON")) and k not in ("HOME", "PATH")}
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and "/.venv" not in p]
    env.update(HOME=home, PATH=os.pathsep.join(path))
    return env


def main():
    text = open(os.path.join(ROOT, "README.md"), encoding="utf-8").read()
    found = blocks(text)
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="readme-") as scratch:
        checkout, home = os.path.join(scratch, "checkout"), os.path.join(scratch, "home")
        os.makedirs(home)
        # The files git sees (tracked, and untracked but not ignored), in a git repository of their own.
        copy_checkout(checkout)
        env = fresh_environment(home)
        session = ["set -euo pipefail"]
        failed = None
        for index, (kind, body, line) in enumerate(found, 1):
            session.append("echo '== README block %d (line %d)'" % (index, line))
            session.append(as_script(kind, body))
        # One session, so that what a block exports (the one line of scripts/env.sh) reaches the next ones.
        session.append("bash scripts/env.sh --stop")
        begin = time.monotonic()
        run = subprocess.run(["bash", "-c", "\n".join(session)], cwd=checkout, env=env, capture_output=True,
                             text=True, check=False)
        print(run.stdout[-20000:])
        if run.returncode != 0:
            failed = run.stderr[-4000:]
            subprocess.run(["bash", "scripts/env.sh", "--stop"], cwd=checkout, env=env, capture_output=True,
                           check=False)
        demo = re.search(r"== demo took (\d+) s", run.stdout)
        if failed is not None:
            last = re.findall(r"== README block (\d+) \(line (\d+)\)", run.stdout)
            where = "block %s (README line %s)" % last[-1] if last else "before the first block"
            print("readme: FAILED at %s, after %.0f s:\n%s" % (where, time.monotonic() - begin, failed))
            return 1
    print("readme: %d blocks (%s) ran verbatim in a scratch checkout with an empty HOME, in %.0f s%s"
          % (len(found), ", ".join("%d %s" % (sum(1 for b in found if b[0] == k), k) for k in ("sh", "yaml")),
             time.monotonic() - started, "; the cold demo took %s s" % demo.group(1) if demo else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
