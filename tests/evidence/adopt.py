"""The adoption guide, run: export an account, bootstrap it back (nothing changes), purge, and catch drift.

    .venv/bin/python tests/evidence/adopt.py      (scripts/test.sh runs it)

A sandbox is seeded with two or more objects of every type: a unicode name, IPv6 entries, an address without a
customer reference, a basic and a bearer secret, credentials with a tag and an expiry. The ```sh blocks of
docs/guides/adopting.md that start with "# step: NAME" then run in order, verbatim, with bash, in a scratch
directory holding the collection's playbooks, with only TELNYX_API_URL and TELNYX_API_KEY set. After each step
the suite checks the sandbox and the files:

* export: the file exists with mode 0600, says where it came from, and holds no secret value the sandbox knows;
  nothing was written.
* review: the bootstrap in check mode and the drift check both pass, and nothing was written; then the bootstrap
  for real: changed=0 and nothing written.
* commit, purge: nothing written (the file names every object).
* drift: passes, and its JSON says nothing differs.

Then a billing group is renamed behind Ansible's back, and the drift step runs again: it must fail, name the
object, list it in its JSON, and write nothing. No secret value may appear in any output. Prints the requests
and time of the export and of a drift check, and exits 1 on any problem. The collection comes from
TELNYX_COLLECTIONS_ROOT (default build/collections).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request

from harness import API_KEY, ROOT, Sandbox, ansible_env, leaks
from testkit import tool

GUIDE = os.path.join(ROOT, "docs", "guides", "adopting.md")
STEP = re.compile(r"^```sh[ \t]*\n# step: (\S+)\n(.*?)^```[ \t]*$", re.MULTILINE | re.DOTALL)
RECAP = re.compile(r"^\S+\s*:\s*ok=\d+\s+changed=(\d+)\s+unreachable=\d+\s+failed=(\d+)", re.MULTILINE)
SHARED = dict(business_name="Example Corp", country_code="US")
SEED = {
    "billing_groups": [{"name": "opérations-été"}, {"name": "support"}],
    "addresses": [
        dict(SHARED, customer_reference="hq", first_name="Ada", last_name="Lovelace", street_address="600 Congress Ave",
             locality="Austin", administrative_area="TX", postal_code="78701"),
        dict(SHARED, first_name="Grace", last_name="Hopper", street_address="1 Main St", extended_address="Suite 5",
             locality="Boston", administrative_area="MA", postal_code="02110", phone_number="+12125559000"),
    ],
    "authentication_providers": [
        {"short_name": "corp-okta", "name": "Corp Okta", "active": True, "settings": {
            "idp_entity_id": "https://example.okta.com/exk1", "idp_sso_target_url": "https://example.okta.com/app/sso",
            "idp_cert_fingerprint": "13:38:C7:BB:C9:FF:4A:72", "idp_cert_fingerprint_algorithm": "sha256"}},
        {"short_name": "corp-azure", "name": "Corp Azure", "active": False, "settings": {
            "idp_entity_id": "https://sts.windows.net/x", "idp_sso_target_url": "https://login.example.com/x/saml2",
            "idp_cert_fingerprint": "AA:BB:CC:DD"}},
    ],
    "integration_secrets": [
        {"identifier": "crm_token", "type": "bearer", "token": "adopt-bearer-token-9f8e7d"},
        {"identifier": "billing_basic", "type": "basic", "username": "adopt-user-5511", "password": "adopt-pass-4c3b2a"},
    ],
    "telephony_credentials": [
        {"name": "softphones", "resource_id": "connection:1684641123236054244", "tag": "fleet",
         "expires_at": "2027-06-01T00:00:00Z"},
        {"name": "desk-phones", "resource_id": "connection:1684641123236054244"},
    ],
    "access_ip_address": [{"ip_address": "203.0.113.10", "description": "automation controller"},
                          {"ip_address": "2001:db8::1"}],
    "access_ip_ranges": [{"cidr_block": "192.0.2.0/24", "description": "office"}, {"cidr_block": "2001:db8:100::/48"}],
}
RENAMED = ("support", "support-renamed")
# A name holding Jinja: exported verbatim it would run as a template when the file is read with -e @file.
TEMPLATED = "{{ 6 * 7 }}"


class Adoption:
    """The guide's steps in one scratch directory against one seeded sandbox; ``problems`` collects what failed."""

    def __init__(self, sandbox, work):
        self.sandbox, self.work = sandbox, work
        self.env = ansible_env(sandbox.url, clean=True, GIT_AUTHOR_NAME="adopt", GIT_AUTHOR_EMAIL="adopt@example.test",
                               GIT_COMMITTER_NAME="adopt", GIT_COMMITTER_EMAIL="adopt@example.test")
        # The guide's commands as a user types them: the ansible-playbook beside this Python (its venv's) first on PATH.
        self.env["PATH"] = os.path.dirname(tool("ansible-playbook")) + os.pathsep + self.env.get("PATH", "")
        self.problems, self.outputs, self.figures = [], [], {}

    def run(self, name, script, must_fail=False, unchanged=False):
        """One step's block with bash; the sandbox's log is cleared first; nothing may be written to the account, and
        with ``unchanged`` no play may report a change (the export and the drift report write local files)."""
        self.sandbox.clear_log()
        started = time.monotonic()
        done = subprocess.run(["bash", "-eu", "-c", script], cwd=self.work, env=self.env, capture_output=True,
                              text=True, check=False, timeout=600)
        self.figures[name] = (time.monotonic() - started, len(self.sandbox.requests()))
        output = done.stdout + done.stderr
        self.outputs.append(("step %s" % name, output))
        if (done.returncode != 0) != must_fail:
            expected = " (should have failed)" if must_fail else ""
            tail = "\n".join(output.strip().splitlines()[-25:])
            self.problems.append("%s: exit %d%s\n%s" % (name, done.returncode, expected, tail))
        writes = self.sandbox.writes()
        if writes:
            self.problems.append("%s wrote %d requests: %s" % (name, len(writes), ", ".join(
                "%s %s" % (w["method"], w["path"]) for w in writes[:3])))
        changed = [int(c) for c, dummy in RECAP.findall(output)]
        if unchanged and not changed:
            self.problems.append("%s: no play recap in the output" % name)
        if unchanged and any(changed):
            self.problems.append("%s: a play reported changed=%s" % (name, changed))
        return output

    def check_export(self):
        path = os.path.join(self.work, "account.yml")
        if not os.path.exists(path):
            self.problems.append("export: no account.yml")
            return
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode != 0o600:
            self.problems.append("export: account.yml has mode %o, not 600" % mode)
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        if self.sandbox.url not in text:
            self.problems.append("export: the header does not name the API URL")
        for name in ("opérations-été", "2001:db8::1", "2001:db8:100::/48", "Grace", "2027-06-01T00:00:00Z"):
            if name not in text:
                self.problems.append("export: %s did not survive" % name)

    def check_report(self, differs, renamed=None):
        path = os.path.join(self.work, "drift.json")
        if not os.path.exists(path):
            self.problems.append("drift: no drift.json")
            return
        with open(path, encoding="utf-8") as handle:
            report = json.load(handle)
        if report.get("differs") is not differs:
            self.problems.append("drift.json says differs=%s, wanted %s" % (report.get("differs"), differs))
        if renamed and renamed not in report["billing_groups"]["not_named"]:
            self.problems.append("drift.json does not list %s as not named: %s" % (renamed, report["billing_groups"]))

    def rename(self, old, new):
        """A billing group renamed behind Ansible's back, through the API."""
        group = next(g for g in self.sandbox.live("billing_groups") if g["name"] == old)
        request = urllib.request.Request("%s/billing_groups/%s" % (self.sandbox.url, group["id"]), method="PATCH",
                                         data=json.dumps({"name": new}).encode(),
                                         headers={"Authorization": "Bearer " + API_KEY,
                                                  "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as reply:
            reply.read()

    def refuses_templates(self, export_step):
        """A name Ansible would run as a template (``-e @file`` is trusted) is refused by the export, naming it, and
        the file already there is left as it was."""
        path = os.path.join(self.work, "account.yml")
        before = open(path, encoding="utf-8").read()
        self.rename(RENAMED[1], TEMPLATED)
        output = self.run("export of a templated name", export_step, must_fail=True)
        if TEMPLATED not in output or "Jinja markers" not in output:
            self.problems.append("the export does not refuse the name %s in one line" % TEMPLATED)
        if open(path, encoding="utf-8").read() != before:
            self.problems.append("the refused export changed account.yml")


def main():
    steps = dict(STEP.findall(open(GUIDE, encoding="utf-8").read()))
    wanted = ["export", "review", "commit", "purge", "drift"]
    if list(steps) != wanted:
        print("adopt: the guide's steps are %s, wanted %s in that order" % (list(steps), wanted))
        return 1
    with tempfile.TemporaryDirectory() as work, Sandbox(log_path=os.path.join(work, "sandbox.out")) as sandbox:
        shutil.copytree(os.path.join(ROOT, "playbooks"), os.path.join(work, "playbooks"))
        sandbox.reset()
        sandbox.seed(SEED)
        adoption = Adoption(sandbox, work)
        adoption.run("export", steps["export"])
        adoption.check_export()
        adoption.run("review", steps["review"], unchanged=True)
        adoption.run("bootstrap for real", "ansible-playbook playbooks/bootstrap.yml -e @account.yml", unchanged=True)
        adoption.run("commit", steps["commit"])
        adoption.run("purge", steps["purge"], unchanged=True)
        adoption.run("drift", steps["drift"])
        adoption.check_report(differs=False)
        adoption.rename(*RENAMED)
        output = adoption.run("drift after a rename", steps["drift"], must_fail=True)
        if RENAMED[1] not in output:
            adoption.problems.append("the failed drift check does not name %s" % RENAMED[1])
        adoption.check_report(differs=True, renamed=RENAMED[1])
        adoption.refuses_templates(steps["export"])
        seen = sandbox.secrets()["secrets"]
        files = [(name, open(os.path.join(work, name), encoding="utf-8").read()) for name in ("account.yml", "drift.json")]
        found = list(leaks.search(seen, adoption.outputs + files))
    problems = adoption.problems + ["LEAK: a secret (%s...) appears in %s" % (leak.secret, leak.where) for leak in found]
    for problem in problems:
        print("PROBLEM " + problem)
    export_s, export_requests = adoption.figures["export"]
    drift_s, drift_requests = adoption.figures["drift"]
    print("adopt: the guide's %d steps on an account of %d objects: export %d requests in %.1f s, round trip 0 writes, "
          "drift %d requests in %.1f s, a rename caught; %d secrets searched, %d found; %d problems"
          % (len(steps), sum(len(v) for v in SEED.values()), export_requests, export_s, drift_requests, drift_s,
             len(seen), len(found), len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
