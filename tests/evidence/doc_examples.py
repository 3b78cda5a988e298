"""Doc examples: every playbook example in docs/guides/*.md runs against the sandbox, and the AWX data is checked.

    .venv/bin/python tests/evidence/doc_examples.py [--only NAME ...]

The guides' fenced blocks are read as follows:

* ```yaml starting with "# example: NAME": a complete playbook. It runs with ansible-playbook against
  a freshly reset sandbox, with only TELNYX_API_URL and TELNYX_API_KEY set, from a directory of its
  own. "# then-again: unchanged" in its first lines runs it twice; the second run must report
  changed=0 in the PLAY RECAP.
* ```yaml starting with "# file: NAME": a file the examples of that guide use (a verification tasks
  file); it is written beside each of them.
* any other ```yaml block: the content of a file in extensions/awx/, which it must match.

The AWX files are checked as data: the credential type's api_key input is secret, its injectors set
TELNYX_API_KEY and TELNYX_API_URL, and rendered with Jinja (as AWX renders them) for a credential with
and without an API URL the injected URL is never empty. Each job template names a playbook that exists
and the credential type above, and sets every variable of its playbook's vars_files (extra variables
replace those one variable at a time). The templates run in one place, the awx-runner step
(tests/testkit/awx.py): ansible-runner, as AWX runs them, twice.

No secret value the sandbox saw may appear in any run's output (testkit's leak search). Prints a table (guide, example, runs,
outcome) and exits 1 on any failure. The collection comes from TELNYX_COLLECTIONS_ROOT (default
build/collections).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

import yaml

from harness import ROOT, Sandbox, ansible_env, leaks, run_playbook, table
from testkit.awx import injected_env, wanted_state

GUIDES = os.path.join(ROOT, "docs", "guides")
AWX = os.path.join(ROOT, "extensions", "awx")
DEFAULT_URL = "https://api.telnyx.com/v2"
FENCE = re.compile(r"^```([A-Za-z0-9_-]*)[ \t]*\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.MULTILINE)
TIMEOUT = 600


class Block:
    """One fenced ```yaml block of a guide."""

    def __init__(self, guide, text):
        self.guide = guide
        self.text = text
        first = text.lstrip().splitlines()[0] if text.strip() else ""
        example = re.match(r"#\s*example:\s*(\S+)", first)
        support = re.match(r"#\s*file:\s*(\S+)", first)
        self.kind = "example" if example else "file" if support else "data"
        self.name = (example or support).group(1) if example or support else None
        head = "\n".join(text.splitlines()[:5])
        self.twice = bool(re.search(r"^#\s*then-again:\s*unchanged\s*$", head, re.MULTILINE))


def read_blocks(path):
    with open(path) as handle:
        content = handle.read()
    return [Block(os.path.basename(path), match.group(2)) for match in FENCE.finditer(content) if match.group(1) == "yaml"]


class Outcome:
    """The runs of one example or AWX file, and what went wrong."""

    def __init__(self, guide, name):
        self.guide, self.name = guide, name
        self.runs = 0
        self.problems = []
        self.outputs = []
        self.detail = ""

    @property
    def passed(self):
        return not self.problems

    def row(self):
        if self.passed:
            return (self.guide, self.name, self.runs, "passed" + (" (%s)" % self.detail if self.detail else ""))
        return (self.guide, self.name, self.runs, "FAILED: " + "; ".join(self.problems))


def play(outcome, args, env, cwd, want_unchanged=False):
    """Run ansible-playbook once; record problems with its exit code and PLAY RECAP."""
    started = time.monotonic()
    try:
        done = run_playbook(args, env, cwd=cwd, timeout=TIMEOUT)
        output, rc = done.stdout + done.stderr, done.returncode
    except subprocess.TimeoutExpired as exc:
        output, rc = "%s%s\n(timed out after %d s)" % (exc.stdout or "", exc.stderr or "", TIMEOUT), -1
    outcome.runs += 1
    outcome.outputs.append(output)
    label = "run %d" % outcome.runs
    recap = RECAP.findall(output)
    if rc != 0:
        outcome.problems.append("%s: ansible-playbook exited %d" % (label, rc))
    elif not recap:
        outcome.problems.append("%s: no PLAY RECAP" % label)
    for host, _ok, changed, unreachable, failed in recap:
        if int(failed) or int(unreachable):
            outcome.problems.append("%s: %s failed=%s unreachable=%s" % (label, host, failed, unreachable))
        if want_unchanged and int(changed):
            outcome.problems.append("%s (again): %s changed=%s, wanted 0" % (label, host, changed))
    return time.monotonic() - started


def base_env(sandbox):
    return ansible_env(sandbox.url, clean=True, ANSIBLE_RETRY_FILES_ENABLED="false")


def run_example(block, files, sandbox, workdir):
    """Run one guide example (twice with then-again: unchanged) from a directory of its own."""
    outcome = Outcome(block.guide, block.name)
    folder = os.path.join(workdir, block.guide[:-3], block.name)
    os.makedirs(folder)
    for name, text in files.items():
        with open(os.path.join(folder, name), "w") as handle:
            handle.write(text)
    path = os.path.join(folder, "playbook.yml")
    with open(path, "w") as handle:
        handle.write(block.text)
    try:
        plays = yaml.safe_load(block.text)
    except yaml.YAMLError as exc:
        outcome.problems.append("not YAML: %s" % str(exc).splitlines()[0])
        return outcome
    shape = [p for p in plays or [] if isinstance(p, dict)]
    if not shape or any(p.get("hosts") != "localhost" or p.get("connection") != "local" or p.get("gather_facts") is not False
                        for p in shape if "import_playbook" not in p and "ansible.builtin.import_playbook" not in p):
        outcome.problems.append("each play needs hosts: localhost, connection: local, gather_facts: false")
        return outcome
    sandbox.reset()
    env = base_env(sandbox)
    seconds = play(outcome, [path], env, folder)
    if block.twice and outcome.passed:
        seconds += play(outcome, [path], env, folder, want_unchanged=True)
    outcome.detail = "%.1f s%s" % (seconds, ", then unchanged" if block.twice and outcome.passed else "")
    return outcome


def check_credential_type(credential_type, outcome):
    problems = outcome.problems
    for key in ("name", "description", "kind", "inputs", "injectors"):
        if key not in credential_type:
            problems.append("no %s" % key)
    if problems:
        return
    if credential_type["kind"] != "cloud":
        problems.append("kind is %r, not cloud" % credential_type["kind"])
    fields = {f.get("id"): f for f in credential_type["inputs"].get("fields", [])}
    key, url = fields.get("api_key"), fields.get("api_url")
    if not key or key.get("secret") is not True or key.get("type") != "string" or not key.get("label"):
        problems.append("api_key must be a labelled string input with secret: true")
    if not url or url.get("type") != "string" or DEFAULT_URL not in str(url.get("help_text")):
        problems.append("api_url must be a string input whose help_text names %s" % DEFAULT_URL)
    if credential_type["inputs"].get("required") != ["api_key"]:
        problems.append("required must be [api_key]")
    env = credential_type["injectors"].get("env") or {}
    if sorted(env) != ["TELNYX_API_KEY", "TELNYX_API_URL"]:
        problems.append("injectors.env sets %s, not TELNYX_API_KEY and TELNYX_API_URL" % sorted(env))
        return
    cases = [({"api_key": "k"}, DEFAULT_URL), ({"api_key": "k", "api_url": ""}, DEFAULT_URL),
             ({"api_key": "k", "api_url": "https://x/v2"}, "https://x/v2")]
    for inputs, want in cases:
        got = injected_env(credential_type, inputs)
        if got["TELNYX_API_KEY"] != "k":
            problems.append("for %s TELNYX_API_KEY is %r" % (inputs, got["TELNYX_API_KEY"]))
        if not got["TELNYX_API_URL"].strip() or got["TELNYX_API_URL"] != want:
            problems.append("for %s TELNYX_API_URL is %r, wanted %r" % (inputs, got["TELNYX_API_URL"], want))
    outcome.detail = "secret key; URL never empty (default %s)" % DEFAULT_URL


def vars_files_of(playbook):
    """Every variable the playbook's vars_files define: extra variables must replace them all."""
    with open(playbook) as handle:
        plays = yaml.safe_load(handle)
    names = set()
    for entry in plays:
        for name in entry.get("vars_files", []):
            with open(os.path.join(os.path.dirname(playbook), name)) as handle:
                names.update(yaml.safe_load(handle) or {})
    return names


def check_job_template(template, credential_type, outcome):
    """Check the job template as data (the awx-runner step runs it)."""
    problems = outcome.problems
    for key in ("name", "project", "playbook", "inventory", "execution_environment", "credentials", "extra_vars"):
        if key not in template:
            problems.append("no %s" % key)
    if problems:
        return
    playbook = os.path.join(ROOT, template["playbook"])
    if not os.path.isfile(playbook):
        problems.append("playbook %s does not exist" % template["playbook"])
        return
    types = [c.get("credential_type") for c in template["credentials"]]
    if credential_type is None or credential_type.get("name") not in types:
        problems.append("credentials name credential type(s) %s, not the one in credential_type.yml" % types)
    missing = sorted(vars_files_of(playbook) - set(template["extra_vars"]))
    if missing:
        problems.append("extra_vars leave the example's value of %s in force" % ", ".join(missing))
    try:
        wanted_state(template)
    except (ValueError, KeyError, TypeError) as exc:
        problems.append("awx-runner cannot tell what the template must leave (tests/testkit/awx.py): %s" % exc)
    if not problems:
        outcome.detail = "data: %s, credential type %s; runs in awx-runner" % (template["playbook"], credential_type["name"])


def load_yaml(path):
    with open(path) as handle:
        return yaml.safe_load(handle)


def check_leaks(sandbox, outcomes):
    seen = sandbox.secrets()["secrets"]
    for outcome in outcomes:
        found = leaks.search(seen, [("run %d" % n, text) for n, text in enumerate(outcome.outputs, 1)])
        if found:
            outcome.problems.append("a secret value appears in the output: %s"
                                    % ", ".join(sorted({"%s... (%s)" % (leak.secret, leak.where) for leak in found})))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--only", nargs="*", default=[], help="run only the examples (or AWX files) of these names")
    options = parser.parse_args()
    started = time.monotonic()
    guides = sorted(glob.glob(os.path.join(GUIDES, "*.md")))
    blocks = [block for guide in guides for block in read_blocks(guide)]
    examples = [b for b in blocks if b.kind == "example"]
    awx_files = {os.path.basename(p): p for p in sorted(glob.glob(os.path.join(AWX, "*.yml")))}
    awx_data = {name: load_yaml(path) for name, path in awx_files.items()}
    shown_in = {}
    outcomes, problems = [], []

    for block in blocks:
        if block.kind != "data":
            continue
        data = yaml.safe_load(block.text)
        matches = [name for name, content in awx_data.items() if content == data]
        if matches:
            shown_in.setdefault(matches[0], block.guide)
        else:
            first = [line for line in block.text.splitlines() if line.strip() and not line.startswith(("#", "---"))][:1]
            problems.append("%s: a ```yaml block with neither '# example:' nor '# file:' that matches no file of "
                            "extensions/awx: %s" % (block.guide, (first or ["(empty)"])[0][:60]))
    names = [b.name for b in examples]
    problems += ["example name %s is used twice" % n for n in sorted({n for n in names if names.count(n) > 1})]

    workdir = tempfile.mkdtemp(prefix="doc-examples-")
    try:
        with Sandbox(log_path=os.path.join(workdir, "sandbox.out")) as sandbox:
            for block in examples:
                if options.only and block.name not in options.only:
                    continue
                files = {b.name: b.text for b in blocks if b.kind == "file" and b.guide == block.guide}
                outcomes.append(run_example(block, files, sandbox, workdir))
                print("%-20s %-32s %s" % (block.guide, block.name, outcomes[-1].row()[3]), flush=True)
            credential_type = awx_data.get("credential_type.yml")
            for name in sorted(awx_data):
                if options.only and name not in options.only:
                    continue
                outcome = Outcome(shown_in.get(name, "extensions/awx"), name)
                if name == "credential_type.yml":
                    check_credential_type(awx_data[name], outcome)
                elif name.startswith("job_template_"):
                    check_job_template(awx_data[name], credential_type, outcome)
                else:
                    outcome.problems.append("no check is known for this file")
                outcomes.append(outcome)
                print("%-20s %-32s %s" % (outcome.guide, outcome.name, outcome.row()[3]), flush=True)
            check_leaks(sandbox, outcomes)
        if "credential_type.yml" not in awx_data:
            problems.append("extensions/awx/credential_type.yml is missing")
        failed = [o for o in outcomes if not o.passed]
        for outcome in failed:
            print("\n== %s / %s: %s" % (outcome.guide, outcome.name, "; ".join(outcome.problems)))
            for number, output in enumerate(outcome.outputs, 1):
                print("-- run %d, last lines:\n%s" % (number, "\n".join(output.strip().splitlines()[-40:])))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(table(["guide", "example", "runs", "outcome"], [o.row() for o in outcomes]))
    for problem in problems:
        print("PROBLEM " + problem)
    passed = sum(1 for o in outcomes if o.passed)
    failures = len(outcomes) - passed + len(problems)
    data = sum(1 for o in outcomes if o.name in awx_data)
    print("doc_examples: wall time %.0f s" % (time.monotonic() - started))
    print("doc_examples: %d examples run and %d AWX files checked as data, in %d guides; %d passed, %d failed"
          % (len(outcomes) - data, data, len(guides), passed, failures))
    return 1 if failures or not outcomes else 0


if __name__ == "__main__":
    sys.exit(main())
